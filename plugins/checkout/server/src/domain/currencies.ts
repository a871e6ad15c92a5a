/**
 * A course priced in several currencies: its default `price` + `currency`, and optional extra
 * prices (`extraPrices`, one per other currency). Pure: which extra prices an editor may save,
 * what the course is offered at, and which currency a learner is charged in.
 */
import { checkChargeable, isSupportedCurrency, SUPPORTED_CURRENCIES, type Currency } from './money';

/** The largest amount the course schema accepts for a price (the same bound for the extra prices). */
export const MAX_PRICE = 100_000_000;

export interface ExtraPriceInput {
  currency: unknown;
  amount: unknown;
}

/** One price a course is offered at; `default` marks the course's own `price` + `currency`. */
export interface OfferedPrice {
  currency: Currency;
  amount: number;
  default: boolean;
}

/**
 * What is wrong with the extra prices an editor saves (empty: nothing). Each extra price has a
 * supported currency, not the default one, not twice, and an integer amount Stripe can charge
 * (its minimum for the currency up to the schema's maximum).
 */
export function checkExtraPrices(defaultCurrency: string, extras: readonly ExtraPriceInput[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const base = defaultCurrency.toLowerCase();
  extras.forEach((extra, i) => {
    const at = `extraPrices[${i}]`;
    const currency = typeof extra.currency === 'string' ? extra.currency.toLowerCase() : '';
    if (!isSupportedCurrency(currency)) {
      problems.push(`${at}.currency: must be one of ${SUPPORTED_CURRENCIES.join(', ')}`);
    } else if (currency === base) {
      problems.push(`${at}.currency: ${currency} is the course's default currency (set its amount in "price")`);
    } else if (seen.has(currency)) {
      problems.push(`${at}.currency: ${currency} is given twice`);
    }
    if (isSupportedCurrency(currency)) seen.add(currency);
    const amount = typeof extra.amount === 'string' && extra.amount.trim() !== '' ? Number(extra.amount) : extra.amount;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) {
      problems.push(`${at}.amount: must be an integer in the currency's minor unit`);
    } else if (amount > MAX_PRICE) {
      problems.push(`${at}.amount: at most ${MAX_PRICE}`);
    } else if (isSupportedCurrency(currency)) {
      const chargeable = checkChargeable(amount, currency);
      if (!chargeable.ok) problems.push(`${at}.amount: ${chargeable.reason === 'below-minimum' ? `at least ${chargeable.minimum} (Stripe's minimum charge in ${currency})` : chargeable.reason}`);
    }
  });
  return problems;
}

/** Every price a course is offered at: the default first, then the extra prices in the editor's order. */
export function offeredPrices(course: { price: number; currency: string; extraPrices?: readonly { currency: string; amount: number }[] | null }): OfferedPrice[] {
  const base = course.currency.toLowerCase();
  const out: OfferedPrice[] = [];
  if (isSupportedCurrency(base)) out.push({ currency: base, amount: Number(course.price), default: true });
  for (const extra of course.extraPrices ?? []) {
    const currency = extra.currency.toLowerCase();
    if (isSupportedCurrency(currency) && !out.some((p) => p.currency === currency)) out.push({ currency, amount: Number(extra.amount), default: false });
  }
  return out;
}

/** What the learner asked for: the checkout body's `currency`, if any. */
export interface CurrencyPreference {
  requested?: string | null;
}

export type CurrencyPick =
  | { ok: true; price: OfferedPrice; via: 'requested' | 'default' }
  | { ok: false; reason: 'unsupported-currency'; requested: string; offered: Currency[] };

/**
 * The price a learner is charged: the currency asked for, which must be offered; else the default
 * price. Never a currency guessed from a language: the price a client shows from REST (the default,
 * or the extra price it asks for) is the price charged. The storefront's suggestion from the
 * learner's language lives in public/js/currency-locale.js.
 */
export function pickPrice(offered: readonly OfferedPrice[], preference: CurrencyPreference): CurrencyPick {
  const fallback = offered.find((p) => p.default) ?? offered[0];
  if (!fallback) throw new Error('pickPrice: a course offers at least its default price');
  if (preference.requested) {
    const requested = preference.requested.toLowerCase();
    const price = offered.find((p) => p.currency === requested);
    if (!price) return { ok: false, reason: 'unsupported-currency', requested, offered: offered.map((p) => p.currency) };
    return { ok: true, price, via: 'requested' };
  }
  return { ok: true, price: fallback, via: 'default' };
}
