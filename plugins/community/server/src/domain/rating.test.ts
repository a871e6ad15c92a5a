import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { countsInAggregate, ratingView, recommenderSignal, roundAverage, summarize } from './rating';

describe('summarize and ratingView', () => {
  const table: Array<[string, Array<{ stars: number; n: number }>, { average: number | null; count: number; h: number[] }]> = [
    ['nobody rated', [], { average: null, count: 0, h: [0, 0, 0, 0, 0] }],
    ['one five', [{ stars: 5, n: 1 }], { average: 5, count: 1, h: [0, 0, 0, 0, 1] }],
    ['mixed', [{ stars: 5, n: 2 }, { stars: 4, n: 1 }, { stars: 1, n: 1 }], { average: 3.75, count: 4, h: [1, 0, 0, 1, 2] }],
    ['thirds round to two decimals', [{ stars: 5, n: 1 }, { stars: 4, n: 2 }], { average: 4.33, count: 3, h: [0, 0, 0, 2, 1] }],
    ['out-of-range stars are ignored', [{ stars: 0, n: 3 }, { stars: 6, n: 1 }, { stars: 2, n: 1 }], { average: 2, count: 1, h: [0, 1, 0, 0, 0] }],
  ];
  for (const [name, counts, expected] of table) {
    test(name, () => {
      const view = ratingView(summarize(counts));
      assert.equal(view.average, expected.average);
      assert.equal(view.count, expected.count);
      assert.deepEqual(Object.values(view.histogram), expected.h);
    });
  }
  test('a missing summary is the empty rating, never shared', () => {
    const a = ratingView(null);
    a.histogram['5'] = 9;
    assert.equal(ratingView(undefined).histogram['5'], 0);
  });
  test('roundAverage', () => {
    assert.equal(roundAverage(0, 0), null);
    assert.equal(roundAverage(10, 3), 3.33);
  });
});

describe('what counts', () => {
  test('visible and not refunded only', () => {
    assert.equal(countsInAggregate({ state: 'visible', refunded: false }), true);
    assert.equal(countsInAggregate({ state: 'hidden', refunded: false }), false);
    assert.equal(countsInAggregate({ state: 'visible', refunded: true }), false);
  });
  test('recommender signal: every rating is a `rate` with its stars (the recommender weighs them); nonsense says nothing', () => {
    for (const s of [1, 2, 3, 4, 5]) assert.deepEqual(recommenderSignal(s), { kind: 'rate', value: s });
    for (const s of [0, 6, 4.5, Number.NaN]) assert.equal(recommenderSignal(s), null);
  });
});
