import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { StripeApiError } from '../services/stripe-api';
import { sendError } from './errors';

/**
 * Maps a failed Stripe call to an answer: the learner cannot fix our configuration or Stripe's
 * outage, so these are 5xx with a message that says which; anything else is rethrown.
 */
export function answerStripeFailure(strapi: Core.Strapi, ctx: Context, error: unknown): void {
  if (!(error instanceof StripeApiError)) throw error;
  switch (error.kind) {
    case 'not-configured':
      return sendError(ctx, 503, 'ServiceUnavailableError', 'Checkout is not configured: set STRIPE_SECRET_KEY in the environment.', { missing: ['STRIPE_SECRET_KEY'] });
    case 'rate-limit':
      return sendError(ctx, 503, 'ServiceUnavailableError', 'The payment provider is busy: try again in a moment.', { provider: 'stripe' });
    case 'unavailable':
      strapi.log.warn(`[checkout] Stripe unavailable: ${error.message}`);
      return sendError(ctx, 502, 'BadGatewayError', 'The payment provider could not be reached: try again in a moment.', { provider: 'stripe' });
    case 'authentication':
    case 'invalid-request':
    case 'card':
    case 'unknown':
      // Our configuration or a bug (bad key, unknown price id): loud in the logs, generic to the client.
      strapi.log.error(`[checkout] Stripe refused a request (${error.kind}${error.stripeCode ? `, ${error.stripeCode}` : ''}): ${error.message}`);
      return sendError(ctx, 502, 'BadGatewayError', 'The payment provider refused the request.', { provider: 'stripe', kind: error.kind });
    default: {
      const unreachable: never = error.kind;
      throw new Error(`unknown Stripe failure ${String(unreachable)}`);
    }
  }
}
