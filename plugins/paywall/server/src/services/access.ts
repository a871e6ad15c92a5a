/**
 * The access decision for one course or one chapter, for other plugins (learning, checkout, the
 * storefront's routes) and this plugin's REST routes. The content-API gate (`gate.ts`) asks the
 * same domain function in batch.
 */
import type { Core } from '@strapi/strapi';
import { decideAccess } from '../domain/decide-access';
import type { AccessDecision, Caller, CourseFacts } from '../domain/types';
import { accessConfig, paywallNow } from './config-access';
import { findChapterRows, loadChapterFacts, loadCourseChapters, loadCourseFacts, loadEntitlements } from './queries';

export type { AccessDecision } from '../domain/types';

export interface ChapterVerdict {
  documentId: string;
  title: string;
  position: number;
  isPreview: boolean;
  unlocked: boolean;
  /** When a drip-released chapter opens for the caller (ISO), while it is not open yet. */
  unlocksAt?: string;
}

export interface CourseAccessReport {
  courseDocumentId: string;
  /** False when no published version exists (the content API then knows nothing of it). */
  published: boolean;
  decision: AccessDecision;
  chapters: ChapterVerdict[];
}

function callerOf(user: { id: number } | null | undefined): Caller {
  return user && Number.isInteger(user.id) ? { kind: 'user', userId: user.id } : { kind: 'anonymous' };
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** Entitlement facts only when they can change the answer: never for anonymous callers. */
  async function entitlementsFor(caller: Caller, course: CourseFacts) {
    if (caller.kind === 'anonymous') return [];
    return (await loadEntitlements(strapi, caller.userId, [course.documentId])).map((r) => r.facts);
  }

  async function decideCourse(user: { id: number } | null, courseDocumentId: string, now: Date = paywallNow(strapi)): Promise<AccessDecision> {
    const caller = callerOf(user);
    const course = typeof courseDocumentId === 'string' && courseDocumentId ? await loadCourseFacts(strapi, courseDocumentId) : null;
    if (!course) return { allowed: false, reason: 'not-found' };
    const needs = course.published && course.access !== 'free' && caller.kind === 'user' && course.instructorUserId !== caller.userId;
    return decideAccess(caller, course, null, needs ? await entitlementsFor(caller, course) : [], now, accessConfig(strapi));
  }

  async function decideChapter(user: { id: number } | null, chapterDocumentId: string, now: Date = paywallNow(strapi)): Promise<AccessDecision> {
    const caller = callerOf(user);
    if (typeof chapterDocumentId !== 'string' || !chapterDocumentId) return { allowed: false, reason: 'not-found' };
    const rows = await findChapterRows(strapi, chapterDocumentId);
    // The published version decides; a draft-only chapter is decided on its draft (its own
    // instructor may read it, nobody else: `draft`).
    const firstId = rows.publishedIds[0] ?? rows.draftIds[0];
    if (firstId === undefined) return { allowed: false, reason: 'not-found' };
    const facts = (await loadChapterFacts(strapi, [firstId])).get(firstId);
    if (!facts) return { allowed: false, reason: 'not-found' };
    const { course, chapter } = facts;
    const needs =
      course !== null &&
      course.published &&
      course.access !== 'free' &&
      !chapter.isPreview &&
      caller.kind === 'user' &&
      course.instructorUserId !== caller.userId;
    const ents = needs && course ? await entitlementsFor(caller, course) : [];
    return decideAccess(caller, course, chapter, ents, now, accessConfig(strapi));
  }

  /** The verdict for a course and, for each published chapter (in `locale`), whether it is unlocked. */
  async function courseReport(
    user: { id: number } | null,
    courseDocumentId: string,
    locale: string,
    now: Date = paywallNow(strapi)
  ): Promise<CourseAccessReport> {
    const caller = callerOf(user);
    const course = await loadCourseFacts(strapi, courseDocumentId);
    if (!course) return { courseDocumentId, published: false, decision: { allowed: false, reason: 'not-found' }, chapters: [] };
    const config = accessConfig(strapi);
    const ents =
      course.published && course.access !== 'free' && caller.kind === 'user' && course.instructorUserId !== caller.userId
        ? await entitlementsFor(caller, course)
        : [];
    const decision = decideAccess(caller, course, null, ents, now, config);
    if (!course.published) return { courseDocumentId, published: false, decision, chapters: [] };
    const chapters = await loadCourseChapters(strapi, courseDocumentId, locale);
    return {
      courseDocumentId,
      published: true,
      decision,
      chapters: chapters.map((c) => {
        const d = decideAccess(caller, course, { documentId: c.documentId, published: true, isPreview: c.isPreview, dripDays: c.dripDays }, ents, now, config);
        return {
          documentId: c.documentId,
          title: c.title,
          position: c.position,
          isPreview: c.isPreview,
          unlocked: d.allowed,
          ...(!d.allowed && d.unlocksAt ? { unlocksAt: d.unlocksAt.toISOString() } : {}),
        };
      }),
    };
  }

  return { decideCourse, decideChapter, courseReport };
};
