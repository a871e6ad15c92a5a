import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Whether checkout is configured (never the secrets themselves). */
  async check(ctx: Context) {
    ctx.body = await getService(strapi, 'health').status();
  },
});
