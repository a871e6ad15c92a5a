import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { activeBetween, computeFeatures, INTERACTION_KINDS, subscriptionStateOf, learnerFeatures, learnerRow, platformFeatures, DAY_MS, FEATURE_NAMES, featureRow, LEARNER_FEATURE_NAMES, NO_PURCHASE_DAYS, rowProjection, VELOCITY_DAYS, type Interaction } from './features';

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

const NO_KINDS = { view: 0, like: 0, purchase: 0, progress: 0, complete: 0, rate: 0, refund: 0 };
const NOTHING_ELSE = { spend: 0, subscriptionState: 'none', subscriptionDays: null, locale: null, interactionsByKind: NO_KINDS };

describe('platformFeatures', () => {
  const table = [
    {
      in: { purchases: 2, lastPurchaseAt: ago(3, 5), chaptersStarted: 6, chaptersCompleted: 4, coursesStarted: 2 },
      want: { purchases: 2, daysSinceLastPurchase: 3, chaptersStarted: 6, chaptersCompleted: 4, completionRatio: 0.67, coursesStarted: 2, progressVelocity: 0, coursesUnfinished: 2, ...NOTHING_ELSE },
    },
    {
      in: { purchases: 0, lastPurchaseAt: null, chaptersStarted: 0, chaptersCompleted: 0, coursesStarted: 1 },
      want: { purchases: 0, daysSinceLastPurchase: null, chaptersStarted: 0, chaptersCompleted: 0, completionRatio: 0, coursesStarted: 1, progressVelocity: 0, coursesUnfinished: 1, ...NOTHING_ELSE },
    },
    {
      in: { purchases: 3, lastPurchaseAt: ago(1), chaptersStarted: 0, chaptersCompleted: 0, coursesStarted: 0, spendMinor: 12_999, locale: 'zh-Hans', kinds: { view: 4, refund: 1 } },
      want: { purchases: 3, daysSinceLastPurchase: 1, chaptersStarted: 0, chaptersCompleted: 0, completionRatio: 0, coursesStarted: 0, progressVelocity: 0, coursesUnfinished: 0, ...NOTHING_ELSE, spend: 129.99, locale: 'zh-Hans', interactionsByKind: { ...NO_KINDS, view: 4, refund: 1 } },
    },
  ];
  for (const row of table) test(JSON.stringify(row.want), () => assert.deepEqual(platformFeatures(row.in, CUTOFF), row.want));

  // progress velocity: chapters completed in the VELOCITY_DAYS before the cut-off, per week;
  // unfinished: courses started less courses with a certificate by then
  const base = { purchases: 0, lastPurchaseAt: null, chaptersStarted: 12, chaptersCompleted: 9 };
  const pace = [
    { name: 'none recently, three courses, one finished', in: { coursesStarted: 3, chaptersCompletedRecently: 0, coursesCompleted: 1 }, velocity: 0, unfinished: 2 },
    { name: 'eight in four weeks: two a week; every course finished', in: { coursesStarted: 2, chaptersCompletedRecently: 8, coursesCompleted: 2 }, velocity: 2, unfinished: 0 },
    { name: 'one in four weeks: 0.25 a week', in: { coursesStarted: 1, chaptersCompletedRecently: 1 }, velocity: 0.25, unfinished: 1 },
    { name: 'three: 0.75; not fewer than none unfinished', in: { coursesStarted: 1, chaptersCompletedRecently: 3, coursesCompleted: 2 }, velocity: 0.75, unfinished: 0 },
  ];
  for (const row of pace) {
    test(row.name, () => {
      const p = platformFeatures({ ...base, ...row.in }, CUTOFF);
      assert.deepEqual([p.progressVelocity, p.coursesUnfinished], [row.velocity, row.unfinished]);
    });
  }
  test('the velocity window is four weeks', () => assert.equal(VELOCITY_DAYS, 28));
});

describe('rowProjection: a stored model reads its own columns by name', () => {
  test('the same order: the row itself', () => {
    const row = [1, 2, 3];
    assert.equal(rowProjection(['a', 'b', 'c'], ['a', 'b', 'c'])!(row), row);
  });
  test('a model from before two features were added reads its columns, in its order', () => {
    assert.deepEqual(rowProjection(['a', 'x', 'b', 'y', 'c'], ['a', 'b', 'c'])!([1, 9, 2, 8, 3]), [1, 2, 3]);
    assert.deepEqual(rowProjection(['a', 'b', 'c'], ['c', 'a'])!([1, 2, 3]), [3, 1]);
  });
  test('a model that reads a feature no longer computed: none', () => assert.equal(rowProjection(['a', 'b'], ['a', 'gone']), null));
  test('the server rows of today fit a 27-column model of before', () => {
    const before = LEARNER_FEATURE_NAMES.filter((n) => n !== 'progressVelocity' && n !== 'coursesUnfinished');
    const project = rowProjection(LEARNER_FEATURE_NAMES, before)!;
    const row = LEARNER_FEATURE_NAMES.map((_, i) => i);
    assert.deepEqual(project(row), before.map((n) => LEARNER_FEATURE_NAMES.indexOf(n)));
    assert.equal(before.length, 27);
  });
});

describe('subscription state as of the cut-off', () => {
  const base = { purchases: 0, lastPurchaseAt: null, chaptersStarted: 0, chaptersCompleted: 0, coursesStarted: 0 };
  const table: Array<{ name: string; subs: Array<{ status: string; startedAt: number }>; state: string; days: number | null }> = [
    { name: 'none', subs: [], state: 'none', days: null },
    { name: 'active', subs: [{ status: 'active', startedAt: ago(40, 1) }], state: 'active', days: 40 },
    { name: 'trialing', subs: [{ status: 'trialing', startedAt: ago(3) }], state: 'trialing', days: 3 },
    { name: 'past_due', subs: [{ status: 'past_due', startedAt: ago(100) }], state: 'past_due', days: 100 },
    { name: 'unpaid, paused and incomplete_expired are ended', subs: [{ status: 'unpaid', startedAt: ago(9) }], state: 'canceled', days: 9 },
    { name: 'paused', subs: [{ status: 'paused', startedAt: ago(9) }], state: 'canceled', days: 9 },
    { name: 'incomplete never began', subs: [{ status: 'incomplete', startedAt: ago(2) }], state: 'none', days: null },
    { name: 'the best state speaks: an active one beside an ended one', subs: [{ status: 'canceled', startedAt: ago(300) }, { status: 'active', startedAt: ago(20) }], state: 'active', days: 20 },
    { name: 'two of one state: the older', subs: [{ status: 'canceled', startedAt: ago(30) }, { status: 'canceled', startedAt: ago(90) }], state: 'canceled', days: 90 },
    { name: 'one that began after the cut-off does not count', subs: [{ status: 'active', startedAt: CUTOFF + 1 }], state: 'none', days: null },
  ];
  for (const row of table) {
    test(row.name, () => {
      const p = platformFeatures({ ...base, subscriptions: row.subs }, CUTOFF);
      assert.equal(p.subscriptionState, row.state);
      assert.equal(p.subscriptionDays, row.days);
    });
  }
  test('every Stripe status maps to one of the five states', () => {
    const map = Object.fromEntries(['incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'paused', 'something-new'].map((s) => [s, subscriptionStateOf(s)]));
    assert.deepEqual(map, { incomplete: 'none', incomplete_expired: 'canceled', trialing: 'trialing', active: 'active', past_due: 'past_due', canceled: 'canceled', unpaid: 'canceled', paused: 'canceled', 'something-new': 'none' });
  });
});

describe('learnerRow: interaction features then platform features', () => {
  const f = { recencyDays: 2, frequency: 4, distinctItems: 3, activeDays: 3, daysSinceFirst: 40, last7Days: 1, last30Days: 3, meanGapDays: 12.7 };
  test('with orders and progress', () => {
    const p = platformFeatures({ purchases: 1, lastPurchaseAt: ago(10), chaptersStarted: 4, chaptersCompleted: 1, coursesStarted: 1 }, CUTOFF);
    assert.deepEqual(learnerRow(f, p), [2, 4, 3, 3, 40, 1, 3, 12.7, 0.25, 1, 1, 0, 1, 1, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(learnerRow(f, p).length, LEARNER_FEATURE_NAMES.length);
  });
  test('spend, subscription one-hot and age, locale, interactions by kind', () => {
    const p = platformFeatures(
      { purchases: 2, lastPurchaseAt: ago(10), chaptersStarted: 0, chaptersCompleted: 0, coursesStarted: 0, spendMinor: 4_500, subscriptions: [{ status: 'past_due', startedAt: ago(33) }], locale: 'zh-Hans', kinds: { view: 5, like: 1, purchase: 2, progress: 3, complete: 1, rate: 1, refund: 1 } },
      CUTOFF,
    );
    const row = learnerRow(f, p);
    const named = Object.fromEntries(LEARNER_FEATURE_NAMES.map((n, i) => [n, row[i]]));
    assert.deepEqual(
      { spendUsd: named.spendUsd, a: named.subscriptionActive, t: named.subscriptionTrialing, pd: named.subscriptionPastDue, c: named.subscriptionCanceled, days: named.subscriptionDays, zh: named.localeZhHans },
      { spendUsd: 45, a: 0, t: 0, pd: 1, c: 0, days: 33, zh: 1 },
    );
    assert.deepEqual(INTERACTION_KINDS.map((k) => named[`${k}Events`]), [5, 1, 2, 3, 1, 1, 1]);
  });
  test('without: zeros, and no purchase for NO_PURCHASE_DAYS', () => assert.deepEqual(learnerRow(f, undefined).slice(8, 15), [0, 0, 0, 0, 0, 0, NO_PURCHASE_DAYS]));
  test('an English preference and no preference are the same column value', () => {
    const en = platformFeatures({ purchases: 0, lastPurchaseAt: null, chaptersStarted: 0, chaptersCompleted: 0, coursesStarted: 0, locale: 'en' }, CUTOFF);
    assert.equal(learnerRow(f, en)[LEARNER_FEATURE_NAMES.indexOf('localeZhHans')], 0);
  });
  test('a purchase longer ago is capped', () => {
    const p = platformFeatures({ purchases: 1, lastPurchaseAt: ago(900), chaptersStarted: 0, chaptersCompleted: 0, coursesStarted: 0 }, CUTOFF);
    assert.equal(learnerRow(f, p)[LEARNER_FEATURE_NAMES.indexOf('daysSinceLastPurchase')], NO_PURCHASE_DAYS);
  });
});
