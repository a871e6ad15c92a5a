/**
 * Stripe events (already signature-checked JSON) reduced to the facts this plugin acts on. Only
 * the fields we use are read, through zod, so a payload of an unexpected shape is refused whole
 * instead of being half-applied. Shapes follow the API version the SDK pins (2026-10-28): a
 * subscription's period end lives on its items, an invoice's subscription under
 * `parent.subscription_details`.
 */
import { z } from 'zod';
import { disputeOutcome, type OrderEvent } from './orders';
import { isSubscriptionStatus, type SubscriptionSnapshot } from './subscriptions';

/** An expandable reference: Stripe sends an id, or the object when expanded. */
const ref = z
  .union([z.string(), z.object({ id: z.string() })])
  .nullish()
  .transform((v) => (v == null ? null : typeof v === 'string' ? v : v.id));

const metadata = z
  .record(z.string(), z.string())
  .nullish()
  .transform((m) => m ?? {});

const envelope = z.object({
  id: z.string().min(1).max(255),
  object: z.literal('event'),
  type: z.string().min(1).max(255),
  created: z.number().int().nonnegative(),
  livemode: z.boolean().default(false),
  data: z.object({ object: z.object({ id: z.string().min(1).max(255) }).loose() }),
});

const checkoutSession = z.object({
  id: z.string(),
  object: z.literal('checkout.session'),
  mode: z.enum(['payment', 'subscription', 'setup']),
  payment_status: z.enum(['paid', 'unpaid', 'no_payment_required']),
  client_reference_id: z.string().nullish(),
  metadata,
  payment_intent: ref,
  subscription: ref,
  customer: ref,
  amount_total: z.number().int().nullish(),
  currency: z.string().nullish(),
});

const subscription = z.object({
  id: z.string(),
  object: z.literal('subscription'),
  status: z.string().refine(isSubscriptionStatus, 'unknown subscription status'),
  customer: ref,
  cancel_at_period_end: z.boolean().default(false),
  cancel_at: z.number().int().nullish(),
  metadata,
  items: z
    .object({
      data: z.array(
        z.object({
          current_period_end: z.number().int().nullish(),
          price: z.object({ id: z.string() }).nullish(),
        })
      ),
    })
    .nullish(),
});

const invoice = z.object({
  id: z.string(),
  object: z.literal('invoice'),
  customer: ref,
  parent: z
    .object({ subscription_details: z.object({ subscription: ref }).nullish() })
    .nullish(),
  hosted_invoice_url: z.string().nullish(),
  amount_due: z.number().int().nullish(),
  currency: z.string().nullish(),
  billing_reason: z.string().nullish(),
  attempt_count: z.number().int().nullish(),
  next_payment_attempt: z.number().int().nullish(),
});

const charge = z.object({
  id: z.string(),
  object: z.literal('charge'),
  amount: z.number().int().nonnegative(),
  amount_refunded: z.number().int().nonnegative(),
  currency: z.string(),
  payment_intent: ref,
  metadata,
});

/** An expandable reference whose expanded form may carry our metadata (a charge, a PaymentIntent). */
const refWithMetadata = z
  .union([z.string(), z.object({ id: z.string(), metadata }).loose()])
  .nullish()
  .transform((v) => (v == null ? { id: null, orderId: null } : typeof v === 'string' ? { id: v, orderId: null } : { id: v.id, orderId: v.metadata.orderId ?? null }));

const dispute = z.object({
  id: z.string(),
  object: z.literal('dispute'),
  charge: refWithMetadata,
  payment_intent: refWithMetadata,
  status: z.string(),
  metadata,
});

const refund = z.object({
  id: z.string(),
  object: z.literal('refund'),
  amount: z.number().int().nonnegative(),
  status: z.string().nullish(),
  charge: refWithMetadata,
  payment_intent: refWithMetadata,
  metadata,
});

const customer = z.object({ id: z.string(), object: z.literal('customer') });

export interface EventEnvelope {
  id: string;
  type: string;
  /** Unix seconds, Stripe's clock. */
  created: number;
  livemode: boolean;
  objectId: string;
}

/** The Checkout Session fields that link an event back to our order. */
export interface SessionFacts {
  sessionId: string;
  mode: 'payment' | 'subscription' | 'setup';
  /** Our order's documentId, from `client_reference_id` (or metadata as a fallback). */
  orderId: string | null;
  paymentIntentId: string | null;
  subscriptionId: string | null;
  customerId: string | null;
  amountTotal: number | null;
  currency: string | null;
}

export type StripeFact =
  | { kind: 'checkout-session'; session: SessionFacts; orderEvent: OrderEvent }
  | { kind: 'subscription'; snapshot: SubscriptionSnapshot }
  | { kind: 'trial-will-end'; snapshot: SubscriptionSnapshot; trialEnd: number | null }
  | { kind: 'invoice'; invoiceId: string; paid: boolean; subscriptionId: string | null; notice: InvoiceNotice | null }
  | { kind: 'charge'; chargeId: string; paymentIntentId: string | null; orderId: string | null; orderEvent: OrderEvent }
  | { kind: 'dispute'; disputeId: string; paymentIntentId: string | null; chargeId: string | null; orderId: string | null; orderEvent: OrderEvent }
  /** A refund changed state; `failed`: Stripe could not return the money (access comes back). */
  | { kind: 'refund'; refundId: string; status: string | null; failed: boolean; amount: number; chargeId: string | null; paymentIntentId: string | null; orderId: string | null }
  | { kind: 'customer-deleted'; customerId: string }
  /** A type a real integration receives and needs no action from us: answered 2xx, recorded with why. */
  | { kind: 'acknowledged'; reason: string }
  | { kind: 'unhandled' };

/** A renewal the learner must act on: the payment failed, or the bank asks for authentication (3-D Secure). */
export interface InvoiceNotice {
  kind: 'payment-failed' | 'action-required';
  invoiceId: string;
  customerId: string | null;
  /** Stripe's hosted page where the learner pays or authenticates the invoice. */
  hostedInvoiceUrl: string | null;
  amountDue: number | null;
  currency: string | null;
  /** `subscription_create` (the first invoice, paid in Checkout), `subscription_cycle` (a renewal)… */
  billingReason: string | null;
  attemptCount: number | null;
  /** Unix seconds of Stripe's next automatic attempt, when one is scheduled. */
  nextPaymentAttempt: number | null;
}

export type ParsedEvent =
  | { ok: true; envelope: EventEnvelope; fact: StripeFact }
  | { ok: false; reason: 'malformed-event'; detail: string };

/** Event types this plugin acts on; anything else is acknowledged and recorded as ignored. */
export const HANDLED_EVENT_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'customer.subscription.trial_will_end',
  'customer.subscription.pending_update_applied',
  'customer.subscription.pending_update_expired',
  'customer.deleted',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.payment_action_required',
  'invoice.voided',
  'invoice.marked_uncollectible',
  'charge.refunded',
  'charge.refund.updated',
  'refund.updated',
  'refund.failed',
  'charge.dispute.created',
  'charge.dispute.updated',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.funds_reinstated',
  'charge.dispute.closed',
] as const;

/**
 * Types a real integration receives that need nothing from us, each with why: answered 2xx and
 * recorded `acknowledged` (any other unknown type is recorded `ignored`).
 */
export const ACKNOWLEDGED_EVENT_TYPES: Readonly<Record<string, string>> = {
  'charge.succeeded': 'the Checkout Session event settles the order',
  'charge.captured': 'the Checkout Session event settles the order',
  'charge.updated': 'the Checkout Session event settles the order',
  'charge.pending': 'checkout.session.completed records a delayed payment',
  'charge.failed': 'a failed card payment leaves the session open; its expiry closes the order',
  'charge.expired': 'the Checkout Session event settles the order',
  'payment_intent.created': 'the Checkout Session event settles the order',
  'payment_intent.succeeded': 'the Checkout Session event settles the order',
  'payment_intent.processing': 'checkout.session.completed records a delayed payment',
  'payment_intent.payment_failed': 'checkout.session.async_payment_failed closes the order',
  'payment_intent.requires_action': 'Checkout asks the learner itself; renewals: invoice.payment_action_required',
  'payment_intent.canceled': 'checkout.session.expired closes the order',
  'payment_intent.amount_capturable_updated': 'payments are captured at once',
  'payment_method.attached': 'payment methods live at Stripe',
  'payment_method.detached': 'payment methods live at Stripe',
  'payment_method.updated': 'payment methods live at Stripe',
  'payment_method.automatically_updated': 'payment methods live at Stripe',
  'setup_intent.created': 'payment methods live at Stripe',
  'setup_intent.succeeded': 'payment methods live at Stripe',
  'customer.created': 'the platform creates customers itself',
  'customer.updated': 'the platform keeps only the customer id',
  'customer.discount.created': 'Stripe computes discounts on its invoices',
  'customer.discount.updated': 'Stripe computes discounts on its invoices',
  'customer.discount.deleted': 'Stripe computes discounts on its invoices',
  'invoice.created': 'only a paid, failed, voided or uncollectible invoice changes access',
  'invoice.finalized': 'only a paid, failed, voided or uncollectible invoice changes access',
  'invoice.finalization_failed': 'the subscription events say what became of it',
  'invoice.updated': 'only a paid, failed, voided or uncollectible invoice changes access',
  'invoice.upcoming': 'Stripe reminds the learner itself when configured to',
  'invoice.sent': 'Stripe sent the invoice itself',
  'invoice.overdue': 'the subscription events say what became of it',
  'invoice.will_be_due': 'the subscription events say what became of it',
  'invoice.payment_succeeded': 'invoice.paid applies the same payment',
  'invoiceitem.created': 'only invoices change access',
  'invoiceitem.updated': 'only invoices change access',
  'invoiceitem.deleted': 'only invoices change access',
  'refund.created': 'charge.refunded applies the refund',
  'charge.refund.created': 'charge.refunded applies the refund',
  'radar.early_fraud_warning.created': 'a dispute event follows if the bank opens one',
  'radar.early_fraud_warning.updated': 'a dispute event follows if the bank opens one',
  'billing_portal.session.created': 'the portal\'s changes arrive as subscription events',
  'billing_portal.configuration.created': 'the portal\'s changes arrive as subscription events',
  'billing_portal.configuration.updated': 'the portal\'s changes arrive as subscription events',
  'product.created': 'the catalogue is the platform\'s',
  'product.updated': 'the catalogue is the platform\'s',
  'product.deleted': 'the catalogue is the platform\'s',
  'price.created': 'the catalogue is the platform\'s',
  'price.updated': 'the catalogue is the platform\'s',
  'price.deleted': 'the catalogue is the platform\'s',
  'plan.created': 'the catalogue is the platform\'s',
  'plan.updated': 'the catalogue is the platform\'s',
  'plan.deleted': 'the catalogue is the platform\'s',
  'coupon.created': 'coupons are managed from the platform',
  'coupon.updated': 'coupons are managed from the platform',
  'coupon.deleted': 'coupons are managed from the platform',
  'promotion_code.created': 'coupons are managed from the platform',
  'promotion_code.updated': 'coupons are managed from the platform',
};

/** Stripe's dispute statuses that mean the bank has decided. */
const CLOSED_DISPUTE = new Set(['won', 'lost', 'warning_closed', 'prevented']);

/** What a dispute event means for the order, from its type and the dispute's status. */
export function disputeOrderEvent(type: string, status: string): OrderEvent {
  switch (type) {
    case 'charge.dispute.closed':
      return { type: 'dispute-closed', outcome: disputeOutcome(status) };
    case 'charge.dispute.funds_reinstated':
      // Stripe gives the money back after a dispute closed in our favour.
      return { type: 'dispute-closed', outcome: 'won' };
    case 'charge.dispute.updated':
      // An update can be the first we hear of a dispute (events reordered), or carry its end.
      return CLOSED_DISPUTE.has(status) ? { type: 'dispute-closed', outcome: disputeOutcome(status) } : { type: 'dispute-opened' };
    default:
      // created, funds_withdrawn: the dispute is open.
      return { type: 'dispute-opened' };
  }
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

function sessionOrderEvent(type: string, s: z.infer<typeof checkoutSession>): OrderEvent {
  const paymentIntentId = s.payment_intent;
  switch (type) {
    case 'checkout.session.completed':
      // `unpaid` on completion means a delayed payment method: wait for async_payment_succeeded.
      return s.payment_status === 'unpaid'
        ? { type: 'payment-processing', paymentIntentId }
        : { type: 'payment-succeeded', paymentIntentId, amountPaid: s.amount_total ?? null };
    case 'checkout.session.async_payment_succeeded':
      return { type: 'payment-succeeded', paymentIntentId, amountPaid: s.amount_total ?? null };
    case 'checkout.session.async_payment_failed':
      return { type: 'payment-failed' };
    default:
      return { type: 'session-expired' };
  }
}

function positiveInt(value: string | undefined): number | null {
  if (!value || !/^[1-9][0-9]{0,15}$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

/** A subscription object reduced to a snapshot stamped with `observedAt` (unix seconds). */
export function toSubscriptionSnapshot(object: unknown, observedAt: number): SubscriptionSnapshot | { error: string } {
  const parsed = subscription.safeParse(object);
  if (!parsed.success) return { error: describe(parsed.error) };
  const sub = parsed.data;
  const items = sub.items?.data ?? [];
  const ends = items.map((i) => i.current_period_end).filter((v): v is number => typeof v === 'number');
  return {
    id: sub.id,
    status: sub.status as SubscriptionSnapshot['status'],
    customerId: sub.customer,
    // With several items the subscription is paid up to the earliest period end.
    currentPeriodEnd: ends.length ? ends.reduce((a, b) => Math.min(a, b)) : null,
    // The portal's "cancel at period end" is sent as cancel_at in recent API versions.
    cancelAtPeriodEnd: sub.cancel_at_period_end || sub.cancel_at != null,
    priceId: items[0]?.price?.id ?? null,
    metadata: {
      userId: positiveInt(sub.metadata.userId),
      planDocumentId: sub.metadata.planDocumentId ?? null,
      orderId: sub.metadata.orderId ?? null,
    },
    observedAt,
  };
}

/** Reads a verified Stripe event into the fact this plugin acts on. */
export function parseStripeEvent(json: unknown): ParsedEvent {
  const env = envelope.safeParse(json);
  if (!env.success) return { ok: false, reason: 'malformed-event', detail: describe(env.error) };
  const e = env.data;
  const object = e.data.object;
  const envelopeOut: EventEnvelope = { id: e.id, type: e.type, created: e.created, livemode: e.livemode, objectId: object.id };
  const fail = (error: z.ZodError | string): ParsedEvent => ({
    ok: false,
    reason: 'malformed-event',
    detail: `${e.type}: ${typeof error === 'string' ? error : describe(error)}`,
  });

  switch (e.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired': {
      const s = checkoutSession.safeParse(object);
      if (!s.success) return fail(s.error);
      const d = s.data;
      const session: SessionFacts = {
        sessionId: d.id,
        mode: d.mode,
        orderId: d.client_reference_id ?? d.metadata.orderId ?? null,
        paymentIntentId: d.payment_intent,
        subscriptionId: d.subscription,
        customerId: d.customer,
        amountTotal: d.amount_total ?? null,
        currency: d.currency ?? null,
      };
      return { ok: true, envelope: envelopeOut, fact: { kind: 'checkout-session', session, orderEvent: sessionOrderEvent(e.type, d) } };
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
    case 'customer.subscription.paused':
    case 'customer.subscription.resumed':
    case 'customer.subscription.pending_update_applied':
    case 'customer.subscription.pending_update_expired': {
      const snap = toSubscriptionSnapshot(object, e.created);
      if ('error' in snap) return fail(snap.error);
      return { ok: true, envelope: envelopeOut, fact: { kind: 'subscription', snapshot: snap } };
    }
    case 'customer.subscription.trial_will_end': {
      const snap = toSubscriptionSnapshot(object, e.created);
      if ('error' in snap) return fail(snap.error);
      const trialEnd = z.object({ trial_end: z.number().int().nullish() }).safeParse(object);
      return { ok: true, envelope: envelopeOut, fact: { kind: 'trial-will-end', snapshot: snap, trialEnd: trialEnd.success ? (trialEnd.data.trial_end ?? null) : null } };
    }
    case 'invoice.paid':
    case 'invoice.payment_failed':
    case 'invoice.payment_action_required':
    case 'invoice.voided':
    case 'invoice.marked_uncollectible': {
      const inv = invoice.safeParse(object);
      if (!inv.success) return fail(inv.error);
      const d = inv.data;
      const noticeKind = e.type === 'invoice.payment_failed' ? 'payment-failed' : e.type === 'invoice.payment_action_required' ? 'action-required' : null;
      return {
        ok: true,
        envelope: envelopeOut,
        fact: {
          kind: 'invoice',
          invoiceId: d.id,
          paid: e.type === 'invoice.paid',
          subscriptionId: d.parent?.subscription_details?.subscription ?? null,
          notice: noticeKind
            ? {
                kind: noticeKind,
                invoiceId: d.id,
                customerId: d.customer,
                hostedInvoiceUrl: d.hosted_invoice_url ?? null,
                amountDue: d.amount_due ?? null,
                currency: d.currency ?? null,
                billingReason: d.billing_reason ?? null,
                attemptCount: d.attempt_count ?? null,
                nextPaymentAttempt: d.next_payment_attempt ?? null,
              }
            : null,
        },
      };
    }
    case 'charge.refunded': {
      const c = charge.safeParse(object);
      if (!c.success) return fail(c.error);
      return {
        ok: true,
        envelope: envelopeOut,
        fact: {
          kind: 'charge',
          chargeId: c.data.id,
          paymentIntentId: c.data.payment_intent,
          orderId: c.data.metadata.orderId ?? null,
          orderEvent: { type: 'charge-refunded', amount: c.data.amount, amountRefunded: c.data.amount_refunded },
        },
      };
    }
    case 'charge.dispute.created':
    case 'charge.dispute.updated':
    case 'charge.dispute.funds_withdrawn':
    case 'charge.dispute.funds_reinstated':
    case 'charge.dispute.closed': {
      const d = dispute.safeParse(object);
      if (!d.success) return fail(d.error);
      const x = d.data;
      return {
        ok: true,
        envelope: envelopeOut,
        fact: {
          kind: 'dispute',
          disputeId: x.id,
          paymentIntentId: x.payment_intent.id,
          chargeId: x.charge.id,
          // Like refunds: the order id our session put in metadata, wherever the payload carries it.
          orderId: x.metadata.orderId ?? x.charge.orderId ?? x.payment_intent.orderId ?? null,
          orderEvent: disputeOrderEvent(e.type, x.status),
        },
      };
    }
    case 'charge.refund.updated':
    case 'refund.updated':
    case 'refund.failed': {
      const r = refund.safeParse(object);
      if (!r.success) return fail(r.error);
      const x = r.data;
      return {
        ok: true,
        envelope: envelopeOut,
        fact: {
          kind: 'refund',
          refundId: x.id,
          status: x.status ?? null,
          failed: e.type === 'refund.failed' || x.status === 'failed',
          amount: x.amount,
          chargeId: x.charge.id,
          paymentIntentId: x.payment_intent.id,
          orderId: x.metadata.orderId ?? x.charge.orderId ?? x.payment_intent.orderId ?? null,
        },
      };
    }
    case 'customer.deleted': {
      const c = customer.safeParse(object);
      if (!c.success) return fail(c.error);
      return { ok: true, envelope: envelopeOut, fact: { kind: 'customer-deleted', customerId: c.data.id } };
    }
    default: {
      const reason = Object.hasOwn(ACKNOWLEDGED_EVENT_TYPES, e.type) ? ACKNOWLEDGED_EVENT_TYPES[e.type] : undefined;
      return { ok: true, envelope: envelopeOut, fact: reason ? { kind: 'acknowledged', reason } : { kind: 'unhandled' } };
    }
  }
}
