import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStripeEvent, type StripeFact } from './events';

const CREATED = 1_795_000_000;

function event(type: string, object: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { id: 'evt_1', object: 'event', type, created: CREATED, livemode: false, api_version: '2026-10-28.endive', data: { object }, ...extra };
}

const session = (extra: Record<string, unknown> = {}) => ({
  id: 'cs_test_1',
  object: 'checkout.session',
  mode: 'payment',
  payment_status: 'paid',
  status: 'complete',
  client_reference_id: 'order1',
  metadata: { orderId: 'order1' },
  payment_intent: 'pi_1',
  subscription: null,
  customer: 'cus_1',
  amount_total: 1999,
  currency: 'usd',
  ...extra,
});

const subscription = (extra: Record<string, unknown> = {}) => ({
  id: 'sub_1',
  object: 'subscription',
  status: 'active',
  customer: 'cus_1',
  cancel_at_period_end: false,
  cancel_at: null,
  metadata: { userId: '7', planDocumentId: 'plan1', orderId: 'order1' },
  items: { object: 'list', data: [{ id: 'si_1', current_period_end: CREATED + 30 * 86400, price: { id: 'price_1' } }] },
  ...extra,
});

function fact(json: unknown): StripeFact {
  const r = parseStripeEvent(json);
  assert.ok(r.ok, JSON.stringify(r));
  return r.fact;
}

describe('parseStripeEvent: Stripe payloads → facts', () => {
  test('checkout.session.completed (paid) → payment-succeeded with the PaymentIntent', () => {
    const f = fact(event('checkout.session.completed', session()));
    assert.equal(f.kind, 'checkout-session');
    if (f.kind !== 'checkout-session') return;
    assert.equal(f.session.orderId, 'order1');
    assert.deepEqual(f.orderEvent, { type: 'payment-succeeded', paymentIntentId: 'pi_1', amountPaid: 1999 });
  });

  test('expanded references are read by id', () => {
    const f = fact(event('checkout.session.completed', session({ payment_intent: { id: 'pi_9', object: 'payment_intent' }, customer: { id: 'cus_9' } })));
    assert.ok(f.kind === 'checkout-session' && f.session.paymentIntentId === 'pi_9' && f.session.customerId === 'cus_9');
  });

  test('completed but unpaid (delayed method) → payment-processing', () => {
    const f = fact(event('checkout.session.completed', session({ payment_status: 'unpaid' })));
    assert.ok(f.kind === 'checkout-session' && f.orderEvent.type === 'payment-processing');
  });

  test('client_reference_id missing: falls back to metadata.orderId', () => {
    const f = fact(event('checkout.session.completed', session({ client_reference_id: null, metadata: { orderId: 'order2' } })));
    assert.ok(f.kind === 'checkout-session' && f.session.orderId === 'order2');
  });

  const sessionTypes: Array<[string, string]> = [
    ['checkout.session.async_payment_succeeded', 'payment-succeeded'],
    ['checkout.session.async_payment_failed', 'payment-failed'],
    ['checkout.session.expired', 'session-expired'],
  ];
  for (const [type, expected] of sessionTypes) {
    test(`${type} → ${expected}`, () => {
      const f = fact(event(type, session()));
      assert.ok(f.kind === 'checkout-session' && f.orderEvent.type === expected);
    });
  }

  test('customer.subscription.updated → snapshot stamped with the event time, period end from the items', () => {
    const f = fact(event('customer.subscription.updated', subscription({ cancel_at_period_end: true })));
    assert.equal(f.kind, 'subscription');
    if (f.kind !== 'subscription') return;
    assert.deepEqual(f.snapshot, {
      id: 'sub_1',
      status: 'active',
      customerId: 'cus_1',
      currentPeriodEnd: CREATED + 30 * 86400,
      cancelAtPeriodEnd: true,
      priceId: 'price_1',
      metadata: { userId: 7, planDocumentId: 'plan1', orderId: 'order1' },
      observedAt: CREATED,
    });
  });

  test('a subscription whose metadata carries a non-numeric user id links to no user', () => {
    const f = fact(event('customer.subscription.created', subscription({ metadata: { userId: '7 OR 1=1' } })));
    assert.ok(f.kind === 'subscription' && f.snapshot.metadata.userId === null);
  });

  test('invoice.paid → the subscription to re-read', () => {
    const f = fact(event('invoice.paid', { id: 'in_1', object: 'invoice', customer: 'cus_1', parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_1' } } }));
    assert.deepEqual(f, { kind: 'invoice', invoiceId: 'in_1', paid: true, subscriptionId: 'sub_1', notice: null });
  });

  const renewal = (extra: Record<string, unknown> = {}) => ({
    id: 'in_2',
    object: 'invoice',
    customer: 'cus_1',
    parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_1' } },
    hosted_invoice_url: 'https://invoice.stripe.test/i/in_2',
    amount_due: 900,
    currency: 'usd',
    billing_reason: 'subscription_cycle',
    attempt_count: 1,
    next_payment_attempt: CREATED + 86400,
    ...extra,
  });
  const notices: Array<[string, string | null]> = [
    ['invoice.payment_failed', 'payment-failed'],
    ['invoice.payment_action_required', 'action-required'],
    ['invoice.voided', null],
    ['invoice.marked_uncollectible', null],
    ['invoice.paid', null],
  ];
  for (const [type, notice] of notices) {
    test(`${type} → re-read the subscription; learner notice: ${notice ?? 'none'}`, () => {
      const f = fact(event(type, renewal()));
      assert.equal(f.kind, 'invoice');
      if (f.kind !== 'invoice') return;
      assert.equal(f.subscriptionId, 'sub_1');
      assert.equal(f.notice?.kind ?? null, notice);
      if (f.notice) {
        assert.deepEqual(f.notice, { kind: notice, invoiceId: 'in_2', customerId: 'cus_1', hostedInvoiceUrl: 'https://invoice.stripe.test/i/in_2', amountDue: 900, currency: 'usd', billingReason: 'subscription_cycle', attemptCount: 1, nextPaymentAttempt: CREATED + 86400 });
      }
    });
  }

  const refunds: Array<[string, string, boolean]> = [
    ['refund.failed', 'failed', true],
    ['charge.refund.updated', 'failed', true],
    ['refund.updated', 'failed', true],
    ['charge.refund.updated', 'succeeded', false],
    ['charge.refund.updated', 'canceled', false],
  ];
  for (const [type, status, failed] of refunds) {
    test(`${type} (${status}) → refund fact, failed: ${failed}`, () => {
      const f = fact(event(type, { id: 're_1', object: 'refund', amount: 1999, status, charge: 'ch_1', payment_intent: 'pi_1', metadata: { orderId: 'order1' } }));
      assert.deepEqual(f, { kind: 'refund', refundId: 're_1', status, failed, amount: 1999, chargeId: 'ch_1', paymentIntentId: 'pi_1', orderId: 'order1' });
    });
  }

  test('a refund from the Dashboard: the order id comes from the expanded charge', () => {
    const f = fact(event('refund.failed', { id: 're_1', object: 'refund', amount: 500, status: 'failed', charge: { id: 'ch_1', object: 'charge', metadata: { orderId: 'order9' } }, payment_intent: 'pi_1', metadata: {} }));
    assert.equal(f.kind === 'refund' && f.orderId, 'order9');
  });

  test('customer.deleted → the customer id to forget', () => {
    assert.deepEqual(fact(event('customer.deleted', { id: 'cus_1', object: 'customer', deleted: true })), { kind: 'customer-deleted', customerId: 'cus_1' });
  });

  for (const type of ['customer.subscription.pending_update_applied', 'customer.subscription.pending_update_expired']) {
    test(`${type} → a subscription snapshot like any other`, () => {
      const f = fact(event(type, subscription()));
      assert.equal(f.kind, 'subscription');
    });
  }

  test('acknowledged types say why; an unknown type is ignored', () => {
    assert.deepEqual(fact(event('payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent' })), { kind: 'acknowledged', reason: 'the Checkout Session event settles the order' });
    assert.deepEqual(fact(event('constructor', { id: 'x_1', object: 'x' })), { kind: 'unhandled' }, 'not read from the prototype');
  });

  test('charge.refunded → refund totals and the PaymentIntent', () => {
    const f = fact(event('charge.refunded', { id: 'ch_1', object: 'charge', amount: 1999, amount_refunded: 1999, currency: 'usd', payment_intent: 'pi_1', metadata: { orderId: 'order1' } }));
    assert.deepEqual(f, { kind: 'charge', chargeId: 'ch_1', paymentIntentId: 'pi_1', orderId: 'order1', orderEvent: { type: 'charge-refunded', amount: 1999, amountRefunded: 1999 } });
  });

  const disputes: Array<[string, string, string]> = [
    ['charge.dispute.created', 'needs_response', 'dispute-opened'],
    ['charge.dispute.closed', 'lost', 'dispute-closed:lost'],
    ['charge.dispute.closed', 'won', 'dispute-closed:won'],
    ['charge.dispute.closed', 'warning_closed', 'dispute-closed:won'],
    ['charge.dispute.updated', 'under_review', 'dispute-opened'],
    ['charge.dispute.updated', 'lost', 'dispute-closed:lost'],
    ['charge.dispute.funds_withdrawn', 'needs_response', 'dispute-opened'],
    ['charge.dispute.funds_reinstated', 'won', 'dispute-closed:won'],
  ];
  for (const [type, status, expected] of disputes) {
    test(`${type} (${status}) → ${expected}`, () => {
      const f = fact(event(type, { id: 'dp_1', object: 'dispute', charge: 'ch_1', payment_intent: 'pi_1', status, amount: 1999 }));
      assert.equal(f.kind, 'dispute');
      if (f.kind !== 'dispute') return;
      const label = f.orderEvent.type === 'dispute-closed' ? `dispute-closed:${f.orderEvent.outcome}` : f.orderEvent.type;
      assert.equal(label, expected);
      assert.equal(f.orderId, null, 'a dispute payload carries no order id unless expanded');
    });
  }

  test('a dispute finds its order through metadata, like refunds', () => {
    const f = fact(event('charge.dispute.created', { id: 'dp_1', object: 'dispute', charge: { id: 'ch_1', object: 'charge', metadata: { orderId: 'order1' } }, payment_intent: 'pi_1', status: 'needs_response' }));
    assert.deepEqual(f.kind === 'dispute' && [f.orderId, f.chargeId, f.paymentIntentId], ['order1', 'ch_1', 'pi_1']);
  });

  test('an unknown type is acknowledged as unhandled', () => {
    assert.deepEqual(fact(event('payout.paid', { id: 'po_1', object: 'payout' })), { kind: 'unhandled' });
  });

  const malformed: Array<[string, unknown]> = [
    ['not an object', 'hello'],
    ['null', null],
    ['no id', { object: 'event', type: 'x', created: 1, data: { object: { id: 'x' } } }],
    ['not an event', { ...event('payout.paid', { id: 'po_1' }), object: 'charge' }],
    ['no data.object', { id: 'evt', object: 'event', type: 'x', created: 1, data: {} }],
    ['negative created', event('payout.paid', { id: 'po_1' }, { created: -5 })],
    ['a session with an unknown payment_status', event('checkout.session.completed', session({ payment_status: 'maybe' }))],
    ['a subscription with an unknown status', event('customer.subscription.updated', subscription({ status: 'exploded' }))],
    ['a charge without amounts', event('charge.refunded', { id: 'ch_1', object: 'charge', currency: 'usd' })],
    ['a charge event carrying a session', event('charge.refunded', session())],
    ['a refund without an amount', event('refund.failed', { id: 're_1', object: 'refund', status: 'failed' })],
    ['customer.deleted carrying a session', event('customer.deleted', session())],
  ];
  for (const [name, json] of malformed) {
    test(`malformed: ${name}`, () => {
      const r = parseStripeEvent(json);
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.reason, 'malformed-event');
    });
  }
});
