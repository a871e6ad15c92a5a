/**
 * Which courses a report covers: the course / category / instructor filters resolved to course
 * documentIds in one query, an instructor's own courses, and the titles of courses and chapters
 * (published version first, the default locale first).
 */
import type { Core } from '@strapi/strapi';
import { CATEGORY_UID, CHAPTER_UID, COURSE_UID, INSTRUCTOR_UID } from '@kp/platform';
import { Db, join, sql, type Sql } from './sql';

export interface CourseFilter {
  course?: string;
  category?: string;
  instructor?: string;
}

const DEFAULT_LOCALE = 'en';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const db = () => new Db(strapi);

  /** The courses the filters select, or null when there is no filter (every course, and plan orders). */
  async function coursesOf(filter: CourseFilter): Promise<string[] | null> {
    if (!filter.course && !filter.category && !filter.instructor) return null;
    const d = db();
    const c = d.names(COURSE_UID);
    const where: Sql[] = [];
    if (filter.course) where.push(sql(`c.${c.col('documentId')} = ?`, [filter.course]));
    if (filter.category) {
      const l = c.join('category');
      const k = d.names(CATEGORY_UID);
      where.push(sql(`c.id IN (SELECT l.${l.from} FROM ${l.table} l JOIN ${k.table} k ON k.id = l.${l.to} WHERE k.${k.col('documentId')} = ?)`, [filter.category]));
    }
    if (filter.instructor) {
      const l = c.join('instructor');
      const i = d.names(INSTRUCTOR_UID);
      where.push(sql(`c.id IN (SELECT l.${l.from} FROM ${l.table} l JOIN ${i.table} i ON i.id = l.${l.to} WHERE i.${i.col('documentId')} = ?)`, [filter.instructor]));
    }
    const cond = join(where, ' AND ');
    const rows = await d.rows<{ id: string }>(sql(`SELECT DISTINCT c.${c.col('documentId')} AS id FROM ${c.table} c WHERE ${cond.text}`, cond.values));
    return rows.map((r) => r.id);
  }

  /** The instructor profile of a users-permissions user, or null. */
  async function instructorOfUser(userId: number): Promise<string | null> {
    const d = db();
    const i = d.names(INSTRUCTOR_UID);
    const l = i.join('user');
    const rows = await d.rows<{ id: string }>(sql(`SELECT i.${i.col('documentId')} AS id FROM ${i.table} i JOIN ${l.table} l ON l.${l.from} = i.id WHERE l.${l.to} = ? LIMIT 1`, [userId]));
    return rows[0]?.id ?? null;
  }

  /** Titles by documentId of courses or chapters: the published row of the default locale first. */
  async function titles(uid: typeof COURSE_UID | typeof CHAPTER_UID, documentIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (documentIds.length === 0) return out;
    const d = db();
    const n = d.names(uid);
    const list = d.inList(`${n.col('documentId')}`, [...new Set(documentIds)]);
    const rows = await d.rows<{ id: string; title: string; locale: string | null; published: unknown }>(
      sql(`SELECT ${n.col('documentId')} AS id, ${n.col('title')} AS title, ${n.col('locale')} AS locale, ${n.col('publishedAt')} AS published FROM ${n.table} WHERE ${list.text}`, list.values)
    );
    const rank = (r: { locale: string | null; published: unknown }) => (r.published ? 0 : 2) + (r.locale === DEFAULT_LOCALE ? 0 : 1);
    const best = new Map<string, number>();
    for (const r of rows) {
      const score = rank(r);
      if (!best.has(r.id) || score < best.get(r.id)!) {
        best.set(r.id, score);
        out.set(r.id, r.title);
      }
    }
    return out;
  }

  /** The chapters of a course in order (one entry per document). */
  async function chaptersOf(courseDocumentId: string): Promise<Array<{ documentId: string; position: number }>> {
    const d = db();
    const ch = d.names(CHAPTER_UID);
    const co = d.names(COURSE_UID);
    const l = ch.join('course');
    const rows = await d.rows<{ id: string; position: unknown }>(
      sql(
        `SELECT ch.${ch.col('documentId')} AS id, MIN(ch.${ch.col('position')}) AS position FROM ${ch.table} ch ` +
          `JOIN ${l.table} l ON l.${l.from} = ch.id JOIN ${co.table} co ON co.id = l.${l.to} ` +
          `WHERE co.${co.col('documentId')} = ? GROUP BY 1 ORDER BY 2, 1`,
        [courseDocumentId]
      )
    );
    return rows.map((r) => ({ documentId: r.id, position: Number(r.position) }));
  }

  return { coursesOf, instructorOfUser, titles, chaptersOf };
};
