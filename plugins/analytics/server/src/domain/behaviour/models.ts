/**
 * Explainable models over the behaviour features: a decision tree (ml-cart) and a logistic
 * regression (ml-logistic-regression on standardised features, ml-matrix), the better kept by AUC
 * on a held-out time split, with single-feature baselines (recency alone, frequency alone) beside.
 *
 * Every model scores a row (FEATURE_NAMES order) with a number where higher means "more likely
 * positive", and gives the reason for that score in words.
 */
import { DecisionTreeClassifier, type CartNode } from 'ml-cart';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { explainContributions, explainTree, describeCondition } from './explain';
import { FEATURE_NAMES, type AnyFeatureName } from './features';
import { auc } from './metrics';
import { mulberry32 as random } from '@kp/platform';

export interface Dataset {
  /** one row per learner, in `names` order */
  rows: number[][];
  /** 1 = positive, 0 = negative */
  labels: ArrayLike<number>;
  /** the columns of `rows` (default FEATURE_NAMES, the interaction features) */
  names?: readonly AnyFeatureName[];
}

const namesOf = (d: Dataset): readonly AnyFeatureName[] => d.names ?? FEATURE_NAMES;

export interface BehaviourModel {
  name: string;
  score(row: ArrayLike<number>): number;
  reason(row: ArrayLike<number>): string;
}

export const CANDIDATES = ['decisionTree', 'logisticRegression'] as const;
export type CandidateName = (typeof CANDIDATES)[number];

export interface TrainOptions {
  /** tree depth (default 3: a reason of at most three conditions) */
  maxDepth?: number;
  /** the tree is grown on a seeded sample of at most this many rows: ml-cart counts the classes of
   *  every candidate split with indexOf, quadratic in a node's rows (5000 rows: about 3 s) */
  maxTreeRows?: number;
  /** a tree column with more distinct values is binned to this many quantile edges */
  maxBins?: number;
  /** the regression is fitted on a seeded sample of at most this many rows */
  maxLogisticRows?: number;
  /** gradient steps of the regression */
  steps?: number;
  seed?: number;
}

const DEFAULTS = { maxDepth: 3, maxTreeRows: 5000, maxBins: 64, maxLogisticRows: 10_000, steps: 300, seed: 42 };

function labelsOf(d: Dataset): number[] {
  const y = new Array<number>(d.labels.length);
  for (let i = 0; i < y.length; i++) y[i] = d.labels[i] ? 1 : 0;
  return y;
}

function positiveRate(y: readonly number[]): number {
  let p = 0;
  for (const v of y) p += v;
  return y.length ? p / y.length : 0;
}

export interface ConstantModel extends BehaviourModel {
  constant: number;
}

/** A model that gives everyone the training positive rate (one class only in training). */
export function constantModel(name: string, rate: number): ConstantModel {
  return { name, constant: rate, score: () => rate, reason: () => `every training learner had the same outcome (${Math.round(rate * 100)}%)` };
}


function sampleIndices(n: number, k: number, seed: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  if (n <= k) return idx;
  const rnd = random(seed);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rnd() * (n - i));
    [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
  }
  return idx.slice(0, k);
}

export interface TreeModel extends BehaviourModel {
  root: PlainNode;
  names: readonly AnyFeatureName[];
}

/** A tree as plain data (what is stored): ml-cart's nodes with each leaf's positive share as `rate`. */
export interface PlainNode {
  splitColumn?: number;
  splitValue?: number;
  left?: PlainNode;
  right?: PlainNode;
  /** leaves: share of positives among the training rows that reached it */
  rate?: number;
}

/** ml-cart's tree as plain data (its leaves keep their class shares in a Matrix). */
export function plainTree(node: CartNode): PlainNode {
  if (node.left && node.right && node.splitColumn !== undefined && node.splitValue !== undefined) {
    return { splitColumn: node.splitColumn, splitValue: node.splitValue, left: plainTree(node.left), right: plainTree(node.right) };
  }
  const d = node.distribution;
  return { rate: d && d.columns > 1 ? d.get(0, 1) : 0 };
}

/** Share of positives in the leaf a row reaches. */
function leafRate(root: PlainNode, row: ArrayLike<number>): number {
  let node: PlainNode = root;
  while (node.left && node.right && node.splitColumn !== undefined && node.splitValue !== undefined) {
    node = (row[node.splitColumn] as number) < node.splitValue ? node.left : node.right;
  }
  return node.rate ?? 0;
}

/** A plain tree (trained here or stored) as a model that scores and explains. */
export function treeModel(root: PlainNode, names: readonly AnyFeatureName[]): TreeModel {
  return { name: 'decisionTree', root, names, score: (row) => leafRate(root, row), reason: (row) => explainTree(root, row, names) };
}

/**
 * Quantile bins of one column when it has more than `maxBins` distinct values: the sorted distinct
 * bin edges (each a value of the data), else null (the column is used as it is).
 */
export function binEdges(column: Float64Array, maxBins: number): number[] | null {
  const sorted = Float64Array.from(column).sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= maxBins) return null;
  const edges: number[] = [];
  for (let b = 0; b < maxBins; b++) {
    const v = sorted[Math.floor((b * sorted.length) / maxBins)] as number;
    if (edges.length === 0 || v > (edges[edges.length - 1] as number)) edges.push(v);
  }
  return edges;
}

/** The largest edge ≤ x (x below every edge: the first edge). */
function toEdge(edges: readonly number[], x: number): number {
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((edges[mid] as number) <= x) lo = mid;
    else hi = mid - 1;
  }
  return edges[lo] as number;
}

/** A split grown on binned values (between edges a and b) is `x < b` on raw values. */
function unbin(node: CartNode | undefined, edges: ReadonlyArray<number[] | null>): void {
  if (!node || node.splitColumn === undefined || node.splitValue === undefined || !node.left || !node.right) return;
  const e = edges[node.splitColumn];
  if (e) {
    const v = node.splitValue;
    node.splitValue = e.find((x) => x > v) ?? v;
  }
  unbin(node.left, edges);
  unbin(node.right, edges);
}

export function trainTree(data: Dataset, options: TrainOptions = {}): TreeModel | BehaviourModel {
  const o = { ...DEFAULTS, ...options };
  const y = labelsOf(data);
  const rate = positiveRate(y);
  if (rate === 0 || rate === 1) return constantModel('decisionTree', rate);
  // Negatives first: ml-cart proposes a split wherever the label changes in the stable sort by
  // value, so grouping labels within equal values keeps the candidates to about two per value;
  // columns with many values are binned to quantile edges, so a split is tried at most ~2 × maxBins
  // times per column.
  const picked = sampleIndices(y.length, o.maxTreeRows, o.seed).sort((a, b) => (y[a] as number) - (y[b] as number) || a - b);
  const names = namesOf(data);
  const d = names.length;
  const edges = Array.from({ length: d }, (_, j) => binEdges(Float64Array.from(picked, (i) => (data.rows[i] as number[])[j] as number), o.maxBins));
  const X = picked.map((i) => Array.from(data.rows[i] as number[], (v, j) => (edges[j] ? toEdge(edges[j] as number[], v) : v)));
  const Y = picked.map((i) => y[i] as number);
  const tree = new DecisionTreeClassifier({
    maxDepth: o.maxDepth,
    minNumSamples: Math.max(10, Math.round(picked.length * 0.01)),
    gainThreshold: 0.0005,
  });
  tree.train(X, Y);
  const root = tree.root;
  unbin(root, edges);
  return treeModel(plainTree(root), names);
}

export interface LogisticModel extends BehaviourModel {
  names: readonly AnyFeatureName[];
  means: number[];
  stds: number[];
  /** per feature, on standardised values */
  weights: number[];
  intercept: number;
}

interface TwoClassLearner {
  weights: Matrix;
  train(features: Matrix, target: Matrix): void;
}

export function trainLogistic(data: Dataset, options: TrainOptions = {}): LogisticModel | BehaviourModel {
  const o = { ...DEFAULTS, ...options };
  const y = labelsOf(data);
  const rate = positiveRate(y);
  if (rate === 0 || rate === 1) return constantModel('logisticRegression', rate);
  const picked = sampleIndices(y.length, o.maxLogisticRows, o.seed);
  const rows = picked.map((i) => data.rows[i] as number[]);
  const ys = picked.map((i) => y[i] as number);
  const n = rows.length;
  const names = namesOf(data);
  const d = names.length;
  const means = new Array<number>(d).fill(0);
  const stds = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) means[j]! += (r[j] as number) / n;
  for (const r of rows) for (let j = 0; j < d; j++) stds[j]! += ((r[j] as number) - (means[j] as number)) ** 2 / n;
  for (let j = 0; j < d; j++) stds[j] = Math.sqrt(stds[j] as number) || 1;
  const X = new Matrix(n, d + 1);
  for (let i = 0; i < n; i++) {
    const r = rows[i] as number[];
    for (let j = 0; j < d; j++) X.set(i, j, ((r[j] as number) - (means[j] as number)) / (stds[j] as number));
    X.set(i, d, 1); // intercept
  }
  // The library sums the gradient over rows: a step of 1/n is a step of 1 on the mean gradient.
  // LogisticRegression.train fits one-versus-all, i.e. two mirror-image learners for two classes;
  // its two-class learner alone (as LogisticRegression.load restores it) fits P(positive) once.
  const twoClasses = LogisticRegression.load({ name: 'LogisticRegression', numberClasses: 1, classifiers: [{ numSteps: o.steps, learningRate: 1 / n }] })
    .classifiers[0] as TwoClassLearner;
  twoClasses.train(X, Matrix.columnVector(ys));
  const w = twoClasses.weights.to1DArray();
  return logisticModel({ names, means, stds, weights: w.slice(0, d), intercept: w[d] as number });
}

/** The fitted numbers of a regression (what is stored) as a model that scores and explains. */
export function logisticModel(p: { names: readonly AnyFeatureName[]; means: number[]; stds: number[]; weights: number[]; intercept: number }): LogisticModel {
  const { names, means, stds, weights, intercept } = p;
  const contributions = (row: ArrayLike<number>) =>
    names.map((feature, j) => ({
      feature,
      value: row[j] as number,
      contribution: (weights[j] as number) * (((row[j] as number) - (means[j] as number)) / (stds[j] as number)),
    }));
  return {
    name: 'logisticRegression',
    names,
    means,
    stds,
    weights,
    intercept,
    score: (row) => {
      let z = intercept;
      for (const c of contributions(row)) z += c.contribution;
      return 1 / (1 + Math.exp(-z));
    },
    reason: (row) => explainContributions(contributions(row)),
  };
}

/**
 * One feature alone, oriented on the training data so that higher scores go with positives
 * (for "still active", recent learners score high; for "churn", long-inactive ones do).
 */
export function trainBaseline(feature: AnyFeatureName, data: Dataset): BehaviourModel {
  const j = namesOf(data).indexOf(feature);
  if (j < 0) throw new RangeError(`${feature} is not a column of the data`);
  const column = data.rows.map((r) => r[j] as number);
  const sign = (auc(column, data.labels) ?? 0.5) >= 0.5 ? 1 : -1;
  return {
    name: feature === 'recencyDays' ? 'recency' : feature,
    score: (row) => sign * (row[j] as number),
    reason: (row) => describeCondition(feature, '>=', row[j] as number),
  };
}

export function trainCandidate(name: CandidateName, data: Dataset, options: TrainOptions = {}): BehaviourModel {
  return name === 'decisionTree' ? trainTree(data, options) : trainLogistic(data, options);
}

export function scoreAll(model: BehaviourModel, rows: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = model.score(rows[i] as ArrayLike<number>);
  return out;
}

export interface TrainedBehaviour {
  /** the candidate with the better held-out AUC, refitted on `train` */
  chosen: BehaviourModel;
  /** held-out AUC of each candidate fitted on `fit` and scored on `validation` */
  validationAuc: Record<CandidateName, number | null>;
  candidates: Record<CandidateName, BehaviourModel>;
  baselines: { recency: BehaviourModel; frequency: BehaviourModel };
}

/**
 * Picks the model on a time split inside the training window (fit on an earlier cut-off,
 * validated on the later one), then refits every candidate on `train`, the latest labelled window.
 * A tie goes to the tree (its reason is the easier to read).
 */
export function trainBehaviourModel(windows: { fit: Dataset; validation: Dataset; train: Dataset }, options: TrainOptions = {}): TrainedBehaviour {
  const validationAuc = {} as Record<CandidateName, number | null>;
  for (const name of CANDIDATES) {
    const m = trainCandidate(name, windows.fit, options);
    validationAuc[name] = windows.validation.rows.length ? auc(scoreAll(m, windows.validation.rows), windows.validation.labels) : null;
  }
  let best: CandidateName = 'decisionTree';
  for (const name of CANDIDATES) if ((validationAuc[name] ?? -1) > (validationAuc[best] ?? -1)) best = name;
  const candidates = {} as Record<CandidateName, BehaviourModel>;
  for (const name of CANDIDATES) candidates[name] = trainCandidate(name, windows.train, options);
  return {
    chosen: candidates[best],
    validationAuc,
    candidates,
    baselines: { recency: trainBaseline('recencyDays', windows.train), frequency: trainBaseline('frequency', windows.train) },
  };
}
