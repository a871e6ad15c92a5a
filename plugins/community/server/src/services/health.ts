import type { Core } from '@strapi/strapi';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async status() {
    const paywall = Boolean(strapi.plugin('paywall'));
    return { plugin: 'community', status: paywall ? ('ok' as const) : ('degraded' as const), details: { paywall } };
  },
});
