/**
 * One model's training on the platform's windows, as the model record reports it: candidates fitted
 * on the earlier window and measured on the later one (held-out AUC and precision in the top 10 %),
 * the better kept (a tie goes to the tree) and refitted on the latest labelled window, with both
 * baselines measured on the same held-out window.
 */
import type { AnyFeatureName } from './features';
import { auc, precisionAtFraction } from './metrics';
import { CANDIDATES, scoreAll, trainBaseline, trainCandidate, type BehaviourModel, type CandidateName, type Dataset, type TrainOptions } from './models';

export interface Measured {
  auc: number | null;
  precisionAt10pct: number | null;
}

export interface TrainingReport {
  chosen: { name: CandidateName } & Measured;
  candidates: Record<CandidateName, Measured>;
  baselines: { recency: Measured; frequency: Measured };
  /** learners and positives of the latest labelled window (what the chosen model was refitted on) */
  learners: number;
  positives: number;
  heldOut: { learners: number; positives: number };
}

/** A dataset from learners' rows and who was positive; `keep` picks the population. */
export function labelled(ids: readonly number[], rows: readonly number[][], positive: (id: number) => boolean, names: readonly AnyFeatureName[], keep: (row: readonly number[]) => boolean = () => true): Dataset {
  const out: Dataset & { labels: number[] } = { rows: [], labels: [], names };
  for (let i = 0; i < ids.length; i++) {
    const row = rows[i] as number[];
    if (!keep(row)) continue;
    out.rows.push(row);
    out.labels.push(positive(ids[i] as number) ? 1 : 0);
  }
  return out;
}

const round4 = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);

function measure(m: BehaviourModel, d: Dataset): Measured {
  if (d.rows.length === 0) return { auc: null, precisionAt10pct: null };
  const s = scoreAll(m, d.rows);
  return { auc: round4(auc(s, d.labels)), precisionAt10pct: round4(precisionAtFraction(s, d.labels, 0.1)) };
}

const positives = (d: Dataset) => Array.from(d.labels).reduce((a, b) => a + (b ? 1 : 0), 0);

/** Picks by held-out AUC (fit → heldOut), refits the pick on `train`. */
export function trainAndReport(windows: { fit: Dataset; heldOut: Dataset; train: Dataset }, options: TrainOptions = {}): { model: BehaviourModel; report: TrainingReport } {
  const candidates = {} as Record<CandidateName, Measured>;
  for (const name of CANDIDATES) candidates[name] = measure(trainCandidate(name, windows.fit, options), windows.heldOut);
  let best: CandidateName = 'decisionTree';
  for (const name of CANDIDATES) if ((candidates[name].auc ?? -1) > (candidates[best].auc ?? -1)) best = name;
  const baselines = {
    recency: measure(trainBaseline('recencyDays', windows.fit), windows.heldOut),
    frequency: measure(trainBaseline('frequency', windows.fit), windows.heldOut),
  };
  const model = trainCandidate(best, windows.train, options);
  return {
    model,
    report: {
      chosen: { name: best, ...candidates[best] },
      candidates,
      baselines,
      learners: windows.train.rows.length,
      positives: positives(windows.train),
      heldOut: { learners: windows.heldOut.rows.length, positives: positives(windows.heldOut) },
    },
  };
}
