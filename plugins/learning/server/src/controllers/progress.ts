import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { pickLocale } from '../domain/locale';
import { getService, locales as supportedLocales } from '../utils';
import { documentIdSchema, parseOrBadRequest, recordBodySchema, supportedLocale } from '../validation';
import { learnerOf, respond } from './respond';

/** The learner's locale: `locale` (body or query) when given, else Accept-Language, else the default. */
export function requestLocale(strapi: Core.Strapi, ctx: Context, explicit: unknown): string {
  const locales = supportedLocales(strapi);
  const chosen = supportedLocale(explicit, locales);
  return pickLocale(chosen, ctx.get('accept-language') || undefined, locales, locales[0]!);
}

/** Progress routes: thin; the learner is always `ctx.state.user`, never an input. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST /api/progress { chapter, completed?, position?, locale? } (also accepted inside `data`). */
  async record(ctx: Context) {
    await respond(ctx, async () => {
      const learner = learnerOf(ctx);
      const raw = (ctx.request as { body?: unknown }).body;
      const body = raw && typeof raw === 'object' && 'data' in raw && Object.keys(raw).length === 1 ? (raw as { data: unknown }).data : raw;
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        throw new errors.ValidationError('Invalid progress: send a JSON object { chapter, completed, position? }.');
      }
      const input = parseOrBadRequest(recordBodySchema, body, 'progress');
      const locale = requestLocale(strapi, ctx, input.locale ?? (ctx.query as Record<string, unknown>).locale);
      const result = await getService(strapi, 'progress').record(learner, {
        chapter: input.chapter,
        locale,
        ...(input.completed !== undefined ? { completed: input.completed } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
      });
      ctx.status = 200;
      ctx.body = { data: result.progress, meta: { course: result.course, certificate: result.certificate } };
    });
  },

  /** GET /api/progress/courses/:documentId: per-chapter state and the percentage. */
  async course(ctx: Context) {
    await respond(ctx, async () => {
      const learner = learnerOf(ctx);
      const documentId = parseOrBadRequest(documentIdSchema, ctx.params.documentId, 'course documentId');
      const locale = requestLocale(strapi, ctx, (ctx.query as Record<string, unknown>).locale);
      const view = await getService(strapi, 'progress').course(learner, documentId, locale);
      if (!view) throw new errors.NotFoundError('Course not found.');
      ctx.body = { data: view, meta: { locale } };
    });
  },

  /** GET /api/progress/me: every started course, most recent first ("continue learning"). */
  async me(ctx: Context) {
    await respond(ctx, async () => {
      const learner = learnerOf(ctx);
      const locale = requestLocale(strapi, ctx, (ctx.query as Record<string, unknown>).locale);
      const data = await getService(strapi, 'progress').overview(learner, locale);
      ctx.body = { data, meta: { total: data.length, locale } };
    });
  },
});
