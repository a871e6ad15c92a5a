/**
 * Coupons and promotion codes as editors define them: whether the terms are valid, whether a
 * code applies to what a learner is about to buy, and what the learner would pay. Pure; the
 * adapter (services/coupons.ts) reads the coupon row and Stripe's redemption count and creates the
 * Stripe Coupon and Promotion Code. Stripe applies the discount at checkout; the preview here uses
 * Stripe's own rules (percent of the amount rounded to the minor unit, an amount off never below 0).
 */
import { isSupportedCurrency } from './money';

export const COUPON_DURATIONS = ['once', 'repeating', 'forever'] as const;
export type CouponDuration = (typeof COUPON_DURATIONS)[number];

/** A promotion code as a learner types it: Stripe allows letters, digits, `-` and `_`. */
export const PROMOTION_CODE_PATTERN = /^[A-Za-z0-9_-]{3,40}$/;

/** Codes are matched without regard to case (Stripe's are case-insensitive); stored in capitals. */
export function normaliseCode(code: string): string {
  return code.trim().toUpperCase();
}

/** The terms an editor sets on a coupon (Content Manager fields). */
export interface CouponTerms {
  code: string;
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  duration: string;
  durationInMonths: number | null;
  /** ISO time after which the code is refused. */
  expiresAt: string | null;
  maxRedemptions: number | null;
  /** Restricted to these courses and plans (documentIds); both empty: applies to everything. */
  courses: readonly string[];
  plans: readonly string[];
}

/** Problems with a coupon's terms, each naming its field; empty when valid. */
export function checkCouponTerms(t: CouponTerms, now: Date): string[] {
  const problems: string[] = [];
  if (!PROMOTION_CODE_PATTERN.test(t.code ?? '')) problems.push('code: 3 to 40 letters, digits, "-" or "_"');
  const hasPercent = t.percentOff !== null && t.percentOff !== undefined;
  const hasAmount = t.amountOff !== null && t.amountOff !== undefined;
  if (hasPercent === hasAmount) problems.push('percentOff / amountOff: give exactly one of them');
  if (hasPercent && !(Number(t.percentOff) > 0 && Number(t.percentOff) <= 100)) problems.push('percentOff: more than 0, at most 100');
  if (hasAmount) {
    if (!Number.isSafeInteger(t.amountOff) || Number(t.amountOff) < 1) problems.push('amountOff: a positive whole number of minor units (cents)');
    if (!t.currency || !isSupportedCurrency(t.currency.toLowerCase())) problems.push('currency: required with amountOff (usd, eur, gbp, cny, jpy)');
  }
  if (!(COUPON_DURATIONS as readonly string[]).includes(t.duration)) problems.push('duration: once, repeating or forever');
  if (t.duration === 'repeating' && !(Number.isSafeInteger(t.durationInMonths) && Number(t.durationInMonths) >= 1)) {
    problems.push('durationInMonths: required (1 or more) when duration is repeating');
  }
  if (t.duration !== 'repeating' && t.durationInMonths !== null && t.durationInMonths !== undefined) {
    problems.push('durationInMonths: only with duration "repeating"');
  }
  if (t.expiresAt !== null && t.expiresAt !== undefined) {
    const at = new Date(t.expiresAt).getTime();
    if (!Number.isFinite(at)) problems.push('expiresAt: not a date');
    else if (at <= now.getTime()) problems.push('expiresAt: must be in the future');
  }
  if (t.maxRedemptions !== null && t.maxRedemptions !== undefined && !(Number.isSafeInteger(t.maxRedemptions) && t.maxRedemptions >= 1)) {
    problems.push('maxRedemptions: 1 or more');
  }
  return problems;
}

/**
 * Terms that Stripe fixes once a Coupon exists (amounts, duration, products, expiry, limit):
 * the names of those that differ. An editor may still rename it or switch it off.
 */
export function changedFixedTerms(before: CouponTerms, after: CouponTerms): string[] {
  const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join(',') === [...b].sort().join(',');
  const time = (v: string | null) => (v ? new Date(v).getTime() : null);
  const changed: string[] = [];
  if (normaliseCode(before.code) !== normaliseCode(after.code)) changed.push('code');
  if ((before.percentOff ?? null) !== (after.percentOff ?? null)) changed.push('percentOff');
  if ((before.amountOff ?? null) !== (after.amountOff ?? null)) changed.push('amountOff');
  if ((before.currency ?? null) !== (after.currency ?? null) && (after.amountOff ?? null) !== null) changed.push('currency');
  if (before.duration !== after.duration) changed.push('duration');
  if ((before.durationInMonths ?? null) !== (after.durationInMonths ?? null)) changed.push('durationInMonths');
  if (time(before.expiresAt) !== time(after.expiresAt)) changed.push('expiresAt');
  if ((before.maxRedemptions ?? null) !== (after.maxRedemptions ?? null)) changed.push('maxRedemptions');
  if (!same(before.courses, after.courses)) changed.push('courses');
  if (!same(before.plans, after.plans)) changed.push('plans');
  return changed;
}

/** What a learner is about to buy. */
export interface PurchaseItem {
  kind: 'course' | 'plan';
  documentId: string;
  amount: number;
  currency: string;
}

/** A stored coupon as the applicability decision needs it. */
export interface CouponState extends CouponTerms {
  active: boolean;
  /** Stripe's count (promotion code `times_redeemed`). */
  timesRedeemed: number;
}

export type CouponRefusal = 'inactive' | 'expired' | 'used-up' | 'not-applicable' | 'wrong-currency';

export type CouponDecision =
  | { ok: true; discount: number; total: number; currency: string; duration: CouponDuration; durationInMonths: number | null }
  | { ok: false; reason: CouponRefusal; detail: string };

/** The discount Stripe takes off `amount`: a percentage rounded to the minor unit, never more than the amount. */
export function discountOf(amount: number, coupon: Pick<CouponTerms, 'percentOff' | 'amountOff'>): number {
  if (coupon.percentOff !== null && coupon.percentOff !== undefined) return Math.min(amount, Math.round((amount * Number(coupon.percentOff)) / 100));
  return Math.min(amount, Number(coupon.amountOff ?? 0));
}

/** Whether this code may be used for this item now, and what the learner would pay. */
export function decideCouponApplicability(coupon: CouponState, item: PurchaseItem, now: Date): CouponDecision {
  if (!coupon.active) return { ok: false, reason: 'inactive', detail: 'this code is switched off' };
  if (coupon.expiresAt && new Date(coupon.expiresAt).getTime() <= now.getTime()) {
    return { ok: false, reason: 'expired', detail: `expired on ${new Date(coupon.expiresAt).toISOString()}` };
  }
  if (coupon.maxRedemptions !== null && coupon.maxRedemptions !== undefined && coupon.timesRedeemed >= coupon.maxRedemptions) {
    return { ok: false, reason: 'used-up', detail: `redeemed ${coupon.timesRedeemed} of ${coupon.maxRedemptions} times` };
  }
  const restricted = coupon.courses.length > 0 || coupon.plans.length > 0;
  const listed = item.kind === 'course' ? coupon.courses.includes(item.documentId) : coupon.plans.includes(item.documentId);
  if (restricted && !listed) return { ok: false, reason: 'not-applicable', detail: `not valid for this ${item.kind}` };
  if (coupon.amountOff !== null && coupon.amountOff !== undefined && (coupon.currency ?? '').toLowerCase() !== item.currency.toLowerCase()) {
    return { ok: false, reason: 'wrong-currency', detail: `an amount off in ${(coupon.currency ?? '').toUpperCase()}, this ${item.kind} is priced in ${item.currency.toUpperCase()}` };
  }
  const discount = discountOf(item.amount, coupon);
  return {
    ok: true,
    discount,
    total: item.amount - discount,
    currency: item.currency.toLowerCase(),
    duration: coupon.duration as CouponDuration,
    durationInMonths: coupon.duration === 'repeating' ? coupon.durationInMonths : null,
  };
}
