import type { Core } from '@strapi/strapi';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async check(ctx: { body: unknown }) {
    ctx.body = await strapi.plugin('review').service('health').status();
  },
});
