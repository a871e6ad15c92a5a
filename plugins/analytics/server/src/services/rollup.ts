/**
 * The learner-starts rollup (`analytics_learner_starts`, created by a migration): when each learner
 * first touched each course. Maintained incrementally from progress rows created since the last
 * refresh (with an overlap, so that a row committed late is still seen; the upsert keeps the earlier
 * time, which makes the overlap harmless), refreshed before a report reads it when the last refresh is older
 * than a few seconds, and rebuilt from scratch on demand (and when it is empty while progress is
 * not). No write path of another plugin is touched: recording progress costs exactly what it did.
 */
import type { Core } from '@strapi/strapi';
import { PROGRESS_UID, USER_UID, qualifiedTable } from '@kp/platform';
import { Db, ident, sql } from './sql';

export const STARTS_TABLE = 'analytics_learner_starts';
/** Progress rows this much older than the watermark are read again (late commits). */
const OVERLAP_MS = 5 * 60_000;
/** A report refreshes the rollup first when the last refresh is older than this. */
const FRESH_MS = 5_000;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let watermark: number | null = null;
  let refreshedAt = 0;
  let running: Promise<void> | null = null;
  /** The number of accounts at the last refresh: when it changes, starts of erased accounts are removed. */
  let users: number | null = null;

  const table = () => qualifiedTable(strapi, STARTS_TABLE).split('.').map(ident).join('.');

  /** The SELECT of (learner, course, first progress) over progress rows created since `since` (all when null). */
  function firstsSince(d: Db, since: number | null) {
    const p = d.names(PROGRESS_UID);
    const l = p.join('user');
    const where = since === null ? sql('1 = 1') : sql(`p.${p.col('createdAt')} >= ?`, [d.at(new Date(since))]);
    return sql(
      `SELECT l.${l.to} AS learner_id, p.${p.col('courseDocumentId')} AS course_document_id, MIN(p.${p.col('createdAt')}) AS first_at ` +
        `FROM ${p.table} p JOIN ${l.table} l ON l.${l.from} = p.id WHERE ${where.text} GROUP BY 1, 2`,
      where.values
    );
  }

  async function latestProgress(d: Db): Promise<number | null> {
    const p = d.names(PROGRESS_UID);
    const [row] = await d.rows<{ latest: unknown }>(sql(`SELECT MAX(${p.col('createdAt')}) AS latest FROM ${p.table}`));
    if (row?.latest === null || row?.latest === undefined) return null;
    return d.pg ? new Date(row.latest as string | Date).getTime() : Number(row.latest);
  }

  /** Adds the starts of rows since `since`; a start already kept moves earlier if a row turned up with an earlier time, never later. */
  async function insertFirsts(d: Db, since: number | null): Promise<void> {
    const select = firstsSince(d, since);
    await d.rows(
      sql(`INSERT INTO ${table()} (learner_id, course_document_id, first_at) ${select.text} ON CONFLICT (learner_id, course_document_id) DO UPDATE SET first_at = excluded.first_at WHERE excluded.first_at < ${ident(STARTS_TABLE)}.first_at`, select.values)
    );
  }

  /** Empties the rollup and fills it again from every progress row. */
  async function rebuild(): Promise<void> {
    const d = new Db(strapi);
    const latest = await latestProgress(d);
    await d.knex.transaction(async (trx) => {
      await trx.raw(`DELETE FROM ${table()}`);
      const select = firstsSince(d, null);
      await trx.raw(`INSERT INTO ${table()} (learner_id, course_document_id, first_at) ${select.text}`, select.values as never[]);
    });
    watermark = latest;
    users = await userCount(d);
    refreshedAt = Date.now();
  }

  async function userCount(d: Db): Promise<number> {
    const [row] = await d.rows<{ n: unknown }>(sql(`SELECT COUNT(*) AS n FROM ${d.names(USER_UID).table}`));
    return Number(row?.n ?? 0);
  }

  /**
   * An erased learner's progress rows are deleted with the account (notifications' erasure): their
   * starts go too, so that "started" stays what the progress rows say. Checked when the number of
   * accounts changed since the last refresh (one COUNT otherwise).
   */
  async function dropErased(d: Db): Promise<void> {
    const n = await userCount(d);
    if (n === users) return;
    const u = d.names(USER_UID);
    await d.rows(sql(`DELETE FROM ${table()} WHERE NOT EXISTS (SELECT 1 FROM ${u.table} u WHERE u.id = ${table()}.learner_id)`));
    users = n;
  }

  /** Adds the starts of progress rows created since the last refresh. */
  async function refresh(): Promise<void> {
    const d = new Db(strapi);
    if (watermark === null) {
      const [row] = await d.rows<{ n: unknown }>(sql(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${table()} LIMIT 1) t`));
      if (Number(row?.n ?? 0) === 0) return rebuild();
      // A restart: the rollup holds everything up to its newest start at least.
      const [m] = await d.rows<{ latest: unknown }>(sql(`SELECT MAX(first_at) AS latest FROM ${table()}`));
      watermark = d.pg ? new Date(m!.latest as string | Date).getTime() : Number(m!.latest);
    }
    const latest = await latestProgress(d);
    if (latest !== null && latest >= watermark - OVERLAP_MS) {
      await insertFirsts(d, watermark - OVERLAP_MS);
      watermark = Math.max(watermark, latest);
    }
    await dropErased(d);
    refreshedAt = Date.now();
  }

  /** Makes the rollup current unless it was refreshed a moment ago; concurrent callers share one refresh. */
  async function ensureFresh(): Promise<void> {
    if (Date.now() - refreshedAt < FRESH_MS) return;
    if (!running) {
      running = refresh().finally(() => {
        running = null;
      });
    }
    await running;
  }

  /** The starts computed from the progress rows themselves (what the rollup must equal), as a FROM-able subquery. */
  const fromRows = (d: Db) => {
    const select = firstsSince(d, null);
    return sql(`(${select.text})`, select.values);
  };

  return { rebuild, refresh, ensureFresh, table, fromRows };
};
