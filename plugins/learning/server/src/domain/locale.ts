/**
 * Which of the platform's locales a learner reads in, from an explicit `locale` or the
 * request's `Accept-Language`. Pure: the adapters pass the supported list from the config.
 */

/** Traditional-script Chinese tags: never served Simplified as if it were what they asked for. */
const TRADITIONAL = /^zh-(hant|tw|hk|mo)\b/i;

/** Maps one language tag to a supported locale, or null. */
export function matchLocale(tag: string, supported: readonly string[]): string | null {
  const t = tag.trim().toLowerCase();
  if (!t || t === '*') return null;
  const exact = supported.find((s) => s.toLowerCase() === t);
  if (exact) return exact;
  const primary = t.split('-')[0];
  if (primary === 'zh') {
    if (TRADITIONAL.test(t)) return supported.find((s) => /^zh-hant$/i.test(s)) ?? null;
    return supported.find((s) => /^zh-hans$/i.test(s)) ?? supported.find((s) => s.toLowerCase() === 'zh') ?? null;
  }
  return supported.find((s) => s.toLowerCase().split('-')[0] === primary) ?? null;
}

/** The languages of an `Accept-Language` header, best first (q=0 dropped). */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, 20) // a header is not a place for thousands of entries
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((l) => l.tag && l.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map((l) => l.tag);
}

/** The reader's locale: the explicit one when supported, else the best Accept-Language match, else the fallback. */
export function pickLocale(
  explicit: string | undefined,
  acceptLanguage: string | undefined,
  supported: readonly string[],
  fallback: string
): string {
  if (explicit) {
    const m = matchLocale(explicit, supported);
    if (m) return m;
  }
  for (const tag of parseAcceptLanguage(acceptLanguage)) {
    const m = matchLocale(tag, supported);
    if (m) return m;
  }
  return fallback;
}

/** A completion date as a person reads it in that locale (UTC, so a certificate never shows two dates). */
export function formatCompletionDate(date: Date, locale: string): string {
  const tag = locale === 'zh-Hans' ? 'zh-Hans-CN' : locale;
  try {
    return new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

/** A value in one locale, falling back to the default locale, then to any. */
export function pickLocalized<T>(byLocale: ReadonlyMap<string, T>, locale: string, defaultLocale: string): T | undefined {
  return byLocale.get(locale) ?? byLocale.get(defaultLocale) ?? byLocale.values().next().value;
}
