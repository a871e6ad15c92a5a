import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

// Strapi keeps the open transaction of `strapi.db.transaction()` in an AsyncLocalStorage that its
// Query Engine joins, but raw knex (`strapi.db.connection`) does not: a raw read inside a caller's
// transaction would run on another connection — blocked forever on SQLite's single connection,
// blind to uncommitted rows on PostgreSQL. The store is not exported by the package's index,
// hence the deep import (checked against @strapi/database 5.54.0).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { transactionCtx } = require('@strapi/database/dist/transaction-context') as {
  transactionCtx: { get(): Knex.Transaction | undefined; onCommit(cb: () => void): void; onRollback(cb: () => void): void };
};

/** The knex to use for raw SQL: the caller's open transaction when there is one. */
export function rawConnection(strapi: Core.Strapi): Knex {
  return transactionCtx.get() ?? (strapi.db.connection as unknown as Knex);
}

/**
 * Commit and rollback callbacks of the caller's open `strapi.db.transaction`, or null outside
 * one. Callbacks run synchronously once the outermost transaction ends.
 */
export function transactionHooks(): { onCommit(cb: () => void): void; onRollback(cb: () => void): void } | null {
  if (!transactionCtx.get()) return null;
  return { onCommit: (cb) => transactionCtx.onCommit(cb), onRollback: (cb) => transactionCtx.onRollback(cb) };
}
