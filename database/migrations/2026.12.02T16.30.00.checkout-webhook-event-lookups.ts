/**
 * Lookups the checkout webhooks make among stored events: a refund failure is applied once per
 * refund (`object_id`), a `charge.refunded` older than a refund failure on its charge is not
 * applied, and disputes held until their order is known are found by PaymentIntent (`detail`).
 * Idempotent DDL (see src/lib/constraints.ts: re-applied after every schema sync).
 */
import type { Knex } from 'knex';

const INDEXES: Array<{ name: string; table: string; columns: string[] }> = [
  { name: 'checkout_webhook_events_object_idx', table: 'checkout_webhook_events', columns: ['object_id', 'outcome'] },
  { name: 'checkout_webhook_events_detail_idx', table: 'checkout_webhook_events', columns: ['detail', 'outcome'] },
];

export async function up(knex: Knex): Promise<void> {
  for (const index of INDEXES) {
    if (!(await knex.schema.hasTable(index.table))) continue; // fresh database: applied again after the schema sync
    const placeholders = index.columns.map(() => '??').join(', ');
    await knex.raw(`CREATE INDEX IF NOT EXISTS ?? ON ?? (${placeholders})`, [index.name, index.table, ...index.columns]);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const index of INDEXES) await knex.raw('DROP INDEX IF EXISTS ??', [index.name]);
}
