import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isForeignSubscription,
  decideSubscriptionUpdate,
  subscriptionAccess,
  subscriptionEffects,
  type SubscriptionRowState,
  type SubscriptionSnapshot,
  type SubscriptionStatus,
} from './subscriptions';

const PERIOD_END = Date.UTC(2026, 11, 23) / 1000;

function snap(status: SubscriptionStatus, observedAt: number, extra: Partial<SubscriptionSnapshot> = {}): SubscriptionSnapshot {
  return {
    id: 'sub_1',
    status,
    customerId: 'cus_1',
    currentPeriodEnd: PERIOD_END,
    cancelAtPeriodEnd: false,
    priceId: 'price_1',
    metadata: { userId: 1, planDocumentId: 'plan1', orderId: 'o1' },
    observedAt,
    ...extra,
  };
}

function row(status: SubscriptionStatus, stripeUpdatedAt: number | null, extra: Partial<SubscriptionRowState> = {}): SubscriptionRowState {
  return { status, currentPeriodEnd: PERIOD_END, cancelAtPeriodEnd: false, stripeUpdatedAt, ...extra };
}

describe('decideSubscriptionUpdate: newest snapshot wins', () => {
  const table: Array<{ name: string; row: SubscriptionRowState | null; snap: SubscriptionSnapshot; expect: 'apply' | 'stale' | 'terminal' | 'unchanged' }> = [
    { name: 'first snapshot is stored', row: null, snap: snap('active', 100), expect: 'apply' },
    { name: 'newer snapshot replaces', row: row('active', 100), snap: snap('past_due', 200), expect: 'apply' },
    { name: 'older snapshot (updated after deleted) is dropped', row: row('canceled', 200), snap: snap('active', 100), expect: 'stale' },
    { name: 'older snapshot never rolls a newer period back', row: row('active', 200, { currentPeriodEnd: PERIOD_END + 3600 }), snap: snap('active', 150), expect: 'stale' },
    { name: 'canceled is terminal even against a later stamp', row: row('canceled', 100), snap: snap('active', 200), expect: 'terminal' },
    { name: 'incomplete_expired is terminal', row: row('incomplete_expired', 100), snap: snap('active', 200), expect: 'terminal' },
    { name: 'same second, same fields: replay', row: row('active', 100), snap: snap('active', 100), expect: 'unchanged' },
    { name: 'same second: created(incomplete) after updated(active) is dropped', row: row('active', 100), snap: snap('incomplete', 100), expect: 'stale' },
    { name: 'same second: updated(active) after created(incomplete) applies', row: row('incomplete', 100), snap: snap('active', 100), expect: 'apply' },
    { name: 'newer with identical fields still moves the stamp forward', row: row('active', 100), snap: snap('active', 200), expect: 'apply' },
    { name: 'a row never stamped takes any snapshot', row: row('incomplete', null), snap: snap('active', 1), expect: 'apply' },
  ];
  for (const t of table) {
    test(t.name, () => {
      const d = decideSubscriptionUpdate(t.row, t.snap);
      assert.equal(d.apply ? 'apply' : d.reason, t.expect);
      if (d.apply) {
        assert.equal(d.next.status, t.snap.status);
        assert.equal(d.next.stripeUpdatedAt, t.snap.observedAt);
      }
    });
  }
});

describe('subscriptionAccess: status → entitlement', () => {
  const validUntil = new Date(PERIOD_END * 1000);
  const table: Array<[SubscriptionStatus, string]> = [
    ['active', 'grant:active'],
    ['trialing', 'grant:active'],
    ['past_due', 'grant:past_due'],
    ['canceled', 'revoke:canceled'],
    ['unpaid', 'revoke:canceled'],
    ['paused', 'revoke:canceled'],
    ['incomplete_expired', 'revoke:expired'],
    ['incomplete', 'none'],
  ];
  for (const [status, expected] of table) {
    test(`${status} → ${expected}`, () => {
      const a = subscriptionAccess(row(status, 1));
      const label = a.kind === 'grant' ? `grant:${a.status}` : a.kind === 'revoke' ? `revoke:${a.reason}` : 'none';
      assert.equal(label, expected);
      if (a.kind === 'grant') assert.deepEqual(a.validUntil, validUntil);
    });
  }
});

describe('subscriptionEffects: plan switches', () => {
  test('same plan: a single idempotent grant', () => {
    const e = subscriptionEffects({ previousPlanDocumentId: 'p1', planDocumentId: 'p1', state: row('active', 1) });
    assert.deepEqual(e.map((x) => x.kind), ['grant']);
  });
  test('switched plan: revoke the old, grant the new', () => {
    const e = subscriptionEffects({ previousPlanDocumentId: 'p1', planDocumentId: 'p2', state: row('active', 1) });
    assert.deepEqual(e.map((x) => x.kind), ['revoke', 'grant']);
    const grant = e[1];
    assert.ok(grant && grant.kind === 'grant' && grant.planDocumentId === 'p2');
  });
  test('ended: revoke whatever the plan', () => {
    const e = subscriptionEffects({ previousPlanDocumentId: 'p1', planDocumentId: 'p2', state: row('canceled', 1) });
    assert.deepEqual(e, [{ kind: 'revoke', reason: 'canceled' }]);
  });
  test('unknown plan: nothing to grant', () => {
    assert.deepEqual(subscriptionEffects({ previousPlanDocumentId: null, planDocumentId: null, state: row('active', 1) }), []);
  });
  test('incomplete: nothing yet', () => {
    assert.deepEqual(subscriptionEffects({ previousPlanDocumentId: null, planDocumentId: 'p1', state: row('incomplete', 1) }), []);
  });
});

describe('isForeignSubscription: another app\'s subscription is not stored', () => {
  const rows: Array<[string, { stored: boolean; userId: number | null; planDocumentId: string | null }, boolean]> = [
    ['unknown customer and price, never stored → ignored', { stored: false, userId: null, planDocumentId: null }, true],
    ['a known learner, unknown price → ours (unlinked plan)', { stored: false, userId: 7, planDocumentId: null }, false],
    ['unknown customer, a price of ours → ours', { stored: false, userId: null, planDocumentId: 'plan1' }, false],
    ['already stored → kept in sync', { stored: true, userId: null, planDocumentId: null }, false],
  ];
  for (const [name, input, expected] of rows) test(name, () => assert.equal(isForeignSubscription(input), expected));
});
