/**
 * One outbox message per dedupe key (`order:<id>:paid`, `invoice:<id>:payment-failed`…), in the
 * database: the schema's `unique: true` is only an application check that the outbox's Query
 * Engine insert never runs, and two causes of one message (a redelivered event under another id,
 * Stripe's two events for one invoice) must write one row. The outbox catches the unique
 * violation under a savepoint (services/outbox.ts). Rows an older version wrote twice keep the
 * first. Idempotent DDL (see src/lib/constraints.ts: re-applied after every schema sync).
 */
import type { Knex } from 'knex';

const TABLE = 'notifications_outbox';
const INDEX = 'notifications_outbox_dedupe_key_uq';

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable(TABLE))) return; // fresh database: applied again after the schema sync
  await knex.raw(
    'DELETE FROM ?? WHERE ?? IS NOT NULL AND ?? NOT IN (SELECT MIN(??) FROM ?? WHERE ?? IS NOT NULL GROUP BY ??)',
    [TABLE, 'dedupe_key', 'id', 'id', TABLE, 'dedupe_key', 'dedupe_key']
  );
  await knex.raw('CREATE UNIQUE INDEX IF NOT EXISTS ?? ON ?? (??)', [INDEX, TABLE, 'dedupe_key']);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS ??', [INDEX]);
}
