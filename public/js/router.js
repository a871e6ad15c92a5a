/**
 * Hash routing (`#/course/<slug>`): Strapi's static server answers only files that exist under
 * `public/`, so every page of the storefront lives behind the one `index.html`, and the part of
 * the address after `#` picks the page. Each page has an address: back button, reload and shared
 * links work.
 */

/**
 * `href('/course/x', { page: 2 })` → `#/course/x?page=2`
 * @param {string} path
 * @param {Record<string, string | number | null | undefined | false>} [query]
 */
export function href(path, query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  }
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

/** @param {string} path @param {Record<string, string | number | null | undefined | false>} [query] */
export function navigate(path, query) {
  const target = href(path, query);
  if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = target;
}

/**
 * The current address split into a path and a query.
 * @returns {{ path: string, query: URLSearchParams }}
 */
export function currentLocation() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = raw.split('?');
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(search) };
}

/**
 * @typedef {{ params: Record<string, string>, query: URLSearchParams, main: HTMLElement, signal: AbortSignal }} PageContext
 * @typedef {{ title?: string, render(ctx: PageContext): Promise<void> | void, update?(ctx: PageContext): Promise<void> | void }} Page
 */

/**
 * Matches a path against patterns like `/course/:slug/chapter/:id`.
 * @param {Array<[string, Page]>} routes
 * @param {string} path
 * @returns {{ page: Page, params: Record<string, string>, pattern: string } | null}
 */
export function match(routes, path) {
  const parts = path.split('/').filter(Boolean);
  for (const [pattern, page] of routes) {
    const want = pattern.split('/').filter(Boolean);
    if (want.length !== parts.length) continue;
    /** @type {Record<string, string>} */
    const params = {};
    let ok = true;
    for (let i = 0; i < want.length; i++) {
      const w = /** @type {string} */ (want[i]);
      const p = /** @type {string} */ (parts[i]);
      if (w.startsWith(':')) {
        try {
          params[w.slice(1)] = decodeURIComponent(p);
        } catch {
          ok = false;
          break;
        }
      } else if (w !== p) {
        ok = false;
        break;
      }
    }
    if (ok) return { page, params, pattern };
  }
  return null;
}
