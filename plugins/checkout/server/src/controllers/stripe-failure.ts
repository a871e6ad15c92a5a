import type { Core } from '@strapi/strapi';
import { assertNever, httpError } from '@kp/platform';
import { StripeApiError } from '../services/stripe-api';
import { SHOPPER_MESSAGE } from '../middlewares/stripe-configured';

/**
 * Throws the answer to a failed Stripe call: the learner cannot fix our configuration or Stripe's
 * outage, so these are 5xx with a message that says which. Anything that is not a Stripe failure
 * is rethrown as it is.
 */
export function throwStripeFailure(strapi: Core.Strapi, error: unknown): never {
  if (!(error instanceof StripeApiError)) throw error;
  switch (error.kind) {
    case 'not-configured':
      strapi.log.warn('[checkout] Checkout is not configured: set STRIPE_SECRET_KEY in the environment.');
      throw httpError(503, SHOPPER_MESSAGE, { missing: ['STRIPE_SECRET_KEY'], operator: 'Checkout is not configured: set STRIPE_SECRET_KEY in the environment.' });
    case 'rate-limit':
      throw httpError(503, 'The payment provider is busy: try again in a moment.', { provider: 'stripe' });
    case 'unavailable':
      strapi.log.warn(`[checkout] Stripe unavailable: ${error.message}`);
      throw httpError(502, 'The payment provider could not be reached: try again in a moment.', { provider: 'stripe' });
    case 'authentication':
    case 'invalid-request':
    case 'card':
    case 'unknown':
      // Our configuration or a bug (bad key, unknown price id): loud in the logs, generic to the client.
      strapi.log.error(`[checkout] Stripe refused a request (${error.kind}${error.stripeCode ? `, ${error.stripeCode}` : ''}): ${error.message}`);
      throw httpError(502, 'The payment provider refused the request.', { provider: 'stripe', kind: error.kind });
    default:
      return assertNever(error.kind, 'Stripe failure');
  }
}
