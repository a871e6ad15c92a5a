/**
 * Reads about courses, chapters and instructors that the review plugin decides on: who owns what,
 * which versions exist, and the draft snapshot the checks run against. Query Engine only (no
 * Document Service), so that no other plugin's document middleware reshapes what we decide on.
 */
import type { Core } from '@strapi/strapi';
import { CHAPTER_UID, COURSE_UID, INSTRUCTOR_UID, type ReviewMedia } from '@kp/platform';
import type { CourseSnapshot } from '../domain/checks';
import { constrainedFields, violations, type AttributeSpec } from '../domain/constraints';
import type { Ownership } from '../domain/authoring';

export interface InstructorProfile {
  id: number;
  documentId: string;
  name: string;
  /** The profile's locale row the course relation points at (instructor is a localized type). */
  locale: string | null;
}

export interface CourseDocFacts {
  exists: boolean;
  owner: Ownership;
  /** documentId of the instructor on the draft, when there is one. */
  instructorDocumentId: string | null;
  hasPublishedVersion: boolean;
  draftLocales: string[];
  publishedLocales: string[];
}

export interface ChapterDocFacts {
  exists: boolean;
  /** Courses the chapter's versions (draft and published, every locale) belong to. */
  courseDocumentIds: string[];
  hasPublishedVersion: boolean;
  locales: string[];
}

interface VersionRow {
  documentId: string;
  locale: string | null;
  publishedAt: string | Date | null;
}

interface CourseRow extends VersionRow {
  instructor?: { documentId: string } | null;
}

interface ChapterRow extends VersionRow {
  course?: { documentId: string } | null;
}

export interface OwnCourseDetail {
  documentId: string;
  locale: string;
  title: string | null;
  slug: string | null;
  summary: string | null;
  description: string | null;
  level: string | null;
  access: string | null;
  price: number | null;
  currency: string | null;
  cover: ReviewMedia | null;
  tags: Array<{ documentId: string; name: string }>;
  category: { documentId: string; name: string } | null;
  updatedAt: string | null;
  chapters: Array<{
    documentId: string;
    title: string | null;
    position: number | null;
    isPreview: boolean;
    optional: boolean;
    duration: number | null;
    body: string | null;
    video: ReviewMedia | null;
    attachments: ReviewMedia[];
    live: boolean;
  }>;
  draftLocales: string[];
  publishedLocales: string[];
}

const toMedia = (f: Record<string, unknown> | null | undefined): ReviewMedia | null =>
  f && typeof f.id === 'number'
    ? { id: f.id, name: String(f.name ?? ''), url: String(f.url ?? ''), mime: String(f.mime ?? ''), size: Number(f.size ?? 0) }
    : null;

const uniq = <T>(xs: T[]) => [...new Set(xs)];

export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** A content type's attribute definitions as its schema declares them. */
  const attributesOf = (uid: typeof COURSE_UID | typeof CHAPTER_UID) =>
    strapi.contentType(uid).attributes as unknown as Record<string, AttributeSpec>;
  const courses = () => strapi.db.query(COURSE_UID);
  const chapters = () => strapi.db.query(CHAPTER_UID);

  const api = {
    /** The instructor profile linked to a users-permissions user, if any. */
    async profileOf(userId: number): Promise<InstructorProfile | null> {
      const row = (await strapi.db.query(INSTRUCTOR_UID).findOne({
        where: { user: { id: userId } },
        select: ['id', 'documentId', 'name', 'locale'],
        orderBy: { id: 'asc' },
      })) as { id: number; documentId: string; name: string; locale: string | null } | null;
      return row ? { id: row.id, documentId: row.documentId, name: row.name, locale: row.locale ?? null } : null;
    },

    /**
     * Makes sure the instructor profile has a version in `locale` (copied from the existing one by
     * the Document Service: name, slug, avatar), so that a course version in that locale can link it.
     */
    async ensureProfileLocale(profile: InstructorProfile, locale: string): Promise<void> {
      const rows = (await strapi.db.query(INSTRUCTOR_UID).findMany({
        where: { documentId: profile.documentId },
        select: ['locale', 'name', 'slug'],
      })) as Array<{ locale: string; name: string; slug: string }>;
      if (rows.length === 0 || rows.some((r) => r.locale === locale)) return;
      // name (not localized) is copied by the Document Service; a uid (slug) is per locale: pass it.
      await strapi.documents(INSTRUCTOR_UID).update({
        documentId: profile.documentId,
        locale,
        data: { name: rows[0]!.name, slug: rows[0]!.slug } as never,
      });
    },

    async defaultLocale(): Promise<string> {
      const locale = await strapi.plugin('i18n').service('locales').getDefaultLocale();
      return typeof locale === 'string' && locale ? locale : 'en';
    },

    /** The codes of the locales configured in the admin panel (Settings → Internationalization). */
    async localeCodes(): Promise<string[]> {
      const list = (await strapi.plugin('i18n').service('locales').find()) as Array<{ code: string }>;
      return list.map((l) => l.code);
    },

    /**
     * Whether another course (any version, draft included) already uses this slug in this locale.
     * Strapi checks uniqueness only when publishing; an instructor learns it when writing instead
     * of an editor finding out at approval.
     */
    async slugTaken(slug: string, locale: string, exceptDocumentId: string | null): Promise<boolean> {
      const where: Record<string, unknown> = { slug, locale };
      if (exceptDocumentId) where.documentId = { $ne: exceptDocumentId };
      return Boolean(await strapi.db.query(COURSE_UID).findOne({ where, select: ['id'] }));
    },

    /** Ownership and versions of courses, one query for all of them. */
    async courseFacts(documentIds: string[], profileDocumentId: string | null): Promise<Map<string, CourseDocFacts>> {
      const ids = uniq(documentIds.filter((d) => typeof d === 'string' && d.length > 0));
      const out = new Map<string, CourseDocFacts>();
      if (ids.length === 0) return out;
      const rows = (await courses().findMany({
        where: { documentId: { $in: ids } },
        select: ['documentId', 'locale', 'publishedAt'],
        populate: { instructor: { select: ['documentId'] } },
      })) as CourseRow[];
      for (const id of ids) {
        const versions = rows.filter((r) => r.documentId === id);
        const drafts = versions.filter((r) => !r.publishedAt);
        // The draft is the working version: its instructor is the owner (an editor may have
        // reassigned it in the draft before publishing).
        const owners = uniq(drafts.map((r) => r.instructor?.documentId).filter((x): x is string => Boolean(x)));
        const owner: Ownership =
          owners.length === 0 ? 'none' : profileDocumentId && owners.length === 1 && owners[0] === profileDocumentId ? 'caller' : 'other';
        out.set(id, {
          exists: versions.length > 0,
          owner,
          instructorDocumentId: owners.length === 1 ? owners[0]! : null,
          hasPublishedVersion: versions.some((r) => Boolean(r.publishedAt)),
          draftLocales: uniq(drafts.map((r) => r.locale ?? '')).filter(Boolean).sort(),
          publishedLocales: uniq(versions.filter((r) => r.publishedAt).map((r) => r.locale ?? '')).filter(Boolean).sort(),
        });
      }
      return out;
    },

    /** Which courses a chapter belongs to, over all its versions. */
    async chapterFacts(documentId: string): Promise<ChapterDocFacts> {
      const rows = (await chapters().findMany({
        where: { documentId },
        select: ['documentId', 'locale', 'publishedAt'],
        populate: { course: { select: ['documentId'] } },
      })) as ChapterRow[];
      return {
        exists: rows.length > 0,
        courseDocumentIds: uniq(rows.map((r) => r.course?.documentId).filter((x): x is string => Boolean(x))),
        hasPublishedVersion: rows.some((r) => Boolean(r.publishedAt)),
        locales: uniq(rows.filter((r) => !r.publishedAt).map((r) => r.locale ?? '')).filter(Boolean),
      };
    },

    /** Draft chapters of a course, every locale: what approval publishes. */
    async chapterDocumentIdsOf(courseDocumentId: string): Promise<string[]> {
      const rows = (await chapters().findMany({
        where: { course: { documentId: courseDocumentId }, publishedAt: null },
        select: ['documentId'],
      })) as Array<{ documentId: string }>;
      return uniq(rows.map((r) => r.documentId));
    },

    /**
     * The draft in one locale, with its draft chapters in that locale, as the checks see it; the
     * constraints publication enforces are read from the content types' schemas.
     */
    async snapshot(courseDocumentId: string, locale: string): Promise<CourseSnapshot> {
      const courseAttributes = attributesOf(COURSE_UID);
      const chapterAttributes = attributesOf(CHAPTER_UID);
      const courseFields = uniq(['title', 'summary', 'description', 'access', 'price', 'currency', ...constrainedFields(courseAttributes)]);
      const chapterFields = uniq(['title', 'body', 'isPreview', 'position', ...constrainedFields(chapterAttributes)]);
      const row = (await courses().findOne({
        where: { documentId: courseDocumentId, locale, publishedAt: null },
        select: courseFields,
        populate: {
          cover: { select: ['id'] },
          tags: { select: ['id'] },
          category: { select: ['id'] },
          chapters: {
            select: chapterFields,
            where: { publishedAt: null, locale },
            orderBy: { position: 'asc' },
            populate: { video: { select: ['id'] } },
          },
        },
      })) as Record<string, any> | null;
      if (!row) {
        return {
          title: null, summary: null, description: null, hasCover: false, access: null, price: null, currency: null,
          tagCount: 0, hasCategory: false, chapters: [], publicationViolations: [`the course has no draft in ${locale}`],
        };
      }
      const chapterRows = (row.chapters ?? []) as Array<Record<string, any>>;
      const publicationViolations = [
        ...violations(courseAttributes, row, 'publish').map((v) => v.message),
        ...chapterRows.flatMap((c, i) =>
          violations(chapterAttributes, c, 'publish').map((v) => `chapter ${i + 1}${c.title ? ` ${JSON.stringify(c.title)}` : ''}: ${v.message}`)
        ),
      ];
      return {
        title: row.title ?? null,
        summary: row.summary ?? null,
        description: row.description ?? null,
        hasCover: Boolean(row.cover?.id),
        access: row.access ?? null,
        price: row.price ?? null,
        currency: row.currency ?? null,
        tagCount: Array.isArray(row.tags) ? row.tags.length : 0,
        hasCategory: Boolean(row.category?.id),
        chapters: chapterRows.map((c) => ({
          title: c.title ?? null,
          hasContent: (c.body ?? '').trim().length > 0 || Boolean(c.video?.id),
          isPreview: Boolean(c.isPreview),
        })),
        publicationViolations,
      };
    },

    /** Every course of an instructor, grouped by document: what "my courses" lists. */
    async coursesOf(profileDocumentId: string): Promise<Array<{ documentId: string; slug: string | null; titles: Record<string, string>; draftLocales: string[]; publishedLocales: string[]; updatedAt: string | null }>> {
      const owned = (await courses().findMany({
        where: { instructor: { documentId: profileDocumentId }, publishedAt: null },
        select: ['documentId'],
      })) as Array<{ documentId: string }>;
      const ids = uniq(owned.map((r) => r.documentId));
      if (ids.length === 0) return [];
      const rows = (await courses().findMany({
        where: { documentId: { $in: ids } },
        select: ['documentId', 'slug', 'title', 'locale', 'publishedAt', 'updatedAt'],
        orderBy: [{ updatedAt: 'desc' }],
      })) as Array<VersionRow & { slug: string | null; title: string | null; updatedAt: string | Date | null }>;
      return ids.map((id) => {
        const versions = rows.filter((r) => r.documentId === id);
        const drafts = versions.filter((r) => !r.publishedAt);
        const latest = drafts.map((r) => (r.updatedAt ? new Date(r.updatedAt).toISOString() : '')).sort().at(-1) || null;
        return {
          documentId: id,
          slug: versions[0]?.slug ?? null,
          titles: Object.fromEntries(drafts.map((r) => [r.locale ?? '', r.title ?? ''])),
          draftLocales: uniq(drafts.map((r) => r.locale ?? '')).sort(),
          publishedLocales: uniq(versions.filter((r) => r.publishedAt).map((r) => r.locale ?? '')).sort(),
          updatedAt: latest,
        };
      });
    },

    /** One course's draft in one locale with its draft chapters, for its instructor (bodies included). */
    async ownCourseDetail(courseDocumentId: string, locale: string): Promise<OwnCourseDetail | null> {
      const facts = (await api.courseFacts([courseDocumentId], null)).get(courseDocumentId)!;
      const row = (await courses().findOne({
        where: { documentId: courseDocumentId, locale, publishedAt: null },
        populate: {
          cover: true,
          tags: { select: ['documentId', 'name'] },
          category: { select: ['documentId', 'name'] },
          chapters: {
            where: { publishedAt: null },
            orderBy: { position: 'asc' },
            populate: { video: true, attachments: true },
          },
        },
      })) as Record<string, any> | null;
      if (!row) return null;
      const chapterRows = (row.chapters ?? []) as Array<Record<string, any>>;
      const liveChapters = chapterRows.length
        ? new Set(
            ((await chapters().findMany({
              where: { documentId: { $in: chapterRows.map((c) => c.documentId) }, publishedAt: { $notNull: true } },
              select: ['documentId'],
            })) as Array<{ documentId: string }>).map((r) => r.documentId)
          )
        : new Set<string>();
      return {
        documentId: courseDocumentId,
        locale,
        title: row.title ?? null,
        slug: row.slug ?? null,
        summary: row.summary ?? null,
        description: row.description ?? null,
        level: row.level ?? null,
        access: row.access ?? null,
        price: row.price ?? null,
        currency: row.currency ?? null,
        cover: toMedia(row.cover),
        tags: (row.tags ?? []).map((t: { documentId: string; name: string }) => ({ documentId: t.documentId, name: t.name })),
        category: row.category ? { documentId: row.category.documentId, name: row.category.name } : null,
        updatedAt: row.updatedAt ? new Date(row.updatedAt).toISOString() : null,
        chapters: chapterRows.map((c) => ({
          documentId: c.documentId,
          title: c.title ?? null,
          position: c.position ?? null,
          isPreview: Boolean(c.isPreview),
          optional: Boolean(c.optional),
          duration: c.duration ?? null,
          body: c.body ?? null,
          video: toMedia(c.video),
          attachments: ((c.attachments ?? []) as Array<Record<string, unknown>>).map(toMedia).filter((m): m is ReviewMedia => m !== null),
          live: liveChapters.has(c.documentId),
        })),
        draftLocales: facts.draftLocales,
        publishedLocales: facts.publishedLocales,
      };
    },

    /** Course titles in one locale (falling back to any draft title), for the editors' queue. */
    async titlesOf(documentIds: string[], locale: string): Promise<Map<string, { title: string | null; slug: string | null }>> {
      const out = new Map<string, { title: string | null; slug: string | null }>();
      if (documentIds.length === 0) return out;
      const rows = (await courses().findMany({
        where: { documentId: { $in: uniq(documentIds) }, publishedAt: null },
        select: ['documentId', 'title', 'slug', 'locale'],
      })) as Array<{ documentId: string; title: string | null; slug: string | null; locale: string | null }>;
      for (const r of rows) {
        const seen = out.get(r.documentId);
        if (!seen || r.locale === locale) out.set(r.documentId, { title: r.title, slug: r.slug });
      }
      return out;
    },

    /** Instructor names by documentId. */
    async instructorNames(documentIds: string[]): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      const ids = uniq(documentIds.filter(Boolean));
      if (ids.length === 0) return out;
      const rows = (await strapi.db.query(INSTRUCTOR_UID).findMany({
        where: { documentId: { $in: ids } },
        select: ['documentId', 'name'],
      })) as Array<{ documentId: string; name: string }>;
      for (const r of rows) out.set(r.documentId, r.name);
      return out;
    },
  };
  return api;
};
