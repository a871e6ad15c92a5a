/**
 * Offline evaluation: leave-last-out splits and ranking metrics (HitRate@k, NDCG@k with binary
 * relevance, Recall@k, Coverage@k), shared by `npm run eval:recommender` and the unit tests.
 */
import type { InteractionEvent } from './signals';
import { mulberry32, shuffled } from './random';

export interface Metrics {
  users: number;
  hitRate: number;
  ndcg: number;
  recall: number;
  coverage: number;
}

/**
 * Holds out each learner's latest interaction when they have at least two (a validation split
 * carved from training data, the same protocol as the test split).
 */
export function leaveLastOut(learners: ReadonlyMap<string, readonly InteractionEvent[]>): {
  train: Map<string, InteractionEvent[]>;
  heldOut: Map<string, string[]>;
} {
  const train = new Map<string, InteractionEvent[]>();
  const heldOut = new Map<string, string[]>();
  for (const [user, events] of learners) {
    const sorted = events.slice().sort((a, b) => a.at - b.at);
    if (sorted.length < 2) {
      train.set(user, sorted);
      continue;
    }
    const last = sorted[sorted.length - 1] as InteractionEvent;
    const rest = sorted.slice(0, -1);
    // An item seen before is not a new one to predict.
    if (rest.some((e) => e.itemId === last.itemId)) {
      train.set(user, rest);
      continue;
    }
    train.set(user, rest);
    heldOut.set(user, [last.itemId]);
  }
  return { train, heldOut };
}

/** A seeded sample of at most n keys. */
export function sampleKeys<K>(keys: Iterable<K>, n: number, seed: number): K[] {
  const all = [...keys];
  return all.length <= n ? all : shuffled(all, mulberry32(seed)).slice(0, n);
}

/** Accumulates ranking metrics user by user. */
export class MetricsAccumulator {
  private users = 0;
  private hits = 0;
  private dcg = 0;
  private recallSum = 0;
  private readonly shown = new Set<string>();

  constructor(
    private readonly k: number,
    private readonly recallK: number,
    private readonly catalogueSize: number,
  ) {}

  /** One user: their ranked list (at least recallK long when possible) and held-out items. */
  add(ranked: readonly string[], relevant: readonly string[]): void {
    if (relevant.length === 0) return;
    this.users++;
    const rel = new Set(relevant);
    let hit = false;
    let dcg = 0;
    for (let r = 0; r < Math.min(this.k, ranked.length); r++) {
      const id = ranked[r] as string;
      this.shown.add(id);
      if (rel.has(id)) {
        hit = true;
        dcg += 1 / Math.log2(r + 2);
      }
    }
    let ideal = 0;
    for (let r = 0; r < Math.min(this.k, rel.size); r++) ideal += 1 / Math.log2(r + 2);
    let found = 0;
    for (let r = 0; r < Math.min(this.recallK, ranked.length); r++) if (rel.has(ranked[r] as string)) found++;
    if (hit) this.hits++;
    this.dcg += dcg / ideal;
    this.recallSum += found / rel.size;
  }

  /** A user whose relevant item could not be ranked at all (e.g. not in the catalogue). */
  addMiss(ranked: readonly string[]): void {
    this.users++;
    for (let r = 0; r < Math.min(this.k, ranked.length); r++) this.shown.add(ranked[r] as string);
  }

  result(): Metrics {
    const u = Math.max(this.users, 1);
    return {
      users: this.users,
      hitRate: this.hits / u,
      ndcg: this.dcg / u,
      recall: this.recallSum / u,
      coverage: this.catalogueSize ? this.shown.size / this.catalogueSize : 0,
    };
  }
}

/**
 * The 0-based rank of `target` among candidates by score (ties: lower index first, as `topK`),
 * counting only up to `cap` (a rank ≥ cap is reported as cap: it is outside every metric).
 */
export function rankOf(scores: ArrayLike<number>, target: number, cap: number): number {
  const st = scores[target] as number;
  if (Number.isNaN(st)) return cap;
  let rank = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number;
    if (s > st || (s === st && i < target)) {
      if (++rank >= cap) return cap;
    }
  }
  return rank;
}

/** The points of the simplex {a + b + c = 1} on a grid of the given step. */
export function simplexGrid(step: number): Array<{ content: number; cooccurrence: number; popularity: number }> {
  const n = Math.round(1 / step);
  const out: Array<{ content: number; cooccurrence: number; popularity: number }> = [];
  for (let a = 0; a <= n; a++) {
    for (let b = 0; a + b <= n; b++) {
      const c = n - a - b;
      out.push({ content: a / n, cooccurrence: b / n, popularity: c / n });
    }
  }
  return out;
}

/** The signals of a candidate blend, as the engine computes them for one learner. */
export interface BlendInputs {
  content: ArrayLike<number>;
  cooccurrence: ArrayLike<number>;
  popularity: ArrayLike<number>;
  candidate: ArrayLike<number>;
}

/**
 * `rankOf` for the blend `w` without materialising the blended scores: the tuning grid calls it
 * dozens of times per learner, and most learners' held-out course ranks beyond `cap`, where the
 * loop stops early.
 */
export function rankUnderBlend(
  c: BlendInputs,
  target: number,
  w: { content: number; cooccurrence: number; popularity: number },
  cap: number,
): number {
  if (!c.candidate[target]) return cap;
  const { content, cooccurrence, popularity, candidate } = c;
  const a = w.content;
  const b = w.cooccurrence;
  const g = w.popularity;
  const st = a * (content[target] as number) + b * (cooccurrence[target] as number) + g * (popularity[target] as number);
  let rank = 0;
  const n = candidate.length;
  for (let i = 0; i < n; i++) {
    if (!candidate[i] || i === target) continue;
    const s = a * (content[i] as number) + b * (cooccurrence[i] as number) + g * (popularity[i] as number);
    if (s > st || (s === st && i < target)) {
      if (++rank >= cap) return cap;
    }
  }
  return rank;
}

/** Adds one user's rank of their single held-out item to running sums (tuning only). */
export function addRank(sums: { users: number; hits: number; ndcg: number; recall: number }, rank: number, k: number, recallK: number): void {
  sums.users++;
  if (rank < k) {
    sums.hits++;
    sums.ndcg += 1 / Math.log2(rank + 2);
  }
  if (rank < recallK) sums.recall++;
}
