import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { sendError } from '@kp/platform';
import { getService } from '../utils';

/**
 * Route middleware: answers 503 naming the missing environment settings when Stripe is not
 * configured, so the rest of the platform runs and a frontend can tell "checkout is off" from a
 * crash. `purpose: 'webhook'` also needs the signing secret (Stripe retries a 503 later).
 */
export const requireStripe = (purpose: 'checkout' | 'webhook') => (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: Context, next: Next) => {
    const readiness = getService(strapi, 'settings').readiness(purpose);
    if (!readiness.ready) {
      ctx.set('Retry-After', '600');
      sendError(ctx, 503, `Checkout is not configured: set ${readiness.missing.join(' and ')} in the environment.`, { missing: readiness.missing });
      return;
    }
    await next();
  };
};
