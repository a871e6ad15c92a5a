/**
 * Currency facts every plugin reads (amounts are integers in the currency's minor unit, currencies
 * lower-case ISO codes as Stripe writes them): Stripe's zero-decimal currencies have no minor unit,
 * so 1999 JPY is ¥1,999 and 1999 USD is $19.99.
 */

/** Stripe's zero-decimal currencies (https://docs.stripe.com/currencies#zero-decimal). */
export const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set([
  'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf',
]);

/** Number of digits after the decimal point in the currency's display form. */
export function minorUnitDigits(currency: string): 0 | 2 {
  return ZERO_DECIMAL_CURRENCIES.has(currency.toLowerCase()) ? 0 : 2;
}
