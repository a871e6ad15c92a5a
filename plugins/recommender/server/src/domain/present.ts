/**
 * Reasons as the API shows them: structured (so a frontend can render its own words) and with a
 * ready message in the response's locale (English, or Simplified Chinese for zh-Hans).
 *
 * A reason names only what is true of the recommended course and readable (`termNamer`): its own
 * tags and category (by their name in the reader's locale, else the default locale's), and words
 * that occur in the title or summary it is shown with, as written there. Never a character bigram
 * (the index's unit for Chinese text), a number, a stop word or a word of another locale's text; a
 * reason left with no term to name is dropped.
 */
import { tokenize } from './text';
import { TERM_PREFIX } from './tfidf';
import type { Reason } from './reasons';
import { pickLocale, type Cover, type CourseCard } from './catalogue';
import type { Recommendation } from './engine';

export interface TermLabel {
  key: string;
  label: string;
}

export interface CourseRef {
  documentId: string;
  title: string;
  slug: string;
}

export type ApiReason =
  | { type: 'shared-terms'; terms: TermLabel[]; message: string }
  | { type: 'also-took'; course: CourseRef; message: string }
  | { type: 'popular'; message: string }
  | { type: 'segment'; segment: number; terms: TermLabel[]; message: string }
  | { type: 'rated'; average: number; count: number; message: string };

/** A course's learner rating as the community plugin reports it. */
export interface RatingFacts {
  average: number | null;
  count: number;
}

/**
 * "Rated 4.8 by 120 learners" (zh-Hans: "120 位学员评分 4.8"), when at least `minCount` learners
 * rated the course (0: never); null otherwise. The message shows one decimal; `average` keeps
 * the aggregate's two.
 */
export function ratedReason(rating: RatingFacts | undefined, minCount: number, locale: string): ApiReason | null {
  if (!rating || rating.average === null || minCount <= 0 || rating.count < minCount) return null;
  const shown = (Math.round(rating.average * 10) / 10).toFixed(1);
  const count = rating.count.toLocaleString('en-US');
  const message = zh(locale) ? `${count} 位学员评分 ${shown}` : `Rated ${shown} by ${count} ${rating.count === 1 ? 'learner' : 'learners'}`;
  return { type: 'rated', average: rating.average, count: rating.count, message };
}

export interface PresentContext {
  locale: string;
  /** "similar" lists compare with one course, personal lists with the learner's courses. */
  mode: 'personal' | 'similar' | 'cold-start';
  /** A term's label, or null when it may not be named (see `termNamer`). */
  label(term: string): string | null;
  course(documentId: string): CourseRef | undefined;
}

const zh = (locale: string) => locale.toLowerCase().startsWith('zh');

function list(labels: string[], locale: string): string {
  return labels.join(zh(locale) ? '、' : ', ');
}

/**
 * Terms with their labels, each label once: when the tag "Python" and the word "python" are both
 * shared, the tag is shown (at the place of the first of the two).
 */
function labelled(keys: readonly string[], ctx: PresentContext): TermLabel[] {
  const byLabel = new Map<string, TermLabel>();
  for (const key of keys) {
    const label = ctx.label(key);
    if (label === null) continue;
    const folded = label.toLowerCase();
    const seen = byLabel.get(folded);
    if (!seen) byLabel.set(folded, { key, label });
    else if (!seen.key.startsWith('w:') || key.startsWith('w:')) continue;
    else byLabel.set(folded, { key, label });
  }
  return [...byLabel.values()];
}

/** One engine reason for the API; null when it refers to something no longer shown. */
export function presentReason(reason: Reason, ctx: PresentContext): ApiReason | null {
  const { locale } = ctx;
  switch (reason.type) {
    case 'shared-terms': {
      const terms = labelled(reason.terms, ctx);
      if (terms.length === 0) return null;
      const words = list(
        terms.map((t) => t.label),
        locale,
      );
      const message =
        ctx.mode === 'similar'
          ? zh(locale)
            ? `与本课程同样涉及：${words}`
            : `Also about ${words}, like this course`
          : zh(locale)
            ? `与你学过的课程同样涉及：${words}`
            : `About ${words}, like courses you took`;
      return { type: 'shared-terms', terms, message };
    }
    case 'also-took': {
      const course = ctx.course(reason.itemId);
      if (!course) return null;
      const message = zh(locale) ? `学过《${course.title}》的学员也学了这门课` : `Learners who took “${course.title}” also took this`;
      return { type: 'also-took', course, message };
    }
    case 'popular':
      return { type: 'popular', message: zh(locale) ? '深受学员欢迎' : 'Popular with learners' };
    case 'segment': {
      const terms = labelled(reason.terms, ctx);
      if (terms.length === 0) return null;
      const words = list(
        terms.map((t) => t.label),
        locale,
      );
      const message = zh(locale) ? `来自「${words}」方向的课程` : `From the ${words} part of the catalogue`;
      return { type: 'segment', segment: reason.segment, terms, message };
    }
    default: {
      const unreachable: never = reason;
      return unreachable;
    }
  }
}

/** Every reason of a result, in order, dropping those that no longer apply. */
export function presentReasons(reasons: readonly Reason[], ctx: PresentContext): ApiReason[] {
  const out: ApiReason[] = [];
  for (const r of reasons) {
    const p = presentReason(r, ctx);
    if (p) out.push(p);
  }
  return out;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const DIGIT = /\p{Nd}/u;
/**
 * Words that describe any course and so explain none (beyond the tokenizer's stop words, which
 * never reach the index).
 */
export const UNINFORMATIVE_WORDS = new Set([
  'course', 'courses', 'learn', 'learning', 'learner', 'learners', 'lesson', 'lessons', 'chapter', 'chapters',
  'introduction', 'intro', 'guide', 'basics', 'practical', 'hands', 'step', 'steps', 'way', 'ways', 'use', 'using',
  'get', 'make', 'how', 'new', 'one', 'two', 'three', 'first', 'every', 'day', 'days', 'week', 'weeks', 'work', 'working',
  'exercise', 'exercises', 'project', 'projects', 'beginner', 'intermediate', 'advanced',
]);

/** Whether a word (as written) may be named in a reason: a real word, not a fragment, number or filler. */
export function isNameableWord(surface: string): boolean {
  return surface.length >= 3 && !CJK.test(surface) && !DIGIT.test(surface) && !UNINFORMATIVE_WORDS.has(surface);
}

export interface NamerInput {
  locale: string;
  defaultLocale: string;
  /** The recommended course's tag and category keys (without prefix). */
  tags: ReadonlySet<string>;
  categories: ReadonlySet<string>;
  /** Tag and category names per locale, by key. */
  tagNames: ReadonlyMap<string, Record<string, string>>;
  categoryNames: ReadonlyMap<string, Record<string, string>>;
  /** The title and summary the course is shown with (the locale of its card in this list). */
  texts: readonly string[];
}

/**
 * The labels a reason may use for one recommended course: its own tags and categories by their
 * name in the reader's locale (else the default locale's), and words of the text it is shown with
 * as written there; null for anything else.
 */
export function termNamer(input: NamerInput): (term: string) => string | null {
  let surfaces: Map<string, string> | null = null;
  const nameIn = (names: Record<string, string> | undefined) => names?.[input.locale] ?? names?.[input.defaultLocale] ?? null;
  return (term) => {
    const key = term.slice(2);
    if (term.startsWith(TERM_PREFIX.tag)) return input.tags.has(key) ? nameIn(input.tagNames.get(key)) : null;
    if (term.startsWith(TERM_PREFIX.category)) return input.categories.has(key) ? nameIn(input.categoryNames.get(key)) : null;
    if (!term.startsWith(TERM_PREFIX.word)) return null;
    if (!surfaces) {
      surfaces = new Map();
      for (const text of input.texts) for (const t of tokenize(text)) if (!surfaces.has(t.term)) surfaces.set(t.term, t.surface);
    }
    const surface = surfaces.get(key);
    return surface !== undefined && isNameableWord(surface) ? surface : null;
  };
}

/** One course in a list: what a card needs, the locale it is in, its score and why. */
export interface PresentedCourse {
  documentId: string;
  locale: string;
  title: string;
  slug: string;
  summary: string | null;
  level: string | null;
  access: string | null;
  price: number | null;
  currency: string | null;
  cover: Cover | null;
  score: number;
  reasons: ApiReason[];
}

export interface ListContext {
  locale: string;
  defaultLocale: string;
  mode: PresentContext['mode'];
  card(documentId: string): CourseCard | undefined;
  tagNames: ReadonlyMap<string, Record<string, string>>;
  categoryNames: ReadonlyMap<string, Record<string, string>>;
  /** Learner ratings of the listed courses (community), for the `rated` reason; absent: none. */
  ratings?: ReadonlyMap<string, RatingFacts>;
  /** Ratings a course needs before a reason cites them (0: never). */
  ratedReasonMinCount?: number;
}

/**
 * A ranked list as the API answers it: each course in the reader's locale when it has it (else the
 * default locale, else any: `pickLocale`), with the reasons that are true of it in words of the
 * text it is shown with. Courses no longer in the index are left out.
 */
export function presentList(list: readonly Recommendation[], ctx: ListContext): PresentedCourse[] {
  const course = (documentId: string): CourseRef | undefined => {
    const card = ctx.card(documentId);
    const l = card && pickLocale(card, ctx.locale, ctx.defaultLocale);
    return card && l ? { documentId, title: card.locales[l]?.title ?? '', slug: card.slug } : undefined;
  };
  const out: PresentedCourse[] = [];
  for (const r of list) {
    const card = ctx.card(r.itemId);
    const l = card && pickLocale(card, ctx.locale, ctx.defaultLocale);
    if (!card || !l) continue;
    const text = card.locales[l] as { title: string; summary: string | null };
    const label = termNamer({
      locale: ctx.locale,
      defaultLocale: ctx.defaultLocale,
      tags: new Set(card.tags),
      categories: new Set(card.categories),
      tagNames: ctx.tagNames,
      categoryNames: ctx.categoryNames,
      texts: [text.title, text.summary ?? ''],
    });
    out.push({
      documentId: card.documentId,
      locale: l,
      title: text.title,
      slug: card.slug,
      summary: text.summary,
      level: card.level,
      access: card.access,
      price: card.price,
      currency: card.currency,
      cover: card.cover,
      score: Math.round(r.score * 10_000) / 10_000,
      reasons: withRated(presentReasons(r.reasons, { locale: ctx.locale, mode: ctx.mode, label, course }), ratedReason(ctx.ratings?.get(r.itemId), ctx.ratedReasonMinCount ?? 0, ctx.locale)),
    });
  }
  return out;
}

/** The learners' rating comes after the engine's reasons: it says what the course is worth, not why it matches. */
function withRated(reasons: ApiReason[], rated: ApiReason | null): ApiReason[] {
  return rated ? [...reasons, rated] : reasons;
}
