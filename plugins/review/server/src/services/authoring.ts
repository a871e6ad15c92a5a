/**
 * Instructor authoring through the core REST routes (`/api/courses`, `/api/chapters`), enforced as
 * a Document Service middleware: whatever route or controller writes a course or a chapter on
 * behalf of a users-permissions user, the write is a draft, the owner is set here, other
 * instructors' documents and courses in review are refused. Editors (admin panel), API tokens and
 * server code are not affected.
 *
 * Strapi 5 publishes on POST/PUT without `?status=draft`; forcing `status: 'draft'` on the
 * Document Service call neutralises `?status=published` and any body field alike.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';
import { CHAPTER_UID, COURSE_UID, httpError, isDocumentWrite, type DocumentContext, type DocumentMiddleware, type ReviewActor } from '@kp/platform';
import { INSTRUCTOR_READONLY_FIELDS, MEDIA_FIELDS } from '../constants';
import {
  decideAuthoring,
  describeRefusal,
  type AuthoringAction,
  type AuthoringRequest,
  type AuthoringTarget,
  type CourseFacts,
  type Ownership,
} from '../domain/authoring';
import { violations, type AttributeSpec } from '../domain/constraints';
import { getService } from '../utils';
import type { InstructorProfile } from './course-facts';

/**
 * `media`: the plugin itself links a file it has just uploaded and checked for the instructor.
 * `system`: server code writing on its own behalf during a user's request (see `asSystem`).
 */
const trusted = new AsyncLocalStorage<'media' | 'system'>();

/** The Document Service call as this middleware reads and rewrites it. */
type WriteContext = DocumentContext<Record<string, any>>;

export interface RequestCtx {
  state: {
    user?: { id: number; username?: string; role?: { type?: string } | null };
    auth?: { strategy?: { name?: string } };
    reviewProfile?: InstructorProfile | null;
  };
  throw(status: number, message: string, props?: Record<string, unknown>): never;
}

/** What a write says about the chapter's course: set to a documentId, removed, or not mentioned. */
export type CourseRef = { kind: 'set'; documentId: string } | { kind: 'unset' } | { kind: 'invalid' };

/** Reads the `course` relation of chapter data in the shapes the REST API accepts. */
export function parseCourseRef(value: unknown): CourseRef {
  const one = (x: unknown): string | null =>
    typeof x === 'string' && x.length > 0
      ? x
      : x && typeof x === 'object' && typeof (x as { documentId?: unknown }).documentId === 'string'
        ? (x as { documentId: string }).documentId
        : null;
  if (value === null) return { kind: 'unset' };
  const direct = one(value);
  if (direct) return { kind: 'set', documentId: direct };
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as { connect?: unknown; set?: unknown; disconnect?: unknown };
    const list = Array.isArray(v.set) ? v.set : Array.isArray(v.connect) ? v.connect : null;
    if (list && list.length === 1) {
      const id = one(list[0]);
      return id ? { kind: 'set', documentId: id } : { kind: 'invalid' };
    }
    if ((Array.isArray(v.set) && v.set.length === 0) || (list === null && Array.isArray(v.disconnect) && v.disconnect.length > 0)) {
      return { kind: 'unset' };
    }
  }
  return { kind: 'invalid' };
}

const isSetMedia = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const facts = () => getService(strapi, 'course-facts');
  const submissions = () => getService(strapi, 'submissions');

  async function profileFor(ctx: RequestCtx, userId: number): Promise<InstructorProfile | null> {
    if (ctx.state.reviewProfile === undefined) ctx.state.reviewProfile = await facts().profileOf(userId);
    return ctx.state.reviewProfile;
  }

  /**
   * Checks and rewrites one write, runs it, then reopens approved courses it touched. With
   * `dryRun`, only checks (the media route asks before uploading a file).
   */
  async function guard(ctx: RequestCtx, context: WriteContext, next: () => Promise<unknown>, dryRun = false) {
    const user = ctx.state.user!;
    const target: AuthoringTarget = context.uid === COURSE_UID ? 'course' : 'chapter';
    const action = context.action as AuthoringAction;
    const params = context.params;
    const data: Record<string, unknown> = params.data && typeof params.data === 'object' ? params.data : {};
    const profile = await profileFor(ctx, user.id);

    const courseRef = target === 'chapter' && 'course' in data ? parseCourseRef(data.course) : undefined;
    if (courseRef?.kind === 'invalid') {
      throw httpError(400, '`course` must be the documentId of one of your courses (a string, or { connect: [documentId] }).');
    }

    // A locale the platform does not have would create an orphan version nobody can read or review.
    if (typeof params.locale === 'string' && !(action === 'delete' && params.locale === '*')) {
      const known = await facts().localeCodes();
      if (!known.includes(params.locale)) {
        throw httpError(400, `Unknown locale "${params.locale}": use one of ${known.join(', ')}.`, { reason: 'unknown-locale' });
      }
    }

    // Values no later edit can make publishable (a negative price, a chapter position of 0): Strapi
    // stores them in a draft and refuses them only at the editor's approval, so refuse them now.
    if (action === 'create' || action === 'update') {
      const attributes = strapi.contentType(context.uid as typeof COURSE_UID).attributes as unknown as Record<string, AttributeSpec>;
      const bad = violations(attributes, data, 'draft');
      if (bad.length > 0) {
        throw httpError(400, `Invalid ${target}: ${bad.map((v) => v.message).join('; ')}.`, {
          reason: 'invalid-value',
          errors: bad.map((v) => ({ path: [v.field], message: v.message })),
        });
      }
    }

    return strapi.db.transaction(async ({ trx }) => {
      // Which courses this write touches, known before the lock so that the lock covers them.
      let chapter: Awaited<ReturnType<ReturnType<typeof facts>['chapterFacts']>> | null = null;
      const courseIds: string[] = [];
      if (target === 'course' && action !== 'create' && typeof params.documentId === 'string') courseIds.push(params.documentId);
      if (target === 'chapter' && action !== 'create' && typeof params.documentId === 'string') {
        chapter = await facts().chapterFacts(params.documentId);
        for (const id of chapter.courseDocumentIds) courseIds.push(id);
      }
      if (courseRef?.kind === 'set') courseIds.push(courseRef.documentId);
      await submissions().lockCourses(trx, courseIds);

      const courseFacts = await facts().courseFacts(courseIds, profile?.documentId ?? null);
      const states = await submissions().statesOf(courseIds);
      const courses: CourseFacts[] = [...new Set(courseIds)].map((id) => {
        const f = courseFacts.get(id);
        return { exists: Boolean(f?.exists), owner: f?.owner ?? 'none', state: states.get(id) ?? 'draft' };
      });

      let document: AuthoringRequest['document'];
      if (target === 'course' && action !== 'create') {
        const f = courseFacts.get(params.documentId);
        document = { exists: Boolean(f?.exists), owner: f?.owner ?? 'none', hasPublishedVersion: Boolean(f?.hasPublishedVersion) };
      } else if (chapter) {
        const owners = chapter.courseDocumentIds.map((id) => courseFacts.get(id)?.owner ?? 'none');
        const owner: Ownership = owners.length === 0 ? 'none' : owners.every((o) => o === 'caller') ? 'caller' : 'other';
        document = { exists: chapter.exists, owner, hasPublishedVersion: chapter.hasPublishedVersion };
      }

      const mediaFields = MEDIA_FIELDS[context.uid as keyof typeof MEDIA_FIELDS] as readonly string[];
      const readonly = (INSTRUCTOR_READONLY_FIELDS[context.uid as keyof typeof INSTRUCTOR_READONLY_FIELDS] as readonly string[]).filter(
        (f) => f in data
      );
      const decision = decideAuthoring({
        role: user.role?.type ?? null,
        hasProfile: Boolean(profile),
        action,
        target,
        document,
        courses,
        chapterWithoutCourse:
          target === 'chapter' && (courseRef?.kind === 'unset' || (action === 'create' && courseRef === undefined)),
        setsMediaById: trusted.getStore() !== 'media' && mediaFields.some((f) => isSetMedia(data[f])),
        readonlyFields: readonly,
      });
      if (!decision.allowed) {
        const { status, message } = describeRefusal(decision.reason, target, readonly);
        throw httpError(status, message, { reason: decision.reason });
      }

      if (dryRun) return undefined;

      if (target === 'course' && (action === 'create' || action === 'update') && typeof data.slug === 'string' && data.slug) {
        const locale = typeof params.locale === 'string' ? params.locale : await facts().defaultLocale();
        if (await facts().slugTaken(data.slug, locale, action === 'create' ? null : params.documentId)) {
          throw httpError(400, `The slug "${data.slug}" is already used by another course: choose another.`, { reason: 'slug-taken' });
        }
      }

      // Rewrite the call so that what is written is what was checked.
      if (action === 'create' || action === 'update') {
        params.status = 'draft';
        if ('publishedAt' in data) delete data.publishedAt;
        if (target === 'course') {
          // Relations between localized types link rows of the same locale: a course version in
          // zh-Hans needs the profile in zh-Hans, which is created (from the existing one) if missing.
          const locale = typeof params.locale === 'string' ? params.locale : await facts().defaultLocale();
          await facts().ensureProfileLocale(profile!, locale);
          data.instructor = profile!.documentId;
        }
        if (target === 'chapter' && courseRef?.kind === 'set') data.course = courseRef.documentId;
        if (target === 'chapter' && action === 'update' && courseRef === undefined && chapter?.courseDocumentIds.length === 1) {
          // A new locale of a chapter gets its course again: relations are stored per locale.
          const locale = typeof params.locale === 'string' ? params.locale : await facts().defaultLocale();
          if (!chapter.locales.includes(locale)) data.course = chapter.courseDocumentIds[0];
        }
        params.data = data;
      }
      if (action === 'delete') delete params.status; // the Document Service throws on status=draft (500)

      const result = await next();

      const actor: ReviewActor = { kind: 'instructor', id: user.id, name: profile!.name };
      for (const id of new Set(courseIds)) await submissions().reopenIfApproved(id, actor);
      if (target === 'course' && action === 'delete') {
        const after = (await facts().courseFacts([params.documentId], null)).get(params.documentId);
        if (!after?.exists) await submissions().forget(params.documentId);
      }
      return result;
    });
  }

  return {
    /** Runs `fn` with media fields allowed: the plugin links a file it has just uploaded and checked. */
    withTrustedMedia<T>(fn: () => Promise<T>): Promise<T> {
      return trusted.run('media', fn);
    },

    /**
     * Runs `fn` without the instructor rules: for server code that writes courses or chapters on
     * its own behalf while handling a user's request (a counter, a denormalised field). Never wrap
     * anything that takes its data from the request.
     */
    asSystem<T>(fn: () => Promise<T>): Promise<T> {
      return trusted.run('system', fn);
    },

    /** Would this instructor request be allowed to update the document? Throws the HTTP refusal if not. */
    async assertCanUpdate(ctx: RequestCtx, uid: typeof COURSE_UID | typeof CHAPTER_UID, documentId: string): Promise<void> {
      await guard(ctx, { uid, action: 'update', params: { documentId, data: {} } }, async () => undefined, true);
    },

    /** The Document Service middleware (registered in register.ts). */
    middleware(): DocumentMiddleware<Record<string, any>> {
      return async (context, next) => {
        if ((context.uid !== COURSE_UID && context.uid !== CHAPTER_UID) || !isDocumentWrite(context.action)) return next();
        const ctx = strapi.requestContext.get() as unknown as RequestCtx | undefined;
        // Only requests authenticated as a users-permissions user: the admin panel, API tokens,
        // webhooks and server code write as before.
        if (!ctx?.state?.user || ctx.state.auth?.strategy?.name !== 'users-permissions' || trusted.getStore() === 'system') return next();
        return guard(ctx, context, next);
      };
    },
  };
};
