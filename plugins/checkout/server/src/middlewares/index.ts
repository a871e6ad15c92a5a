import { requireStripe } from './stripe-configured';

export default {
  /** Learner routes: STRIPE_SECRET_KEY. */
  'stripe-configured': requireStripe('checkout'),
  /** The webhook: STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET. */
  'webhook-configured': requireStripe('webhook'),
};
