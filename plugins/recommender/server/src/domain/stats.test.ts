import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from './config';
import type { InteractionEvent } from './signals';
import { computeStats } from './stats';

const NOW = Date.UTC(2026, 0, 31);
const config: EngineConfig = {
  ...DEFAULT_ENGINE_CONFIG,
  popularityHalfLifeDays: null,
  cooccurrence: { ...DEFAULT_ENGINE_CONFIG.cooccurrence, minSupport: 1 },
};
const index = new Map([
  ['a', 0],
  ['b', 1],
  ['c', 2],
  ['d', 3],
]);
const p = (itemId: string, minutes: number, kind: InteractionEvent['kind'] = 'purchase'): InteractionEvent => ({ itemId, kind, at: NOW - minutes * 60_000 });
// u1 took a, b; u2 took a, b, c; u3 took a and only viewed d.
const learners = [[p('a', 3), p('b', 2)], [p('a', 3), p('b', 2), p('c', 1)], [p('a', 5), p('d', 1, 'view')]];
const close = (actual: number | undefined, expected: number) => assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-6, `${actual} ≉ ${expected}`);

describe('computeStats: popularity', () => {
  const stats = computeStats(index, learners, NOW, config);
  it('sum of each learner’s strongest interaction', () => assert.deepEqual([...stats.popularity], [9, 6, 3, 0.5]));
  // log(1 + p) / log(1 + 9)
  const cases: Array<[number, number]> = [
    [0, 1],
    [1, Math.log(7) / Math.log(10)],
    [2, Math.log(4) / Math.log(10)],
    [3, Math.log(1.5) / Math.log(10)],
  ];
  for (const [i, expected] of cases) it(`score of ${i}`, () => close(stats.popularityScore[i], expected));
  it('learners counted', () => assert.equal(stats.learners, 3));
});

describe('computeStats: co-occurrence', () => {
  const stats = computeStats(index, learners, NOW, config);
  const list = (i: number) => {
    const nb = stats.neighbours[i];
    return nb ? [...nb.idx].map((j, k) => [j, Math.round((nb.sim[k] as number) * 1e6) / 1e6]) : undefined;
  };
  // |X∩Y| / √(|X|·|Y|): a,b = 2/√6; a,c = 1/√3; b,c = 1/√2
  it('a: b then c', () => assert.deepEqual(list(0), [[1, 0.816497], [2, 0.57735]]));
  it('b: a then c', () => assert.deepEqual(list(1), [[0, 0.816497], [2, 0.707107]]));
  it('c: b then a', () => assert.deepEqual(list(2), [[1, 0.707107], [0, 0.57735]]));
  it('a view (below minWeight) makes no pair', () => assert.equal(list(3), undefined));

  it('minSupport 2: a pair only one learner has is not a neighbour (never one person’s basket)', () => {
    const s = computeStats(index, learners, NOW, { ...config, cooccurrence: { ...config.cooccurrence, minSupport: 2 } });
    assert.deepEqual([...(s.neighbours[0]?.idx ?? [])], [1]); // a–b (two learners) stays, a–c goes
    assert.deepEqual([...(s.neighbours[1]?.idx ?? [])], [0]);
    assert.equal(s.neighbours[2], undefined);
  });

  it('keeps `neighbours` per course', () => {
    const s = computeStats(index, learners, NOW, { ...config, cooccurrence: { ...config.cooccurrence, neighbours: 1 } });
    assert.deepEqual([...(s.neighbours[0]?.idx ?? [])], [1]);
  });
  it('pairs only a learner’s latest maxItemsPerUser courses', () => {
    const s = computeStats(index, [[p('a', 3), p('b', 2), p('c', 1)]], NOW, { ...config, cooccurrence: { ...config.cooccurrence, maxItemsPerUser: 2 } });
    assert.equal(s.neighbours[0], undefined); // a is the oldest: left out
    assert.deepEqual([...(s.neighbours[1]?.idx ?? [])], [2]);
  });
  it('a refunded course is neither popular nor a neighbour', () => {
    const s = computeStats(index, [[p('a', 3), p('b', 2), p('b', 1, 'refund')]], NOW, config);
    assert.deepEqual([...s.popularity], [3, 0, 0, 0]);
    assert.equal(s.neighbours[0], undefined);
  });
  it('courses outside the index are ignored', () => {
    const s = computeStats(index, [[p('zz', 3), p('a', 2)]], NOW, config);
    assert.deepEqual([...s.popularity], [3, 0, 0, 0]);
  });
});

describe('computeStats: popularity decay', () => {
  it('halves a one-half-life-old interaction', () => {
    const s = computeStats(index, [[{ itemId: 'a', kind: 'purchase', at: NOW - 30 * 86_400_000 }]], NOW, { ...config, popularityHalfLifeDays: 30 });
    close(s.popularity[0], 1.5);
  });
});
