import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';

/**
 * The storefront (`public/index.html`, a single page with hash routes) answers at `/`.
 * `strapi::public` serves every other file under `public/` but redirects `/` to the admin panel;
 * rewriting the path before routing lets its static handler serve the page instead.
 */
export default (_config: unknown, _ctx: { strapi: Core.Strapi }) => {
  return async (ctx: Context, next: Next) => {
    if ((ctx.method === 'GET' || ctx.method === 'HEAD') && ctx.path === '/') ctx.path = '/index.html';
    await next();
  };
};
