import type { Core } from '@strapi/strapi';
import { checkDatabase, pluginHealth } from '@kp/platform';

/** Analytics reads the platform's tables and needs nothing else outside the process. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  status() {
    return pluginHealth('analytics', [checkDatabase(strapi)]);
  },
});
