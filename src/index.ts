import type { Core } from '@strapi/strapi';
import { ensureLocales } from './lib/locales';
import { ensureRolesAndPermissions } from './lib/permissions';

export default {
  register(_: { strapi: Core.Strapi }) {},

  /** Locales, roles and permissions: idempotent, safe on every boot. */
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await ensureLocales(strapi);
    await ensureRolesAndPermissions(strapi);
  },
};
