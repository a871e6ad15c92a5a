import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY_MS, decay, type EngineConfig } from './config';
import { learnerSignals, type InteractionEvent } from './signals';

const NOW = Date.UTC(2026, 0, 31, 12);
const ago = (days: number) => NOW - days * DAY_MS;
const config: Pick<EngineConfig, 'interactionWeights' | 'profileHalfLifeDays'> = {
  interactionWeights: { view: 0.5, like: 1.5, purchase: 3, progress: 2, complete: 3 },
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
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = learnerSignals(c.events, NOW, { ...config, profileHalfLifeDays: c.halfLife === undefined ? 10 : c.halfLife }, c.alsoOwned);
      assert.deepEqual(Object.fromEntries(s.weights), c.weights);
      assert.deepEqual([...s.owned].sort(), c.owned);
      assert.deepEqual([...s.refunded].sort(), c.refunded);
    });
  }
});
