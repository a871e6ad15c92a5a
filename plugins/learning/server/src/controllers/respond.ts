import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { LearningHttpError } from '../errors';

export interface AuthedUser {
  id: number;
  username?: string | null;
  email?: string | null;
}

/** The logged-in learner; the routes are not `auth: false`, so users-permissions has set it. */
export function learnerOf(ctx: Context): AuthedUser {
  const user = ctx.state.user as AuthedUser | undefined;
  if (!user || typeof user.id !== 'number') throw new errors.UnauthorizedError('Log in first.');
  return { id: user.id, username: user.username ?? null, email: user.email ?? null };
}

function writeError(ctx: Context, status: number, name: string, message: string, details: unknown): void {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name, message, details: details ?? {} } };
}

/**
 * Runs a handler and writes, in Strapi's error shape, the errors Strapi would garble: our 410 and
 * 503 (its error middleware knows neither), and 401/403, whose message Strapi's route
 * `authorize` step replaces with a bare "Forbidden" when a handler throws them. A learner told
 * why a chapter is locked can act on it. Everything else goes on to Strapi's middleware.
 */
export async function respond(ctx: Context, handler: () => Promise<void>): Promise<void> {
  try {
    await handler();
  } catch (error) {
    if (error instanceof LearningHttpError) return writeError(ctx, error.status, error.name, error.message, {});
    if (error instanceof errors.ForbiddenError) return writeError(ctx, 403, error.name, error.message, error.details);
    if (error instanceof errors.UnauthorizedError) return writeError(ctx, 401, error.name, error.message, error.details);
    throw error;
  }
}
