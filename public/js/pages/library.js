/**
 * My library: continue learning (progress per course), the courses the learner owns
 * (entitlements), the subscription with a link to Stripe's Customer Portal, and certificates.
 * Each section loads on its own and says so when its service is not available.
 *
 * API: GET /api/paywall/me/entitlements, GET /api/progress/me, GET /api/certificates/me,
 *      GET /api/courses?filters[documentId][$in]=…, GET /api/plans, POST /api/checkout/portal.
 */

import { h, icon, replace } from '../dom.js';
import { t, getLocale, formatDate, formatPrice } from '../i18n.js';
import * as api from '../api.js';
import { courseCard, loading, empty, errorState, unavailable, notice } from '../components.js';
import { href } from '../router.js';
import { isLoggedIn } from '../session.js';
import { setTitle } from '../shell.js';

/** @param {any} value @returns {string | null} */
function idOf(value) {
  if (!value) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && typeof value.documentId === 'string') return value.documentId;
  return null;
}

/** @param {import('../router.js').PageContext} ctx */
export async function render(ctx) {
  const { main, signal } = ctx;
  setTitle(t('library.title'));
  if (!isLoggedIn()) {
    replace(main, h('section', { class: 'narrow state-page' },
      h('h1', null, t('library.title')),
      h('p', null, t('library.loginNeeded')),
      h('div', { class: 'actions' },
        h('a', { class: 'button button-primary', href: href('/login', { next: '/library' }) }, t('nav.login')),
        h('a', { class: 'button button-secondary', href: href('/register', { next: '/library' }) }, t('nav.register')))));
    return;
  }

  /** @param {string} id @param {string} title */
  const section = (id, title) => h('section', { class: 'section', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title), loading());
  const progressSection = section('library-progress', t('library.continue'));
  const coursesSection = section('library-courses', t('library.courses'));
  const subscriptionSection = section('library-subscription', t('library.subscription'));
  const certificatesSection = section('library-certificates', t('library.certificates'));

  replace(main,
    h('div', { class: 'page-head' }, h('h1', null, t('library.title'))),
    progressSection,
    coursesSection,
    h('div', { class: 'two-col' }, subscriptionSection, certificatesSection));

  const locale = getLocale();
  const entitlements = api.myEntitlements();
  // One read of the progress for both sections: "Your courses" also lists the free courses that
  // "Continue learning" lists (no entitlement exists for a free course).
  const progress = api.myProgress(locale);
  progress.catch(() => undefined);
  await Promise.all([
    fill(progressSection, signal, async () => progressBody(await progress, locale)),
    fill(coursesSection, signal, async () => coursesBody(await entitlements, await progress.catch(() => []), locale)),
    fill(subscriptionSection, signal, async () => subscriptionBody(await entitlements, locale)),
    fill(certificatesSection, signal, certificatesBody),
  ]);
}

/**
 * Replaces a section's loading state with what `build` makes, or with a quiet "not available"
 * when its endpoint is missing, or an error with the server's words.
 * @param {HTMLElement} section @param {AbortSignal} signal @param {() => Promise<Node>} build
 */
async function fill(section, signal, build) {
  let body;
  try {
    body = await build();
  } catch (err) {
    body = err instanceof api.ApiError && (err.unavailable || err.status >= 500)
      ? unavailable(t('common.sectionUnavailable'))
      : errorState(err);
  }
  if (signal.aborted) return;
  section.lastElementChild?.remove();
  section.appendChild(body);
}

/** @param {any[]} rows @param {string} locale */
async function progressBody(rows, locale) {
  if (!rows.length) return empty(t('library.noProgress'), h('a', { class: 'button button-secondary', href: href('/') }, t('nav.catalogue')));
  const courses = await api.coursesByIds(rows.map((r) => idOf(r.course) ?? r.courseDocumentId).filter(Boolean), locale);
  return h('div', { class: 'grid' }, rows.map((r) => {
    const id = idOf(r.course) ?? r.courseDocumentId;
    const course = courses.get(id) ?? (typeof r.course === 'object' ? r.course : null);
    if (!course?.slug) return null;
    const pct = Number(r.percentage ?? r.progress?.percentage ?? 0);
    const next = r.next ?? r.nextChapter;
    const nextId = idOf(next);
    const extra = h('div', { class: 'card-extra' },
      pct >= 100 || r.complete
        ? h('p', { class: 'owned' }, icon('award'), t('library.finished'))
        : nextId ? h('a', { class: 'button button-primary button-small', href: href(`/course/${encodeURIComponent(course.slug)}/chapter/${encodeURIComponent(nextId)}`) },
          next?.title ? t('library.nextChapter', { title: next.title }) : t('course.continue')) : null,
      r.lastActivityAt || r.updatedAt ? h('p', { class: 'card-meta' }, t('library.lastActivity', { date: formatDate(r.lastActivityAt ?? r.updatedAt) })) : null);
    return courseCard(course, { progress: pct, extra });
  }));
}

/** @param {any[]} entitlements @param {any[]} progressRows @param {string} locale */
async function coursesBody(entitlements, progressRows, locale) {
  const byCourse = new Map();
  for (const e of entitlements) {
    const id = idOf(e.course) ?? e.courseDocumentId;
    if (id && !byCourse.has(id)) byCourse.set(id, e);
  }
  // Free courses the learner has started carry no entitlement: they are theirs all the same.
  const started = progressRows.map((r) => idOf(r.course) ?? r.courseDocumentId).filter((id) => id && !byCourse.has(id));
  if (started.length) {
    const startedCourses = await api.coursesByIds(started, locale);
    for (const id of started) if (startedCourses.get(id)?.access === 'free') byCourse.set(id, { source: 'free' });
  }
  if (!byCourse.size) {
    // A subscriber owns no single course, yet reads every subscription course: say so.
    const subscribed = entitlements.some((e) => idOf(e.plan) || e.planDocumentId);
    return subscribed
      ? empty(t('library.subscriberCourses'), h('a', { class: 'button button-secondary', href: href('/', { access: 'subscription' }) }, t('library.browseSubscription')))
      : empty(t('library.noCourses'), h('a', { class: 'button button-secondary', href: href('/') }, t('nav.catalogue')));
  }
  const courses = await api.coursesByIds([...byCourse.keys()], locale);
  return h('div', { class: 'grid' }, [...byCourse.entries()].map(([id, e]) => {
    const course = courses.get(id);
    if (!course) return null;
    return courseCard(course, { extra: h('p', { class: 'card-meta entitlement', dataset: { source: e.source } },
      icon('check'), t(`library.source.${e.source}`),
      e.validUntil ? ` · ${t('library.validUntil', { date: formatDate(e.validUntil) })}` : '') });
  }));
}

/** @param {any[]} entitlements @param {string} locale */
async function subscriptionBody(entitlements, locale) {
  const subs = entitlements.filter((e) => e.source === 'subscription' || idOf(e.plan) || e.planDocumentId);
  const box = h('div', { class: 'subscription' });
  if (!subs.length) {
    replace(box, h('p', null, t('library.noSubscription')), h('a', { class: 'button button-secondary', href: href('/plans') }, t('library.seePlans')));
    return box;
  }
  const plans = await api.listPlans(locale).catch(() => []);
  const planById = new Map(plans.map((/** @type {any} */ p) => [p.documentId, p]));
  const status = h('div', { class: 'portal-status', 'aria-live': 'polite' });
  const portal = /** @type {HTMLButtonElement} */ (h('button', {
    type: 'button',
    class: 'button button-secondary',
    dataset: { action: 'portal' },
    onclick: async () => {
      portal.disabled = true;
      try {
        const res = await api.openCustomerPortal(`${location.origin}${location.pathname}#/library`);
        const url = typeof res?.url === 'string' ? new URL(res.url, location.href) : null;
        if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new api.ApiError(502, 'No portal URL was returned.');
        location.assign(url.toString());
      } catch (err) {
        portal.disabled = false;
        replace(status, notice(t('library.portalUnavailable', { message: err instanceof Error ? err.message : String(err) }), 'warning'));
      }
    },
  }, t('library.manage')));
  replace(box,
    h('ul', { class: 'plain-list' }, subs.map((e) => {
      const planId = idOf(e.plan) ?? e.planDocumentId;
      const plan = planById.get(planId) ?? (typeof e.plan === 'object' ? e.plan : null);
      return h('li', { class: 'subscription-row' },
        h('p', { class: 'subscription-name' }, plan?.name ?? t('library.allAccess')),
        plan?.price ? h('p', { class: 'card-meta' }, `${formatPrice(plan.price, plan.currency)} ${plan.interval === 'year' ? t('plans.year') : t('plans.month')}`) : null,
        h('p', { class: 'card-meta' },
          h('span', { class: `status status-${e.status}` }, t(`library.status.${e.status}`)),
          ' · ',
          e.validUntil ? t('library.validUntil', { date: formatDate(e.validUntil) }) : t('library.noEnd')));
    })),
    portal,
    status);
  return box;
}

async function certificatesBody() {
  const certificates = await api.myCertificates();
  if (!certificates.length) return empty(t('library.noCertificates'));
  const locale = getLocale();
  return h('ul', { class: 'plain-list certificates' }, certificates.map((/** @type {any} */ c) => {
    const code = encodeURIComponent(String(c.code ?? ''));
    const revoked = c.status === 'revoked';
    return h('li', { class: ['certificate', revoked ? 'is-revoked' : null], dataset: { code: c.code } },
      icon('award'),
      h('div', null,
        h('p', { class: 'certificate-title' }, c.course?.title ?? ''),
        h('p', { class: 'card-meta' },
          formatDate(c.completedAt ?? c.issuedAt),
          revoked ? h('span', { class: 'status status-revoked' }, ` · ${t('library.revoked')}${c.revokedReason ? `: ${c.revokedReason}` : ''}`) : null)),
      code ? h('div', { class: 'certificate-links' },
        h('a', { href: `/api/certificates/${code}`, target: '_blank', rel: 'noopener' }, t('library.verify')),
        h('a', { href: `/api/certificates/${code}/pdf?locale=${encodeURIComponent(locale)}`, target: '_blank', rel: 'noopener' }, t('library.download'))) : null);
  }));
}
