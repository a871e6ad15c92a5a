/**
 * The hand-written queries of the read path. Each is ONE statement whatever the number of
 * chapters, courses or entitlements involved (measured on this stack: a knex lookup costs
 * ~0.1–0.2 ms, the same read through the Document Service ~1.1 ms). Nothing here is cached across
 * requests.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { rawConnection } from '@kp/platform';
import { CHAPTER_UID, schemaNames } from './schema-names';
import type {
  ChapterFacts,
  CourseAccess,
  CourseFacts,
  Entitlement,
  EntitlementFacts,
  EntitlementSource,
  EntitlementStatus,
  RevokeReason,
} from '../domain/types';

/** Database values to JS: SQLite returns datetimes as epoch milliseconds and booleans as 0/1. */
export function toDate(v: unknown): Date | null {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === 'number') return new Date(v);
  if (typeof v === 'string') {
    const d = /^\d+$/.test(v) ? new Date(Number(v)) : new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}
export function toBool(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 't' || v === 'true';
}
function toStr(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
function toInt(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) ? n : null;
}

/** SQLite caps bound parameters; one statement per this many ids keeps us well under it. */
const MAX_IDS_PER_STATEMENT = 5000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface ChapterRowFacts {
  chapter: ChapterFacts;
  course: CourseFacts | null;
}

function knex(strapi: Core.Strapi): Knex {
  return rawConnection(strapi);
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
const factsSqlCache = new WeakMap<Core.Strapi, string>();

/**
 * The facts statement, written once per Strapi instance (it depends on the schema only). The ids
 * travel as ONE comma-separated parameter, split by the database: a statement with hundreds of
 * placeholders cost more to build and plan than to run (profiled: ~1 ms → ~0.3 ms per request).
 */
function chapterFactsSql(strapi: Core.Strapi): string {
  const hit = factsSqlCache.get(strapi);
  if (hit) return hit;
  const n = schemaNames(strapi);
  const ch = n.chapter;
  const co = n.course;
  const q = quote;
  const isPg = (strapi.db.dialect as unknown as { client?: string }).client === 'postgres';
  const idList = isPg
    ? `ch.id = ANY(string_to_array(?, ',')::int[])`
    : `ch.id IN (SELECT CAST(value AS INTEGER) FROM json_each('[' || ? || ']'))`;
  const agg = (expr: string) => (isPg ? `string_agg(${expr}, ',')` : `group_concat(${expr}, ',')`);
  // One row per course, its chapters folded into `id:preview:published:dripDays:documentId,...`:
  // the driver builds 25 row objects instead of 250 (documentIds are cuid2: no ':' nor ',').
  const chapterCell =
    `CAST(ch.id AS TEXT) || ':' || (CASE WHEN ch.${q(ch.col('isPreview'))} THEN '1' ELSE '0' END) || ':' || ` +
    `(CASE WHEN ch.${q(ch.col('publishedAt'))} IS NULL THEN '0' ELSE '1' END) || ':' || ` +
    `COALESCE(CAST(ch.${q(ch.col('dripDays'))} AS TEXT), '') || ':' || ch.${q(ch.col('documentId'))}`;
  const sql = [
    `WITH g AS (`,
    `  SELECT l.${q(ch.course.to)} AS course_row, ${agg(chapterCell)} AS chs`,
    `  FROM ${q(ch.table)} ch LEFT JOIN ${q(ch.course.table)} l ON l.${q(ch.course.from)} = ch.id`,
    `  WHERE ${idList}`,
    `  GROUP BY l.${q(ch.course.to)})`,
    `SELECT g.chs AS ${q('chapters')}, c.${q(co.col('documentId'))} AS ${q('courseDocumentId')},`,
    `  cp.id AS ${q('publishedCourseId')}, cp.${q(co.col('access'))} AS ${q('access')}, cp.${q(co.col('dripEnabled'))} AS ${q('dripEnabled')},`,
    `  iu.${q(n.instructor.user.to)} AS ${q('instructorUserId')}`,
    `FROM g`,
    `LEFT JOIN ${q(co.table)} c ON c.id = g.course_row`,
    // The published version of that course, same locale.
    `LEFT JOIN ${q(co.table)} cp ON cp.${q(co.col('documentId'))} = c.${q(co.col('documentId'))} AND cp.${q(co.col('locale'))} = c.${q(co.col('locale'))} AND cp.${q(co.col('publishedAt'))} IS NOT NULL`,
    // Its instructor; the draft's when nothing is published (an instructor's own drafts are theirs).
    `LEFT JOIN ${q(co.instructor.table)} il ON il.${q(co.instructor.from)} = COALESCE(cp.id, c.id)`,
    `LEFT JOIN ${q(n.instructor.user.table)} iu ON iu.${q(n.instructor.user.from)} = il.${q(co.instructor.to)}`,
  ].join('\n');
  factsSqlCache.set(strapi, sql);
  return sql;
}

/**
 * Facts about chapter rows by row id: preview flag and publication of the row itself, and the
 * PUBLISHED version (same locale) of the course it belongs to — its access and its instructor's
 * user. The draft course's `access` is deliberately not used: an editor switching a course to free
 * in a draft must not open its chapters before publishing.
 */
export async function loadChapterFacts(strapi: Core.Strapi, chapterIds: readonly number[]): Promise<Map<number, ChapterRowFacts>> {
  const out = new Map<number, ChapterRowFacts>();
  if (chapterIds.length === 0) return out;
  const sql = chapterFactsSql(strapi);
  const k = knex(strapi);
  for (const ids of chunks(chapterIds, MAX_IDS_PER_STATEMENT)) {
    const result = (await k.raw(sql, [ids.join(',')])) as unknown;
    // better-sqlite3 answers the rows, node-postgres a result with `rows`.
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<Record<string, unknown>>;
    for (const r of rows) {
      const courseDocumentId = toStr(r.courseDocumentId);
      const published = r.publishedCourseId !== null && r.publishedCourseId !== undefined;
      const course: CourseFacts | null = courseDocumentId
        ? {
            documentId: courseDocumentId,
            published,
            // Unknown when unpublished: the decision answers `draft` before reading it.
            access: published ? ((r.access as CourseAccess | null) ?? 'paid') : 'paid',
            instructorUserId: toInt(r.instructorUserId),
            // The published version's switch, like `access`: a draft cannot start a drip.
            dripEnabled: published && toBool(r.dripEnabled),
          }
        : null;
      for (const cell of String(r.chapters ?? '').split(',')) {
        const [id, preview, chapterPublished, drip, documentId] = cell.split(':');
        const rowId = Number(id);
        if (!Number.isInteger(rowId) || rowId <= 0) continue;
        out.set(rowId, {
          chapter: { documentId: documentId ?? '', published: chapterPublished === '1', isPreview: preview === '1', dripDays: drip ? toInt(drip) : null },
          course,
        });
      }
    }
  }
  return out;
}

/** The rows of a chapter document: published ones (all locales, default locale first), then drafts. */
export async function findChapterRows(
  strapi: Core.Strapi,
  chapterDocumentId: string
): Promise<{ publishedIds: number[]; draftIds: number[] }> {
  const ch = schemaNames(strapi).chapter;
  const rows: Array<Record<string, unknown>> = await knex(strapi)
    .select({ id: 'id', publishedAt: ch.col('publishedAt'), locale: ch.col('locale') })
    .from(ch.table)
    .where(ch.col('documentId'), chapterDocumentId);
  const published = rows.filter((r) => toDate(r.publishedAt) !== null);
  // The default locale first, so that a decision names the primary version.
  published.sort((a, b) => (a.locale === 'en' ? -1 : b.locale === 'en' ? 1 : 0));
  const ids = (list: Array<Record<string, unknown>>) => list.map((r) => toInt(r.id)).filter((x): x is number => x !== null);
  return { publishedIds: ids(published), draftIds: ids(rows.filter((r) => toDate(r.publishedAt) === null)) };
}

/**
 * The access of the published version of each course, in one query (a course not published is
 * left out: nothing covers it for a learner).
 */
export async function loadCourseAccess(strapi: Core.Strapi, courseDocumentIds: readonly string[]): Promise<Map<string, CourseAccess>> {
  const out = new Map<string, CourseAccess>();
  if (courseDocumentIds.length === 0) return out;
  const co = schemaNames(strapi).course;
  for (const ids of chunks([...courseDocumentIds], MAX_IDS_PER_STATEMENT)) {
    const rows: Array<Record<string, unknown>> = await knex(strapi)
      .select({ documentId: co.col('documentId'), access: co.col('access') })
      .from(co.table)
      .whereIn(co.col('documentId'), ids)
      .whereNotNull(co.col('publishedAt'));
    for (const r of rows) out.set(String(r.documentId), (r.access as CourseAccess | null) ?? 'paid');
  }
  return out;
}

/** The published course (any locale) with its instructor's user; null when the course does not exist. */
export async function loadCourseFacts(strapi: Core.Strapi, courseDocumentId: string): Promise<CourseFacts | null> {
  const n = schemaNames(strapi);
  const co = n.course;
  const rows: Array<Record<string, unknown>> = await knex(strapi)
    .select({
      publishedAt: `c.${co.col('publishedAt')}`,
      access: `c.${co.col('access')}`,
      dripEnabled: `c.${co.col('dripEnabled')}`,
      instructorUserId: `iu.${n.instructor.user.to}`,
    })
    .from({ c: co.table })
    .leftJoin({ il: co.instructor.table }, `il.${co.instructor.from}`, 'c.id')
    .leftJoin({ iu: n.instructor.user.table }, `iu.${n.instructor.user.from}`, `il.${co.instructor.to}`)
    .where(`c.${co.col('documentId')}`, courseDocumentId);
  if (rows.length === 0) return null;
  const published = rows.filter((r) => toDate(r.publishedAt) !== null);
  // The published version's instructor; the draft's when nothing is published.
  const instructor = (published.length > 0 ? published : rows).map((r) => toInt(r.instructorUserId)).find((x) => x !== null) ?? null;
  return {
    documentId: courseDocumentId,
    published: published.length > 0,
    access: ((published[0]?.access as CourseAccess | undefined) ?? 'paid'),
    instructorUserId: instructor,
    dripEnabled: published.some((r) => toBool(r.dripEnabled)),
  };
}

/** The chapters of a course's published version (default locale first), for "which are unlocked". */
export async function loadCourseChapters(
  strapi: Core.Strapi,
  courseDocumentId: string,
  locale: string
): Promise<Array<{ id: number; documentId: string; title: string; position: number; isPreview: boolean; dripDays: number | null }>> {
  const n = schemaNames(strapi);
  const ch = n.chapter;
  const co = n.course;
  const rows: Array<Record<string, unknown>> = await knex(strapi)
    .select({
      id: 'ch.id',
      documentId: `ch.${ch.col('documentId')}`,
      title: `ch.${ch.col('title')}`,
      position: `ch.${ch.col('position')}`,
      isPreview: `ch.${ch.col('isPreview')}`,
      dripDays: `ch.${ch.col('dripDays')}`,
    })
    .from({ ch: ch.table })
    .join({ l: ch.course.table }, `l.${ch.course.from}`, 'ch.id')
    .join({ c: co.table }, 'c.id', `l.${ch.course.to}`)
    .where(`c.${co.col('documentId')}`, courseDocumentId)
    .whereNotNull(`c.${co.col('publishedAt')}`)
    .whereNotNull(`ch.${ch.col('publishedAt')}`)
    .where(`ch.${ch.col('locale')}`, locale)
    .where(`c.${co.col('locale')}`, locale)
    .orderBy(`ch.${ch.col('position')}`, 'asc');
  return rows.map((r) => ({
    id: toInt(r.id) ?? 0,
    documentId: String(r.documentId),
    title: String(r.title ?? ''),
    position: toInt(r.position) ?? 0,
    isPreview: toBool(r.isPreview),
    dripDays: toInt(r.dripDays),
  }));
}

const ENTITLEMENT_COLUMNS = [
  'documentId',
  'userRef',
  'courseRef',
  'planRef',
  'source',
  'state',
  'validFrom',
  'validUntil',
  'sourceRef',
  'revokedReason',
  'revokedAt',
  'pastDueSince',
  'notes',
] as const;

const entitlementsSqlCache = new WeakMap<Core.Strapi, Map<'all' | 'courses' | 'users', string>>();

/**
 * THE entitlement statement, written once per Strapi instance and shape. Course documentIds travel
 * as one JSON array parameter (same reason as the facts statement). `courses`: entitlements that
 * could cover one of the listed courses (that course, or any plan), each plan row joined with the
 * listed courses it includes; `all`: every entitlement of the user.
 */
function entitlementsSql(strapi: Core.Strapi, shape: 'all' | 'courses' | 'users'): string {
  let byShape = entitlementsSqlCache.get(strapi);
  if (!byShape) {
    byShape = new Map();
    entitlementsSqlCache.set(strapi, byShape);
  }
  const hit = byShape.get(shape);
  if (hit) return hit;
  const n = schemaNames(strapi);
  const e = n.entitlement;
  const p = n.plan;
  const co = n.course;
  const q = quote;
  const isPg = (strapi.db.dialect as unknown as { client?: string }).client === 'postgres';
  const docList = isPg ? `SELECT jsonb_array_elements_text(?::jsonb)` : `SELECT value FROM json_each(?)`;
  const columns = ENTITLEMENT_COLUMNS.map((c) => `e.${q(e.col(c))} AS ${q(c)}`).join(', ');
  const lines = [
    `SELECT e.id AS ${q('id')}, ${columns}, p.${q(p.col('allAccess'))} AS ${q('planAllAccess')}, p.id AS ${q('planRowId')},`,
    shape !== 'all' ? `  inc.${q('courseDocumentId')} AS ${q('includedCourse')}` : `  NULL AS ${q('includedCourse')}`,
    `FROM ${q(e.table)} e`,
    // A plan is localized: every locale row of it.
    `LEFT JOIN ${q(p.table)} p ON p.${q(p.col('documentId'))} = e.${q(e.col('planRef'))}`,
  ];
  if (shape !== 'all') {
    // Which of the listed courses each plan row includes; a subquery, so that a plan with hundreds
    // of courses does not multiply the rows.
    lines.push(
      `LEFT JOIN (SELECT pl.${q(p.courses.from)} AS ${q('planId')}, pc.${q(co.col('documentId'))} AS ${q('courseDocumentId')}`,
      `  FROM ${q(p.courses.table)} pl JOIN ${q(co.table)} pc ON pc.id = pl.${q(p.courses.to)}`,
      `  WHERE pc.${q(co.col('documentId'))} IN (${docList})) inc ON inc.${q('planId')} = p.id`,
      shape === 'users'
        ? `WHERE e.${q(e.col('userRef'))} IN (${isPg ? 'SELECT jsonb_array_elements_text(?::jsonb)::int' : 'SELECT value FROM json_each(?)'}) AND (e.${q(e.col('planRef'))} IS NOT NULL OR e.${q(e.col('courseRef'))} IN (${docList}))`
        : `WHERE e.${q(e.col('userRef'))} = ? AND (e.${q(e.col('planRef'))} IS NOT NULL OR e.${q(e.col('courseRef'))} IN (${docList}))`
    );
  } else {
    lines.push(`WHERE e.${q(e.col('userRef'))} = ?`);
  }
  const sql = lines.join('\n');
  byShape.set(shape, sql);
  return sql;
}

export interface EntitlementWithFacts {
  entitlement: Entitlement;
  facts: EntitlementFacts;
}

/**
 * THE entitlement query: a user's entitlements, each with what its plan covers among
 * `courseDocumentIds` (all-access flag, and which of those courses the plan includes in any
 * locale). With `courseDocumentIds` given, only entitlements that could cover one of them (that
 * course, or any plan) are read; with `'all'`, every entitlement of the user, plans resolved for
 * the all-access flag only.
 */
export async function loadEntitlements(
  strapi: Core.Strapi,
  userId: number,
  courseDocumentIds: readonly string[] | 'all'
): Promise<EntitlementWithFacts[]> {
  const docs = courseDocumentIds === 'all' ? null : JSON.stringify([...new Set(courseDocumentIds)]);
  const sql = entitlementsSql(strapi, docs === null ? 'all' : 'courses');
  const bindings = docs === null ? [userId] : [docs, userId, docs];
  const result = (await knex(strapi).raw(sql, bindings)) as unknown;
  return entitlementsFromRows((Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<Record<string, unknown>>, userId);
}

/**
 * The entitlement query for a list of users at once (one statement per list): every entitlement of
 * these users that could cover one of `courseDocumentIds`, with its plan's facts, as `loadEntitlements`.
 */
export async function loadEntitlementsOfUsers(strapi: Core.Strapi, userIds: readonly number[], courseDocumentIds: readonly string[]): Promise<EntitlementWithFacts[]> {
  if (userIds.length === 0 || courseDocumentIds.length === 0) return [];
  const docs = JSON.stringify([...new Set(courseDocumentIds)]);
  const users = JSON.stringify([...new Set(userIds)]);
  const result = (await knex(strapi).raw(entitlementsSql(strapi, 'users'), [docs, users, docs])) as unknown;
  return entitlementsFromRows((Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<Record<string, unknown>>, 0);
}

function entitlementsFromRows(rows: Array<Record<string, unknown>>, userId: number): EntitlementWithFacts[] {
  const byId = new Map<number, EntitlementWithFacts & { included: Set<string>; allAccess: boolean; planFound: boolean }>();
  for (const r of rows) {
    const id = toInt(r.id);
    if (id === null) continue;
    let item = byId.get(id);
    if (!item) {
      const entitlement: Entitlement = {
        id,
        documentId: String(r.documentId),
        userId: toInt(r.userRef) ?? userId,
        courseDocumentId: toStr(r.courseRef),
        planDocumentId: toStr(r.planRef),
        source: r.source as EntitlementSource,
        status: r.state as EntitlementStatus,
        validFrom: toDate(r.validFrom) ?? new Date(0),
        validUntil: toDate(r.validUntil),
        sourceRef: String(r.sourceRef ?? ''),
        revokedReason: (toStr(r.revokedReason) as RevokeReason | null) ?? null,
        revokedAt: toDate(r.revokedAt),
        pastDueSince: toDate(r.pastDueSince),
        notes: toStr(r.notes),
      };
      item = {
        entitlement,
        facts: {
          source: entitlement.source,
          status: entitlement.status,
          validFrom: entitlement.validFrom,
          validUntil: entitlement.validUntil,
          pastDueSince: entitlement.pastDueSince,
          courseDocumentId: entitlement.courseDocumentId,
          planDocumentId: entitlement.planDocumentId,
          plan: null,
        },
        included: new Set<string>(),
        allAccess: false,
        planFound: false,
      };
      byId.set(id, item);
    }
    if (r.planRowId !== null && r.planRowId !== undefined) {
      item.planFound = true;
      // A plan is localized: any locale saying all-access makes it all-access.
      if (toBool(r.planAllAccess)) item.allAccess = true;
    }
    const inc = toStr(r.includedCourse);
    if (inc) item.included.add(inc);
  }
  return [...byId.values()].map(({ entitlement, facts, included, allAccess, planFound }) => ({
    entitlement,
    facts: {
      ...facts,
      plan: facts.planDocumentId && planFound ? { allAccess, courseDocumentIds: included } : null,
    },
  }));
}

/** Chapter fields that hold gated media files. */
export const GATED_MEDIA_FIELDS = ['video', 'attachments'] as const;

/**
 * Which of these files are a chapter's video or attachment (in any locale, draft or published):
 * one statement on the upload plugin's morph table, by file id.
 */
export async function gatedMediaFileIds(strapi: Core.Strapi, fileIds: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  if (fileIds.length === 0) return out;
  const r = schemaNames(strapi).file.related;
  for (const ids of chunks([...new Set(fileIds)], MAX_IDS_PER_STATEMENT)) {
    const rows: Array<Record<string, unknown>> = await knex(strapi)
      .distinct({ id: r.file })
      .from(r.table)
      .whereIn(r.file, ids)
      .where(r.type, CHAPTER_UID)
      .whereIn(r.field, [...GATED_MEDIA_FIELDS]);
    for (const row of rows) {
      const id = toInt(row.id);
      if (id !== null) out.add(id);
    }
  }
  return out;
}
