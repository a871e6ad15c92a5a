import order from './order';
import webhookEvent from './webhook-event';
import stripeCustomer from './stripe-customer';
import catalogueItem from './catalogue-item';
import stripePrice from './stripe-price';
import coupon from './coupon';
import bundle from './bundle';
import gift from './gift';

export const ORDER_UID = 'plugin::checkout.order' as const;
export const WEBHOOK_EVENT_UID = 'plugin::checkout.webhook-event' as const;
export const STRIPE_CUSTOMER_UID = 'plugin::checkout.stripe-customer' as const;
export const CATALOGUE_ITEM_UID = 'plugin::checkout.catalogue-item' as const;
export const STRIPE_PRICE_UID = 'plugin::checkout.stripe-price' as const;
export const COUPON_UID = 'plugin::checkout.coupon' as const;
export const BUNDLE_UID = 'plugin::checkout.bundle' as const;
export const GIFT_UID = 'plugin::checkout.gift' as const;

export default {
  order,
  'webhook-event': webhookEvent,
  'stripe-customer': stripeCustomer,
  'catalogue-item': catalogueItem,
  'stripe-price': stripePrice,
  coupon,
  bundle,
  gift,
};
