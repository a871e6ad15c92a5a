/**
 * Certificates (plugin::learning.certificate): one per (learner, course), and a verification code
 * that names one certificate only. The learner is a relation (a link table), so the pair is folded
 * into `learning_certificates.dedupe_key` = `${userId}:${courseDocumentId}`. Two concurrent
 * completions of a course's last chapters both try to issue: the index lets one insert win, and
 * the service reads the loser's duplicate-key error as "already issued". `unique: true` in a
 * schema would only be an application-level check, racy. Idempotent DDL (see
 * src/lib/constraints.ts: re-applied after every schema sync).
 */
import type { Knex } from 'knex';

const TABLE = 'learning_certificates';
const INDEXES: Array<[name: string, column: string]> = [
  ['learning_certificates_dedupe_key_uq', 'dedupe_key'],
  ['learning_certificates_code_uq', 'code'],
];

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable(TABLE))) return; // fresh database: applied again after the schema sync
  for (const [index, column] of INDEXES) {
    await knex.raw('CREATE UNIQUE INDEX IF NOT EXISTS ?? ON ?? (??)', [index, TABLE, column]);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [index] of INDEXES) await knex.raw('DROP INDEX IF EXISTS ??', [index]);
}
