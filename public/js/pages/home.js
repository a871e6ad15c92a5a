/**
 * Home: "For you" (recommendations with their reasons) and the catalogue with search, filters,
 * sorting and pagination. The filters live in the address (`#/?q=…&category=…&page=2`), so a
 * filtered page can be bookmarked and the back button undoes a filter.
 *
 * API: GET /api/recommendations, GET /api/courses (filters, populate, pagination, locale),
 *      GET /api/categories, GET /api/tags.
 */

import { h, icon, replace } from '../dom.js';
import { t, getLocale } from '../i18n.js';
import * as api from '../api.js';
import { courseCard, loading, empty, errorState, unavailable, pagination, withExtraPrices } from '../components.js';
import { href, navigate } from '../router.js';
import { isLoggedIn } from '../session.js';
import { setTitle, requestLocale } from '../shell.js';

const FILTER_KEYS = /** @type {const} */ (['q', 'category', 'tag', 'level', 'access', 'sort']);
const SORTS = [
  ['title:asc', 'filters.sortTitle'],
  ['publishedAt:desc', 'filters.sortNewest'],
  ['price:asc', 'filters.sortPriceAsc'],
  ['price:desc', 'filters.sortPriceDesc'],
];

/** @type {{ form: HTMLFormElement, results: HTMLElement, lead: HTMLElement } | null} */
let view = null;

/** @param {import('../router.js').PageContext} ctx */
export async function render(ctx) {
  setTitle();
  const locale = getLocale();
  const lead = h('p', { class: 'hero-lead' }, t('app.tagline'));
  const forYou = h('section', { class: 'section for-you', 'aria-labelledby': 'for-you-title' },
    h('div', { class: 'section-head' },
      h('h2', { id: 'for-you-title' }, icon('sparkle'), t('forYou.title')),
      h('p', { class: 'section-note' }, isLoggedIn() ? '' : t('forYou.anonymous'))),
    loading());
  const form = filterForm(ctx.query);
  const results = h('div', { class: 'results', id: 'results' });

  const catalogue = h('section', { class: 'section catalogue', 'aria-labelledby': 'catalogue-title' },
    h('div', { class: 'section-head' }, h('h2', { id: 'catalogue-title' }, t('nav.catalogue'))),
    h('div', { class: 'catalogue-layout' }, form, results));
  // On a phone the search comes first and the recommendations after the results: four
  // full-width cards would push the search box far down. The document order is the visual order
  // (keyboard and screen-reader users meet the same sequence).
  const narrow = typeof matchMedia === 'function' && matchMedia('(max-width: 760px)').matches;
  replace(ctx.main,
    h('section', { class: 'hero' },
      h('h1', null, t('home.title')),
      lead),
    ...(narrow ? [catalogue, forYou] : [forYou, catalogue]));
  view = { form, results, lead };

  // The three sections load side by side; each shows its own state.
  await Promise.all([
    loadForYou(forYou, locale, ctx.signal),
    loadFilterOptions(form, locale, ctx.query, ctx.signal),
    loadResults(ctx),
    loadTotal(lead, locale, ctx.signal),
  ]);
}

/** Only the query changed (a filter or a page): redraw the results, keep the form and its focus. */
/** @param {import('../router.js').PageContext} ctx */
export async function update(ctx) {
  if (!view || !view.results.isConnected) return render(ctx);
  syncForm(view.form, ctx.query);
  await loadResults(ctx);
}

/** @param {HTMLElement} lead @param {string} locale @param {AbortSignal} signal */
async function loadTotal(lead, locale, signal) {
  try {
    const total = await api.countCourses(locale);
    if (!signal.aborted) lead.textContent = t('home.lead', { total });
  } catch {
    /* the tagline stays: the count is a nicety */
  }
}

/** @param {HTMLElement} section @param {string} locale @param {AbortSignal} signal */
async function loadForYou(section, locale, signal) {
  const body = h('div', { class: 'for-you-body' });
  try {
    const { items, kind } = await api.recommendations(4, locale);
    await withExtraPrices(items.map((r) => r.course), signal);
    if (signal.aborted) return;
    const note = section.querySelector('.section-note');
    if (note && kind) note.textContent = kind === 'personal' ? t('forYou.personal') : isLoggedIn() ? t('forYou.coldStart') : t('forYou.anonymous');
    replace(body, items.length
      ? h('div', { class: 'grid grid-4' }, items.map((r) => courseCard(r.course, { reasons: r.reasons })))
      : empty(t('forYou.empty')));
  } catch (err) {
    if (signal.aborted) return;
    // A recommender that is not there (404) or down (503) must not break the catalogue below.
    replace(body, err instanceof api.ApiError && (err.unavailable || err.status >= 500)
      ? unavailable(t('forYou.unavailable'))
      : errorState(err));
  }
  section.lastElementChild?.remove();
  section.appendChild(body);
}

/** @param {URLSearchParams} query */
function filterForm(query) {
  /** @param {string} name @param {string} label @param {Array<[string, string]>} options */
  const select = (name, label, options) => h('div', { class: 'field' },
    h('label', { for: `filter-${name}` }, label),
    h('select', { id: `filter-${name}`, name, onchange: (/** @type {Event} */ e) => submitFilters(/** @type {HTMLFormElement} */ (/** @type {HTMLElement} */ (e.target).closest('form'))) },
      options.map(([value, text]) => h('option', { value }, text))));

  const form = /** @type {HTMLFormElement} */ (h('form', {
    class: 'filters',
    role: 'search',
    'aria-label': t('filters.title'),
    onsubmit: (/** @type {SubmitEvent} */ e) => {
      e.preventDefault();
      submitFilters(/** @type {HTMLFormElement} */ (e.currentTarget));
    },
  },
  h('div', { class: 'field field-search' },
    h('label', { for: 'filter-q' }, t('filters.search')),
    h('div', { class: 'search-box' },
      icon('search'),
      h('input', { id: 'filter-q', name: 'q', type: 'search', placeholder: t('filters.searchPlaceholder'), autocomplete: 'off', maxlength: '100' }),
      h('button', { type: 'submit', class: 'button button-primary' }, t('filters.apply')))),
  select('category', t('filters.category'), [['', t('filters.all')]]),
  select('tag', t('filters.tag'), [['', t('filters.all')]]),
  select('level', t('filters.level'), [['', t('filters.any')], ...['beginner', 'intermediate', 'advanced'].map((l) => /** @type {[string, string]} */ ([l, t(`level.${l}`)]))]),
  select('access', t('filters.price'), [['', t('filters.any')], ['free', t('filters.free')], ['paid', t('filters.paid')], ['subscription', t('filters.subscription')]]),
  select('sort', t('filters.sort'), SORTS.map(([v, k]) => /** @type {[string, string]} */ ([/** @type {string} */ (v), t(/** @type {string} */ (k))]))),
  h('a', { class: 'link-clear', href: href('/') }, t('filters.clear'))));
  syncForm(form, query);
  return form;
}

/** @param {HTMLFormElement} form */
function submitFilters(form) {
  const data = new FormData(form);
  /** @type {Record<string, string>} */
  const query = {};
  for (const key of FILTER_KEYS) {
    const value = String(data.get(key) ?? '').trim();
    if (value && !(key === 'sort' && value === 'title:asc')) query[key] = value;
  }
  navigate('/', query); // page 1 of the new filter
}

/** @param {HTMLFormElement} form @param {URLSearchParams} query */
function syncForm(form, query) {
  for (const key of FILTER_KEYS) {
    const el = form.elements.namedItem(key);
    if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) {
      const value = query.get(key) ?? (key === 'sort' ? 'title:asc' : '');
      if (el instanceof HTMLSelectElement && value && ![...el.options].some((o) => o.value === value)) {
        // Options not loaded yet (categories, tags): keep the wanted value until they are.
        el.dataset.pending = value;
      } else {
        el.value = value;
      }
    }
  }
}

/** @param {HTMLFormElement} form @param {string} locale @param {URLSearchParams} query @param {AbortSignal} signal */
async function loadFilterOptions(form, locale, query, signal) {
  const [categories, tags] = await Promise.all([
    api.listCategories(locale).catch(() => []),
    api.listTags(locale).catch(() => []),
  ]);
  if (signal.aborted) return;
  for (const [name, items] of /** @type {Array<[string, any[]]>} */ ([['category', categories], ['tag', tags]])) {
    const select = form.elements.namedItem(name);
    if (!(select instanceof HTMLSelectElement)) continue;
    for (const item of items) select.appendChild(h('option', { value: item.slug }, item.name));
    const wanted = select.dataset.pending ?? query.get(name);
    if (wanted) select.value = wanted;
    delete select.dataset.pending;
  }
}

/** @param {import('../router.js').PageContext} ctx */
async function loadResults(ctx) {
  const results = /** @type {HTMLElement} */ (view?.results);
  const { query, signal } = ctx;
  const locale = getLocale();
  results.setAttribute('aria-busy', 'true');
  const page = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1);
  try {
    const res = await api.listCourses({
      locale,
      q: query.get('q') ?? undefined,
      category: query.get('category') ?? undefined,
      tag: query.get('tag') ?? undefined,
      level: query.get('level') ?? undefined,
      access: query.get('access') ?? undefined,
      sort: query.get('sort') ?? undefined,
      page,
      pageSize: 12,
      signal,
    });
    if (signal.aborted) return;
    const p = res.meta?.pagination ?? { page, pageCount: 1, total: res.data.length, pageSize: 12 };
    const filtered = FILTER_KEYS.some((k) => k !== 'sort' && query.get(k));
    /** @param {number} n */
    const pageLink = (n) => href('/', { ...Object.fromEntries(query), page: n > 1 ? n : undefined });
    const q = (query.get('q') ?? '').trim();
    const hint = res.data.length === 0 && filtered ? (q ? t('catalogue.noneFor', { q }) : t('catalogue.none')) : null;
    showSearchHint(hint);
    replace(results,
      h('p', { class: 'results-count', role: 'status' }, p.total === 1 ? t('catalogue.result1') : t('catalogue.results', { n: p.total })),
      res.data.length
        ? h('div', { class: 'grid' }, res.data.map((c) => courseCard(c)))
        : empty(hint ?? t('catalogue.none'), filtered ? h('a', { class: 'button button-secondary', href: href('/') }, t('filters.clear')) : null),
      pagination(p, pageLink),
      locale !== 'en' && !filtered && p.page === p.pageCount ? moreInEnglish(p.total, signal) : null);
    // Which address these results answer (tests and scripts can wait on it).
    results.dataset.for = location.hash || '#/';
  } catch (err) {
    if (signal.aborted || (err instanceof DOMException && err.name === 'AbortError')) return;
    replace(results, errorState(err, () => void loadResults(ctx)));
  } finally {
    if (!signal.aborted) results.removeAttribute('aria-busy');
  }
}

/**
 * An empty search says so next to the search box, where the reader is looking (the results may
 * start below the fold), with what to try; cleared as soon as there are results.
 * @param {string | null} text
 */
function showSearchHint(text) {
  const field = view?.form.querySelector('.field-search');
  if (!field) return;
  let hint = field.querySelector('.search-hint');
  if (!text) {
    hint?.remove();
    return;
  }
  if (!hint) {
    hint = h('p', { class: 'search-hint', role: 'status', id: 'search-hint' });
    field.appendChild(hint);
    field.querySelector('input')?.setAttribute('aria-describedby', 'search-hint');
  }
  hint.textContent = text;
}

/**
 * In Chinese, the catalogue lists the translated courses; the rest exist in English only.
 * Say so, with a one-click switch, rather than hide them.
 * @param {number} shown
 * @param {AbortSignal} signal
 */
function moreInEnglish(shown, signal) {
  const box = h('div', { class: 'more-in-english' });
  api.countCourses('en').then((all) => {
    if (signal.aborted || all <= shown) return;
    replace(box, h('p', null, t('catalogue.moreInEnglish', { n: all - shown }), ' ',
      h('button', { type: 'button', class: 'button button-secondary', onclick: () => requestLocale('en') }, t('catalogue.showEnglish'))));
  }).catch(() => undefined);
  return box;
}
