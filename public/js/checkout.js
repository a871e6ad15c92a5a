/**
 * Buying and subscribing: asks the platform for a Stripe Checkout Session and sends the browser
 * there. Stripe sends the learner back to `/?checkout=success&…` (the return page waits for the
 * entitlement) or `/?checkout=cancel&…`.
 *
 * API: POST /api/checkout/sessions { course | plan, successUrl, cancelUrl, locale, currency? } → { url, orderId }
 * (`currency` only when the price shown is one of the course's extra prices: the price shown is the
 * price charged; without it checkout charges the default price).
 */

import * as api from './api.js';
import { h, replace } from './dom.js';
import { t, getLocale } from './i18n.js';
import { notice } from './components.js';

/**
 * @param {{ course?: string, plan?: string, slug?: string, currency?: string }} target  documentIds (+ the course slug for the way back, + the currency of an extra price shown)
 * @param {HTMLButtonElement} button
 * @param {HTMLElement} status  where progress and errors are written (a live region)
 */
export async function startCheckout(target, button, status) {
  const base = `${location.origin}${location.pathname}`;
  /** @param {Record<string, string | undefined>} params */
  const back = (params) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
    return `${base}?${q}`;
  };
  const successUrl = back({ checkout: 'success', course: target.course, plan: target.plan, slug: target.slug });
  const cancelUrl = back({ checkout: 'cancel', slug: target.slug });

  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  replace(status, notice(t('course.redirecting'), 'info'));
  try {
    const session = await api.createCheckoutSession({
      ...(target.course ? { course: target.course, ...(target.currency ? { currency: target.currency } : {}) } : { plan: /** @type {string} */ (target.plan) }),
      successUrl,
      cancelUrl,
      locale: getLocale(),
    });
    const url = typeof session?.url === 'string' ? new URL(session.url, location.href) : null;
    // Only ever leave for a web page: never a javascript: or data: URL, whatever came back.
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new api.ApiError(502, 'No checkout URL was returned.');
    try {
      if (session.orderId !== undefined) sessionStorage.setItem('kp.lastOrder', String(session.orderId));
    } catch {
      /* storage disabled: the return page then watches the entitlement only */
    }
    location.assign(url.toString());
  } catch (err) {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    const message = err instanceof api.ApiError ? err.message : String(err);
    // 503 means the platform runs without Stripe: the shopper reads that payments are off (the
    // operator's detail is in the server log and error.details, never shown here).
    replace(status, notice(err instanceof api.ApiError && err.status === 503
      ? t('course.checkoutUnavailable')
      : t('common.error', { message }), err instanceof api.ApiError && err.status === 503 ? 'warning' : 'error'));
  }
}

/** A button that starts a checkout, with its own status line. @param {string} label @param {Parameters<typeof startCheckout>[0]} target @param {string} [extraClass] */
export function checkoutButton(label, target, extraClass) {
  const status = h('div', { class: 'checkout-status', 'aria-live': 'polite' });
  const button = /** @type {HTMLButtonElement} */ (h('button', {
    type: 'button',
    class: ['button', 'button-primary', 'button-large', extraClass],
    dataset: { action: 'checkout' },
    onclick: () => void startCheckout(target, button, status),
  }, label));
  return h('div', { class: 'checkout' }, button, status);
}
