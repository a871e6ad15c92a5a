/** The rating aggregate of a course: pure arithmetic over star counts. */
import type { CourseRating, RatingHistogram } from '@kp/platform/contracts';

export const STARS = [1, 2, 3, 4, 5] as const;
export type Star = (typeof STARS)[number];

export type Histogram = RatingHistogram;
/** The kernel contract's `CourseRating`: what course responses carry as `rating`. */
export type RatingView = CourseRating;

export interface SummaryRow {
  ratingCount: number;
  starsTotal: number;
  average: number | null;
  stars1: number;
  stars2: number;
  stars3: number;
  stars4: number;
  stars5: number;
}

export const EMPTY_RATING: RatingView = Object.freeze({ average: null, count: 0, histogram: Object.freeze({ '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 }) }) as RatingView;

/** Rounds to two decimals, the precision the API shows. */
export function roundAverage(total: number, count: number): number | null {
  if (count <= 0) return null;
  return Math.round((total / count) * 100) / 100;
}

/** The summary row from `GROUP BY stars` counts (stars outside 1–5 are ignored: the schema forbids them). */
export function summarize(counts: ReadonlyArray<{ stars: number; n: number }>): SummaryRow {
  const by = [0, 0, 0, 0, 0];
  for (const { stars, n } of counts) {
    if (Number.isInteger(stars) && stars >= 1 && stars <= 5) by[stars - 1]! += n;
  }
  const ratingCount = by.reduce((a, b) => a + b, 0);
  const starsTotal = by.reduce((a, b, i) => a + b * (i + 1), 0);
  return {
    ratingCount,
    starsTotal,
    average: roundAverage(starsTotal, ratingCount),
    stars1: by[0]!,
    stars2: by[1]!,
    stars3: by[2]!,
    stars4: by[3]!,
    stars5: by[4]!,
  };
}

/** What course responses carry as `rating`. */
export function ratingView(row: SummaryRow | null | undefined): RatingView {
  if (!row || row.ratingCount <= 0) return { average: null, count: 0, histogram: { ...EMPTY_RATING.histogram } };
  return {
    average: roundAverage(row.starsTotal, row.ratingCount),
    count: row.ratingCount,
    histogram: { '1': row.stars1, '2': row.stars2, '3': row.stars3, '4': row.stars4, '5': row.stars5 },
  };
}

/** Whether a review counts in the aggregate: visible and not refunded. */
export function countsInAggregate(review: { state: string; refunded: boolean }): boolean {
  return review.state === 'visible' && !review.refunded;
}

/**
 * What a rating tells the recommender: the stars as a `rate` interaction (its contract); the
 * recommender decides what they weigh (high a strong positive, low a negative). Anything but an
 * integer 1–5 tells it nothing.
 */
export function recommenderSignal(stars: number): { kind: 'rate'; value: number } | null {
  return Number.isInteger(stars) && stars >= 1 && stars <= 5 ? { kind: 'rate', value: stars } : null;
}
