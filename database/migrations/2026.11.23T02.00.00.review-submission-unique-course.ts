/**
 * One review submission row per course: `review_submissions.course_document_id` is unique, so two
 * concurrent first submissions of the same course cannot both create a row (the loser gets a
 * duplicate-key error, answered 409). The history is read per course, hence the second index.
 * Idempotent (see src/lib/constraints.ts for why it may run twice).
 */
import type { Knex } from 'knex';

const SUBMISSIONS = 'review_submissions';
const EVENTS = 'review_events';
const UNIQUE_COURSE = 'review_submissions_course_document_id_uq';
const EVENTS_BY_COURSE = 'review_events_course_document_id_idx';

export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable(SUBMISSIONS)) {
    await knex.raw('CREATE UNIQUE INDEX IF NOT EXISTS ?? ON ?? (??)', [UNIQUE_COURSE, SUBMISSIONS, 'course_document_id']);
  }
  if (await knex.schema.hasTable(EVENTS)) {
    await knex.raw('CREATE INDEX IF NOT EXISTS ?? ON ?? (??, ??)', [EVENTS_BY_COURSE, EVENTS, 'course_document_id', 'at']);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS ??', [UNIQUE_COURSE]);
  await knex.raw('DROP INDEX IF EXISTS ??', [EVENTS_BY_COURSE]);
}
