/** The recommender's contract: the interactions other plugins record, and the admin index status. */

/** Interactions that strengthen a learner's interest in a course. */
export const POSITIVE_INTERACTION_KINDS = ['view', 'like', 'purchase', 'progress', 'complete'] as const;
/**
 * Every kind `record()` accepts. `rate` carries the learner's stars in `value` (1–5): the
 * recommender decides what they weigh (a high rating a strong positive, a low one a negative that
 * lowers similar courses; the learner's latest rating of a course replaces the earlier ones).
 * `refund` withdraws a purchase's weight.
 */
export const INTERACTION_KINDS = [...POSITIVE_INTERACTION_KINDS, 'rate', 'refund'] as const;
export type PositiveInteractionKind = (typeof POSITIVE_INTERACTION_KINDS)[number];
export type InteractionKind = (typeof INTERACTION_KINDS)[number];
/** Kinds with a configured weight (all but `refund`). */
export type WeightedInteractionKind = Exclude<InteractionKind, 'refund'>;
/** The stars a `rate` interaction carries. */
export const RATING_VALUES = [1, 2, 3, 4, 5] as const;

export interface InteractionInput {
  userId: number;
  courseDocumentId: string;
  kind: InteractionKind;
  /** Multiplier of the kind's configured weight, 0–10 (default 1). */
  weight?: number;
  /** `rate` only, and required there: the stars, an integer 1–5. */
  value?: number;
  at?: Date;
}

/** `interactions`: best effort for callers — they call it after their own write has committed. */
export interface InteractionsContract {
  record(input: InteractionInput): Promise<void>;
}

export interface RecommenderContract {
  interactions: InteractionsContract;
}

/** Build phases of the course index. */
export type IndexPhase = 'idle' | 'courses' | 'vectors' | 'interactions' | 'statistics' | 'segments' | 'done';

/** `GET /recommender/index` (admin API) → `data`. */
export interface IndexStatus {
  state: 'empty' | 'building' | 'ready' | 'failed';
  phase: IndexPhase;
  /** 0–1 within the current build. */
  progress: number;
  trigger: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** CPU time of the last build (process-wide, user + system), to read beside the wall time. */
  cpuMs: number | null;
  /** Milliseconds per phase of the last build. */
  timings: Partial<Record<Exclude<IndexPhase, 'idle' | 'done'>, number>>;
  courses: number;
  terms: number;
  segments: number;
  learners: number;
  interactions: number;
  /** Estimated bytes held by the engine and the course cards. */
  memoryBytes: number;
  statsRefreshedAt: string | null;
  error: string | null;
}
