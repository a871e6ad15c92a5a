/**
 * The community plugin's constraints and indexes. One review per (learner, course), one rating
 * summary per course, one report per (reporter, item), one block per learner: unique indexes, so
 * that two concurrent requests cannot both insert (`unique: true` in a schema is only an
 * application check). The other indexes serve the read paths (a course's visible reviews, a
 * question's answers) and the posting rate limit (an author's recent posts). Idempotent DDL (see
 * src/lib/constraints.ts: re-applied after every schema sync).
 */
import type { Knex } from 'knex';

const INDEXES: Array<{ name: string; table: string; columns: string[]; unique?: true }> = [
  { name: 'community_reviews_user_course_uq', table: 'community_reviews', columns: ['user_id', 'course_document_id'], unique: true },
  { name: 'community_reviews_course_state_idx', table: 'community_reviews', columns: ['course_document_id', 'state'] },
  { name: 'community_reviews_user_created_idx', table: 'community_reviews', columns: ['user_id', 'created_at'] },
  { name: 'community_rating_summaries_course_uq', table: 'community_rating_summaries', columns: ['course_document_id'], unique: true },
  { name: 'community_questions_course_idx', table: 'community_questions', columns: ['course_document_id', 'state'] },
  { name: 'community_questions_user_created_idx', table: 'community_questions', columns: ['user_id', 'created_at'] },
  { name: 'community_answers_question_idx', table: 'community_answers', columns: ['question_id'] },
  { name: 'community_answers_user_created_idx', table: 'community_answers', columns: ['user_id', 'created_at'] },
  { name: 'community_reports_user_target_uq', table: 'community_reports', columns: ['user_id', 'target_type', 'target_id'], unique: true },
  { name: 'community_reports_target_idx', table: 'community_reports', columns: ['target_type', 'target_id'] },
  { name: 'community_blocks_user_uq', table: 'community_blocks', columns: ['user_id'], unique: true },
];

export async function up(knex: Knex): Promise<void> {
  for (const index of INDEXES) {
    if (!(await knex.schema.hasTable(index.table))) continue; // fresh database: applied again after the schema sync
    const placeholders = index.columns.map(() => '??').join(', ');
    await knex.raw(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ?? ON ?? (${placeholders})`, [index.name, index.table, ...index.columns]);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const index of INDEXES) await knex.raw('DROP INDEX IF EXISTS ??', [index.name]);
}
