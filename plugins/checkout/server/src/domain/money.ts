/**
 * Amounts are integers in the currency's minor unit from end to end, currencies lower-case ISO
 * codes as Stripe writes them. Stripe's "zero-decimal" currencies (JPY, KRW...) have no minor unit:
 * 1999 JPY is ¥1,999, not ¥19.99, and is sent to Stripe as `unit_amount: 1999` unchanged.
 */
// The zero-decimal list and the digits of a currency live in the kernel (analytics bands prices with them too).
import { minorUnitDigits, ZERO_DECIMAL_CURRENCIES } from '@kp/platform';
export { minorUnitDigits, ZERO_DECIMAL_CURRENCIES };

/** The currencies the catalogue prices in (course/plan `currency` enumerations). */
export const SUPPORTED_CURRENCIES = ['usd', 'eur', 'gbp', 'cny', 'jpy'] as const;
export type Currency = (typeof SUPPORTED_CURRENCIES)[number];


/**
 * Stripe's minimum charge per currency, in minor units (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts).
 * A Checkout Session below it fails at Stripe; refusing it here gives the learner a clear answer.
 * CNY is not a settlement currency, so its minimum applies after conversion (about US$0.50):
 * ¥4.00 stays safely above it.
 */
const MINIMUM_CHARGE: Record<Currency, number> = { usd: 50, eur: 50, gbp: 30, cny: 400, jpy: 50 };

/** Stripe's largest amount for a single charge: 8 digits in the minor unit. */
export const MAXIMUM_CHARGE = 99_999_999;

export function isSupportedCurrency(value: string): value is Currency {
  return (SUPPORTED_CURRENCIES as readonly string[]).includes(value);
}


export type ChargeableCheck =
  | { ok: true }
  | { ok: false; reason: 'unsupported-currency' | 'not-an-integer' | 'below-minimum' | 'above-maximum'; minimum?: number };

/** Whether Stripe can charge this amount once (integer minor units, within its limits). */
export function checkChargeable(amount: number, currency: string): ChargeableCheck {
  const code = currency.toLowerCase();
  if (!isSupportedCurrency(code)) return { ok: false, reason: 'unsupported-currency' };
  if (!Number.isSafeInteger(amount)) return { ok: false, reason: 'not-an-integer' };
  const minimum = MINIMUM_CHARGE[code];
  if (amount < minimum) return { ok: false, reason: 'below-minimum', minimum };
  if (amount > MAXIMUM_CHARGE) return { ok: false, reason: 'above-maximum' };
  return { ok: true };
}

/**
 * Display form of an amount, for admin pages and logs ("19.99 USD", "1999 JPY"). Pure integer
 * arithmetic: no floating point ever touches an amount.
 */
export function formatAmount(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  if (minorUnitDigits(currency) === 0) return `${amount} ${code}`;
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const major = Math.floor(abs / 100);
  const minor = String(abs % 100).padStart(2, '0');
  return `${sign}${major}.${minor} ${code}`;
}

/** A charge counts as fully refunded once the refunded amount reaches what was captured. */
export function isFullRefund(charged: number, refunded: number): boolean {
  return charged > 0 && refunded >= charged;
}
