import type { Core } from '@strapi/strapi';
import { presentContentManager } from './lib/content-manager-layout';
import { ensureLocales } from './lib/locales';
import { ensureRolesAndPermissions } from './lib/permissions';
import { registerConstraintMigrations } from './lib/constraints';
import { registerOpenApiRoute } from './lib/openapi';
import { drainAccountEmails, equaliseAdminSignIn } from './lib/security/account-recovery';
import { installQueryGuard, type QueryGuard } from './lib/query-guard';

const queryGuards = new WeakMap<Core.Strapi, QueryGuard>();

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerConstraintMigrations(strapi);
    // GET /api/openapi.json: the document of the REST surface (src/lib/openapi.ts).
    registerOpenApiRoute(strapi);
    // Shape and cost of every content-API query, checked before the database runs it.
    queryGuards.set(strapi, installQueryGuard(strapi));
  },

  /** Locales, roles and permissions (forbidden ones revoked): idempotent, safe on every boot. */
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    queryGuards.get(strapi)?.watchWrites();
    await ensureLocales(strapi);
    await ensureRolesAndPermissions(strapi);
    // Labels, hints and list columns of the catalogue in the Content Manager (only Strapi's defaults are replaced).
    await presentContentManager(strapi);
    equaliseAdminSignIn(strapi);
  },

  /** Account e-mails prepared after their response finish before the database closes. */
  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await drainAccountEmails(strapi);
  },
};
