import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { inputOf } from '@kp/platform';
import { funnel, learning, overview, review, sales } from '../routes/admin';
import { getService } from '../utils';

/** The admin pages' reports: validated query → period and courses → one report service call. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const input = (ctx: Context, spec: typeof sales) => getService(strapi, 'request').forEditor(inputOf(ctx, spec).query, new Date());
  const reports = () => getService(strapi, 'reports');
  return {
    async sales(ctx: Context) {
      ctx.body = { data: await reports().sales(await input(ctx, sales)) };
    },
    async funnel(ctx: Context) {
      ctx.body = { data: await reports().funnel(await input(ctx, funnel)) };
    },
    async learning(ctx: Context) {
      ctx.body = { data: await reports().learning(await input(ctx, learning)) };
    },
    async review(ctx: Context) {
      ctx.body = { data: await reports().review(await input(ctx, review)) };
    },
    async overview(ctx: Context) {
      ctx.body = { data: await reports().overview(await input(ctx, overview)) };
    },
  };
};
