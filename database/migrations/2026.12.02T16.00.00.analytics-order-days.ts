/**
 * The analytics plugin's daily order rollup (plugins/analytics/server/src/services/order-rollup.ts):
 *   - `analytics_order_days`: per local day (in the plugin's time zone), currency and course
 *     ('' for plan orders), the sales, refunds, disputes and checkout-funnel counts the sales,
 *     funnel and overview reports read instead of every order of the range;
 *   - `analytics_order_facts`: per order, what it contributes there now (so that a change of the
 *     order moves exactly its old contribution out and its new one in);
 *   - `analytics_rollup_state`: the time zone the rollup was built in and its watermark;
 *   - an index on `checkout_orders.updated_at`, which the incremental refresh reads from.
 * Not Strapi content types: only this plugin reads or writes them, through raw SQL. Idempotent,
 * like the other migrations (the order index is created once the orders table exists).
 */
import type { Knex } from 'knex';

const MEASURES = ['orders', 'gross', 'refunds', 'refund_n', 'disputes', 'dispute_n', 'started', 'completed', 'paid', 'refunded', 'expired', 'failed', 'pending'];

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('analytics_order_days'))) {
    await knex.schema.createTable('analytics_order_days', (t) => {
      t.string('day', 10).notNullable();
      t.string('currency', 8).notNullable();
      t.string('course', 64).notNullable();
      for (const m of MEASURES) t.bigInteger(m).notNullable().defaultTo(0);
      t.primary(['day', 'currency', 'course']);
    });
  }
  if (!(await knex.schema.hasTable('analytics_order_facts'))) {
    await knex.schema.createTable('analytics_order_facts', (t) => {
      t.integer('order_id').notNullable().primary();
      t.text('contribution').notNullable();
      // The order's updatedAt (epoch ms) when it was folded in: a report's refresh skips orders unchanged since.
      t.bigInteger('folded_at').nullable();
    });
  }
  if (!(await knex.schema.hasTable('analytics_rollup_state'))) {
    await knex.schema.createTable('analytics_rollup_state', (t) => {
      t.string('name', 64).notNullable().primary();
      t.string('time_zone', 64).notNullable();
      t.bigInteger('watermark').nullable();
    });
  }
  if (await knex.schema.hasTable('checkout_orders')) {
    await knex.raw('CREATE INDEX IF NOT EXISTS ?? ON ?? (??)', ['analytics_orders_updated_at_idx', 'checkout_orders', 'updated_at']);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS ??', ['analytics_orders_updated_at_idx']);
  for (const t of ['analytics_order_days', 'analytics_order_facts', 'analytics_rollup_state']) await knex.schema.dropTableIfExists(t);
}
