/**
 * Where Stripe may send a learner back to. A Checkout Session's success/cancel URL and a portal's
 * return URL come from the client, so an attacker could otherwise turn our checkout into an open
 * redirect to a look-alike site ("payment failed, re-enter your card here").
 */

export type ReturnUrlCheck =
  | { ok: true; origin: string }
  | { ok: false; reason: 'invalid-url' | 'unsupported-protocol' | 'credentials-in-url' | 'origin-not-allowed' };

/**
 * Parses a comma-separated list of origins ("https://shop.example, http://localhost:1337") into
 * normalised origins; throws on an entry that is not an http(s) origin, so a typo in the setting
 * fails the boot instead of silently refusing every checkout.
 */
/**
 * The allow-list when `CHECKOUT_ALLOWED_ORIGINS` is not set: the storefront this server serves —
 * `PUBLIC_URL`'s origin when set, otherwise localhost and 127.0.0.1 on the server's own port (so
 * `PORT=1400 npm run demo` can check out from its own storefront).
 */
export function defaultAllowedOrigins(publicUrl: string, port: number): string {
  if (publicUrl.trim()) return new URL(publicUrl.trim()).origin;
  return `http://localhost:${port},http://127.0.0.1:${port}`;
}

export function parseAllowedOrigins(csv: string): string[] {
  const out = new Set<string>();
  for (const raw of csv.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new Error(`"${entry}" is not a URL origin (expected e.g. https://shop.example)`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(`"${entry}" must use http or https`);
    }
    if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
      throw new Error(`"${entry}" must be an origin only (scheme://host[:port]), without path, query or credentials`);
    }
    out.add(url.origin);
  }
  return [...out];
}

/** Whether `candidate` is an absolute http(s) URL on one of the allowed origins. */
export function checkReturnUrl(candidate: string, allowedOrigins: readonly string[]): ReturnUrlCheck {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { ok: false, reason: 'invalid-url' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'unsupported-protocol' };
  if (url.username || url.password) return { ok: false, reason: 'credentials-in-url' };
  // URL normalises case, default ports and IDN, so "HTTP://LOCALHOST:1337" matches "http://localhost:1337".
  if (!allowedOrigins.includes(url.origin)) return { ok: false, reason: 'origin-not-allowed' };
  return { ok: true, origin: url.origin };
}
