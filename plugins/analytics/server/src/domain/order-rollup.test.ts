import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contributionDelta, decodeContribution, encodeContribution, orderContribution, type OrderSnapshot } from './order-rollup';

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const t0 = Date.UTC(2026, 0, 10, 12);
const order = (over: Partial<OrderSnapshot> = {}): OrderSnapshot => ({
  currency: 'usd',
  courseDocumentId: 'c1',
  state: 'pending',
  amount: 4900,
  amountPaid: null,
  amountRefunded: 0,
  disputeStatus: null,
  createdAt: t0,
  paidAt: null,
  closedAt: null,
  lastEventAt: null,
  ...over,
});

test('each order state contributes to the cells of the day it happened', () => {
  const cases: Array<[string, OrderSnapshot, Array<[string, string, Record<string, number>]>]> = [
    ['pending: a started session', order(), [['2026-01-10', '', { started: 1, completed: 0, paid: 0, refunded: 0, expired: 0, failed: 0, pending: 1 }]]],
    ['expired', order({ state: 'expired', closedAt: t0 + DAY }), [['2026-01-10', '', { started: 1, expired: 1 }]]],
    ['failed counts as completed', order({ state: 'failed' }), [['2026-01-10', '', { started: 1, completed: 1, failed: 1 }]]],
    ['paid the next day', order({ state: 'paid', amountPaid: 4500, paidAt: t0 + DAY }), [['2026-01-10', '', { started: 1, completed: 1, paid: 1 }], ['2026-01-11', '', { orders: 1, gross: 4500 }]]],
    [
      'refunded in a later month (closedAt)',
      order({ state: 'refunded', amountPaid: 4900, paidAt: t0, amountRefunded: 4900, closedAt: t0 + 30 * DAY, lastEventAt: t0 + 31 * DAY }),
      [['2026-01-10', '', { orders: 1, gross: 4900, started: 1, completed: 1, paid: 1, refunded: 1 }], ['2026-02-09', '', { refunds: 4900, refund_n: 1 }]],
    ],
    [
      'partial refund at the last event, then a lost dispute for the rest',
      order({ state: 'disputed', amountPaid: 4900, paidAt: t0, amountRefunded: 1000, lastEventAt: t0 + 2 * DAY, disputeStatus: 'lost' }),
      [['2026-01-10', '', { orders: 1, gross: 4900, started: 1, completed: 1, paid: 1, refunded: 1 }], ['2026-01-12', '', { refunds: 1000, refund_n: 1, disputes: 3900, dispute_n: 1 }]],
    ],
    ['a plan order has no course', order({ courseDocumentId: null, paidAt: t0, state: 'paid' }), [['2026-01-10', '', { orders: 1, gross: 4900, started: 1, completed: 1, paid: 1 }]]],
  ];
  for (const [name, o, expected] of cases) {
    const cells = orderContribution(o, dayOf);
    const got = cells.map((c) => [c.day, c.course === 'c1' || c.course === '' ? '' : c.course, Object.fromEntries(Object.entries(c.measures).filter(([, v]) => v !== 0))]);
    const want = expected.map(([d, , m]) => [d, '', Object.fromEntries(Object.entries(m).filter(([, v]) => v !== 0))]);
    assert.deepEqual(got.sort(), want.sort(), name);
  }
});

test('a change moves a refund from the day of the first partial refund to the day of the second', () => {
  const first = order({ state: 'paid', amountPaid: 4900, paidAt: t0, amountRefunded: 1000, lastEventAt: t0 + DAY });
  const second = { ...first, amountRefunded: 3000, lastEventAt: t0 + 5 * DAY };
  const delta = contributionDelta([{ before: orderContribution(first, dayOf), after: orderContribution(second, dayOf) }]);
  assert.deepEqual(
    delta.map((c) => [c.day, c.measures]),
    [
      ['2026-01-11', { refunds: -1000, refund_n: -1 }],
      ['2026-01-15', { refunds: 3000, refund_n: 1 }],
    ]
  );
  assert.deepEqual(contributionDelta([{ before: orderContribution(first, dayOf), after: orderContribution(first, dayOf) }]), [], 'no change, no delta');
});

test('a contribution survives its stored form', () => {
  const cells = orderContribution(order({ state: 'refunded', amountPaid: 4900, paidAt: t0, amountRefunded: 4900, closedAt: t0 + DAY }), dayOf);
  assert.deepEqual(contributionDelta([{ before: decodeContribution(encodeContribution(cells)), after: cells }]), []);
  assert.deepEqual(decodeContribution(null), []);
});
