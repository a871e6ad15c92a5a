/**
 * The chapter reader. An unlocked chapter shows its text (markdown, rendered safely), video and
 * attachments, and a "Mark as complete" button; a locked one shows a lock and the way to unlock
 * it — the server sent no content for it, so there is nothing to hide here.
 *
 * API: GET /api/chapters/:documentId?locale=…&populate=…, GET /api/courses?filters[slug]… (the
 *      chapter list), GET /api/progress/courses/:documentId, POST /api/progress { chapter, completed }.
 */

import { h, icon, replace } from '../dom.js';
import { t, getLocale, formatDuration, formatDate } from '../i18n.js';
import * as api from '../api.js';
import { loading, errorState, notice, progressBar } from '../components.js';
import { renderMarkdown } from '../markdown.js';
import { href } from '../router.js';
import { isLoggedIn } from '../session.js';
import { setTitle } from '../shell.js';
import { loadCourse } from './course.js';

/** @param {import('../router.js').PageContext} ctx */
export async function render(ctx) {
  const { main, signal, params } = ctx;
  const slug = params.slug ?? '';
  const chapterId = params.chapterId ?? '';
  replace(main, loading());

  let course;
  let chapter;
  let fallback = false;
  try {
    const loaded = await loadCourse(slug);
    course = loaded.course;
    fallback = loaded.fallback;
    chapter = course ? await api.getChapter(chapterId, fallback ? 'en' : getLocale()).catch((err) => {
      if (err instanceof api.ApiError && err.status === 404) return null;
      throw err;
    }) : null;
  } catch (err) {
    if (signal.aborted) return;
    replace(main, errorState(err, () => void render(ctx)));
    return;
  }
  if (signal.aborted) return;
  const chapterCourseSlug = chapter?.course?.slug;
  if (!course || !chapter || (chapterCourseSlug && chapterCourseSlug !== course.slug)) {
    setTitle(t('common.notFound'));
    replace(main, h('section', { class: 'narrow state-page' },
      h('h1', null, t('common.notFound')),
      h('p', null, t('common.notFoundText')),
      h('a', { class: 'button button-primary', href: course ? href(`/course/${encodeURIComponent(course.slug)}`) : href('/') }, course ? t('chapter.back') : t('common.goHome'))));
    return;
  }
  setTitle(`${chapter.title} — ${course.title}`);

  const chapters = [...(course.chapters ?? [])].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  const index = chapters.findIndex((c) => c.documentId === chapter.documentId);
  const prev = index > 0 ? chapters[index - 1] : null;
  const next = index >= 0 && index < chapters.length - 1 ? chapters[index + 1] : null;
  const locked = chapter.locked === true;
  const courseHref = href(`/course/${encodeURIComponent(course.slug)}`);
  const chapterHref = (/** @type {any} */ c) => href(`/course/${encodeURIComponent(course.slug)}/chapter/${encodeURIComponent(c.documentId)}`);

  const progressState = !locked && isLoggedIn()
    ? await api.courseProgress(course.documentId, getLocale()).then(api.readCourseProgress).catch((err) => err)
    : null;
  if (signal.aborted) return;

  replace(main,
    h('div', { class: 'reader-layout' },
      h('nav', { class: 'toc', 'aria-label': t('course.chapters') },
        h('a', { class: 'toc-back', href: courseHref }, icon('arrowLeft'), t('chapter.back')),
        h('p', { class: 'toc-course' }, course.title),
        h('ol', { class: 'toc-list' }, chapters.map((c) => h('li', { class: c.locked ? 'toc-locked' : undefined },
          c.locked
            ? h('span', null, icon('lock'), h('span', null, c.title), h('span', { class: 'sr-only' }, ` (${t('course.locked')})`))
            : h('a', { href: chapterHref(c), 'aria-current': c.documentId === chapter.documentId ? 'page' : undefined },
              progressState && !(progressState instanceof Error) && progressState.completed.has(c.documentId) ? icon('check') : icon(c.isPreview ? 'eye' : 'book'),
              h('span', null, c.title)))))),
      h('article', { class: 'reader', dataset: { chapter: chapter.documentId, locked: String(locked) }, lang: fallback ? 'en' : undefined },
        h('header', { class: 'reader-head' },
          h('p', { class: 'eyebrow' },
            t('chapter.position', { n: index >= 0 ? index + 1 : chapter.position ?? '' }),
            chapter.duration ? ` · ${formatDuration(chapter.duration)}` : '',
            chapter.isPreview ? h('span', { class: 'badge badge-preview' }, t('course.preview')) : null),
          h('h1', null, chapter.title)),
        locked ? (chapter.unlocksAt ? dripPanel(chapter, courseHref) : lockedPanel(course, courseHref)) : chapterContent(chapter, signal),
        !locked ? completion(course, chapter, progressState) : null,
        h('nav', { class: 'pager', 'aria-label': t('course.chapters') },
          prev ? h('a', { class: 'pager-link pager-prev', href: chapterHref(prev), rel: 'prev' },
            h('span', { class: 'pager-label' }, icon('arrowLeft'), t('chapter.prev')), h('span', { class: 'pager-title' }, prev.title)) : h('span'),
          next ? h('a', { class: 'pager-link pager-next', href: chapterHref(next), rel: 'next' },
            h('span', { class: 'pager-label' }, t('chapter.next'), icon('arrowRight')),
            h('span', { class: 'pager-title' }, next.locked ? icon('lock') : null, next.title)) : h('span')))));
}

/** A chapter of a course the learner has, released later (drip): the lock and its date. @param {any} chapter @param {string} courseHref */
function dripPanel(chapter, courseHref) {
  return h('section', { class: 'locked-panel', 'aria-labelledby': 'locked-title', dataset: { unlocksAt: chapter.unlocksAt } },
    h('span', { class: 'locked-icon' }, icon('lock')),
    h('h2', { id: 'locked-title' }, t('chapter.dripLocked', { date: formatDate(chapter.unlocksAt) })),
    h('p', null, t('chapter.dripText')),
    h('div', { class: 'actions' }, h('a', { class: 'button button-secondary', href: courseHref }, t('chapter.back'))));
}

/** @param {any} course @param {string} courseHref */
function lockedPanel(course, courseHref) {
  const loggedIn = isLoggedIn();
  return h('section', { class: 'locked-panel', 'aria-labelledby': 'locked-title' },
    h('span', { class: 'locked-icon' }, icon('lock')),
    h('h2', { id: 'locked-title' }, t('chapter.locked')),
    h('p', null, loggedIn ? t('chapter.lockedText') : t('chapter.lockedLogin')),
    h('div', { class: 'actions' },
      loggedIn ? null : h('a', { class: 'button button-primary', href: href('/login', { next: `/course/${course.slug}` }) }, t('nav.login')),
      h('a', { class: `button ${loggedIn ? 'button-primary' : 'button-secondary'}`, href: courseHref }, t('chapter.seeOptions'))));
}

/** @param {any} chapter @param {AbortSignal} signal */
function chapterContent(chapter, signal) {
  const video = chapter.video && typeof chapter.video.url === 'string' ? chapter.video : null;
  const attachments = Array.isArray(chapter.attachments) ? chapter.attachments.filter((/** @type {any} */ a) => a && typeof a.url === 'string') : [];
  const body = typeof chapter.body === 'string' && chapter.body.trim() ? withoutRepeatedTitle(chapter.body, chapter.title) : null;
  const videoBox = video ? h('figure', { class: 'video' }, loading()) : null;
  if (video && videoBox) {
    api.mediaUrl(video.url).then((src) => {
      if (signal.aborted) return;
      replace(videoBox,
        h('video', { controls: true, preload: 'metadata', src, 'aria-label': video.alternativeText || video.name || t('chapter.video') }),
        video.alternativeText ? h('figcaption', null, video.alternativeText) : null);
    }).catch(() => {
      if (!signal.aborted) replace(videoBox, notice(t('chapter.videoUnavailable'), 'warning'));
    });
  }
  return h('div', { class: 'reader-body' },
    videoBox,
    body ? h('div', { class: 'prose chapter-body' }, renderMarkdown(body, { headingOffset: 1 })) : h('p', { class: 'state' }, t('chapter.empty')),
    attachments.length ? h('section', { class: 'attachments', 'aria-labelledby': 'attachments-title' },
      h('h2', { id: 'attachments-title' }, t('chapter.attachments')),
      h('ul', null, attachments.map((/** @type {any} */ a) => h('li', null, attachmentLink(a))))) : null);
}

/**
 * Chapter bodies often open with their own title as a heading; the page already shows it as h1.
 * @param {string} body @param {string} title
 */
function withoutRepeatedTitle(body, title) {
  const m = body.match(/^\s*#{1,6}\s+(.+?)\s*#*\s*(?:\n|$)/);
  return m && m[1]?.trim() === String(title ?? '').trim() ? body.slice(m[0].length) : body;
}

/** Gated files need the JWT: they are fetched, then saved from a blob URL. @param {any} file */
function attachmentLink(file) {
  const name = String(file.name ?? 'file');
  return h('a', {
    href: file.url,
    download: name,
    onclick: async (/** @type {MouseEvent} */ e) => {
      if (!String(file.url).startsWith('/api/paywall/media/') || /[?&]s=/.test(String(file.url))) return; // public or signed: a plain link works
      e.preventDefault();
      try {
        const url = await api.mediaUrl(file.url);
        const a = h('a', { href: url, download: name });
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      } catch (err) {
        alert(err instanceof Error ? err.message : String(err));
      }
    },
  }, icon('file'), name);
}

/**
 * "Mark as complete": saved on the server, and the page says so. Anonymous readers of a preview
 * are invited to log in; an unavailable progress service is said plainly.
 * @param {any} course @param {any} chapter
 * @param {ReturnType<typeof api.readCourseProgress> | Error | null} progressState
 */
function completion(course, chapter, progressState) {
  if (!isLoggedIn()) {
    return h('section', { class: 'completion' },
      h('p', null, t('chapter.loginToTrack'), ' ',
        h('a', { href: href('/login', { next: `/course/${course.slug}/chapter/${chapter.documentId}` }) }, t('nav.login'))));
  }
  if (progressState instanceof api.ApiError && progressState.unavailable) {
    return h('section', { class: 'completion' }, h('p', { class: 'state state-unavailable' }, t('chapter.progressUnavailable')));
  }
  const initial = progressState && !(progressState instanceof Error) ? progressState : null;
  let completed = initial?.completed.has(chapter.documentId) ?? false;
  const status = h('p', { class: 'completion-status', role: 'status' });
  const bar = h('div', { class: 'completion-bar' }, initial ? progressBar(initial.percentage) : null);
  const button = /** @type {HTMLButtonElement} */ (h('button', {
    type: 'button',
    class: 'button',
    id: 'mark-complete',
    onclick: async () => {
      button.disabled = true;
      try {
        const saved = await api.recordProgress(chapter.documentId, !completed, getLocale());
        completed = !completed;
        paint();
        status.textContent = saved?.meta?.certificate?.issued ? t('chapter.certificate') : t('chapter.saved');
        const fresh = await api.courseProgress(course.documentId, getLocale()).then(api.readCourseProgress).catch(() => null);
        if (fresh) replace(bar, progressBar(fresh.percentage));
      } catch (err) {
        status.textContent = err instanceof api.ApiError && err.unavailable
          ? t('chapter.progressUnavailable')
          : t('common.error', { message: err instanceof Error ? err.message : String(err) });
      } finally {
        button.disabled = false;
      }
    },
  }));
  const done = h('span', { class: 'completion-done' }, icon('check'), t('course.completed'));
  // The label says what the button will do; the state is said beside it.
  const paint = () => {
    button.className = completed ? 'button button-secondary' : 'button button-primary';
    button.dataset.completed = String(completed);
    replace(button, completed ? t('chapter.markIncomplete') : [icon('check'), t('chapter.markComplete')]);
    done.hidden = !completed;
    button.closest('article')?.classList.toggle('is-completed', completed);
  };
  paint();
  return h('section', { class: 'completion' },
    h('div', { class: 'completion-row' },
      done,
      button),
    bar,
    status);
}
