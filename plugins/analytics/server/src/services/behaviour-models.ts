/**
 * The behaviour models' lifecycle: training (in the background on a strapi.cron rule, and on demand),
 * the model records in the plugin store, and cheap cached scoring.
 *
 * A record per kind (`behaviour-model:churn`, `behaviour-model:propensity`) and one for the segments
 * (`behaviour-segments`) lives in the plugin store (Strapi's core store table, one JSON row each):
 * kind, version, trainedAt, training window, feature list, held-out AUC / precision@10% of the
 * candidates and the baselines, and the serialised model. A training computes everything first and
 * writes the records last: one that fails writes nothing, so the previous version stays served, and
 * its error is kept in `behaviour-training`. Erased learners are not in any window: the erasure
 * deletes their interactions and progress and unlinks their orders, and every query joins the link
 * to an account; names are read from the accounts that still exist.
 *
 * Scores are computed once per model version and `behaviourScoreTtlMs` (features read again after),
 * per instance.
 */
import type { Core } from '@strapi/strapi';
import { DAY_MS, LEARNER_FEATURE_NAMES, rowProjection, type AnyFeatureName } from '../domain/behaviour/features';
import { checkoutSuccess, keyOf, priceBand, sessionProbability, type CheckoutSuccess } from '../domain/behaviour/checkout-success';
import type { BehaviourModel } from '../domain/behaviour/models';
import { isPostgres, neighbour } from '@kp/platform';
import { assignSegment, type Scaler, type Segment } from '../domain/behaviour/segments';
import { restoreModel, type StoredModel } from '../domain/behaviour/stored';
import type { TrainingReport } from '../domain/behaviour/training';
import { pluginConfig } from '../utils';
import behaviourFactory, { type LearnerRows } from './behaviour';
import { runTraining, trainInChild, type ChildConnection, type TrainingOutput, type TrainingPlan } from './behaviour-run';
import { claimSlot, lastClaim, type SlotClaim } from './schedule-claim';
import { Db } from './sql';

export const MODEL_KINDS = ['churn', 'propensity'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export interface ModelRecord {
  kind: ModelKind;
  version: number;
  trainedAt: string;
  horizonDays: number;
  /** the latest labelled window the model was fitted on: features as of `cutoff`, labels in (cutoff, labelsTo] */
  window: { cutoff: string; labelsTo: string; heldOutCutoff: string; fitCutoff: string };
  features: AnyFeatureName[];
  metrics: TrainingReport;
  model: StoredModel;
}

export interface SegmentsRecord {
  version: number;
  trainedAt: string;
  features: AnyFeatureName[];
  scaler: Scaler;
  centroids: number[][];
  segments: Segment[];
  learners: number;
}

export interface TrainingState {
  state: 'idle' | 'running' | 'succeeded' | 'failed';
  step: string | null;
  /** 0–1 */
  progress: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  /** where the last run trained: a child process (its peak RSS in MB) or this process */
  runner?: 'child' | 'process';
  childPeakRssMb?: number | null;
}

/**
 * Sample sizes of the server's training: ml-cart's split search is quadratic in a node's rows and
 * ml-logistic-regression's steps are ml-matrix products over every row, so a training of 100k
 * learners stays within seconds (measured: scripts/bench-behaviour.ts, README).
 */
const TRAIN_OPTIONS = { maxTreeRows: 2000, maxBins: 32, maxLogisticRows: 3000, steps: 200 } as const;

const KEY = { churn: 'behaviour-model:churn', propensity: 'behaviour-model:propensity', segments: 'behaviour-segments', training: 'behaviour-training', schedule: 'behaviour-schedule' } as const;
const IDLE: TrainingState = { state: 'idle', step: null, progress: 0, startedAt: null, finishedAt: null, error: null };
const RECENCY = LEARNER_FEATURE_NAMES.indexOf('recencyDays');
const COMPLETION = LEARNER_FEATURE_NAMES.indexOf('completionRatio');

export interface Scored {
  userId: number;
  score: number;
  reason: string;
  row: number[];
}

interface ScoreCache {
  version: number;
  at: number;
  byUser: Map<number, Scored>;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const sql = behaviourFactory({ strapi });
  const store = () => strapi.store({ type: 'plugin', name: 'analytics' });
  const read = async <T>(key: string): Promise<T | null> => ((await store().get({ key })) as T | null) ?? null;

  let running: Promise<void> | null = null;
  /** ms per step of the last training on this instance (the bench prints them) */
  let lastTimings: Record<string, number> = {};
  /** the training child's peak RSS (bytes) of the last training, null when it ran in process */
  let lastChildPeakRss: number | null = null;
  let state: TrainingState = IDLE;
  let rowsCache: { at: number; data: LearnerRows } | null = null;
  const scoreCache = new Map<ModelKind, ScoreCache>();
  const restored = new Map<string, BehaviourModel>();

  const step = (name: string, progress: number) => {
    state = { ...state, step: name, progress };
  };

  /**
   * Where the training runs: a forked child with its own connection (behaviourTrainInChild, the
   * default), or this process (also for an in-memory SQLite database, which a child cannot open).
   */
  function childConnection(): ChildConnection | null {
    if (!pluginConfig(strapi, 'behaviourTrainInChild')) return null;
    const c = strapi.config.get('database.connection') as { client: string; connection: Record<string, unknown> };
    if (c.client === 'postgres') return { client: 'pg', connection: c.connection };
    const filename = c.connection.filename;
    if (typeof filename !== 'string' || filename === ':memory:') return null;
    return { client: 'better-sqlite3', connection: { filename, options: { readonly: true } } };
  }

  /** Trains both models and the segments as of `now`; writes the records only when all succeeded. */
  async function train(now: Date): Promise<void> {
    const h = pluginConfig(strapi, 'behaviourHorizonDays') * DAY_MS;
    const t = now.getTime();
    const at = (k: number) => new Date(t - k * h);
    const q = sql.queries();
    const plan: TrainingPlan = {
      pg: isPostgres(strapi),
      windows: [q.window(at(3)), q.window(at(2)), q.window(at(1)), q.window(now)],
      active: [q.activeBetween(at(3), at(2)), q.activeBetween(at(2), at(1)), q.activeBetween(at(1), now)],
      bought: [q.buyersBetween(at(3), at(2)), q.buyersBetween(at(2), at(1)), q.buyersBetween(at(1), now)],
      activeDays: pluginConfig(strapi, 'behaviourActiveDays'),
      segments: pluginConfig(strapi, 'behaviourSegments'),
      options: TRAIN_OPTIONS,
    };
    const connection = childConnection();
    const started = performance.now();
    let output: TrainingOutput;
    if (connection) {
      const r = await trainInChild(plan, connection, step);
      output = r.output;
      lastChildPeakRss = r.maxRssBytes;
    } else {
      const d = new Db(strapi);
      output = await runTraining(plan, (query) => d.rows(query), step);
      lastChildPeakRss = null;
    }
    const timings = { ...output.timings, total: Math.round(performance.now() - started) };
    strapi.log.info(`analytics: behaviour training steps (ms) ${JSON.stringify(timings)}${connection ? `, child peak RSS ${Math.round((lastChildPeakRss ?? 0) / 2 ** 20)} MB` : ''}`);
    lastTimings = timings;
    state = { ...state, runner: connection ? 'child' : 'process', childPeakRssMb: lastChildPeakRss === null ? null : Math.round(lastChildPeakRss / 2 ** 20) };
    step('saving', 0.9);
    const names = LEARNER_FEATURE_NAMES;
    const trainedAt = now.toISOString();
    const window = { cutoff: at(1).toISOString(), labelsTo: trainedAt, heldOutCutoff: at(2).toISOString(), fitCutoff: at(3).toISOString() };
    const next: ModelRecord[] = [];
    for (const kind of MODEL_KINDS) {
      const r = output[kind];
      const prev = await read<ModelRecord>(KEY[kind]);
      next.push({ kind, version: (prev?.version ?? 0) + 1, trainedAt, horizonDays: h / DAY_MS, window, features: [...names], metrics: r.report, model: r.model });
    }
    const prevSeg = await read<SegmentsRecord>(KEY.segments);
    const segRecord: SegmentsRecord = {
      version: (prevSeg?.version ?? 0) + 1,
      trainedAt,
      features: [...names],
      scaler: output.segments.scaler,
      centroids: output.segments.centroids,
      segments: output.segments.segments,
      learners: output.segments.learners,
    };
    for (const r of next) await store().set({ key: KEY[r.kind], value: r });
    await store().set({ key: KEY.segments, value: segRecord });
    // The features are read again by the next list (the training's rows stayed where it ran).
    forget();
  }

  /** Starts a training unless one runs on this instance; resolves when it ends (never rejects). */
  function retrain(now = new Date()): Promise<void> {
    if (running) return running;
    state = { ...IDLE, state: 'running', step: 'starting', startedAt: new Date().toISOString() };
    running = (async () => {
      try {
        await train(now);
        state = { ...state, state: 'succeeded', step: null, progress: 1, finishedAt: new Date().toISOString(), error: null };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        strapi.log.warn(`analytics: behaviour training failed, the previous models stay: ${message}`);
        state = { ...state, state: 'failed', finishedAt: new Date().toISOString(), error: message };
      } finally {
        running = null;
        try {
          await store().set({ key: KEY.training, value: state });
        } catch {
          // the state stays in memory
        }
      }
    })();
    return running;
  }

  /**
   * The cron's entry: trains for the slot `fireDate` only when this instance claims it in the
   * database (services/schedule-claim.ts), so that instances sharing one PostgreSQL database train
   * once per slot. Resolves when the training ends (a failed one keeps the previous models, and
   * the slot stays taken: the next slot tries again).
   */
  async function scheduled(fireDate: Date = new Date()): Promise<{ claimed: boolean; slot: string }> {
    const slot = new Date(Math.floor(fireDate.getTime() / 1000) * 1000).toISOString();
    if (!(await claimSlot(strapi, KEY.schedule, fireDate))) {
      strapi.log.info(`analytics: the scheduled behaviour training of ${slot} was claimed already (here or by another instance)`);
      return { claimed: false, slot };
    }
    await retrain();
    return { claimed: true, slot };
  }

  /** Stored model versions that read a feature no longer computed (warned about once). */
  const unusable = new Set<string>();

  /**
   * The stored model of `kind`, restored once per version, with the projection of today's rows
   * onto the features it was trained on (a model from before a feature was added keeps scoring).
   * Null when none is stored, or when it reads a feature no longer computed (logged once: retrain).
   */
  async function model(kind: ModelKind): Promise<{ record: ModelRecord; model: BehaviourModel; project: (row: readonly number[]) => number[] } | null> {
    const record = await read<ModelRecord>(KEY[kind]);
    if (!record) return null;
    const key = `${kind}:${record.version}:${record.trainedAt}`;
    const project = rowProjection(LEARNER_FEATURE_NAMES, record.features);
    if (!project) {
      // once per stored version, not on every scoring call
      if (!unusable.has(key)) strapi.log.warn(`analytics: the ${kind} model v${record.version} reads features that are no longer computed; it is not used until the next training`);
      unusable.add(key);
      return null;
    }
    let m = restored.get(key);
    if (!m) {
      m = restoreModel(record.model);
      restored.set(key, m);
    }
    return { record, model: m, project };
  }

  /** The stored segments with the projection of today's rows onto their features (null: none usable). */
  async function storedSegments(): Promise<{ s: SegmentsRecord; project: (row: readonly number[]) => number[] } | null> {
    const s = await read<SegmentsRecord>(KEY.segments);
    const project = s && rowProjection(LEARNER_FEATURE_NAMES, s.features);
    return s && project ? { s, project } : null;
  }

  async function currentRows(now: Date): Promise<LearnerRows> {
    const ttl = pluginConfig(strapi, 'behaviourScoreTtlMs');
    if (rowsCache && now.getTime() - rowsCache.at < ttl) return rowsCache.data;
    const data = await sql.learnerRows(now);
    rowsCache = { at: now.getTime(), data };
    return data;
  }

  /** Scores of every learner by the current model of `kind` (cached per version and TTL). */
  async function scores(kind: ModelKind, now = new Date()): Promise<{ record: ModelRecord; byUser: Map<number, Scored> } | null> {
    const m = await model(kind);
    if (!m) return null;
    const ttl = pluginConfig(strapi, 'behaviourScoreTtlMs');
    const cached = scoreCache.get(kind);
    if (cached && cached.version === m.record.version && now.getTime() - cached.at < ttl) return { record: m.record, byUser: cached.byUser };
    const rows = await currentRows(now);
    const byUser = new Map<number, Scored>();
    for (let i = 0; i < rows.ids.length; i++) {
      const row = rows.rows[i] as number[];
      const userId = rows.ids[i] as number;
      const seen = m.project(row);
      byUser.set(userId, { userId, score: Math.round(m.model.score(seen) * 10_000) / 10_000, reason: m.model.reason(seen), row });
    }
    scoreCache.set(kind, { version: m.record.version, at: now.getTime(), byUser });
    return { record: m.record, byUser };
  }

  const summary = (r: ModelRecord | null) =>
    r && { kind: r.kind, version: r.version, trainedAt: r.trainedAt, horizonDays: r.horizonDays, window: r.window, features: r.features, metrics: r.metrics, modelType: r.model.type };

  async function status() {
    const [churn, propensity, segments, stored, schedule] = await Promise.all([
      read<ModelRecord>(KEY.churn),
      read<ModelRecord>(KEY.propensity),
      read<SegmentsRecord>(KEY.segments),
      read<TrainingState>(KEY.training),
      lastClaim(strapi, KEY.schedule),
    ]);
    return {
      training: state.state === 'idle' && stored ? stored : state,
      schedule: schedule satisfies SlotClaim | null,
      models: { churn: summary(churn), propensity: summary(propensity) },
      segments: segments && { version: segments.version, trainedAt: segments.trainedAt, learners: segments.learners, k: segments.segments.length },
    };
  }

  async function segmentOf(): Promise<((row: number[]) => string | null) | null> {
    const stored = await storedSegments();
    if (!stored) return null;
    const { s, project } = stored;
    return (row) => s.segments[assignSegment(s, project(row))]?.name ?? null;
  }

  /** Active learners (an interaction within behaviourActiveDays) by churn risk, highest first. */
  async function atRisk(options: { limit: number; users?: ReadonlySet<number> }, now = new Date()) {
    const s = await scores('churn', now);
    if (!s) return { model: null, learners: [] as Array<Scored & { username: string; segment: string | null }> };
    const activeDays = pluginConfig(strapi, 'behaviourActiveDays');
    const picked = [...s.byUser.values()]
      .filter((x) => (x.row[RECENCY] as number) <= activeDays && (!options.users || options.users.has(x.userId)))
      .sort((a, b) => b.score - a.score || a.userId - b.userId);
    const names = await sql.usernames(picked.slice(0, options.limit * 2 + 10).map((x) => x.userId));
    const segment = await segmentOf();
    const learners = picked
      .filter((x) => names.has(x.userId))
      .slice(0, options.limit)
      .map((x) => ({ ...x, username: names.get(x.userId) as string, segment: segment ? segment(x.row) : null }));
    return { model: summary(s.record), learners };
  }

  /**
   * Per course, learners who showed interest and did not buy it, by purchase propensity; a learner
   * who already has access to the course (an entitlement, or a subscription whose plan covers it:
   * the paywall's `coverageOfUsers`, one look-up for the whole list) is not a likely buyer of it.
   */
  async function likelyBuyers(options: { course?: string; limit: number }, now = new Date()) {
    const s = await scores('propensity', now);
    if (!s) return { model: null, courses: [] };
    const interest = await sql.interestedNonBuyers(options.course ? [options.course] : null);
    // The best candidates of each course, with room for the ones who turn out to have access.
    const pool = options.limit * 3 + 20;
    const candidates = [...interest].map(([course, users]) => ({
      course,
      buyers: users
        .map((u) => s.byUser.get(u))
        .filter((x): x is Scored => x !== undefined)
        .sort((a, b) => b.score - a.score || a.userId - b.userId)
        .slice(0, pool),
    }));
    const paywall = neighbour(strapi, 'paywall');
    const users = [...new Set(candidates.flatMap((c) => c.buyers.map((b) => b.userId)))];
    const access = paywall && users.length > 0 ? await paywall.entitlements.coverageOfUsers(users, candidates.map((c) => c.course), now) : new Map<number, Set<string>>();
    const ranked = candidates
      .map((c) => ({ course: c.course, buyers: c.buyers.filter((b) => !access.get(b.userId)?.has(c.course)).slice(0, options.limit) }))
      .filter((c) => c.buyers.length > 0)
      .sort((a, b) => (b.buyers[0]?.score ?? 0) - (a.buyers[0]?.score ?? 0) || (a.course < b.course ? -1 : 1))
      .slice(0, options.course ? 1 : 20);
    const names = await sql.usernames([...new Set(ranked.flatMap((c) => c.buyers.map((b) => b.userId)))]);
    return {
      model: summary(s.record),
      courses: ranked.map((c) => ({
        courseDocumentId: c.course,
        buyers: c.buyers.filter((b) => names.has(b.userId)).map((b) => ({ userId: b.userId, username: names.get(b.userId) as string, score: b.score, reason: b.reason })),
      })),
    };
  }

  async function segments(now = new Date()) {
    const stored = await storedSegments();
    if (!stored) return { version: null, trainedAt: null, learners: 0, features: [...LEARNER_FEATURE_NAMES], segments: [] as Array<Segment & { current: number }> };
    const { s, project } = stored;
    const rows = await currentRows(now);
    const counts = new Array<number>(s.segments.length).fill(0);
    for (const row of rows.rows) {
      const k = assignSegment(s, project(row));
      if (k >= 0) counts[k]!++;
    }
    return { version: s.version, trainedAt: s.trainedAt, learners: s.learners, features: s.features, segments: s.segments.map((seg, i) => ({ ...seg, current: counts[i] as number })) };
  }

  /** Observed paid rates of the last `days` days of checkout sessions, and a probability per open session. */
  async function checkout(days: number, now = new Date()): Promise<CheckoutSuccess & { openSessions: Array<{ orderId: number | null; course: string; currency: string; priceBand: string; buyer: string; probability: number | null }> }> {
    const sessions = await sql.checkoutSessions(new Date(now.getTime() - days * DAY_MS));
    const table = checkoutSuccess(sessions);
    const openSessions = sessions
      .filter((s) => s.open)
      .map((s) => ({ orderId: s.id ?? null, course: keyOf(s, 'course'), currency: s.currency, priceBand: priceBand(s.amount, s.currency), buyer: keyOf(s, 'buyer'), probability: sessionProbability(s, table) }))
      .sort((a, b) => (b.probability ?? 0) - (a.probability ?? 0) || (a.orderId ?? 0) - (b.orderId ?? 0))
      .slice(0, 200);
    return { ...table, openSessions };
  }

  /** Learners of the given courses (progress rows) at risk: progress per course, risk and reason; no e-mail. */
  async function courseAtRisk(courses: readonly string[], limit: number, now = new Date()) {
    const learners = await sql.courseLearners(courses);
    const s = await scores('churn', now);
    if (!s) return { model: null, learners: [] };
    const rows = learners
      .map((l) => ({ l, scored: s.byUser.get(l.userId) }))
      .filter((x): x is { l: (typeof learners)[number]; scored: Scored } => x.scored !== undefined)
      .sort((a, b) => b.scored.score - a.scored.score || a.l.userId - b.l.userId || (a.l.courseDocumentId < b.l.courseDocumentId ? -1 : 1));
    const names = await sql.usernames([...new Set(rows.map((r) => r.l.userId))]);
    return {
      model: summary(s.record),
      learners: rows
        .filter((r) => names.has(r.l.userId))
        .slice(0, limit)
        .map((r) => ({
          username: names.get(r.l.userId) as string,
          courseDocumentId: r.l.courseDocumentId,
          chaptersStarted: r.l.chaptersStarted,
          chaptersCompleted: r.l.chaptersCompleted,
          completion: r.scored.row[COMPLETION] as number,
          risk: r.scored.score,
          reason: r.scored.reason,
        })),
    };
  }

  /** Drops the cached rows and scores (after a training, or in tests). */
  function forget(): void {
    rowsCache = null;
    scoreCache.clear();
  }

  return { train, retrain, scheduled, status, scores, atRisk, likelyBuyers, segments, checkout, courseAtRisk, forget, get training() { return state; }, get timings() { return lastTimings; }, get childPeakRss() { return lastChildPeakRss; } };
};
