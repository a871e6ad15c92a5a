/** Amounts in a currency's minor unit, written for people. */

/** `formatAmount(1999, 'usd', 'en')` → `$19.99`; zero-decimal currencies (JPY) are minor units already. */
export function formatAmount(minor: number, currency: string, locale: string): string {
  const code = currency.toUpperCase();
  try {
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    return new Intl.NumberFormat(locale === 'zh-Hans' ? 'zh-CN' : 'en-US', { style: 'currency', currency: code }).format(minor / 10 ** digits);
  } catch {
    return `${minor} ${code}`;
  }
}
