/**
 * Subscription plans, each with a Subscribe button that starts a Stripe Checkout Session in
 * subscription mode.
 *
 * API: GET /api/plans?locale=…, POST /api/checkout/sessions { plan, successUrl, cancelUrl, locale }.
 */

import { h, icon, replace } from '../dom.js';
import { t, getLocale, formatPrice } from '../i18n.js';
import * as api from '../api.js';
import { loading, empty, errorState, notice } from '../components.js';
import { href } from '../router.js';
import { isLoggedIn } from '../session.js';
import { setTitle } from '../shell.js';
import { checkoutButton } from '../checkout.js';

/** @param {import('../router.js').PageContext} ctx */
export async function render(ctx) {
  const { main, signal, query } = ctx;
  setTitle(t('plans.title'));
  const list = h('div', { class: 'plans' }, loading());
  replace(main,
    h('section', { class: 'page-head narrow-head' },
      h('h1', null, t('plans.title')),
      h('p', { class: 'hero-lead' }, t('plans.lead'))),
    query.get('checkout') === 'cancel' ? notice(t('course.checkoutCancelled'), 'warning') : null,
    list);

  let plans;
  try {
    plans = await api.listPlans(getLocale());
  } catch (err) {
    if (!signal.aborted) replace(list, errorState(err, () => void render(ctx)));
    return;
  }
  if (signal.aborted) return;
  if (!plans.length) {
    replace(list, empty(t('plans.none')));
    return;
  }
  const next = `/plans${query.get('course') ? `?course=${encodeURIComponent(query.get('course') ?? '')}` : ''}`;
  replace(list, plans.map((/** @type {any} */ plan) => h('article', { class: 'plan', dataset: { plan: plan.slug } },
    h('h2', { class: 'plan-name' }, plan.name),
    h('p', { class: 'plan-price' },
      h('span', { class: 'plan-amount' }, formatPrice(plan.price, plan.currency)),
      ' ',
      h('span', { class: 'plan-interval' }, plan.interval === 'year' ? t('plans.year') : t('plans.month'))),
    plan.description ? h('p', { class: 'plan-description' }, plan.description) : null,
    h('p', { class: 'plan-scope' }, icon('check'), plan.allAccess ? t('plans.allAccess') : t('plans.someCourses')),
    isLoggedIn()
      ? checkoutButton(t('plans.choose'), { plan: plan.documentId }, 'button-block')
      : h('a', { class: 'button button-primary button-large button-block', href: href('/login', { next }) }, t('plans.loginToChoose')))));
}
