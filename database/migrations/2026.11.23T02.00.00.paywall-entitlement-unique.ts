/**
 * One entitlement per (user, target, source, sourceRef). The user, course and plan are relations
 * (link tables), so the identity is folded into `paywall_entitlements.dedupe_key` =
 * `${userId}:${course|plan}:${targetDocumentId}:${source}:${sourceRef}` (written by the paywall's
 * service and its Document Service middleware) and made unique here: `unique: true` in a schema is
 * only an application-level check in Strapi 5, racy under concurrent grants. The second index
 * serves the read path's one entitlement query per request (`WHERE user_ref = ?`).
 * Idempotent (see src/lib/constraints.ts for why it may run twice).
 */
import type { Knex } from 'knex';

const TABLE = 'paywall_entitlements';

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable(TABLE))) return; // fresh database: applied again after the schema sync
  await knex.raw('CREATE UNIQUE INDEX IF NOT EXISTS ?? ON ?? (??)', ['paywall_entitlements_dedupe_key_uq', TABLE, 'dedupe_key']);
  await knex.raw('CREATE INDEX IF NOT EXISTS ?? ON ?? (??)', ['paywall_entitlements_user_ref_idx', TABLE, 'user_ref']);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS ??', ['paywall_entitlements_user_ref_idx']);
  await knex.raw('DROP INDEX IF EXISTS ??', ['paywall_entitlements_dedupe_key_uq']);
}
