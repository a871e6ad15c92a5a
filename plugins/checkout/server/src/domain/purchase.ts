/**
 * Whether a learner may start a checkout, and for what. The adapter gathers the facts (the
 * course or plan as published, what the paywall says the learner already has) and maps each
 * refusal reason to an HTTP answer.
 */
import type { AccessDecision, AllowedVia } from '@kp/platform';
import { checkChargeable, isSupportedCurrency, type Currency } from './money';
import { billingPeriod, trialDaysFor } from './catalogue';

/** The platform's locales a learner may ask Stripe Checkout to speak (the route's body accepts these). */
export const CHECKOUT_LOCALES = ['en', 'zh-Hans'] as const;
export type CheckoutLocale = (typeof CHECKOUT_LOCALES)[number];

/** Stripe Checkout's locale for the platform's locales (Checkout has no zh-Hans, its `zh` is Simplified). */
export function stripeCheckoutLocale(locale: CheckoutLocale | undefined): 'en' | 'zh' | 'auto' {
  if (locale === 'en') return 'en';
  if (locale === 'zh-Hans') return 'zh';
  return 'auto';
}

export interface CourseFacts {
  documentId: string;
  title: string;
  access: 'free' | 'paid' | 'subscription';
  price: number;
  currency: string;
}

export type CoursePurchaseDecision =
  | { ok: true; amount: number; currency: Currency; title: string }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'free-course' }
  | { ok: false; reason: 'subscription-only' }
  | { ok: false; reason: 'already-has-access'; via: AllowedVia }
  | { ok: false; reason: 'not-purchasable'; detail: string };

/**
 * May this learner buy this (published) course, and at what price? `course` null: no published
 * version; `access`: what the paywall decides for the learner and this course.
 */
export function decideCoursePurchase(course: CourseFacts | null, access: AccessDecision): CoursePurchaseDecision {
  if (!course) return { ok: false, reason: 'not-found' };
  if (course.access === 'free') return { ok: false, reason: 'free-course' };
  if (course.access === 'subscription') return { ok: false, reason: 'subscription-only' };
  // Anything that already opens the course (a purchase, a plan, a grant, being its instructor):
  // charging again would sell the learner what they have.
  if (access.allowed) return { ok: false, reason: 'already-has-access', via: access.via };
  const currency = course.currency.toLowerCase();
  if (!isSupportedCurrency(currency)) return { ok: false, reason: 'not-purchasable', detail: `unsupported currency ${currency}` };
  const chargeable = checkChargeable(course.price, currency);
  if (!chargeable.ok) {
    return { ok: false, reason: 'not-purchasable', detail: `price ${course.price} ${currency}: ${chargeable.reason}` };
  }
  return { ok: true, amount: course.price, currency, title: course.title };
}

export interface PlanFacts {
  documentId: string;
  name: string;
  price: number;
  currency: string;
  /** month, quarter or year (domain/catalogue.ts maps it to Stripe's interval and interval_count). */
  interval: string;
  /** Free days before the first charge (0 or null: none). */
  trialDays: number | null;
}

export type PlanPurchaseDecision =
  | { ok: true; amount: number; currency: Currency; title: string; trialDays: number | null }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'already-subscribed' }
  | { ok: false; reason: 'not-purchasable'; detail: string };

/** Stripe statuses in which a subscription still holds (or is about to hold) the plan. */
const LIVE_SUBSCRIPTION = new Set(['active', 'trialing', 'past_due', 'unpaid', 'incomplete', 'paused']);

/**
 * May this learner subscribe to this plan, at what price, with what trial? `subscriptionStatuses`:
 * their subscriptions to it, past ones included (a trial is given once per learner and plan).
 */
export function decidePlanPurchase(plan: PlanFacts | null, subscriptionStatuses: readonly string[]): PlanPurchaseDecision {
  if (!plan) return { ok: false, reason: 'not-found' };
  // `incomplete` too: a first invoice still being paid must not be doubled by a second checkout.
  if (subscriptionStatuses.some((s) => LIVE_SUBSCRIPTION.has(s))) return { ok: false, reason: 'already-subscribed' };
  if (!billingPeriod(plan.interval)) return { ok: false, reason: 'not-purchasable', detail: `unknown billing period ${plan.interval}` };
  const currency = plan.currency.toLowerCase();
  if (!isSupportedCurrency(currency)) return { ok: false, reason: 'not-purchasable', detail: `unsupported currency ${currency}` };
  const chargeable = checkChargeable(plan.price, currency);
  if (!chargeable.ok) return { ok: false, reason: 'not-purchasable', detail: `price ${plan.price} ${currency}: ${chargeable.reason}` };
  return { ok: true, amount: plan.price, currency, title: plan.name, trialDays: trialDaysFor(plan.trialDays, subscriptionStatuses.length > 0) };
}
