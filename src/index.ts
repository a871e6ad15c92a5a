import type { Core } from '@strapi/strapi';
import { presentContentManager } from './lib/content-manager-layout';
import { ensureLocales, grantLocalesToDefaultAdminRoles } from './lib/locales';
import { ensureRolesAndPermissions } from './lib/permissions';
import { registerConstraintMigrations } from './lib/constraints';
import { registerOpenApiRoute } from './lib/openapi';
import { drainAccountEmails, equaliseAdminSignIn } from './lib/security/account-recovery';
import { installQueryGuard, type QueryGuard } from './lib/query-guard';
import { authRetryAfter, shareAuthRateLimit } from './lib/security/auth-rate-limit';
import { startScaleOut, stopScaleOut } from '@kp/platform';

const queryGuards = new WeakMap<Core.Strapi, QueryGuard>();

export default {
  async register({ strapi }: { strapi: Core.Strapi }) {
    // How instances agree: the broadcast transport and the rate-limit store (src/platform/scale-out.ts).
    await startScaleOut(strapi);
    // users-permissions' auth rate limit counts in the shared store, and its 429 says when to retry.
    shareAuthRateLimit(strapi);
    strapi.server.use(authRetryAfter());
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
    await grantLocalesToDefaultAdminRoles(strapi);
    await ensureRolesAndPermissions(strapi);
    // Labels, hints and list columns of the catalogue in the Content Manager (only Strapi's defaults are replaced).
    await presentContentManager(strapi);
    equaliseAdminSignIn(strapi);
  },

  /** Account e-mails prepared after their response finish before the database closes; then the broadcast and Redis close. */
  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await drainAccountEmails(strapi);
    await stopScaleOut(strapi);
  },
};
