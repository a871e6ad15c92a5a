import health from './health';
import settings from './settings';
import stripeApi from './stripe-api';
import customers from './customers';
import checkout from './checkout';
import webhooks from './webhooks';
import adminOrders from './admin-orders';
import catalogue from './catalogue';
import coupons from './coupons';
import inbox from './inbox';
import inboxWorker from './inbox-worker';
import bundles from './bundles';
import gifts from './gifts';

export default {
  health,
  settings,
  'stripe-api': stripeApi,
  customers,
  checkout,
  webhooks,
  'admin-orders': adminOrders,
  catalogue,
  coupons,
  inbox,
  'inbox-worker': inboxWorker,
  bundles,
  gifts,
};
