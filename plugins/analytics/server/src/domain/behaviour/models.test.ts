import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CartNode } from 'ml-cart';
import { computeFeatures, DAY_MS, FEATURE_NAMES, featureRow, type Interaction } from './features';
import { auc } from './metrics';
import { scoreAll, trainBaseline, trainBehaviourModel, trainLogistic, trainTree, type Dataset, type LogisticModel, type TreeModel } from './models';
import { mulberry32 as random } from '@kp/platform';

const CUTOFF = Date.UTC(2026, 5, 1);


/** The known rule: churn if no activity for 14 days and fewer than 3 interactions. */
const churns = (f: { recencyDays: number; frequency: number }) => f.recencyDays >= 14 && f.frequency < 3;

/** Learners with 1–10 interactions, the last one 0–60 days before the cut-off, some on the same day or item. */
function synthetic(learners: number, seed: number): Dataset {
  const rnd = random(seed);
  const events: Interaction[] = [];
  for (let u = 0; u < learners; u++) {
    const n = 1 + Math.floor(rnd() * 10);
    const last = CUTOFF - Math.floor(rnd() * 61 * DAY_MS);
    let at = last;
    for (let i = 0; i < n; i++) {
      events.push({ userId: `u${u}`, itemId: `c${Math.floor(rnd() * 6)}`, at });
      at -= Math.floor(rnd() * 9 * DAY_MS);
    }
  }
  const features = [...computeFeatures(events, CUTOFF).values()];
  return { rows: features.map(featureRow), labels: features.map((f) => (churns(f) ? 1 : 0)) };
}

function splits(node: CartNode | undefined, out: Array<[string, number]> = []): Array<[string, number]> {
  if (node?.left && node.right && node.splitColumn !== undefined && node.splitValue !== undefined) {
    out.push([FEATURE_NAMES[node.splitColumn] as string, node.splitValue]);
    splits(node.left, out);
    splits(node.right, out);
  }
  return out;
}

describe('the tree recovers a known rule (churn: 14+ days inactive and < 3 interactions)', () => {
  const fit = synthetic(3000, 1);
  const validation = synthetic(3000, 2);
  const train = synthetic(3000, 3);
  const test_ = synthetic(3000, 4);
  const trained = trainBehaviourModel({ fit, validation, train });
  const tree = trained.candidates.decisionTree as TreeModel;

  test('the data has both classes in useful amounts', () => {
    const rate = Array.from(train.labels).reduce((a, b) => a + b, 0) / train.labels.length;
    assert.ok(rate > 0.05 && rate < 0.5, String(rate));
  });
  test('its splits are the rule: recency at 14 days and frequency at 3, nothing else', () => {
    const s = splits(tree.root).map(([f, v]) => `${f}:${Math.ceil(v)}`);
    assert.deepEqual([...new Set(s)].sort(), ['frequency:3', 'recencyDays:14']);
  });
  test('the reason of a churner names both conditions; others do not get it', () => {
    const churner = [20, 2, 2, 2, 25, 0, 2, 5];
    const reason = tree.reason(churner);
    assert.match(reason, /no activity for 14\+ days/);
    assert.match(reason, /fewer than 3 interactions/);
    assert.ok(tree.score(churner) > 0.95);
    const recent = [3, 2, 2, 2, 10, 2, 2, 7];
    assert.match(tree.reason(recent), /active within the last 14 days/);
    assert.ok(tree.score(recent) < 0.05);
  });
  test('held-out AUC ≥ 0.95 for the tree and the chosen model; baselines below it', () => {
    const treeAuc = auc(scoreAll(tree, test_.rows), test_.labels)!;
    const chosenAuc = auc(scoreAll(trained.chosen, test_.rows), test_.labels)!;
    assert.ok(treeAuc >= 0.95, `tree ${treeAuc}`);
    assert.ok(chosenAuc >= 0.95, `chosen ${trained.chosen.name} ${chosenAuc}`);
    for (const b of Object.values(trained.baselines)) {
      const a = auc(scoreAll(b, test_.rows), test_.labels)!;
      assert.ok(a < treeAuc, `${b.name} ${a}`);
    }
  });
  test('the choice is made on the validation split', () => {
    assert.equal(trained.chosen.name, trained.validationAuc.decisionTree! >= trained.validationAuc.logisticRegression! ? 'decisionTree' : 'logisticRegression');
  });
});

describe('logistic regression on standardised features', () => {
  // Positive = active soon: recent learners with many interactions.
  const data = synthetic(2000, 9);
  const active: Dataset = { rows: data.rows, labels: Array.from(data.labels, (y) => 1 - y) };
  const m = trainLogistic(active) as LogisticModel;
  test('recency lowers the score; the fit ranks well', () => {
    assert.ok((m.weights[0] as number) < 0, String(m.weights));
    assert.ok(auc(scoreAll(m, active.rows), active.labels)! > 0.9);
  });
  test('the reason lists the largest contributions with their signs', () => {
    const reason = m.reason([40, 1, 1, 1, 40, 0, 0, 40]);
    const parts = reason.split('; ');
    assert.equal(parts.length, 3, reason);
    const sizes = parts.map((p) => {
      const m_ = /^[a-z0-9 ]+ \d+(?:\.\d)? \(([+−])(\d+\.\d\d)\)$/.exec(p);
      assert.ok(m_, p);
      return Number(m_[2]);
    });
    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
    // a long-inactive learner with one interaction: every listed contribution lowers "active soon"
    assert.doesNotMatch(reason, /\(\+/);
  });
});

describe('degenerate and baseline cases', () => {
  const oneClass: Dataset = { rows: [[1, 1, 1, 1, 1, 0, 1, 1], [2, 2, 2, 2, 2, 0, 2, 2]], labels: [0, 0] };
  test('one class only: a constant model, no error', () => {
    assert.equal(trainTree(oneClass).score([5, 5, 5, 5, 5, 5, 5, 5]), 0);
    assert.equal(trainLogistic(oneClass).score([5, 5, 5, 5, 5, 5, 5, 5]), 0);
  });
  test('a baseline is oriented on the training data', () => {
    const d: Dataset = { rows: [[1, 9], [2, 8], [30, 1], [40, 1]].map(([r, f]) => [r!, f!, 1, 1, 50, 0, 0, 1]), labels: [1, 1, 0, 0] };
    const recency = trainBaseline('recencyDays', d);
    const frequency = trainBaseline('frequency', d);
    assert.equal(recency.name, 'recency');
    assert.equal(auc(scoreAll(recency, d.rows), d.labels), 1);
    assert.equal(auc(scoreAll(frequency, d.rows), d.labels), 1);
  });
});
