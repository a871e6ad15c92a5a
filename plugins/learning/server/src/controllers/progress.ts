import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { httpError, inputOf } from '@kp/platform';
import type { z } from 'zod';
import { getService } from '../utils';
import { course, overview, record } from '../routes/content-api';
import type { courseResponseSchema, overviewResponseSchema, recordResponseSchema } from '../routes/schemas';
import { learnerOf, requestLocale } from './request';

/** Progress routes: thin; the learner is always `ctx.state.user`, never an input. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST /api/progress { chapter, completed?, position?, locale? } (also accepted inside `data`). */
  async record(ctx: Context) {
    const learner = learnerOf(ctx);
    const { body, query } = inputOf(ctx, record);
    const locale = requestLocale(strapi, ctx, body.locale ?? query.locale);
    const result = await getService(strapi, 'progress').record(learner, {
      chapter: body.chapter,
      locale,
      ...(body.completed !== undefined ? { completed: body.completed } : {}),
      ...(body.position !== undefined ? { position: body.position } : {}),
    });
    ctx.status = 200;
    ctx.body = { data: result.progress, meta: { course: result.course, certificate: result.certificate } } satisfies z.input<typeof recordResponseSchema>;
  },

  /** GET /api/progress/courses/:documentId: per-chapter state and the percentage. */
  async course(ctx: Context) {
    const learner = learnerOf(ctx);
    const { params, query } = inputOf(ctx, course);
    const locale = requestLocale(strapi, ctx, query.locale);
    const view = await getService(strapi, 'progress').course(learner, params.documentId, locale);
    if (!view) throw httpError(404, 'Course not found.');
    ctx.body = { data: view, meta: { locale } } satisfies z.input<typeof courseResponseSchema>;
  },

  /** GET /api/progress/me: every started course, most recent first ("continue learning"). */
  async me(ctx: Context) {
    const learner = learnerOf(ctx);
    const locale = requestLocale(strapi, ctx, inputOf(ctx, overview).query.locale);
    const data = await getService(strapi, 'progress').overview(learner, locale);
    ctx.body = { data, meta: { total: data.length, locale } } satisfies z.input<typeof overviewResponseSchema>;
  },
});
