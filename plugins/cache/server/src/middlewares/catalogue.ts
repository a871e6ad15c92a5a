/**
 * `plugin::cache.catalogue` (config/middlewares.ts, after the draft guard, before the body parser
 * and the router): answers an anonymous read of the published catalogue from the cache, or lets
 * Strapi answer it and stores the answer when it is a 200 to a caller nobody authenticated.
 *
 * Never for a request with an `Authorization` header (a JWT, an API token), never for a draft
 * parameter (the draft guard refused them before this; `status` other than `published` is not a
 * key either), never for another route or spelling, never for HEAD. What is stored is exactly the
 * anonymous response (the paywall has already removed what an anonymous caller may not read), so
 * an owner — who always sends a JWT — never reads from it, and no owner's response is stored.
 */
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { getService } from '../utils';

type MatchedCtx = Context & { _matchedRoute?: string };

/** Whether nobody was authenticated for this response (users-permissions' public ability only). */
function anonymousAnswer(ctx: Context): boolean {
  const state = ctx.state as { user?: unknown; auth?: { credentials?: unknown } };
  return !state.user && (state.auth?.credentials ?? null) === null;
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const catalogue = () => getService(strapi, 'catalogue');
  return async (ctx: Context, next: Next) => {
    const cache = catalogue();
    if (!cache.enabled() || ctx.method !== 'GET') return next();
    const decision = cache.decide({
      method: ctx.method,
      path: ctx.path,
      query: ctx.query as Record<string, unknown>,
      hasAuthorization: ctx.get('authorization') !== '',
    });
    if (!decision.cacheable) {
      if (decision.reason !== 'not-catalogue' && decision.reason !== 'method') cache.count('bypass');
      return next();
    }
    const found = await cache.lookup(decision.key);
    if (found.entry) {
      cache.count('hit');
      // The route template, as the router would have named it (the latency histogram's label).
      (ctx as MatchedCtx)._matchedRoute = decision.route;
      ctx.status = found.entry.status;
      ctx.type = found.entry.type;
      ctx.set('X-Cache', 'hit');
      ctx.body = found.entry.body;
      return;
    }
    cache.count(found.generation === null ? 'error' : 'miss');
    ctx.set('X-Cache', 'miss');
    await next();
    if (found.generation === null || ctx.status !== 200 || !anonymousAnswer(ctx) || ctx.response.get('set-cookie')) return;
    const body: unknown = ctx.body;
    if (body === null || typeof body !== 'object' || Buffer.isBuffer(body) || typeof (body as { pipe?: unknown }).pipe === 'function') return;
    const text = JSON.stringify(body);
    const type = 'application/json; charset=utf-8';
    // Sent as the string it is stored as (koa would otherwise stringify the object again).
    ctx.type = type;
    ctx.body = text;
    cache.save(decision.key, found.generation, { status: 200, type, body: text });
  };
};
