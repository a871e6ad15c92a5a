import type { Core } from '@strapi/strapi';
import { ensureLocales } from './lib/locales';
import { ensureRolesAndPermissions } from './lib/permissions';
import { registerConstraintMigrations } from './lib/constraints';
import { drainAccountEmails, equaliseAdminSignIn } from './lib/security/account-recovery';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerConstraintMigrations(strapi);
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
