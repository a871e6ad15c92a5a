import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { inputOf } from '@kp/platform';
import type { z } from 'zod';
import { courses } from '../routes/content-api';
import type { coursesResponse } from '../routes/schemas';
import { getService } from '../utils';
import { pagination } from './request';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/community/courses?sort=rating:desc&minRating=4: the catalogue by rating. */
  async courses(ctx: Context) {
    const { query } = inputOf(ctx, courses);
    const result = await getService(strapi, 'ratings').sortedCourses(query);
    ctx.body = { data: result.data, meta: { pagination: pagination(query.page, query.pageSize, result.total), sort: query.sort } } satisfies z.input<typeof coursesResponse>;
  },
});
