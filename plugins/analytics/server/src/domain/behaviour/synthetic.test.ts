/**
 * Issue 19's synthetic rule over the server's feature set (interactions, then orders and progress):
 * learners churn iff no activity for 14+ days AND completion < 0.3. The tree must recover both
 * conditions, name them in its reason, and reach a held-out AUC ≥ 0.95; a stored and restored
 * model scores and explains the same.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeFeatures, DAY_MS, LEARNER_FEATURE_NAMES, learnerRow, platformFeatures, type Interaction } from './features';
import { auc } from './metrics';
import { scoreAll, trainBehaviourModel, type Dataset, type TreeModel, type PlainNode } from './models';
import { restoreModel, serialiseModel } from './stored';
import { mulberry32 as random } from '@kp/platform';

const CUTOFF = Date.UTC(2026, 5, 1);
const churns = (recencyDays: number, completion: number) => recencyDays >= 14 && completion < 0.3;

/** Learners with 1–12 interactions (last one 0–60 days ago) and 1–20 chapters started, a random share completed. */
function synthetic(learners: number, seed: number): Dataset {
  const rnd = random(seed);
  const events: Interaction[] = [];
  const progress = new Map<string, { started: number; completed: number; courses: number; purchases: number }>();
  for (let u = 0; u < learners; u++) {
    const n = 1 + Math.floor(rnd() * 12);
    let at = CUTOFF - Math.floor(rnd() * 61 * DAY_MS);
    for (let i = 0; i < n; i++) {
      events.push({ userId: `u${u}`, itemId: `c${Math.floor(rnd() * 6)}`, at });
      at -= Math.floor(rnd() * 9 * DAY_MS);
    }
    const started = 1 + Math.floor(rnd() * 20);
    progress.set(`u${u}`, { started, completed: Math.floor(rnd() * (started + 1)), courses: 1 + Math.floor(rnd() * 3), purchases: Math.floor(rnd() * 3) });
  }
  const rows: number[][] = [];
  const labels: number[] = [];
  for (const [user, f] of computeFeatures(events, CUTOFF)) {
    const p = progress.get(user)!;
    const pf = platformFeatures({ purchases: p.purchases, lastPurchaseAt: p.purchases ? CUTOFF - 20 * DAY_MS : null, chaptersStarted: p.started, chaptersCompleted: p.completed, coursesStarted: p.courses }, CUTOFF);
    rows.push(learnerRow(f, pf));
    labels.push(churns(f.recencyDays, pf.completionRatio) ? 1 : 0);
  }
  return { rows, labels, names: LEARNER_FEATURE_NAMES };
}

function splits(node: PlainNode | undefined, out: Array<[string, number]> = []): Array<[string, number]> {
  if (node?.left && node.right && node.splitColumn !== undefined && node.splitValue !== undefined) {
    out.push([LEARNER_FEATURE_NAMES[node.splitColumn] as string, node.splitValue]);
    splits(node.left, out);
    splits(node.right, out);
  }
  return out;
}

const at = (overrides: Partial<Record<(typeof LEARNER_FEATURE_NAMES)[number], number>>): number[] => {
  const base: Record<string, number> = { recencyDays: 5, frequency: 5, distinctItems: 3, activeDays: 4, daysSinceFirst: 30, last7Days: 1, last30Days: 4, meanGapDays: 5, completionRatio: 0.5, chaptersCompleted: 5, coursesStarted: 1, purchases: 1, daysSinceLastPurchase: 20 };
  return LEARNER_FEATURE_NAMES.map((n) => overrides[n] ?? (base[n] as number));
};

describe('synthetic rule: churn iff no activity for 14+ days and completion < 0.3', () => {
  const trained = trainBehaviourModel({ fit: synthetic(3000, 11), validation: synthetic(3000, 12), train: synthetic(3000, 13) });
  const test_ = synthetic(3000, 14);
  const tree = trained.candidates.decisionTree as TreeModel;

  test('both classes in useful amounts', () => {
    const rate = test_.labels.length ? Array.from(test_.labels).reduce((a, b) => a + b, 0) / test_.labels.length : 0;
    assert.ok(rate > 0.05 && rate < 0.5, String(rate));
  });
  test('the tree splits on exactly the two features of the rule, at the rule’s thresholds', () => {
    const s = splits(tree.root);
    assert.deepEqual([...new Set(s.map(([f]) => f))].sort(), ['completionRatio', 'recencyDays']);
    for (const [f, v] of s) {
      if (f === 'recencyDays') assert.equal(Math.ceil(v), 14, `recency split ${v}`);
      else assert.ok(v > 0.25 && v <= 0.3, `completion split ${v}`);
    }
  });
  test('a churner’s reason names both conditions; an active or completing learner is not at risk', () => {
    const churner = at({ recencyDays: 21, last7Days: 0, last30Days: 1, completionRatio: 0.1 });
    assert.match(tree.reason(churner), /no activity for 14\+ days/);
    assert.match(tree.reason(churner), /completion < (29|30)%/);
    assert.ok(tree.score(churner) > 0.95, String(tree.score(churner)));
    assert.ok(tree.score(at({ recencyDays: 3, completionRatio: 0.1 })) < 0.05);
    assert.ok(tree.score(at({ recencyDays: 30, completionRatio: 0.8 })) < 0.05);
    assert.match(tree.reason(at({ recencyDays: 30, completionRatio: 0.8 })), /completion ≥ (29|30)%/);
  });
  test('held-out AUC ≥ 0.95 for the tree and the chosen model, above both baselines', () => {
    const treeAuc = auc(scoreAll(tree, test_.rows), test_.labels)!;
    const chosenAuc = auc(scoreAll(trained.chosen, test_.rows), test_.labels)!;
    assert.ok(treeAuc >= 0.95, `tree ${treeAuc}`);
    assert.ok(chosenAuc >= 0.95, `chosen ${trained.chosen.name} ${chosenAuc}`);
    for (const b of Object.values(trained.baselines)) assert.ok(auc(scoreAll(b, test_.rows), test_.labels)! < treeAuc, b.name);
  });
  test('stored as JSON and restored: same scores and reasons, for both candidates', () => {
    for (const m of Object.values(trained.candidates)) {
      const back = restoreModel(JSON.parse(JSON.stringify(serialiseModel(m))));
      assert.equal(back.name, m.name);
      for (const row of test_.rows.slice(0, 200)) {
        assert.equal(back.score(row), m.score(row));
        assert.equal(back.reason(row), m.reason(row));
      }
    }
  });
});
