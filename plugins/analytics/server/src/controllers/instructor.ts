import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { httpError, inputOf } from '@kp/platform';
import { COURSE_UID } from '@kp/platform';
import { myAtRisk, myLearning, mySales } from '../routes/content-api';
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
    /** Learners of the caller's own courses by churn risk: username, progress, reason; never an e-mail. */
    async atRisk(ctx: Context) {
      const user = ctx.state.user as { id: number } | undefined;
      if (!user) throw httpError(403, 'Instructors only.');
      const { limit } = inputOf(ctx, myAtRisk).query;
      const scope = getService(strapi, 'scope');
      const instructor = await scope.instructorOfUser(user.id);
      if (!instructor) throw httpError(403, 'This account has no instructor profile.', { reason: 'no-instructor-profile' });
      const own = (await scope.coursesOf({ instructor })) ?? [];
      const r = await getService(strapi, 'behaviour-models').courseAtRisk(own, limit);
      const titles = await scope.titles(COURSE_UID, [...new Set(r.learners.map((l) => l.courseDocumentId))]);
      ctx.body = {
        data: {
          model: r.model && { version: r.model.version, trainedAt: r.model.trainedAt },
          learners: r.learners.map((l) => ({ ...l, courseTitle: titles.get(l.courseDocumentId) ?? null })),
        },
      };
    },
  };
};
