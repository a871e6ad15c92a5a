import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { httpError } from '@kp/platform';
import { pickLocale } from '../domain/locale';
import { locales as supportedLocales } from '../utils';

export interface AuthedUser {
  id: number;
  username?: string | null;
  email?: string | null;
}

/** The logged-in learner; the routes are not `auth: false`, so users-permissions has set it. */
export function learnerOf(ctx: Context): AuthedUser {
  const user = ctx.state.user as AuthedUser | undefined;
  if (!user || typeof user.id !== 'number') throw httpError(401, 'Log in first.');
  return { id: user.id, username: user.username ?? null, email: user.email ?? null };
}

/**
 * A `locale` the platform serves, or 400. The route's schema has checked the shape of the code;
 * which codes are served is configuration. Undefined stays undefined (Accept-Language decides).
 */
export function supportedLocale(value: string | undefined, supported: readonly string[]): string | undefined {
  if (value === undefined) return undefined;
  const match = supported.find((l) => l.toLowerCase() === value.toLowerCase());
  if (!match) throw httpError(400, `Invalid locale: use one of ${supported.join(', ')}.`);
  return match;
}

/** The learner's locale: `locale` (body or query) when given, else Accept-Language, else the default. */
export function requestLocale(strapi: Core.Strapi, ctx: Context, explicit: string | undefined): string {
  const locales = supportedLocales(strapi);
  const chosen = supportedLocale(explicit, locales);
  return pickLocale(chosen, ctx.get('accept-language') || undefined, locales, locales[0]!);
}
