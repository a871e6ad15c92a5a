/**
 * Published course rows (one per locale) to what the index keeps: the engine's ItemDoc (texts of
 * every locale) and a card with the fields a list shows, per locale. Pure: the index service reads
 * the rows, this decides what they become.
 */
import type { ItemDoc } from './tfidf';
import { normaliseKey } from './text';

export interface CoverFormat {
  url: string;
  width: number | null;
  height: number | null;
}

export interface Cover {
  url: string;
  alternativeText: string | null;
  width: number | null;
  height: number | null;
  /** Only the small renditions a list needs. */
  formats: Partial<Record<'thumbnail' | 'small', CoverFormat>>;
}

/** A published course row as the index service reads it (one locale). */
export interface CourseRow {
  documentId: string;
  locale: string | null;
  title: string | null;
  summary: string | null;
  slug: string | null;
  level: string | null;
  access: string | null;
  price: number | null;
  currency: string | null;
  publishedAt: string | number | Date | null;
  tags: Array<{ slug: string | null }>;
  category: { slug: string | null } | null;
  cover: { url?: string | null; alternativeText?: string | null; width?: number | null; height?: number | null; formats?: unknown } | null;
}

/** What a recommendation shows of a course. */
export interface CourseCard {
  documentId: string;
  slug: string;
  level: string | null;
  access: string | null;
  price: number | null;
  currency: string | null;
  cover: Cover | null;
  /** Tag and category keys (slugs): what a reason may name of the course. */
  tags: string[];
  categories: string[];
  /** Title and summary per published locale. */
  locales: Record<string, { title: string; summary: string | null }>;
}

/** Epoch milliseconds of a database date (SQLite gives numbers or strings, PostgreSQL Dates). */
export function toEpoch(value: string | number | Date | null | undefined): number {
  if (value === null || value === undefined) return 0;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const n = Number(value);
  if (Number.isFinite(n) && /^\d+$/.test(value)) return n;
  const t = Date.parse(value);
  return Number.isNaN(t) ? 0 : t;
}

function format(value: unknown): CoverFormat | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const f = value as { url?: unknown; width?: unknown; height?: unknown };
  if (typeof f.url !== 'string') return undefined;
  return { url: f.url, width: typeof f.width === 'number' ? f.width : null, height: typeof f.height === 'number' ? f.height : null };
}

/** The cover fields a list needs (media rows carry much more: hashes, provider metadata…). */
export function coverOf(row: CourseRow['cover']): Cover | null {
  if (!row || typeof row.url !== 'string') return null;
  let formats: unknown = row.formats;
  if (typeof formats === 'string') {
    try {
      formats = JSON.parse(formats);
    } catch {
      formats = null;
    }
  }
  const f = (formats && typeof formats === 'object' ? formats : {}) as Record<string, unknown>;
  const out: Cover['formats'] = {};
  const thumbnail = format(f.thumbnail);
  const small = format(f.small);
  if (thumbnail) out.thumbnail = thumbnail;
  if (small) out.small = small;
  return { url: row.url, alternativeText: row.alternativeText ?? null, width: row.width ?? null, height: row.height ?? null, formats: out };
}

/**
 * Groups published rows by document: one ItemDoc (every locale's title and summary; tags,
 * category and level are not localized) and one card each, newest publication first — the order
 * cold start falls back on while nobody has interacted yet.
 */
export function coursesFromRows(rows: readonly CourseRow[]): Array<{ doc: ItemDoc; card: CourseCard }> {
  const groups = new Map<string, CourseRow[]>();
  for (const row of rows) {
    if (!row.documentId) continue;
    const g = groups.get(row.documentId);
    if (g) g.push(row);
    else groups.set(row.documentId, [row]);
  }
  const out: Array<{ doc: ItemDoc; card: CourseCard; newest: number }> = [];
  for (const [documentId, group] of groups) {
    const tags = new Set<string>();
    const categories = new Set<string>();
    const locales: CourseCard['locales'] = {};
    let newest = 0;
    for (const row of group) {
      for (const t of row.tags ?? []) if (t?.slug) tags.add(t.slug);
      if (row.category?.slug) categories.add(row.category.slug);
      if (row.locale && row.title) locales[row.locale] = { title: row.title, summary: row.summary ?? null };
      newest = Math.max(newest, toEpoch(row.publishedAt));
    }
    const first = group.find((r) => r.locale === 'en') ?? (group[0] as CourseRow);
    const localized = Object.values(locales);
    out.push({
      newest,
      doc: {
        id: documentId,
        tags: [...tags],
        categories: [...categories],
        level: first.level,
        titles: localized.map((l) => l.title),
        summaries: localized.map((l) => l.summary ?? '').filter(Boolean),
      },
      card: {
        documentId,
        slug: first.slug ?? '',
        level: first.level,
        access: first.access,
        price: first.price,
        currency: first.currency,
        cover: coverOf(group.find((r) => r.cover)?.cover ?? null),
        tags: [...tags].map(normaliseKey),
        categories: [...categories].map(normaliseKey),
        locales,
      },
    });
  }
  out.sort((a, b) => b.newest - a.newest || (a.doc.id < b.doc.id ? -1 : 1));
  return out.map(({ doc, card }) => ({ doc, card }));
}

/** The locale a card is shown in: the one asked for, else the default, else any it has. */
export function pickLocale(card: CourseCard, requested: string, fallback: string): string | null {
  if (card.locales[requested]) return requested;
  if (card.locales[fallback]) return fallback;
  return Object.keys(card.locales).sort()[0] ?? null;
}
