/**
 * Page-level helpers the pages share with the shell: the document title and one-shot messages
 * ("Welcome, Ada.") shown at the top of the next page.
 */

import { replace } from './dom.js';
import { t } from './i18n.js';
import { notice } from './components.js';

/** @type {{ text: string, kind: 'info' | 'success' | 'warning' | 'error' } | null} */
let pending = null;

/**
 * Queues a message for the next page the router renders.
 * @param {string} text
 * @param {'info' | 'success' | 'warning' | 'error'} [kind]
 */
export function flash(text, kind = 'success') {
  pending = { text, kind };
}

/** Called by the router on each page: clears the last message and shows the queued one. */
export function showFlash() {
  const region = document.getElementById('flash');
  if (!region) return;
  if (pending) replace(region, notice(pending.text, pending.kind));
  else region.replaceChildren();
  pending = null;
}

/** Sets the document title as "<page> · <site>". @param {string} [title] */
export function setTitle(title) {
  document.title = title ? `${title} · ${t('app.name')}` : `${t('app.name')} — ${t('app.tagline')}`;
}

/** @type {((code: 'en' | 'zh-Hans') => void) | null} */
let localeSwitcher = null;

/** The shell registers how a language change is applied (interface text and content). */
export function registerLocaleSwitcher(/** @type {(code: 'en' | 'zh-Hans') => void} */ fn) {
  localeSwitcher = fn;
}

/** Switches the whole storefront to another language, as the header's switch does. */
export function requestLocale(/** @type {'en' | 'zh-Hans'} */ code) {
  localeSwitcher?.(code);
}
