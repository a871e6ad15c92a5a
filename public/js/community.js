/**
 * The community on the storefront: a course's rating (stars on cards and the course page), its
 * reviews with the instructor's replies, a review form for eligible learners, and its questions
 * and answers with an ask form. Every post is plain text: it reaches the page through text nodes
 * (see dom.js), and the only links drawn are http(s) addresses found in it, marked
 * `rel="nofollow ugc"` so that crawlers do not follow them.
 *
 * API: GET /api/community/courses/:documentId/reviews, GET …/reviews/mine,
 *      POST/PATCH/DELETE …/reviews[/:id], GET/POST /api/community/courses/:documentId/questions,
 *      and `rating` on every /api/courses entry.
 */

import { h, replace } from './dom.js';
import { getLocale, formatDate } from './i18n.js';
import { request, ApiError } from './api.js';
import { isLoggedIn } from './session.js';

/** @type {Record<string, Record<string, string>>} */
const STRINGS = {
  en: {
    reviews: 'Reviews',
    questions: 'Questions and answers',
    noReviews: 'No reviews yet.',
    noQuestions: 'No questions yet.',
    ratingOf: '{avg} out of 5, {count} ratings',
    ratingCount: '({count})',
    yourReview: 'Your review',
    rate: 'Rate this course',
    stars: 'Stars',
    text: 'Your review (optional, plain text)',
    submit: 'Post review',
    save: 'Save changes',
    remove: 'Delete my review',
    refunded: 'refunded',
    hidden: 'Hidden by an editor: {reason}',
    reply: 'Reply from the instructor',
    ask: 'Ask a question',
    askPlaceholder: 'Your question (plain text)',
    askSubmit: 'Ask',
    chapter: 'About',
    wholeCourse: 'The whole course',
    answers: '{count} answers',
    accepted: 'accepted',
    instructor: 'instructor',
    loginToPost: 'Log in to rate the course or ask a question.',
    posted: 'Thank you: posted.',
    error: 'Could not post: {message}',
  },
  'zh-Hans': {
    reviews: '评价',
    questions: '问答',
    noReviews: '还没有评价。',
    noQuestions: '还没有问题。',
    ratingOf: '{avg} / 5 分，共 {count} 个评分',
    ratingCount: '（{count}）',
    yourReview: '我的评价',
    rate: '为本课程评分',
    stars: '星级',
    text: '评价内容（可选，纯文本）',
    submit: '发布评价',
    save: '保存修改',
    remove: '删除我的评价',
    refunded: '已退款',
    hidden: '已被编辑隐藏：{reason}',
    reply: '讲师回复',
    ask: '提问',
    askPlaceholder: '你的问题（纯文本）',
    askSubmit: '提问',
    chapter: '关于',
    wholeCourse: '整门课程',
    answers: '{count} 个回答',
    accepted: '已采纳',
    instructor: '讲师',
    loginToPost: '登录后可评分或提问。',
    posted: '谢谢，已发布。',
    error: '发布失败：{message}',
  },
};

/** @param {string} key @param {Record<string, string | number>} [vars] */
function tc(key, vars) {
  const template = STRINGS[getLocale()]?.[key] ?? STRINGS.en[key] ?? key;
  return vars ? template.replace(/\{(\w+)\}/g, (_, n) => (n in vars ? String(vars[n]) : `{${n}}`)) : template;
}

/**
 * Plain text with its http(s) links as anchors that crawlers do not follow; everything else stays
 * text. Mirrors `splitLinks` in plugins/community/server/src/domain/text.ts.
 * @param {string} text
 * @returns {Node[]}
 */
export function textWithLinks(text) {
  /** @type {Node[]} */
  const out = [];
  const re = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    const at = m.index ?? 0;
    if (at > last) out.push(document.createTextNode(text.slice(last, at)));
    out.push(h('a', { href: m[0], rel: 'nofollow ugc noopener', target: '_blank' }, m[0]));
    last = at + m[0].length;
  }
  if (last < text.length) out.push(document.createTextNode(text.slice(last)));
  return out;
}

/** Paragraphs of plain text (blank lines split them; single newlines stay). @param {string} text */
function paragraphs(text) {
  return text.split(/\n{2,}/).map((p) => h('p', { class: 'post-text' }, textWithLinks(p)));
}

/** ★★★★☆ for a value 0–5 (rounded to the nearest half is not drawn: whole stars). @param {number} value */
function starGlyphs(value) {
  const full = Math.round(value);
  return '★'.repeat(full) + '☆'.repeat(5 - full);
}

/**
 * Stars for a course card: "★ 4.6 (120)"; nothing while nobody has rated.
 * @param {{ average: number | null, count: number } | null | undefined} rating
 */
export function ratingBadge(rating) {
  if (!rating || !rating.count || rating.average === null) return null;
  return h('span', { class: 'rating-badge', 'aria-label': tc('ratingOf', { avg: rating.average, count: rating.count }) },
    h('span', { class: 'stars', 'aria-hidden': 'true' }, '★'),
    h('span', { class: 'rating-average' }, rating.average.toFixed(1)),
    h('span', { class: 'rating-count' }, tc('ratingCount', { count: rating.count })));
}

/** @param {{ average: number | null, count: number, histogram: Record<string, number> }} rating */
function ratingSummary(rating) {
  if (!rating || !rating.count) return h('p', { class: 'section-note' }, tc('noReviews'));
  const max = Math.max(1, ...Object.values(rating.histogram));
  return h('div', { class: 'rating-summary' },
    h('p', { class: 'rating-big', 'aria-label': tc('ratingOf', { avg: rating.average ?? 0, count: rating.count }) },
      h('span', { class: 'rating-average' }, (rating.average ?? 0).toFixed(1)),
      h('span', { class: 'stars', 'aria-hidden': 'true' }, starGlyphs(rating.average ?? 0)),
      h('span', { class: 'rating-count' }, tc('ratingCount', { count: rating.count }))),
    h('ol', { class: 'histogram', reversed: true },
      ['5', '4', '3', '2', '1'].map((s) => h('li', null,
        h('span', { class: 'histogram-label' }, `${s}★`),
        h('span', { class: 'histogram-bar' }, h('span', { class: 'histogram-fill', style: `width:${Math.round(((rating.histogram[s] ?? 0) / max) * 100)}%` })),
        h('span', { class: 'histogram-n' }, String(rating.histogram[s] ?? 0))))));
}

/** @param {any} r */
function reviewItem(r) {
  return h('li', { class: 'review', dataset: { review: String(r.id) } },
    h('p', { class: 'review-head' },
      h('span', { class: 'stars', 'aria-label': `${r.stars}/5` }, starGlyphs(r.stars)),
      h('span', { class: 'review-author' }, r.author?.name ?? ''),
      h('span', { class: 'review-date' }, formatDate(r.createdAt)),
      r.refunded ? h('span', { class: 'badge' }, tc('refunded')) : null),
    r.text ? paragraphs(r.text) : null,
    r.reply ? h('div', { class: 'review-reply' }, h('p', { class: 'reply-label' }, tc('reply')), paragraphs(r.reply.text)) : null);
}

/** @param {any} a */
function answerItem(a) {
  return h('li', { class: `answer${a.accepted ? ' answer-accepted' : ''}` },
    h('p', { class: 'review-head' },
      h('span', { class: 'review-author' }, a.author?.name ?? ''),
      a.byInstructor ? h('span', { class: 'badge' }, tc('instructor')) : null,
      a.accepted ? h('span', { class: 'badge badge-done' }, tc('accepted')) : null),
    paragraphs(a.text),
    a.replies?.length ? h('ul', { class: 'replies' }, a.replies.map(answerItem)) : null);
}

/** @param {any} q @param {Map<string, string>} chapterTitles */
function questionItem(q, chapterTitles) {
  return h('li', { class: 'question', dataset: { question: String(q.id) } },
    h('p', { class: 'review-head' },
      h('span', { class: 'review-author' }, q.author?.name ?? ''),
      q.chapterDocumentId ? h('span', { class: 'badge' }, chapterTitles.get(q.chapterDocumentId) ?? '') : null,
      h('span', { class: 'review-date' }, formatDate(q.createdAt))),
    paragraphs(q.text),
    q.answers?.length ? h('ul', { class: 'answers' }, q.answers.map(answerItem)) : null);
}

/**
 * The review form: new review, or the learner's own one to edit or delete. Shown only when the
 * server says the learner may rate (or already did).
 * @param {any} course @param {() => void} refresh
 */
async function reviewForm(course, refresh) {
  if (!isLoggedIn()) return h('p', { class: 'section-note' }, tc('loginToPost'));
  const base = `/community/courses/${encodeURIComponent(course.documentId)}/reviews`;
  /** @type {any} */
  let mine;
  try {
    mine = await request(`${base}/mine`);
  } catch {
    return null;
  }
  const own = mine.data;
  if (!own && !mine.meta.eligible) return h('p', { class: 'section-note', dataset: { reason: mine.meta.reason ?? '' } }, mine.meta.message ?? '');
  const status = h('p', { class: 'form-status', role: 'status' });
  const select = /** @type {HTMLSelectElement} */ (h('select', { name: 'stars', required: true },
    [5, 4, 3, 2, 1].map((n) => h('option', { value: String(n), selected: own ? own.stars === n : n === 5 }, `${starGlyphs(n)} ${n}`))));
  const area = /** @type {HTMLTextAreaElement} */ (h('textarea', { name: 'text', rows: '4', maxlength: '4000' }));
  area.value = own?.text ?? '';
  const form = h('form', {
    class: 'community-form review-form',
    onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      const body = { stars: Number(select.value), text: area.value.trim() ? area.value : null };
      try {
        await request(own ? `${base}/${own.id}` : base, { method: own ? 'PATCH' : 'POST', body });
        status.textContent = tc('posted');
        refresh();
      } catch (err) {
        status.textContent = tc('error', { message: err instanceof ApiError ? err.message : String(err) });
      }
    },
  },
  h('h3', null, own ? tc('yourReview') : tc('rate')),
  own && own.state === 'hidden' ? h('p', { class: 'notice notice-warning' }, tc('hidden', { reason: own.hiddenReason ?? '' })) : null,
  h('label', null, tc('stars'), select),
  h('label', null, tc('text'), area),
  h('div', { class: 'form-actions' },
    h('button', { type: 'submit', class: 'button button-primary' }, own ? tc('save') : tc('submit')),
    own ? h('button', {
      type: 'button',
      class: 'button button-ghost',
      onclick: async () => {
        try {
          await request(`${base}/${own.id}`, { method: 'DELETE' });
          refresh();
        } catch (err) {
          status.textContent = tc('error', { message: err instanceof ApiError ? err.message : String(err) });
        }
      },
    }, tc('remove')) : null),
  status);
  return form;
}

/** @param {any} course @param {() => void} refresh */
function askForm(course, refresh) {
  if (!isLoggedIn()) return null;
  const status = h('p', { class: 'form-status', role: 'status' });
  const area = /** @type {HTMLTextAreaElement} */ (h('textarea', { name: 'question', rows: '3', maxlength: '4000', placeholder: tc('askPlaceholder'), required: true }));
  const chapters = (course.chapters ?? []).filter((/** @type {any} */ c) => c.locked !== true);
  const select = /** @type {HTMLSelectElement} */ (h('select', { name: 'chapter' },
    h('option', { value: '' }, tc('wholeCourse')),
    chapters.map((/** @type {any} */ c) => h('option', { value: c.documentId }, c.title))));
  return h('form', {
    class: 'community-form ask-form',
    onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      try {
        await request(`/community/courses/${encodeURIComponent(course.documentId)}/questions`, { method: 'POST', body: { text: area.value, ...(select.value ? { chapter: select.value } : {}) } });
        status.textContent = tc('posted');
        refresh();
      } catch (err) {
        status.textContent = tc('error', { message: err instanceof ApiError ? err.message : String(err) });
      }
    },
  },
  h('h3', null, tc('ask')),
  h('label', null, tc('chapter'), select),
  area,
  h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, tc('askSubmit'))),
  status);
}

/**
 * The course page's community sections (reviews, then questions), filled once loaded; a section
 * whose plugin is missing hides itself.
 * @param {any} course
 * @returns {HTMLElement}
 */
export function communitySection(course) {
  const reviews = h('section', { class: 'section community-reviews', 'aria-labelledby': 'reviews-title' }, h('h2', { id: 'reviews-title' }, tc('reviews')));
  const questions = h('section', { class: 'section community-questions', 'aria-labelledby': 'questions-title' }, h('h2', { id: 'questions-title' }, tc('questions')));
  const chapterTitles = new Map((course.chapters ?? []).map((/** @type {any} */ c) => [c.documentId, c.title]));
  const id = encodeURIComponent(course.documentId);

  const loadReviews = async () => {
    try {
      const res = await request(`/community/courses/${id}/reviews`, { query: { pageSize: 10 } });
      const form = await reviewForm(course, () => void loadReviews());
      replace(reviews, h('h2', { id: 'reviews-title' }, tc('reviews')),
        ratingSummary(res.meta.rating),
        res.data.length ? h('ul', { class: 'review-list' }, res.data.map(reviewItem)) : null,
        form);
    } catch (err) {
      if (err instanceof ApiError && err.unavailable) reviews.remove();
    }
  };
  const loadQuestions = async () => {
    try {
      const res = await request(`/community/courses/${id}/questions`, { query: { pageSize: 10 } });
      replace(questions, h('h2', { id: 'questions-title' }, tc('questions')),
        res.data.length ? h('ul', { class: 'question-list' }, res.data.map((/** @type {any} */ q) => questionItem(q, chapterTitles))) : h('p', { class: 'section-note' }, tc('noQuestions')),
        askForm(course, () => void loadQuestions()));
    } catch (err) {
      if (err instanceof ApiError && err.unavailable) questions.remove();
    }
  };
  void loadReviews();
  void loadQuestions();
  return h('div', { class: 'community' }, reviews, questions);
}
