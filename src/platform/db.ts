/**
 * The database toolkit every plugin shares: table and column names from Strapi's own metadata
 * (never spelled by hand), the transaction-aware raw connection, `INSERT … ON CONFLICT DO NOTHING`,
 * row locks, unique-violation detection on SQLite and PostgreSQL, and the one rule for nested
 * transactions that is correct on both.
 */
import { randomBytes } from 'node:crypto';
import { createId } from '@paralleldrive/cuid2';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

// Strapi keeps the open transaction of `strapi.db.transaction()` in an AsyncLocalStorage that its
// Query Engine joins, but raw knex (`strapi.db.connection`) does not: a raw statement inside a
// caller's transaction would run on another connection — blocked forever on SQLite's single
// connection, blind to uncommitted rows on PostgreSQL. The store is not exported by the package's
// index, hence the deep import (checked against @strapi/database 5.54.0).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { transactionCtx } = require('@strapi/database/dist/transaction-context') as {
  transactionCtx: { get(): Knex.Transaction | undefined; onCommit(cb: () => void): void; onRollback(cb: () => void): void };
};

interface AttributeMeta {
  type?: string;
  columnName?: string;
  joinTable?: {
    name: string;
    joinColumn: { name: string };
    inverseJoinColumn?: { name: string };
    morphColumn?: { idColumn: { name: string }; typeColumn: { name: string } };
  };
}
interface ModelMeta {
  tableName: string;
  attributes: Record<string, AttributeMeta>;
}

/** A link table between two content types, as Strapi created it. */
export interface JoinNames {
  table: string;
  /** Column pointing at the owning side's row. */
  from: string;
  /** Column pointing at the target's row. */
  to: string;
}

/** Strapi's polymorphic link table of a media attribute (`files_related_mph`). */
export interface MorphNames {
  table: string;
  /** Column holding the file id. */
  file: string;
  /** Column holding the related row's id. */
  id: string;
  /** Column holding the related content type's UID. */
  type: string;
  /** Column holding the attribute name on the related type. */
  field: string;
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

/** The column of a scalar attribute (`documentId` → `document_id`). */
export function columnName(strapi: Core.Strapi, uid: string, attribute: string): string {
  const attr = modelMeta(strapi, uid).attributes[attribute];
  if (!attr) throw new Error(`${uid} has no attribute "${attribute}"`);
  if (!attr.columnName) throw new Error(`${uid}.${attribute} is not a scalar column`);
  return attr.columnName;
}

/** The link table of a relation attribute. */
export function joinNames(strapi: Core.Strapi, uid: string, relation: string): JoinNames {
  const jt = modelMeta(strapi, uid).attributes[relation]?.joinTable;
  if (!jt?.inverseJoinColumn) throw new Error(`${uid}.${relation} is not a relation with a link table`);
  return { table: jt.name, from: jt.joinColumn.name, to: jt.inverseJoinColumn.name };
}

/** The morph link table between files and the entries that use them. */
export function fileMorphNames(strapi: Core.Strapi): MorphNames {
  const jt = modelMeta(strapi, 'plugin::upload.file').attributes.related?.joinTable;
  if (!jt?.morphColumn) throw new Error('upload file metadata has no `related` morph table');
  return { table: jt.name, file: jt.joinColumn.name, id: jt.morphColumn.idColumn.name, type: jt.morphColumn.typeColumn.name, field: 'field' };
}

/** Table, columns and link tables of one content type, resolved lazily and kept (they depend on the schema only). */
export interface ModelNames {
  table: string;
  col(attribute: string): string;
  join(relation: string): JoinNames;
}

const namesCache = new WeakMap<Core.Strapi, Map<string, ModelNames>>();

/** Names of one content type, memoised per Strapi instance. */
export function modelNames(strapi: Core.Strapi, uid: string): ModelNames {
  let perApp = namesCache.get(strapi);
  if (!perApp) {
    perApp = new Map();
    namesCache.set(strapi, perApp);
  }
  const hit = perApp.get(uid);
  if (hit) return hit;
  const cols = new Map<string, string>();
  const joins = new Map<string, JoinNames>();
  const names: ModelNames = {
    table: tableName(strapi, uid),
    col(attribute) {
      let c = cols.get(attribute);
      if (c === undefined) cols.set(attribute, (c = columnName(strapi, uid, attribute)));
      return c;
    },
    join(relation) {
      let j = joins.get(relation);
      if (j === undefined) joins.set(relation, (j = joinNames(strapi, uid, relation)));
      return j;
    },
  };
  perApp.set(uid, names);
  return names;
}

/**
 * A table name for raw knex, qualified with the connection's PostgreSQL schema (`DATABASE_SCHEMA`)
 * unless it is the default: Strapi's own queries add the schema themselves (`withSchema`), raw
 * knex does not, and `withSchema` would not reach the tables of a join.
 */
export function qualifiedTable(strapi: Core.Strapi, table: string): string {
  const schema = strapi.db.getSchemaName?.();
  return schema && schema !== 'public' ? `${schema}.${table}` : table;
}

/** The knex to use for raw SQL: the caller's open transaction when there is one. */
export function rawConnection(strapi: Core.Strapi): Knex {
  return transactionCtx.get() ?? (strapi.db.connection as unknown as Knex);
}

/** The transaction open in this async context, if any. */
export function currentTransaction(): Knex.Transaction | undefined {
  return transactionCtx.get();
}

/**
 * Commit and rollback callbacks of the caller's open `strapi.db.transaction`, or null outside
 * one (a file moved on disk is moved back when the row that names it is rolled back). Callbacks
 * run synchronously once the outermost transaction ends.
 */
export function transactionHooks(): { onCommit(cb: () => void): void; onRollback(cb: () => void): void } | null {
  if (!transactionCtx.get()) return null;
  return { onCommit: (cb) => transactionCtx.onCommit(cb), onRollback: (cb) => transactionCtx.onRollback(cb) };
}

/** Whether the database is PostgreSQL (row locks and `SKIP LOCKED` exist there). */
export function isPostgres(strapi: Core.Strapi): boolean {
  return strapi.db.dialect.client === 'postgres';
}

/** Row values as the drivers return them: PostgreSQL gives bigint as string, SQLite booleans as 0/1. */
export type RowValue = string | number | boolean | Date | null;

/**
 * Inserts a row unless one with the same `conflictAttribute` exists (a unique index must cover
 * it); returns the new id, or null when the row was already there. On PostgreSQL the statement
 * waits for a concurrent transaction inserting the same key, then does nothing if it committed:
 * exactly the "second delivery of one event" case. documentId, timestamps and publishedAt are set
 * as the Document Service would for a type without Draft & Publish.
 */
export async function insertIgnoringConflict(
  strapi: Core.Strapi,
  uid: string,
  data: Record<string, RowValue>,
  conflictAttribute: string,
  now: Date,
  trx: Knex = rawConnection(strapi)
): Promise<number | null> {
  const n = modelNames(strapi, uid);
  const row: Record<string, unknown> = {
    // documentIds come from the generator Strapi's Document Service uses (cuid2).
    [n.col('documentId')]: createId(),
    [n.col('createdAt')]: now,
    [n.col('updatedAt')]: now,
    [n.col('publishedAt')]: now,
  };
  for (const [attribute, value] of Object.entries(data)) row[n.col(attribute)] = value;
  const inserted: Array<{ id: number } | number> = await trx(n.table).insert(row).onConflict(n.col(conflictAttribute)).ignore().returning('id');
  const first = inserted[0];
  if (first === undefined) return null;
  return typeof first === 'number' ? first : Number(first.id);
}

/**
 * The scalar attributes of one row, selected by `attribute = value`, optionally locked until the
 * transaction ends (`FOR UPDATE` on PostgreSQL; SQLite has no row locks and needs none: its single
 * connection runs one transaction at a time). One indexed statement.
 */
export async function selectRow(
  strapi: Core.Strapi,
  uid: string,
  where: { attribute: string; value: string | number },
  attributes: readonly string[],
  options: { forUpdate?: boolean; trx?: Knex } = {}
): Promise<Record<string, RowValue> | null> {
  const n = modelNames(strapi, uid);
  const trx = options.trx ?? rawConnection(strapi);
  const columns = Object.fromEntries(attributes.map((a) => [a, n.col(a)]));
  let query = trx(n.table).select(columns).where(n.col(where.attribute), where.value).first();
  if (options.forUpdate) query = query.forUpdate();
  const row = (await query) as Record<string, RowValue> | undefined;
  return row ?? null;
}

/** The id of the row where `attribute = value`, locked until the transaction ends (see selectRow). */
export async function lockRowId(strapi: Core.Strapi, uid: string, attribute: string, value: string | number, trx?: Knex): Promise<number | null> {
  const row = await selectRow(strapi, uid, { attribute, value }, ['id'], { forUpdate: true, trx });
  return row ? Number(row.id) : null;
}

/** Locks every row of the given documents (all locales, draft and published) until the transaction ends. */
export async function lockDocuments(strapi: Core.Strapi, uid: string, documentIds: readonly string[], trx?: Knex): Promise<void> {
  if (documentIds.length === 0) return;
  const n = modelNames(strapi, uid);
  await (trx ?? rawConnection(strapi))(n.table).select('id').whereIn(n.col('documentId'), [...documentIds]).forUpdate();
}

/** The id a to-one relation of row `id` points to (through Strapi's link table), or null. */
export async function relatedId(strapi: Core.Strapi, uid: string, id: number, relation: string, trx?: Knex): Promise<number | null> {
  const j = modelNames(strapi, uid).join(relation);
  const row = (await (trx ?? rawConnection(strapi))(j.table).select({ target: j.to }).where(j.from, id).first()) as { target: number | string } | undefined;
  return row ? Number(row.target) : null;
}

/** Updates scalar attributes of row `id` (and `updatedAt`). */
export async function updateRow(strapi: Core.Strapi, uid: string, id: number, data: Record<string, RowValue>, now: Date, trx?: Knex): Promise<void> {
  const n = modelNames(strapi, uid);
  const row: Record<string, RowValue> = { [n.col('updatedAt')]: now };
  for (const [attribute, value] of Object.entries(data)) row[n.col(attribute)] = value;
  await (trx ?? rawConnection(strapi))(n.table).where('id', id).update(row);
}

/**
 * Whether a database error is a unique-index violation: PostgreSQL `23505`, better-sqlite3
 * `SQLITE_CONSTRAINT_UNIQUE` / `_PRIMARYKEY`, or the same reported only in the message (knex
 * wraps some driver errors). Errors that merely mention a unique constraint in another context
 * (a foreign key, a NOT NULL) are not.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  if (typeof e.message === 'string' && /UNIQUE constraint failed|duplicate key value violates unique constraint/i.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== error ? isUniqueViolation(e.cause) : false;
}

/**
 * Runs `fn` so that its failure leaves the caller's transaction usable.
 *
 * Strapi's nested `strapi.db.transaction()` reuses the outer transaction without a savepoint, so on
 * PostgreSQL the first failed statement inside it aborts the whole outer transaction ("current
 * transaction is aborted"), and a caught error followed by a retry cannot work. Here: inside an open
 * transaction, `fn` runs between `SAVEPOINT` and `RELEASE`, and a failure rolls back to the
 * savepoint only (both databases support savepoints); outside any transaction, `fn` runs in a
 * transaction of its own.
 */
export async function withSavepoint<T>(strapi: Core.Strapi, fn: () => Promise<T>): Promise<T> {
  const trx = transactionCtx.get();
  if (!trx) return strapi.db.transaction(async () => fn());
  const name = `kp_sp_${randomBytes(6).toString('hex')}`;
  await trx.raw(`SAVEPOINT ${name}`);
  try {
    const result = await fn();
    await trx.raw(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await trx.raw(`ROLLBACK TO SAVEPOINT ${name}`);
    await trx.raw(`RELEASE SAVEPOINT ${name}`).catch(() => undefined);
    throw error;
  }
}

/**
 * Runs `fn` (under a savepoint, see withSavepoint) and runs it once more when it hits a unique
 * index: the usual "a concurrent writer inserted the same key first; now find its row" race.
 */
export async function retryOnUniqueViolation<T>(strapi: Core.Strapi, fn: () => Promise<T>, attempts = 2): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await withSavepoint(strapi, fn);
    } catch (error) {
      if (attempt >= attempts || !isUniqueViolation(error)) throw error;
    }
  }
}
