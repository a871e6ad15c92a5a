import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OrderStatus } from '@kp/platform';
import { decideOrder, disputeOutcome, type OrderEvent, type OrderState } from './orders';

function state(status: OrderStatus, extra: Partial<OrderState> = {}): OrderState {
  return { status, paymentIntentId: null, amountPaid: null, amountRefunded: 0, disputeStatus: null, ...extra };
}

const paid: OrderEvent = { type: 'payment-succeeded', paymentIntentId: 'pi_1', amountPaid: 1999 };
const fullRefund: OrderEvent = { type: 'charge-refunded', amount: 1999, amountRefunded: 1999 };
const partialRefund: OrderEvent = { type: 'charge-refunded', amount: 1999, amountRefunded: 500 };

interface Row {
  name: string;
  from: OrderState;
  event: OrderEvent;
  /** `=reason` for no change, or the status after the change. */
  expect: string;
  access?: 'none' | 'grant' | 'revoke';
  check?: (next: OrderState) => void;
}

const table: Row[] = [
  // Payment
  { name: 'pending + paid → paid, grant', from: state('pending'), event: paid, expect: 'paid', access: 'grant', check: (n) => assert.equal(n.paymentIntentId, 'pi_1') },
  { name: 'replay: paid + paid changes nothing', from: state('paid', { paymentIntentId: 'pi_1' }), event: paid, expect: '=already-paid' },
  { name: 'reordered: refunded + (older) paid keeps refunded', from: state('refunded'), event: paid, expect: '=already-refunded' },
  { name: 'reordered: disputed + (older) paid keeps disputed', from: state('disputed', { disputeStatus: 'open', amountPaid: 1999 }), event: paid, expect: '=already-disputed' },
  { name: 'money arriving after an expiry is honoured', from: state('expired'), event: paid, expect: 'paid', access: 'grant' },
  { name: 'free via promotion code: paid without a PaymentIntent', from: state('pending'), event: { type: 'payment-succeeded', paymentIntentId: null, amountPaid: 0 }, expect: 'paid', access: 'grant', check: (n) => assert.equal(n.amountPaid, 0) },
  // Delayed payment methods
  { name: 'completed but unpaid records the PaymentIntent, stays pending', from: state('pending'), event: { type: 'payment-processing', paymentIntentId: 'pi_2' }, expect: 'pending', access: 'none', check: (n) => assert.equal(n.paymentIntentId, 'pi_2') },
  { name: 'replay of processing changes nothing', from: state('pending', { paymentIntentId: 'pi_2' }), event: { type: 'payment-processing', paymentIntentId: 'pi_2' }, expect: '=already-processing' },
  { name: 'processing after paid is old news', from: state('paid'), event: { type: 'payment-processing', paymentIntentId: 'pi_2' }, expect: '=superseded' },
  { name: 'async failure: pending → failed', from: state('pending'), event: { type: 'payment-failed' }, expect: 'failed', access: 'none' },
  { name: 'async failure replayed', from: state('failed'), event: { type: 'payment-failed' }, expect: '=already-failed' },
  { name: 'async failure cannot undo a payment', from: state('paid'), event: { type: 'payment-failed' }, expect: '=superseded' },
  // Expiry
  { name: 'expiry: pending → expired', from: state('pending'), event: { type: 'session-expired' }, expect: 'expired', access: 'none' },
  { name: 'expiry replayed', from: state('expired'), event: { type: 'session-expired' }, expect: '=already-expired' },
  { name: 'expiry cannot undo a payment', from: state('paid'), event: { type: 'session-expired' }, expect: '=superseded' },
  // Refunds
  { name: 'full refund: paid → refunded, revoke', from: state('paid'), event: fullRefund, expect: 'refunded', access: 'revoke', check: (n) => assert.equal(n.amountRefunded, 1999) },
  { name: 'refund replayed', from: state('refunded', { amountRefunded: 1999 }), event: fullRefund, expect: '=already-refunded' },
  { name: 'refund overtaking the payment event still ends refunded', from: state('pending'), event: fullRefund, expect: 'refunded', access: 'revoke' },
  { name: 'partial refund is recorded, access kept', from: state('paid'), event: partialRefund, expect: 'paid', access: 'none', check: (n) => assert.equal(n.amountRefunded, 500) },
  { name: 'partial refund replayed', from: state('paid', { amountRefunded: 500 }), event: partialRefund, expect: '=already-recorded' },
  { name: 'an older partial-refund event never lowers the total', from: state('paid', { amountRefunded: 800 }), event: partialRefund, expect: '=already-recorded' },
  { name: 'two partial refunds adding up to the charge end refunded', from: state('paid', { amountRefunded: 1000 }), event: { type: 'charge-refunded', amount: 1999, amountRefunded: 1999 }, expect: 'refunded', access: 'revoke' },
  { name: 'refund of a disputed order', from: state('disputed', { disputeStatus: 'open' }), event: fullRefund, expect: 'refunded', access: 'revoke' },
  // Disputes
  { name: 'dispute opened: paid → disputed, access kept meanwhile', from: state('paid'), event: { type: 'dispute-opened' }, expect: 'disputed', access: 'none', check: (n) => assert.equal(n.disputeStatus, 'open') },
  { name: 'dispute opened replayed', from: state('disputed', { disputeStatus: 'open' }), event: { type: 'dispute-opened' }, expect: '=already-disputed' },
  { name: 'dispute lost → revoke', from: state('disputed', { disputeStatus: 'open' }), event: { type: 'dispute-closed', outcome: 'lost' }, expect: 'disputed', access: 'revoke', check: (n) => assert.equal(n.disputeStatus, 'lost') },
  { name: 'dispute lost replayed', from: state('disputed', { disputeStatus: 'lost' }), event: { type: 'dispute-closed', outcome: 'lost' }, expect: '=dispute-already-closed' },
  { name: 'dispute won → paid again, grant (idempotent)', from: state('disputed', { disputeStatus: 'open' }), event: { type: 'dispute-closed', outcome: 'won' }, expect: 'paid', access: 'grant' },
  { name: 'reordered: closed (won) then the older "opened" changes nothing', from: state('paid', { disputeStatus: 'won' }), event: { type: 'dispute-opened' }, expect: '=dispute-already-closed' },
  { name: 'reordered: lost without having seen "opened" still revokes', from: state('paid'), event: { type: 'dispute-closed', outcome: 'lost' }, expect: 'disputed', access: 'revoke' },
  // A dispute overtaking the payment (found by the order id in metadata)
  { name: 'pending + dispute opened → disputed (open)', from: state('pending'), event: { type: 'dispute-opened' }, expect: 'disputed', access: 'none' },
  { name: 'then the payment: recorded, access while the bank decides', from: state('disputed', { disputeStatus: 'open' }), event: paid, expect: 'disputed', access: 'grant', check: (n) => assert.deepEqual([n.paymentIntentId, n.amountPaid], ['pi_1', 1999]) },
  { name: 'a payment after a lost dispute is recorded, gives nothing', from: state('disputed', { disputeStatus: 'lost' }), event: paid, expect: 'disputed', access: 'none' },
  // Failed refunds
  { name: 'a failed full refund: refunded → paid, access back', from: state('refunded', { amountPaid: 1999, amountRefunded: 1999 }), event: { type: 'refund-failed', refundAmount: 1999 }, expect: 'paid', access: 'grant', check: (n) => assert.equal(n.amountRefunded, 0) },
  { name: 'a failed partial refund lowers the total, access unchanged', from: state('paid', { amountPaid: 1999, amountRefunded: 500 }), event: { type: 'refund-failed', refundAmount: 500 }, expect: 'paid', access: 'none', check: (n) => assert.equal(n.amountRefunded, 0) },
  { name: 'a failure that overtook its charge.refunded changes nothing', from: state('paid', { amountPaid: 1999 }), event: { type: 'refund-failed', refundAmount: 1999 }, expect: '=already-recorded' },
  { name: 'a failed refund on a disputed order keeps the dispute', from: state('disputed', { disputeStatus: 'open', amountRefunded: 1999 }), event: { type: 'refund-failed', refundAmount: 1999 }, expect: 'disputed', access: 'none' },
  { name: 'a refunded order ignores disputes', from: state('refunded'), event: { type: 'dispute-closed', outcome: 'lost' }, expect: '=already-refunded' },
];

describe('decideOrder: transitions, replays and reordering', () => {
  for (const row of table) {
    test(row.name, () => {
      const d = decideOrder(row.from, row.event);
      if (row.expect.startsWith('=')) {
        assert.equal(d.changed, false, JSON.stringify(d));
        if (!d.changed) assert.equal(d.reason, row.expect.slice(1));
        return;
      }
      assert.equal(d.changed, true, JSON.stringify(d));
      if (!d.changed) return;
      assert.equal(d.next.status, row.expect);
      assert.equal(d.access.kind, row.access ?? 'none');
      row.check?.(d.next);
    });
  }

  test('every transition applied twice: the second application changes nothing', () => {
    for (const row of table) {
      const first = decideOrder(row.from, row.event);
      if (!first.changed) continue;
      const second = decideOrder(first.next, row.event);
      assert.equal(second.changed, false, `${row.name}: ${JSON.stringify(second)}`);
    }
  });

  test('dispute statuses: only "lost" loses the money', () => {
    assert.equal(disputeOutcome('lost'), 'lost');
    for (const s of ['won', 'warning_closed', 'prevented']) assert.equal(disputeOutcome(s), 'won');
  });
});
