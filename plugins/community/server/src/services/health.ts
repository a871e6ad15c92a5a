import type { Core } from '@strapi/strapi';
import { checkDatabase, pluginHealth, type DependencyCheck } from '@kp/platform';

/** The database, and the paywall whose decision says who may post (without it nobody can). */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  status() {
    const paywall: DependencyCheck = strapi.plugin('paywall')
      ? { name: 'paywall', status: 'ok' }
      : { name: 'paywall', status: 'degraded', detail: 'the paywall plugin is not installed: nobody is eligible to post' };
    return pluginHealth('community', [checkDatabase(strapi), paywall]);
  },
});
