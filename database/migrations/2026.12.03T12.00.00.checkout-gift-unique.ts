/**
 * A gift's claim code and its order are unique in the database (`checkout_gifts`):
 *   - `code`: a claim names exactly one gift, whatever a future code generator or a hand-made row
 *     does (codes are 20 random bytes today, so a collision is a bug, refused here, not a claim
 *     that could grant the wrong gift);
 *   - `order_document_id`: one paid gift order issues one gift, even if two deliveries of its
 *     webhook raced past the row lock.
 * Idempotent: see src/lib/constraints.ts.
 */
import type { Knex } from 'knex';

const TABLE = 'checkout_gifts';
const INDEXES: Array<{ column: string; name: string }> = [
  { column: 'code', name: 'checkout_gifts_code_uq' },
  { column: 'order_document_id', name: 'checkout_gifts_order_document_id_uq' },
];

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable(TABLE))) return; // fresh database: applied again after the schema sync
  for (const { column, name } of INDEXES) await knex.raw('CREATE UNIQUE INDEX IF NOT EXISTS ?? ON ?? (??)', [name, TABLE, column]);
}

export async function down(knex: Knex): Promise<void> {
  for (const { name } of INDEXES) await knex.raw('DROP INDEX IF EXISTS ??', [name]);
}
