/**
 * Small database helpers for the writes where Strapi's Query Engine has no word for what we need:
 * `INSERT … ON CONFLICT DO NOTHING` (an idempotency key that a concurrent transaction may be
 * inserting right now) and `SELECT … FOR UPDATE` (a row a concurrent delivery may be changing).
 * Table and column names come from Strapi's own metadata, never typed by hand.
 * Not a Strapi service: plain functions over `strapi` and the current transaction.
 */
import { createId } from '@paralleldrive/cuid2';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

interface AttributeMeta {
  type: string;
  columnName?: string;
  joinTable?: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } };
}
interface ModelMeta {
  tableName: string;
  attributes: Record<string, AttributeMeta>;
}

function modelMeta(strapi: Core.Strapi, uid: string): ModelMeta {
  const meta = strapi.db.metadata.get(uid) as unknown as ModelMeta | undefined;
  if (!meta) throw new Error(`no database metadata for ${uid}`);
  return meta;
}

/** The table of a content type. */
export function tableName(strapi: Core.Strapi, uid: string): string {
  return modelMeta(strapi, uid).tableName;
}

/** The column of a scalar attribute. */
export function columnName(strapi: Core.Strapi, uid: string, attribute: string): string {
  const attr = modelMeta(strapi, uid).attributes[attribute];
  if (!attr?.columnName) throw new Error(`${uid}.${attribute} is not a scalar column`);
  return attr.columnName;
}

/**
 * Inserts a row unless one with the same `conflictAttribute` exists (a unique index must cover
 * it); returns the new id, or null when the row was already there. On PostgreSQL the statement
 * waits for a concurrent transaction inserting the same key, then does nothing if it committed:
 * exactly the "second delivery of one event" case.
 */
export async function insertIgnoringConflict(
  strapi: Core.Strapi,
  trx: Knex.Transaction,
  uid: string,
  data: Record<string, string | number | boolean | Date | null>,
  conflictAttribute: string,
  now: Date
): Promise<number | null> {
  const row: Record<string, unknown> = {
    // documentIds come from the generator Strapi's Document Service uses (cuid2).
    [columnName(strapi, uid, 'documentId')]: createId(),
    [columnName(strapi, uid, 'createdAt')]: now,
    [columnName(strapi, uid, 'updatedAt')]: now,
    // Non draft-and-publish types are "published" from creation, as the Document Service does.
    [columnName(strapi, uid, 'publishedAt')]: now,
  };
  for (const [attribute, value] of Object.entries(data)) row[columnName(strapi, uid, attribute)] = value;
  const inserted: Array<{ id: number } | number> = await trx(tableName(strapi, uid))
    .insert(row)
    .onConflict(columnName(strapi, uid, conflictAttribute))
    .ignore()
    .returning('id');
  const first = inserted[0];
  if (first === undefined) return null;
  return typeof first === 'number' ? first : Number(first.id);
}

/**
 * The id of the row where `attribute = value`, locked until the transaction ends (PostgreSQL
 * `FOR UPDATE`). SQLite has no row locks and needs none: its single connection already runs one
 * transaction at a time.
 */
export async function lockRowId(
  strapi: Core.Strapi,
  trx: Knex.Transaction,
  uid: string,
  attribute: string,
  value: string | number
): Promise<number | null> {
  const row = (await trx(tableName(strapi, uid))
    .select('id')
    .where(columnName(strapi, uid, attribute), value)
    .forUpdate()
    .first()) as { id: number | string } | undefined;
  return row ? Number(row.id) : null;
}

/** Row values as the drivers return them: PostgreSQL gives bigint as string, SQLite booleans as 0/1. */
export type RowValue = string | number | boolean | Date | null;

/**
 * The scalar attributes of one row, selected by `attribute = value`, optionally locked
 * (`FOR UPDATE`). One indexed statement: the Query Engine's findOne costs several times more on a
 * path that runs once per webhook.
 */
export async function selectRow(
  strapi: Core.Strapi,
  trx: Knex.Transaction,
  uid: string,
  attribute: string,
  value: string | number,
  attributes: readonly string[],
  options: { forUpdate?: boolean } = {}
): Promise<Record<string, RowValue> | null> {
  const columns = Object.fromEntries(attributes.map((a) => [a, columnName(strapi, uid, a)]));
  let query = trx(tableName(strapi, uid)).select(columns).where(columnName(strapi, uid, attribute), value).first();
  if (options.forUpdate) query = query.forUpdate();
  const row = (await query) as Record<string, RowValue> | undefined;
  return row ?? null;
}

/** The id a to-one relation of row `id` points to (through Strapi's link table), or null. */
export async function relatedId(strapi: Core.Strapi, trx: Knex.Transaction, uid: string, id: number, relation: string): Promise<number | null> {
  const join = modelMeta(strapi, uid).attributes[relation]?.joinTable;
  if (!join) throw new Error(`${uid}.${relation} is not a relation with a link table`);
  const row = (await trx(join.name).select({ target: join.inverseJoinColumn.name }).where(join.joinColumn.name, id).first()) as { target: number | string } | undefined;
  return row ? Number(row.target) : null;
}

/** Updates scalar attributes of row `id` (and `updatedAt`). */
export async function updateRow(strapi: Core.Strapi, trx: Knex.Transaction, uid: string, id: number, data: Record<string, RowValue>, now: Date): Promise<void> {
  const row: Record<string, RowValue> = { [columnName(strapi, uid, 'updatedAt')]: now };
  for (const [attribute, value] of Object.entries(data)) row[columnName(strapi, uid, attribute)] = value;
  await trx(tableName(strapi, uid)).where('id', id).update(row);
}

/** Whether a database error is a unique-index violation (PostgreSQL 23505, SQLite CONSTRAINT_UNIQUE). */
export function isUniqueViolation(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; message?: unknown };
  if (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  return typeof e.message === 'string' && /UNIQUE constraint failed|duplicate key value/i.test(e.message);
}
