/**
 * A trained model as plain JSON (what the model record stores) and back: the tree's nodes, the
 * regression's means, deviations, weights and intercept, or the constant of one-class data. A
 * restored model scores and explains exactly as the one that was trained.
 */
import type { AnyFeatureName } from './features';
import { constantModel, logisticModel, treeModel, type BehaviourModel, type ConstantModel, type LogisticModel, type PlainNode, type TreeModel } from './models';

export type StoredModel =
  | { type: 'decisionTree'; names: AnyFeatureName[]; root: PlainNode }
  | { type: 'logisticRegression'; names: AnyFeatureName[]; means: number[]; stds: number[]; weights: number[]; intercept: number }
  | { type: 'constant'; name: string; rate: number };

const isTree = (m: BehaviourModel): m is TreeModel => 'root' in m;
const isLogistic = (m: BehaviourModel): m is LogisticModel => 'weights' in m;
const isConstant = (m: BehaviourModel): m is ConstantModel => 'constant' in m;

/** The JSON of a model trained by models.ts (a baseline is not stored: it is one column). */
export function serialiseModel(m: BehaviourModel): StoredModel {
  if (isConstant(m)) return { type: 'constant', name: m.name, rate: m.constant };
  if (isTree(m)) return { type: 'decisionTree', names: [...m.names], root: m.root };
  if (isLogistic(m)) return { type: 'logisticRegression', names: [...m.names], means: m.means, stds: m.stds, weights: m.weights, intercept: m.intercept };
  throw new TypeError(`model ${m.name} cannot be stored`);
}

export function restoreModel(s: StoredModel): BehaviourModel {
  switch (s.type) {
    case 'constant':
      return constantModel(s.name, s.rate);
    case 'decisionTree':
      return treeModel(s.root, s.names);
    case 'logisticRegression':
      return logisticModel(s);
  }
}
