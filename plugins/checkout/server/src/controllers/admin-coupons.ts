import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /checkout/coupons (admin, `plugin::checkout.coupons.read`): coupons with their redemptions. */
  async find(ctx: Context) {
    ctx.body = { results: await getService(strapi, 'coupons').list() };
  },
});
