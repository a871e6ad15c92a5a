/**
 * Served under /api/checkout. Learner routes need a users-permissions JWT (config.ts grants them
 * to the authenticated and instructor roles); the body, query and path schemas are enforced before
 * a handler runs. Examples assume Stripe is configured (the suites point the SDK at a loopback
 * fake), a learner who holds `$course` and has started one checkout (`$order`), and `$course`'s
 * instructor; they are valid requests by the OpenAPI document (refusals the document cannot
 * express, such as unknown fields, are tested in the suite instead).
 */
import { contentApiRoutes, route, healthRoute } from '@kp/platform';
import {
  createPortalBody,
  createSessionBody,
  createSessionResponse,
  healthResponse,
  learnerOrderResponse,
  learnerOrdersQuery,
  learnerOrdersResponse,
  orderParams,
  portalResponse,
  webhookResponse,
} from './schemas';
import { validatePromotionCodeBody, validatePromotionCodeResponse } from './coupon-schemas';
import { commerceRoutes } from './commerce';

/** Answers 503 naming the missing settings when Stripe is not configured (middlewares/stripe-configured.ts). */
const needsStripe = 'plugin::checkout.stripe-configured';
const RETURN = { successUrl: 'http://localhost:1337/?checkout=success&session_id={CHECKOUT_SESSION_ID}', cancelUrl: 'http://localhost:1337/?checkout=cancel' };
const NOT_CONFIGURED = 'STRIPE_SECRET_KEY is not set (the message names the missing settings)';

export const health = healthRoute('Whether checkout is configured (never the secrets)', healthResponse);

export const createSession = route({
  method: 'POST',
  path: '/sessions',
  handler: 'checkout.createSession',
  config: { policies: [], middlewares: [needsStripe] },
  summary: 'Start a Stripe Checkout for a course or a plan',
  description:
    'Creates a pending order and its Checkout Session; redirect the learner to `url`. A new checkout for the same item expires the learner’s previous open session, so two tabs cannot both be paid. The price comes from the course or plan, never from the client.',
  request: { body: createSessionBody },
  response: createSessionResponse,
  status: 201,
  errors: {
    400: 'invalid body; a return URL outside CHECKOUT_ALLOWED_ORIGINS; a free course; a course sold only by subscription; a currency the course is not offered in (`details.offered`)',
    403: 'without a learner’s JWT',
    404: 'no published course or plan with this id; an unknown promotion code',
    409: 'already has access (`details.via`), already subscribed, not purchasable (below Stripe’s minimum), or a promotion code refused (`details.reason`: expired, used-up, inactive, not-applicable, wrong-currency)',
    502: 'Stripe refused or could not be reached (no order is left behind)',
    503: NOT_CONFIGURED,
  },
  examples: [
    { name: 'Subscribe to a plan', body: { plan: '$plan', ...RETURN, locale: 'en' }, as: 'learner', status: 201 },
    { name: 'A course the learner already has', body: { course: '$course', ...RETURN }, as: 'learner', status: 409 },
    { name: 'A free course is not for sale', body: { course: '$freeCourse', ...RETURN }, as: 'learner', status: 400 },
    { name: 'Both a course and a plan', body: { course: '$course', plan: '$plan', ...RETURN }, as: 'learner', status: 400 },
    { name: 'A return URL on another origin', body: { plan: '$plan', ...RETURN, successUrl: 'https://evil.example/thanks' }, as: 'learner', status: 400 },
    { name: 'Anonymous', body: { plan: '$plan', ...RETURN }, as: 'anonymous', status: 403 },
  ],
});

export const createPortal = route({
  method: 'POST',
  path: '/portal',
  handler: 'checkout.createPortal',
  config: { policies: [], middlewares: [needsStripe] },
  summary: 'Open the Stripe Customer Portal (manage or cancel subscriptions, invoices)',
  request: { body: createPortalBody },
  response: portalResponse,
  errors: {
    400: 'invalid body, or a return URL outside CHECKOUT_ALLOWED_ORIGINS',
    403: 'without a learner’s JWT',
    409: 'no billing account yet (it is created with the first checkout)',
    502: 'Stripe refused or could not be reached',
    503: NOT_CONFIGURED,
  },
  examples: [
    { name: 'Customer Portal', body: { returnUrl: 'http://localhost:1337/library' }, as: 'learner', status: 200 },
    { name: 'A return URL on another origin', body: { returnUrl: 'https://evil.example/' }, as: 'learner', status: 400 },
  ],
});

export const listOrders = route({
  method: 'GET',
  path: '/orders',
  handler: 'checkout.listOrders',
  config: { policies: [], middlewares: [needsStripe] },
  summary: 'The caller’s orders, newest first',
  request: { query: learnerOrdersQuery },
  response: learnerOrdersResponse,
  errors: { 400: 'invalid page or pageSize, or another query parameter', 403: 'without a learner’s JWT', 503: NOT_CONFIGURED },
  examples: [
    { name: 'My orders', query: { page: '1', pageSize: '10' }, as: 'learner', status: 200 },
    { name: 'An instructor’s own orders', as: 'instructor', status: 200 },
  ],
});

export const findOrder = route({
  method: 'GET',
  path: '/orders/:id',
  handler: 'checkout.findOrder',
  config: { policies: [], middlewares: [needsStripe] },
  summary: 'One of the caller’s orders (a success page polls it until it is paid)',
  request: { params: orderParams },
  response: learnerOrderResponse,
  errors: { 400: 'malformed id', 403: 'without a learner’s JWT', 404: 'no such order among the caller’s (another learner’s order is not found)', 503: NOT_CONFIGURED },
  examples: [
    { name: 'My order', params: { id: '$order' }, as: 'learner', status: 200 },
    { name: 'Someone else’s order', params: { id: '$order' }, as: 'instructor', status: 404 },
  ],
});

export const webhook = route({
  method: 'POST',
  path: '/webhook',
  handler: 'webhook.handle',
  // Stripe calls this: no user, the signature is the authentication.
  config: { auth: false, policies: [], middlewares: ['plugin::checkout.webhook-configured'] },
  summary: 'Stripe webhook endpoint',
  description:
    'The body is a Stripe event, verified with the `Stripe-Signature` header over its raw bytes before anything is read, then stored in the webhook inbox (one insert; the event id is unique, so a redelivery answers `duplicate: true`) and answered at once. A worker applies it right after, exactly once, in the transaction that marks it done. Only Stripe calls it.',
  response: webhookResponse,
  errors: {
    400: 'unverified: missing or bad signature, wrong secret, stale timestamp, not JSON, or a signed payload of an unexpected shape (nothing written)',
    500: 'the event could not be stored (database unavailable): nothing was acknowledged, Stripe retries',
    503: 'STRIPE_SECRET_KEY or STRIPE_WEBHOOK_SECRET is not set (Stripe retries)',
  },
  examples: [{ name: 'A delivery without a signature', as: 'anonymous', status: 400 }],
});

export const validatePromotionCode = route({
  method: 'POST',
  path: '/promotion-codes/validate',
  handler: 'coupons.validate',
  config: { policies: [], middlewares: [needsStripe] },
  summary: 'Check a promotion code for a course or plan before checkout: the discounted price, or why not',
  description:
    'Answers what the learner would pay with the code (for a plan: the first period; `duration` says for how long), in the course’s default currency or the `currency` given (send the one POST /sessions will get). Stripe applies the same discount when the code is passed to POST /sessions as `promotionCode`. Stripe’s redemption count is read, so a limit reached elsewhere counts.',
  request: { body: validatePromotionCodeBody },
  response: validatePromotionCodeResponse,
  errors: {
    400: 'invalid body (a malformed code, not exactly one of course and plan, an unknown field, `currency` with a plan); a currency the course is not offered in (`details.offered`)',
    403: 'without a learner’s JWT',
    404: 'no such promotion code, or no published course / plan with this id',
    409: 'the code cannot be used here (`details.reason`: expired, used-up, inactive, not-applicable — not for this course or plan —, wrong-currency; or the item is not sold on its own)',
    502: 'Stripe refused or could not be reached',
    503: NOT_CONFIGURED,
  },
  examples: [
    { name: 'An unknown code', body: { code: 'NO-SUCH-CODE', course: '$course' }, as: 'learner', status: 404 },
    { name: 'A malformed code', body: { code: 'no spaces allowed', course: '$course' }, as: 'learner', status: 400 },
  ],
});

export default contentApiRoutes('checkout', [health, createSession, createPortal, listOrders, findOrder, validatePromotionCode, webhook, ...commerceRoutes]);
