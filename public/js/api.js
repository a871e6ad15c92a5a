/**
 * Every call the storefront makes to the platform, in one file: plain `fetch` against the public
 * REST API, exactly what any third-party frontend would send. Read it as the API's example.
 *
 * Why not `@strapi/client`: its ES-module build imports the bare specifier "debug" (a CommonJS
 * package), so a browser can only load it through a bundler or an import map to code that is not
 * an ES module; its IIFE build is a 60 KB global. This storefront has no build step, works offline,
 * and a developer reading it should see each HTTP request as it is. `fetch` plus the small
 * query-string encoder below (Strapi's `qs` bracket syntax) is all it takes.
 */

import { getToken, clearSession } from './session.js';

/** The API lives on the same origin as the storefront (Strapi serves both). */
const API = '/api';

/** An error answered by the API: `status` is the HTTP status, `message` the server's words. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {unknown} [details]
   * @param {string} [name]
   */
  constructor(status, message, details, name) {
    super(message);
    this.status = status;
    this.details = details;
    this.errorName = name;
  }

  /** True when the route does not exist yet or its plugin is switched off (a section can hide itself). */
  get unavailable() {
    return this.status === 404 || this.status === 501 || this.status === 503 || this.status === 0;
  }
}

/**
 * Encodes nested params the way Strapi's REST API parses them (`qs` brackets):
 * `{ filters: { slug: { $eq: 'x' } }, populate: ['tags'] }` →
 * `filters[slug][$eq]=x&populate[0]=tags`.
 * @param {Record<string, unknown>} params
 * @returns {string}
 */
export function toQuery(params) {
  /** @type {string[]} */
  const parts = [];
  /** @param {string} key @param {unknown} value */
  const walk = (key, value) => {
    if (value === undefined || value === null || value === '') return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(`${key}[${i}]`, v));
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(/** @type {Record<string, unknown>} */ (value))) walk(`${key}[${k}]`, v);
    } else {
      parts.push(`${encodeKey(key)}=${encodeURIComponent(String(value))}`);
    }
  };
  for (const [k, v] of Object.entries(params)) walk(k, v);
  return parts.join('&');
}

/** Brackets stay readable in the URL (Strapi accepts both forms); everything else is encoded. @param {string} key */
function encodeKey(key) {
  return encodeURIComponent(key).replace(/%5B/g, '[').replace(/%5D/g, ']');
}

/**
 * One request. Sends the learner's JWT when there is one, parses Strapi's error shape
 * (`{ error: { status, name, message, details } }`) into an ApiError.
 * @param {string} path  e.g. `/courses`
 * @param {{ method?: string, query?: Record<string, unknown>, body?: unknown, signal?: AbortSignal, auth?: boolean }} [options]
 */
export async function request(path, options = {}) {
  const { method = 'GET', query, body, signal, auth = true } = options;
  const url = `${API}${path}${query ? `?${toQuery(query)}` : ''}`;
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  const token = auth ? getToken() : null;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let res;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network');
  }
  const text = await res.text();
  /** @type {any} */
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    // An expired or revoked JWT: forget it, so the next page load is anonymous instead of failing.
    if (res.status === 401 && token) clearSession();
    const error = json && typeof json === 'object' ? json.error : null;
    const message = (error && typeof error.message === 'string' && error.message) || res.statusText || `HTTP ${res.status}`;
    throw new ApiError(res.status, message, error?.details, error?.name);
  }
  return json;
}

// ---------------------------------------------------------------------------------------------
// Catalogue (Strapi's core REST API)
// ---------------------------------------------------------------------------------------------

/** Fields a course card needs: listing them keeps each page of the catalogue small. */
const CARD_FIELDS = ['title', 'slug', 'summary', 'level', 'access', 'price', 'currency', 'publishedAt'];
const CARD_POPULATE = {
  // The course's prices in other currencies (a component: `[{ currency, amount }]`); the card shows
  // the one in the learner's currency when there is one (currency.js).
  extraPrices: { fields: ['currency', 'amount'] },
  cover: { fields: ['url', 'alternativeText', 'formats'] },
  category: { fields: ['name', 'slug'] },
  tags: { fields: ['name', 'slug'] },
  instructor: { fields: ['name', 'slug'] },
};

/**
 * A page of the catalogue.
 * `GET /api/courses?locale=…&filters[…]=…&populate[…]=…&pagination[page]=…&sort=…`
 * @param {{ locale: string, q?: string, category?: string, tag?: string, level?: string, access?: string,
 *           sort?: string, page?: number, pageSize?: number, signal?: AbortSignal }} o
 * @returns {Promise<{ data: any[], meta: { pagination: { page: number, pageSize: number, pageCount: number, total: number } } }>}
 */
export function listCourses(o) {
  /** @type {any[]} */
  const and = [];
  if (o.q) and.push({ $or: [{ title: { $containsi: o.q } }, { summary: { $containsi: o.q } }] });
  if (o.category) and.push({ category: { slug: { $eq: o.category } } });
  if (o.tag) and.push({ tags: { slug: { $eq: o.tag } } });
  if (o.level) and.push({ level: { $eq: o.level } });
  if (o.access) and.push({ access: { $eq: o.access } });
  return request('/courses', {
    signal: o.signal,
    query: {
      locale: o.locale,
      fields: CARD_FIELDS,
      populate: CARD_POPULATE,
      filters: and.length ? { $and: and } : undefined,
      sort: o.sort || 'title:asc',
      pagination: { page: o.page ?? 1, pageSize: o.pageSize ?? 12 },
    },
  });
}

/**
 * How many courses exist in a locale (the catalogue says how many more are in English).
 * `GET /api/courses?locale=…&fields[0]=slug&pagination[pageSize]=1`
 * @param {string} locale
 */
export async function countCourses(locale) {
  const res = await request('/courses', { query: { locale, fields: ['slug'], pagination: { page: 1, pageSize: 1 } } });
  return res?.meta?.pagination?.total ?? 0;
}

/**
 * One course by its slug, with its chapter list (titles, positions, preview flags; the paywall
 * adds `locked` to each chapter and strips the gated fields of locked ones).
 * `GET /api/courses?filters[slug][$eq]=…&populate[chapters][fields]=…&populate[chapters][sort]=position:asc`
 * @param {string} slug
 * @param {string} locale
 */
export async function getCourseBySlug(slug, locale) {
  const res = await request('/courses', {
    query: {
      locale,
      filters: { slug: { $eq: slug } },
      populate: {
        ...CARD_POPULATE,
        instructor: { fields: ['name', 'slug', 'bio'], populate: { avatar: { fields: ['url', 'alternativeText'] } } },
        chapters: { fields: ['title', 'position', 'isPreview', 'duration', 'optional'], sort: ['position:asc'] },
        plans: { fields: ['name', 'slug', 'interval', 'price', 'currency', 'allAccess'] },
      },
      pagination: { page: 1, pageSize: 1 },
    },
  });
  return res?.data?.[0] ?? null;
}

/**
 * One chapter with its gated fields (body, video, attachments) when the caller may read them;
 * otherwise `locked: true` and none of them.
 * `GET /api/chapters/:documentId?locale=…&populate[video]=true&populate[attachments]=true&populate[course][fields]=…`
 * @param {string} documentId
 * @param {string} locale
 */
export async function getChapter(documentId, locale) {
  const res = await request(`/chapters/${encodeURIComponent(documentId)}`, {
    query: {
      locale,
      populate: {
        video: { fields: ['url', 'mime', 'name', 'alternativeText'] },
        attachments: { fields: ['url', 'mime', 'name', 'size'] },
        course: { fields: ['title', 'slug', 'access'] },
      },
    },
  });
  return res?.data ?? null;
}

/**
 * Course cards for a set of documentIds (the library), in the reader's language, with English
 * for the ones not translated.
 * `GET /api/courses?filters[documentId][$in][0]=…&locale=…`
 * @param {string[]} ids
 * @param {string} locale
 * @returns {Promise<Map<string, any>>}
 */
export async function coursesByIds(ids, locale) {
  /** @type {Map<string, any>} */
  const found = new Map();
  const unique = [...new Set(ids)].filter(Boolean);
  for (const loc of locale === 'en' ? ['en'] : [locale, 'en']) {
    const missing = unique.filter((id) => !found.has(id));
    if (!missing.length) break;
    const res = await request('/courses', {
      query: { locale: loc, fields: CARD_FIELDS, populate: CARD_POPULATE, filters: { documentId: { $in: missing } }, pagination: { pageSize: 100 } },
    });
    for (const c of res?.data ?? []) found.set(c.documentId, c);
  }
  return found;
}

/**
 * The extra prices of some courses, for cards whose course came from elsewhere than
 * `GET /api/courses` (recommendations carry the default price only). Extra prices are not
 * localized: one locale is enough.
 * `GET /api/courses?filters[documentId][$in][0]=…&fields[0]=documentId&populate[extraPrices][fields]=…`
 * @param {string[]} ids
 * @param {string} locale
 * @param {AbortSignal} [signal]
 * @returns {Promise<Map<string, Array<{ currency: string, amount: number }>>>}
 */
export async function extraPricesOf(ids, locale, signal) {
  /** @type {Map<string, Array<{ currency: string, amount: number }>>} */
  const found = new Map();
  const unique = [...new Set(ids)].filter(Boolean);
  if (!unique.length) return found;
  const res = await request('/courses', {
    signal,
    query: { locale, fields: ['documentId'], populate: { extraPrices: CARD_POPULATE.extraPrices }, filters: { documentId: { $in: unique } }, pagination: { pageSize: 100 } },
  });
  for (const c of res?.data ?? []) found.set(c.documentId, Array.isArray(c.extraPrices) ? c.extraPrices : []);
  return found;
}

/** `GET /api/categories?locale=…` (every category, for the filter). @param {string} locale */
export async function listCategories(locale) {
  const res = await request('/categories', { query: { locale, fields: ['name', 'slug'], sort: 'name:asc', pagination: { pageSize: 100 } } });
  return res?.data ?? [];
}

/** `GET /api/tags?locale=…` @param {string} locale */
export async function listTags(locale) {
  const res = await request('/tags', { query: { locale, fields: ['name', 'slug'], sort: 'name:asc', pagination: { pageSize: 200 } } });
  return res?.data ?? [];
}

/** `GET /api/plans?locale=…` (subscription plans). @param {string} locale */
export async function listPlans(locale) {
  const res = await request('/plans', {
    query: { locale, fields: ['name', 'slug', 'description', 'interval', 'price', 'currency', 'allAccess'], sort: 'price:asc' },
  });
  return res?.data ?? [];
}

// ---------------------------------------------------------------------------------------------
// Accounts (users-permissions)
// ---------------------------------------------------------------------------------------------

/** `POST /api/auth/local/register` → `{ jwt, user }` @param {{ username: string, email: string, password: string }} input */
export function register(input) {
  return request('/auth/local/register', { method: 'POST', body: input, auth: false });
}

/** `POST /api/auth/local` → `{ jwt, user }` @param {{ identifier: string, password: string }} input */
export function login(input) {
  return request('/auth/local', { method: 'POST', body: input, auth: false });
}

/**
 * `POST /api/auth/forgot-password` → `{ ok: true }` for every address (no account oracle); the
 * mail with the reset link goes only to a known one.
 * @param {{ email: string }} input
 */
export function forgotPassword(input) {
  return request('/auth/forgot-password', { method: 'POST', body: input, auth: false });
}

/**
 * `POST /api/auth/reset-password` with the code of the mailed link → `{ jwt, user }` (logged in).
 * @param {{ code: string, password: string, passwordConfirmation: string }} input
 */
export function resetPassword(input) {
  return request('/auth/reset-password', { method: 'POST', body: input, auth: false });
}

/** `GET /api/users/me` (with the JWT) */
export function me() {
  return request('/users/me');
}

// ---------------------------------------------------------------------------------------------
// Paywall: what the learner may read
// ---------------------------------------------------------------------------------------------

/**
 * `GET /api/paywall/me/entitlements`: the learner's valid access (purchases, subscriptions, grants),
 * each `{ documentId, course: { documentId } | null, plan: { documentId } | null, source, status, validFrom, validUntil }`.
 * @returns {Promise<any[]>}
 */
export async function myEntitlements() {
  const res = await request('/paywall/me/entitlements');
  return Array.isArray(res) ? res : (res?.data ?? []);
}

/** `GET /api/paywall/courses/:documentId/access`: the verdict for this course and its chapters. @param {string} documentId */
export async function courseAccess(documentId) {
  const res = await request(`/paywall/courses/${encodeURIComponent(documentId)}/access`);
  return res?.data ?? res;
}

// ---------------------------------------------------------------------------------------------
// Checkout (Stripe)
// ---------------------------------------------------------------------------------------------

/**
 * `POST /api/checkout/sessions` `{ course | plan, successUrl, cancelUrl, locale, currency? }` → `{ url, orderId }`.
 * `currency` (course only) when the price shown is one of the course's `extraPrices`; without it
 * the course's default price is charged. The browser then goes to `url` (Stripe Checkout). 503
 * when Stripe is not configured: the message names the missing setting.
 * @param {{ course?: string, plan?: string, successUrl: string, cancelUrl: string, locale?: string, currency?: string }} input
 */
export async function createCheckoutSession(input) {
  const res = await request('/checkout/sessions', { method: 'POST', body: input });
  return res?.data ?? res;
}

/** `GET /api/checkout/orders/:id` → `{ data: { status: 'pending' | 'paid' | 'failed' | 'expired' | … } }` @param {string} id */
export async function getOrder(id) {
  const res = await request(`/checkout/orders/${encodeURIComponent(id)}`);
  return res?.data ?? res;
}

/** `POST /api/checkout/gifts/claim` `{ code }` → `{ title, courses }`; 409 when already claimed or refunded. @param {string} code */
export async function claimGift(code) {
  const res = await request('/checkout/gifts/claim', { method: 'POST', body: { code } });
  return res?.data ?? res;
}

/** `POST /api/checkout/portal` `{ returnUrl }` → `{ url }` (Stripe's Customer Portal). @param {string} returnUrl */
export async function openCustomerPortal(returnUrl) {
  const res = await request('/checkout/portal', { method: 'POST', body: { returnUrl } });
  return res?.data ?? res;
}

// ---------------------------------------------------------------------------------------------
// Recommendations
// ---------------------------------------------------------------------------------------------

/**
 * `GET /api/recommendations?limit=…&locale=…`: personal for a learner with a history, "cold start"
 * (popular across the catalogue's segments) otherwise; `meta.kind` says which.
 * @param {number} limit @param {string} locale
 * @returns {Promise<{ items: ReturnType<typeof normaliseRecommendations>, kind: string | null }>}
 */
export async function recommendations(limit, locale) {
  const res = await request('/recommendations', { query: { limit, locale } });
  return { items: normaliseRecommendations(res), kind: typeof res?.meta?.kind === 'string' ? res.meta.kind : null };
}

/** `GET /api/recommendations/courses/:documentId/similar?limit=…&locale=…` */
export async function similarCourses(/** @type {string} */ documentId, /** @type {number} */ limit, /** @type {string} */ locale) {
  return normaliseRecommendations(
    await request(`/recommendations/courses/${encodeURIComponent(documentId)}/similar`, { query: { limit, locale } })
  );
}

/** `POST /api/recommendations/events` `{ courseDocumentId, kind }`: a learner viewed or liked a course. */
export function recordInteraction(/** @type {string} */ course, /** @type {'view' | 'like'} */ kind) {
  return request('/recommendations/events', { method: 'POST', body: { courseDocumentId: course, kind } });
}

/** `GET /api/recommendations/likes/:documentId`: whether the learner likes the course. */
export async function likeState(/** @type {string} */ course) {
  const res = await request(`/recommendations/likes/${encodeURIComponent(course)}`);
  return res?.data?.liked === true;
}

/** `DELETE /api/recommendations/likes/:documentId`: takes a like back (idempotent). */
export function unlike(/** @type {string} */ course) {
  return request(`/recommendations/likes/${encodeURIComponent(course)}`, { method: 'DELETE' });
}

/**
 * Results are `{ data: [{ documentId, slug, title, summary, level, access, price, currency, cover,
 * score, reasons: [{ type, message, … }] }], meta }`; a result nesting the course under `course`
 * is read too.
 * @param {any} res
 * @returns {Array<{ course: any, score: number | null, reasons: unknown[] }>}
 */
function normaliseRecommendations(res) {
  /** @type {any[]} */
  const list = Array.isArray(res) ? res : Array.isArray(res?.data) ? res.data : Array.isArray(res?.items) ? res.items : [];
  return list
    .map((item) => ({
      course: item?.course && typeof item.course === 'object' ? item.course : item,
      score: typeof item?.score === 'number' ? item.score : null,
      reasons: Array.isArray(item?.reasons) ? item.reasons : [],
    }))
    .filter((r) => r.course && typeof r.course.slug === 'string');
}

// ---------------------------------------------------------------------------------------------
// Learning: progress and certificates
// ---------------------------------------------------------------------------------------------

/**
 * `POST /api/progress` `{ chapter, completed, locale }` → `{ data: progress, meta: { course, certificate } }`
 * (`meta.certificate.issued` is true when this chapter completed the course).
 * @param {string} chapter @param {boolean} completed @param {string} [locale]
 */
export function recordProgress(chapter, completed, locale) {
  return request('/progress', { method: 'POST', body: { chapter, completed, ...(locale ? { locale } : {}) } });
}

/**
 * `GET /api/progress/courses/:documentId?locale=…`: per-chapter state, the percentage and the next chapter.
 * @param {string} documentId
 * @param {string} [locale]
 */
export async function courseProgress(documentId, locale) {
  const res = await request(`/progress/courses/${encodeURIComponent(documentId)}`, { query: locale ? { locale } : undefined });
  return res?.data ?? res;
}

/**
 * `GET /api/progress/me?locale=…`: every started course, most recent first:
 * `{ course: { documentId, slug, title }, percentage, complete, lastActivityAt, nextChapter, certificate }`.
 * @param {string} [locale]
 * @returns {Promise<any[]>}
 */
export async function myProgress(locale) {
  const res = await request('/progress/me', { query: locale ? { locale } : undefined });
  return Array.isArray(res) ? res : (res?.data ?? []);
}

/**
 * `GET /api/certificates/me`: `{ code, status: 'valid' | 'revoked', course: { title, slug }, completedAt, … }`.
 * @returns {Promise<any[]>}
 */
export async function myCertificates() {
  const res = await request('/certificates/me');
  return Array.isArray(res) ? res : (res?.data ?? []);
}

/**
 * Gated media (chapter videos, attachments) are served by the paywall's route after its access
 * check. In a readable chapter the paywall gives each file a short-lived signed link
 * (`/api/paywall/media/:id?u=…&e=…&s=…`) that a `<video src>` can use as it is. An unsigned
 * link needs the JWT, which an element cannot send: that file is fetched with it and shown from
 * a `blob:` URL. Public files (covers) are plain URLs.
 * @param {string} url
 * @returns {Promise<string>} a URL the element can use
 */
export async function mediaUrl(url) {
  if (!url.startsWith(`${API}/paywall/media/`) || /[?&]s=/.test(url)) return url;
  const token = getToken();
  const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new ApiError(res.status, res.statusText);
  return URL.createObjectURL(await res.blob());
}

// ---------------------------------------------------------------------------------------------
// Readers: the few answer shapes the pages rely on, in one place
// ---------------------------------------------------------------------------------------------

/**
 * The verdict of `GET /api/paywall/courses/:documentId/access`:
 * `{ data: { courseDocumentId, allowed: true, via } | { …, allowed: false, reason }, chapters: [{ documentId, unlocked }] }`.
 * @param {any} res
 * @returns {{ allowed: boolean, via: string | null, reason: string | null, unlocked: Set<string> | null }}
 */
export function readVerdict(res) {
  const v = res?.course && typeof res.course === 'object' && 'allowed' in res.course ? res.course : (res?.verdict ?? res?.decision ?? res);
  const chapters = Array.isArray(res?.chapters) ? res.chapters : null;
  const unlocked = chapters
    ? new Set(chapters
      .filter((/** @type {any} */ c) => c && (c.unlocked === true || c.allowed === true || c.locked === false))
      .map((/** @type {any} */ c) => String(c.documentId ?? c.chapter ?? c.id)))
    : null;
  return { allowed: v?.allowed === true, via: v?.via ?? null, reason: v?.reason ?? null, unlocked };
}

/**
 * The learner's progress in one course (`GET /api/progress/courses/:documentId`).
 * @param {any} res
 * @returns {{ percentage: number, complete: boolean, completed: Set<string>, next: string | null }}
 */
export function readCourseProgress(res) {
  const chapters = Array.isArray(res?.chapters) ? res.chapters : [];
  const completed = new Set(chapters
    .filter((/** @type {any} */ c) => c && (c.completed === true || Boolean(c.completedAt)))
    .map((/** @type {any} */ c) => String(c.documentId ?? c.chapterDocumentId ?? c.chapter?.documentId ?? c.chapter)));
  const pct = res?.percentage ?? res?.progress?.percentage ?? 0;
  const next = res?.nextChapter ?? res?.next ?? null;
  return {
    percentage: typeof pct === 'number' ? pct : 0,
    complete: res?.complete === true || res?.progress?.complete === true,
    completed,
    next: next ? String(typeof next === 'object' ? next.documentId : next) : null,
  };
}
