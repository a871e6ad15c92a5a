import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auc, precisionAtFraction } from './metrics';

describe('auc: rank statistic with ties', () => {
  const table = [
    { name: 'perfect', scores: [0.9, 0.8, 0.2, 0.1], labels: [1, 1, 0, 0], want: 1 },
    { name: 'inverted', scores: [0.1, 0.2, 0.8, 0.9], labels: [1, 1, 0, 0], want: 0 },
    { name: 'all tied', scores: [0.5, 0.5, 0.5, 0.5], labels: [1, 0, 1, 0], want: 0.5 },
    // pairs (pos,neg): (0.8>0.6) (0.8>0.3) (0.6=0.6 → ½) (0.6>0.3) → 3.5 / 4
    { name: 'one tie across classes', scores: [0.8, 0.6, 0.6, 0.3], labels: [1, 1, 0, 0], want: 0.875 },
    // 3 pos × 2 neg = 6 pairs: pos 3 beats both (2), pos 2 beats 1 (1), pos 1 beats none → 3 / 6
    { name: 'interleaved', scores: [3, 2.5, 2, 1.5, 1], labels: [1, 0, 1, 0, 1], want: 0.5 },
    { name: 'one class only', scores: [1, 2], labels: [1, 1], want: null },
  ];
  for (const row of table) test(row.name, () => assert.equal(auc(row.scores, row.labels), row.want));
  test('length mismatch is an error', () => assert.throws(() => auc([1], [1, 0]), /1 scores for 2 labels/));
  test('large input: no stack overflow, matches a random score ≈ 0.5', () => {
    const n = 1_000_000;
    const s = new Float64Array(n);
    const y = new Uint8Array(n);
    let seed = 7;
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      s[i] = seed / 2147483648;
      y[i] = i % 3 === 0 ? 1 : 0;
    }
    const a = auc(s, y)!;
    assert.ok(Math.abs(a - 0.5) < 0.01, String(a));
  });
});

describe('precisionAtFraction', () => {
  const table = [
    { name: 'top 10% of 10 = the best one', scores: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], labels: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], f: 0.1, want: 1 },
    { name: 'top 20%, one of two', scores: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], labels: [0, 1, 0, 0, 0, 0, 0, 0, 0, 1], f: 0.2, want: 0.5 },
    // k = 2: one above the boundary (pos), tied group of 4 with 2 positives fills 1 place → 1 + 0.5
    { name: 'ties at the boundary count in expectation', scores: [9, 5, 5, 5, 5, 1], labels: [1, 1, 0, 1, 0, 0], f: 0.3, want: 0.75 },
    { name: 'k rounds up', scores: [3, 2, 1], labels: [0, 1, 1], f: 0.1, want: 0 },
    { name: 'empty', scores: [], labels: [], f: 0.1, want: null },
  ];
  for (const row of table) test(row.name, () => assert.equal(precisionAtFraction(row.scores, row.labels, row.f), row.want));
});
