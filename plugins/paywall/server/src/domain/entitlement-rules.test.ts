import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dedupeKey, normalizeEntitlement, type StoredEntitlement } from './entitlement-rules';

const NOW = new Date('2026-06-15T12:00:00Z');
const row = (over: Partial<StoredEntitlement> = {}): StoredEntitlement => ({
  userId: 5,
  courseDocumentIds: ['c1'],
  planDocumentIds: [],
  source: 'grant',
  status: 'active',
  sourceRef: 'ref-1',
  validFrom: new Date('2026-01-01T00:00:00Z'),
  validUntil: null,
  revokedReason: null,
  revokedAt: null,
  pastDueSince: null,
  ...over,
});

describe('dedupeKey', () => {
  test('folds user, target kind and id, source and sourceRef', () => {
    assert.equal(dedupeKey(5, { kind: 'course', documentId: 'c1' }, 'purchase', 'cs_1'), '5:course:c1:purchase:cs_1');
    assert.equal(dedupeKey(5, { kind: 'plan', documentId: 'p1' }, 'subscription', 'sub_1'), '5:plan:p1:subscription:sub_1');
  });
});

describe('normalizeEntitlement', () => {
  const refusals: Array<[string, Partial<StoredEntitlement>, RegExp]> = [
    ['no user', { userId: null }, /needs a user/],
    ['no target', { courseDocumentIds: [] }, /needs a target/],
    ['both course and plan', { planDocumentIds: ['p1'] }, /not both/],
    ['purchase without sourceRef', { source: 'purchase', sourceRef: '  ' }, /needs its sourceRef/],
    ['validUntil before validFrom', { validUntil: new Date('2025-12-31T00:00:00Z') }, /validUntil must be after validFrom/],
    ['validUntil equal to validFrom', { validUntil: new Date('2026-01-01T00:00:00Z') }, /validUntil must be after validFrom/],
  ];
  for (const [name, over, message] of refusals) {
    test(`refuses: ${name}`, () => {
      const r = normalizeEntitlement(row(over), NOW);
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.message : '', message);
    });
  }

  test('an editor grant without sourceRef or validFrom gets "manual" and now', () => {
    const r = normalizeEntitlement(row({ sourceRef: null, validFrom: null }), NOW);
    assert.ok(r.ok);
    assert.equal(r.patch.sourceRef, 'manual');
    assert.equal(r.patch.validFrom, NOW);
    assert.equal(r.patch.dedupeKey, '5:course:c1:grant:manual');
    assert.equal(r.patch.courseRef, 'c1');
    assert.equal(r.patch.planRef, null);
  });

  test('revoked: reason defaults to manual, revokedAt to now; un-revoking clears them', () => {
    const r = normalizeEntitlement(row({ status: 'revoked' }), NOW);
    assert.ok(r.ok);
    assert.equal(r.patch.revokedReason, 'manual');
    assert.equal(r.patch.revokedAt, NOW);
    const back = normalizeEntitlement(row({ status: 'active', revokedReason: 'refunded', revokedAt: NOW }), NOW);
    assert.ok(back.ok);
    assert.equal(back.patch.revokedReason, null);
    assert.equal(back.patch.revokedAt, null);
  });

  test('past_due keeps when it started; other statuses clear it', () => {
    const since = new Date('2026-06-10T00:00:00Z');
    const r = normalizeEntitlement(row({ status: 'past_due', pastDueSince: since }), NOW);
    assert.ok(r.ok && r.patch.pastDueSince === since);
    const fresh = normalizeEntitlement(row({ status: 'past_due' }), NOW);
    assert.ok(fresh.ok && fresh.patch.pastDueSince === NOW);
    const active = normalizeEntitlement(row({ status: 'active', pastDueSince: since }), NOW);
    assert.ok(active.ok && active.patch.pastDueSince === null);
  });

  test('a plan target', () => {
    const r = normalizeEntitlement(row({ courseDocumentIds: [], planDocumentIds: ['p1', 'p1'], source: 'subscription' }), NOW);
    assert.ok(r.ok);
    assert.equal(r.patch.planRef, 'p1');
    assert.equal(r.patch.dedupeKey, '5:plan:p1:subscription:ref-1');
  });
});
