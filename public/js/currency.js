/**
 * The currency the learner sees prices in. A course has a default `price` + `currency` and may have
 * `extraPrices` (one per other currency, from `populate[extraPrices]`). The storefront shows the
 * extra price in the learner's currency when the course offers one, the default price otherwise,
 * and asks checkout for exactly the currency it showed (`currency` in the body only for an extra
 * price): the server never guesses a currency, so the price shown is the price charged.
 *
 * The choice: the header's selector (kept in localStorage); before any choice, a suggestion from
 * the interface language (zh-Hans → CNY), else from the browser's languages (en-GB → GBP,
 * de/fr/es… → EUR, ja → JPY, en-US → USD); no suggestion → each course's own currency.
 */

import { getLocale } from './i18n.js';
import { currencyForLocale } from './currency-locale.js';

/** The currencies the platform sells in (the course schema's `currency` enumeration). */
export const CURRENCIES = /** @type {const} */ (['usd', 'eur', 'gbp', 'cny', 'jpy']);
/** @typedef {(typeof CURRENCIES)[number]} Currency */

const CURRENCY_KEY = 'kp.currency';
/** Stored when the learner picks "each course's own currency", so no suggestion overrides it. */
const COURSE_DEFAULT = 'default';

/** @param {unknown} code @returns {code is Currency} */
export function isCurrency(code) {
  return typeof code === 'string' && /** @type {readonly string[]} */ (CURRENCIES).includes(code);
}

/** What the learner picked in the selector: a currency, 'default' (each course's own), or null (nothing yet). */
function stored() {
  try {
    const value = localStorage.getItem(CURRENCY_KEY);
    return value === COURSE_DEFAULT || isCurrency(value) ? value : null;
  } catch {
    return null;
  }
}

/** The suggestion before any choice: the interface language, then the browser's languages. @returns {Currency | null} */
export function suggestedCurrency() {
  const fromInterface = getLocale() === 'zh-Hans' ? currencyForLocale('zh-Hans') : null;
  if (fromInterface) return fromInterface;
  const tags = typeof navigator !== 'undefined' ? (navigator.languages?.length ? navigator.languages : [navigator.language]) : [];
  for (const tag of tags) {
    const currency = tag ? currencyForLocale(tag) : null;
    if (currency) return currency;
  }
  return null;
}

/** The currency prices are shown in, or null for each course's own currency. @returns {Currency | null} */
export function getCurrency() {
  const choice = stored();
  if (choice === COURSE_DEFAULT) return null;
  return choice ?? suggestedCurrency();
}

/** Remembers the learner's choice (null: each course's own currency). @param {Currency | null} currency */
export function setCurrency(currency) {
  try {
    localStorage.setItem(CURRENCY_KEY, currency ?? COURSE_DEFAULT);
  } catch {
    /* not persisted: the choice lasts this page */
  }
}

/**
 * The price a course is shown (and sold) at for this learner: its extra price in the chosen
 * currency when it has one, else its default price. `extra` says whether checkout must be asked
 * for `currency` (an extra price) or not (the default, which checkout charges without it).
 * @param {{ price?: number, currency?: string, extraPrices?: Array<{ currency?: string, amount?: number }> | null }} course
 * @param {Currency | null} [currency]
 * @returns {{ amount: number, currency: string, extra: boolean }}
 */
export function shownPrice(course, currency = getCurrency()) {
  const base = String(course.currency ?? 'usd').toLowerCase();
  if (currency && currency !== base && Array.isArray(course.extraPrices)) {
    const match = course.extraPrices.find((p) => String(p?.currency ?? '').toLowerCase() === currency && typeof p?.amount === 'number');
    if (match) return { amount: /** @type {number} */ (match.amount), currency, extra: true };
  }
  return { amount: course.price ?? 0, currency: base, extra: false };
}
