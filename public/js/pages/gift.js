/** `#/gift?code=…`: where a gift's e-mail sends its recipient; claims the code for the signed-in account. */

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { href } from '../router.js';
import { setTitle } from '../shell.js';
import { isLoggedIn } from '../session.js';
import * as api from '../api.js';

/** @param {import('../router.js').PageContext} ctx */
export function render(ctx) {
  setTitle(t('gift.title'));
  const code = ctx.query.get('code') ?? '';
  if (!isLoggedIn()) {
    replace(ctx.main, h('section', { class: 'narrow state-page' },
      h('h1', null, t('gift.title')),
      h('p', null, t('gift.loginFirst')),
      h('a', { class: 'button button-primary', href: href('/login', { next: `/gift?code=${code}` }) }, t('nav.login'))));
    return;
  }
  const input = /** @type {HTMLInputElement} */ (h('input', { id: 'gift-code', name: 'code', value: code, autocomplete: 'off', required: true }));
  const status = h('p', { role: 'status', class: 'form-status' });
  const form = h('form', { class: 'narrow' },
    h('label', { for: 'gift-code' }, t('gift.code')), input,
    h('button', { class: 'button button-primary', type: 'submit' }, t('gift.claim')), status);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    status.textContent = '';
    api.claimGift(input.value).then(
      (/** @type {any} */ res) => {
        status.textContent = t('gift.claimed', { title: String(res?.title ?? '') });
        status.append(' ', h('a', { href: href('/library') }, t('nav.library')));
      },
      (/** @type {any} */ err) => { status.textContent = err instanceof Error ? err.message : String(err); });
  });
  replace(ctx.main, h('section', { class: 'narrow state-page' }, h('h1', null, t('gift.title')), form));
}
