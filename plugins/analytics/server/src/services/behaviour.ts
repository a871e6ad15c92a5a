/**
 * Behaviour features computed in SQL from the platform's own rows: the recommender's interactions
 * (view, like, purchase, progress, complete, refund — each with its course and time) grouped by
 * learner, as of a cut-off. Only rows at or before the cut-off are read; one GROUP BY query, the
 * per-learner aggregates reach Node and become the same features the offline evaluation uses
 * (domain/behaviour/features.ts `featuresFromAggregates`).
 */
import type { Core } from '@strapi/strapi';
import { DAY_MS, featuresFromAggregates, type Features } from '../domain/behaviour/features';
import { Db, num, sql } from './sql';

const INTERACTION_UID = 'plugin::recommender.interaction';

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
});
