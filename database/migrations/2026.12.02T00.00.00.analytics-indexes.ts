/**
 * Indexes for the analytics plugin's aggregations (plugins/analytics/server/src/services/reports.ts):
 * each report filters one table by a time range (when a sale, a session, an enrolment, a
 * completion, a review event happened) and groups what it finds. Without these the range filter
 * is a full scan of the table. Idempotent (`IF NOT EXISTS`); skipped on a fresh database whose
 * tables do not exist yet (applied again after the schema sync, like the other migrations).
 */
import type { Knex } from 'knex';

const INDEXES: Array<{ table: string; columns: string[]; name: string }> = [
  { table: 'checkout_orders', columns: ['paid_at', 'currency'], name: 'analytics_orders_paid_at_idx' },
  { table: 'checkout_orders', columns: ['created_at', 'currency'], name: 'analytics_orders_created_at_idx' },
  { table: 'checkout_orders', columns: ['closed_at'], name: 'analytics_orders_closed_at_idx' },
  { table: 'checkout_orders', columns: ['last_event_at'], name: 'analytics_orders_last_event_at_idx' },
  { table: 'checkout_orders', columns: ['course_document_id', 'paid_at'], name: 'analytics_orders_course_paid_at_idx' },
  { table: 'subscriptions', columns: ['status', 'updated_at'], name: 'analytics_subscriptions_status_updated_idx' },
  { table: 'subscriptions', columns: ['created_at'], name: 'analytics_subscriptions_created_at_idx' },
  { table: 'progresses', columns: ['course_document_id', 'created_at'], name: 'analytics_progress_course_created_idx' },
  { table: 'progresses', columns: ['created_at'], name: 'analytics_progress_created_at_idx' },
  // Entitlements and certificates: covering (time, course) indexes in 2026.12.03T16.00.00.analytics-learning-indexes.ts.
  { table: 'review_events', columns: ['at'], name: 'analytics_review_events_at_idx' },
  { table: 'review_submissions', columns: ['decided_at'], name: 'analytics_submissions_decided_at_idx' },
];

export async function up(knex: Knex): Promise<void> {
  for (const { table, columns, name } of INDEXES) {
    if (!(await knex.schema.hasTable(table))) continue;
    await knex.raw(`CREATE INDEX IF NOT EXISTS ?? ON ?? (${columns.map(() => '??').join(', ')})`, [name, table, ...columns]);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const { name } of INDEXES) await knex.raw('DROP INDEX IF EXISTS ??', [name]);
}
