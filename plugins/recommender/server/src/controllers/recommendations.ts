import { httpError, inputOf } from '@kp/platform';
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { findRoute, similarRoute } from '../routes/content-api';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** The list options: the parsed `limit`, and `locale` checked against the platform's locales (a 400 otherwise). */
  async function listOptions(query: { limit: number; locale?: string | undefined }) {
    const locales = await getService(strapi, 'course-index').locales();
    const locale = query.locale ?? locales.defaultLocale;
    if (!locales.codes.has(locale)) throw httpError(400, `locale "${locale}" is not one of ${[...locales.codes].sort().join(', ')}`);
    return { limit: query.limit, locale, defaultLocale: locales.defaultLocale };
  }

  return {
    /** GET /api/recommendations: personal with a learner's JWT, cold start without. */
    async find(ctx: Context) {
      const options = await listOptions(inputOf(ctx, findRoute).query);
      const user = ctx.state.user as { id?: number } | undefined;
      ctx.body = await getService(strapi, 'recommendations').forCaller(typeof user?.id === 'number' ? user.id : null, options);
    },

    /** GET /api/recommendations/courses/:documentId/similar */
    async similar(ctx: Context) {
      const { params, query } = inputOf(ctx, similarRoute);
      const list = await getService(strapi, 'recommendations').similar(params.documentId, await listOptions(query));
      if (!list) throw httpError(404, 'No published course has this documentId');
      ctx.body = list;
    },
  };
};
