/**
 * Reasons as the API shows them: structured (so a frontend can render its own words) and with a
 * ready message in the response's locale (English, or Simplified Chinese for zh-Hans).
 */
import type { Reason } from './reasons';

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
  | { type: 'segment'; segment: number; terms: TermLabel[]; message: string };

export interface PresentContext {
  locale: string;
  /** "similar" lists compare with one course, personal lists with the learner's courses. */
  mode: 'personal' | 'similar' | 'cold-start';
  label(term: string): string;
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
