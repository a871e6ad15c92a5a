/**
 * Served under /checkout for the admin panel (admin JWT), guarded by the RBAC actions this plugin
 * registers (register.ts); editors get them from a super admin.
 */
import { adminRoutes, route } from '@kp/platform';
import { adminCouponsResponse } from './coupon-schemas';
import { adminEventsQuery, adminEventsResponse, adminOrdersCsvResponse, adminOrdersExportQuery, adminOrdersQuery, adminOrdersResponse, adminRefundResponse, adminRetryResponse, eventParams, orderParams } from './schemas';

export const ADMIN_ACTIONS = {
  read: 'plugin::checkout.orders.read',
  refund: 'plugin::checkout.orders.refund',
  coupons: 'plugin::checkout.coupons.read',
  retryEvents: 'plugin::checkout.webhook-events.retry',
} as const;

const can = (action: string) => ({ name: 'admin::hasPermissions', config: { actions: [action] } });

export const listAdminOrders = route({
  method: 'GET',
  path: '/orders',
  handler: 'admin-orders.find',
  config: { policies: ['admin::isAuthenticatedAdmin', can(ADMIN_ACTIONS.read)] },
  summary: 'Every order, newest first, filtered by status, search (order id, learner, title) and creation time (Orders page)',
  request: { query: adminOrdersQuery },
  response: adminOrdersResponse,
  errors: { 400: 'invalid page, pageSize, status, search or date', 401: 'without an admin JWT', 403: 'without Read orders (plugin::checkout.orders.read)' },
  examples: [{ name: 'Without an admin token', query: { status: 'paid' }, as: 'anonymous', status: 401 }],
});

export const exportAdminOrders = route({
  method: 'GET',
  path: '/orders/export',
  handler: 'admin-orders.exportCsv',
  config: { policies: ['admin::isAuthenticatedAdmin', can(ADMIN_ACTIONS.read)] },
  summary: 'The orders of the same filters as a CSV file (Orders page, Export CSV)',
  description: `text/csv, newest first, at most 50,000 orders (\`X-Truncated: true\` beyond); \`X-Total-Count\` says how many lines. Cells a spreadsheet would read as a formula are prefixed with '.`,
  request: { query: adminOrdersExportQuery },
  response: adminOrdersCsvResponse,
  errors: { 400: 'invalid status, search or date', 401: 'without an admin JWT', 403: 'without Read orders (plugin::checkout.orders.read)' },
  examples: [{ name: 'Without an admin token', query: { status: 'paid' }, as: 'anonymous', status: 401 }],
});

export const refundOrder = route({
  method: 'POST',
  path: '/orders/:id/refund',
  handler: 'admin-orders.refund',
  config: { policies: ['admin::isAuthenticatedAdmin', can(ADMIN_ACTIONS.refund)] },
  summary: 'Ask Stripe to refund a paid course purchase',
  description:
    'Accepted, not done: the order turns refunded and access is revoked when Stripe’s charge.refunded event arrives (the same path as a refund made in the Stripe Dashboard). Idempotent per order: a second request answers the same refund.',
  request: { params: orderParams },
  response: adminRefundResponse,
  status: 202,
  errors: {
    400: 'malformed id',
    401: 'without an admin JWT',
    403: 'without Refund orders (plugin::checkout.orders.refund)',
    404: 'no such order',
    409: 'not refundable: not paid, a subscription (refund it in Stripe), or nothing was charged',
    502: 'Stripe refused or could not be reached',
    503: 'STRIPE_SECRET_KEY is not set',
  },
  examples: [{ name: 'Without an admin token', params: { id: '$order' }, as: 'anonymous', status: 401 }],
});

export const listAdminCoupons = route({
  method: 'GET',
  path: '/coupons',
  handler: 'admin-coupons.find',
  config: { policies: ['admin::isAuthenticatedAdmin', can(ADMIN_ACTIONS.coupons)] },
  summary: 'Every coupon (newest first, at most 500) with its redemptions: Stripe’s count and our paid orders',
  description: 'Coupons are created and switched off in the Content Manager (type Coupon); this lists them with what Stripe counted and whether each exists in Stripe (`syncState`, `syncError`).',
  response: adminCouponsResponse,
  errors: { 401: 'without an admin JWT', 403: 'without Read coupons (plugin::checkout.coupons.read)' },
  examples: [{ name: 'Without an admin token', as: 'anonymous', status: 401 }],
});

export const listWebhookEvents = route({
  method: 'GET',
  path: '/events',
  handler: 'admin-events.find',
  config: { policies: ['admin::isAuthenticatedAdmin', can(ADMIN_ACTIONS.read)] },
  summary: 'The webhook inbox: Stripe events newest first, by state (pending, done, dead) and search (Orders page, Webhook events tab)',
  description: '`inbox` counts the whole inbox whatever the filters: pending events, dead letters, and the age of the oldest pending event.',
  request: { query: adminEventsQuery },
  response: adminEventsResponse,
  errors: { 400: 'invalid page, pageSize, state or search', 401: 'without an admin JWT', 403: 'without Read orders (plugin::checkout.orders.read)' },
  examples: [{ name: 'Without an admin token', query: { state: 'dead' }, as: 'anonymous', status: 401 }],
});

export const retryWebhookEvent = route({
  method: 'POST',
  path: '/events/:eventId/retry',
  handler: 'admin-events.retry',
  config: { policies: ['admin::isAuthenticatedAdmin', can(ADMIN_ACTIONS.retryEvents)] },
  summary: 'Retry a dead-lettered Stripe event',
  description:
    'Accepted, not done: the event turns pending with its attempts reset, and the worker applies it at once (exactly once: its effects and `done` commit together). Only a dead event can be retried; a done event is never applied again.',
  request: { params: eventParams },
  response: adminRetryResponse,
  status: 202,
  errors: {
    400: 'malformed event id',
    401: 'without an admin JWT',
    403: 'without Retry webhook events (plugin::checkout.webhook-events.retry)',
    404: 'no such event',
    409: 'the event is not dead (pending: it will be applied; done: it was applied)',
  },
  examples: [{ name: 'Without an admin token', params: { eventId: 'evt_unknown' }, as: 'anonymous', status: 401 }],
});

export default adminRoutes('checkout', [listAdminOrders, exportAdminOrders, refundOrder, listAdminCoupons, listWebhookEvents, retryWebhookEvent]);
