import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { z } from 'zod';
import type { healthResponseSchema } from '@kp/platform';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async check(ctx: Context) {
    ctx.body = (await getService(strapi, 'health').status()) satisfies z.input<typeof healthResponseSchema>;
  },
});
