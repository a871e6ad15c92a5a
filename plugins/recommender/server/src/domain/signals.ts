/**
 * What a learner's interactions say: how much each course weighs in their profile, which courses
 * they already have, which they refunded, and which they rated low (disliked).
 */
import { decay, type EngineConfig, type InteractionKind } from './config';

export interface InteractionEvent {
  itemId: string;
  kind: InteractionKind;
  /** A multiplier of the kind's configured weight (default 1), e.g. the share of a course done. */
  weight?: number | null;
  /** `rate` only: the stars, 1–5. */
  value?: number | null;
  /** Epoch milliseconds. */
  at: number;
}

export interface LearnerSignals {
  /** Profile weight per course: its strongest interaction, decayed by age. */
  weights: Map<string, number>;
  /** Courses the learner has: bought, progressed in or completed, and not refunded since. */
  owned: Set<string>;
  /** Courses refunded after their last purchase: out of the profile and out of the results. */
  refunded: Set<string>;
  /**
   * Courses whose latest rating is low, with the (decayed, positive) strength of the dislike: out
   * of the profile, and subtracted from it so that similar courses rank lower. Absent: none.
   */
  disliked?: Map<string, number>;
}

/**
 * What a rating of `stars` does to a learner's tie with the course, as a signed multiplier of the
 * configured `rate` weight: 5★ a strong positive (1, with the default weight 2 as strong as a
 * purchase and a like together), 4★ a positive (0.6), 3★ nothing, 2★ a mild negative (−0.5),
 * 1★ a negative (−1). Anything else (not an integer 1–5) says nothing.
 */
export function ratingMultiplier(stars: number | null | undefined): number {
  switch (stars) {
    case 5:
      return 1;
    case 4:
      return 0.6;
    case 2:
      return -0.5;
    case 1:
      return -1;
    default:
      return 0;
  }
}

/** Kinds that mean "the learner has this course". */
const OWNING_KINDS: ReadonlySet<InteractionKind> = new Set(['purchase', 'progress', 'complete']);

/**
 * Folds a learner's interactions (any order) into signals at `now`. An item's weight is the max,
 * not the sum, of its interactions: thirty chapter-progress events must not outweigh everything
 * else the learner did. A refund cancels what came before it; buying again after a refund counts.
 * A rating is the learner's verdict on the course: only the latest one counts; a high one weighs
 * like the strongest of the rest (max), a 3★ leaves the rest as it was, a low one overrides the
 * rest (the course leaves the profile) and makes the course disliked.
 */
export function learnerSignals(
  events: readonly InteractionEvent[],
  now: number,
  config: Pick<EngineConfig, 'interactionWeights' | 'profileHalfLifeDays'>,
  alsoOwned: Iterable<string> = [],
): LearnerSignals {
  const sorted = events.slice().sort((a, b) => a.at - b.at);
  const weights = new Map<string, number>();
  const owned = new Set<string>();
  const refunded = new Set<string>();
  const latestRating = new Map<string, InteractionEvent>();
  for (const e of sorted) {
    if (e.kind === 'refund') {
      weights.delete(e.itemId);
      owned.delete(e.itemId);
      refunded.add(e.itemId);
      continue;
    }
    if (e.kind === 'rate') {
      latestRating.set(e.itemId, e);
      continue;
    }
    if (e.kind === 'purchase') refunded.delete(e.itemId);
    if (refunded.has(e.itemId)) continue; // progress logged after a refund does not restore it
    const multiplier = e.weight === null || e.weight === undefined ? 1 : Math.max(0, e.weight);
    const w = config.interactionWeights[e.kind] * multiplier * decay(now - e.at, config.profileHalfLifeDays);
    if (w > (weights.get(e.itemId) ?? 0)) weights.set(e.itemId, w);
    if (OWNING_KINDS.has(e.kind)) owned.add(e.itemId);
  }
  let disliked: Map<string, number> | undefined;
  for (const [itemId, e] of latestRating) {
    const signed = ratingMultiplier(e.value) * config.interactionWeights.rate * decay(now - e.at, config.profileHalfLifeDays);
    if (signed > 0) {
      if (!refunded.has(itemId) && signed > (weights.get(itemId) ?? 0)) weights.set(itemId, signed);
    } else if (signed < 0) {
      weights.delete(itemId);
      (disliked ??= new Map()).set(itemId, -signed);
    }
  }
  for (const id of alsoOwned) if (!refunded.has(id)) owned.add(id);
  return disliked ? { weights, owned, refunded, disliked } : { weights, owned, refunded };
}
