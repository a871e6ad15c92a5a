import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { inputOf } from '@kp/platform';
import type { z } from 'zod';
import { refusalFor } from '../domain/eligibility';
import { createReview, listReviews, mine, removeReview, reply, updateReview } from '../routes/content-api';
import type { deletedResponse, mineResponse, reviewListResponse, reviewResponse } from '../routes/schemas';
import { ownReview, publicReview } from '../services/reviews';
import { getService } from '../utils';
import { learnerOf, pagination } from './request';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const reviews = () => getService(strapi, 'reviews');
  const rating = async (courseDocumentId: string) => (await getService(strapi, 'ratings').forCourses([courseDocumentId])).get(courseDocumentId)!;

  return {
    async list(ctx: Context) {
      const { params, query } = inputOf(ctx, listReviews);
      const result = await reviews().list(params.documentId, query);
      ctx.body = {
        data: result.rows.map(publicReview),
        meta: { pagination: pagination(query.page, query.pageSize, result.total), rating: result.rating },
      } satisfies z.input<typeof reviewListResponse>;
    },

    async mine(ctx: Context) {
      const learner = learnerOf(ctx);
      const { params } = inputOf(ctx, mine);
      const { row, verdict } = await reviews().mine(learner, params.documentId, new Date());
      ctx.body = {
        data: row ? ownReview(row) : null,
        meta: verdict.eligible ? { eligible: true, reason: null, message: null } : { eligible: false, reason: verdict.reason, message: refusalFor(verdict.reason, 'rate').message },
      } satisfies z.input<typeof mineResponse>;
    },

    async create(ctx: Context) {
      const learner = learnerOf(ctx);
      const { params, body } = inputOf(ctx, createReview);
      const row = await reviews().create(learner, params.documentId, body, new Date());
      ctx.status = 201;
      ctx.body = { data: ownReview(row), meta: { rating: await rating(params.documentId) } } satisfies z.input<typeof reviewResponse>;
    },

    async update(ctx: Context) {
      const learner = learnerOf(ctx);
      const { params, body } = inputOf(ctx, updateReview);
      const row = await reviews().update(learner, params.documentId, params.id, body, new Date());
      ctx.body = { data: ownReview(row), meta: { rating: await rating(params.documentId) } } satisfies z.input<typeof reviewResponse>;
    },

    async remove(ctx: Context) {
      const learner = learnerOf(ctx);
      const { params } = inputOf(ctx, removeReview);
      await reviews().remove(learner, params.documentId, params.id, new Date());
      ctx.body = { data: { id: params.id, deleted: true as const }, meta: { rating: await rating(params.documentId) } } satisfies z.input<typeof deletedResponse>;
    },

    async reply(ctx: Context) {
      const user = learnerOf(ctx);
      const { params, body } = inputOf(ctx, reply);
      const row = await reviews().reply(user, params.documentId, params.id, body.text, new Date());
      ctx.body = { data: ownReview(row) } satisfies z.input<typeof reviewResponse>;
    },
  };
};
