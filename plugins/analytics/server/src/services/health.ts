import type { Core } from '@strapi/strapi';

export default ({ strapi: _strapi }: { strapi: Core.Strapi }) => ({
  async status() {
    return { plugin: 'analytics', status: 'ok' as const };
  },
});
