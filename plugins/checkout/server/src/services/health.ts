import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

/** The kernel's health service: the database and the Stripe configuration (settings.ts decides). */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  status() {
    return getService(strapi, 'settings').status();
  },
});
