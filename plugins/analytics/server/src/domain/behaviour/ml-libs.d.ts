/** The parts of ml-cart 2 and ml-logistic-regression 2 (no bundled types) that behaviour/ uses. */
declare module 'ml-cart' {
  import type { Matrix } from 'ml-matrix';
  export interface CartNode {
    splitColumn?: number;
    splitValue?: number;
    left?: CartNode;
    right?: CartNode;
    /** leaves only: row vector of class shares */
    distribution?: Matrix;
  }
  export class DecisionTreeClassifier {
    constructor(options?: { gainFunction?: 'gini'; splitFunction?: 'mean'; minNumSamples?: number; maxDepth?: number; gainThreshold?: number });
    root: CartNode;
    train(trainingSet: number[][] | Matrix, trainingLabels: number[]): void;
    predict(toPredict: number[][] | Matrix): number[];
    toJSON(): object;
  }
}

declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';
  interface TwoClasses {
    weights: Matrix;
    train(features: Matrix, target: Matrix): void;
    testScores(features: Matrix): number[];
  }
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    /** one-versus-all: classifiers[c] scores P(class ≠ c) */
    classifiers: TwoClasses[];
    numberClasses: number;
    train(X: Matrix, Y: Matrix): void;
    predict(X: Matrix): number[];
    static load(model: { name: 'LogisticRegression'; numberClasses: number; classifiers: object[] }): LogisticRegression;
  }
}
