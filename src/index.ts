import type { Core } from '@strapi/strapi';
import { ensureLocales } from './lib/locales';
import { ensureRolesAndPermissions } from './lib/permissions';
import { registerConstraintMigrations } from './lib/constraints';
import { registerOpenApiRoute } from './lib/openapi';
import { drainAccountEmails, equaliseAdminSignIn } from './lib/security/account-recovery';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerConstraintMigrations(strapi);
    // GET /api/openapi.json: the document of the REST surface (src/lib/openapi.ts).
    registerOpenApiRoute(strapi);
  },

  /** Locales, roles and permissions (forbidden ones revoked): idempotent, safe on every boot. */
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await ensureLocales(strapi);
    await ensureRolesAndPermissions(strapi);
    equaliseAdminSignIn(strapi);
  },

  /** Account e-mails prepared after their response finish before the database closes. */
  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await drainAccountEmails(strapi);
  },
};
