import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import type { PluginConfig } from '../config';
import { getService } from '../utils';

const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** The zod issues of a failed parse as one sentence for the 400 body. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      if (i.code === 'unrecognized_keys') return `unknown parameter(s): ${i.keys.join(', ')}`;
      const where = i.path.join('.');
      return where ? `${where}: ${i.message}` : i.message;
    })
    .join('; ');
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const maxLimit = strapi.plugin('recommender').config('maxLimit') as PluginConfig['maxLimit'];
  const defaultLimit = strapi.plugin('recommender').config('defaultLimit') as PluginConfig['defaultLimit'];
  const querySchema = z
    .object({
      limit: z
        .string({ error: 'limit must be given once' })
        .regex(/^\d{1,4}$/, 'limit must be a whole number')
        .transform(Number)
        .pipe(z.number().int().min(1, 'limit must be at least 1').max(maxLimit, `limit must be at most ${maxLimit}`))
        .optional(),
      locale: z.string({ error: 'locale must be given once' }).regex(LOCALE, 'locale must be a locale code such as en or zh-Hans').optional(),
    })
    .strict();

  /** Validated `limit` and `locale` (a locale the platform has), or a 400. */
  async function listOptions(ctx: Context) {
    const parsed = querySchema.safeParse(ctx.query ?? {});
    if (!parsed.success) throw new errors.ValidationError(describeIssues(parsed.error));
    const locales = await getService(strapi, 'course-index').locales();
    const locale = parsed.data.locale ?? locales.defaultLocale;
    if (!locales.codes.has(locale)) throw new errors.ValidationError(`locale "${locale}" is not one of ${[...locales.codes].sort().join(', ')}`);
    return { limit: parsed.data.limit ?? defaultLimit, locale, defaultLocale: locales.defaultLocale };
  }

  return {
    /** GET /api/recommendations: personal with a learner's JWT, cold start without. */
    async find(ctx: Context) {
      const options = await listOptions(ctx);
      const user = ctx.state.user as { id?: number } | undefined;
      ctx.body = await getService(strapi, 'recommendations').forCaller(typeof user?.id === 'number' ? user.id : null, options);
    },

    /** GET /api/recommendations/courses/:documentId/similar */
    async similar(ctx: Context) {
      const documentId = String(ctx.params?.documentId ?? '');
      if (!DOCUMENT_ID.test(documentId)) throw new errors.ValidationError('documentId must be a course documentId');
      const options = await listOptions(ctx);
      const list = getService(strapi, 'recommendations').similar(documentId, options);
      if (!list) throw new errors.NotFoundError('No published course has this documentId');
      ctx.body = list;
    },
  };
};
