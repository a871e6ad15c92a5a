/**
 * One progress row per (user, chapter). The user is a relation (a link table), so the pair is
 * folded into `progresses.unique_key` = `${userId}:${chapterDocumentId}` and made unique here:
 * `unique: true` in a schema is only an application-level check in Strapi 5, racy under
 * concurrent writes. Idempotent (see src/lib/constraints.ts for why it may run twice).
 */
import type { Knex } from 'knex';

const TABLE = 'progresses';
const INDEX = 'progresses_unique_key_uq';

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable(TABLE))) return; // fresh database: applied again after the schema sync
  await knex.raw('CREATE UNIQUE INDEX IF NOT EXISTS ?? ON ?? (??)', [INDEX, TABLE, 'unique_key']);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS ??', [INDEX]);
}
