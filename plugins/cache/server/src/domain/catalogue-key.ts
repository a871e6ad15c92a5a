/**
 * Decides whether an anonymous read may be answered from the catalogue cache, and under which
 * key (pure). Only the exact canonical spellings of the catalogue's content-API routes are
 * candidates (`/api/courses`, `/api/courses/<documentId>`, …, lower case, no trailing slash):
 * any other spelling the router also accepts simply goes uncached. The key is the route and the
 * normalised query: top-level parameters in a fixed order, `pagination` members sorted, and the
 * values equal to Strapi's defaults left out (`locale` = the default locale, `status=published`,
 * `pagination[page]=1`, `pagination[pageSize]` = the default page size, `withCount=true`), so
 * that spellings with the same answer share one entry. Nested values keep their order (a sort or
 * populate object's key order may matter).
 */

/** Route names of the catalogue (collection types), as their REST paths spell them. */
export const CATALOGUE_COLLECTIONS = ['courses', 'chapters', 'instructors', 'tags', 'categories', 'plans'] as const;
export type CatalogueCollection = (typeof CATALOGUE_COLLECTIONS)[number];

/** The top-level query parameters a cached read may carry; anything else goes uncached. */
export const CACHEABLE_PARAMS = ['fields', 'filters', 'locale', 'pagination', 'populate', 'sort', 'status'] as const;
const CACHEABLE: ReadonlySet<string> = new Set(CACHEABLE_PARAMS);
const PAGE_PARAMS: ReadonlySet<string> = new Set(['page', 'pageSize', 'withCount']);

export interface KeyDefaults {
  /** The REST prefix (`api.rest.prefix`), e.g. `/api`. */
  prefix: string;
  /** i18n's default locale (what a request without `locale` reads). */
  defaultLocale: string;
  /** `api.rest.defaultLimit`. */
  defaultPageSize: number;
}

export interface CatalogueRequest {
  method: string;
  /** The raw path (`ctx.path`), not decoded. */
  path: string;
  /** The query as Strapi parsed it (`ctx.query`). */
  query: Record<string, unknown>;
  /** Whether the request carries an `Authorization` header (any value). */
  hasAuthorization: boolean;
}

export type KeyDecision =
  | { cacheable: true; key: string; route: string }
  | { cacheable: false; reason: 'method' | 'not-catalogue' | 'authorization' | 'draft' | 'parameter' };

const DOCUMENT_ID = /^[a-z0-9]{1,64}$/;

/** The catalogue route a raw path names exactly, with its router template, or null. */
export function catalogueRoute(path: string, prefix: string): { collection: CatalogueCollection; template: string; documentId: string | null } | null {
  if (!path.startsWith(`${prefix}/`)) return null;
  const rest = path.slice(prefix.length + 1).split('/');
  if (rest.length > 2) return null;
  const collection = CATALOGUE_COLLECTIONS.find((c) => c === rest[0]);
  if (!collection) return null;
  if (rest.length === 1) return { collection, template: `${prefix}/${collection}`, documentId: null };
  const id = rest[1]!;
  if (!DOCUMENT_ID.test(id)) return null;
  return { collection, template: `${prefix}/${collection}/:id`, documentId: id };
}

/** The query with default values left out and parameters in a fixed order, or null when it may not be cached. */
export function normaliseQuery(query: Record<string, unknown>, defaults: Pick<KeyDefaults, 'defaultLocale' | 'defaultPageSize'>): Record<string, unknown> | 'draft' | 'parameter' {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(query).sort()) {
    const value = query[name];
    if (value === undefined) continue;
    if (!CACHEABLE.has(name)) return 'parameter';
    if (name === 'status') {
      if (value !== 'published') return 'draft';
      continue;
    }
    if (name === 'locale' && value === defaults.defaultLocale) continue;
    if (name === 'pagination' && value && typeof value === 'object' && !Array.isArray(value)) {
      const p = value as Record<string, unknown>;
      const keys = Object.keys(p);
      // Only the page form has defaults to drop; start/limit (or a mix, which Strapi refuses) stay as written.
      if (keys.every((k) => PAGE_PARAMS.has(k))) {
        const kept: Record<string, unknown> = {};
        for (const k of keys.sort()) {
          const v = p[k];
          if (k === 'page' && v === '1') continue;
          if (k === 'pageSize' && v === String(defaults.defaultPageSize)) continue;
          if (k === 'withCount' && v === 'true') continue;
          kept[k] = v;
        }
        if (Object.keys(kept).length > 0) out[name] = kept;
        continue;
      }
    }
    out[name] = value;
  }
  return out;
}

/** Whether (and under which key) this request may be answered from, and stored into, the cache. */
export function catalogueKey(req: CatalogueRequest, defaults: KeyDefaults): KeyDecision {
  if (req.method !== 'GET') return { cacheable: false, reason: 'method' };
  const route = catalogueRoute(req.path, defaults.prefix);
  if (!route) return { cacheable: false, reason: 'not-catalogue' };
  if (req.hasAuthorization) return { cacheable: false, reason: 'authorization' };
  const q = normaliseQuery(req.query, defaults);
  if (q === 'draft' || q === 'parameter') return { cacheable: false, reason: q };
  return { cacheable: true, key: `${req.path}?${JSON.stringify(q)}`, route: route.template };
}
