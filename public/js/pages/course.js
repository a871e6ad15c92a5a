/**
 * A course: summary, instructor, price and the way to buy or subscribe, the chapter list with a
 * lock on each chapter the reader cannot open yet, and similar courses.
 *
 * API: GET /api/courses?filters[slug][$eq]=… (with chapters; the paywall marks each `locked`),
 *      GET /api/paywall/courses/:documentId/access, GET /api/progress/courses/:documentId,
 *      GET /api/recommendations/courses/:documentId/similar, POST /api/recommendations/events.
 */

import { h, icon, replace } from '../dom.js';
import { t, getLocale, formatDuration, chapterCount, formatDate } from '../i18n.js';
import * as api from '../api.js';
import { courseCard, coverArt, priceText, loading, empty, errorState, unavailable, notice, progressBar, withExtraPrices } from '../components.js';
import { shownPrice } from '../currency.js';
import { renderMarkdown } from '../markdown.js';
import { href } from '../router.js';
import { isLoggedIn } from '../session.js';
import { setTitle } from '../shell.js';
import { checkoutButton } from '../checkout.js';
import { communitySection, ratingBadge } from '../community.js';

/**
 * The course in the reader's language, or in English when it has no translation (with a note).
 * @param {string} slug
 * @returns {Promise<{ course: any, fallback: boolean }>}
 */
export async function loadCourse(slug) {
  const locale = getLocale();
  const course = await api.getCourseBySlug(slug, locale);
  if (course || locale === 'en') return { course, fallback: false };
  return { course: await api.getCourseBySlug(slug, 'en'), fallback: true };
}

/**
 * What the reader may do with this course. The paywall's verdict when it answers; otherwise what
 * the chapter list says (a chapter the server sent with `locked: false` that is not a preview
 * means the course is open to this reader).
 * @param {any} course
 * @returns {Promise<{ allowed: boolean, via: string | null }>}
 */
async function loadAccess(course) {
  if (course.access === 'free') return { allowed: true, via: 'free' };
  if (isLoggedIn()) {
    try {
      const verdict = api.readVerdict(await api.courseAccess(course.documentId));
      return { allowed: verdict.allowed, via: verdict.via };
    } catch {
      /* fall back to the chapter list */
    }
  }
  const chapters = Array.isArray(course.chapters) ? course.chapters : [];
  const open = chapters.some((/** @type {any} */ c) => !c.isPreview && c.locked === false);
  return { allowed: open, via: null };
}

/** @param {import('../router.js').PageContext} ctx */
export async function render(ctx) {
  const { main, signal, params, query } = ctx;
  replace(main, loading());
  let loaded;
  try {
    loaded = await loadCourse(params.slug ?? '');
  } catch (err) {
    if (signal.aborted) return;
    replace(main, errorState(err, () => void render(ctx)));
    return;
  }
  if (signal.aborted) return;
  const { course, fallback } = loaded;
  if (!course) {
    setTitle(t('course.notFound'));
    replace(main, h('section', { class: 'narrow state-page' },
      h('h1', null, t('course.notFound')),
      h('p', null, t('course.notFoundText')),
      h('a', { class: 'button button-primary', href: href('/') }, t('common.goHome'))));
    return;
  }
  setTitle(course.title);

  const [access, progress] = await Promise.all([
    loadAccess(course),
    isLoggedIn() ? api.courseProgress(course.documentId, getLocale()).then(api.readCourseProgress).catch(() => null) : Promise.resolve(null),
  ]);
  if (signal.aborted) return;
  if (isLoggedIn()) api.recordInteraction(course.documentId, 'view').catch(() => undefined); // a signal, never a blocker

  const chapters = [...(course.chapters ?? [])].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  const totalMinutes = chapters.reduce((sum, c) => sum + (Number(c.duration) || 0), 0);
  const similar = h('section', { class: 'section similar', 'aria-labelledby': 'similar-title' },
    h('h2', { id: 'similar-title' }, t('course.similar')), loading());

  replace(main,
    h('nav', { class: 'breadcrumbs', 'aria-label': t('nav.breadcrumb') },
      h('ol', null,
        h('li', null, h('a', { href: href('/') }, t('nav.catalogue'))),
        course.category ? h('li', null, h('a', { href: href('/', { category: course.category.slug }) }, course.category.name)) : null,
        h('li', null, h('span', { 'aria-current': 'page' }, course.title)))),
    fallback ? notice(t('course.notTranslated'), 'info') : null,
    query.get('checkout') === 'cancel' ? notice(t('course.checkoutCancelled'), 'warning') : null,
    h('article', { class: 'course', dataset: { documentId: course.documentId } },
      h('header', { class: 'course-hero' },
        coverArt(course, 'hero'),
        h('div', { class: 'course-intro' },
          h('p', { class: 'eyebrow' }, [course.category?.name, course.level ? t(`level.${course.level}`) : null].filter(Boolean).join(' · ')),
          h('h1', { lang: fallback ? 'en' : undefined }, course.title),
          course.summary ? h('p', { class: 'course-summary', lang: fallback ? 'en' : undefined }, course.summary) : null,
          h('ul', { class: 'facts' },
            h('li', null, icon('book'), chapterCount(chapters.length)),
            totalMinutes ? h('li', null, icon('clock'), formatDuration(totalMinutes)) : null,
            course.instructor ? h('li', null, icon('user'), t('common.by', { name: course.instructor.name })) : null,
            course.rating?.count ? h('li', null, ratingBadge(course.rating)) : null),
          course.tags?.length ? h('ul', { class: 'tag-list' }, course.tags.map((/** @type {any} */ tag) =>
            h('li', null, h('a', { class: 'tag', href: href('/', { tag: tag.slug }) }, tag.name)))) : null)),
      h('div', { class: 'course-layout' },
        h('div', { class: 'course-main' },
          course.description ? h('section', { class: 'section prose', 'aria-labelledby': 'about-title', lang: fallback ? 'en' : undefined },
            h('h2', { id: 'about-title' }, t('course.about')),
            renderMarkdown(course.description, { headingOffset: 2 })) : null,
          chapterList(course, chapters, access, progress, fallback),
          course.instructor ? h('section', { class: 'section instructor', 'aria-labelledby': 'instructor-title' },
            h('h2', { id: 'instructor-title' }, t('course.instructor')),
            h('div', { class: 'instructor-card' },
              course.instructor.avatar?.url
                ? h('img', { class: 'avatar', src: course.instructor.avatar.url, alt: '' })
                : h('span', { class: 'avatar avatar-initials', 'aria-hidden': 'true' }, initials(course.instructor.name)),
              h('div', null,
                h('p', { class: 'instructor-name' }, course.instructor.name),
                course.instructor.bio ? h('p', { class: 'instructor-bio' }, course.instructor.bio) : null))) : null,
          communitySection(course)),
        buyBox(course, chapters, access, progress))),
    similar);

  await loadSimilar(similar, course, signal);
}

/** @param {string} name */
function initials(name) {
  return String(name ?? '').split(/\s+/).filter(Boolean).slice(0, 2).map((p) => Array.from(p)[0]).join('').toUpperCase();
}

/**
 * The chapters, in order. A locked chapter shows a lock and its title only (the server sent
 * nothing else); a readable one links to the reader; previews say so.
 * @param {any} course @param {any[]} chapters
 * @param {{ allowed: boolean }} access
 * @param {ReturnType<typeof api.readCourseProgress> | null} progress
 * @param {boolean} fallback
 */
function chapterList(course, chapters, access, progress, fallback) {
  const anyLocked = chapters.some((c) => c.locked === true);
  return h('section', { class: 'section', 'aria-labelledby': 'chapters-title' },
    h('div', { class: 'section-head' },
      h('h2', { id: 'chapters-title' }, t('course.chapters')),
      progress && progress.percentage > 0 ? progressBar(progress.percentage) : null),
    course.access === 'free' ? h('p', { class: 'section-note' }, t('course.freeCourse')) : null,
    anyLocked && !access.allowed ? h('p', { class: 'section-note' }, icon('lock'), course.access === 'subscription' ? t('course.lockedHintSub') : t('course.lockedHint')) : null,
    chapters.length === 0 ? empty('—') : h('ol', { class: 'chapter-list', lang: fallback ? 'en' : undefined },
      chapters.map((c, index) => {
        const locked = c.locked === true;
        const done = progress?.completed.has(c.documentId) ?? false;
        const state = locked ? 'locked' : done ? 'completed' : c.isPreview ? 'preview' : 'open';
        const title = locked
          ? h('span', { class: 'chapter-title' }, c.title)
          : h('a', { class: 'chapter-title', href: href(`/course/${encodeURIComponent(course.slug)}/chapter/${encodeURIComponent(c.documentId)}`) }, c.title);
        return h('li', { class: `chapter chapter-${state}`, dataset: { chapter: c.documentId, state } },
          h('span', { class: 'chapter-index', 'aria-hidden': 'true' }, String(index + 1)),
          h('span', { class: 'chapter-icon' },
            locked ? icon('lock') : done ? icon('check') : c.isPreview ? icon('eye') : icon('unlock')),
          h('span', { class: 'chapter-text' },
            title,
            h('span', { class: 'chapter-badges' },
              locked && c.unlocksAt
                ? h('span', { class: 'badge badge-locked', dataset: { unlocksAt: c.unlocksAt } }, t('course.opensOn', { date: formatDate(c.unlocksAt) }))
                : locked ? h('span', { class: 'badge badge-locked' }, t('course.locked')) : null,
              c.isPreview ? h('span', { class: 'badge badge-preview' }, t('course.preview')) : null,
              done ? h('span', { class: 'badge badge-done' }, t('course.completed')) : null,
              c.optional ? h('span', { class: 'badge' }, t('course.optional')) : null)),
          c.duration ? h('span', { class: 'chapter-duration' }, formatDuration(c.duration)) : null);
      })));
}

/**
 * The box beside the course: price and the one action that fits the reader.
 * @param {any} course @param {any[]} chapters
 * @param {{ allowed: boolean, via: string | null }} access
 * @param {ReturnType<typeof api.readCourseProgress> | null} progress
 */
function buyBox(course, chapters, access, progress) {
  const slug = encodeURIComponent(course.slug);
  const chapterHref = (/** @type {string} */ id) => href(`/course/${slug}/chapter/${encodeURIComponent(id)}`);
  const firstOpen = chapters.find((c) => c.locked !== true);
  const nextId = progress?.next && chapters.some((c) => c.documentId === progress.next) ? progress.next : firstOpen?.documentId;
  const preview = chapters.find((c) => c.isPreview && c.locked !== true);
  const loggedIn = isLoggedIn();
  const like = likeButton(course);

  /** @type {Node[]} */
  const parts = [];
  if (access.allowed) {
    const known = ['purchase', 'subscription', 'grant', 'instructor', 'free'];
    parts.push(h('p', { class: 'owned' }, icon('check'), t(access.via && known.includes(access.via) ? `course.ownedVia.${access.via}` : 'course.owned')));
    if (nextId) {
      parts.push(h('a', { class: 'button button-primary button-large', href: chapterHref(nextId), dataset: { action: 'start' } },
        progress && progress.percentage > 0 ? t('course.continue') : t('course.start')));
    }
  } else if (course.access === 'paid') {
    const label = t('course.buy', { price: priceText(course) });
    // The price on the button is the price charged: an extra price is asked for by its currency.
    const shown = shownPrice(course);
    parts.push(loggedIn
      ? checkoutButton(label, { course: course.documentId, slug: course.slug, ...(shown.extra ? { currency: shown.currency } : {}) })
      : h('a', { class: 'button button-primary button-large', href: href('/login', { next: `/course/${course.slug}` }), dataset: { action: 'login-to-buy' } }, t('course.loginToBuy')));
  } else if (course.access === 'subscription') {
    parts.push(h('a', { class: 'button button-primary button-large', href: loggedIn ? href('/plans', { course: course.slug }) : href('/login', { next: `/plans?course=${course.slug}` }), dataset: { action: 'subscribe' } },
      loggedIn ? t('course.subscribe') : t('course.loginToSubscribe')));
  }
  if (!access.allowed && preview) {
    parts.push(h('a', { class: 'button button-secondary', href: chapterHref(preview.documentId) }, icon('eye'), t('course.readPreview')));
  }

  return h('aside', { class: 'buy-box', 'aria-label': priceText(course) },
    h('p', { class: `buy-price price-${course.access}`, dataset: course.access === 'paid' ? { currency: shownPrice(course).currency } : {} }, priceText(course)),
    h('p', { class: 'buy-access' }, t(`access.${course.access}`)),
    progress && progress.percentage > 0 ? progressBar(progress.percentage) : null,
    parts,
    like);
}

/**
 * "Like" tells the recommender about a taste; logged-in readers only. A toggle: its state is read
 * from the server (kept across reloads), a second press takes the like back.
 * @param {any} course
 */
function likeButton(course) {
  if (!isLoggedIn()) return null;
  const status = h('span', { class: 'like-status', 'aria-live': 'polite' });
  const show = (/** @type {boolean} */ liked) => {
    button.setAttribute('aria-pressed', liked ? 'true' : 'false');
    replace(button, icon(liked ? 'check' : 'sparkle'), t(liked ? 'course.liked' : 'course.like'));
  };
  const button = /** @type {HTMLButtonElement} */ (h('button', {
    type: 'button',
    class: 'button button-ghost like',
    'aria-pressed': 'false',
    onclick: async () => {
      const liked = button.getAttribute('aria-pressed') === 'true';
      button.disabled = true;
      try {
        if (liked) await api.unlike(course.documentId);
        else await api.recordInteraction(course.documentId, 'like');
        show(!liked);
        status.textContent = t(liked ? 'course.unliked' : 'course.liked');
      } catch (err) {
        status.textContent = err instanceof api.ApiError && (err.unavailable || err.status === 405)
          ? t('common.sectionUnavailable')
          : err instanceof Error ? err.message : String(err);
      } finally {
        button.disabled = false;
      }
    },
  }, icon('sparkle'), t('course.like')));
  api.likeState(course.documentId).then(show, () => undefined); // the state is a nicety: the button works without it
  return h('div', { class: 'like-row' }, button, status);
}

/** @param {HTMLElement} section @param {any} course @param {AbortSignal} signal */
async function loadSimilar(section, course, signal) {
  let body;
  try {
    const items = await api.similarCourses(course.documentId, 4, getLocale());
    await withExtraPrices(items.map((r) => r.course), signal);
    if (signal.aborted) return;
    body = items.length
      ? h('div', { class: 'grid grid-4' }, items.map((r) => courseCard(r.course, { reasons: r.reasons })))
      : empty(t('course.similarEmpty'));
  } catch (err) {
    if (signal.aborted) return;
    body = err instanceof api.ApiError && (err.unavailable || err.status >= 500) ? unavailable(t('common.sectionUnavailable')) : errorState(err);
  }
  section.lastElementChild?.remove();
  section.appendChild(body);
}
