/**
 * The checkout webhook inbox (`checkout_webhook_events`): the indexes its worker and its pages
 * read, and the state of rows stored before the inbox existed.
 *   - pending rows in apply order (`created`, `id`), and per ordering key (the head-of-line check
 *     "no earlier pending event of the same Stripe object"): partial indexes, so rows already done
 *     (almost all of them) cost nothing;
 *   - `state` for the counts of the health route and the metrics (dead letters);
 *   - rows from before the inbox were applied in the transaction that stored them: `done`.
 * Idempotent (src/lib/constraints.ts applies it again after every schema sync).
 */
import type { Knex } from 'knex';

const TABLE = 'checkout_webhook_events';

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable(TABLE))) return; // fresh database: applied again after the schema sync
  if (!(await knex.schema.hasColumn(TABLE, 'ordering_key'))) return; // the sync adds the inbox columns first
  await knex.raw(`CREATE INDEX IF NOT EXISTS checkout_webhook_events_pending_idx ON ?? (created, id) WHERE state = 'pending'`, [TABLE]);
  await knex.raw(`CREATE INDEX IF NOT EXISTS checkout_webhook_events_pending_key_idx ON ?? (ordering_key, created, id) WHERE state = 'pending'`, [TABLE]);
  await knex.raw('CREATE INDEX IF NOT EXISTS checkout_webhook_events_state_idx ON ?? (state)', [TABLE]);
  await knex(TABLE).whereNull('state').update({ state: 'done' });
}

export async function down(knex: Knex): Promise<void> {
  for (const name of ['checkout_webhook_events_pending_idx', 'checkout_webhook_events_pending_key_idx', 'checkout_webhook_events_state_idx']) await knex.raw('DROP INDEX IF EXISTS ??', [name]);
}
