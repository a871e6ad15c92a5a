/**
 * What checkout's routes accept and answer, as zod schemas. The request schemas are what the
 * validation middleware enforces before a handler runs (a 400 naming each problem); the response
 * schemas describe the real bodies (the suite validates live answers against them). The admin
 * shapes are checked at compile time against the contract the admin panel imports, so the two
 * cannot drift.
 */
import { z } from 'zod';
import {
  DISPUTE_STATUSES,
  ORDER_KINDS,
  ORDER_STATUSES,
  WEBHOOK_EVENT_STATES,
  dataOf,
  dateInputSchema,
  documentIdSchema,
  healthResponseSchema,
  paginationMetaSchema,
  paginationSchema,
  type AdminOrder,
  type AdminOrdersResponse,
  type AdminRefundResponse,
  type AdminWebhookEvent,
  type AdminWebhookEventsResponse,
  type AdminWebhookRetryResponse,
} from '@kp/platform';
import { CHECKOUT_LOCALES } from '../domain/purchase';
import { SUPPORTED_CURRENCIES } from '../domain/money';
import { promotionCodeSchema } from './coupon-schemas';
import { giftViewSchema } from './commerce-schemas';

/** Compile-time equality of two types (each assignable to the other). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// ---------------------------------------------------------------------------------------------
// Requests

/** A URL Stripe sends the learner back to; its origin must be in CHECKOUT_ALLOWED_ORIGINS (checked by the service). */
const returnUrl = (description: string, example: string) => z.string().trim().min(1).max(2048).meta({ description, example });

/** Body of `POST /api/checkout/sessions`: exactly one of `course`, `plan` and `bundle`. */
export const createSessionBody = z
  .strictObject({
    course: documentIdSchema.optional().meta({ description: 'documentId of a published paid course (exactly one of course, plan and bundle)' }),
    plan: documentIdSchema.optional().meta({ description: 'documentId of a subscription plan (exactly one of course, plan and bundle)' }),
    bundle: documentIdSchema.optional().meta({ description: 'documentId of a bundle on sale (exactly one of course, plan and bundle)' }),
    giftEmail: z
      .email({ error: 'must be an e-mail address' })
      .max(254)
      .optional()
      .meta({ description: 'Buy the course or bundle as a gift for this address: it receives a claim code; the buyer gets no access', example: 'friend@example.com' }),
    successUrl: returnUrl(
      'Where Stripe sends the learner after paying (an allowed origin); Stripe replaces {CHECKOUT_SESSION_ID}',
      'http://localhost:1337/?checkout=success&session_id={CHECKOUT_SESSION_ID}'
    ),
    cancelUrl: returnUrl('Where Stripe sends the learner who gives up (an allowed origin)', 'http://localhost:1337/?checkout=cancel'),
    locale: z.enum(CHECKOUT_LOCALES).optional().meta({ description: 'Language of the Stripe Checkout page (default: the browser’s)' }),
    currency: z
      .enum(SUPPORTED_CURRENCIES)
      .optional()
      .meta({ description: "Course only: the currency to pay in, one the course is offered in (its default `currency` or one of its `extraPrices`); default: the course's default (the price REST shows)", example: 'eur' }),
    promotionCode: promotionCodeSchema.optional().meta({ description: 'A promotion code, checked before Stripe is asked (as POST /promotion-codes/validate) and applied to the session' }),
  })
  .refine((v) => (v.course ? 1 : 0) + (v.plan ? 1 : 0) + (v.bundle ? 1 : 0) === 1, {
    message: 'give exactly one of "course", "plan" or "bundle"',
    path: ['course'],
  })
  .refine((v) => !(v.giftEmail && v.plan), { message: 'a plan cannot be given as a gift (give a course or a bundle)', path: ['giftEmail'] })
  .refine((v) => !(v.currency && !v.course), { message: 'currency applies to a course (plans and bundles are sold in their own currency)', path: ['currency'] });
export type CreateSessionInput = z.output<typeof createSessionBody>;

/** Body of `POST /api/checkout/portal`. */
export const createPortalBody = z.strictObject({
  returnUrl: returnUrl('Where the Customer Portal sends the learner back (an allowed origin)', 'http://localhost:1337/library'),
});

/** `?page=&pageSize=` of the learner's orders. */
export const learnerOrdersQuery = z.strictObject(paginationSchema(100, 25));

/** `?page=&pageSize=&status=` of the admin Orders page. */
/** The Orders page's filters, shared by the list and the CSV export. */
const orderFilters = {
  status: z.enum(ORDER_STATUSES).optional().meta({ description: 'Only orders in this status' }),
  q: z
    .string({ error: 'must be text' })
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .optional()
    .meta({ description: "An order id, or part of the learner's e-mail or username, or of the course or plan title", example: 'ada@' }),
  from: dateInputSchema.optional().meta({ description: 'Orders created at or after this time', example: '2026-12-01' }),
  to: dateInputSchema.optional().meta({ description: 'Orders created before this time (a date alone: up to the end of that day)', example: '2026-12-31' }),
};

export const adminOrdersQuery = z.strictObject({
  ...paginationSchema(100, 20),
  ...orderFilters,
});

export const adminOrdersExportQuery = z.strictObject(orderFilters);

/** `?state=&q=&page=&pageSize=` of the Webhook events tab. */
export const adminEventsQuery = z.strictObject({
  ...paginationSchema(100, 20),
  state: z.enum(WEBHOOK_EVENT_STATES).optional().meta({ description: 'Only events in this state (pending: not applied yet; done: applied; dead: attempts spent)' }),
  q: z
    .string({ error: 'must be text' })
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .optional()
    .meta({ description: 'Part of the event id, type, Stripe object id or ordering key, any case', example: 'sub_' }),
});

/** `:eventId` of a Stripe event. */
export const eventParams = z.object({
  eventId: z
    .string()
    .regex(/^evt_[A-Za-z0-9_]{1,250}$/, 'must be a Stripe event id (evt_…)')
    .meta({ description: 'The Stripe event id', example: 'evt_1QxYz' }),
});

/** The CSV file (text/csv; UTF-8), one line per order. */
export const adminOrdersCsvResponse = z.string().meta({ description: 'text/csv: a header line, then one line per order (formula-like cells defused)' });

/** `:id` of an order: its documentId (the `orderId` a checkout answered). */
export const orderParams = z.object({ id: documentIdSchema.meta({ description: 'The order id (`orderId` of POST /api/checkout/sessions)' }) });

// ---------------------------------------------------------------------------------------------
// Responses

const isoTime = z.iso.datetime({ offset: true });

/** An order as its owner sees it (no Stripe ids, no refund bookkeeping). */
export const orderViewSchema = z.strictObject({
  id: z.string().meta({ description: 'The order id' }),
  status: z.enum(ORDER_STATUSES),
  kind: z.enum(ORDER_KINDS),
  course: z.string().nullable().meta({ description: 'documentId of the course bought (course orders)' }),
  plan: z.string().nullable().meta({ description: 'documentId of the plan subscribed to (plan orders)' }),
  bundle: z.string().nullable().meta({ description: 'documentId of the bundle bought (bundle orders)' }),
  courses: z.array(z.string()).meta({ description: 'The courses the order opens (its course, or the bundle’s courses when it was bought)' }),
  gift: giftViewSchema.nullable(),
  title: z.string().nullable().meta({ description: 'Title of the item when the order was made' }),
  amount: z.number().int().meta({ description: 'Price in the currency’s minor unit (cents; whole yen for JPY)', example: 1999 }),
  currency: z.string().meta({ description: 'ISO currency code, lower case', example: 'usd' }),
  amountPaid: z.number().int().nullable().meta({ description: 'What Stripe collected, minor units (null until paid)' }),
  amountRefunded: z.number().int().meta({ description: 'Refunded so far, minor units' }),
  createdAt: isoTime,
  paidAt: isoTime.nullable(),
});
export type OrderView = z.output<typeof orderViewSchema>;

export const healthResponse = healthResponseSchema
  .extend({
    plugin: z.literal('checkout'),
    inbox: z
      .strictObject({
        pending: z.number().int().meta({ description: 'Events received and not applied yet' }),
        dead: z.number().int().meta({ description: 'Events whose attempts are spent (degraded while any exists)' }),
        oldestPendingSeconds: z.number().meta({ description: 'Age of the oldest pending event' }),
        worker: z.boolean().meta({ description: 'This instance applies events (CHECKOUT_INBOX_WORKER)' }),
      })
      .nullable()
      .meta({ description: 'The webhook inbox (null when the database did not answer)' }),
    stripe: z.strictObject({
      configured: z.boolean().meta({ description: 'STRIPE_SECRET_KEY is set' }),
      webhookConfigured: z.boolean().meta({ description: 'STRIPE_WEBHOOK_SECRET is set' }),
      mode: z.enum(['live', 'test', 'off']),
      apiBaseOverridden: z.boolean().meta({ description: 'STRIPE_API_BASE points the SDK elsewhere (tests)' }),
    }),
  })
  .strict();

export const createSessionResponse = z.strictObject({
  url: z.url().meta({ description: 'Stripe Checkout page: send the learner there' }),
  orderId: z.string().meta({ description: 'The order this checkout pays; poll GET /api/checkout/orders/:id' }),
});

export const portalResponse = z.strictObject({ url: z.url().meta({ description: 'Stripe Customer Portal page' }) });

export const learnerOrdersResponse = z.strictObject({
  data: z.array(orderViewSchema),
  meta: z.strictObject({ pagination: paginationMetaSchema }),
});

export const learnerOrderResponse = dataOf(orderViewSchema).strict();

export const webhookResponse = z.union([
  z.strictObject({
    received: z.literal(true),
    duplicate: z.literal(false),
    eventId: z.string(),
    state: z.literal('pending').meta({ description: 'Stored in the inbox; applied by a worker right after (its outcome is on the Webhook events tab)' }),
  }),
  z.strictObject({ received: z.literal(true), duplicate: z.literal(true), eventId: z.string() }),
]);

export const adminOrderSchema = z.strictObject({
  id: z.string(),
  status: z.enum(ORDER_STATUSES),
  kind: z.enum(ORDER_KINDS),
  title: z.string().nullable(),
  course: z.string().nullable(),
  plan: z.string().nullable(),
  user: z.strictObject({ id: z.number().int(), email: z.string().nullable(), username: z.string().nullable() }).nullable(),
  amount: z.number().int(),
  currency: z.string(),
  display: z.string().meta({ description: 'Amount for people', example: '19.99 USD' }),
  amountPaid: z.number().int().nullable(),
  amountRefunded: z.number().int(),
  refundedDisplay: z.string(),
  checkoutSessionId: z.string().nullable(),
  paymentIntentId: z.string().nullable(),
  disputeStatus: z.enum(DISPUTE_STATUSES).nullable(),
  refundRequestedAt: isoTime.nullable(),
  refundRequestedBy: z.string().nullable(),
  createdAt: isoTime,
  paidAt: isoTime.nullable(),
  refundable: z.boolean().meta({ description: 'A paid course purchase with a charge and no refund requested yet' }),
});

export const adminOrdersResponse = z.strictObject({ results: z.array(adminOrderSchema), pagination: paginationMetaSchema });

export const adminRefundResponse = dataOf(
  z.strictObject({
    refundId: z.string(),
    status: z.string().nullable().meta({ description: 'Stripe’s refund status (pending, succeeded…)' }),
    alreadyRequested: z.boolean().meta({ description: 'This order’s refund had been requested before: the same refund is answered' }),
  })
).strict();

const nullableIso = isoTime.nullable();
export const adminWebhookEventSchema = z.strictObject({
  eventId: z.string(),
  type: z.string(),
  state: z.enum(WEBHOOK_EVENT_STATES),
  attempts: z.number().int(),
  outcome: z.string().nullable(),
  detail: z.string().nullable(),
  lastError: z.string().nullable(),
  orderingKey: z.string().nullable().meta({ description: 'The Stripe object it is applied in order with', example: 'subscription:sub_123' }),
  objectId: z.string().nullable(),
  created: isoTime.meta({ description: 'Stripe’s `created`' }),
  receivedAt: isoTime,
  processedAt: nullableIso,
  nextAttemptAt: nullableIso,
  requestId: z.string().nullable().meta({ description: 'X-Request-Id of the delivery (the log lines of receipt and apply carry it)' }),
});

export const adminEventsResponse = z.strictObject({
  results: z.array(adminWebhookEventSchema),
  pagination: paginationMetaSchema,
  inbox: z.strictObject({ pending: z.number().int(), dead: z.number().int(), oldestPendingSeconds: z.number() }),
});

export const adminRetryResponse = dataOf(adminWebhookEventSchema).strict();

// The admin panel reads these through the contract: a field changed on either side fails the build.
export const adminShapesMatchTheContract: [
  Same<z.output<typeof adminOrderSchema>, AdminOrder>,
  Same<z.output<typeof adminOrdersResponse>, AdminOrdersResponse>,
  Same<z.output<typeof adminRefundResponse>, AdminRefundResponse>,
  Same<z.output<typeof adminWebhookEventSchema>, AdminWebhookEvent>,
  Same<z.output<typeof adminEventsResponse>, AdminWebhookEventsResponse>,
  Same<z.output<typeof adminRetryResponse>, AdminWebhookRetryResponse>,
] = [true, true, true, true, true, true];
