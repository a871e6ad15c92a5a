/**
 * First of the app's middlewares (config/middlewares.ts, in place of `strapi::logger`): gives each
 * request an id (`X-Request-Id`, the caller's when a proxy sent a sane one), serves `GET /metrics`
 * to a caller with the token, times every request into the latency histogram by route template,
 * and logs one line per request with its id (JSON fields with LOG_FORMAT=json).
 */
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { errorBody } from '@kp/platform';
import { metricsAccess } from '../domain/access';
import { methodLabel, requestId, routeLabel } from '../domain/labels';
import { getService, pluginConfig } from '../utils';

export const METRICS_PATH = '/metrics';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const metrics = () => getService(strapi, 'metrics');
  return async (ctx: Context, next: Next) => {
    const started = process.hrtime.bigint();
    const id = requestId(ctx.get('x-request-id') || undefined, randomUUID);
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    try {
      // The exact path only: any other spelling is not this route (and reaches the router's 404).
      if (ctx.path === METRICS_PATH && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
        const access = metricsAccess({ token: pluginConfig(strapi, 'metricsToken'), authorization: ctx.get('authorization') || undefined, internalPort: false });
        if (!access.allow) {
          ctx.status = access.status;
          ctx.body = errorBody(access.status, access.status === 401 ? 'UnauthorizedError' : 'ForbiddenError', access.message);
          if (access.status === 401) ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
          return;
        }
        const { contentType, body } = await metrics().exposition();
        ctx.set('Cache-Control', 'no-store');
        ctx.type = contentType;
        ctx.body = body;
        return;
      }
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const matched = (ctx as Context & { _matchedRoute?: string })._matchedRoute;
      const status = ctx.status;
      const route = ctx.path === METRICS_PATH ? METRICS_PATH : routeLabel(typeof matched === 'string' ? matched : undefined, status);
      metrics().observe(methodLabel(ctx.method), route, status, seconds);
      const ms = Math.round(seconds * 1000);
      strapi.log.http(`${ctx.method} ${ctx.url} (${ms} ms) ${status} [${id}]`, { requestId: id, method: ctx.method, route, status, ms });
    }
  };
};
