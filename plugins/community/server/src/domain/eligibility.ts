/**
 * Who may post what. Pure: the adapters hand in the paywall's verdict (the kernel contract's
 * `AccessDecision`, imported, never copied), the learner's completed chapters and whether an
 * editor blocked them; the answer is a discriminated union whose reason the controllers map to an
 * HTTP refusal in one exhaustive switch (`refusalFor`).
 */
import type { AccessDecision, DeniedReason } from '@kp/platform/contracts';

export type Refusal =
  | 'anonymous'
  | 'blocked'
  | 'own-course'
  | 'no-access'
  | 'access-revoked'
  | 'no-progress'
  | 'not-found';

export type Eligibility = { eligible: true } | { eligible: false; reason: Refusal };

/** What the paywall's denial means here: a refunded or revoked learner is told so. */
export function accessRefusal(reason: DeniedReason): Refusal {
  switch (reason) {
    case 'anonymous':
      return 'anonymous';
    case 'no-entitlement':
    case 'expired':
    // A chapter not yet released: like no access to it.
    case 'drip-locked':
      return 'no-access';
    case 'revoked':
      return 'access-revoked';
    case 'not-found':
    case 'draft':
      return 'not-found';
    default: {
      const never: never = reason;
      return never;
    }
  }
}

export interface ReviewFacts {
  /** null: anonymous. */
  userId: number | null;
  /** The paywall's verdict on the course for this learner (`decideCourse`). */
  access: AccessDecision;
  /** Chapters of the course the learner completed. */
  completedChapters: number;
  /** Chapters to complete before rating (configuration, default 1). */
  minChapters: number;
  blocked: boolean;
}

/**
 * May this learner rate this course? A reader of the course (the paywall says so: owner,
 * subscriber, grant, or a free course) who completed at least `minChapters` chapters, is not
 * blocked, and is not the course's own instructor.
 */
export function decideReviewEligibility(f: ReviewFacts): Eligibility {
  if (f.userId === null) return { eligible: false, reason: 'anonymous' };
  if (!f.access.allowed) {
    const reason = accessRefusal(f.access.reason);
    // An unknown course is unknown to a blocked learner too.
    return { eligible: false, reason };
  }
  if (f.access.via === 'instructor') return { eligible: false, reason: 'own-course' };
  if (f.blocked) return { eligible: false, reason: 'blocked' };
  if (f.completedChapters < f.minChapters) return { eligible: false, reason: 'no-progress' };
  return { eligible: true };
}

export interface QuestionFacts {
  userId: number | null;
  /** The paywall's verdict on the course, or on the chapter when the question is about one. */
  access: AccessDecision;
  blocked: boolean;
}

/** May this learner ask (or answer, `instructorMayPost`) here? Readers of what the question is about. */
export function decideQaPosting(f: QuestionFacts, options: { instructorMayPost: boolean }): Eligibility {
  if (f.userId === null) return { eligible: false, reason: 'anonymous' };
  if (!f.access.allowed) return { eligible: false, reason: accessRefusal(f.access.reason) };
  if (f.access.via === 'instructor') return options.instructorMayPost ? { eligible: true } : { eligible: false, reason: 'own-course' };
  if (f.blocked) return { eligible: false, reason: 'blocked' };
  return { eligible: true };
}

export interface HttpRefusal {
  status: 401 | 403 | 404;
  message: string;
}

/** The answer to a refused post. Exhaustive: a new refusal does not compile until it has one. */
export function refusalFor(reason: Refusal, what: 'rate' | 'ask' | 'answer'): HttpRefusal {
  switch (reason) {
    case 'anonymous':
      return { status: 401, message: 'Log in first.' };
    case 'blocked':
      return { status: 403, message: 'An editor has blocked you from posting in the community.' };
    case 'own-course':
      return { status: 403, message: what === 'rate' ? 'Instructors cannot rate their own course.' : 'Instructors answer questions on their own course; they do not ask them.' };
    case 'no-access':
      return { status: 403, message: `Only learners who can read this ${what === 'rate' ? 'course' : 'course or chapter'} may ${what} (buy it, subscribe, or be granted access).` };
    case 'access-revoked':
      return { status: 403, message: 'Your access to this course was revoked (refunded, disputed or withdrawn).' };
    case 'no-progress':
      return { status: 403, message: 'Complete at least one chapter of the course before rating it.' };
    case 'not-found':
      return { status: 404, message: 'Course or chapter not found.' };
    default: {
      const never: never = reason;
      return never;
    }
  }
}
