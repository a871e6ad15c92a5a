/**
 * Pieces shared by the pages: course cards, prices, covers, reasons, pagination, and the states a
 * section can be in (loading, empty, error, unavailable).
 */

import { h, icon } from './dom.js';
import { t, formatPrice, formatList, getLocale } from './i18n.js';
import { ApiError, extraPricesOf } from './api.js';
import { href } from './router.js';
import { ratingBadge } from './community.js';
import { shownPrice, getCurrency } from './currency.js';

/** @typedef {{ access?: string, price?: number, currency?: string, extraPrices?: Array<{ currency?: string, amount?: number }> | null }} Priced */

/**
 * What a course costs, in words: "Free", "$19.99", "Subscription". A paid course is shown in the
 * learner's currency when it has an extra price in it (currency.js), else at its default price.
 * @param {Priced} course
 */
export function priceText(course) {
  if (course.access === 'free') return t('common.free');
  if (course.access === 'subscription') return t('access.subscription');
  const shown = shownPrice(course);
  return formatPrice(shown.amount, shown.currency);
}

/** @param {Priced} course */
export function priceTag(course) {
  const kind = course.access === 'free' ? 'free' : course.access === 'subscription' ? 'subscription' : 'paid';
  const currency = kind === 'paid' ? shownPrice(course).currency : undefined;
  return h('span', { class: `price price-${kind}`, dataset: currency ? { currency } : {} }, priceText(course));
}

/**
 * Adds `extraPrices` to paid courses that came without them (recommendations carry the default
 * price only), so their cards show the learner's currency like the catalogue's. Only when a
 * currency is chosen; on failure the cards keep the default price.
 * @param {any[]} courses  changed in place
 * @param {AbortSignal} [signal]
 */
export async function withExtraPrices(courses, signal) {
  if (!getCurrency()) return;
  const missing = courses.filter((c) => c && c.access === 'paid' && typeof c.documentId === 'string' && !Array.isArray(c.extraPrices));
  /** @type {Map<string, any[]>} */
  const byLocale = new Map();
  for (const c of missing) {
    const loc = typeof c.locale === 'string' ? c.locale : getLocale();
    byLocale.set(loc, [...(byLocale.get(loc) ?? []), c]);
  }
  for (const [loc, list] of byLocale) {
    try {
      const found = await extraPricesOf(list.map((c) => c.documentId), loc, signal);
      for (const c of list) c.extraPrices = found.get(c.documentId) ?? [];
    } catch {
      /* the default price is shown: checkout is always started from the course page, which has them */
    }
  }
}

/** A stable small number from a string, to pick a cover palette per course. @param {string} s */
function hash(s) {
  let x = 2166136261;
  for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 16777619);
  return x >>> 0;
}

const PALETTES = 8;

/**
 * The course's cover image, or (the demo data has none) a calm generated one: a palette picked
 * from the slug and the title's first letter. Decorative: the title is in the text next to it.
 * @param {any} course
 * @param {'card' | 'hero'} [size]
 */
export function coverArt(course, size = 'card') {
  const cover = course.cover;
  if (cover && typeof cover.url === 'string') {
    const fmt = size === 'card' ? (cover.formats?.small ?? cover.formats?.thumbnail) : cover.formats?.large ?? cover.formats?.medium;
    return h('div', { class: `cover cover-${size}` },
      h('img', { src: fmt?.url ?? cover.url, alt: cover.alternativeText ?? '', loading: 'lazy', decoding: 'async' }));
  }
  const title = String(course.title ?? '?');
  const glyph = Array.from(title.replace(/^[^\p{L}\p{N}]+/u, ''))[0] ?? '?';
  return h('div', { class: `cover cover-${size} cover-generated palette-${hash(course.slug ?? title) % PALETTES}`, 'aria-hidden': 'true' },
    h('span', { class: 'cover-glyph' }, glyph.toUpperCase()),
    course.category?.name ? h('span', { class: 'cover-label' }, course.category.name) : null);
}

/**
 * A course in a grid. The title link covers the whole card (CSS), so the card is one tab stop.
 * @param {any} course
 * @param {{ reasons?: unknown[], headingLevel?: number, progress?: number | null, extra?: Node | null }} [options]
 */
export function courseCard(course, options = {}) {
  const level = options.headingLevel ?? 3;
  const link = h('a', { class: 'card-link', href: href(`/course/${encodeURIComponent(course.slug)}`) }, course.title);
  const meta = [
    course.level ? t(`level.${course.level}`) : null,
    course.instructor?.name ? t('common.by', { name: course.instructor.name }) : null,
  ].filter(Boolean);
  // A course shown in another language than the page's (the recommender falls back to the default
  // locale when a course is not translated) says so, and its text carries its language.
  const other = typeof course.locale === 'string' && course.locale !== getLocale() ? course.locale : null;
  const textLang = other ? { lang: other } : null;
  return h('article', { class: 'card', dataset: { slug: course.slug, ...(other ? { locale: other } : {}) } },
    coverArt(course),
    h('div', { class: 'card-body' },
      other ? h('p', { class: 'lang-badge' }, t('card.inLanguage', { language: languageName(other) })) : null,
      h(`h${level}`, { class: 'card-title', ...textLang }, link),
      course.summary ? h('p', { class: 'card-summary', ...textLang }, course.summary) : null,
      meta.length ? h('p', { class: 'card-meta' }, meta.join(' · ')) : null,
      options.reasons && options.reasons.length ? reasonsList(options.reasons) : null,
      typeof options.progress === 'number' ? progressBar(options.progress) : null,
      options.extra ?? null,
      h('div', { class: 'card-foot' },
        priceTag(course),
        ratingBadge(course.rating),
        course.tags?.length ? h('ul', { class: 'tag-list', 'aria-label': t('filters.tag') },
          course.tags.slice(0, 3).map((/** @type {any} */ tag) => h('li', { class: 'tag' }, tag.name))) : null)));
}

/** A locale's name in that language ("English", "简体中文"), as a reader of it would recognise it. @param {string} locale */
function languageName(locale) {
  try {
    const name = new Intl.DisplayNames([locale], { type: 'language' }).of(locale);
    return name ? name.charAt(0).toUpperCase() + name.slice(1) : locale;
  } catch {
    return locale;
  }
}

/**
 * Why a course is recommended, as one sentence. The recommender sends each reason with a
 * `message` already in the requested language (`{ type, message, terms?, course? }`); the
 * fallbacks below only matter for a reason without one.
 * @param {unknown} reason
 * @returns {string}
 */
export function reasonText(reason) {
  if (typeof reason === 'string') return reason;
  if (!reason || typeof reason !== 'object') return '';
  const r = /** @type {Record<string, any>} */ (reason);
  if (typeof r.message === 'string' && r.message.trim()) return r.message;
  const terms = Array.isArray(r.terms)
    ? r.terms.map((/** @type {any} */ x) => (typeof x === 'string' ? x : String(x?.label ?? x?.key ?? ''))).filter(Boolean)
    : [];
  const courseTitle = typeof r.course === 'string' ? r.course : r.course?.title;
  switch (r.type ?? r.kind) {
    case 'popular':
      return t('reason.popular');
    case 'also-took':
      return courseTitle ? t('reason.alsoTook', { course: courseTitle }) : '';
    case 'shared-terms':
    case 'segment':
      return terms.length ? t('reason.terms', { terms: formatList(terms.slice(0, 3)) }) : '';
    default:
      return '';
  }
}

/** @param {unknown[]} reasons */
export function reasonsList(reasons) {
  const texts = [...new Set(reasons.map(reasonText).filter(Boolean))].slice(0, 2);
  if (!texts.length) return null;
  return h('div', { class: 'reasons' },
    h('span', { class: 'reasons-label' }, icon('sparkle'), t('reason.label')),
    h('ul', { class: 'reasons-list' }, texts.map((text) => h('li', { class: 'reason' }, text))));
}

/** @param {number} pct */
export function progressBar(pct) {
  const value = Math.max(0, Math.min(100, Math.round(pct)));
  return h('div', { class: 'progress' },
    h('div', { class: 'progress-track', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(value), 'aria-label': t('course.progress', { pct: value }) },
      h('div', { class: 'progress-fill', style: `width:${value}%` })),
    h('span', { class: 'progress-text' }, t('course.progress', { pct: value })));
}

/** @param {string} [text] */
export function loading(text) {
  return h('div', { class: 'state state-loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text ?? t('common.loading'));
}

/** @param {string} text @param {Node | null} [action] */
export function empty(text, action) {
  return h('div', { class: 'state state-empty' }, h('p', null, text), action ?? null);
}

/**
 * An error as the reader should see it: the server's message when it sent one, a plain sentence
 * for a lost connection, and a retry button when retrying can help.
 * @param {unknown} err
 * @param {(() => void) | null} [retry]
 */
export function errorState(err, retry) {
  const message = err instanceof ApiError && err.status === 0 ? t('common.network') : t('common.error', { message: errorMessage(err) });
  return h('div', { class: 'state state-error', role: 'alert' },
    h('p', null, message),
    retry ? h('button', { type: 'button', class: 'button button-secondary', onclick: retry }, t('common.retry')) : null);
}

/** A section whose endpoint is missing or switched off (404/503) says so quietly. @param {string} text */
export function unavailable(text) {
  return h('p', { class: 'state state-unavailable' }, text);
}

/** @param {unknown} err */
export function errorMessage(err) {
  if (err instanceof ApiError) return err.status === 0 ? t('common.network') : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * Numbered pagination as links, so each page has an address (back button, sharing).
 * @param {{ page: number, pageCount: number }} p
 * @param {(page: number) => string} link
 */
export function pagination(p, link) {
  if (!p || p.pageCount <= 1) return null;
  const pages = pageWindow(p.page, p.pageCount);
  return h('nav', { class: 'pagination', 'aria-label': t('pagination.label') },
    p.page > 1
      ? h('a', { class: 'page-link page-prev', href: link(p.page - 1), rel: 'prev' }, icon('arrowLeft'), t('pagination.prev'))
      : h('span', { class: 'page-link page-prev', 'aria-disabled': 'true' }, icon('arrowLeft'), t('pagination.prev')),
    h('ol', { class: 'page-list' },
      pages.map((n) => n === null
        ? h('li', { class: 'page-gap', 'aria-hidden': 'true' }, '…')
        : h('li', null, n === p.page
          ? h('span', { class: 'page-link page-current', 'aria-current': 'page' }, String(n))
          : h('a', { class: 'page-link', href: link(n), 'aria-label': t('pagination.goTo', { page: n }) }, String(n))))),
    p.page < p.pageCount
      ? h('a', { class: 'page-link page-next', href: link(p.page + 1), rel: 'next' }, t('pagination.next'), icon('arrowRight'))
      : h('span', { class: 'page-link page-next', 'aria-disabled': 'true' }, t('pagination.next'), icon('arrowRight')));
}

/** 1 … 4 5 [6] 7 8 … 20 @param {number} page @param {number} count @returns {Array<number | null>} */
function pageWindow(page, count) {
  /** @type {Array<number | null>} */
  const out = [];
  for (let n = 1; n <= count; n++) {
    if (n === 1 || n === count || Math.abs(n - page) <= 1) out.push(n);
    else if (out[out.length - 1] !== null) out.push(null);
  }
  return out;
}

/** A message in the page's live region style. @param {string} text @param {'info' | 'success' | 'warning' | 'error'} [kind] */
export function notice(text, kind = 'info') {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}
