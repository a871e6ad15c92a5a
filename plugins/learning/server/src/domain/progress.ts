/**
 * Pure rules of learning progress: what "completed" means for a course, its percentage, which
 * chapter a learner should read next, and how one progress report changes a stored row.
 * No Strapi, no I/O: the adapters in `services/` feed these functions rows they have read.
 */

/** A published chapter of a course, as the rules need it. */
export interface ChapterRef {
  documentId: string;
  /** Order within the course (1-based in the catalogue; only the order matters here). */
  position: number;
  optional: boolean;
}

/** What is stored for one (learner, chapter). */
export interface ChapterProgress {
  completedAt: Date | null;
  position: number | null;
  updatedAt: Date;
}

export interface CourseProgress {
  /** Chapters of the course (published ones). */
  total: number;
  /** Chapters that count towards completion (see `requiredChapters`). */
  required: number;
  /** Required chapters the learner completed. */
  completedRequired: number;
  /** Every completed chapter, optional ones included. */
  completedAll: number;
  /** 0–100, floored: 100 only when the course is complete. */
  percentage: number;
  complete: boolean;
}

/** Orders chapters by position, then documentId, so ties never depend on database order. */
export function sortChapters<T extends ChapterRef>(chapters: readonly T[]): T[] {
  return [...chapters].sort((a, b) => a.position - b.position || (a.documentId < b.documentId ? -1 : a.documentId > b.documentId ? 1 : 0));
}

/**
 * The chapters a learner must complete. Non-optional ones; a course whose chapters are all marked
 * optional would otherwise be "complete" with nothing read, so then every chapter counts.
 */
export function requiredChapters<T extends ChapterRef>(chapters: readonly T[]): T[] {
  const required = chapters.filter((c) => !c.optional);
  return required.length > 0 ? [...required] : [...chapters];
}

/** Percentage and completion of one course for one learner. A course without chapters is never complete. */
export function courseProgress(chapters: readonly ChapterRef[], completed: ReadonlySet<string>): CourseProgress {
  const unique = dedupeChapters(chapters);
  const required = requiredChapters(unique);
  const completedRequired = required.filter((c) => completed.has(c.documentId)).length;
  const completedAll = unique.filter((c) => completed.has(c.documentId)).length;
  const complete = required.length > 0 && completedRequired === required.length;
  // Floor, never round: 199/200 must not show 100% on a course that is not complete.
  const percentage = required.length === 0 ? 0 : complete ? 100 : Math.floor((completedRequired * 100) / required.length);
  return { total: unique.length, required: required.length, completedRequired, completedAll, percentage, complete };
}

/**
 * The chapter to offer under "continue learning":
 * 1. the chapter touched last, when it is not completed yet (resume where the learner stopped);
 * 2. otherwise the first uncompleted chapter after it, in order (optional ones included: a learner
 *    reading in order reads them too);
 * 3. otherwise, wrapping to the start, the first uncompleted required chapter, then any uncompleted one;
 * 4. `null` when everything is completed. With no progress at all, the first chapter.
 */
export function nextChapter<T extends ChapterRef>(
  chapters: readonly T[],
  progress: ReadonlyMap<string, ChapterProgress>
): T | null {
  const ordered = sortChapters(dedupeChapters(chapters));
  if (ordered.length === 0) return null;
  const done = (c: T) => progress.get(c.documentId)?.completedAt != null;

  let lastIndex = -1;
  let lastAt = -Infinity;
  ordered.forEach((c, i) => {
    const p = progress.get(c.documentId);
    if (p && p.updatedAt.getTime() > lastAt) {
      lastAt = p.updatedAt.getTime();
      lastIndex = i;
    }
  });
  if (lastIndex === -1) return ordered.find((c) => !done(c)) ?? null;

  const last = ordered[lastIndex]!;
  if (!done(last)) return last;
  const after = ordered.slice(lastIndex + 1).find((c) => !done(c));
  if (after) return after;
  const requiredIds = new Set(requiredChapters(ordered).map((c) => c.documentId));
  return ordered.find((c) => requiredIds.has(c.documentId) && !done(c)) ?? ordered.find((c) => !done(c)) ?? null;
}

/** One report from a learner: `completed` omitted leaves completion as it is (a player reporting its position). */
export interface ProgressReport {
  completed?: boolean;
  position?: number;
}

export interface ProgressTransition {
  completedAt: Date | null;
  position: number | null;
  /** Whether anything stored changes (an unchanged repeat writes nothing). */
  changed: boolean;
  /** The chapter went from not completed to completed with this report. */
  becameCompleted: boolean;
}

/**
 * How a report changes a row (or a row that does not exist yet). Completing an already completed
 * chapter keeps its first completion date, so repeating the call is idempotent.
 */
export function applyProgressReport(
  current: Pick<ChapterProgress, 'completedAt' | 'position'> | null,
  report: ProgressReport,
  now: Date
): ProgressTransition {
  const wasCompleted = current?.completedAt != null;
  let completedAt = current?.completedAt ?? null;
  if (report.completed === true && !wasCompleted) completedAt = now;
  if (report.completed === false) completedAt = null;
  const position = report.position !== undefined ? report.position : (current?.position ?? null);
  // With no row yet, a report that stores nothing (`completed: false` on a chapter never opened)
  // is no change: it must not create a row that would list the course under "continue learning".
  const changed =
    current === null
      ? completedAt !== null || position !== null
      : (completedAt?.getTime() ?? null) !== (current.completedAt?.getTime() ?? null) || position !== (current.position ?? null);
  return { completedAt, position, changed, becameCompleted: !wasCompleted && completedAt !== null };
}

/** The key of the unique index on `progresses.unique_key`: one row per (user, chapter). */
export function progressKey(userId: number, chapterDocumentId: string): string {
  return `${userId}:${chapterDocumentId}`;
}

/** A chapter can exist once per locale; the rules count each document once (first seen wins). */
function dedupeChapters<T extends ChapterRef>(chapters: readonly T[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const c of chapters) {
    if (seen.has(c.documentId)) continue;
    seen.add(c.documentId);
    out.push(c);
  }
  return out;
}
