/**
 * The currency a language tag suggests to the storefront (its only home: the server never picks a
 * currency from a language — checkout charges the currency the storefront asks for, or the
 * course's default). Pure, no DOM: the table tests in tests/unit/storefront-currency.test.ts import it.
 */

/** Region subtags whose currency is the euro (the countries of the euro area). */
const EURO_REGIONS = new Set(['AT', 'BE', 'HR', 'CY', 'EE', 'FI', 'FR', 'DE', 'GR', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PT', 'SK', 'SI', 'ES']);
/** Languages spoken mostly inside the euro area, for a tag without a region ("de", "fr"). */
const EURO_LANGUAGES = new Set(['de', 'fr', 'it', 'es', 'nl', 'pt', 'fi', 'el', 'et', 'lv', 'lt', 'sk', 'sl', 'mt', 'ga', 'hr']);

/**
 * The currency a language tag suggests, or null: the region decides when there is one (en-GB →
 * gbp, fr-CA → none, zh-Hans-CN → cny); otherwise the language (zh → cny, ja → jpy, de → eur).
 * "en" alone suggests nothing.
 * @param {string} tag
 * @returns {'usd' | 'eur' | 'gbp' | 'cny' | 'jpy' | null}
 */
export function currencyForLocale(tag) {
  const parts = String(tag).trim().replace(/_/g, '-').split('-').filter(Boolean);
  const language = (parts[0] ?? '').toLowerCase();
  const region = parts.slice(1).find((p) => /^[A-Za-z]{2}$/.test(p))?.toUpperCase() ?? null;
  if (region) {
    if (region === 'US') return 'usd';
    if (region === 'GB') return 'gbp';
    if (region === 'CN') return 'cny';
    if (region === 'JP') return 'jpy';
    if (EURO_REGIONS.has(region)) return 'eur';
    return null;
  }
  if (language === 'zh') return 'cny';
  if (language === 'ja') return 'jpy';
  if (EURO_LANGUAGES.has(language)) return 'eur';
  return null;
}
