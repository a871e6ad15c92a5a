/**
 * Publication on approval, through the Document Service, as the approving editor. The Document
 * Service keeps one draft and one published version per locale: instructors only ever write the
 * draft, so what learners see changes here and nowhere else.
 */
import type { Core } from '@strapi/strapi';
import { CHAPTER_UID, COURSE_UID } from '@kp/platform';
import { getService } from '../utils';

export interface PublishResult {
  courseLocales: string[];
  chapters: number;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** Marks the drafts as last updated by the editor, so that the published copies say who published them. */
  async function stampDrafts(uid: typeof COURSE_UID | typeof CHAPTER_UID, documentIds: string[], adminId: number) {
    if (documentIds.length === 0) return;
    const drafts = (await strapi.db.query(uid).findMany({
      where: { documentId: { $in: documentIds }, publishedAt: null },
      select: ['id'],
    })) as Array<{ id: number }>;
    for (const d of drafts) {
      await strapi.db.query(uid).update({ where: { id: d.id }, data: { updatedBy: adminId } });
    }
  }

  return {
    /**
     * Publishes the course and each of its draft chapters in every locale that has a draft. Runs
     * inside the caller's transaction: a failure publishes nothing. Chapters go first so that the
     * course's published version links to published chapters.
     */
    async publishCourse(courseDocumentId: string, adminId: number): Promise<PublishResult> {
      const facts = getService(strapi, 'course-facts');
      const chapterIds = await facts.chapterDocumentIdsOf(courseDocumentId);
      await stampDrafts(CHAPTER_UID, chapterIds, adminId);
      await stampDrafts(COURSE_UID, [courseDocumentId], adminId);
      for (const documentId of chapterIds) {
        await strapi.documents(CHAPTER_UID).publish({ documentId, locale: '*' });
      }
      const published = await strapi.documents(COURSE_UID).publish({ documentId: courseDocumentId, locale: '*' });
      return {
        courseLocales: (published.entries ?? []).map((e: { locale?: string | null }) => e.locale ?? '').filter(Boolean),
        chapters: chapterIds.length,
      };
    },
  };
};
