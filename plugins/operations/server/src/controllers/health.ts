import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { healthController } from '@kp/platform';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  ...healthController('operations')({ strapi }),
  async platform(ctx: Context) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await getService(strapi, 'health').platform();
  },
});
