import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from './random';
import { topK } from './topk';

describe('topK', () => {
  const cases: Array<[string, number[], number, number[]]> = [
    ['best first', [0.1, 0.9, 0.5, 0.7], 2, [1, 3]],
    ['ties: lower index first', [0.5, 0.5, 0.5], 2, [0, 1]],
    ['k larger than n', [0.2, 0.1], 5, [0, 1]],
    ['NaN means "not a candidate"', [NaN, 0.1, NaN], 3, [1]],
    ['k = 0', [1, 2], 0, []],
  ];
  for (const [name, scores, k, expected] of cases) {
    it(name, () => assert.deepEqual(topK(scores, k).map((r) => r.index), expected));
  }

  it('agrees with a full sort on random scores', () => {
    const rand = mulberry32(7);
    const scores = Array.from({ length: 2000 }, () => Math.round(rand() * 100) / 100);
    const expected = scores
      .map((score, index) => ({ index, score }))
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, 25);
    assert.deepEqual(topK(scores, 25), expected);
  });

  it('honours the accept filter', () => {
    assert.deepEqual(
      topK([3, 2, 1], 2, (i) => i !== 0).map((r) => r.index),
      [1, 2],
    );
  });
});
