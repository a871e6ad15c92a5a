import type { Core } from '@strapi/strapi';
import { ensureLocales } from './lib/locales';
import { ensureRolesAndPermissions } from './lib/permissions';
import { registerConstraintMigrations } from './lib/constraints';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerConstraintMigrations(strapi);
  },

  /** Locales, roles and permissions: idempotent, safe on every boot. */
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await ensureLocales(strapi);
    await ensureRolesAndPermissions(strapi);
  },
};
