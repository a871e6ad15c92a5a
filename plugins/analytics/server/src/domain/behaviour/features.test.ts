import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { activeBetween, computeFeatures, learnerFeatures, learnerRow, platformFeatures, DAY_MS, FEATURE_NAMES, featureRow, LEARNER_FEATURE_NAMES, NO_PURCHASE_DAYS, type Interaction } from './features';

const CUTOFF = Date.UTC(2026, 2, 31, 12); // 2026-03-31T12:00Z
const ago = (days: number, hours = 0) => CUTOFF - days * DAY_MS - hours * 3_600_000;

const events: Interaction[] = [
  // ann: 4 interactions, 3 items, over 3 UTC days
  { userId: 'ann', itemId: 'a', at: ago(40) },
  { userId: 'ann', itemId: 'b', at: ago(20) },
  { userId: 'ann', itemId: 'b', at: ago(20, 1) },
  { userId: 'ann', itemId: 'c', at: ago(2) },
  // bob: one interaction 10.5 days ago
  { userId: 'bob', itemId: 'a', at: ago(10, 12) },
  // cid: exactly at the cut-off, and 7 days to the millisecond before it (outside "last 7 days")
  { userId: 'cid', itemId: 'x', at: CUTOFF },
  { userId: 'cid', itemId: 'y', at: ago(7) },
  // dee: only after the cut-off → not a learner at this cut-off
  { userId: 'dee', itemId: 'a', at: CUTOFF + 1 },
];

describe('computeFeatures: known values on a fixture', () => {
  const f = computeFeatures(events, CUTOFF);
  const table = [
    { user: 'ann', want: { recencyDays: 2, frequency: 4, distinctItems: 3, activeDays: 3, daysSinceFirst: 40, last7Days: 1, last30Days: 3, meanGapDays: 12.7 } },
    { user: 'bob', want: { recencyDays: 10, frequency: 1, distinctItems: 1, activeDays: 1, daysSinceFirst: 10, last7Days: 0, last30Days: 1, meanGapDays: 10.5 } },
    { user: 'cid', want: { recencyDays: 0, frequency: 2, distinctItems: 2, activeDays: 2, daysSinceFirst: 7, last7Days: 1, last30Days: 2, meanGapDays: 7 } },
  ];
  for (const row of table) {
    test(row.user, () => assert.deepEqual(f.get(row.user), row.want));
  }
  test('a learner whose only interaction is after the cut-off has no features', () => {
    assert.equal(f.has('dee'), false);
    assert.equal(f.size, 3);
  });
  test('featureRow follows FEATURE_NAMES', () => {
    assert.deepEqual(featureRow(f.get('bob')!), FEATURE_NAMES.map((n) => f.get('bob')![n]));
  });
});

describe('no feature uses events after the cut-off', () => {
  test('adding future events (same and new learners, any order) changes nothing', () => {
    const before = computeFeatures(events, CUTOFF);
    const future: Interaction[] = [
      { userId: 'ann', itemId: 'z', at: CUTOFF + 1 },
      { userId: 'bob', itemId: 'b', at: CUTOFF + DAY_MS },
      { userId: 'bob', itemId: 'c', at: CUTOFF + 90 * DAY_MS },
      { userId: 'cid', itemId: 'x', at: CUTOFF + 3 * DAY_MS },
      { userId: 'eve', itemId: 'q', at: CUTOFF + 5 },
    ];
    const after = computeFeatures([...future.slice(0, 2), ...events, ...future.slice(2)], CUTOFF);
    assert.deepEqual([...after.entries()].sort(), [...before.entries()].sort());
  });
});

describe('activeBetween: (from, to]', () => {
  const table = [
    { from: CUTOFF - 1, to: CUTOFF, want: ['cid'] },
    { from: CUTOFF, to: CUTOFF + DAY_MS, want: ['dee'] },
    { from: ago(3), to: CUTOFF, want: ['ann', 'cid'] },
  ];
  for (const row of table) {
    test(`${row.from}..${row.to}`, () => assert.deepEqual([...activeBetween(events, row.from, row.to)].sort(), row.want));
  }
});

describe('learnerFeatures (one learner from parallel arrays) agrees with the builder', () => {
  const all = computeFeatures(events, CUTOFF);
  for (const user of ['ann', 'bob', 'cid', 'dee']) {
    test(user, () => {
      const mine = events.filter((e) => e.userId === user).reverse();
      const items = mine.map((e) => e.itemId);
      const ats = mine.map((e) => e.at);
      assert.deepEqual(learnerFeatures(items, ats, CUTOFF), all.get(user) ?? null);
    });
  }
  test('a sub-range [from, to) only', () => {
    assert.deepEqual(learnerFeatures(['a', 'b', 'c'], [ago(1), ago(2), ago(3)], CUTOFF, 1, 2)?.frequency, 1);
  });
});

describe('platformFeatures', () => {
  const table = [
    {
      in: { purchases: 2, lastPurchaseAt: ago(3, 5), chaptersStarted: 6, chaptersCompleted: 4, coursesStarted: 2 },
      want: { purchases: 2, daysSinceLastPurchase: 3, chaptersStarted: 6, chaptersCompleted: 4, completionRatio: 0.67, coursesStarted: 2 },
    },
    {
      in: { purchases: 0, lastPurchaseAt: null, chaptersStarted: 0, chaptersCompleted: 0, coursesStarted: 1 },
      want: { purchases: 0, daysSinceLastPurchase: null, chaptersStarted: 0, chaptersCompleted: 0, completionRatio: 0, coursesStarted: 1 },
    },
  ];
  for (const row of table) test(JSON.stringify(row.want), () => assert.deepEqual(platformFeatures(row.in, CUTOFF), row.want));
});

describe('learnerRow: interaction features then platform features', () => {
  const f = { recencyDays: 2, frequency: 4, distinctItems: 3, activeDays: 3, daysSinceFirst: 40, last7Days: 1, last30Days: 3, meanGapDays: 12.7 };
  test('with orders and progress', () => {
    const p = platformFeatures({ purchases: 1, lastPurchaseAt: ago(10), chaptersStarted: 4, chaptersCompleted: 1, coursesStarted: 1 }, CUTOFF);
    assert.deepEqual(learnerRow(f, p), [2, 4, 3, 3, 40, 1, 3, 12.7, 0.25, 1, 1, 1, 10]);
    assert.equal(learnerRow(f, p).length, LEARNER_FEATURE_NAMES.length);
  });
  test('without: zeros, and no purchase for NO_PURCHASE_DAYS', () => assert.deepEqual(learnerRow(f, undefined).slice(8), [0, 0, 0, 0, NO_PURCHASE_DAYS]));
  test('a purchase longer ago is capped', () => {
    const p = platformFeatures({ purchases: 1, lastPurchaseAt: ago(900), chaptersStarted: 0, chaptersCompleted: 0, coursesStarted: 0 }, CUTOFF);
    assert.equal(learnerRow(f, p)[12], NO_PURCHASE_DAYS);
  });
});
