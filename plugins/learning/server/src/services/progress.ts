import type { Core } from '@strapi/strapi';
import { PROGRESS_UID, httpError, isUniqueViolation } from '@kp/platform';
import { refusalFor } from '../domain/access';
import type { CertificateFacts } from '../domain/certificate';
import { pickLocalized } from '../domain/locale';
import {
  applyProgressReport,
  courseProgress,
  nextChapter,
  progressKey,
  type ChapterProgress,
  type CourseProgress,
  type ProgressReport,
} from '../domain/progress';
import { getService, locales } from '../utils';
import type { CatalogueChapter, CatalogueCourse } from './catalogue';

interface ProgressRow {
  id: number;
  chapterDocumentId: string;
  courseDocumentId: string;
  completedAt: string | Date | null;
  position: number | null;
  updatedAt: string | Date;
}

const SELECT = ['id', 'chapterDocumentId', 'courseDocumentId', 'completedAt', 'position', 'updatedAt'];

export interface Learner {
  id: number;
  username?: string | null;
  email?: string | null;
}

export interface RecordInput extends ProgressReport {
  chapter: string;
  /** The learner's locale (certificate title, chapter titles). */
  locale: string;
}

export interface ChapterRefView {
  documentId: string;
  title: string | null;
  position: number;
}

export interface CertificateRefView {
  code: string;
  status: CertificateFacts['state'];
  completedAt: string;
}

export interface CourseSummaryView {
  course: { documentId: string; slug: string | null; title: string | null };
  percentage: number;
  complete: boolean;
  completedChapters: number;
  requiredChapters: number;
  totalChapters: number;
  lastActivityAt: string | null;
  nextChapter: ChapterRefView | null;
  certificate: CertificateRefView | null;
}

export interface CourseDetailView extends CourseSummaryView {
  chapters: Array<{
    documentId: string;
    title: string | null;
    position: number;
    optional: boolean;
    isPreview: boolean;
    completed: boolean;
    completedAt: string | null;
    /** The learner's reading/playback position, as the frontend reported it. */
    readingPosition: number | null;
    updatedAt: string | null;
  }>;
}

export interface RecordResult {
  progress: {
    chapter: string;
    course: string;
    completed: boolean;
    completedAt: string | null;
    position: number | null;
    updatedAt: string | null;
  };
  course: CourseProgress & { documentId: string };
  certificate: (CertificateRefView & { issued: boolean }) | null;
}

const toProgress = (row: ProgressRow): ChapterProgress => ({
  completedAt: row.completedAt ? new Date(row.completedAt) : null,
  position: row.position ?? null,
  updatedAt: new Date(row.updatedAt),
});

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

const certificateRef = (c: CertificateFacts | undefined | null): CertificateRefView | null =>
  c ? { code: c.code, status: c.state, completedAt: c.completedAt.toISOString() } : null;

/**
 * Progress of learners through chapters. Every read is scoped to the learner passed in (the
 * controller passes `ctx.state.user`), so nobody reaches another learner's rows. Writes go
 * through the Query Engine, one row per (learner, chapter) held by a unique index.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(PROGRESS_UID);
  const catalogue = () => getService(strapi, 'catalogue');
  const certificates = () => getService(strapi, 'certificates');
  const platform = () => getService(strapi, 'platform');
  const defaultLocale = () => locales(strapi)[0]!;

  function summarize(
    course: CatalogueCourse,
    chapters: CatalogueChapter[],
    progress: ReadonlyMap<string, ChapterProgress>,
    certificate: CertificateFacts | undefined,
    locale: string
  ): CourseSummaryView {
    const completed = new Set([...progress].filter(([, p]) => p.completedAt).map(([id]) => id));
    const stats = courseProgress(chapters, completed);
    const next = nextChapter(chapters, progress);
    let last: Date | null = null;
    for (const c of chapters) {
      const p = progress.get(c.documentId);
      if (p && (!last || p.updatedAt > last)) last = p.updatedAt;
    }
    return {
      course: { documentId: course.documentId, slug: course.slug, title: pickLocalized(course.titles, locale, defaultLocale()) ?? null },
      percentage: stats.percentage,
      complete: stats.complete,
      completedChapters: stats.completedRequired,
      requiredChapters: stats.required,
      totalChapters: stats.total,
      lastActivityAt: iso(last),
      nextChapter: next ? { documentId: next.documentId, title: pickLocalized(next.titles, locale, defaultLocale()) ?? null, position: next.position } : null,
      certificate: certificateRef(certificate),
    };
  }

  /** Stored rows of one learner on these chapters, keyed by chapter. */
  async function rowsFor(userId: number, chapterDocumentIds: string[]): Promise<Map<string, ChapterProgress>> {
    if (chapterDocumentIds.length === 0) return new Map();
    const rows = (await query().findMany({
      where: { uniqueKey: { $in: chapterDocumentIds.map((id) => progressKey(userId, id)) } },
      select: SELECT,
    })) as ProgressRow[];
    return new Map(rows.map((r) => [r.chapterDocumentId, toProgress(r)]));
  }

  /** Inserts or updates the learner's row; `becameCompleted` is true for exactly one concurrent caller. */
  async function upsert(learner: Learner, chapter: string, course: string, report: ProgressReport, now: Date) {
    const uniqueKey = progressKey(learner.id, chapter);
    let row = (await query().findOne({ where: { uniqueKey }, select: SELECT })) as ProgressRow | null;
    if (!row) {
      const t = applyProgressReport(null, report, now);
      if (!t.changed) return { row: null, becameCompleted: false };
      try {
        row = (await query().create({
          data: {
            uniqueKey,
            user: learner.id,
            chapterDocumentId: chapter,
            courseDocumentId: course,
            completedAt: t.completedAt,
            position: t.position,
            publishedAt: now,
          },
          select: SELECT,
        })) as ProgressRow;
        return { row, becameCompleted: t.becameCompleted };
      } catch (error) {
        // A concurrent first report inserted the row: ours becomes an update of it.
        if (!isUniqueViolation(error)) throw error;
        row = (await query().findOne({ where: { uniqueKey }, select: SELECT })) as ProgressRow | null;
        if (!row) throw error;
      }
    }
    const t = applyProgressReport({ completedAt: row.completedAt ? new Date(row.completedAt) : null, position: row.position }, report, now);
    if (!t.changed) {
      // Nothing to store but the activity itself: "continue learning" and the order of
      // /api/progress/me follow the chapter touched last, re-reads included.
      // `updateMany`, not `update`: the Query Engine's `update` stamps its own `updatedAt` (a few
      // ms after `now`), and the answer must carry the time that is stored.
      await query().updateMany({ where: { id: row.id }, data: { updatedAt: now } });
      return { row: { ...row, updatedAt: now }, becameCompleted: false };
    }
    // A completion is conditional on the row still being incomplete, so that of two concurrent
    // completions of one chapter only one counts (one signal, one certificate check).
    const where = t.becameCompleted ? { id: row.id, completedAt: { $null: true } } : { id: row.id };
    // Only the fields the report names are written: a position report read before a concurrent
    // completion committed must not write its stale `completedAt` over it.
    // `updateMany` does not touch `updatedAt` by itself: the activity time is written explicitly.
    const data: Record<string, unknown> = { courseDocumentId: course, updatedAt: now };
    if (report.completed !== undefined) data.completedAt = t.completedAt;
    if (report.position !== undefined) data.position = t.position;
    const { count } = (await query().updateMany({ where, data })) as { count: number };
    const fresh = (await query().findOne({ where: { id: row.id }, select: SELECT })) as ProgressRow;
    return { row: fresh, becameCompleted: t.becameCompleted && count === 1 };
  }

  return {
    /**
     * Records a learner's report on a chapter they may read (the paywall decides; previews
     * count). On the completion that completes the course, issues its certificate. Signals the
     * recommender after the write.
     */
    async record(learner: Learner, input: RecordInput, now = new Date()): Promise<RecordResult> {
      const courseDocumentId = await catalogue().courseOfChapter(input.chapter);
      if (!courseDocumentId) throw httpError(404, 'Chapter not found.');
      const decision = await platform().decideChapter(learner.id, input.chapter, now);
      if (!decision.allowed) {
        const refusal = refusalFor(decision.reason);
        // A learner told why a chapter is locked can act on it: the paywall's reason goes along.
        throw httpError(refusal.status, refusal.message, refusal.status === 403 ? { reason: decision.reason } : {});
      }

      const report: ProgressReport = {};
      if (input.completed !== undefined) report.completed = input.completed;
      if (input.position !== undefined) report.position = input.position;
      const { row, becameCompleted } = await upsert(learner, input.chapter, courseDocumentId, report, now);

      const chapters = (await catalogue().chaptersOf([courseDocumentId])).get(courseDocumentId) ?? [];
      const progress = await rowsFor(learner.id, chapters.map((c) => c.documentId));
      const completed = new Set([...progress].filter(([, p]) => p.completedAt).map(([id]) => id));
      const stats = courseProgress(chapters, completed);

      let certificate: RecordResult['certificate'] = null;
      if (stats.complete) {
        let existing = await certificates().byKey(learner.id, courseDocumentId);
        let issued = false;
        // Checked on every completion report, not only on a first completion: a learner who read
        // every chapter before holding the course (all previews, say) gets it once entitled.
        if (!existing && input.completed === true) {
          // A certificate is for a course the learner is entitled to as a whole, not only to its previews.
          const courseDecision = await platform().decideCourse(learner.id, courseDocumentId, now);
          if (courseDecision.allowed) {
            const result = await certificates().issue({ user: learner, courseDocumentId, language: input.locale, completedAt: now });
            existing = result?.certificate ?? null;
            issued = result?.issued ?? false;
          }
        }
        if (existing) certificate = { ...certificateRef(existing)!, issued };
      }

      // Follow-up work after the commit: the recommender must never fail the learner's write.
      if (becameCompleted) await platform().signal({ userId: learner.id, courseDocumentId, kind: 'progress', at: now });
      if (certificate?.issued) await platform().signal({ userId: learner.id, courseDocumentId, kind: 'complete', at: now });

      const p = row ? toProgress(row) : null;
      return {
        progress: {
          chapter: input.chapter,
          course: courseDocumentId,
          completed: p?.completedAt != null,
          completedAt: iso(p?.completedAt ?? null),
          position: p?.position ?? null,
          // null: nothing is stored for this chapter (a report that changed nothing on a chapter never opened).
          updatedAt: p ? p.updatedAt.toISOString() : null,
        },
        course: { documentId: courseDocumentId, ...stats },
        certificate,
      };
    },

    /** Per-chapter state of one published course for this learner; null when the course is not published. */
    async course(learner: Learner, courseDocumentId: string, locale: string): Promise<CourseDetailView | null> {
      const [courses, chaptersByCourse] = await Promise.all([
        catalogue().courses([courseDocumentId]),
        catalogue().chaptersOf([courseDocumentId]),
      ]);
      const course = courses.get(courseDocumentId);
      if (!course) return null;
      const chapters = chaptersByCourse.get(courseDocumentId) ?? [];
      const [progress, certs] = await Promise.all([
        rowsFor(learner.id, chapters.map((c) => c.documentId)),
        certificates().forUserCourses(learner.id, [courseDocumentId]),
      ]);
      return {
        ...summarize(course, chapters, progress, certs.get(courseDocumentId), locale),
        chapters: chapters.map((c) => {
          const p = progress.get(c.documentId);
          return {
            documentId: c.documentId,
            title: pickLocalized(c.titles, locale, defaultLocale()) ?? null,
            position: c.position,
            optional: c.optional,
            isPreview: c.isPreview,
            completed: Boolean(p?.completedAt),
            completedAt: iso(p?.completedAt),
            readingPosition: p?.position ?? null,
            updatedAt: iso(p?.updatedAt),
          };
        }),
      };
    },

    /**
     * Every course this learner has started, most recent activity first: a constant number of
     * queries whatever the number of courses (progress rows, chapters, courses, certificates).
     */
    async overview(learner: Learner, locale: string): Promise<CourseSummaryView[]> {
      const rows = (await query().findMany({
        where: { user: { id: learner.id } },
        select: SELECT,
      })) as ProgressRow[];
      if (rows.length === 0) return [];
      const progress = new Map(rows.map((r) => [r.chapterDocumentId, toProgress(r)]));
      const courseIds = [...new Set(rows.map((r) => r.courseDocumentId))];
      const [courses, chaptersByCourse, certs] = await Promise.all([
        catalogue().courses(courseIds),
        catalogue().chaptersOf(courseIds),
        certificates().forUserCourses(learner.id, courseIds),
      ]);
      const out: CourseSummaryView[] = [];
      for (const id of courseIds) {
        const course = courses.get(id);
        if (!course) continue; // unpublished since: nothing to continue
        out.push(summarize(course, chaptersByCourse.get(id) ?? [], progress, certs.get(id), locale));
      }
      return out.sort((a, b) => (b.lastActivityAt ?? '').localeCompare(a.lastActivityAt ?? ''));
    },
  };
};
