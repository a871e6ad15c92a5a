import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async check(ctx: { body: unknown }) {
    ctx.body = await getService(strapi, 'health').status();
  },
});
