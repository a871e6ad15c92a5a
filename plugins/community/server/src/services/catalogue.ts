/**
 * What this plugin reads of the catalogue and of learning's progress: Query Engine reads by
 * attribute name (the kernel's UIDs), published versions only. No writes.
 */
import type { Core } from '@strapi/strapi';
import { CHAPTER_UID, COURSE_UID, PROGRESS_UID } from '@kp/platform';

export interface CourseFacts {
  documentId: string;
  instructorUserId: number | null;
  /** The instructor profile's public name (what learners know them by). */
  instructorName: string | null;
}

const PUBLISHED = { publishedAt: { $notNull: true } };

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The published course, with the users-permissions user of its instructor; null when unknown or unpublished. */
  async course(documentId: string): Promise<CourseFacts | null> {
    const row = (await strapi.db.query(COURSE_UID).findOne({
      where: { documentId, ...PUBLISHED },
      select: ['id', 'documentId'],
      populate: { instructor: { select: ['id', 'name'], populate: { user: { select: ['id'] } } } },
    })) as { documentId: string; instructor?: { name?: string | null; user?: { id: number } | null } | null } | null;
    if (!row) return null;
    return { documentId: row.documentId, instructorUserId: row.instructor?.user?.id ?? null, instructorName: row.instructor?.name ?? null };
  },

  /** documentIds of the published courses whose instructor profile belongs to this user. */
  async coursesOfInstructor(userId: number): Promise<string[]> {
    const rows = (await strapi.db.query(COURSE_UID).findMany({
      where: { ...PUBLISHED, instructor: { user: { id: userId } } },
      select: ['documentId'],
    })) as Array<{ documentId: string }>;
    return [...new Set(rows.map((r) => r.documentId))];
  },

  /** The course of a published chapter, or null. */
  async courseOfChapter(chapterDocumentId: string): Promise<string | null> {
    const row = (await strapi.db.query(CHAPTER_UID).findOne({
      where: { documentId: chapterDocumentId, ...PUBLISHED },
      select: ['id'],
      populate: { course: { select: ['documentId'] } },
    })) as { course?: { documentId: string } | null } | null;
    return row?.course?.documentId ?? null;
  },

  /** Published preview chapters of a course (readable by anyone). */
  async previewChapters(courseDocumentId: string): Promise<Set<string>> {
    const rows = (await strapi.db.query(CHAPTER_UID).findMany({
      where: { ...PUBLISHED, isPreview: true, course: { documentId: courseDocumentId } },
      select: ['documentId'],
    })) as Array<{ documentId: string }>;
    return new Set(rows.map((r) => r.documentId));
  },

  /** Published chapters of a course with a drip-release day (they may open later than the course). */
  async drippedChapters(courseDocumentId: string): Promise<string[]> {
    const rows = (await strapi.db.query(CHAPTER_UID).findMany({
      where: { ...PUBLISHED, dripDays: { $notNull: true }, course: { documentId: courseDocumentId } },
      select: ['documentId'],
    })) as Array<{ documentId: string }>;
    return [...new Set(rows.map((r) => r.documentId))];
  },

  /** Chapters of the course this learner completed (learning's progress rows). */
  async completedChapters(userId: number, courseDocumentId: string): Promise<number> {
    return strapi.db.query(PROGRESS_UID).count({
      where: { user: { id: userId }, courseDocumentId, completedAt: { $notNull: true } },
    });
  },
});
