/**
 * The origins a browser may call the API from with the visitor's credentials (cookies, the
 * admin's refresh cookie). Strapi's default CORS policy reflects any Origin with
 * `Access-Control-Allow-Credentials: true`, so any page — a same-site one on another port
 * included — could read the API and mint admin tokens with the visitor's cookies. Only the origins
 * listed here get CORS headers at all; every other origin gets none, and the browser withholds the
 * response from the page.
 */

export interface OriginSettings {
  /** `CORS_ORIGINS`: comma-separated origins. Empty: the defaults below. */
  corsOrigins?: string;
  /** `PUBLIC_URL`: where the server is reached. */
  publicUrl?: string;
  /** `PORT`. */
  port?: number;
}

/** `https://example.com/` → `https://example.com`; throws on anything that is not an origin. */
export function parseOrigin(value: string, setting: string): string {
  const trimmed = value.trim();
  if (trimmed === '*' || trimmed === 'null') {
    throw new Error(`${setting}: "${trimmed}" would let any site read responses with a visitor's credentials; list origins such as https://shop.example.com.`);
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Error(`${setting}: "${trimmed}" is not an origin (scheme://host[:port]).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${setting}: "${trimmed}" must be http or https.`);
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password || /[?#]/.test(trimmed)) {
    throw new Error(`${setting}: "${trimmed}" must be an origin only (scheme://host[:port]), without path, query or credentials.`);
  }
  return url.origin;
}

/**
 * The allow-list: `CORS_ORIGINS` when set; otherwise the server's own origin — `PUBLIC_URL`'s, or
 * http://localhost:<PORT> and http://127.0.0.1:<PORT> — which is also the storefront's (served at
 * `/` by the same server) and the admin panel's.
 */
export function allowedOrigins(settings: OriginSettings): string[] {
  const listed = (settings.corsOrigins ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (listed.length > 0) return [...new Set(listed.map((o) => parseOrigin(o, 'CORS_ORIGINS')))];
  if (settings.publicUrl) return [new URL(settings.publicUrl).origin];
  const port = settings.port ?? 1337;
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}
