/**
 * The reports, each a handful of GROUP BY queries over the stored rows (orders, subscriptions,
 * entitlements, progress, certificates, review events): no row is loaded into Node, only
 * aggregates, which the domain turns into figures. Money is grouped by currency everywhere.
 *
 * When things happened:
 *   - a sale at `paidAt` (an order refunded or disputed later stays a sale of its own period);
 *   - a refund when the order was closed as refunded (`closedAt`), a partial refund at the order's
 *     last event (`lastEventAt`): checkout keeps the running refunded total, not each refund;
 *   - a lost dispute at the order's last event, for what was not already refunded;
 *   - a checkout session at the order's creation; a subscription cancellation at the row's last change.
 */
import type { Core } from '@strapi/strapi';
import { CHAPTER_UID, COURSE_UID, INSTRUCTOR_UID, PLAN_UID, PROGRESS_UID, SUBSCRIPTION_UID } from '@kp/platform';
import type {
  FunnelReport,
  LearningReport,
  MoneyFigures,
  OverviewReport,
  ReviewQueueFigures,
  ReviewReport,
  SalesReport,
  SubscriptionFigures,
} from '@kp/platform';
import { CERTIFICATE_UID, ENTITLEMENT_UID, LIVE_SUBSCRIPTION_STATUSES, ORDER_UID, REVIEW_EVENT_UID, SUBMISSION_UID } from '../constants';
import { dayKey, describePeriod, localDayOf, previousPeriod, type LocalDay, type ResolvedPeriod } from '../domain/periods';
import { EMPTY_FUNNEL, churnRate, funnelFigures, medianOffset, medianOfMiddle, mergeMoney, mrrByCurrency, toDays, toHours, type FunnelCounts } from '../domain/metrics';
import { Db, join, num, sql, type Sql } from './sql';
import { foldLearning, type LearningField, type LearningFold } from '../domain/learning';
import scopeFactory from './scope';
import type rollupFactory from './rollup';
import type orderRollupFactory from './order-rollup';

export interface ReportInput {
  period: ResolvedPeriod;
  /** Lower-case ISO code, or every currency. */
  currency?: string;
  /** Course documentIds, or null for every course (and plan orders). */
  courses: string[] | null;
  /** The course whose chapter drop-off the learning report shows. */
  dropOffCourse?: string;
  /** Where sales and funnel figures come from: the daily order rollup when it covers the zone (default), or the order rows. */
  source?: 'rollup' | 'rows';
}

type Range = { from: Date; to: Date; fromDay: LocalDay; toDay: LocalDay };

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const scope = scopeFactory({ strapi });
  /** The plugin's one rollup service (one watermark per process). */
  const rollup = {
    table: () => (strapi.plugin('analytics').service('rollup') as ReturnType<typeof rollupFactory>).table(),
    ensureFresh: () => (strapi.plugin('analytics').service('rollup') as ReturnType<typeof rollupFactory>).ensureFresh(),
    fromRows: (d: Db) => (strapi.plugin('analytics').service('rollup') as ReturnType<typeof rollupFactory>).fromRows(d),
  };
  /** Where the learner starts come from: the learner-starts rollup, or (source `rows`) the progress rows grouped on the spot. */
  const startsOf = (d: Db, input: ReportInput): Sql => (input.source === 'rows' ? rollup.fromRows(d) : sql(rollup.table()));

  const orderRollup = () => strapi.plugin('analytics').service('order-rollup') as ReturnType<typeof orderRollupFactory>;

  /** Whether this report reads the daily order rollup (made current first). */
  async function fromRollup(input: ReportInput): Promise<boolean> {
    if (input.source === 'rows' || !orderRollup().covers(input.period.timeZone)) return false;
    await orderRollup().ensureFresh();
    return true;
  }

  /** The rollup's conditions for a report: its local days, currency and courses. */
  function cellFilters(d: Db, input: ReportInput, range: Pick<Range, 'fromDay' | 'toDay'>, byCourse: boolean): Sql {
    const where: Sql[] = [sql('r.day >= ? AND r.day <= ?', [dayKey(range.fromDay), dayKey(range.toDay)])];
    if (input.currency) where.push(sql('r.currency = ?', [input.currency]));
    if (input.courses) where.push(d.inList('r.course', input.courses));
    if (byCourse) where.push(sql(`r.course <> ''`));
    return and(where);
  }

  /** The bucket key of the rollup's day column: the day, its month, or the ISO week it falls in. */
  function dayBucket(period: ResolvedPeriod): Sql {
    if (period.granularity === 'day') return sql('r.day');
    if (period.granularity === 'month') return sql('substr(r.day, 1, 7)');
    const starts = period.buckets.map((b) => ({ key: b.key, start: dayKey(localDayOf(b.start, period.timeZone)) }));
    const whens = starts.slice(1).map((b, i) => sql(`WHEN r.day < ? THEN ?`, [b.start, starts[i]!.key]));
    return sql(`CASE ${whens.map((w) => w.text).join(' ')} ELSE ? END`, [...whens.flatMap((w) => w.values), starts[starts.length - 1]!.key]);
  }

  /** Sales, refunds and disputes from the daily order rollup (one GROUP BY over the days of the range). */
  async function moneyFromCells(input: ReportInput, range: Range, key: 'bucket' | 'course' | 'none'): Promise<Array<{ key: string } & MoneyFigures>> {
    const d = new Db(strapi);
    const k = key === 'bucket' ? dayBucket(input.period) : key === 'course' ? sql('r.course') : sql(`''`);
    const w = cellFilters(d, input, range, key === 'course');
    const rows = await d.rows<Record<string, unknown>>(
      sql(
        `SELECT ${k.text} AS k, r.currency AS currency, SUM(r.orders) AS orders, SUM(r.gross) AS gross, SUM(r.refunds) AS refunds, SUM(r.refund_n) AS refund_n, ` +
          `SUM(r.disputes) AS disputes, SUM(r.dispute_n) AS dispute_n FROM ${tableName(orderRollup().table())} r WHERE ${w.text} GROUP BY 1, 2`,
        [...k.values, ...w.values]
      )
    );
    return mergeMoney(
      rows.flatMap((r) => {
        const base = { key: String(r.k), currency: String(r.currency) };
        return [
          ...(num(r.orders) > 0 ? [{ ...base, gross: num(r.gross), orders: num(r.orders) }] : []),
          ...(num(r.refund_n) > 0 ? [{ ...base, refunds: num(r.refunds) }] : []),
          ...(num(r.dispute_n) > 0 ? [{ ...base, disputes: num(r.disputes) }] : []),
        ];
      })
    );
  }

  const tableName = (qualified: string): string => qualified.split('.').map((p) => `"${p.replace(/"/g, '""')}"`).join('.');

  function orderFilters(d: Db, o: ReturnType<Db['names']>, input: ReportInput): Sql[] {
    const where: Sql[] = [];
    if (input.currency) where.push(sql(`o.${o.col('currency')} = ?`, [input.currency]));
    if (input.courses) where.push(d.inList(`o.${o.col('courseDocumentId')}`, input.courses));
    return where;
  }

  const and = (parts: Sql[]): Sql => (parts.length ? join(parts, ' AND ') : sql('1 = 1'));

  /**
   * Sales, refunds and disputes of a range, grouped by `key` (a bucket, a course, or nothing):
   * three aggregate queries, each in the period its event happened.
   */
  async function money(input: ReportInput, range: Range, key: 'bucket' | 'course' | 'none'): Promise<Array<{ key: string } & MoneyFigures>> {
    if (await fromRollup(input)) return moneyFromCells(input, range, key);
    const d = new Db(strapi);
    const o = d.names(ORDER_UID);
    const paid = `COALESCE(o.${o.col('amountPaid')}, o.${o.col('amount')})`;
    const refundAt = `COALESCE(o.${o.col('closedAt')}, o.${o.col('lastEventAt')})`;
    const lastAt = `o.${o.col('lastEventAt')}`;
    const filters = orderFilters(d, o, input);
    const keyOf = (at: string): Sql =>
      key === 'bucket' ? d.bucket(at, input.period) : key === 'course' ? sql(`o.${o.col('courseDocumentId')}`) : sql(`''`);
    const extra = key === 'course' ? [sql(`o.${o.col('courseDocumentId')} IS NOT NULL`)] : [];

    const query = (at: string, amount: string, count: string, cond: Sql[]): Sql => {
      const k = keyOf(at);
      const w = and([d.within(at, range.from, range.to), ...cond, ...filters, ...extra]);
      return sql(
        `SELECT ${k.text} AS k, o.${o.col('currency')} AS currency, SUM(${amount}) AS amount, ${count} AS n FROM ${o.table} o WHERE ${w.text} GROUP BY 1, 2`,
        [...k.values, ...w.values]
      );
    };
    const [sales, refunds, disputes] = await Promise.all([
      d.rows<{ k: string; currency: string; amount: unknown; n: unknown }>(query(`o.${o.col('paidAt')}`, paid, 'COUNT(*)', [])),
      d.rows<{ k: string; currency: string; amount: unknown }>(query(refundAt, `o.${o.col('amountRefunded')}`, '0', [sql(`o.${o.col('amountRefunded')} > 0`)])),
      d.rows<{ k: string; currency: string; amount: unknown }>(
        query(lastAt, `${paid} - COALESCE(o.${o.col('amountRefunded')}, 0)`, '0', [sql(`o.${o.col('disputeStatus')} = 'lost'`)])
      ),
    ]);
    return mergeMoney([
      ...sales.map((r) => ({ key: r.k, currency: r.currency, gross: num(r.amount), orders: num(r.n) })),
      ...refunds.map((r) => ({ key: r.k, currency: r.currency, refunds: num(r.amount) })),
      ...disputes.map((r) => ({ key: r.k, currency: r.currency, disputes: num(r.amount) })),
    ]).filter((r) => r.key !== null);
  }

  const strip = <T extends { key: string }>({ key: _key, ...rest }: T): Omit<T, 'key'> => rest;

  async function subscriptions(input: ReportInput): Promise<SubscriptionFigures> {
    const d = new Db(strapi);
    const s = d.names(SUBSCRIPTION_UID);
    const p = d.names(PLAN_UID);
    const l = s.join('plan');
    const { from, to } = input.period;
    const live = d.inList(`s.${s.col('status')}`, [...LIVE_SUBSCRIPTION_STATUSES]);
    const fromPlan = `FROM ${s.table} s LEFT JOIN ${l.table} l ON l.${l.from} = s.id LEFT JOIN ${p.table} p ON p.id = l.${l.to}`;
    const currency = input.currency ? sql(`p.${p.col('currency')} = ?`, [input.currency]) : sql('1 = 1');
    const created = `s.${s.col('createdAt')}`;
    const changed = `s.${s.col('updatedAt')}`;
    const canceled = `s.${s.col('status')} = 'canceled'`;
    const counts = sql(
      `SELECT ` +
        `SUM(CASE WHEN ${created} >= ? AND ${created} < ? AND s.${s.col('status')} NOT IN ('incomplete', 'incomplete_expired') THEN 1 ELSE 0 END) AS fresh, ` +
        `SUM(CASE WHEN ${canceled} AND ${changed} >= ? AND ${changed} < ? THEN 1 ELSE 0 END) AS canceled, ` +
        `SUM(CASE WHEN ${created} < ? AND (${live.text} OR (${canceled} AND ${changed} >= ?)) THEN 1 ELSE 0 END) AS at_start, ` +
        `SUM(CASE WHEN ${live.text} THEN 1 ELSE 0 END) AS live ` +
        `${fromPlan} WHERE ${currency.text}`,
      [d.at(from), d.at(to), d.at(from), d.at(to), d.at(from), ...live.values, d.at(from), ...live.values, ...currency.values]
    );
    const mrr = sql(
      `SELECT p.${p.col('currency')} AS currency, p.${p.col('interval')} AS "interval", SUM(p.${p.col('price')}) AS total ${fromPlan} ` +
        `WHERE ${live.text} AND p.id IS NOT NULL AND ${currency.text} GROUP BY 1, 2`,
      [...live.values, ...currency.values]
    );
    const [[c], m] = await Promise.all([d.rows<Record<string, unknown>>(counts), d.rows<{ currency: string; interval: 'month' | 'quarter' | 'year'; total: unknown }>(mrr)]);
    const activeAtStart = num(c?.at_start);
    const canceledCount = num(c?.canceled);
    return {
      new: num(c?.fresh),
      canceled: canceledCount,
      activeAtStart,
      churnRate: churnRate(canceledCount, activeAtStart),
      activeNow: num(c?.live),
      mrr: mrrByCurrency(m.map((r) => ({ currency: r.currency, interval: r.interval, total: num(r.total) }))),
    };
  }

  async function sales(input: ReportInput): Promise<SalesReport> {
    const prev = previousPeriod(input.period);
    const [series, byCourse, totals, previous, subs] = await Promise.all([
      money(input, input.period, 'bucket'),
      money(input, input.period, 'course'),
      money(input, input.period, 'none'),
      money(input, prev, 'none'),
      subscriptions(input),
    ]);
    const names = await scope.titles(COURSE_UID, byCourse.map((r) => r.key));
    return {
      period: describePeriod(input.period),
      totals: totals.map(strip),
      previous: { fromDay: dayKey(prev.fromDay), toDay: dayKey(prev.toDay), totals: previous.map(strip) },
      series: series.map(({ key, ...rest }) => ({ bucket: key, ...rest })),
      byCourse: byCourse
        .map(({ key, ...rest }) => ({ courseDocumentId: key, title: names.get(key) ?? null, ...rest }))
        .sort((a, b) => b.net - a.net || (a.courseDocumentId < b.courseDocumentId ? -1 : 1)),
      subscriptions: subs,
    };
  }

  async function funnelCounts(input: ReportInput, key: 'bucket' | 'currency' | 'course' | 'none'): Promise<Map<string, FunnelCounts>> {
    const d = new Db(strapi);
    const counts = (r: Record<string, unknown>): FunnelCounts => ({
      started: num(r.started),
      completed: num(r.completed),
      paid: num(r.paid),
      refunded: num(r.refunded),
      expired: num(r.expired),
      failed: num(r.failed),
      pending: num(r.pending),
    });
    if (await fromRollup(input)) {
      const k = key === 'bucket' ? dayBucket(input.period) : key === 'currency' ? sql('r.currency') : key === 'course' ? sql('r.course') : sql(`''`);
      const w = cellFilters(d, input, input.period, key === 'course');
      const sums = ['started', 'completed', 'paid', 'refunded', 'expired', 'failed', 'pending'].map((m) => `SUM(r.${m}) AS ${m}`).join(', ');
      const rows = await d.rows<Record<string, unknown>>(
        sql(`SELECT ${k.text} AS k, ${sums} FROM ${tableName(orderRollup().table())} r WHERE ${w.text} GROUP BY 1 HAVING SUM(r.started) > 0`, [...k.values, ...w.values])
      );
      return new Map(rows.map((r) => [String(r.k), counts(r)]));
    }
    const o = d.names(ORDER_UID);
    const created = `o.${o.col('createdAt')}`;
    const state = `o.${o.col('state')}`;
    const k: Sql =
      key === 'bucket'
        ? d.bucket(created, input.period)
        : key === 'currency'
          ? sql(`o.${o.col('currency')}`)
          : key === 'course'
            ? sql(`o.${o.col('courseDocumentId')}`)
            : sql(`''`);
    const w = and([d.within(created, input.period.from, input.period.to), ...orderFilters(d, o, input), ...(key === 'course' ? [sql(`o.${o.col('courseDocumentId')} IS NOT NULL`)] : [])]);
    const paidAt = `o.${o.col('paidAt')}`;
    const rows = await d.rows<Record<string, unknown>>(
      sql(
        `SELECT ${k.text} AS k, COUNT(*) AS started, ` +
          `SUM(CASE WHEN ${paidAt} IS NOT NULL OR ${state} = 'failed' THEN 1 ELSE 0 END) AS completed, ` +
          `SUM(CASE WHEN ${paidAt} IS NOT NULL THEN 1 ELSE 0 END) AS paid, ` +
          `SUM(CASE WHEN ${paidAt} IS NOT NULL AND o.${o.col('amountRefunded')} > 0 THEN 1 ELSE 0 END) AS refunded, ` +
          `SUM(CASE WHEN ${state} = 'expired' THEN 1 ELSE 0 END) AS expired, ` +
          `SUM(CASE WHEN ${state} = 'failed' THEN 1 ELSE 0 END) AS failed, ` +
          `SUM(CASE WHEN ${state} = 'pending' THEN 1 ELSE 0 END) AS pending ` +
          `FROM ${o.table} o WHERE ${w.text} GROUP BY 1`,
        [...k.values, ...w.values]
      )
    );
    return new Map(rows.map((r) => [String(r.k), counts(r)]));
  }

  async function funnel(input: ReportInput): Promise<FunnelReport> {
    const d = new Db(strapi);
    const o = d.names(ORDER_UID);
    const w = and([d.within(`o.${o.col('createdAt')}`, input.period.from, input.period.to), sql(`o.${o.col('state')} = 'failed'`), ...orderFilters(d, o, input)]);
    const [series, byCurrency, byCourse, totals, reasons] = await Promise.all([
      funnelCounts(input, 'bucket'),
      funnelCounts(input, 'currency'),
      funnelCounts(input, 'course'),
      funnelCounts(input, 'none'),
      d.rows<{ reason: string | null; n: unknown }>(
        sql(`SELECT o.${o.col('lastEventType')} AS reason, COUNT(*) AS n FROM ${o.table} o WHERE ${w.text} GROUP BY 1 ORDER BY 2 DESC, 1`, w.values)
      ),
    ]);
    const names = await scope.titles(COURSE_UID, [...byCourse.keys()]);
    return {
      period: describePeriod(input.period),
      totals: funnelFigures(totals.get('') ?? EMPTY_FUNNEL),
      series: input.period.buckets.filter((b) => series.has(b.key)).map((b) => ({ bucket: b.key, ...funnelFigures(series.get(b.key)!) })),
      byCurrency: [...byCurrency.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, c]) => ({ currency, ...funnelFigures(c) })),
      byCourse: [...byCourse.entries()]
        .map(([id, c]) => ({ courseDocumentId: id, title: names.get(id) ?? null, ...funnelFigures(c) }))
        .sort((a, b) => b.started - a.started || (a.courseDocumentId < b.courseDocumentId ? -1 : 1)),
      failureReasons: reasons.map((r) => ({ reason: r.reason ?? 'unknown', count: num(r.n) })),
    };
  }

  /**
   * Learning counts: each measure grouped once by bucket × course (four queries), folded into the
   * series, the courses and the totals (`domain/learning.ts`).
   */
  async function learningCounts(input: ReportInput): Promise<LearningFold> {
    const d = new Db(strapi);
    const { from, to } = input.period;
    const e = d.names(ENTITLEMENT_UID);
    const c = d.names(CERTIFICATE_UID);
    const courses = input.courses;
    const grouped = (field: LearningField, table: Sql, alias: string, at: string, course: string, extra: Sql[] = []): Sql => {
      const k = d.bucket(at, input.period);
      const w = and([d.within(at, from, to), ...extra, ...(courses ? [d.inList(course, courses)] : [])]);
      return sql(`SELECT '${field}' AS field, ${k.text} AS k, ${course} AS course, COUNT(*) AS n FROM ${table.text} ${alias} WHERE ${w.text} GROUP BY 2, 3`, [...k.values, ...table.values, ...w.values]);
    };
    const queries = [
      grouped('enrolments', sql(e.table), 'e', `e.${e.col('createdAt')}`, `e.${e.col('courseRef')}`),
      // A learner starts a course with their first progress row in it (the learner-starts rollup).
      grouped('started', startsOf(d, input), 'f', 'f.first_at', 'f.course_document_id'),
      grouped('completed', sql(c.table), 'c', `c.${c.col('completedAt')}`, `c.${c.col('courseDocumentId')}`),
      grouped('certificates', sql(c.table), 'c', `c.${c.col('createdAt')}`, `c.${c.col('courseDocumentId')}`, [sql(`c.${c.col('state')} = 'valid'`)]),
    ];
    const results = await Promise.all(queries.map((q) => d.rows<{ field: LearningField; k: string | null; course: string | null; n: unknown }>(q)));
    return foldLearning(
      results.flat().map((r) => ({ field: r.field, bucket: r.k === null ? null : String(r.k), course: r.course === null ? null : String(r.course), n: num(r.n) }))
    );
  }

  /** Median milliseconds from a learner's first progress in a course to its completion, over completions in the period. */
  async function medianTimeToComplete(input: ReportInput): Promise<number | null> {
    const d = new Db(strapi);
    const c = d.names(CERTIFICATE_UID);
    const cl = c.join('learner');
    const starts = startsOf(d, input);
    const cc = `c.${c.col('courseDocumentId')}`;
    const cw = and([d.within(`c.${c.col('completedAt')}`, input.period.from, input.period.to), ...(input.courses ? [d.inList(cc, input.courses)] : [])]);
    // Driven from the period's certificates (few) to each one's start (by primary key). Written as
    // CROSS JOINs because SQLite takes that as the join order: with a course filter its planner
    // otherwise started from every start of those courses, all time (60 ms instead of 3 at the bench's
    // scale, run twice by medianOf). PostgreSQL reads CROSS JOIN + WHERE as an inner join and plans freely.
    const durations =
      `SELECT ${d.durationMs(`c.${c.col('completedAt')}`, 'f.first_at')} AS ms FROM ${c.table} c CROSS JOIN ${cl.table} cl CROSS JOIN ${starts.text} f ` +
      `WHERE cl.${cl.from} = c.id AND f.learner_id = cl.${cl.to} AND f.course_document_id = ${cc} AND ${cw.text}`;
    return medianOf(d, durations, [...starts.values, ...cw.values]);
  }

  /** The median of a one-column (`ms`) subquery, computed in SQL: its count, then the middle one or two values. */
  async function medianOf(d: Db, subquery: string, values: Sql['values']): Promise<number | null> {
    const [row] = await d.rows<{ n: unknown }>(sql(`SELECT COUNT(*) AS n FROM (${subquery}) t`, values));
    const n = num(row?.n);
    if (n === 0) return null;
    const middle = await d.rows<{ ms: unknown }>(sql(`SELECT ms FROM (${subquery}) t ORDER BY ms LIMIT 2 OFFSET ?`, [...values, medianOffset(n)]));
    return medianOfMiddle(n, middle.map((m) => num(m.ms)));
  }

  async function dropOff(input: ReportInput, courseDocumentId: string): Promise<LearningReport['dropOff']> {
    const d = new Db(strapi);
    const p = d.names(PROGRESS_UID);
    const w = and([sql(`p.${p.col('courseDocumentId')} = ?`, [courseDocumentId]), d.within(`p.${p.col('createdAt')}`, input.period.from, input.period.to)]);
    const [chapters, reach] = await Promise.all([
      scope.chaptersOf(courseDocumentId),
      // One progress row per learner and chapter: COUNT(*) counts learners.
      d.rows<{ chapter: string; n: unknown }>(sql(`SELECT p.${p.col('chapterDocumentId')} AS chapter, COUNT(*) AS n FROM ${p.table} p WHERE ${w.text} GROUP BY 1`, w.values)),
    ]);
    const byChapter = new Map(reach.map((r) => [r.chapter, num(r.n)]));
    const [chapterTitles, courseTitles] = await Promise.all([scope.titles(CHAPTER_UID, chapters.map((c) => c.documentId)), scope.titles(COURSE_UID, [courseDocumentId])]);
    return {
      courseDocumentId,
      title: courseTitles.get(courseDocumentId) ?? null,
      chapters: chapters.map((c) => ({ chapterDocumentId: c.documentId, title: chapterTitles.get(c.documentId) ?? null, position: c.position, learners: byChapter.get(c.documentId) ?? 0 })),
    };
  }

  async function learning(input: ReportInput): Promise<LearningReport> {
    await rollup.ensureFresh();
    const [{ series, byCourse, totals }, medianMs] = await Promise.all([learningCounts(input), medianTimeToComplete(input)]);
    const ranked = [...byCourse.entries()].sort(([a, x], [b, y]) => y.started - x.started || y.enrolments - x.enrolments || (a < b ? -1 : 1));
    const dropCourse = input.dropOffCourse ?? (input.courses?.length === 1 ? input.courses[0] : ranked.find(([, f]) => f.started > 0)?.[0]);
    const [names, drop] = await Promise.all([scope.titles(COURSE_UID, ranked.map(([id]) => id)), dropCourse ? dropOff(input, dropCourse) : Promise.resolve(null)]);
    return {
      period: describePeriod(input.period),
      totals: { ...totals, medianDaysToComplete: toDays(medianMs) },
      series: input.period.buckets.filter((b) => series.has(b.key)).map((b) => ({ bucket: b.key, ...series.get(b.key)! })),
      byCourse: ranked.map(([id, f]) => ({ courseDocumentId: id, title: names.get(id) ?? null, ...f })),
      dropOff: drop,
    };
  }

  async function reviewQueue(input: ReportInput): Promise<ReviewQueueFigures> {
    const d = new Db(strapi);
    const s = d.names(SUBMISSION_UID);
    const courses = input.courses ? [d.inList(`s.${s.col('courseDocumentId')}`, input.courses)] : [];
    const qw = and([sql(`s.${s.col('state')} = 'in_review'`), ...courses]);
    const decided = `s.${s.col('decidedAt')}`;
    const submitted = `s.${s.col('submittedAt')}`;
    const dw = and([d.within(decided, input.period.from, input.period.to), sql(`${submitted} IS NOT NULL AND ${decided} >= ${submitted}`), ...courses]);
    const [[q], medianMs] = await Promise.all([
      d.rows<{ n: unknown; oldest: unknown }>(sql(`SELECT COUNT(*) AS n, MIN(${submitted}) AS oldest FROM ${s.table} s WHERE ${qw.text}`, qw.values)),
      medianOf(d, `SELECT ${d.durationMs(decided, submitted)} AS ms FROM ${s.table} s WHERE ${dw.text}`, dw.values),
    ]);
    const oldest = q?.oldest === null || q?.oldest === undefined ? null : new Date(d.pg ? (q.oldest as string | Date) : Number(q.oldest));
    return { waiting: num(q?.n), oldestWaitingSince: oldest ? oldest.toISOString() : null, medianHoursToDecision: toHours(medianMs) };
  }

  async function review(input: ReportInput): Promise<ReviewReport> {
    const d = new Db(strapi);
    const ev = d.names(REVIEW_EVENT_UID);
    const s = d.names(SUBMISSION_UID);
    const i = d.names(INSTRUCTOR_UID);
    const at = `ev.${ev.col('at')}`;
    const action = `ev.${ev.col('action')}`;
    const course = `ev.${ev.col('courseDocumentId')}`;
    const w = and([d.within(at, input.period.from, input.period.to), ...(input.courses ? [d.inList(course, input.courses)] : [])]);
    const counts = `SUM(CASE WHEN ${action} = 'submit' THEN 1 ELSE 0 END) AS submissions, SUM(CASE WHEN ${action} = 'approve' THEN 1 ELSE 0 END) AS approvals, SUM(CASE WHEN ${action} = 'request_changes' THEN 1 ELSE 0 END) AS changes`;
    const k = d.bucket(at, input.period);
    const instructorOf = `(SELECT MAX(s.${s.col('instructorDocumentId')}) FROM ${s.table} s WHERE s.${s.col('courseDocumentId')} = ${course})`;
    // Time in review per instructor: each decision's wait since its submission, median per instructor
    // with window functions (both databases have them).
    const decided = `s.${s.col('decidedAt')}`;
    const submitted = `s.${s.col('submittedAt')}`;
    const dw = and([d.within(decided, input.period.from, input.period.to), sql(`${submitted} IS NOT NULL AND ${decided} >= ${submitted}`), ...(input.courses ? [d.inList(`s.${s.col('courseDocumentId')}`, input.courses)] : [])]);
    const ranked =
      `SELECT who, ms, ROW_NUMBER() OVER (PARTITION BY who ORDER BY ms) AS rn, COUNT(*) OVER (PARTITION BY who) AS cnt FROM ` +
      `(SELECT s.${s.col('instructorDocumentId')} AS who, ${d.durationMs(decided, submitted)} AS ms FROM ${s.table} s WHERE ${dw.text}) t`;
    const [series, [totals], byInstructor, medians, queue] = await Promise.all([
      d.rows<Record<string, unknown>>(sql(`SELECT ${k.text} AS k, ${counts} FROM ${ev.table} ev WHERE ${w.text} GROUP BY 1`, [...k.values, ...w.values])),
      d.rows<Record<string, unknown>>(sql(`SELECT ${counts} FROM ${ev.table} ev WHERE ${w.text}`, w.values)),
      d.rows<Record<string, unknown>>(sql(`SELECT ${instructorOf} AS who, ${counts} FROM ${ev.table} ev WHERE ${w.text} GROUP BY 1`, w.values)),
      d.rows<{ who: string | null; ms: unknown; cnt: unknown }>(
        sql(`SELECT who, ms, cnt FROM (${ranked}) r WHERE rn IN ((cnt + 1) / 2, cnt / 2 + 1) ORDER BY who, ms`, dw.values)
      ),
      reviewQueue(input),
    ]);
    const medianBy = new Map<string, number | null>();
    const grouped = new Map<string, { n: number; ms: number[] }>();
    for (const m of medians) {
      const who = m.who ?? '';
      const g = grouped.get(who) ?? { n: num(m.cnt), ms: [] };
      g.ms.push(num(m.ms));
      grouped.set(who, g);
    }
    for (const [who, g] of grouped) medianBy.set(who, toHours(medianOfMiddle(g.n, g.ms)));
    const ids = byInstructor.map((r) => r.who).filter((x): x is string => typeof x === 'string');
    const names = new Map<string, string>();
    if (ids.length) {
      const list = d.inList(`${i.col('documentId')}`, ids);
      for (const r of await d.rows<{ id: string; name: string }>(sql(`SELECT DISTINCT ${i.col('documentId')} AS id, ${i.col('name')} AS name FROM ${i.table} WHERE ${list.text}`, list.values))) names.set(r.id, r.name);
    }
    const figures = (r: Record<string, unknown> | undefined) => ({ submissions: num(r?.submissions), approvals: num(r?.approvals), changesRequested: num(r?.changes) });
    const seriesBy = new Map(series.map((r) => [String(r.k), r]));
    return {
      period: describePeriod(input.period),
      queue,
      totals: figures(totals),
      series: input.period.buckets.filter((b) => seriesBy.has(b.key)).map((b) => ({ bucket: b.key, ...figures(seriesBy.get(b.key)) })),
      byInstructor: byInstructor
        .map((r) => {
          const who = (r.who as string | null) ?? null;
          return { instructorDocumentId: who, name: who ? (names.get(who) ?? null) : null, ...figures(r), medianHoursInReview: medianBy.get(who ?? '') ?? null };
        })
        .sort((a, b) => b.submissions - a.submissions || String(a.instructorDocumentId).localeCompare(String(b.instructorDocumentId))),
    };
  }

  async function overview(input: ReportInput): Promise<OverviewReport> {
    await rollup.ensureFresh();
    const prev = previousPeriod(input.period);
    const [current, previous, subs, conv, queue, learn] = await Promise.all([
      money(input, input.period, 'none'),
      money(input, prev, 'none'),
      subscriptions(input),
      funnelCounts(input, 'none'),
      reviewQueue(input),
      learningCounts(input),
    ]);
    const currencies = [...new Set([...current, ...previous].map((r) => r.currency))].sort();
    const net = (rows: MoneyFigures[], c: string) => rows.find((r) => r.currency === c)?.net ?? 0;
    const sum = (rows: MoneyFigures[]) => rows.reduce((acc, r) => acc + r.orders, 0);
    const c = conv.get('') ?? EMPTY_FUNNEL;
    const l = learn.totals;
    return {
      period: describePeriod(input.period),
      previous: { fromDay: dayKey(prev.fromDay), toDay: dayKey(prev.toDay) },
      revenue: currencies.map((cur) => ({ currency: cur, net: net(current, cur), previousNet: net(previous, cur) })),
      paidOrders: { current: sum(current), previous: sum(previous) },
      subscriptions: { active: subs.activeNow, mrr: subs.mrr },
      conversion: { started: c.started, paid: c.paid, successRate: funnelFigures(c).successRate },
      reviewQueue: queue,
      learning: { enrolments: l.enrolments, completed: l.completed },
    };
  }

  /** Sales of course orders only (an instructor's view: plans are not theirs). */
  async function instructorSales(input: ReportInput) {
    const [series, byCourse, totals] = await Promise.all([money(input, input.period, 'bucket'), money(input, input.period, 'course'), money(input, input.period, 'none')]);
    const names = await scope.titles(COURSE_UID, byCourse.map((r) => r.key));
    return {
      period: describePeriod(input.period),
      totals: totals.map(strip),
      series: series.map(({ key, ...rest }) => ({ bucket: key, ...rest })),
      byCourse: byCourse.map(({ key, ...rest }) => ({ courseDocumentId: key, title: names.get(key) ?? null, ...rest })).sort((a, b) => b.net - a.net || (a.courseDocumentId < b.courseDocumentId ? -1 : 1)),
    };
  }

  return { sales, funnel, learning, review, overview, instructorSales };
};
