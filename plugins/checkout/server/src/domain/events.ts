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

const dispute = z.object({
  id: z.string(),
  object: z.literal('dispute'),
  charge: ref,
  payment_intent: ref,
  status: z.string(),
});

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
  | { kind: 'invoice'; invoiceId: string; paid: boolean; subscriptionId: string | null }
  | { kind: 'charge'; chargeId: string; paymentIntentId: string | null; orderId: string | null; orderEvent: OrderEvent }
  | { kind: 'dispute'; disputeId: string; paymentIntentId: string | null; chargeId: string | null; orderEvent: OrderEvent }
  | { kind: 'unhandled' };

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
  'invoice.paid',
  'invoice.payment_failed',
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.closed',
] as const;

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
    case 'customer.subscription.resumed': {
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
    case 'invoice.payment_failed': {
      const inv = invoice.safeParse(object);
      if (!inv.success) return fail(inv.error);
      return {
        ok: true,
        envelope: envelopeOut,
        fact: {
          kind: 'invoice',
          invoiceId: inv.data.id,
          paid: e.type === 'invoice.paid',
          subscriptionId: inv.data.parent?.subscription_details?.subscription ?? null,
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
    case 'charge.dispute.closed': {
      const d = dispute.safeParse(object);
      if (!d.success) return fail(d.error);
      const orderEvent: OrderEvent =
        e.type === 'charge.dispute.created'
          ? { type: 'dispute-opened' }
          : { type: 'dispute-closed', outcome: disputeOutcome(d.data.status) };
      return {
        ok: true,
        envelope: envelopeOut,
        fact: { kind: 'dispute', disputeId: d.data.id, paymentIntentId: d.data.payment_intent, chargeId: d.data.charge, orderEvent },
      };
    }
    default:
      return { ok: true, envelope: envelopeOut, fact: { kind: 'unhandled' } };
  }
}
