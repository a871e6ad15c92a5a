import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { inputOf } from '@kp/platform';
import type { z } from 'zod';
import { accept, answer, askQuestion, getQuestion, listQuestions, unanswered } from '../routes/content-api';
import type { answerResponse, questionListResponse, questionResponse } from '../routes/schemas';
import { getService } from '../utils';
import { learnerOf, pagination, viewerOf } from './request';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const questions = () => getService(strapi, 'questions');
  return {
    async list(ctx: Context) {
      const { params, query } = inputOf(ctx, listQuestions);
      const result = await questions().list(viewerOf(ctx), params.documentId, query, new Date());
      ctx.body = { data: result.data, meta: { pagination: pagination(query.page, query.pageSize, result.total) } } satisfies z.input<typeof questionListResponse>;
    },

    async findOne(ctx: Context) {
      const { params } = inputOf(ctx, getQuestion);
      ctx.body = { data: await questions().findOne(viewerOf(ctx), params.id, new Date()) } satisfies z.input<typeof questionResponse>;
    },

    async create(ctx: Context) {
      const learner = learnerOf(ctx);
      const { params, body } = inputOf(ctx, askQuestion);
      const data = await questions().create(learner, params.documentId, body, new Date());
      ctx.status = 201;
      ctx.body = { data } satisfies z.input<typeof questionResponse>;
    },

    async answer(ctx: Context) {
      const user = learnerOf(ctx);
      const { params, body } = inputOf(ctx, answer);
      const data = await questions().answer(user, params.id, body, new Date());
      ctx.status = 201;
      ctx.body = { data } satisfies z.input<typeof answerResponse>;
    },

    async accept(ctx: Context) {
      const user = learnerOf(ctx);
      const { params, body } = inputOf(ctx, accept);
      ctx.body = { data: await questions().accept(user, params.id, body.answerId, new Date()) } satisfies z.input<typeof questionResponse>;
    },

    async unanswered(ctx: Context) {
      const user = learnerOf(ctx);
      const { query } = inputOf(ctx, unanswered);
      const result = await questions().unanswered(user, query);
      ctx.body = { data: result.data, meta: { pagination: pagination(query.page, query.pageSize, result.total) } } satisfies z.input<typeof questionListResponse>;
    },
  };
};
