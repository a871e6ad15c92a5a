import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { httpError, inputOf } from '@kp/platform';
import { myLearning, mySales } from '../routes/content-api';
import { getService } from '../utils';

/** `GET /api/analytics/me/…`: the caller is the instructor, never an input. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const input = (ctx: Context, spec: typeof mySales) => {
    const user = ctx.state.user as { id: number } | undefined;
    if (!user) throw httpError(403, 'Instructors only.');
    return getService(strapi, 'request').forInstructor(user.id, inputOf(ctx, spec).query, new Date());
  };
  return {
    async sales(ctx: Context) {
      ctx.body = { data: await getService(strapi, 'reports').instructorSales(await input(ctx, mySales)) };
    },
    async learning(ctx: Context) {
      ctx.body = { data: await getService(strapi, 'reports').learning(await input(ctx, myLearning)) };
    },
  };
};
