/**
 * What a learner's interactions say: how much each course weighs in their profile, which courses
 * they already have, and which they refunded.
 */
import { decay, type EngineConfig, type InteractionKind } from './config';

export interface InteractionEvent {
  itemId: string;
  kind: InteractionKind;
  /** A multiplier of the kind's configured weight (default 1), e.g. the share of a course done. */
  weight?: number | null;
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
}

/** Kinds that mean "the learner has this course". */
const OWNING_KINDS: ReadonlySet<InteractionKind> = new Set(['purchase', 'progress', 'complete']);

/**
 * Folds a learner's interactions (any order) into signals at `now`. An item's weight is the max,
 * not the sum, of its interactions: thirty chapter-progress events must not outweigh everything
 * else the learner did. A refund cancels what came before it; buying again after a refund counts.
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
  for (const e of sorted) {
    if (e.kind === 'refund') {
      weights.delete(e.itemId);
      owned.delete(e.itemId);
      refunded.add(e.itemId);
      continue;
    }
    if (e.kind === 'purchase') refunded.delete(e.itemId);
    if (refunded.has(e.itemId)) continue; // progress logged after a refund does not restore it
    const multiplier = e.weight === null || e.weight === undefined ? 1 : Math.max(0, e.weight);
    const w = config.interactionWeights[e.kind] * multiplier * decay(now - e.at, config.profileHalfLifeDays);
    if (w > (weights.get(e.itemId) ?? 0)) weights.set(e.itemId, w);
    if (OWNING_KINDS.has(e.kind)) owned.add(e.itemId);
  }
  for (const id of alsoOwned) if (!refunded.has(id)) owned.add(id);
  return { weights, owned, refunded };
}
