import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { sendError } from '@kp/platform';
import { getService } from '../utils';

/**
 * Route middleware: answers 503 naming the missing environment settings when Stripe is not
 * configured, so the rest of the platform runs and a frontend can tell "checkout is off" from a
 * crash. `purpose: 'webhook'` also needs the signing secret (Stripe retries a 503 later).
 */
/** What a shopper reads when checkout is off (the storefront shows its own translation of it). */
export const SHOPPER_MESSAGE = 'Payments are not available right now.';
const warned = new Set<string>();

export const requireStripe = (purpose: 'checkout' | 'webhook') => (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: Context, next: Next) => {
    const readiness = getService(strapi, 'settings').readiness(purpose);
    if (!readiness.ready) {
      // A shopper cannot fix the configuration: they read that payments are off; the operator
      // detail goes to the log (once) and to error.details.
      const operator = `Checkout is not configured: set ${readiness.missing.join(' and ')} in the environment.`;
      if (!warned.has(operator)) {
        warned.add(operator);
        strapi.log.warn(`[checkout] ${operator}`);
      }
      ctx.set('Retry-After', '600');
      sendError(ctx, 503, SHOPPER_MESSAGE, { missing: readiness.missing, operator });
      return;
    }
    await next();
  };
};
