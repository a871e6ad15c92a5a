import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { errors } from '@strapi/utils';
import { createContentApiMatcher } from '../lib/security/content-api-routes';
import { draftParamsAsked } from '../lib/security/draft-params';

/**
 * Drafts never leave through the content API. Strapi 5 answers `?status=draft` to any role that
 * may `find`, populated relations included, and `publicationFilter` / `hasPublishedVersion` tell
 * which published documents have unpublished changes; so every read that the router will hand to
 * a content-API route (any type, any plugin, any relation populated from it) is refused when it
 * asks for anything but the published version. Instructors read their own drafts through the
 * review plugin's routes, which check ownership and take no `status`.
 *
 * The decision is made on the route the router matches, with the router's own matcher, never on
 * the raw path: the router matches case-insensitively and with or without a trailing slash, so
 * `/API/courses` reaches the same controller as `/api/courses`, while the admin panel's own routes
 * (the Content Manager reads drafts on purpose) are not content-API routes whatever their spelling.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const reachesContentApi = createContentApiMatcher(strapi);
  return async (ctx: Context, next: Next) => {
    if (ctx.method === 'GET' || ctx.method === 'HEAD') {
      const asked = draftParamsAsked(ctx.query as Record<string, unknown>);
      if (asked.length > 0 && reachesContentApi(ctx.method, ctx.path)) {
        throw new errors.ForbiddenError(
          `Drafts are not available through the content API: omit \`status\` or use status=published` +
            (asked.some((k) => k !== 'status') ? ' (publicationFilter and hasPublishedVersion are refused too).' : '.')
        );
      }
    }
    await next();
  };
};
