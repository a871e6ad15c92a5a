/**
 * Stripe's ids are the checkout plugin's idempotency keys, so they are unique in the database, not
 * only in the application (`unique: true` in a Strapi 5 schema is a racy read-then-write check):
 *   - a webhook event id is stored once, in the transaction of its effects: a redelivery, a
 *     concurrent duplicate or a second instance fails on this index instead of applying twice;
 *   - a Checkout Session and a PaymentIntent belong to one order;
 *   - a learner has one Stripe customer (`user_key` folds the user relation into a column);
 *   - a Stripe subscription is mirrored by one `api::subscription.subscription` row.
 * PostgreSQL and SQLite both let several NULLs through a unique index, which is what we want for
 * orders whose session or PaymentIntent is not known yet. Idempotent: see src/lib/constraints.ts.
 */
import type { Knex } from 'knex';

const INDEXES: Array<{ table: string; column: string; name: string }> = [
  { table: 'checkout_webhook_events', column: 'event_id', name: 'checkout_webhook_events_event_id_uq' },
  { table: 'checkout_orders', column: 'checkout_session_id', name: 'checkout_orders_checkout_session_id_uq' },
  { table: 'checkout_orders', column: 'payment_intent_id', name: 'checkout_orders_payment_intent_id_uq' },
  { table: 'checkout_stripe_customers', column: 'user_key', name: 'checkout_stripe_customers_user_key_uq' },
  { table: 'checkout_stripe_customers', column: 'stripe_customer_id', name: 'checkout_stripe_customers_stripe_customer_id_uq' },
  { table: 'subscriptions', column: 'stripe_subscription_id', name: 'subscriptions_stripe_subscription_id_uq' },
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
