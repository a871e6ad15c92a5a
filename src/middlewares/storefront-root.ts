import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { errors } from '@strapi/utils';
import { sendError, type ErrorStatus } from '@kp/platform';

/**
 * The storefront (`public/index.html`, a single page with hash routes) answers at `/`.
 * `strapi::public` serves every other file under `public/` but redirects `/` to the admin panel;
 * rewriting the path before routing lets its static handler serve the page instead.
 *
 * The static handler refuses a path it will not resolve (a traversal such as `/%2e%2e/…` is
 * "Malicious Path", 400) with an error of its own copy of `http-errors`, which Strapi's error
 * middleware does not recognise: it answered the right status but logged a client's bad path as a
 * server error. A client error the handler exposes is answered here in Strapi's envelope, unlogged.
 */
export default (_config: unknown, _ctx: { strapi: Core.Strapi }) => {
  return async (ctx: Context, next: Next) => {
    if ((ctx.method === 'GET' || ctx.method === 'HEAD') && ctx.path === '/') ctx.path = '/index.html';
    try {
      await next();
    } catch (error) {
      const e = error as { status?: unknown; expose?: unknown; message?: unknown } | null;
      const clientError = e && typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true;
      // Strapi formats its own classes (and the platform's, which joins them) already.
      if (!clientError || error instanceof errors.ApplicationError || error instanceof errors.HttpError) throw error;
      sendError(ctx, e.status as ErrorStatus, String(e.message || 'Bad request'));
    }
  };
};

