/**
 * One behaviour training from its SQL to its model records' contents, with the database reached
 * through `run`: Strapi's connection (in process) or a knex connection of its own in a child process
 * (services/behaviour-trainer.ts), so that a training's feature matrices and model fitting do not
 * grow the Strapi process. The SQL is built by the parent from Strapi's metadata (`behaviourQueries`)
 * and handed over as text and bindings; what comes back is plain data (JSON models, reports,
 * segments, timings).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LEARNER_FEATURE_NAMES } from '../domain/behaviour/features';
import { segmentLearners, type Scaler, type Segment } from '../domain/behaviour/segments';
import { serialiseModel, type StoredModel } from '../domain/behaviour/stored';
import { labelled, trainAndReport, type TrainingReport } from '../domain/behaviour/training';
import type { TrainOptions } from '../domain/behaviour/models';
import { windowRows, usersFrom, type WindowQueries } from './behaviour';
import type { Sql } from './sql';

/** What a training needs: the windows' and labels' SQL (oldest first) and the settings. */
export interface TrainingPlan {
  pg: boolean;
  /** features as of now − 3h, now − 2h, now − h, now */
  windows: [WindowQueries, WindowQueries, WindowQueries, WindowQueries];
  /** interactions in (now − 3h, now − 2h], (now − 2h, now − h], (now − h, now] */
  active: [Sql, Sql, Sql];
  /** paid orders in the same three spans */
  bought: [Sql, Sql, Sql];
  activeDays: number;
  segments: number;
  options: TrainOptions;
}

export interface TrainingOutput {
  churn: { model: StoredModel; report: TrainingReport };
  propensity: { model: StoredModel; report: TrainingReport };
  segments: { scaler: Scaler; centroids: number[][]; segments: Segment[]; learners: number };
  /** ms per step */
  timings: Record<string, number>;
}

export type Runner = (query: Sql) => Promise<Record<string, unknown>[]>;
export type OnStep = (step: string, progress: number) => void;

const RECENCY = LEARNER_FEATURE_NAMES.indexOf('recencyDays');

/** Features, labels, both models and the segments; throws on any failure (nothing is written here). */
export async function runTraining(plan: TrainingPlan, run: Runner, onStep: OnStep = () => undefined): Promise<TrainingOutput> {
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const t2 = performance.now();
    timings[name] = Math.round(t2 - mark);
    mark = t2;
  };
  onStep('features', 0.1);
  // Only the ids and rows are kept: the per-learner feature maps are dropped as each window is built.
  const strip = async (q: WindowQueries) => {
    const r = await windowRows(q, run);
    return { ids: r.ids, rows: r.rows };
  };
  // One window at a time: a window's query results and maps are garbage before the next is read.
  const windows: Array<{ ids: number[]; rows: number[][] }> = [];
  for (const q of plan.windows) windows.push(await strip(q));
  const [w3, w2, w1, w0] = windows;
  lap('features');
  onStep('labels', 0.3);
  const sets = async (qs: readonly Sql[]) => Promise.all(qs.map(async (q) => usersFrom(await run(q))));
  const [active2, active1, active0] = await sets(plan.active);
  const [bought2, bought1, bought0] = await sets(plan.bought);
  if (!w3 || !w2 || !w1 || !w0 || !active2 || !active1 || !active0 || !bought2 || !bought1 || !bought0) throw new Error('behaviour training: a window is missing');
  const names = LEARNER_FEATURE_NAMES;
  const isActive = (row: readonly number[]) => (row[RECENCY] as number) <= plan.activeDays;
  lap('labels');
  onStep('churn', 0.45);
  const churn = trainAndReport({
    fit: labelled(w3.ids, w3.rows, (id) => !active2.has(id), names, isActive),
    heldOut: labelled(w2.ids, w2.rows, (id) => !active1.has(id), names, isActive),
    train: labelled(w1.ids, w1.rows, (id) => !active0.has(id), names, isActive),
  }, plan.options);
  lap('churn');
  onStep('propensity', 0.65);
  const propensity = trainAndReport({
    fit: labelled(w3.ids, w3.rows, (id) => bought2.has(id), names),
    heldOut: labelled(w2.ids, w2.rows, (id) => bought1.has(id), names),
    train: labelled(w1.ids, w1.rows, (id) => bought0.has(id), names),
  }, plan.options);
  lap('propensity');
  onStep('segments', 0.8);
  const seg = segmentLearners(w0.rows, names, { k: plan.segments });
  lap('segments');
  return {
    churn: { model: serialiseModel(churn.model), report: churn.report },
    propensity: { model: serialiseModel(propensity.model), report: propensity.report },
    segments: { scaler: seg.scaler, centroids: seg.centroids, segments: seg.segments, learners: w0.rows.length },
    timings,
  };
}

/** The knex configuration of the child's own connection (read-only on SQLite). */
export interface ChildConnection {
  client: 'pg' | 'better-sqlite3';
  connection: Record<string, unknown>;
}

/** Messages of the child process. */
export type TrainerMessage =
  | { type: 'step'; step: string; progress: number }
  | { type: 'done'; output: TrainingOutput; maxRssKb: number }
  | { type: 'error'; message: string };

/** The training child's V8 old-space limit (MB). */
const CHILD_HEAP_MB = 320;

/** The child's script: the compiled .js beside this file, or the .ts source under tsx. */
function trainerScript(): { file: string; execArgv: string[] } {
  const js = path.join(__dirname, 'behaviour-trainer.js');
  // A bounded old space makes V8 collect before the heap grows past what the training keeps alive.
  const heap = `--max-old-space-size=${CHILD_HEAP_MB}`;
  if (fs.existsSync(js)) return { file: js, execArgv: [heap] };
  return { file: path.join(__dirname, 'behaviour-trainer.ts'), execArgv: [heap, '--import', 'tsx'] };
}

/**
 * Runs `runTraining` in a forked Node process with its own database connection; resolves with its
 * output and the child's peak RSS (`process.resourceUsage().maxRSS`), rejects on its error or exit.
 */
export function trainInChild(plan: TrainingPlan, connection: ChildConnection, onStep: OnStep): Promise<{ output: TrainingOutput; maxRssBytes: number }> {
  const script = trainerScript();
  return new Promise((resolve, reject) => {
    const child = fork(script.file, [], { execArgv: script.execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    child.on('message', (m: TrainerMessage) => {
      if (m.type === 'step') onStep(m.step, m.progress);
      else if (m.type === 'done') settle(() => resolve({ output: m.output, maxRssBytes: m.maxRssKb * 1024 }));
      else if (m.type === 'error') settle(() => reject(new Error(m.message)));
    });
    child.on('error', (error) => settle(() => reject(error)));
    child.on('exit', (code, signal) => settle(() => reject(new Error(`the training process ended (${signal ?? `exit ${code}`}) without a result`))));
    child.send({ plan, connection });
  });
}
