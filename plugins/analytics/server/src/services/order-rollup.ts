/**
 * The daily order rollup (`analytics_order_days`, created by a migration): per local day of the
 * plugin's time zone, currency and course, the sales, refunds, disputes and checkout-funnel counts
 * that the sales, funnel and overview reports sum instead of reading every order of their range.
 *
 * Maintained incrementally by a refresh that reads only the orders changed since a watermark (the
 * newest `updatedAt` seen, kept in `analytics_rollup_state`, minus a window of seconds — and once a
 * minute, in the background, minus a 5-minute overlap — so that a change committed late is still
 * seen): for each, what it contributes now (domain/order-rollup.ts) minus
 * what it contributed before (kept per order in `analytics_order_facts`) is added to the cells, in
 * one transaction, under an advisory lock on PostgreSQL (so two instances never apply one change
 * twice; SQLite has one writer). Re-reading an unchanged order adds nothing. A report refreshes
 * first (concurrent reports share one refresh) and reads again only orders whose `updatedAt`
 * differs from the one they were folded at; so does the background fold (every
 * `rollupIntervalMs`), which re-reads the whole overlap once a minute. An order read again and
 * unchanged writes nothing. The rollup rebuilds itself from every order when
 * it has never been built or was built in another time zone, and on demand (`rebuild()`).
 *
 * Order writes (checkout's webhook path) are not touched: the work is done on the read side, and
 * its cost is what `npm run bench:analytics` measures next to the webhook path.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { isPostgres, modelNames, qualifiedTable } from '@kp/platform';
import { ORDER_UID } from '../constants';
import { contributionDelta, decodeContribution, encodeContribution, MEASURES, orderContribution, type Cell, type OrderSnapshot } from '../domain/order-rollup';
import { dayKey, localDayOf } from '../domain/periods';

export const DAYS_TABLE = 'analytics_order_days';
const FACTS_TABLE = 'analytics_order_facts';
const STATE_TABLE = 'analytics_rollup_state';
const STATE_NAME = 'order-days';
/** Orders changed this long before the watermark are read again by the periodic overlap read (late commits). */
const OVERLAP_MS = 5 * 60_000;
/**
 * The window before the watermark that every other refresh looks at for orders not folded yet
 * (a change committed within seconds of its `updatedAt`, as the webhook path's are). Looking at
 * the whole 5-minute overlap on every refresh read every order of a burst again each time: on
 * PostgreSQL, with 100k orders, that scan made the write path 0.79 of its speed at a 250 ms fold.
 */
const CHANGED_WINDOW_MS = 10_000;
const BATCH = 2_000;
/** How often the background fold reads the whole overlap again instead of the unfolded orders only. */
const OVERLAP_READ_EVERY_MS = 60_000;
/** A constant key for pg_advisory_xact_lock: one refresh of this rollup at a time across instances. */
const LOCK_KEY = 740_116_001;

type Raw = Record<string, unknown>;

const toMs = (v: unknown): number | null => {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v;
  const s = String(v);
  return /^\d+$/.test(s) ? Number(s) : new Date(s).getTime();
};
const toNum = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;

  const zone = (): string => (strapi.config.get('plugin::analytics') as { timeZone: string }).timeZone;
  const enabled = (): boolean => (strapi.config.get('plugin::analytics') as { orderRollup?: boolean }).orderRollup !== false;
  const table = (name: string): string => qualifiedTable(strapi, name);
  const days = (): string => table(DAYS_TABLE);
  /** A table's qualified name quoted for raw SQL (`"schema"."name"`). */
  const quoted = (name: string): string => table(name).split('.').map((p) => `"${p}"`).join('.');

  function snapshotOf(r: Raw): OrderSnapshot {
    return {
      currency: String(r.currency),
      courseDocumentId: (r.course as string | null) ?? null,
      state: String(r.state),
      amount: Number(r.amount ?? 0),
      amountPaid: toNum(r.amount_paid),
      amountRefunded: toNum(r.amount_refunded),
      disputeStatus: (r.dispute_status as string | null) ?? null,
      createdAt: toMs(r.created_at),
      paidAt: toMs(r.paid_at),
      closedAt: toMs(r.closed_at),
      lastEventAt: toMs(r.last_event_at),
    };
  }

  /** SELECT of the order columns the rollup reads (aliased), from `o`. */
  function orderColumns(): { table: string; select: string; updatedAt: string } {
    const n = modelNames(strapi, ORDER_UID);
    const c = (a: string) => `o.${n.col(a)}`;
    return {
      table: table(n.table),
      updatedAt: n.col('updatedAt'),
      select:
        `o.id AS id, ${c('currency')} AS currency, ${c('courseDocumentId')} AS course, ${c('state')} AS state, ${c('amount')} AS amount, ` +
        `${c('amountPaid')} AS amount_paid, ${c('amountRefunded')} AS amount_refunded, ${c('disputeStatus')} AS dispute_status, ` +
        `${c('createdAt')} AS created_at, ${c('paidAt')} AS paid_at, ${c('closedAt')} AS closed_at, ${c('lastEventAt')} AS last_event_at, ${c('updatedAt')} AS updated_at`,
    };
  }

  const rowsOf = (result: unknown): Raw[] => (isPostgres(strapi) ? (result as { rows: Raw[] }).rows : (result as Raw[])) ?? [];

  async function lock(trx: Knex.Transaction): Promise<void> {
    if (isPostgres(strapi)) await trx.raw('SELECT pg_advisory_xact_lock(?)', [LOCK_KEY]);
  }

  /** Adds cell deltas to the rollup (INSERT … ON CONFLICT DO UPDATE SET m = m + excluded.m). */
  async function applyCells(trx: Knex.Transaction, cells: readonly Cell[]): Promise<void> {
    const cols = ['day', 'currency', 'course', ...MEASURES];
    const set = MEASURES.map((m) => `"${m}" = r."${m}" + excluded."${m}"`).join(', ');
    const name = quoted(DAYS_TABLE);
    for (let i = 0; i < cells.length; i += 200) {
      const chunk = cells.slice(i, i + 200);
      const values = chunk.flatMap((c) => [c.day, c.currency, c.course, ...MEASURES.map((m) => c.measures[m] ?? 0)]);
      const tuples = chunk.map(() => `(${cols.map(() => '?').join(', ')})`).join(', ');
      await trx.raw(`INSERT INTO ${name} AS r (${cols.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples} ON CONFLICT (day, currency, course) DO UPDATE SET ${set}`, values);
    }
  }

  async function writeFacts(trx: Knex.Transaction, facts: Array<{ order_id: number; contribution: string; folded_at: number | null }>): Promise<void> {
    for (let i = 0; i < facts.length; i += 400) await trx(table(FACTS_TABLE)).insert(facts.slice(i, i + 400)).onConflict('order_id').merge();
  }

  /** Folds a batch of order rows into the rollup: their new contribution minus the stored one. */
  async function fold(trx: Knex.Transaction, rows: Raw[], dayOf: (ms: number) => string, fresh: boolean): Promise<void> {
    if (rows.length === 0) return;
    const before = new Map<number, { contribution: string; foldedAt: number | null }>();
    if (!fresh) {
      const ids = rows.map((r) => Number(r.id));
      for (let i = 0; i < ids.length; i += 500) {
        const found = (await trx(table(FACTS_TABLE)).whereIn('order_id', ids.slice(i, i + 500)).select('order_id', 'contribution', 'folded_at')) as Array<{ order_id: number; contribution: string; folded_at: unknown }>;
        for (const f of found) before.set(Number(f.order_id), { contribution: f.contribution, foldedAt: toMs(f.folded_at) });
      }
    }
    const changes: Array<{ before: Cell[]; after: Cell[] }> = [];
    const facts: Array<{ order_id: number; contribution: string; folded_at: number | null }> = [];
    for (const r of rows) {
      const after = orderContribution(snapshotOf(r), dayOf);
      const encoded = encodeContribution(after);
      const foldedAt = toMs(r.updated_at);
      const old = before.get(Number(r.id));
      if (old && old.contribution === encoded && !fresh) {
        // Re-read and unchanged: nothing to write (the overlap brings the same orders back every fold).
        if (old.foldedAt !== foldedAt) facts.push({ order_id: Number(r.id), contribution: encoded, folded_at: foldedAt });
        continue;
      }
      changes.push({ before: decodeContribution(old?.contribution), after });
      facts.push({ order_id: Number(r.id), contribution: encoded, folded_at: foldedAt });
    }
    await applyCells(trx, contributionDelta(changes));
    await writeFacts(trx, facts);
  }

  /** The local day of an instant, cached per quarter hour (every zone's offset is a multiple of 15 minutes). */
  const dayFn = (timeZone: string) => {
    const cache = new Map<number, string>();
    return (ms: number): string => {
      const slot = Math.floor(ms / 900_000);
      let day = cache.get(slot);
      if (day === undefined) cache.set(slot, (day = dayKey(localDayOf(new Date(slot * 900_000), timeZone))));
      return day;
    };
  };

  async function latestUpdate(trx: Knex.Transaction): Promise<number | null> {
    const o = orderColumns();
    const [row] = rowsOf(await trx.raw(`SELECT MAX(${o.updatedAt}) AS latest FROM ${o.table}`));
    return toMs(row?.latest);
  }

  async function saveState(trx: Knex.Transaction, timeZone: string, watermark: number | null): Promise<void> {
    await trx(table(STATE_TABLE)).insert({ name: STATE_NAME, time_zone: timeZone, watermark }).onConflict('name').merge();
  }

  async function rebuildIn(trx: Knex.Transaction, timeZone: string): Promise<void> {
    await trx(days()).delete();
    await trx(table(FACTS_TABLE)).delete();
    const latest = await latestUpdate(trx);
    const o = orderColumns();
    const dayOf = dayFn(timeZone);
    let last = 0;
    for (;;) {
      const rows = rowsOf(await trx.raw(`SELECT ${o.select} FROM ${o.table} o WHERE o.id > ? ORDER BY o.id LIMIT ${BATCH}`, [last]));
      if (rows.length === 0) break;
      await fold(trx, rows, dayOf, true);
      last = Number(rows[rows.length - 1]!.id);
    }
    await saveState(trx, timeZone, latest);
  }

  /** Empties the rollup and builds it again from every order, in the configured time zone. */
  async function rebuild(): Promise<void> {
    await strapi.db.connection.transaction(async (trx) => {
      await lock(trx);
      await rebuildIn(trx, zone());
    });
  }

  /**
   * The orders a report's refresh must fold: changed since the watermark (minus CHANGED_WINDOW_MS) and
   * not folded at their current updatedAt. One query, no transaction: nothing to do is the usual case.
   */
  async function pending(): Promise<boolean> {
    const knex = strapi.db.connection;
    const [state] = (await knex(table(STATE_TABLE)).where({ name: STATE_NAME }).select('time_zone', 'watermark')) as Array<{ time_zone: string; watermark: unknown }>;
    if (!state || state.time_zone !== zone()) return true;
    const watermark = toMs(state.watermark);
    if (watermark === null) return true;
    const o = orderColumns();
    const since = watermark - CHANGED_WINDOW_MS;
    const facts = quoted(FACTS_TABLE);
    // ORDER BY updatedAt: PostgreSQL's planner otherwise answers LIMIT 1 with a scan of the whole
    // order table (it expects an early match; the recent orders are at its end).
    const rows = rowsOf(
      await knex.raw(
        `SELECT 1 AS x FROM ${o.table} o LEFT JOIN ${facts} f ON f.order_id = o.id WHERE o.${o.updatedAt} >= ? AND ${notFolded()} ORDER BY o.${o.updatedAt} LIMIT 1`,
        [isPostgres(strapi) ? new Date(since) : since]
      )
    );
    return rows.length > 0;
  }

  /**
   * SQL of "not folded at its current updatedAt" for an order row `o` joined to its fact `f`
   * (a fact's `folded_at` is the order's `updatedAt` in ms when it was folded).
   */
  const notFolded = (): string => {
    const o = orderColumns();
    const updated = isPostgres(strapi) ? `(EXTRACT(EPOCH FROM o.${o.updatedAt}) * 1000)` : `o.${o.updatedAt}`;
    return `(f.folded_at IS NULL OR ABS(f.folded_at - ${updated}) >= 1)`;
  };

  /**
   * Folds in the orders changed since the watermark (rebuilds first when needed). `changed` (the
   * default) reads only the orders of the last CHANGED_WINDOW_MS before the watermark (and after)
   * not folded at their current updatedAt; `overlap` reads every order of the 5-minute overlap
   * again (the background's periodic check for a change committed long after its updatedAt, or one
   * that kept its updatedAt to the millisecond).
   */
  async function refresh(mode: 'changed' | 'overlap' = 'changed'): Promise<void> {
    await strapi.db.connection.transaction(async (trx) => {
      await lock(trx);
      const timeZone = zone();
      const [state] = (await trx(table(STATE_TABLE)).where({ name: STATE_NAME }).select('time_zone', 'watermark')) as Array<{ time_zone: string; watermark: unknown }>;
      if (!state || state.time_zone !== timeZone) return rebuildIn(trx, timeZone);
      const watermark = toMs(state.watermark);
      const o = orderColumns();
      const since = watermark === null ? null : watermark - (mode === 'changed' ? CHANGED_WINDOW_MS : OVERLAP_MS);
      const where = since === null ? '1 = 1' : `o.${o.updatedAt} >= ?`;
      const bound = since === null ? [] : [isPostgres(strapi) ? new Date(since) : since];
      let newest = watermark;
      let last = 0;
      const facts = quoted(FACTS_TABLE);
      const from = mode === 'changed' ? `${o.table} o LEFT JOIN ${facts} f ON f.order_id = o.id` : `${o.table} o`;
      const filter = mode === 'changed' ? ` AND ${notFolded()}` : '';
      for (;;) {
        const rows = rowsOf(await trx.raw(`SELECT ${o.select} FROM ${from} WHERE ${where}${filter} AND o.id > ? ORDER BY o.id LIMIT ${BATCH}`, [...bound, last]));
        if (rows.length === 0) break;
        await fold(trx, rows, dayFn(timeZone), false);
        for (const r of rows) newest = Math.max(newest ?? 0, toMs(r.updated_at) ?? 0);
        last = Number(rows[rows.length - 1]!.id);
      }
      if (newest !== watermark) await saveState(trx, timeZone, newest);
    });
  }

  /**
   * Makes the rollup include every order change committed before this call: a refresh already
   * running may have started before, so one more is queued behind it (shared by every caller
   * that arrives meanwhile).
   */
  function ensureFresh(): Promise<void> {
    if (!running) {
      running = pending()
        .then((work) => (work ? refresh() : undefined))
        .finally(() => {
        running = null;
      });
      return running;
    }
    if (!queued) {
      queued = running.catch(() => undefined).then(() => {
        queued = null;
        return ensureFresh();
      });
    }
    return queued;
  }

  /** Whether a report in `timeZone` can read the rollup (it is kept in the plugin's zone only). */
  const covers = (timeZone: string): boolean => enabled() && timeZone === zone();

  let lastOverlapRead = 0;
  /**
   * The background fold: the orders not folded at their current updatedAt; once a minute the whole
   * overlap again (a change that kept its updatedAt to the millisecond is caught there). Measured:
   * re-reading and rewriting the whole overlap every 250 ms cost the webhook path 24–31 % during a
   * burst (`npm run bench:analytics`, 8 rounds).
   */
  let background: Promise<void> | null = null;
  function backgroundFold(now = Date.now()): Promise<void> {
    // A fold still running (a loaded machine, a long burst) makes this tick a no-op: folds queued
    // behind one another would each hold a pool connection while they wait for the lock.
    if (background) return background;
    const mode = now - lastOverlapRead >= OVERLAP_READ_EVERY_MS ? 'overlap' : 'changed';
    if (mode === 'overlap') lastOverlapRead = now;
    // Nothing changed (the usual case between bursts): one SELECT, no transaction, no lock.
    background = (running ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => (mode === 'overlap' ? true : pending()))
      .then((work) => (work ? refresh(mode) : undefined))
      .finally(() => {
        background = null;
      });
    return background;
  }

  return { rebuild, refresh, ensureFresh, backgroundFold, covers, table: days };
};
