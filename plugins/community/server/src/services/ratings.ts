/**
 * The rating aggregate per course (`community_rating_summaries`), kept current in the same
 * transaction as every review write: the summary row is locked (PostgreSQL `FOR UPDATE`; SQLite's
 * single writer needs none), then recomputed from the course's reviews with one `GROUP BY`. Two
 * concurrent writes on one course queue on the lock, and the second recomputes after the first
 * committed, so the summary always equals the rows. Reads: one indexed statement for a page of
 * courses, behind a short per-process cache (`ratingCacheSeconds`): this process's own writes drop
 * their course's entry at once (and again after the commit), another instance's writes show within
 * the cache's lifetime. The rating-sorted catalogue is one join, never cached.
 */
import type { Core } from '@strapi/strapi';
import { createId } from '@paralleldrive/cuid2';
import { COURSE_UID, isPostgres, modelNames, qualifiedTable, rawConnection, transactionHooks } from '@kp/platform';
import { RATING_UID, REVIEW_UID } from '../constants';
import { ratingView, summarize, type RatingView, type SummaryRow } from '../domain/rating';
import { pluginConfig } from '../utils';

/** At most this many courses' ratings are kept in memory (the whole cache is dropped past it). */
const CACHE_MAX = 20_000;

const SUMMARY_ATTRS = ['ratingCount', 'starsTotal', 'average', 'stars1', 'stars2', 'stars3', 'stars4', 'stars5'] as const;

export type RatingSort = 'rating:desc' | 'rating:asc' | 'ratingCount:desc';

export interface RatedCourse {
  documentId: string;
  slug: string | null;
  title: string | null;
  rating: RatingView;
}

function toSummary(row: Record<string, unknown> | undefined): SummaryRow | null {
  if (!row) return null;
  const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
  return {
    ratingCount: n(row.ratingCount),
    starsTotal: n(row.starsTotal),
    average: row.average === null || row.average === undefined ? null : Number(row.average),
    stars1: n(row.stars1),
    stars2: n(row.stars2),
    stars3: n(row.stars3),
    stars4: n(row.stars4),
    stars5: n(row.stars5),
  };
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const s = () => modelNames(strapi, RATING_UID);
  const r = () => modelNames(strapi, REVIEW_UID);
  const bool = (v: boolean) => (isPostgres(strapi) ? v : v ? 1 : 0);
  const summaryColumns = () => Object.fromEntries(SUMMARY_ATTRS.map((a) => [a, `${s().table}.${s().col(a)}`]));
  const cache = new Map<string, { view: RatingView; at: number }>();
  const forget = (courseDocumentId: string) => {
    cache.delete(courseDocumentId);
    transactionHooks()?.onCommit(() => cache.delete(courseDocumentId));
  };

  return {
    /**
     * Recomputes the course's summary from its visible, non-refunded reviews. Call inside the
     * transaction of the write that changed them.
     */
    async recompute(courseDocumentId: string, now: Date): Promise<RatingView> {
      forget(courseDocumentId);
      const k = rawConnection(strapi);
      const S = s();
      const R = r();
      const table = qualifiedTable(strapi, S.table);
      await k(table)
        .insert({
          [S.col('documentId')]: createId(),
          [S.col('courseDocumentId')]: courseDocumentId,
          [S.col('ratingCount')]: 0,
          [S.col('starsTotal')]: 0,
          ...Object.fromEntries([1, 2, 3, 4, 5].map((i) => [S.col(`stars${i}`), 0])),
          [S.col('createdAt')]: now,
          [S.col('updatedAt')]: now,
          [S.col('publishedAt')]: now,
        })
        .onConflict(S.col('courseDocumentId'))
        .ignore();
      let lock = k(table).select('id').where(S.col('courseDocumentId'), courseDocumentId);
      if (isPostgres(strapi)) lock = lock.forUpdate();
      await lock;
      const counts = (await k(qualifiedTable(strapi, R.table))
        .select({ stars: R.col('stars') })
        .count({ n: '*' })
        .where(R.col('courseDocumentId'), courseDocumentId)
        .andWhere(R.col('state'), 'visible')
        .andWhere(R.col('refunded'), bool(false))
        .groupBy(R.col('stars'))) as Array<{ stars: number | string; n: number | string }>;
      const summary = summarize(counts.map((c) => ({ stars: Number(c.stars), n: Number(c.n) })));
      await k(table)
        .where(S.col('courseDocumentId'), courseDocumentId)
        .update({ ...Object.fromEntries(SUMMARY_ATTRS.map((a) => [S.col(a), summary[a]])), [S.col('updatedAt')]: now });
      return ratingView(summary);
    },

    /** The ratings of these courses in one statement; courses nobody rated get the empty rating. */
    async forCourses(documentIds: readonly string[]): Promise<Map<string, RatingView>> {
      const out = new Map<string, RatingView>();
      const ttl = pluginConfig(strapi, 'ratingCacheSeconds') * 1000;
      const nowMs = Date.now();
      const missing: string[] = [];
      for (const id of new Set(documentIds)) {
        const hit = ttl > 0 ? cache.get(id) : undefined;
        if (hit && nowMs - hit.at < ttl) out.set(id, hit.view);
        else missing.push(id);
      }
      if (missing.length === 0) return out;
      const S = s();
      const rows = (await rawConnection(strapi)(qualifiedTable(strapi, S.table))
        .select({ courseDocumentId: S.col('courseDocumentId'), ...summaryColumns() })
        .whereIn(S.col('courseDocumentId'), missing)) as Array<Record<string, unknown>>;
      const byCourse = new Map(rows.map((row) => [String(row.courseDocumentId), row]));
      if (cache.size + missing.length > CACHE_MAX) cache.clear();
      for (const id of missing) {
        const view = ratingView(toSummary(byCourse.get(id)));
        out.set(id, view);
        if (ttl > 0) cache.set(id, { view, at: nowMs });
      }
      return out;
    },

    /** Published courses in one locale, ordered by rating (unrated last), optionally at least `minRating`. */
    async sortedCourses(opts: { sort: RatingSort; locale: string; minRating?: number; page: number; pageSize: number }): Promise<{ data: RatedCourse[]; total: number }> {
      const k = rawConnection(strapi);
      const C = modelNames(strapi, COURSE_UID);
      const S = s();
      const courses = qualifiedTable(strapi, C.table);
      const summaries = qualifiedTable(strapi, S.table);
      const base = () => {
        const q = k(courses)
          .leftJoin(summaries, `${summaries}.${S.col('courseDocumentId')}`, `${courses}.${C.col('documentId')}`)
          .whereNotNull(`${courses}.${C.col('publishedAt')}`)
          .andWhere(`${courses}.${C.col('locale')}`, opts.locale);
        if (opts.minRating !== undefined) q.andWhere(`${summaries}.${S.col('average')}`, '>=', opts.minRating);
        return q;
      };
      const countRow = (await base().count({ n: '*' }).first()) as { n: number | string } | undefined;
      const rated = `CASE WHEN ${summaries}.${S.col('ratingCount')} > 0 THEN 0 ELSE 1 END`;
      const q = base()
        .select({
          documentId: `${courses}.${C.col('documentId')}`,
          slug: `${courses}.${C.col('slug')}`,
          title: `${courses}.${C.col('title')}`,
          ...Object.fromEntries(SUMMARY_ATTRS.map((a) => [a, `${summaries}.${S.col(a)}`])),
        })
        .orderByRaw(`${rated} ASC`);
      if (opts.sort === 'ratingCount:desc') q.orderBy(`${summaries}.${S.col('ratingCount')}`, 'desc').orderBy(`${summaries}.${S.col('average')}`, 'desc');
      else q.orderBy(`${summaries}.${S.col('average')}`, opts.sort === 'rating:asc' ? 'asc' : 'desc').orderBy(`${summaries}.${S.col('ratingCount')}`, 'desc');
      const rows = (await q.orderBy(`${courses}.${C.col('id')}`, 'asc').limit(opts.pageSize).offset((opts.page - 1) * opts.pageSize)) as Array<Record<string, unknown>>;
      return {
        total: Number(countRow?.n ?? 0),
        data: rows.map((row) => ({
          documentId: String(row.documentId),
          slug: (row.slug as string | null) ?? null,
          title: (row.title as string | null) ?? null,
          rating: ratingView(toSummary(row)),
        })),
      };
    },
  };
};
