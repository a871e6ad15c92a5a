/**
 * Visibility and thread rules, pure: what a viewer may see of a post, who may accept an answer,
 * where a reply may hang, and whether a learner's recent posts exceed the rate limit.
 */

export type PostState = 'visible' | 'hidden';

export interface Viewer {
  userId: number | null;
}

/** A hidden post is shown only to its author (with the reason); everyone else never sees it. */
export function visibleTo(post: { state: PostState; userId: number }, viewer: Viewer): 'full' | 'author-hidden' | 'none' {
  if (post.state === 'visible') return 'full';
  return viewer.userId !== null && viewer.userId === post.userId ? 'author-hidden' : 'none';
}

/** Which chapters' questions a viewer may see in one course. */
export type QuestionScope = { all: true; except: string[] } | { all: false; chapters: string[] };

/**
 * Which questions of a course a viewer may see: with access to the whole course, all of them but
 * those on chapters that are not open to the viewer yet (drip release: `notYetOpen`); otherwise
 * course-level questions and those on chapters the viewer can read (previews, or every chapter of
 * a free course).
 */
export function questionScope(courseReadable: boolean, readableChapters: ReadonlySet<string>, notYetOpen: ReadonlySet<string> = new Set()): QuestionScope {
  if (courseReadable) return { all: true, except: [...notYetOpen] };
  return { all: false, chapters: [...readableChapters] };
}

/** Whether a viewer may see a question on `chapterDocumentId` (null: about the whole course). */
export function questionVisible(chapterDocumentId: string | null, scope: QuestionScope): boolean {
  if (chapterDocumentId === null) return true;
  return scope.all ? !scope.except.includes(chapterDocumentId) : scope.chapters.includes(chapterDocumentId);
}

export type AcceptRefusal = 'not-allowed' | 'not-an-answer';

/** The asker or the course's instructor marks an accepted answer; it must be a visible answer of this question. */
export function decideAccept(
  caller: { userId: number; isInstructor: boolean },
  question: { userId: number },
  answer: { questionId: number; state: PostState } | null,
  questionId: number
): { ok: true } | { ok: false; reason: AcceptRefusal } {
  if (caller.userId !== question.userId && !caller.isInstructor) return { ok: false, reason: 'not-allowed' };
  if (!answer || answer.questionId !== questionId || answer.state !== 'visible') return { ok: false, reason: 'not-an-answer' };
  return { ok: true };
}

/** One level of threading: a reply hangs on a visible top-level answer of the same question. */
export function decideReplyParent(
  parent: { questionId: number; parentAnswerId: number | null; state: PostState } | null,
  questionId: number
): { ok: true } | { ok: false; message: string } {
  if (!parent || parent.questionId !== questionId || parent.state !== 'visible') return { ok: false, message: 'parentAnswerId: no visible answer of this question has this id' };
  if (parent.parentAnswerId !== null) return { ok: false, message: 'parentAnswerId: replies are one level deep: reply to the top-level answer instead' };
  return { ok: true };
}

/** The posting rate limit: `recent` posts (reviews, questions, answers) in the window. */
export function decideRateLimit(recent: number, limit: number, windowSeconds: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
  if (limit <= 0 || recent < limit) return { ok: true };
  return { ok: false, retryAfterSeconds: windowSeconds };
}
