/**
 * The platform's price list in Stripe: which Stripe Price a course or plan must be sold at, and
 * what to do with the Prices Stripe already holds for it. Pure: the adapter
 * (services/catalogue.ts) gathers the stored prices, applies the plan through the SDK and records it.
 *
 * Rules:
 *   - a Stripe Price is immutable (amount, currency, interval): a new amount is a new Price;
 *   - at most one active Price per item: the one matching the editor's current amount, currency
 *     and period; every other active one is archived (`active: false`). Archiving does not touch
 *     existing subscriptions: they keep renewing at their Price;
 *   - going back to an amount sold before reactivates that Price instead of minting a twin.
 */

/** What an editor picks for a plan: Stripe's interval and interval_count behind each. */
export const PLAN_PERIODS = ['month', 'quarter', 'year'] as const;
export type PlanPeriod = (typeof PLAN_PERIODS)[number];

export interface Recurring {
  interval: 'day' | 'week' | 'month' | 'year';
  intervalCount: number;
}

/** A plan's period as Stripe bills it: a quarter is three months (Stripe has no quarter interval). */
export function billingPeriod(period: string): Recurring | null {
  switch (period) {
    case 'month':
      return { interval: 'month', intervalCount: 1 };
    case 'quarter':
      return { interval: 'month', intervalCount: 3 };
    case 'year':
      return { interval: 'year', intervalCount: 1 };
    default:
      return null;
  }
}

/** How many months one period lasts (for monthly figures such as MRR). */
export function monthsPerPeriod(period: string): number | null {
  const r = billingPeriod(period);
  if (!r) return null;
  return r.interval === 'year' ? 12 * r.intervalCount : r.intervalCount;
}

/** The Price an item must be sold at: amount in minor units, lower-case currency, recurring for plans. */
export interface PriceSpec {
  amount: number;
  currency: string;
  recurring: Recurring | null;
}

/** A Price Stripe already holds for the item (as recorded). */
export interface StoredPrice {
  stripePriceId: string;
  amount: number;
  currency: string;
  interval: string | null;
  intervalCount: number | null;
  active: boolean;
}

export function matchesSpec(price: StoredPrice, spec: PriceSpec): boolean {
  if (price.amount !== spec.amount || price.currency !== spec.currency) return false;
  if (!spec.recurring) return price.interval === null;
  return price.interval === spec.recurring.interval && (price.intervalCount ?? 1) === spec.recurring.intervalCount;
}

/** What to do in Stripe so that exactly one active Price matches the spec. */
export interface RotationPlan {
  /** The Price to sell at if it already exists and is active. */
  keep: string | null;
  /** An archived Price of the same terms to switch back on. */
  reactivate: string | null;
  /** True when no stored Price has these terms: create one. */
  create: boolean;
  /** Active Prices of other terms (or duplicates) to archive. */
  archive: string[];
}

/**
 * The rotation from what is stored to the spec. Exactly one of keep / reactivate / create is set;
 * `archive` never contains the Price sold at.
 */
export function planPriceRotation(spec: PriceSpec, prices: readonly StoredPrice[]): RotationPlan {
  const matching = prices.filter((p) => matchesSpec(p, spec));
  const activeMatch = matching.find((p) => p.active) ?? null;
  const chosen = activeMatch ?? matching[0] ?? null;
  const archive = prices.filter((p) => p.active && p.stripePriceId !== chosen?.stripePriceId).map((p) => p.stripePriceId);
  if (activeMatch) return { keep: activeMatch.stripePriceId, reactivate: null, create: false, archive };
  if (chosen) return { keep: null, reactivate: chosen.stripePriceId, create: false, archive };
  return { keep: null, reactivate: null, create: true, archive };
}

/**
 * The idempotency key of a Price creation: the same terms for the same product give the same key,
 * so two concurrent first checkouts (or a retry after a timeout) create one Price, not two.
 */
export function priceIdempotencyKey(productId: string, spec: PriceSpec): string {
  const period = spec.recurring ? `${spec.recurring.interval}x${spec.recurring.intervalCount}` : 'once';
  return `price-${productId}-${spec.currency}-${spec.amount}-${period}`;
}

/** Stripe accepts trials of 1 to 730 days. */
export const MAX_TRIAL_DAYS = 730;

/**
 * The trial a learner gets when subscribing: the plan's days, once per learner and plan (someone
 * who subscribed before, whatever became of it, pays from the first day).
 */
export function trialDaysFor(planTrialDays: number | null | undefined, subscribedBefore: boolean): number | null {
  if (!planTrialDays || planTrialDays < 1 || subscribedBefore) return null;
  return Math.min(Math.floor(planTrialDays), MAX_TRIAL_DAYS);
}

/** The record key of an item in the catalogue (`course:<documentId>`, `plan:<documentId>`). */
export function itemKey(kind: 'course' | 'plan', documentId: string): string {
  return `${kind}:${documentId}`;
}

/** The rotation of one currency of an item sold in several (a course with extra prices). */
export interface CurrencyRotation {
  spec: PriceSpec;
  plan: RotationPlan;
}

/**
 * The rotation of an item sold at one Price per currency: each spec rotates among the stored
 * Prices of its own currency only (changing the EUR amount never touches the USD Price), and an
 * active Price in a currency no longer offered is archived. Specs must have distinct currencies.
 */
export function planCurrencyRotations(specs: readonly PriceSpec[], prices: readonly StoredPrice[]): { rotations: CurrencyRotation[]; archiveDropped: string[] } {
  const currencies = new Set(specs.map((s) => s.currency));
  if (currencies.size !== specs.length) throw new Error('planCurrencyRotations: one spec per currency');
  const rotations = specs.map((spec) => ({ spec, plan: planPriceRotation(spec, prices.filter((p) => p.currency === spec.currency)) }));
  const archiveDropped = prices.filter((p) => p.active && !currencies.has(p.currency)).map((p) => p.stripePriceId);
  return { rotations, archiveDropped };
}
