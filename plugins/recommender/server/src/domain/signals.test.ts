import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY_MS, decay, type EngineConfig } from './config';
import { learnerSignals, ratingMultiplier, type InteractionEvent } from './signals';

const NOW = Date.UTC(2026, 0, 31, 12);
const ago = (days: number) => NOW - days * DAY_MS;
const config: Pick<EngineConfig, 'interactionWeights' | 'profileHalfLifeDays'> = {
  interactionWeights: { view: 0.5, like: 1.5, purchase: 3, progress: 2, complete: 3, rate: 2 },
  profileHalfLifeDays: 10,
};

describe('decay', () => {
  const cases: Array<[number, number | null, number]> = [
    [0, 10, 1],
    [10 * DAY_MS, 10, 0.5],
    [20 * DAY_MS, 10, 0.25],
    [-5 * DAY_MS, 10, 1], // a clock slightly ahead does not boost
    [1000 * DAY_MS, null, 1],
  ];
  for (const [age, halfLife, expected] of cases) it(`${age / DAY_MS} days, half-life ${halfLife}`, () => assert.equal(decay(age, halfLife), expected));
});

describe('learnerSignals', () => {
  const cases: Array<{
    name: string;
    events: InteractionEvent[];
    alsoOwned?: string[];
    halfLife?: number | null;
    weights: Record<string, number>;
    owned: string[];
    refunded: string[];
    disliked?: Record<string, number>;
  }> = [
    { name: 'a purchase now', events: [{ itemId: 'a', kind: 'purchase', at: NOW }], weights: { a: 3 }, owned: ['a'], refunded: [] },
    { name: 'a purchase one half-life ago', events: [{ itemId: 'a', kind: 'purchase', at: ago(10) }], weights: { a: 1.5 }, owned: ['a'], refunded: [] },
    { name: 'a view is not ownership', events: [{ itemId: 'a', kind: 'view', at: ago(20) }], weights: { a: 0.125 }, owned: [], refunded: [] },
    {
      name: 'thirty progress events weigh as one (max, not sum)',
      events: Array.from({ length: 30 }, () => ({ itemId: 'a', kind: 'progress' as const, at: NOW })),
      weights: { a: 2 },
      owned: ['a'],
      refunded: [],
    },
    {
      name: 'the strongest interaction of a course wins',
      events: [
        { itemId: 'a', kind: 'view', at: NOW },
        { itemId: 'a', kind: 'complete', at: ago(10) },
      ],
      weights: { a: 1.5 },
      owned: ['a'],
      refunded: [],
    },
    {
      name: 'a refund cancels the purchase',
      events: [
        { itemId: 'a', kind: 'refund', at: ago(1) },
        { itemId: 'a', kind: 'purchase', at: ago(2) }, // any order in, time order applied
        { itemId: 'b', kind: 'like', at: NOW },
      ],
      weights: { b: 1.5 },
      owned: [],
      refunded: ['a'],
    },
    {
      name: 'bought again after a refund',
      events: [
        { itemId: 'a', kind: 'purchase', at: ago(3) },
        { itemId: 'a', kind: 'refund', at: ago(2) },
        { itemId: 'a', kind: 'purchase', at: NOW },
      ],
      weights: { a: 3 },
      owned: ['a'],
      refunded: [],
    },
    {
      name: 'progress logged after a refund does not restore the course',
      events: [
        { itemId: 'a', kind: 'purchase', at: ago(3) },
        { itemId: 'a', kind: 'refund', at: ago(2) },
        { itemId: 'a', kind: 'progress', at: NOW },
      ],
      weights: {},
      owned: [],
      refunded: ['a'],
    },
    { name: 'a weight multiplier', events: [{ itemId: 'a', kind: 'progress', weight: 0.5, at: NOW }], weights: { a: 1 }, owned: ['a'], refunded: [] },
    { name: 'no decay', halfLife: null, events: [{ itemId: 'a', kind: 'like', at: ago(400) }], weights: { a: 1.5 }, owned: [], refunded: [] },
    {
      name: 'entitlements add owned courses without touching the profile',
      events: [],
      alsoOwned: ['x'],
      weights: {},
      owned: ['x'],
      refunded: [],
    },
    // Ratings (kind `rate`, stars in `value`); the learner bought the course first, as the community requires.
    { name: '5★: a strong positive, above the purchase', events: [{ itemId: 'a', kind: 'purchase', at: NOW }, { itemId: 'a', kind: 'rate', value: 5, at: NOW }], weights: { a: 3 }, owned: ['a'], refunded: [] },
    { name: '5★ alone (no purchase in the history)', events: [{ itemId: 'a', kind: 'rate', value: 5, at: NOW }], weights: { a: 2 }, owned: [], refunded: [] },
    { name: '4★: a positive, the purchase stays the strongest', events: [{ itemId: 'a', kind: 'purchase', at: NOW }, { itemId: 'a', kind: 'rate', value: 4, at: NOW }], weights: { a: 3 }, owned: ['a'], refunded: [] },
    { name: '4★ on a viewed course lifts it', events: [{ itemId: 'a', kind: 'view', at: NOW }, { itemId: 'a', kind: 'rate', value: 4, at: NOW }], weights: { a: 1.2 }, owned: [], refunded: [] },
    { name: '3★: neutral, the rest as it was', events: [{ itemId: 'a', kind: 'purchase', at: NOW }, { itemId: 'a', kind: 'rate', value: 3, at: NOW }], weights: { a: 3 }, owned: ['a'], refunded: [] },
    { name: '2★: a mild dislike, out of the profile', events: [{ itemId: 'a', kind: 'purchase', at: NOW }, { itemId: 'a', kind: 'rate', value: 2, at: NOW }], weights: {}, owned: ['a'], refunded: [], disliked: { a: 1 } },
    { name: '1★: a dislike', events: [{ itemId: 'a', kind: 'purchase', at: NOW }, { itemId: 'a', kind: 'rate', value: 1, at: NOW }, { itemId: 'b', kind: 'like', at: NOW }], weights: { b: 1.5 }, owned: ['a'], refunded: [], disliked: { a: 2 } },
    { name: 'a dislike decays like the rest', events: [{ itemId: 'a', kind: 'rate', value: 1, at: ago(10) }], weights: {}, owned: [], refunded: [], disliked: { a: 1 } },
    {
      name: 'the latest rating replaces the earlier one (1★ then 5★)',
      halfLife: null,
      events: [
        { itemId: 'a', kind: 'rate', value: 5, at: NOW },
        { itemId: 'a', kind: 'rate', value: 1, at: ago(1) },
        { itemId: 'a', kind: 'purchase', at: ago(2) },
      ],
      weights: { a: 3 },
      owned: ['a'],
      refunded: [],
    },
    {
      name: 'the latest rating replaces the earlier one (5★ then 1★)',
      events: [
        { itemId: 'a', kind: 'purchase', at: ago(2) },
        { itemId: 'a', kind: 'rate', value: 5, at: ago(1) },
        { itemId: 'a', kind: 'rate', value: 1, at: NOW },
      ],
      weights: {},
      owned: ['a'],
      refunded: [],
      disliked: { a: 2 },
    },
    { name: 'a rating without stars says nothing', events: [{ itemId: 'a', kind: 'rate', at: NOW }], weights: {}, owned: [], refunded: [] },
    {
      name: 'a high rating does not bring back a refunded course',
      events: [
        { itemId: 'a', kind: 'purchase', at: ago(3) },
        { itemId: 'a', kind: 'rate', value: 5, at: ago(2) },
        { itemId: 'a', kind: 'refund', at: ago(1) },
      ],
      weights: {},
      owned: [],
      refunded: ['a'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = learnerSignals(c.events, NOW, { ...config, profileHalfLifeDays: c.halfLife === undefined ? 10 : c.halfLife }, c.alsoOwned);
      assert.deepEqual(Object.fromEntries(s.weights), c.weights);
      assert.deepEqual([...s.owned].sort(), c.owned);
      assert.deepEqual([...s.refunded].sort(), c.refunded);
      assert.deepEqual(Object.fromEntries(s.disliked ?? new Map()), c.disliked ?? {});
    });
  }
});

describe('ratingMultiplier (what stars weigh, times the `rate` weight)', () => {
  const table: Array<[number | null | undefined, number]> = [
    [5, 1],
    [4, 0.6],
    [3, 0],
    [2, -0.5],
    [1, -1],
    [0, 0],
    [6, 0],
    [4.5, 0],
    [null, 0],
    [undefined, 0],
  ];
  for (const [stars, expected] of table) it(`${String(stars)} → ${expected}`, () => assert.equal(ratingMultiplier(stars), expected));
});
