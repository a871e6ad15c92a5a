import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FEATURE_NAMES } from './features';
import { labelled, trainAndReport } from './training';
import { mulberry32 as random } from '@kp/platform';

/** Rows where "recent" (recency < 10) is the positive class, with noise on the other columns. */
function data(n: number, seed: number) {
  const rnd = random(seed);
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  const rows = ids.map(() => [Math.floor(rnd() * 40), Math.floor(rnd() * 10), 1, 1, 50, 0, 0, 3]);
  return { ids, rows, positive: (id: number) => (rows[id - 1]![0] as number) < 10 };
}

describe('labelled', () => {
  test('labels by id and keeps the population asked for', () => {
    const d = labelled([1, 2, 3], [[1], [50], [5]], (id) => id !== 2, ['recencyDays'], (r) => (r[0] as number) < 30);
    assert.deepEqual(d.rows, [[1], [5]]);
    assert.deepEqual(d.labels, [1, 1]);
  });
});

describe('trainAndReport', () => {
  const w = (seed: number) => {
    const x = data(800, seed);
    return labelled(x.ids, x.rows, x.positive, FEATURE_NAMES);
  };
  const { model, report } = trainAndReport({ fit: w(1), heldOut: w(2), train: w(3) });
  test('held-out figures for both candidates and both baselines; the better kept', () => {
    assert.ok(report.candidates.decisionTree.auc! > 0.95);
    assert.ok(report.baselines.recency.auc! > 0.95, 'recency alone is the rule here');
    assert.ok(report.baselines.frequency.auc! < 0.6);
    const best = report.candidates.decisionTree.auc! >= report.candidates.logisticRegression.auc! ? 'decisionTree' : 'logisticRegression';
    assert.equal(report.chosen.name, best);
    assert.equal(model.name, best);
    assert.equal(report.learners, 800);
    assert.ok(report.positives > 100 && report.positives < 300);
    assert.equal(report.heldOut.learners, 800);
  });
  test('empty held-out window: no figures, the tree by default', () => {
    const r = trainAndReport({ fit: w(1), heldOut: { rows: [], labels: [], names: FEATURE_NAMES }, train: w(3) }).report;
    assert.equal(r.chosen.name, 'decisionTree');
    assert.equal(r.chosen.auc, null);
  });
});
