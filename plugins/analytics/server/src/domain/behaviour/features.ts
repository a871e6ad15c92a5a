/**
 * Behaviour features of one learner as of a cut-off time, from the learner's interactions.
 *
 * Only interactions at or before the cut-off count (`at <= cutoff`); anything later is ignored, so
 * a model trained on features at a past cut-off never sees what happened after it. The builder
 * takes events one at a time in any order and keeps a few numbers per learner (plus the sets of
 * distinct items and active days), so millions of events stream through it.
 */

export const DAY_MS = 86_400_000;

/** Feature order of every row handed to the models (`featureRow`). */
export const FEATURE_NAMES = [
  'recencyDays', // whole days from the last interaction to the cut-off
  'frequency', // interactions up to the cut-off
  'distinctItems', // distinct items interacted with
  'activeDays', // distinct UTC days with an interaction
  'daysSinceFirst', // whole days from the first interaction to the cut-off
  'last7Days', // interactions in (cutoff − 7 days, cutoff]
  'last30Days', // interactions in (cutoff − 30 days, cutoff]
  'meanGapDays', // mean days between consecutive interactions, 0.1 day precision; one interaction: days since it
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];
export type Features = Record<FeatureName, number>;

export interface Interaction<K = string> {
  userId: K;
  itemId: string | number;
  /** milliseconds since the epoch */
  at: number;
}

interface State {
  first: number;
  last: number;
  count: number;
  items: Set<string | number>;
  days: Set<number>;
  last7: number;
  last30: number;
}

export class FeatureBuilder<K = string> {
  private readonly states = new Map<K, State>();

  constructor(readonly cutoff: number) {
    if (!Number.isFinite(cutoff)) throw new RangeError('cutoff must be a finite time in milliseconds');
  }

  /** Records one interaction; one after the cut-off is ignored (returns false). */
  add(userId: K, itemId: string | number, at: number): boolean {
    if (!(at <= this.cutoff)) return false;
    let s = this.states.get(userId);
    if (!s) {
      s = newState(at);
      this.states.set(userId, s);
    }
    accumulate(s, itemId, at, this.cutoff);
    return true;
  }

  /** Learners with at least one interaction at or before the cut-off. */
  get size(): number {
    return this.states.size;
  }

  has(userId: K): boolean {
    return this.states.has(userId);
  }

  /** The features of every learner seen, in insertion order. */
  result(): Map<K, Features> {
    const out = new Map<K, Features>();
    for (const [k, s] of this.states) out.set(k, toFeatures(s, this.cutoff));
    return out;
  }
}

function newState(at: number): State {
  return { first: at, last: at, count: 0, items: new Set(), days: new Set(), last7: 0, last30: 0 };
}

function accumulate(s: State, itemId: string | number, at: number, cutoff: number): void {
  if (at < s.first) s.first = at;
  if (at > s.last) s.last = at;
  s.count++;
  s.items.add(itemId);
  s.days.add(Math.floor(at / DAY_MS));
  const age = cutoff - at;
  if (age < 7 * DAY_MS) s.last7++;
  if (age < 30 * DAY_MS) s.last30++;
}

/**
 * The features of ONE learner from that learner's interactions `[from, to)` of two parallel arrays
 * (any order), or null when none is at or before the cut-off. For callers that group events by
 * learner themselves (the offline evaluation keeps millions of rows in typed arrays).
 */
export function learnerFeatures(items: ArrayLike<string | number>, ats: ArrayLike<number>, cutoff: number, from = 0, to = ats.length): Features | null {
  let s: State | null = null;
  for (let i = from; i < to; i++) {
    const at = ats[i] as number;
    if (!(at <= cutoff)) continue;
    s ??= newState(at);
    accumulate(s, items[i] as string | number, at, cutoff);
  }
  return s && toFeatures(s, cutoff);
}

function toFeatures(s: State, cutoff: number): Features {
  return featuresFromAggregates(
    { first: s.first, last: s.last, count: s.count, distinctItems: s.items.size, activeDays: s.days.size, last7: s.last7, last30: s.last30 },
    cutoff,
  );
}

/**
 * A learner's interactions at or before the cut-off, summed up (what SQL's GROUP BY returns):
 * first and last in ms, how many, distinct items, distinct UTC days, and how many in the
 * 7 and 30 days before the cut-off (`at > cutoff − 7 days`).
 */
export interface Aggregates {
  first: number;
  last: number;
  count: number;
  distinctItems: number;
  activeDays: number;
  last7: number;
  last30: number;
}

export function featuresFromAggregates(a: Aggregates, cutoff: number): Features {
  const meanGap = a.count > 1 ? (a.last - a.first) / (a.count - 1) / DAY_MS : (cutoff - a.first) / DAY_MS;
  return {
    recencyDays: Math.floor((cutoff - a.last) / DAY_MS),
    frequency: a.count,
    distinctItems: a.distinctItems,
    activeDays: a.activeDays,
    daysSinceFirst: Math.floor((cutoff - a.first) / DAY_MS),
    last7Days: a.last7,
    last30Days: a.last30,
    meanGapDays: Math.round(meanGap * 10) / 10,
  };
}

/** Features of every learner with an interaction at or before `cutoff`. */
export function computeFeatures<K>(events: Iterable<Interaction<K>>, cutoff: number): Map<K, Features> {
  const b = new FeatureBuilder<K>(cutoff);
  for (const e of events) b.add(e.userId, e.itemId, e.at);
  return b.result();
}

/** A learner's features as a row in FEATURE_NAMES order. */
export function featureRow(f: Features): number[] {
  return FEATURE_NAMES.map((n) => f[n]);
}

/** Learners with at least one interaction in (from, to]. */
export function activeBetween<K>(events: Iterable<Interaction<K>>, from: number, to: number): Set<K> {
  const out = new Set<K>();
  for (const e of events) if (e.at > from && e.at <= to) out.add(e.userId);
  return out;
}

/** The interaction kinds the recommender records (`plugin::recommender.interaction` `kind`). */
export const INTERACTION_KINDS = ['view', 'like', 'purchase', 'progress', 'complete', 'rate', 'refund'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

/** A learner's subscription state as of a cut-off (Stripe's statuses folded into five). */
export const SUBSCRIPTION_STATES = ['active', 'trialing', 'past_due', 'canceled', 'none'] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

/**
 * Stripe's subscription status as one of SUBSCRIPTION_STATES: `unpaid`, `paused` and
 * `incomplete_expired` have lost access like `canceled`; `incomplete` (the first payment never
 * went through) never began; anything unknown is `none`.
 */
export function subscriptionStateOf(stripeStatus: string | null | undefined): SubscriptionState {
  switch (stripeStatus) {
    case 'active':
    case 'trialing':
    case 'past_due':
    case 'canceled':
      return stripeStatus;
    case 'unpaid':
    case 'paused':
    case 'incomplete_expired':
      return 'canceled';
    default:
      return 'none';
  }
}

/** Which of a learner's subscriptions speaks for them: the first state in this order. */
const STATE_RANK: Record<SubscriptionState, number> = { active: 0, trialing: 1, past_due: 2, canceled: 3, none: 4 };

/** The currency whose spend is a feature (the catalogue's default); other currencies count in `purchases` only: amounts are never converted. */
export const SPEND_CURRENCY = 'usd';

/**
 * What a learner did on the platform besides interactions, as of a cut-off: paid orders (an order
 * counts when it was paid, as in the sales report, even if refunded later), spend in
 * SPEND_CURRENCY, chapters completed and courses started (a progress row created), subscriptions
 * (each one's Stripe status in its latest webhook event at or before the cut-off, and when its
 * first event came), the preferred locale and the interactions by kind. Summed up in SQL
 * (services/behaviour.ts).
 */
export interface PlatformAggregates {
  purchases: number;
  /** ms; null without a paid order */
  lastPurchaseAt: number | null;
  /** progress rows created at or before the cut-off (a chapter opened) */
  chaptersStarted: number;
  chaptersCompleted: number;
  coursesStarted: number;
  /** chapters completed in the VELOCITY_DAYS before the cut-off (`completedAt` in (cutoff − VELOCITY_DAYS, cutoff]) */
  chaptersCompletedRecently?: number;
  /** courses with a certificate issued at or before the cut-off (a revoked one too: the course was finished) */
  coursesCompleted?: number;
  /** minor units of SPEND_CURRENCY paid at or before the cut-off (amount paid, else the order's amount) */
  spendMinor?: number;
  /** the learner's subscriptions as of the cut-off: Stripe status then, and when it began (ms) */
  subscriptions?: ReadonlyArray<{ status: string; startedAt: number }>;
  /** the preferred locale of a profile that existed at the cut-off */
  locale?: string | null;
  /** interactions at or before the cut-off by kind */
  kinds?: Partial<Record<InteractionKind, number>>;
}

export interface PlatformFeatures {
  purchases: number;
  /** whole days from the last paid order to the cut-off; null without one */
  daysSinceLastPurchase: number | null;
  chaptersStarted: number;
  chaptersCompleted: number;
  /** chapters completed ÷ chapters started, 0.01 precision; 0 without a started chapter */
  completionRatio: number;
  coursesStarted: number;
  /** chapters completed per week over the VELOCITY_DAYS before the cut-off, 0.01 precision */
  progressVelocity: number;
  /** courses started (a progress row) without a certificate by the cut-off */
  coursesUnfinished: number;
  /** SPEND_CURRENCY paid, major units (0.01 precision) */
  spend: number;
  subscriptionState: SubscriptionState;
  /** whole days since the deciding subscription began; null without one */
  subscriptionDays: number | null;
  /** the preferred locale, or null (none stored: the default locale's messages) */
  locale: string | null;
  interactionsByKind: Record<InteractionKind, number>;
}

/** The window of `progressVelocity`: four weeks, so that a weekly habit counts four times. */
export const VELOCITY_DAYS = 28;

const noKinds = (): Record<InteractionKind, number> => Object.fromEntries(INTERACTION_KINDS.map((k) => [k, 0])) as Record<InteractionKind, number>;

export function platformFeatures(a: PlatformAggregates, cutoff: number): PlatformFeatures {
  let sub: { state: SubscriptionState; startedAt: number } | null = null;
  for (const s of a.subscriptions ?? []) {
    const state = subscriptionStateOf(s.status);
    if (state === 'none' || s.startedAt > cutoff) continue;
    // the best state wins; among equals, the oldest (the longest relationship)
    if (!sub || STATE_RANK[state] < STATE_RANK[sub.state] || (state === sub.state && s.startedAt < sub.startedAt)) sub = { state, startedAt: s.startedAt };
  }
  const kinds = noKinds();
  for (const k of INTERACTION_KINDS) kinds[k] = a.kinds?.[k] ?? 0;
  return {
    purchases: a.purchases,
    daysSinceLastPurchase: a.lastPurchaseAt === null ? null : Math.floor((cutoff - a.lastPurchaseAt) / DAY_MS),
    chaptersStarted: a.chaptersStarted,
    chaptersCompleted: a.chaptersCompleted,
    completionRatio: a.chaptersStarted > 0 ? Math.round((a.chaptersCompleted / a.chaptersStarted) * 100) / 100 : 0,
    coursesStarted: a.coursesStarted,
    progressVelocity: Math.round(((a.chaptersCompletedRecently ?? 0) / (VELOCITY_DAYS / 7)) * 100) / 100,
    // a certificate needs every chapter completed, so its course was started; never below 0 all the same
    coursesUnfinished: Math.max(0, a.coursesStarted - (a.coursesCompleted ?? 0)),
    // SPEND_CURRENCY has two decimals (the kernel's minorUnitDigits)
    spend: Math.round(a.spendMinor ?? 0) / 100,
    subscriptionState: sub?.state ?? 'none',
    subscriptionDays: sub ? Math.floor((cutoff - sub.startedAt) / DAY_MS) : null,
    locale: a.locale ?? null,
    interactionsByKind: kinds,
  };
}

/** The platform features the server's models read, after the interaction features (LEARNER_FEATURE_NAMES). */
export const PLATFORM_FEATURE_NAMES = [
  'completionRatio',
  'chaptersCompleted',
  'coursesStarted',
  'progressVelocity', // chapters completed per week over the last VELOCITY_DAYS
  'coursesUnfinished', // courses started without a certificate
  'purchases',
  'daysSinceLastPurchase',
  'spendUsd', // SPEND_CURRENCY paid, major units
  'subscriptionActive', // one-hot of subscriptionState (none: all four 0)
  'subscriptionTrialing',
  'subscriptionPastDue',
  'subscriptionCanceled',
  'subscriptionDays', // days since the deciding subscription began (none: 0)
  'localeZhHans', // 1 when the preferred locale is zh-Hans (the one locale besides the default en)
  'viewEvents', // interactions by kind, INTERACTION_KINDS order
  'likeEvents',
  'purchaseEvents',
  'progressEvents',
  'completeEvents',
  'rateEvents',
  'refundEvents',
] as const;
export type PlatformFeatureName = (typeof PLATFORM_FEATURE_NAMES)[number];

/** Every feature a model may read: the interaction features, then the platform features. */
export type AnyFeatureName = FeatureName | PlatformFeatureName;

/** Feature order of the server's models (interactions, then orders and progress). */
export const LEARNER_FEATURE_NAMES: readonly AnyFeatureName[] = [...FEATURE_NAMES, ...PLATFORM_FEATURE_NAMES];

/** Features that are 0 or 1 (one-hot columns): segments and reasons speak of them as yes / no. */
export const BINARY_FEATURES: ReadonlySet<AnyFeatureName> = new Set<AnyFeatureName>(['subscriptionActive', 'subscriptionTrialing', 'subscriptionPastDue', 'subscriptionCanceled', 'localeZhHans']);

/** Days since the last purchase of a learner who never bought, or bought longer ago: a model needs a number. */
export const NO_PURCHASE_DAYS = 365;

const NO_PLATFORM: PlatformFeatures = platformFeatures({ purchases: 0, lastPurchaseAt: null, chaptersStarted: 0, chaptersCompleted: 0, coursesStarted: 0 }, 0);

/** A learner's row in LEARNER_FEATURE_NAMES order (no orders or progress: zeros, and NO_PURCHASE_DAYS). */
export function learnerRow(f: Features, p: PlatformFeatures | undefined): number[] {
  const q = p ?? NO_PLATFORM;
  const s = q.subscriptionState;
  return [
    ...featureRow(f),
    q.completionRatio,
    q.chaptersCompleted,
    q.coursesStarted,
    q.progressVelocity,
    q.coursesUnfinished,
    q.purchases,
    Math.min(q.daysSinceLastPurchase ?? NO_PURCHASE_DAYS, NO_PURCHASE_DAYS),
    q.spend,
    s === 'active' ? 1 : 0,
    s === 'trialing' ? 1 : 0,
    s === 'past_due' ? 1 : 0,
    s === 'canceled' ? 1 : 0,
    q.subscriptionDays ?? 0,
    q.locale === 'zh-Hans' ? 1 : 0,
    ...INTERACTION_KINDS.map((k) => q.interactionsByKind[k]),
  ];
}

/**
 * Rows of `current` feature order read as rows of a stored model's `stored` order, by name: a
 * model trained before a feature was added keeps scoring on the columns it knows. Null when the
 * model reads a feature that is no longer computed (it must be retrained).
 */
export function rowProjection(current: readonly string[], stored: readonly string[]): ((row: readonly number[]) => number[]) | null {
  if (current.length === stored.length && current.every((n, i) => n === stored[i])) return (row) => row as number[];
  const index = stored.map((n) => current.indexOf(n));
  if (index.some((i) => i < 0)) return null;
  return (row) => index.map((i) => row[i] as number);
}
