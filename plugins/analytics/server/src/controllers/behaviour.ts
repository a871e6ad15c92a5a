import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { inputOf } from '@kp/platform';
import { LEARNER_FEATURE_NAMES } from '../domain/behaviour/features';
import { behaviourAtRisk, behaviourBuyers, behaviourCheckout } from '../routes/admin';
import { getService } from '../utils';

const RECENCY = LEARNER_FEATURE_NAMES.indexOf('recencyDays');
const COMPLETION = LEARNER_FEATURE_NAMES.indexOf('completionRatio');

/** The admin Behaviour section: model status and retraining, at-risk learners, likely buyers, segments, checkout success. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const models = () => getService(strapi, 'behaviour-models');
  return {
    async status(ctx: Context) {
      ctx.body = { data: await models().status() };
    },
    async retrain(ctx: Context) {
      void models().retrain();
      ctx.status = 202;
      ctx.body = { data: await models().status() };
    },
    async atRisk(ctx: Context) {
      const { limit } = inputOf(ctx, behaviourAtRisk).query;
      const r = await models().atRisk({ limit });
      ctx.body = {
        data: {
          model: r.model,
          learners: r.learners.map((l) => ({
            userId: l.userId,
            username: l.username,
            score: l.score,
            reason: l.reason,
            segment: l.segment,
            recencyDays: l.row[RECENCY] as number,
            completion: l.row[COMPLETION] as number,
          })),
        },
      };
    },
    async likelyBuyers(ctx: Context) {
      const { course, limit } = inputOf(ctx, behaviourBuyers).query;
      const r = await models().likelyBuyers({ course, limit });
      const titles = await getService(strapi, 'scope').titles('api::course.course', r.courses.map((c) => c.courseDocumentId));
      ctx.body = { data: { model: r.model, courses: r.courses.map((c) => ({ ...c, title: titles.get(c.courseDocumentId) ?? null })) } };
    },
    async segments(ctx: Context) {
      // `features`: the columns the segments were trained on (the centroids' order)
      ctx.body = { data: await models().segments() };
    },
    async checkout(ctx: Context) {
      const { days } = inputOf(ctx, behaviourCheckout).query;
      ctx.body = { data: { days, ...(await models().checkout(days)) } };
    },
  };
};
