import type { Context } from 'koa';
import { httpError } from '@kp/platform';
import type { Learner } from '../services/reviews';
import type { Editor } from '../services/moderation';

/** The logged-in learner (users-permissions sets `ctx.state.user`); never an input. */
export function learnerOf(ctx: Context): Learner {
  const user = ctx.state.user as { id?: unknown; username?: string | null } | undefined;
  if (!user || typeof user.id !== 'number') throw httpError(401, 'Log in first.');
  return { id: user.id, username: user.username ?? null };
}

/** The caller's user id on a public route, or null (anonymous, API token). */
export function viewerOf(ctx: Context): number | null {
  const user = ctx.state.user as { id?: unknown } | undefined;
  return user && typeof user.id === 'number' && ctx.state.auth?.strategy?.name === 'users-permissions' ? user.id : null;
}

/** The admin-panel user of an admin route. */
export function editorOf(ctx: Context): Editor {
  const user = ctx.state.user as Editor | undefined;
  if (!user || typeof user.id !== 'number') throw httpError(401, 'No admin session.');
  return { id: user.id, firstname: user.firstname ?? null, lastname: user.lastname ?? null, email: user.email ?? null };
}

/** Strapi's pagination block. */
export function pagination(page: number, pageSize: number, total: number) {
  return { page, pageSize, pageCount: Math.ceil(total / pageSize), total };
}
