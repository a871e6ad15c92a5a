/**
 * Bundles as learners and checkout read them: the bundles on sale (public list), and the facts
 * the purchase decision needs (domain/bundles.ts). Only courses with a published version count:
 * a course an editor unpublished is neither listed nor granted.
 */
import type { Core } from '@strapi/strapi';
import { COURSE_UID, requireNeighbour, type AllowedVia } from '@kp/platform';
import { BUNDLE_UID } from '../content-types';
import type { BundleFacts } from '../domain/bundles';
import type { BundleView } from '../routes/commerce-schemas';

interface BundleRow {
  documentId: string;
  title: string;
  slug: string;
  summary: string | null;
  price: number;
  currency: string;
  onSale: boolean;
  courses?: Array<{ documentId: string }>;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** documentId → title (default locale first) of the published courses among these. */
  async function publishedCourses(documentIds: string[], locale: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (documentIds.length === 0) return out;
    const rows = (await strapi.db.query(COURSE_UID).findMany({
      where: { documentId: { $in: documentIds }, publishedAt: { $notNull: true } },
      select: ['documentId', 'title', 'locale'],
    })) as Array<{ documentId: string; title: string; locale: string }>;
    for (const pass of [locale, 'en', null]) {
      for (const r of rows) if (!out.has(r.documentId) && (pass === null || r.locale === pass)) out.set(r.documentId, r.title);
    }
    return out;
  }

  async function load(where: Record<string, unknown>): Promise<BundleRow[]> {
    return (await strapi.db.query(BUNDLE_UID).findMany({
      where,
      select: ['documentId', 'title', 'slug', 'summary', 'price', 'currency', 'onSale'],
      populate: { courses: { select: ['documentId'] } },
      orderBy: [{ title: 'asc' }, { id: 'asc' }],
    })) as BundleRow[];
  }

  /** The course documentIds of a bundle row, each once, in the editor's order. */
  const courseIdsOf = (row: BundleRow) => [...new Set((row.courses ?? []).map((c) => c.documentId))];

  return {
    /** The bundles on sale with their published courses (titles in `locale`). */
    async listOnSale(locale: string): Promise<BundleView[]> {
      const rows = await load({ onSale: true });
      const titles = await publishedCourses([...new Set(rows.flatMap(courseIdsOf))], locale);
      return rows
        .map((r) => ({
          id: r.documentId,
          title: r.title,
          slug: r.slug,
          summary: r.summary ?? null,
          price: r.price,
          currency: r.currency,
          courses: courseIdsOf(r)
            .filter((c) => titles.has(c))
            .map((c) => ({ documentId: c, title: titles.get(c)! })),
        }))
        .filter((b) => b.courses.length > 0);
    },

    /** What the purchase decision needs about one bundle; null when there is none. */
    async facts(documentId: string): Promise<BundleFacts | null> {
      const [row] = await load({ documentId });
      if (!row) return null;
      const ids = courseIdsOf(row);
      const published = await publishedCourses(ids, 'en');
      return {
        documentId: row.documentId,
        title: row.title,
        price: row.price,
        currency: row.currency,
        onSale: Boolean(row.onSale),
        courseDocumentIds: ids.filter((c) => published.has(c)),
      };
    },

    /** For each course the user can already read, why. */
    async owned(userId: number, courseDocumentIds: readonly string[]): Promise<Map<string, AllowedVia>> {
      const access = requireNeighbour(strapi, 'paywall', 'Checkout cannot tell what the learner already has').access;
      const out = new Map<string, AllowedVia>();
      for (const c of courseDocumentIds) {
        const d = await access.decideCourse({ id: userId }, c);
        if (d.allowed) out.set(c, d.via);
      }
      return out;
    },
  };
};
