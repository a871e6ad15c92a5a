import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { errors } from '@strapi/utils';

/**
 * Drafts never leave through the content API. Strapi 5 answers `?status=draft` to any role that
 * may `find`, populated relations included, so every content-API read that asks for anything but
 * the published version is refused here, before routing, whatever the route or the caller.
 * Instructors read their own drafts through the review plugin's routes, which check ownership.
 */
export default (_config: unknown, _ctx: { strapi: Core.Strapi }) => {
  return async (ctx: Context, next: Next) => {
    if ((ctx.method === 'GET' || ctx.method === 'HEAD') && ctx.path.startsWith('/api/')) {
      const status = (ctx.query as Record<string, unknown>)?.status;
      if (status !== undefined && status !== 'published' && !ctx.path.startsWith('/api/review/')) {
        throw new errors.ForbiddenError(
          'Drafts are not available through the content API: omit `status` or use status=published.'
        );
      }
    }
    await next();
  };
};
