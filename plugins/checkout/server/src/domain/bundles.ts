/**
 * Bundles: several courses sold once, at one price. Whether a learner may buy one (for themselves
 * or as a gift), and which courses an order opens. Pure: the adapter gathers the bundle as stored,
 * its published courses and what the paywall says the buyer already has.
 */
import type { AllowedVia } from '@kp/platform';
import { checkChargeable, isSupportedCurrency, type Currency } from './money';

export interface BundleFacts {
  documentId: string;
  title: string;
  price: number;
  currency: string;
  onSale: boolean;
  /** documentIds of the bundle's courses that have a published version, in the editor's order. */
  courseDocumentIds: readonly string[];
}

export type BundlePurchaseDecision =
  | { ok: true; amount: number; currency: Currency; title: string; courseDocumentIds: string[] }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'already-has-access'; via: AllowedVia }
  | { ok: false; reason: 'not-purchasable'; detail: string };

/**
 * May this buyer buy this bundle? `owned`: for each of its courses the buyer can already read,
 * why (`null` for a gift: what the buyer owns does not matter, the recipient gets the courses).
 * A buyer who already has SOME of the courses may still buy it (the price is the bundle's); one who
 * has ALL of them is refused, as a course they have is.
 */
export function decideBundlePurchase(bundle: BundleFacts | null, owned: ReadonlyMap<string, AllowedVia> | null): BundlePurchaseDecision {
  if (!bundle || !bundle.onSale) return { ok: false, reason: 'not-found' };
  const courses = [...new Set(bundle.courseDocumentIds)];
  if (courses.length === 0) return { ok: false, reason: 'not-purchasable', detail: 'the bundle has no published course' };
  if (owned && courses.every((c) => owned.has(c))) return { ok: false, reason: 'already-has-access', via: owned.get(courses[0]!)! };
  const currency = bundle.currency.toLowerCase();
  if (!isSupportedCurrency(currency)) return { ok: false, reason: 'not-purchasable', detail: `unsupported currency ${currency}` };
  const chargeable = checkChargeable(bundle.price, currency);
  if (!chargeable.ok) return { ok: false, reason: 'not-purchasable', detail: `price ${bundle.price} ${currency}: ${chargeable.reason}` };
  return { ok: true, amount: bundle.price, currency, title: bundle.title, courseDocumentIds: courses };
}

/** The courses an order opens when paid: its course, or the bundle's courses as they were when it was bought. */
export function orderCourses(order: { kind: string; courseDocumentId: string | null; courseDocumentIds: unknown }): string[] {
  if (order.kind === 'course') return order.courseDocumentId ? [order.courseDocumentId] : [];
  if (order.kind === 'bundle' && Array.isArray(order.courseDocumentIds)) {
    return [...new Set(order.courseDocumentIds.filter((c): c is string => typeof c === 'string' && c.length > 0))];
  }
  return [];
}
