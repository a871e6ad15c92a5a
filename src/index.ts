import type { Core } from '@strapi/strapi';
import { ensureLocales } from './lib/locales';
import { ensureRolesAndPermissions } from './lib/permissions';
import { registerConstraintMigrations } from './lib/constraints';
import { installQueryGuard, type QueryGuard } from './lib/query-guard';

const queryGuards = new WeakMap<Core.Strapi, QueryGuard>();

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerConstraintMigrations(strapi);
    // Shape and cost of every content-API query, checked before the database runs it.
    queryGuards.set(strapi, installQueryGuard(strapi));
  },

  /** Locales, roles and permissions: idempotent, safe on every boot. */
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    queryGuards.get(strapi)?.watchWrites();
    await ensureLocales(strapi);
    await ensureRolesAndPermissions(strapi);
  },
};
