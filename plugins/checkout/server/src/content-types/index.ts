import order from './order';
import webhookEvent from './webhook-event';
import stripeCustomer from './stripe-customer';
import bundle from './bundle';
import gift from './gift';

export const ORDER_UID = 'plugin::checkout.order' as const;
export const WEBHOOK_EVENT_UID = 'plugin::checkout.webhook-event' as const;
export const STRIPE_CUSTOMER_UID = 'plugin::checkout.stripe-customer' as const;
export const BUNDLE_UID = 'plugin::checkout.bundle' as const;
export const GIFT_UID = 'plugin::checkout.gift' as const;

export default {
  order,
  'webhook-event': webhookEvent,
  'stripe-customer': stripeCustomer,
  bundle,
  gift,
};
