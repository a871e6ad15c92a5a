import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { inputOf } from '@kp/platform';
import type { z } from 'zod';
import { report } from '../routes/content-api';
import type { reportResponse } from '../routes/schemas';
import { getService } from '../utils';
import { learnerOf } from './request';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async create(ctx: Context) {
    const learner = learnerOf(ctx);
    const { body } = inputOf(ctx, report);
    const data = await getService(strapi, 'moderation').report(learner, body, new Date());
    ctx.status = 201;
    ctx.body = { data } satisfies z.input<typeof reportResponse>;
  },
});
