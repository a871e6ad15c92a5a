/**
 * The engine's settings. Defaults are the blend chosen by `npm run eval:recommender` on a
 * validation split of the CoCo/Udemy development data (see the plugin README), not by hand.
 */
import type { InteractionKind, PositiveInteractionKind, WeightedInteractionKind } from '@kp/platform';
import { z } from 'zod';

// The kinds are the recommender's contract with the plugins that record interactions (type-only
// here, so the engine stays free of the kernel's runtime).
export type { InteractionKind, PositiveInteractionKind, WeightedInteractionKind };

const positive = z.number().finite().min(0);

export const engineConfigSchema = z.object({
  /** How much one occurrence of a term in each field counts in a course's TF-IDF vector. */
  fieldWeights: z.object({
    tag: positive,
    category: positive,
    level: positive,
    title: positive,
    summary: positive,
  }),
  /** Strength of each kind of interaction in a learner's profile and in popularity. */
  // One weight per weighted kind of the contract: a kind added there fails to compile here.
  // `rate` is the weight of a 5★ rating before `ratingMultiplier` (lower stars weigh less, or
  // negatively: see signals.ts).
  interactionWeights: z.object({
    view: positive,
    like: positive,
    purchase: positive,
    progress: positive,
    complete: positive,
    rate: positive,
  } satisfies Record<WeightedInteractionKind, z.ZodType>),
  /** How much a disliked (low-rated) course's vector is subtracted from the profile, relative to its weight. */
  dislikeStrength: positive,
  /** Half-life of an interaction's weight in a learner's profile, in days (null: no decay). */
  profileHalfLifeDays: z.number().positive().nullable(),
  /** Half-life of an interaction's weight in popularity, in days (null: all-time counts). */
  popularityHalfLifeDays: z.number().positive().nullable(),
  /** The ranking: weights of the three normalised signals. */
  blend: z
    .object({ content: positive, cooccurrence: positive, popularity: positive })
    .refine((b) => b.content + b.cooccurrence + b.popularity > 0, 'blend weights must not all be 0'),
  cooccurrence: z.object({
    /** Neighbours kept per course (bounds memory: courses × neighbours). */
    neighbours: z.number().int().min(1).max(1000),
    /** Only a learner's latest N courses form pairs (bounds the quadratic cost of heavy users). */
    maxItemsPerUser: z.number().int().min(2).max(1000),
    /** Interactions weaker than this (views by default) do not count as "took this course". */
    minWeight: positive,
    /** Learners a pair needs in common before it counts (privacy: never one learner's basket). */
    minSupport: z.number().int().min(1).max(1000),
  }),
  segments: z.object({
    /** Number of k-means segments; null: √(courses / 2), between 2 and 24. */
    k: z.number().int().min(1).max(500).nullable(),
    /** Dimensions of the random projection the segments are fitted in. */
    dims: z.number().int().min(2).max(512),
    /** k-means is fitted on at most this many courses, then every course is assigned. */
    sampleSize: z.number().int().min(10).max(100_000),
    maxIterations: z.number().int().min(1).max(1000),
    seed: z.number().int(),
    /** At most this share of a personal list comes from one segment. */
    maxShare: z.number().gt(0).max(1),
    /** The same for cold-start lists, which should show the catalogue's breadth. */
    coldStartMaxShare: z.number().gt(0).max(1),
  }),
  /** Terms shown in a "shared terms" reason. */
  reasonTerms: z.number().int().min(0).max(20),
});

export type EngineConfig = z.infer<typeof engineConfigSchema>;

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  fieldWeights: { tag: 1, category: 1, level: 0.2, title: 2, summary: 0.5 },
  // `rate` and `dislikeStrength` are not from the evaluation: the development data has no ratings (README).
  interactionWeights: { view: 0.5, like: 1.5, purchase: 3, progress: 2, complete: 3, rate: 2 },
  dislikeStrength: 1,
  // Chosen by `npm run eval:recommender` on the validation split (README, "Offline evaluation").
  profileHalfLifeDays: 7,
  popularityHalfLifeDays: null,
  blend: { content: 0.3, cooccurrence: 0.3, popularity: 0.4 },
  cooccurrence: { neighbours: 50, maxItemsPerUser: 50, minWeight: 1, minSupport: 2 },
  segments: { k: null, dims: 32, sampleSize: 1000, maxIterations: 30, seed: 42, maxShare: 0.5, coldStartMaxShare: 0.2 },
  reasonTerms: 3,
};

/** A config with nested overrides applied over the defaults. */
export function withDefaults(overrides: DeepPartial<EngineConfig> = {}, base: EngineConfig = DEFAULT_ENGINE_CONFIG): EngineConfig {
  const merged = {
    ...base,
    ...overrides,
    fieldWeights: { ...base.fieldWeights, ...overrides.fieldWeights },
    interactionWeights: { ...base.interactionWeights, ...overrides.interactionWeights },
    blend: { ...base.blend, ...overrides.blend },
    cooccurrence: { ...base.cooccurrence, ...overrides.cooccurrence },
    segments: { ...base.segments, ...overrides.segments },
  };
  return engineConfigSchema.parse(merged);
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export const DAY_MS = 86_400_000;

/** 2^(-age / half-life): 1 for an interaction now (or in the future), ½ one half-life ago. */
export function decay(ageMs: number, halfLifeDays: number | null): number {
  if (halfLifeDays === null || ageMs <= 0) return 1;
  return Math.pow(0.5, ageMs / (halfLifeDays * DAY_MS));
}
