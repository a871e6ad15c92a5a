/**
 * The storefront's shell: header (navigation, language, account), the page area, the footer, and
 * the dispatch from the address to a page module in `pages/`.
 */

import { h, icon, replace } from './dom.js';
import { t, getLocale, setLocale, LOCALES } from './i18n.js';
import { currentLocation, href, match, navigate } from './router.js';
import { getUser, getToken, saveSession, clearSession, onSessionChange } from './session.js';
import { me } from './api.js';
import { CURRENCIES, getCurrency, setCurrency, isCurrency } from './currency.js';
import { flash, showFlash, setTitle, registerLocaleSwitcher } from './shell.js';
import { notice as errorNotice } from './components.js';
import * as home from './pages/home.js';
import * as course from './pages/course.js';
import * as chapter from './pages/chapter.js';
import * as auth from './pages/auth.js';
import * as library from './pages/library.js';
import * as plans from './pages/plans.js';
import * as checkoutReturn from './pages/checkout-return.js';
import * as notFound from './pages/not-found.js';
import * as gift from './pages/gift.js';

/** @type {Array<[string, import('./router.js').Page]>} */
const ROUTES = [
  ['/', home],
  ['/course/:slug', course],
  ['/course/:slug/chapter/:chapterId', chapter],
  ['/login', auth.loginPage],
  ['/register', auth.registerPage],
  ['/forgot-password', auth.forgotPasswordPage],
  ['/reset-password', auth.resetPasswordPage],
  ['/library', library],
  ['/plans', plans],
  ['/checkout/return', checkoutReturn],
  ['/gift', gift],
];

const header = /** @type {HTMLElement} */ (document.getElementById('site-header'));
const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const footer = /** @type {HTMLElement} */ (document.getElementById('site-footer'));

/** @type {{ pattern: string, controller: AbortController } | null} */
let active = null;
let firstRender = true;
/** @type {Record<string, string>} */
let lastParams = {};

/** The skip link sits in index.html, outside the redrawn parts: its text follows the language here. */
function translateSkipLink() {
  const skip = document.getElementById('skip-link');
  if (skip) skip.textContent = t('nav.skip');
}

function renderHeader() {
  // A token without a cached user (first visit after an upgrade) still shows the logged-in header.
  const user = getUser() ?? (getToken() ? { username: '…' } : null);
  const { path } = currentLocation();
  /** @param {string} to @param {string} label */
  const navLink = (to, label) => h('a', { href: href(to), class: 'nav-link', 'aria-current': path === to ? 'page' : undefined }, label);
  replace(header,
    h('div', { class: 'header-inner' },
      h('a', { class: 'brand', href: href('/') },
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, icon('book')),
        h('span', { class: 'brand-name' }, t('app.name'))),
      h('nav', { class: 'site-nav', 'aria-label': t('nav.main') },
        h('ul', null,
          h('li', null, navLink('/', t('nav.catalogue'))),
          h('li', null, navLink('/plans', t('nav.plans'))),
          h('li', null, navLink('/library', t('nav.library'))))),
      h('div', { class: 'header-tools' },
        h('div', { class: 'lang-switch', role: 'group', 'aria-label': t('nav.language') },
          icon('globe'),
          LOCALES.map((code) => h('button', {
            type: 'button',
            class: 'lang-option',
            lang: code,
            'aria-pressed': String(getLocale() === code),
            dataset: { locale: code },
            onclick: () => switchLocale(code),
          }, code === 'en' ? 'EN' : '中文'))),
        currencySelect(),
        user
          ? h('div', { class: 'account' },
            h('span', { class: 'account-name', title: t('nav.signedInAs', { name: user.username }) }, icon('user'), user.username),
            h('button', { type: 'button', class: 'button button-ghost', id: 'logout', onclick: logout }, t('nav.logout')))
          : h('div', { class: 'account' },
            h('a', { class: 'button button-ghost', href: href('/login') }, t('nav.login')),
            h('a', { class: 'button button-primary', href: href('/register') }, t('nav.register'))))));
}

/**
 * The currency prices are shown in: a course with an extra price in it is shown (and sold) at that
 * price, any other at its own default price. Remembered in localStorage (currency.js).
 */
function currencySelect() {
  const chosen = getCurrency();
  return h('label', { class: 'currency-switch' },
    h('span', { class: 'sr-only' }, t('nav.currency')),
    h('select', {
      id: 'currency-select',
      onchange: (/** @type {Event} */ e) => switchCurrency(/** @type {HTMLSelectElement} */ (e.target).value),
    },
    h('option', { value: '', selected: chosen === null }, t('currency.courseDefault')),
    CURRENCIES.map((code) => h('option', { value: code, selected: chosen === code }, code.toUpperCase()))));
}

/** @param {string} value */
function switchCurrency(value) {
  setCurrency(isCurrency(value) ? value : null);
  // Prices are in the page already (the courses carry their extra prices): drawn again, same data.
  void route({ force: true }).then(() => {
    const select = header.querySelector('#currency-select');
    if (select instanceof HTMLElement) select.focus();
  });
}

function renderFooter() {
  replace(footer,
    h('div', { class: 'footer-inner' },
      h('p', null, t('footer.text')),
      h('ul', { class: 'footer-links' },
        h('li', null, h('a', { href: 'README.md' }, t('footer.api'))),
        h('li', null, h('a', { href: '/admin' }, t('footer.admin'))))));
}

/** @param {'en' | 'zh-Hans'} code */
function switchLocale(code) {
  if (code === getLocale()) return;
  setLocale(code);
  translateSkipLink();
  renderHeader();
  renderFooter();
  // Content comes in the new language too: the page is fetched again with `locale=<code>`.
  void route({ force: true });
  const button = header.querySelector(`[data-locale="${code}"]`);
  if (button instanceof HTMLElement) button.focus();
}

function logout() {
  clearSession();
  flash(t('auth.loggedOut'), 'info');
  navigate('/');
}

/**
 * Renders the page for the current address. A new address aborts the previous page's requests,
 * so a slow answer never paints over a newer page. A page that only changed its query (filters,
 * pagination) is updated in place when it knows how, which keeps focus where the reader is.
 * @param {{ force?: boolean }} [options]
 */
async function route(options = {}) {
  const { path, query } = currentLocation();
  const found = match(ROUTES, path);
  /** @type {import('./router.js').Page} */
  const page = found?.page ?? notFound;
  const pattern = found?.pattern ?? '*';
  const params = found?.params ?? {};

  if (!options.force && active && active.pattern === pattern && page.update && !firstRender && sameParams(params)) {
    active.controller.abort();
    active = { pattern, controller: new AbortController() };
    lastParams = params;
    const signal = active.controller.signal;
    try {
      await page.update({ params, query, main, signal });
    } catch (err) {
      if (signal.aborted || (err instanceof DOMException && err.name === 'AbortError')) return;
      console.error(err);
      replace(main, errorNotice(t('common.error', { message: err instanceof Error ? err.message : String(err) }), 'error'));
    }
    return;
  }

  active?.controller.abort();
  active = { pattern, controller: new AbortController() };
  lastParams = params;
  const signal = active.controller.signal;
  renderHeader();
  main.setAttribute('aria-busy', 'true');
  main.replaceChildren();
  showFlash();
  if (!firstRender && !options.force) window.scrollTo(0, 0);
  const focused = !firstRender && !options.force ? focusHeadingWhenShown() : null;
  try {
    await page.render({ params, query, main, signal });
  } catch (err) {
    if (signal.aborted || (err instanceof DOMException && err.name === 'AbortError')) return;
    console.error(err);
    replace(main, errorNotice(t('common.error', { message: err instanceof Error ? err.message : String(err) }), 'error'));
  } finally {
    if (!signal.aborted) main.removeAttribute('aria-busy');
    if (signal.aborted) focused?.(false); // a newer navigation watches from here
  }
  if (signal.aborted) return;
  focused?.(true);
  firstRender = false;
}

/**
 * Moves focus to the new page's heading as soon as it is drawn, so keyboard and screen-reader
 * users start there — not once every section has loaded (a slow "similar courses" answer held the
 * focus back for as long, then pulled it from wherever the reader had tabbed meanwhile). Watches
 * `main` until the page has rendered (a heading drawn again is focused again); a reader who has
 * moved the focus since the navigation keeps it.
 * @returns {(lastLook: boolean) => void} stops watching (with a last look once the page has rendered)
 */
function focusHeadingWhenShown() {
  const start = document.activeElement;
  const place = () => {
    const heading = main.querySelector('h1');
    const current = document.activeElement;
    if (!(heading instanceof HTMLElement) || current === heading) return;
    const untouched = !current || current === document.body || current === main || current === start;
    if (!untouched) return;
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  };
  place();
  const observer = new MutationObserver(place);
  observer.observe(main, { childList: true, subtree: true });
  return (lastLook) => {
    observer.disconnect();
    if (lastLook) place();
  };
}

/** @param {Record<string, string>} params */
function sameParams(params) {
  const a = Object.entries(params).sort().join('|');
  const b = Object.entries(lastParams).sort().join('|');
  return a === b;
}

/**
 * Stripe sends the learner back to a plain URL (`/?checkout=success&course=…`); a query string is
 * kept exactly by every redirect, a fragment not always. The app turns it into its own page
 * address once and removes the query from the bar.
 */
function adoptCheckoutReturn() {
  const search = new URLSearchParams(location.search);
  const outcome = search.get('checkout');
  if (!outcome) return;
  search.delete('checkout');
  let target;
  if (outcome === 'success') {
    target = href('/checkout/return', Object.fromEntries(search));
  } else if (search.get('slug')) {
    target = href(`/course/${encodeURIComponent(/** @type {string} */ (search.get('slug')))}`, { checkout: 'cancel' });
  } else {
    target = href('/plans', { checkout: 'cancel' });
  }
  history.replaceState(null, '', `${location.pathname}${target}`);
}

/**
 * A stored JWT is checked once per visit (`GET /api/users/me`): the header gets the current
 * username, and an expired token is dropped (api.js clears the session on 401).
 */
function refreshUser() {
  const token = getToken();
  if (!token) return;
  me()
    .then((user) => {
      if (getToken() === token) saveSession(token, user);
    })
    .catch(() => undefined);
}

function start() {
  registerLocaleSwitcher(switchLocale);
  // The skip link jumps to the page area without changing the address (the hash is the route).
  document.getElementById('skip-link')?.addEventListener('click', (e) => {
    e.preventDefault();
    main.focus();
  });
  setLocale(getLocale());
  adoptCheckoutReturn();
  setTitle();
  translateSkipLink();
  renderHeader();
  renderFooter();
  window.addEventListener('hashchange', () => void route());
  onSessionChange(() => renderHeader());
  void route();
  refreshUser();
}

start();
