import type { Core } from '@strapi/strapi';
import { CHAPTER_UID, COURSE_UID } from '@kp/platform';
import type { ChapterRef } from '../domain/progress';

/** A published chapter, every locale folded into one entry. */
export interface CatalogueChapter extends ChapterRef {
  courseDocumentId: string;
  isPreview: boolean;
  /** Title per locale. */
  titles: Map<string, string>;
}

/** A published course, every locale folded into one entry. */
export interface CatalogueCourse {
  documentId: string;
  slug: string | null;
  titles: Map<string, string>;
  instructorName: string | null;
}

interface ChapterRow {
  documentId: string;
  title: string | null;
  position: number | null;
  optional: boolean | null;
  isPreview: boolean | null;
  locale: string | null;
  course?: { documentId: string } | null;
}

interface CourseRow {
  documentId: string;
  slug: string | null;
  title: string | null;
  locale: string | null;
  instructor?: { name: string | null } | null;
}

/**
 * Batched reads of the published catalogue through the Query Engine (the Document Service costs
 * ~1 ms a call; these are two indexed queries each, whatever the number of courses). Only
 * published rows count: progress is about what a learner can actually read.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Published chapters of these courses, keyed by course documentId, in reading order. */
  async chaptersOf(courseDocumentIds: readonly string[]): Promise<Map<string, CatalogueChapter[]>> {
    const out = new Map<string, CatalogueChapter[]>();
    if (courseDocumentIds.length === 0) return out;
    const rows = (await strapi.db.query(CHAPTER_UID).findMany({
      where: { publishedAt: { $notNull: true }, course: { documentId: { $in: [...new Set(courseDocumentIds)] } } },
      select: ['documentId', 'title', 'position', 'optional', 'isPreview', 'locale'],
      populate: { course: { select: ['documentId'] } },
    })) as ChapterRow[];
    const byId = new Map<string, CatalogueChapter>();
    for (const row of rows) {
      const courseDocumentId = row.course?.documentId;
      if (!courseDocumentId) continue;
      let chapter = byId.get(row.documentId);
      if (!chapter) {
        chapter = {
          documentId: row.documentId,
          courseDocumentId,
          position: row.position ?? 0,
          optional: row.optional === true,
          isPreview: row.isPreview === true,
          titles: new Map(),
        };
        byId.set(row.documentId, chapter);
        const list = out.get(courseDocumentId) ?? [];
        list.push(chapter);
        out.set(courseDocumentId, list);
      }
      if (row.locale && row.title) chapter.titles.set(row.locale, row.title);
    }
    for (const list of out.values()) list.sort((a, b) => a.position - b.position || (a.documentId < b.documentId ? -1 : 1));
    return out;
  },

  /** The course a published chapter belongs to, or null when the chapter is not published (or has none). */
  async courseOfChapter(chapterDocumentId: string): Promise<string | null> {
    // One row per locale; relations are stored per locale, so any row that has the course will do.
    const rows = (await strapi.db.query(CHAPTER_UID).findMany({
      where: { documentId: chapterDocumentId, publishedAt: { $notNull: true } },
      select: ['documentId'],
      populate: { course: { select: ['documentId'] } },
    })) as ChapterRow[];
    return rows.find((r) => r.course?.documentId)?.course?.documentId ?? null;
  },

  /** Published courses by documentId, with their instructor's name. */
  async courses(courseDocumentIds: readonly string[]): Promise<Map<string, CatalogueCourse>> {
    const out = new Map<string, CatalogueCourse>();
    if (courseDocumentIds.length === 0) return out;
    const rows = (await strapi.db.query(COURSE_UID).findMany({
      where: { publishedAt: { $notNull: true }, documentId: { $in: [...new Set(courseDocumentIds)] } },
      select: ['documentId', 'slug', 'title', 'locale'],
      populate: { instructor: { select: ['name'] } },
    })) as CourseRow[];
    for (const row of rows) {
      let course = out.get(row.documentId);
      if (!course) {
        course = { documentId: row.documentId, slug: row.slug, titles: new Map(), instructorName: null };
        out.set(row.documentId, course);
      }
      if (row.locale && row.title) course.titles.set(row.locale, row.title);
      // Relations are stored per locale: take the first locale that has an instructor.
      if (!course.instructorName && row.instructor?.name) course.instructorName = row.instructor.name;
    }
    return out;
  },
});
