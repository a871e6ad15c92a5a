/**
 * Instructor routes (`/api/review/...`, users-permissions role `instructor`): their own courses
 * with review state, drafts included, submission, withdrawal, history and media. Every route
 * answers 404 for a course that is not the caller's, whether it exists or not.
 */
import type { Core } from '@strapi/strapi';
import type { z } from 'zod';
import { httpError, inputOf, type ReviewActor } from '@kp/platform';
import { availableActions } from '../domain/states';
import { getService } from '../utils';
import type { InstructorProfile } from '../services/course-facts';
import * as routes from '../routes/content-api';
import type * as schemas from '../routes/schemas';
import { runTransition, type HttpCtx } from './respond';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const facts = () => getService(strapi, 'course-facts');
  const submissions = () => getService(strapi, 'submissions');

  async function profileOf(ctx: HttpCtx): Promise<InstructorProfile> {
    const user = ctx.state.user as { id: number; role?: { type?: string } } | undefined;
    if (!user) throw httpError(401, 'Log in as an instructor.');
    if (user.role?.type !== 'instructor') throw httpError(403, 'Only instructors use the review routes.');
    if (ctx.state.reviewProfile === undefined) ctx.state.reviewProfile = await facts().profileOf(user.id);
    const profile = ctx.state.reviewProfile as InstructorProfile | null;
    if (!profile) throw httpError(403, 'Your account is not linked to an instructor profile yet: ask an editor.');
    return profile;
  }

  /** The caller's profile and the course documentId, or 404 when the course is not theirs. */
  async function ownCourse(ctx: HttpCtx): Promise<{ profile: InstructorProfile; documentId: string; actor: ReviewActor }> {
    const profile = await profileOf(ctx);
    // Every route calling this declares the same `:documentId` parameter.
    const { documentId } = inputOf(ctx, routes.getCourse).params;
    const f = (await facts().courseFacts([documentId], profile.documentId)).get(documentId);
    if (!f?.exists || f.owner !== 'caller') throw httpError(404, 'No such course among yours.');
    const user = ctx.state.user as { id: number };
    return { profile, documentId, actor: { kind: 'instructor', id: user.id, name: profile.name } };
  }

  return {
    /** GET /api/review/courses: my courses, each with its review state. */
    async listCourses(ctx: HttpCtx) {
      const profile = await profileOf(ctx);
      const courses = await facts().coursesOf(profile.documentId);
      const records = await submissions().recordsOf(courses.map((c) => c.documentId));
      const locale = await facts().defaultLocale();
      ctx.body = {
        data: courses.map((c) => {
          const r = records.get(c.documentId);
          const state = r?.state ?? 'draft';
          return {
            documentId: c.documentId,
            slug: c.slug,
            title: c.titles[locale] ?? Object.values(c.titles)[0] ?? null,
            titles: c.titles,
            draftLocales: c.draftLocales,
            publishedLocales: c.publishedLocales,
            live: c.publishedLocales.length > 0,
            updatedAt: c.updatedAt,
            review: {
              state,
              submittedAt: r?.submittedAt ?? null,
              decidedAt: r?.decidedAt ?? null,
              lastComment: r?.lastComment ?? null,
              actions: availableActions(state, 'instructor'),
            },
          };
        }),
        meta: { total: courses.length },
      } satisfies z.output<typeof schemas.myCoursesResponse>;
    },

    /** GET /api/review/courses/:documentId?locale=: my draft with its draft chapters. */
    async getCourse(ctx: HttpCtx) {
      const { documentId } = await ownCourse(ctx);
      const { locale: asked } = inputOf(ctx, routes.getCourse).query;
      const locale = asked ?? (await facts().defaultLocale());
      // One answer for a locale the platform does not have, on reads as on writes (authoring.ts).
      const known = await facts().localeCodes();
      if (!known.includes(locale)) throw httpError(400, `Unknown locale "${locale}": use one of ${known.join(', ')}.`, { reason: 'unknown-locale' });
      const detail = await facts().ownCourseDetail(documentId, locale);
      if (!detail) throw httpError(404, `This course has no draft in locale ${locale}.`);
      const record = await submissions().get(documentId);
      const state = record?.state ?? 'draft';
      ctx.body = {
        data: {
          ...detail,
          review: {
            state,
            submittedAt: record?.submittedAt ?? null,
            decidedAt: record?.decidedAt ?? null,
            lastComment: record?.lastComment ?? null,
            checks: record?.checks ?? [],
            actions: availableActions(state, 'instructor'),
          },
        },
      } satisfies z.output<typeof schemas.ownCourseResponse>;
    },

    /** POST /api/review/courses/:documentId/submit */
    async submit(ctx: HttpCtx) {
      const { documentId, actor, profile } = await ownCourse(ctx);
      await runTransition(ctx, documentId, 'submit', () => submissions().submit(documentId, actor, profile.documentId));
    },

    /** POST /api/review/courses/:documentId/withdraw */
    async withdraw(ctx: HttpCtx) {
      const { documentId, actor } = await ownCourse(ctx);
      await runTransition(ctx, documentId, 'withdraw', () => submissions().withdraw(documentId, actor));
    },

    /** GET /api/review/courses/:documentId/history */
    async history(ctx: HttpCtx) {
      const { documentId } = await ownCourse(ctx);
      const events = await submissions().history(documentId);
      // Editors are named by first name and initial only (see editorDisplayName); ids of admin users stay inside.
      ctx.body = {
        data: events.map((e) => ({
          action: e.action,
          from: e.from,
          to: e.to,
          actor: { type: e.actor.type, name: e.actor.name },
          comment: e.comment,
          checks: e.checks,
          at: e.at,
        })),
      } satisfies z.output<typeof schemas.instructorHistoryResponse>;
    },

    /** POST /api/review/media (multipart: field, documentId, files) */
    async uploadMedia(ctx: HttpCtx) {
      await profileOf(ctx);
      const { field, documentId } = inputOf(ctx, routes.uploadMedia).body;
      const file = await getService(strapi, 'media').attach(ctx as never, field, documentId);
      ctx.status = 201;
      ctx.body = { data: { field, documentId, file } } satisfies z.output<typeof schemas.mediaUploadResponse>;
    },
  };
};
