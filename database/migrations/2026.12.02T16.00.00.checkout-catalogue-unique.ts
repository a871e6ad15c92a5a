/**
 * The checkout catalogue's keys are unique in the database, so that concurrent synchronisations
 * (a save and a checkout at once, or two server instances) converge on one row:
 *   - one catalogue row per course or plan (`item_key`);
 *   - one row per Stripe Price (`stripe_price_id`): two syncs that got the same Price from Stripe
 *     (same idempotency key) record it once.
 * Idempotent: see src/lib/constraints.ts.
 */
import type { Knex } from 'knex';

const INDEXES: Array<{ table: string; column: string; name: string }> = [
  { table: 'checkout_catalogue_items', column: 'item_key', name: 'checkout_catalogue_items_item_key_uq' },
  { table: 'checkout_stripe_prices', column: 'stripe_price_id', name: 'checkout_stripe_prices_stripe_price_id_uq' },
];

export async function up(knex: Knex): Promise<void> {
  for (const { table, column, name } of INDEXES) {
    if (!(await knex.schema.hasTable(table))) continue; // fresh database: applied again after the schema sync
    await knex.raw('CREATE UNIQUE INDEX IF NOT EXISTS ?? ON ?? (??)', [name, table, column]);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const { name } of INDEXES) await knex.raw('DROP INDEX IF EXISTS ??', [name]);
}
