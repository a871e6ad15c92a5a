/**
 * Reasons in words: the path a learner takes through the decision tree, or the largest
 * contributions of the logistic regression.
 */
import type { CartNode } from 'ml-cart';
import { BINARY_FEATURES, FEATURE_NAMES, VELOCITY_DAYS, type AnyFeatureName } from './features';

/** The window of progressVelocity in words. */
const VELOCITY_WINDOW = `last ${VELOCITY_DAYS / 7} weeks`;

type FeatureName = AnyFeatureName;

const INTEGER: ReadonlySet<FeatureName> = new Set<FeatureName>([
  'recencyDays', 'frequency', 'distinctItems', 'activeDays', 'daysSinceFirst', 'last7Days', 'last30Days',
  'chaptersCompleted', 'coursesStarted', 'coursesUnfinished', 'purchases', 'daysSinceLastPurchase', 'subscriptionDays',
  'viewEvents', 'likeEvents', 'purchaseEvents', 'progressEvents', 'completeEvents', 'rateEvents', 'refundEvents',
]);

/** A one-hot column in words: what 1 means, and what 0 means. */
const BINARY_WORDS: Partial<Record<FeatureName, { yes: string; no: string }>> = {
  subscriptionActive: { yes: 'subscription active', no: 'no active subscription' },
  subscriptionTrialing: { yes: 'in a free trial', no: 'not in a trial' },
  subscriptionPastDue: { yes: 'subscription payment past due', no: 'no payment past due' },
  subscriptionCanceled: { yes: 'subscription ended', no: 'no ended subscription' },
  localeZhHans: { yes: 'prefers Chinese (zh-Hans)', no: 'prefers English or no language set' },
};

/** Interactions by kind: the noun of each count. */
const KIND_WORDS: Partial<Record<FeatureName, [one: string, many: string]>> = {
  viewEvents: ['view', 'views'],
  likeEvents: ['like', 'likes'],
  purchaseEvents: ['purchase event', 'purchase events'],
  progressEvents: ['progress event', 'progress events'],
  completeEvents: ['course completion', 'course completions'],
  rateEvents: ['rating', 'ratings'],
  refundEvents: ['refund', 'refunds'],
};

// a split between two cents (9.995) reads as the upper one ($10); the epsilon undoes binary rounding
const usd = (x: number) => `$${Math.round(x * 100 + 1e-6) / 100}`;

const percent = (x: number) => `${Math.round(x * 100)}%`;

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** One condition in words. The tree splits at the mean of two values: `x < 13.5` on whole days is `x ≤ 13`. */
export function describeCondition(feature: FeatureName, op: '<' | '>=', threshold: number): string {
  const t = INTEGER.has(feature) ? Math.ceil(threshold) : Math.round(threshold * 10) / 10;
  const atLeast = op === '>=';
  const binary = BINARY_WORDS[feature];
  if (binary) return atLeast ? binary.yes : binary.no;
  const kind = KIND_WORDS[feature];
  if (kind) {
    if (!atLeast && t <= 1) return `no ${kind[1]}`;
    return atLeast ? `${t}+ ${plural(t, kind[0], kind[1])}` : `fewer than ${t} ${kind[1]}`;
  }
  switch (feature) {
    case 'recencyDays':
      return atLeast ? `no activity for ${t}+ days` : `active within the last ${t} ${plural(t, 'day', 'days')}`;
    case 'frequency':
      return atLeast ? `${t}+ interactions` : `fewer than ${t} interactions`;
    case 'distinctItems':
      return atLeast ? `${t}+ distinct items` : `fewer than ${t} distinct items`;
    case 'activeDays':
      return atLeast ? `active on ${t}+ days` : `active on fewer than ${t} days`;
    case 'daysSinceFirst':
      return atLeast ? `first seen ${t}+ days ago` : `first seen under ${t} ${plural(t, 'day', 'days')} ago`;
    case 'last7Days':
    case 'last30Days': {
      const w = feature === 'last7Days' ? 7 : 30;
      if (atLeast) return `${t}+ interactions in the last ${w} days`;
      return t <= 1 ? `no interactions in the last ${w} days` : `fewer than ${t} interactions in the last ${w} days`;
    }
    case 'meanGapDays':
      return atLeast ? `mean gap of ${t}+ days` : `mean gap under ${t} days`;
    case 'completionRatio':
      // a ratio: the raw threshold (0.3 stays 0.3, not rounded to a tenth that hides the split)
      return atLeast ? `completion ≥ ${percent(threshold)}` : `completion < ${percent(threshold)}`;
    case 'chaptersCompleted':
      return atLeast ? `${t}+ chapters completed` : `fewer than ${t} chapters completed`;
    case 'coursesStarted':
      return atLeast ? `${t}+ courses started` : `fewer than ${t} courses started`;
    case 'coursesUnfinished':
      if (!atLeast && t <= 1) return 'no unfinished course';
      return atLeast ? `${t}+ courses started and not finished` : `fewer than ${t} courses started and not finished`;
    case 'progressVelocity': {
      // chapters per week, 0.01 precision: the threshold at a tenth
      const v = Math.round(threshold * 10) / 10;
      if (!atLeast && v <= 0.1) return `no chapter completed in the ${VELOCITY_WINDOW}`;
      return atLeast ? `${v}+ chapters a week (${VELOCITY_WINDOW})` : `under ${v} chapters a week (${VELOCITY_WINDOW})`;
    }
    case 'purchases':
      if (!atLeast && t <= 1) return 'no purchase';
      return atLeast ? `${t}+ purchases` : `fewer than ${t} purchases`;
    case 'daysSinceLastPurchase':
      return atLeast ? `no purchase for ${t}+ days` : `a purchase within the last ${t} ${plural(t, 'day', 'days')}`;
    case 'spendUsd':
      return atLeast ? `spent ${usd(threshold)}+ (USD)` : `spent under ${usd(threshold)} (USD)`;
    case 'subscriptionDays':
      return atLeast ? `subscribed ${t}+ days ago` : `subscribed under ${t} ${plural(t, 'day', 'days')} ago (or never)`;
    default:
      // the one-hot and by-kind columns are worded above
      return `${LABELS[feature]} ${op === '>=' ? '≥' : '<'} ${t}`;
  }
}

/** Both bounds on one feature, `low ≤ x < high`, as one phrase ("no activity for 7–29 days"). */
export function describeRange(feature: FeatureName, low: number, high: number): string {
  if (feature === 'meanGapDays') return `mean gap of ${Math.round(low * 10) / 10}–${Math.round(high * 10) / 10} days`;
  if (feature === 'completionRatio') return `completion ${percent(low)}–${percent(high)}`;
  if (feature === 'spendUsd') return `spent ${usd(low)}–${usd(high)} (USD)`;
  if (feature === 'progressVelocity') return `${Math.round(low * 10) / 10}–${Math.round(high * 10) / 10} chapters a week (${VELOCITY_WINDOW})`;
  // a one-hot column has no range: a path bounds it once
  if (BINARY_WORDS[feature]) return describeCondition(feature, '>=', low);
  const a = Math.ceil(low);
  const b = Math.ceil(high) - 1; // whole values: x < 29.5 is x ≤ 29
  const r = a === b ? `${a}` : `${a}–${b}`;
  switch (feature) {
    case 'recencyDays':
      return `no activity for ${r} days`;
    case 'frequency':
      return `${r} interactions`;
    case 'distinctItems':
      return `${r} distinct items`;
    case 'activeDays':
      return `active on ${r} days`;
    case 'daysSinceFirst':
      return `first seen ${r} days ago`;
    case 'last7Days':
      return `${r} interactions in the last 7 days`;
    case 'last30Days':
      return `${r} interactions in the last 30 days`;
    case 'chaptersCompleted':
      return `${r} chapters completed`;
    case 'coursesStarted':
      return `${r} courses started`;
    case 'coursesUnfinished':
      return `${r} courses started and not finished`;
    case 'purchases':
      return `${r} purchases`;
    case 'daysSinceLastPurchase':
      return `last purchase ${r} days ago`;
    case 'subscriptionDays':
      return `subscribed ${r} days ago`;
    default: {
      const kind = KIND_WORDS[feature];
      return kind ? `${r} ${kind[1]}` : `${LABELS[feature]} ${r}`;
    }
  }
}

export interface PathStep {
  feature: FeatureName;
  op: '<' | '>=';
  threshold: number;
}

/** The splits a row passes through from the root to its leaf (ml-cart sends `x < v` left). */
export function treePath(root: CartNode, row: ArrayLike<number>, names: readonly FeatureName[] = FEATURE_NAMES): PathStep[] {
  const steps: PathStep[] = [];
  let node: CartNode | undefined = root;
  while (node && node.left && node.right && node.splitColumn !== undefined && node.splitValue !== undefined) {
    const feature = names[node.splitColumn] as FeatureName;
    const goLeft: boolean = (row[node.splitColumn] as number) < node.splitValue;
    steps.push({ feature, op: goLeft ? '<' : '>=', threshold: node.splitValue });
    node = goLeft ? node.left : node.right;
  }
  return steps;
}

/** The path in words: per feature, in the order first met, the tightest bound (or range). */
export function explainPath(steps: readonly PathStep[]): string {
  const bounds = new Map<FeatureName, { low?: number; high?: number }>();
  for (const s of steps) {
    const b = bounds.get(s.feature) ?? {};
    if (s.op === '>=') b.low = b.low === undefined ? s.threshold : Math.max(b.low, s.threshold);
    else b.high = b.high === undefined ? s.threshold : Math.min(b.high, s.threshold);
    bounds.set(s.feature, b);
  }
  const words = [...bounds].map(([feature, b]) =>
    b.low !== undefined && b.high !== undefined
      ? describeRange(feature, b.low, b.high)
      : b.low !== undefined
        ? describeCondition(feature, '>=', b.low)
        : describeCondition(feature, '<', b.high as number),
  );
  return words.length ? words.join(' and ') : 'all learners (the tree has no split)';
}

export function explainTree(root: CartNode, row: ArrayLike<number>, names: readonly FeatureName[] = FEATURE_NAMES): string {
  return explainPath(treePath(root, row, names));
}

const LABELS: Record<FeatureName, string> = {
  recencyDays: 'days since last activity',
  frequency: 'interactions',
  distinctItems: 'distinct items',
  activeDays: 'active days',
  daysSinceFirst: 'days since first interaction',
  last7Days: 'interactions in the last 7 days',
  last30Days: 'interactions in the last 30 days',
  meanGapDays: 'mean gap in days',
  completionRatio: 'completion',
  chaptersCompleted: 'chapters completed',
  coursesStarted: 'courses started',
  progressVelocity: `chapters a week (${VELOCITY_WINDOW})`,
  coursesUnfinished: 'courses started and not finished',
  purchases: 'purchases',
  daysSinceLastPurchase: 'days since last purchase',
  spendUsd: 'spend (USD)',
  subscriptionActive: 'active subscription',
  subscriptionTrialing: 'trial subscription',
  subscriptionPastDue: 'past-due subscription',
  subscriptionCanceled: 'ended subscription',
  subscriptionDays: 'days subscribed',
  localeZhHans: 'prefers Chinese',
  viewEvents: 'views',
  likeEvents: 'likes',
  purchaseEvents: 'purchase events',
  progressEvents: 'progress events',
  completeEvents: 'course completions',
  rateEvents: 'ratings',
  refundEvents: 'refunds',
};

/**
 * A segment's defining feature in words: "high days since last activity", and for a one-hot
 * column what most of the segment is or is not ("mostly subscription active", "mostly no active subscription").
 */
export function segmentPhrase(feature: FeatureName, direction: 'high' | 'low'): string {
  const binary = BINARY_WORDS[feature];
  if (binary) return `mostly ${direction === 'high' ? binary.yes : binary.no}`;
  return `${direction} ${LABELS[feature]}`;
}

/** A feature's name in words ("days since last activity"). */
export const featureLabel = (f: FeatureName): string => LABELS[f];

export interface Contribution {
  feature: FeatureName;
  value: number;
  /** weight × standardised value: its share of the log-odds */
  contribution: number;
}

/** The `top` largest contributions by size, e.g. "days since last activity 35 (−1.82); interactions 1 (−0.40)". */
export function explainContributions(contributions: readonly Contribution[], top = 3): string {
  const largest = [...contributions].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)).slice(0, top);
  return largest
    .map((c) => `${LABELS[c.feature]} ${Math.round(c.value * 10) / 10} (${c.contribution >= 0 ? '+' : '−'}${Math.abs(c.contribution).toFixed(2)})`)
    .join('; ');
}
