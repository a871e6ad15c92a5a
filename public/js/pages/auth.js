/**
 * Log in and sign up (Strapi's users-permissions plugin).
 *
 * API: POST /api/auth/local { identifier, password } → { jwt, user }
 *      POST /api/auth/local/register { username, email, password } → { jwt, user }
 *      POST /api/auth/forgot-password { email } → { ok: true } (the same for every address)
 *      POST /api/auth/reset-password { code, password, passwordConfirmation } → { jwt, user }
 * The JWT is kept by session.js and sent as `Authorization: Bearer …` on every later call.
 */

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { notice } from '../components.js';
import { href, navigate } from '../router.js';
import { saveSession } from '../session.js';
import { flash, setTitle } from '../shell.js';

/**
 * Where to go after logging in: only a path inside the storefront, never another site.
 * @param {URLSearchParams} query
 */
function nextPath(query) {
  const next = query.get('next') ?? '';
  return /^\/(?!\/)[\w\-./?=&%~]*$/.test(next) ? next : '/library';
}

/**
 * @typedef {{ name: string, label: string, type: string, autocomplete: string, hint?: string,
 *             validate: (value: string) => string | null }} FieldSpec
 */

/**
 * A labelled field with its hint and error text tied to the input (aria-describedby).
 * @param {FieldSpec} spec
 */
function field(spec) {
  const id = `auth-${spec.name}`;
  const hintId = spec.hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  return h('div', { class: 'field' },
    h('label', { for: id }, spec.label),
    h('input', {
      id,
      name: spec.name,
      type: spec.type,
      autocomplete: spec.autocomplete,
      required: true,
      'aria-describedby': [hintId, errorId].filter(Boolean).join(' '),
    }),
    spec.hint ? h('p', { class: 'field-hint', id: hintId }, spec.hint) : null,
    h('p', { class: 'field-error', id: errorId }));
}

/**
 * @param {{ title: string, submit: string, fields: FieldSpec[], footer: Node, intro?: Node,
 *           send: (values: Record<string, string>) => Promise<any>,
 *           done?: (res: any, form: HTMLFormElement) => void }} spec
 * @param {import('../router.js').PageContext} ctx
 */
function authForm(spec, ctx) {
  const status = h('div', { class: 'form-status', 'aria-live': 'assertive' });
  const submit = /** @type {HTMLButtonElement} */ (h('button', { type: 'submit', class: 'button button-primary button-large button-block' }, spec.submit));
  const form = /** @type {HTMLFormElement} */ (h('form', { class: 'auth-form', novalidate: true }, spec.fields.map(field), status, submit));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    /** @type {Record<string, string>} */
    const values = {};
    /** @type {HTMLInputElement | null} */
    let firstInvalid = null;
    for (const f of spec.fields) {
      const input = /** @type {HTMLInputElement} */ (form.elements.namedItem(f.name));
      const value = f.type === 'password' ? input.value : input.value.trim();
      values[f.name] = value;
      const problem = value ? f.validate(value) : t('auth.required');
      const errorEl = /** @type {HTMLElement} */ (form.querySelector(`#auth-${f.name}-error`));
      errorEl.textContent = problem ?? '';
      input.setAttribute('aria-invalid', String(Boolean(problem)));
      if (problem && !firstInvalid) firstInvalid = input;
    }
    if (firstInvalid) {
      /** @type {HTMLInputElement} */ (firstInvalid).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t('auth.working');
    status.replaceChildren();
    try {
      const res = await spec.send(values);
      if (spec.done) {
        spec.done(res, form);
        return;
      }
      if (!res?.jwt) throw new api.ApiError(500, 'No session was returned.');
      saveSession(res.jwt, res.user);
      flash(t('auth.welcome', { name: res.user?.username ?? '' }));
      const next = nextPath(ctx.query);
      const [path = '/', search = ''] = next.split('?');
      navigate(path, Object.fromEntries(new URLSearchParams(search)));
    } catch (err) {
      // users-permissions answers 400 with a readable message ("Invalid identifier or password",
      // "Email or Username are already taken"): show it as it is.
      replace(status, notice(err instanceof api.ApiError && err.status === 0 ? t('common.network') : err instanceof Error ? err.message : String(err), 'error'));
      submit.disabled = false;
      submit.textContent = spec.submit;
    }
  });

  replace(ctx.main,
    h('section', { class: 'auth narrow', 'aria-labelledby': 'auth-title' },
      h('h1', { id: 'auth-title' }, spec.title),
      spec.intro ?? null,
      form,
      h('p', { class: 'auth-switch' }, spec.footer)));
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const loginPage = {
  /** @param {import('../router.js').PageContext} ctx */
  render(ctx) {
    setTitle(t('auth.loginTitle'));
    authForm({
      title: t('auth.loginTitle'),
      submit: t('auth.submitLogin'),
      fields: [
        { name: 'identifier', label: t('auth.identifier'), type: 'text', autocomplete: 'username', validate: () => null },
        { name: 'password', label: t('auth.password'), type: 'password', autocomplete: 'current-password', validate: () => null },
      ],
      footer: h('span', null,
        h('a', { href: href('/forgot-password'), id: 'forgot-link' }, t('auth.forgotLink')), ' · ',
        t('auth.noAccount'), ' ', h('a', { href: href('/register', { next: ctx.query.get('next') }) }, t('nav.register'))),
      send: (v) => api.login({ identifier: /** @type {string} */ (v.identifier), password: /** @type {string} */ (v.password) }),
    }, ctx);
  },
};

export const registerPage = {
  /** @param {import('../router.js').PageContext} ctx */
  render(ctx) {
    setTitle(t('auth.registerTitle'));
    authForm({
      title: t('auth.registerTitle'),
      submit: t('auth.submitRegister'),
      fields: [
        { name: 'username', label: t('auth.username'), type: 'text', autocomplete: 'username', validate: (v) => (v.length < 3 ? t('auth.shortUsername') : null) },
        { name: 'email', label: t('auth.email'), type: 'email', autocomplete: 'email', validate: (v) => (EMAIL.test(v) ? null : t('auth.invalidEmail')) },
        { name: 'password', label: t('auth.password'), type: 'password', autocomplete: 'new-password', hint: t('auth.passwordHint'), validate: (v) => (v.length < 8 ? t('auth.shortPassword') : null) },
      ],
      footer: h('span', null, t('auth.haveAccount'), ' ', h('a', { href: href('/login', { next: ctx.query.get('next') }) }, t('nav.login'))),
      send: (v) => api.register({ username: /** @type {string} */ (v.username), email: /** @type {string} */ (v.email), password: /** @type {string} */ (v.password) }),
    }, ctx);
  },
};

export const forgotPasswordPage = {
  /** @param {import('../router.js').PageContext} ctx */
  render(ctx) {
    setTitle(t('auth.forgotTitle'));
    authForm({
      title: t('auth.forgotTitle'),
      intro: h('p', null, t('auth.forgotIntro')),
      submit: t('auth.submitForgot'),
      fields: [
        { name: 'email', label: t('auth.email'), type: 'email', autocomplete: 'email', validate: (v) => (EMAIL.test(v) ? null : t('auth.invalidEmail')) },
      ],
      footer: h('a', { href: href('/login') }, t('nav.login')),
      send: (v) => api.forgotPassword({ email: /** @type {string} */ (v.email) }),
      // The same answer for every address: the page says so, and never whether the account exists.
      done: (_res, form) => form.replaceWith(notice(t('auth.forgotSent'), 'info')),
    }, ctx);
  },
};

export const resetPasswordPage = {
  /** @param {import('../router.js').PageContext} ctx */
  render(ctx) {
    setTitle(t('auth.resetTitle'));
    const code = ctx.query.get('code') ?? '';
    if (!/^[0-9a-f]{16,256}$/.test(code)) {
      replace(ctx.main,
        h('section', { class: 'auth narrow', 'aria-labelledby': 'auth-title' },
          h('h1', { id: 'auth-title' }, t('auth.resetTitle')),
          notice(t('auth.resetBadLink'), 'error'),
          h('p', null, h('a', { href: href('/forgot-password') }, t('auth.forgotTitle')))));
      return;
    }
    authForm({
      title: t('auth.resetTitle'),
      submit: t('auth.submitReset'),
      fields: [
        { name: 'password', label: t('auth.newPassword'), type: 'password', autocomplete: 'new-password', hint: t('auth.passwordHint'), validate: (v) => (v.length < 8 ? t('auth.shortPassword') : null) },
        { name: 'passwordConfirmation', label: t('auth.confirmPassword'), type: 'password', autocomplete: 'new-password', validate: () => null },
      ],
      footer: h('a', { href: href('/login') }, t('nav.login')),
      send: async (v) => {
        if (v.password !== v.passwordConfirmation) throw new Error(t('auth.passwordsDiffer'));
        return api.resetPassword({ code, password: /** @type {string} */ (v.password), passwordConfirmation: /** @type {string} */ (v.passwordConfirmation) });
      },
    }, ctx);
  },
};
