import type { Core } from '@strapi/strapi';
import { checkDatabase, pluginHealth } from '@kp/platform';

/** The learning plugin needs its database and nothing else outside the process. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  status() {
    return pluginHealth('learning', [checkDatabase(strapi)]);
  },
});
