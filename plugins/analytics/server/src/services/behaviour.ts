/**
 * Behaviour features computed in SQL from the platform's own rows: the recommender's interactions
 * (view, like, purchase, progress, complete, refund — each with its course and time) grouped by
 * learner, as of a cut-off. Only rows at or before the cut-off are read; one GROUP BY query, the
 * per-learner aggregates reach Node and become the same features the offline evaluation uses
 * (domain/behaviour/features.ts `featuresFromAggregates`).
 */
import type { Core } from '@strapi/strapi';
import { DAY_MS, featuresFromAggregates, platformFeatures, type Features, type PlatformAggregates, type PlatformFeatures } from '../domain/behaviour/features';
import { Db, num, sql } from './sql';

const INTERACTION_UID = 'plugin::recommender.interaction';
const ORDER_UID = 'plugin::checkout.order';
const PROGRESS_UID = 'api::progress.progress';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Features of every learner with an interaction at or before `cutoff`, by users-permissions user id. */
  async features(cutoff: Date): Promise<Map<number, Features>> {
    const d = new Db(strapi);
    const i = d.names(INTERACTION_UID);
    const u = i.join('user');
    const at = `i.${i.col('at')}`;
    const ms = d.pg ? `(EXTRACT(EPOCH FROM ${at}) * 1000)` : at;
    const day = d.pg ? `FLOOR(EXTRACT(EPOCH FROM ${at}) / 86400)` : `(${at} / 86400000)`;
    const t = cutoff.getTime();
    const rows = await d.rows<Record<string, unknown>>(
      sql(
        `SELECT u.${u.to} AS "user", MIN(${ms}) AS "first", MAX(${ms}) AS "last", COUNT(*) AS "count",
                COUNT(DISTINCT i.${i.col('courseDocumentId')}) AS "distinctItems", COUNT(DISTINCT ${day}) AS "activeDays",
                SUM(CASE WHEN ${at} > ? THEN 1 ELSE 0 END) AS "last7", SUM(CASE WHEN ${at} > ? THEN 1 ELSE 0 END) AS "last30"
           FROM ${i.table} i JOIN ${u.table} u ON u.${u.from} = i.${i.col('id')}
          WHERE ${at} <= ?
          GROUP BY u.${u.to}`,
        [d.at(new Date(t - 7 * DAY_MS)), d.at(new Date(t - 30 * DAY_MS)), d.at(cutoff)],
      ),
    );
    const out = new Map<number, Features>();
    for (const r of rows) {
      out.set(
        num(r.user),
        featuresFromAggregates(
          {
            first: num(r.first),
            last: num(r.last),
            count: num(r.count),
            distinctItems: num(r.distinctItems),
            activeDays: num(r.activeDays),
            last7: num(r.last7),
            last30: num(r.last30),
          },
          t,
        ),
      );
    }
    return out;
  },

  /**
   * Purchases and progress of every learner with a paid order or a progress row at or before
   * `cutoff`: one GROUP BY on orders (paid at or before it) and one on progress rows (created at or
   * before it; a chapter counts as completed when completed at or before it).
   */
  async platform(cutoff: Date): Promise<Map<number, PlatformFeatures>> {
    const d = new Db(strapi);
    const o = d.names(ORDER_UID);
    const ol = o.join('user');
    const p = d.names(PROGRESS_UID);
    const pl = p.join('user');
    const paidAt = `o.${o.col('paidAt')}`;
    const created = `p.${p.col('createdAt')}`;
    const completed = `p.${p.col('completedAt')}`;
    const ms = (e: string) => (d.pg ? `(EXTRACT(EPOCH FROM ${e}) * 1000)` : e);
    const c = d.at(cutoff);
    const [orders, progress] = await Promise.all([
      d.rows<Record<string, unknown>>(
        sql(
          `SELECT l.${ol.to} AS "user", COUNT(*) AS "purchases", MAX(${ms(paidAt)}) AS "lastPurchaseAt"
             FROM ${o.table} o JOIN ${ol.table} l ON l.${ol.from} = o.${o.col('id')}
            WHERE ${paidAt} IS NOT NULL AND ${paidAt} <= ?
            GROUP BY l.${ol.to}`,
          [c],
        ),
      ),
      d.rows<Record<string, unknown>>(
        sql(
          `SELECT l.${pl.to} AS "user", COUNT(DISTINCT p.${p.col('courseDocumentId')}) AS "coursesStarted", COUNT(*) AS "chaptersStarted",
                  SUM(CASE WHEN ${completed} IS NOT NULL AND ${completed} <= ? THEN 1 ELSE 0 END) AS "chaptersCompleted"
             FROM ${p.table} p JOIN ${pl.table} l ON l.${pl.from} = p.${p.col('id')}
            WHERE ${created} <= ?
            GROUP BY l.${pl.to}`,
          [c, c],
        ),
      ),
    ]);
    const agg = new Map<number, PlatformAggregates>();
    const of = (user: number) => {
      let a = agg.get(user);
      if (!a) agg.set(user, (a = { purchases: 0, lastPurchaseAt: null, chaptersStarted: 0, chaptersCompleted: 0, coursesStarted: 0 }));
      return a;
    };
    for (const r of orders) {
      const a = of(num(r.user));
      a.purchases = num(r.purchases);
      a.lastPurchaseAt = r.lastPurchaseAt === null || r.lastPurchaseAt === undefined ? null : num(r.lastPurchaseAt);
    }
    for (const r of progress) {
      const a = of(num(r.user));
      a.coursesStarted = num(r.coursesStarted);
      a.chaptersStarted = num(r.chaptersStarted);
      a.chaptersCompleted = num(r.chaptersCompleted);
    }
    const t = cutoff.getTime();
    return new Map([...agg].map(([user, a]) => [user, platformFeatures(a, t)]));
  },
});
