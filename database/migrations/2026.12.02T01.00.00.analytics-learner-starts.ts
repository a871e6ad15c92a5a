/**
 * The analytics plugin's rollup of learning starts: one row per (learner, course) with the time of
 * the learner's first progress row in it. The learning report's "started" and "time to complete"
 * read it instead of grouping every progress row (plugins/analytics/server/src/services/rollup.ts
 * keeps it up to date from new progress rows and can rebuild it). Not a Strapi content type: only
 * this plugin reads or writes it, through raw SQL. Idempotent, like the other migrations.
 */
import type { Knex } from 'knex';

const TABLE = 'analytics_learner_starts';

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable(TABLE))) {
    await knex.schema.createTable(TABLE, (t) => {
      t.integer('learner_id').notNullable();
      t.string('course_document_id', 64).notNullable();
      // The same type Strapi gives datetimes on each database (epoch ms on SQLite, timestamp on PostgreSQL).
      t.datetime('first_at', { useTz: false, precision: 6 }).notNullable();
      t.primary(['learner_id', 'course_document_id']);
    });
  }
  // The first_at index: (first_at, course_document_id) in 2026.12.03T16.00.00.analytics-learning-indexes.ts.
  await knex.raw('CREATE INDEX IF NOT EXISTS ?? ON ?? (??, ??)', ['analytics_learner_starts_course_idx', TABLE, 'course_document_id', 'first_at']);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists(TABLE);
}
