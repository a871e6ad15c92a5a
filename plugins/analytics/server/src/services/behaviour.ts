/**
 * Behaviour features computed in SQL from the platform's own rows: the recommender's interactions
 * (view, like, purchase, progress, complete, refund — each with its course and time) grouped by
 * learner, as of a cut-off. Only rows at or before the cut-off are read; one GROUP BY query, the
 * per-learner aggregates reach Node and become the same features the offline evaluation uses
 * (domain/behaviour/features.ts `featuresFromAggregates`).
 */
import type { Core } from '@strapi/strapi';
import { USER_UID } from '@kp/platform';
import type { CheckoutSession } from '../domain/behaviour/checkout-success';
import { DAY_MS, VELOCITY_DAYS, INTERACTION_KINDS, learnerRow, featuresFromAggregates, platformFeatures, SPEND_CURRENCY, type Features, type InteractionKind, type PlatformAggregates, type PlatformFeatures } from '../domain/behaviour/features';
import { Db, num, sql, type Sql } from './sql';

const INTERACTION_UID = 'plugin::recommender.interaction';
const ORDER_UID = 'plugin::checkout.order';
const PROGRESS_UID = 'api::progress.progress';
const SUBSCRIPTION_UID = 'api::subscription.subscription';
const WEBHOOK_EVENT_UID = 'plugin::checkout.webhook-event';
const PROFILE_UID = 'plugin::notifications.profile';
const CERTIFICATE_UID = 'plugin::learning.certificate';

/** Every learner with an interaction at or before a cut-off, and their model row (LEARNER_FEATURE_NAMES order). */
export interface LearnerRows {
  ids: number[];
  rows: number[][];
  features: Map<number, Features>;
  platform: Map<number, PlatformFeatures>;
}

export interface CourseLearner {
  userId: number;
  courseDocumentId: string;
  chaptersStarted: number;
  chaptersCompleted: number;
}

const ms = (d: Db, e: string) => (d.pg ? `(EXTRACT(EPOCH FROM ${e}) * 1000)` : e);

/** The queries of a learner window (features as of `cutoff`) and of a label set, as SQL to run anywhere. */
export interface WindowQueries {
  cutoff: number;
  interactions: Sql;
  orders: Sql;
  progress: Sql;
  subscriptions: Sql;
  locales: Sql;
  certificates: Sql;
}

/** `SUM(CASE WHEN kind = 'view' …) AS "kind_view"` for every interaction kind (one scan: the same GROUP BY). */
const kindSums = (kindCol: string) => INTERACTION_KINDS.map((k) => `SUM(CASE WHEN ${kindCol} = '${k}' THEN 1 ELSE 0 END) AS "kind_${k}"`).join(', ');

/** The SQL of the features and labels; needs Strapi's metadata (names), not its connection. */
export function behaviourQueries(d: Db) {
  const i = d.names(INTERACTION_UID);
  const u = i.join('user');
  const at = `i.${i.col('at')}`;
  const o = d.names(ORDER_UID);
  const ol = o.join('user');
  const paidAt = `o.${o.col('paidAt')}`;
  return {
    /** Per-learner interaction aggregates at or before `cutoff` (`featuresFrom`). */
    interactions(cutoff: Date): Sql {
      const msAt = ms(d, at);
      const day = d.pg ? `FLOOR(EXTRACT(EPOCH FROM ${at}) / 86400)` : `(${at} / 86400000)`;
      const t = cutoff.getTime();
      return sql(
        `SELECT u.${u.to} AS "user", MIN(${msAt}) AS "first", MAX(${msAt}) AS "last", COUNT(*) AS "count",
                COUNT(DISTINCT i.${i.col('courseDocumentId')}) AS "distinctItems", COUNT(DISTINCT ${day}) AS "activeDays",
                SUM(CASE WHEN ${at} > ? THEN 1 ELSE 0 END) AS "last7", SUM(CASE WHEN ${at} > ? THEN 1 ELSE 0 END) AS "last30",
                ${kindSums(`i.${i.col('kind')}`)}
           FROM ${i.table} i JOIN ${u.table} u ON u.${u.from} = i.${i.col('id')}
          WHERE ${at} <= ?
          GROUP BY u.${u.to}`,
        [d.at(new Date(t - 7 * DAY_MS)), d.at(new Date(t - 30 * DAY_MS)), d.at(cutoff)],
      );
    },
    /**
     * Paid orders at or before `cutoff` per learner: how many (every currency), the last one, and
     * the spend in SPEND_CURRENCY (amount paid, else the order's amount; other currencies are not
     * converted and not summed: a sum over mixed currencies means nothing).
     */
    orders(cutoff: Date): Sql {
      const paid = `COALESCE(o.${o.col('amountPaid')}, o.${o.col('amount')})`;
      return sql(
        `SELECT l.${ol.to} AS "user", COUNT(*) AS "purchases", MAX(${ms(d, paidAt)}) AS "lastPurchaseAt",
                SUM(CASE WHEN LOWER(o.${o.col('currency')}) = ? THEN ${paid} ELSE 0 END) AS "spendMinor"
           FROM ${o.table} o JOIN ${ol.table} l ON l.${ol.from} = o.${o.col('id')}
          WHERE ${paidAt} IS NOT NULL AND ${paidAt} <= ?
          GROUP BY l.${ol.to}`,
        [SPEND_CURRENCY, d.at(cutoff)],
      );
    },
    /**
     * Each learner's subscriptions as they stood at `cutoff`: the subscriptions table keeps only
     * the latest snapshot, so the state then is read from the webhook inbox — the Stripe status in
     * the subscription's latest `customer.subscription.*` event created at or before the cut-off
     * (ties in one second: the later stored), and when its first event came. A subscription with
     * no such event by then did not exist yet. One query (window functions, both databases).
     */
    subscriptions(cutoff: Date): Sql {
      const e = d.names(WEBHOOK_EVENT_UID);
      const s = d.names(SUBSCRIPTION_UID);
      const sl = s.join('user');
      const payload = `e.${e.col('payload')}`;
      const status = d.pg ? `(${payload}::jsonb #>> '{data,object,status}')` : `json_extract(${payload}, '$.data.object.status')`;
      const object = `e.${e.col('objectId')}`;
      const created = `e.${e.col('created')}`;
      return sql(
        `SELECT t."user", t."status", t."startedAt" FROM (
           SELECT l.${sl.to} AS "user", ${status} AS "status", MIN(${created}) OVER (PARTITION BY ${object}) * 1000 AS "startedAt",
                  ROW_NUMBER() OVER (PARTITION BY ${object} ORDER BY ${created} DESC, e.${e.col('id')} DESC) AS "rn"
             FROM ${e.table} e
             JOIN ${s.table} s ON s.${s.col('stripeSubscriptionId')} = ${object}
             JOIN ${sl.table} l ON l.${sl.from} = s.${s.col('id')}
            WHERE e.${e.col('type')} LIKE 'customer.subscription.%' AND ${created} <= ?
         ) t WHERE t."rn" = 1`,
        [Math.floor(cutoff.getTime() / 1000)],
      );
    },
    /**
     * The preferred locale of learners whose profile existed at `cutoff` (created at or before
     * it). The profile keeps only the current value: one changed after the cut-off is read as it
     * is now (a value, not the fact of a later visit: a profile created later is not read at all).
     */
    locales(cutoff: Date): Sql {
      const p = d.names(PROFILE_UID);
      const users = d.names(USER_UID);
      return sql(
        `SELECT p.${p.col('userId')} AS "user", p.${p.col('preferredLanguage')} AS "locale"
           FROM ${p.table} p JOIN ${users.table} u ON u.${users.col('id')} = p.${p.col('userId')}
          WHERE p.${p.col('preferredLanguage')} IS NOT NULL AND p.${p.col('createdAt')} <= ?`,
        [d.at(cutoff)],
      );
    },
    /**
     * Progress rows created at or before `cutoff` per learner (a chapter completed when completed at
     * or before it), and the chapters completed in the VELOCITY_DAYS before it.
     */
    progress(cutoff: Date): Sql {
      const p = d.names(PROGRESS_UID);
      const pl = p.join('user');
      const created = `p.${p.col('createdAt')}`;
      const completed = `p.${p.col('completedAt')}`;
      const c = d.at(cutoff);
      return sql(
        `SELECT l.${pl.to} AS "user", COUNT(DISTINCT p.${p.col('courseDocumentId')}) AS "coursesStarted", COUNT(*) AS "chaptersStarted",
                SUM(CASE WHEN ${completed} IS NOT NULL AND ${completed} <= ? THEN 1 ELSE 0 END) AS "chaptersCompleted",
                SUM(CASE WHEN ${completed} IS NOT NULL AND ${completed} <= ? AND ${completed} > ? THEN 1 ELSE 0 END) AS "chaptersCompletedRecently"
           FROM ${p.table} p JOIN ${pl.table} l ON l.${pl.from} = p.${p.col('id')}
          WHERE ${created} <= ?
          GROUP BY l.${pl.to}`,
        [c, c, d.at(new Date(cutoff.getTime() - VELOCITY_DAYS * DAY_MS)), c],
      );
    },
    /** Courses each learner finished by `cutoff`: distinct courses of certificates completed at or before it (revoked ones too). */
    certificates(cutoff: Date): Sql {
      const c = d.names(CERTIFICATE_UID);
      const cl = c.join('learner');
      const completed = `c.${c.col('completedAt')}`;
      return sql(
        `SELECT l.${cl.to} AS "user", COUNT(DISTINCT c.${c.col('courseDocumentId')}) AS "coursesCompleted"
           FROM ${c.table} c JOIN ${cl.table} l ON l.${cl.from} = c.${c.col('id')}
          WHERE ${completed} <= ?
          GROUP BY l.${cl.to}`,
        [d.at(cutoff)],
      );
    },
    window(cutoff: Date): WindowQueries {
      return {
        cutoff: cutoff.getTime(),
        interactions: this.interactions(cutoff),
        orders: this.orders(cutoff),
        progress: this.progress(cutoff),
        subscriptions: this.subscriptions(cutoff),
        locales: this.locales(cutoff),
        certificates: this.certificates(cutoff),
      };
    },
    /** Learners with an interaction in (from, to] (`usersFrom`). */
    activeBetween(from: Date, to: Date): Sql {
      return sql(`SELECT DISTINCT u.${u.to} AS "user" FROM ${i.table} i JOIN ${u.table} u ON u.${u.from} = i.${i.col('id')} WHERE ${at} > ? AND ${at} <= ?`, [d.at(from), d.at(to)]);
    },
    /** Learners with an order paid in (from, to] (a course, a bundle or a plan). */
    buyersBetween(from: Date, to: Date): Sql {
      return sql(`SELECT DISTINCT l.${ol.to} AS "user" FROM ${o.table} o JOIN ${ol.table} l ON l.${ol.from} = o.${o.col('id')} WHERE ${paidAt} > ? AND ${paidAt} <= ?`, [d.at(from), d.at(to)]);
    },
  };
}

type Row = Record<string, unknown>;

/** Interaction features by learner from the `interactions` query's rows. */
export function featuresFrom(rows: readonly Row[], cutoff: number): Map<number, Features> {
  const out = new Map<number, Features>();
  for (const r of rows) {
    out.set(
      num(r.user),
      featuresFromAggregates(
        { first: num(r.first), last: num(r.last), count: num(r.count), distinctItems: num(r.distinctItems), activeDays: num(r.activeDays), last7: num(r.last7), last30: num(r.last30) },
        cutoff,
      ),
    );
  }
  return out;
}

/** The rows of a window's queries besides the interaction features' own. */
export interface PlatformRows {
  orders: readonly Row[];
  progress: readonly Row[];
  subscriptions: readonly Row[];
  locales: readonly Row[];
  certificates: readonly Row[];
  /** the `interactions` query's rows (their by-kind counts) */
  interactions: readonly Row[];
}

/** Platform features by learner from a window's rows (orders, progress, certificates, subscriptions, locales, interactions by kind). */
export function platformFrom(r: PlatformRows, cutoff: number): Map<number, PlatformFeatures> {
  const agg = new Map<number, PlatformAggregates & { subs: Array<{ status: string; startedAt: number }> }>();
  const of = (user: number) => {
    let a = agg.get(user);
    if (!a) agg.set(user, (a = { purchases: 0, lastPurchaseAt: null, chaptersStarted: 0, chaptersCompleted: 0, coursesStarted: 0, subs: [] }));
    return a;
  };
  for (const row of r.orders) {
    const a = of(num(row.user));
    a.purchases = num(row.purchases);
    a.lastPurchaseAt = row.lastPurchaseAt === null || row.lastPurchaseAt === undefined ? null : num(row.lastPurchaseAt);
    a.spendMinor = num(row.spendMinor);
  }
  for (const row of r.progress) {
    const a = of(num(row.user));
    a.coursesStarted = num(row.coursesStarted);
    a.chaptersStarted = num(row.chaptersStarted);
    a.chaptersCompleted = num(row.chaptersCompleted);
    a.chaptersCompletedRecently = num(row.chaptersCompletedRecently);
  }
  for (const row of r.certificates) of(num(row.user)).coursesCompleted = num(row.coursesCompleted);
  for (const row of r.subscriptions) of(num(row.user)).subs.push({ status: String(row.status ?? ''), startedAt: num(row.startedAt) });
  for (const row of r.locales) of(num(row.user)).locale = typeof row.locale === 'string' ? row.locale : null;
  for (const row of r.interactions) {
    const kinds: Partial<Record<InteractionKind, number>> = {};
    for (const k of INTERACTION_KINDS) kinds[k] = num(row[`kind_${k}`]);
    of(num(row.user)).kinds = kinds;
  }
  return new Map([...agg].map(([user, a]) => [user, platformFeatures({ ...a, subscriptions: a.subs }, cutoff)]));
}

/** The rows of learners with an interaction, ids ascending. */
export function learnerRowsFrom(features: Map<number, Features>, platform: Map<number, PlatformFeatures>): LearnerRows {
  const ids = [...features.keys()].sort((a, b) => a - b);
  return { ids, rows: ids.map((id) => learnerRow(features.get(id) as Features, platform.get(id))), features, platform };
}

/** A set of user ids from a query answering `user`. */
export const usersFrom = (rows: readonly Row[]): Set<number> => new Set(rows.map((r) => num(r.user)));

/** Runs every query of a window with `run` (concurrently). */
async function windowResults(q: WindowQueries, run: (query: Sql) => Promise<Row[]>): Promise<PlatformRows> {
  const [interactions, orders, progress, subscriptions, locales, certificates] = await Promise.all([
    run(q.interactions),
    run(q.orders),
    run(q.progress),
    run(q.subscriptions),
    run(q.locales),
    run(q.certificates),
  ]);
  return { interactions, orders, progress, subscriptions, locales, certificates };
}

/** Runs a window's queries with `run` and builds its rows. */
export async function windowRows(q: WindowQueries, run: (query: Sql) => Promise<Row[]>): Promise<LearnerRows> {
  const r = await windowResults(q, run);
  return learnerRowsFrom(featuresFrom(r.interactions, q.cutoff), platformFrom(r, q.cutoff));
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const db = () => new Db(strapi);
  const service = {
    /** The feature and label queries (names from Strapi's metadata). */
    queries: () => behaviourQueries(db()),

    /** Features of every learner with an interaction at or before `cutoff`, by users-permissions user id. */
    async features(cutoff: Date): Promise<Map<number, Features>> {
      const d = db();
      return featuresFrom(await d.rows(behaviourQueries(d).interactions(cutoff)), cutoff.getTime());
    },

    /**
     * Platform features of every learner with a paid order, a progress row, a certificate, a
     * subscription event, a profile or an interaction at or before `cutoff`: one GROUP BY on orders
     * (paid at or before it), one on progress rows (created at or before it; a chapter counts as
     * completed when completed at or before it), one on certificates, one over the webhook inbox's
     * subscription events, one on profiles, and the by-kind counts of the interactions' GROUP BY.
     */
    async platform(cutoff: Date): Promise<Map<number, PlatformFeatures>> {
      const d = db();
      return platformFrom(await windowResults(behaviourQueries(d).window(cutoff), (query) => d.rows(query)), cutoff.getTime());
    },

    /** Interaction features then platform features of every learner with an interaction at or before `cutoff`. */
    async learnerRows(cutoff: Date): Promise<LearnerRows> {
      const d = db();
      return windowRows(behaviourQueries(d).window(cutoff), (query) => d.rows(query));
    },

    /** Learners with an interaction in (from, to]. */
    async activeBetween(from: Date, to: Date): Promise<Set<number>> {
      const d = db();
      return usersFrom(await d.rows(behaviourQueries(d).activeBetween(from, to)));
    },

    /** Learners with an order paid in (from, to] (a course, a bundle or a plan). */
    async buyersBetween(from: Date, to: Date): Promise<Set<number>> {
      const d = db();
      return usersFrom(await d.rows(behaviourQueries(d).buyersBetween(from, to)));
    },

    /**
     * Checkout sessions (order rows) created in [since, now): course, currency, amount, whether the
     * buyer had a paid order before it started (an order without a user — erased — is a new buyer),
     * paid or not, still pending or not.
     */
    async checkoutSessions(since: Date): Promise<CheckoutSession[]> {
      const d = new Db(strapi);
      const o = d.names(ORDER_UID);
      const l = o.join('user');
      const created = `o.${o.col('createdAt')}`;
      const rows = await d.rows<Record<string, unknown>>(
        sql(
          `SELECT o.${o.col('id')} AS "id", o.${o.col('courseDocumentId')} AS "course", o.${o.col('kind')} AS "kind", o.${o.col('currency')} AS "currency", o.${o.col('amount')} AS "amount",
                  o.${o.col('state')} AS "state", o.${o.col('paidAt')} AS "paidAt",
                  CASE WHEN EXISTS (SELECT 1 FROM ${l.table} l2 JOIN ${o.table} o2 ON o2.${o.col('id')} = l2.${l.from}
                                     WHERE l2.${l.to} = l.${l.to} AND o2.${o.col('paidAt')} IS NOT NULL AND o2.${o.col('paidAt')} < ${created}) THEN 1 ELSE 0 END AS "returning"
             FROM ${o.table} o LEFT JOIN ${l.table} l ON l.${l.from} = o.${o.col('id')}
            WHERE ${created} >= ?`,
          [d.at(since)],
        ),
      );
      return rows.map((r) => ({
        id: num(r.id),
        course: r.kind === 'course' && typeof r.course === 'string' ? r.course : null,
        currency: String(r.currency ?? '').toLowerCase(),
        amount: num(r.amount),
        returning: num(r.returning) === 1,
        paid: r.paidAt !== null && r.paidAt !== undefined,
        open: r.state === 'pending',
      }));
    },

    /** Learners who interacted with a course (any kind) and have no purchase interaction for it, by course. */
    async interestedNonBuyers(courses: readonly string[] | null): Promise<Map<string, number[]>> {
      const d = new Db(strapi);
      const i = d.names(INTERACTION_UID);
      const u = i.join('user');
      const course = `i.${i.col('courseDocumentId')}`;
      const filter = courses ? d.inList(course, courses) : sql('1 = 1');
      const rows = await d.rows<{ user: unknown; course: string }>(
        sql(
          `SELECT u.${u.to} AS "user", ${course} AS "course" FROM ${i.table} i JOIN ${u.table} u ON u.${u.from} = i.${i.col('id')}
            WHERE ${filter.text} GROUP BY u.${u.to}, ${course}
           HAVING SUM(CASE WHEN i.${i.col('kind')} = 'purchase' THEN 1 ELSE 0 END) = 0`,
          filter.values,
        ),
      );
      const out = new Map<string, number[]>();
      for (const r of rows) {
        const list = out.get(r.course) ?? [];
        list.push(num(r.user));
        out.set(r.course, list);
      }
      return out;
    },

    /** Per learner and course of `courses`: chapters started and completed (progress rows). */
    async courseLearners(courses: readonly string[]): Promise<CourseLearner[]> {
      if (courses.length === 0) return [];
      const d = new Db(strapi);
      const p = d.names(PROGRESS_UID);
      const l = p.join('user');
      const course = `p.${p.col('courseDocumentId')}`;
      const filter = d.inList(course, courses);
      const rows = await d.rows<Record<string, unknown>>(
        sql(
          `SELECT l.${l.to} AS "user", ${course} AS "course", COUNT(*) AS "started", SUM(CASE WHEN p.${p.col('completedAt')} IS NOT NULL THEN 1 ELSE 0 END) AS "completed"
             FROM ${p.table} p JOIN ${l.table} l ON l.${l.from} = p.${p.col('id')}
            WHERE ${filter.text} GROUP BY l.${l.to}, ${course}`,
          filter.values,
        ),
      );
      return rows.map((r) => ({ userId: num(r.user), courseDocumentId: String(r.course), chaptersStarted: num(r.started), chaptersCompleted: num(r.completed) }));
    },

    /** Usernames of existing accounts (an erased account is gone: absent here). */
    async usernames(ids: readonly number[]): Promise<Map<number, string>> {
      const out = new Map<number, string>();
      if (ids.length === 0) return out;
      const d = new Db(strapi);
      const uNames = d.names(USER_UID);
      for (let k = 0; k < ids.length; k += 500) {
        const list = d.inList('id', ids.slice(k, k + 500));
        const rows = await d.rows<{ id: unknown; username: string }>(sql(`SELECT id, ${uNames.col('username')} AS username FROM ${uNames.table} WHERE ${list.text}`, list.values));
        for (const r of rows) out.set(num(r.id), r.username);
      }
      return out;
    },
  };
  return service;
};
