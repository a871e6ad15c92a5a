/** Any address the storefront does not know. */

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { href } from '../router.js';
import { setTitle } from '../shell.js';

/** @param {import('../router.js').PageContext} ctx */
export function render(ctx) {
  setTitle(t('common.notFound'));
  replace(ctx.main, h('section', { class: 'narrow state-page' },
    h('h1', null, t('common.notFound')),
    h('p', null, t('common.notFoundText')),
    h('a', { class: 'button button-primary', href: href('/') }, t('common.goHome'))));
}
