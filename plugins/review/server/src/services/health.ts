import type { Core } from '@strapi/strapi';

export default ({ strapi: _strapi }: { strapi: Core.Strapi }) => ({
  async status() {
    return { plugin: 'review', status: 'ok' as const };
  },
});
