import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async check(ctx: Context) {
    ctx.body = await getService(strapi, 'health').status();
  },
  async platform(ctx: Context) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await getService(strapi, 'health').platform();
  },
});
