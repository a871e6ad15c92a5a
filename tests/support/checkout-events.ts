/**
 * Stripe-shaped webhook events for the checkout tests and benchmark, signed with the SDK's own
 * test-header helper and the configured secret, and posted like Stripe posts them.
 */
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import type request from 'supertest';
import type { TestApp } from './strapi';
import type { StripeObject } from './fake-stripe';

export interface StripeEventJson {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
  data: { object: Record<string, unknown> };
}

/** An event envelope around `object`; `created` (unix seconds) defaults to now. */
export function stripeEvent(type: string, object: StripeObject | Record<string, unknown>, options: { id?: string; created?: number } = {}): StripeEventJson {
  return {
    id: options.id ?? `evt_test_${randomBytes(12).toString('hex')}`,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: options.created ?? Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object: JSON.parse(JSON.stringify(object)) as Record<string, unknown> },
  };
}

/** The `Stripe-Signature` header Stripe would send for this exact payload. */
export function signatureHeader(payload: string, secret: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp ? { timestamp } : {}) });
}

export interface PostOptions {
  secret: string;
  /** Override the header (null: send none). */
  header?: string | null;
  contentType?: string;
}

/** Posts an event (or a raw payload string) to the webhook as Stripe does. */
export function postWebhook(app: TestApp, event: StripeEventJson | string, options: PostOptions): request.Test {
  const payload = typeof event === 'string' ? event : JSON.stringify(event);
  const header = options.header === undefined ? signatureHeader(payload, options.secret) : options.header;
  let req = app
    .http()
    .post('/api/checkout/webhook')
    .set('content-type', options.contentType ?? 'application/json; charset=utf-8')
    .set('user-agent', 'Stripe/1.0 (+https://stripe.com/docs/webhooks)');
  if (header !== null) req = req.set('stripe-signature', header);
  return req.send(payload);
}

/** The charge id the fake's `chargeFor` gives a paid session. */
const chargeIdOf = (session: StripeObject) => `ch_for_${String(session.payment_intent)}`;

/**
 * A refund of a paid session as `charge.refund.updated` / `refund.updated` / `refund.failed`
 * carry it. Dashboard refunds carry no metadata of ours: the order is found by its PaymentIntent.
 */
export function refundFor(session: StripeObject, options: { id?: string; amount?: number; status?: 'failed' | 'succeeded' | 'pending' | 'canceled' } = {}): StripeObject {
  return {
    id: options.id ?? `re_test_${randomBytes(8).toString('hex')}`,
    object: 'refund',
    amount: options.amount ?? Number(session.amount_total),
    currency: String(session.currency),
    charge: chargeIdOf(session),
    payment_intent: session.payment_intent,
    status: options.status ?? 'failed',
    failure_reason: options.status === 'failed' || options.status === undefined ? 'expired_or_canceled_card' : null,
    metadata: {},
  };
}

/**
 * A dispute of a paid session, as Stripe sends it: ids only, no order of ours, unless
 * `expandedCharge` (the charge expanded, with the metadata our session put on the payment).
 */
export function disputeFor(session: StripeObject, status: string, options: { expandedCharge?: boolean } = {}): StripeObject {
  const charge = options.expandedCharge ? { id: chargeIdOf(session), object: 'charge', metadata: (session.metadata as Record<string, string> | undefined) ?? {} } : chargeIdOf(session);
  return { id: `dp_for_${String(session.payment_intent)}`, object: 'dispute', amount: Number(session.amount_total), currency: String(session.currency), charge, payment_intent: session.payment_intent, status, reason: 'fraudulent', metadata: {} };
}

/** An invoice of a subscription (a renewal unless `billingReason` says otherwise), with its hosted page. */
export function subscriptionInvoice(subscriptionId: string, customer: unknown, options: { id?: string; billingReason?: string; amountDue?: number; nextPaymentAttempt?: number | null; status?: string } = {}): StripeObject {
  const id = options.id ?? `in_test_${randomBytes(8).toString('hex')}`;
  return {
    id,
    object: 'invoice',
    customer,
    status: options.status ?? 'open',
    amount_due: options.amountDue ?? 900,
    currency: 'usd',
    billing_reason: options.billingReason ?? 'subscription_cycle',
    attempt_count: 1,
    next_payment_attempt: options.nextPaymentAttempt === undefined ? Math.floor(Date.now() / 1000) + 3 * 86400 : options.nextPaymentAttempt,
    hosted_invoice_url: `https://invoice.stripe.test/i/${id}`,
    parent: { type: 'subscription_details', subscription_details: { subscription: subscriptionId } },
  };
}

/** What `customer.deleted` carries. */
export function deletedCustomer(customerId: string): StripeObject {
  return { id: customerId, object: 'customer', deleted: true, email: null, metadata: {} };
}

/** A subscription of another app on the same Stripe account: a customer and a price we never made. */
export function foreignSubscription(): StripeObject {
  const end = Math.floor(Date.now() / 1000) + 30 * 86400;
  return {
    id: `sub_test_${randomBytes(8).toString('hex')}`,
    object: 'subscription',
    status: 'active',
    customer: `cus_test_${randomBytes(8).toString('hex')}`,
    cancel_at_period_end: false,
    cancel_at: null,
    metadata: {},
    items: { object: 'list', data: [{ id: 'si_x', current_period_end: end, price: { id: `price_test_${randomBytes(6).toString('hex')}` } }] },
  };
}
