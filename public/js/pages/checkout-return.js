/**
 * Where Stripe sends the learner after paying. Access is granted when Stripe's webhook reaches the
 * platform, which can be a moment after the redirect: this page asks until the entitlement is
 * there (a short poll with a growing interval), then offers the course.
 *
 * API: GET /api/paywall/me/entitlements (course or plan present), and for a course
 *      GET /api/paywall/courses/:documentId/access when the list is not available;
 *      GET /api/checkout/orders/:id to notice a payment that failed or expired.
 */

import { h, icon, replace } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { href } from '../router.js';
import { isLoggedIn } from '../session.js';
import { setTitle } from '../shell.js';

/** How long the page keeps asking before it says "this is taking longer" (ms). */
const PATIENCE_MS = 60_000;

/** @param {any} value */
function idOf(value) {
  if (typeof value === 'string') return value;
  return value && typeof value === 'object' && typeof value.documentId === 'string' ? value.documentId : null;
}

/**
 * Whether the purchase is visible to the learner yet.
 * @param {{ course: string | null, plan: string | null }} target
 */
export async function hasAccess(target) {
  try {
    const list = await api.myEntitlements();
    return list.some((e) => (target.course && (idOf(e.course) ?? e.courseDocumentId) === target.course)
      || (target.plan && (idOf(e.plan) ?? e.planDocumentId) === target.plan));
  } catch (err) {
    if (!(err instanceof api.ApiError) || !target.course) throw err;
    const verdict = api.readVerdict(await api.courseAccess(target.course));
    return verdict.allowed;
  }
}

/** @param {import('../router.js').PageContext} ctx */
export async function render(ctx) {
  const { main, signal, query } = ctx;
  setTitle(t('return.title'));
  const target = { course: query.get('course'), plan: query.get('plan') };
  const slug = query.get('slug');
  const status = h('div', { class: 'return-status', role: 'status', 'aria-live': 'polite' });
  const actions = h('div', { class: 'actions' });
  replace(main, h('section', { class: 'narrow state-page return-page', dataset: { state: 'waiting' } },
    h('span', { class: 'return-icon' }, icon('sparkle')),
    h('h1', null, t('return.title')),
    status,
    actions));
  const page = /** @type {HTMLElement} */ (main.firstElementChild);

  if (!isLoggedIn()) {
    replace(status, h('p', null, t('return.loginNeeded')));
    replace(actions, h('a', { class: 'button button-primary', href: href('/login', { next: `/checkout/return?${query}` }) }, t('nav.login')));
    return;
  }

  const done = () => {
    page.dataset.state = 'done';
    replace(status, h('p', { class: 'owned' }, icon('check'), t('return.done')));
    replace(actions,
      slug ? h('a', { class: 'button button-primary button-large', href: href(`/course/${encodeURIComponent(slug)}`), dataset: { action: 'open-course' } }, t('return.openCourse')) : null,
      h('a', { class: slug ? 'button button-secondary' : 'button button-primary button-large', href: href('/library') }, t('return.openLibrary')));
  };

  const failed = () => {
    page.dataset.state = 'failed';
    replace(status, h('p', null, t('return.failed')));
    replace(actions,
      slug ? h('a', { class: 'button button-primary', href: href(`/course/${encodeURIComponent(slug)}`) }, t('return.openCourse')) : null,
      h('a', { class: 'button button-secondary', href: href('/library') }, t('return.openLibrary')));
  };

  // Set by checkout.js just before leaving for Stripe (same tab, so sessionStorage survives).
  const orderId = (() => {
    try {
      return sessionStorage.getItem('kp.lastOrder');
    } catch {
      return null;
    }
  })();

  const poll = async () => {
    page.dataset.state = 'waiting';
    replace(status, h('p', null, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('return.waiting')));
    replace(actions);
    const started = Date.now();
    let delay = 500;
    while (!signal.aborted) {
      try {
        if (await hasAccess(target)) {
          if (!signal.aborted) done();
          return;
        }
        // The order says when a payment will not complete (declined bank transfer, expired session).
        if (orderId) {
          const order = await api.getOrder(orderId).catch(() => null);
          if (order && (order.status === 'failed' || order.status === 'expired')) {
            if (!signal.aborted) failed();
            return;
          }
        }
      } catch {
        /* a failed check is retried like a negative one */
      }
      if (Date.now() - started > PATIENCE_MS) break;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 1.5, 4000);
    }
    if (signal.aborted) return;
    page.dataset.state = 'slow';
    replace(status, h('p', null, t('return.slow')));
    replace(actions,
      h('button', { type: 'button', class: 'button button-primary', onclick: () => void poll() }, t('return.checkAgain')),
      h('a', { class: 'button button-secondary', href: href('/library') }, t('return.openLibrary')));
  };
  void poll(); // the page is drawn; the wait goes on in the background until found or left
}
