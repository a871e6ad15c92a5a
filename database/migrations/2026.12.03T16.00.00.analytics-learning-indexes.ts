/**
 * Covering indexes for the learning report (plugins/analytics/server/src/services/reports.ts,
 * `learningCounts`): each measure is a range on its time column grouped by bucket × course, so an
 * index on (time, course) answers it from the index alone — no row lookup per enrolment, start or
 * certificate (EXPLAIN QUERY PLAN: `SEARCH … USING COVERING INDEX`). They replace the time-only
 * indexes of 2026.12.02T00.00.00.analytics-indexes.ts on the same tables (dropped here), so a write
 * maintains as many indexes as before. Idempotent; skipped while a table does not exist yet
 * (applied again after the schema sync, like the other migrations).
 */
import type { Knex } from 'knex';

const INDEXES: Array<{ table: string; columns: string[]; name: string; replaces?: string }> = [
  { table: 'paywall_entitlements', columns: ['created_at', 'course_ref'], name: 'analytics_entitlements_created_course_idx', replaces: 'analytics_entitlements_created_at_idx' },
  { table: 'learning_certificates', columns: ['completed_at', 'course_document_id'], name: 'analytics_certificates_completed_course_idx', replaces: 'analytics_certificates_completed_at_idx' },
  { table: 'learning_certificates', columns: ['created_at', 'state', 'course_document_id'], name: 'analytics_certificates_created_state_course_idx', replaces: 'analytics_certificates_created_at_idx' },
  // The learner-starts rollup (this plugin's own table): a range on first_at, not a skip-scan of the course index.
  { table: 'analytics_learner_starts', columns: ['first_at', 'course_document_id'], name: 'analytics_learner_starts_first_course_idx', replaces: 'analytics_learner_starts_first_at_idx' },
];

export async function up(knex: Knex): Promise<void> {
  for (const { table, columns, name, replaces } of INDEXES) {
    if (!(await knex.schema.hasTable(table))) continue;
    await knex.raw(`CREATE INDEX IF NOT EXISTS ?? ON ?? (${columns.map(() => '??').join(', ')})`, [name, table, ...columns]);
    if (replaces) await knex.raw('DROP INDEX IF EXISTS ??', [replaces]);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const { name } of INDEXES) await knex.raw('DROP INDEX IF EXISTS ??', [name]);
}
