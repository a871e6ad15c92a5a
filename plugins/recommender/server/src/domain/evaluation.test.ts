import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addRank, leaveLastOut, MetricsAccumulator, rankOf, rankUnderBlend, sampleKeys, simplexGrid } from './evaluation';
import { mulberry32 } from './random';
import type { InteractionEvent } from './signals';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≉ ${expected}`);

describe('MetricsAccumulator', () => {
  // One user per row: their top list and held-out item. NDCG with one relevant item = 1/log2(rank + 2).
  const cases: Array<[string, string[], string[], { hit: number; ndcg: number; recall: number }]> = [
    ['hit at 1', ['a', 'b', 'c'], ['a'], { hit: 1, ndcg: 1, recall: 1 }],
    ['hit at 3', ['a', 'b', 'c'], ['c'], { hit: 1, ndcg: 0.5, recall: 1 }],
    ['miss in top-k, found in top-2k', ['a', 'b', 'c', 'd'], ['d'], { hit: 0, ndcg: 0, recall: 1 }],
    ['miss', ['a', 'b'], ['z'], { hit: 0, ndcg: 0, recall: 0 }],
    // two relevant: DCG = 1 + 1/log2 3, ideal the same → 1; recall 2/2
    ['two relevant at 1 and 2', ['a', 'b', 'c'], ['a', 'b'], { hit: 1, ndcg: 1, recall: 1 }],
    // two relevant, one found at 2: DCG 1/log2 3 = 0.63093, ideal 1.63093
    ['two relevant, one at 2', ['x', 'b', 'c'], ['a', 'b'], { hit: 1, ndcg: 0.6309297535714575 / 1.6309297535714575, recall: 0.5 }],
  ];
  for (const [name, ranked, relevant, expected] of cases) {
    it(name, () => {
      const acc = new MetricsAccumulator(3, 4, 10);
      acc.add(ranked, relevant);
      const m = acc.result();
      close(m.hitRate, expected.hit);
      close(m.ndcg, expected.ndcg);
      close(m.recall, expected.recall);
    });
  }
  it('averages over users; coverage = distinct top-k items / catalogue', () => {
    const acc = new MetricsAccumulator(2, 4, 10);
    acc.add(['a', 'b', 'c'], ['a']);
    acc.add(['a', 'c'], ['z']);
    acc.addMiss(['d']);
    const m = acc.result();
    assert.equal(m.users, 3);
    close(m.hitRate, 1 / 3);
    close(m.coverage, 4 / 10); // a, b, c, d
  });
});

describe('leaveLastOut', () => {
  const ev = (itemId: string, at: number): InteractionEvent => ({ itemId, kind: 'purchase', at });
  const { train, heldOut } = leaveLastOut(
    new Map([
      ['u1', [ev('b', 2), ev('a', 1), ev('c', 3)]],
      ['u2', [ev('a', 1)]],
      ['u3', [ev('a', 1), ev('a', 2)]],
    ]),
  );
  it('holds out the latest of learners with two or more', () => assert.deepEqual(heldOut.get('u1'), ['c']));
  it('keeps the rest in train', () => assert.deepEqual(train.get('u1')?.map((e) => e.itemId), ['a', 'b']));
  it('a learner with one interaction is train only', () => assert.equal(heldOut.has('u2'), false));
  it('a repeat of a known course is not a new one to predict', () => assert.equal(heldOut.has('u3'), false));
});

describe('rankUnderBlend agrees with ranking the materialised blend', () => {
  const rand = mulberry32(9);
  const n = 300;
  const c = {
    content: Float64Array.from({ length: n }, () => Math.round(rand() * 10) / 10),
    cooccurrence: Float64Array.from({ length: n }, () => (rand() < 0.8 ? 0 : rand())),
    popularity: Float64Array.from({ length: n }, () => rand()),
    candidate: Uint8Array.from({ length: n }, () => (rand() < 0.9 ? 1 : 0)),
  };
  for (const w of simplexGrid(0.25)) {
    it(JSON.stringify(w), () => {
      const scores = Array.from({ length: n }, (_, i) =>
        c.candidate[i] ? w.content * c.content[i]! + w.cooccurrence * c.cooccurrence[i]! + w.popularity * c.popularity[i]! : NaN,
      );
      for (const target of [0, 17, 123, 299]) assert.equal(rankUnderBlend(c, target, w, 40), rankOf(scores, target, 40));
    });
  }
});

describe('helpers', () => {
  it('simplexGrid(0.1) has 66 points summing to 1', () => {
    const g = simplexGrid(0.1);
    assert.equal(g.length, 66);
    for (const p of g) close(p.content + p.cooccurrence + p.popularity, 1);
  });
  it('sampleKeys is seeded', () => {
    const keys = Array.from({ length: 100 }, (_, i) => i);
    assert.deepEqual(sampleKeys(keys, 5, 1), sampleKeys(keys, 5, 1));
    assert.equal(sampleKeys(keys, 500, 1).length, 100);
  });
  it('addRank', () => {
    const sums = { users: 0, hits: 0, ndcg: 0, recall: 0 };
    addRank(sums, 0, 10, 20);
    addRank(sums, 15, 10, 20);
    addRank(sums, 20, 10, 20);
    assert.deepEqual(sums, { users: 3, hits: 1, ndcg: 1, recall: 2 });
  });
});
