/**
 * The interactions table: `record()` (the contract other plugins call on purchase, refund and
 * progress), a learner's history for a request, and everyone's for popularity and co-occurrence.
 * Reads go through knex on the table and its user link table (names from Strapi's metadata): one
 * indexed query per request, and a bulk read that the Query Engine would make ten times slower.
 */
import { documentIdSchema, INTERACTION_KINDS, modelNames, parseOr400, qualifiedTable, rawConnection, type InteractionInput, type InteractionKind } from '@kp/platform';
import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { INTERACTION_UID } from '../content-types';
import { toEpoch } from '../domain/catalogue';
import type { InteractionEvent } from '../domain/signals';

const recordSchema = z
  .object({
    userId: z.number().int().positive(),
    courseDocumentId: documentIdSchema,
    kind: z.enum(INTERACTION_KINDS),
    weight: z.number().finite().min(0).max(10).optional(),
    value: z.number().int().min(1).max(5).optional(),
    at: z.date().refine((d) => !Number.isNaN(d.getTime()), 'must be a valid date').optional(),
  })
  .refine((i) => (i.kind === 'rate') === (i.value !== undefined), { path: ['value'], message: 'is required with kind rate (the stars, 1–5), and only there' }) satisfies z.ZodType<InteractionInput>;

interface Tables {
  interactions: string;
  link: string;
  linkInteraction: string;
  linkUser: string;
  course: string;
  kind: string;
  weight: string;
  value: string;
  at: string;
}

export type LearnerEvents = Map<number, InteractionEvent[]>;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let tables: Tables | null = null;

  /** Table and column names as Strapi created them, in the connection's schema. */
  function names(): Tables {
    if (tables) return tables;
    const n = modelNames(strapi, INTERACTION_UID);
    const user = n.join('user');
    tables = {
      interactions: qualifiedTable(strapi, n.table),
      link: qualifiedTable(strapi, user.table),
      linkInteraction: user.from,
      linkUser: user.to,
      course: n.col('courseDocumentId'),
      kind: n.col('kind'),
      weight: n.col('weight'),
      value: n.col('value'),
      at: n.col('at'),
    };
    return tables;
  }

  async function likeRowIds(userId: number, courseDocumentId: string): Promise<number[]> {
    const rows = (await strapi.db.query(INTERACTION_UID).findMany({
      where: { user: { id: userId }, courseDocumentId, kind: 'like' },
      select: ['id'],
    })) as Array<{ id: number }>;
    return rows.map((r) => r.id);
  }

  /** One like/unlike at a time per learner (in this instance). */
  const queues = new Map<number, Promise<unknown>>();
  function serialised<T>(userId: number, fn: () => Promise<T>): Promise<T> {
    const previous = queues.get(userId) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.catch(() => undefined);
    queues.set(userId, settled);
    void settled.then(() => {
      if (queues.get(userId) === settled) queues.delete(userId);
    });
    return run;
  }

  type Row = { course: string; kind: string; weight: number | string | null; value: number | string | null; at: string | number | Date };
  const toEvent = (row: Row): InteractionEvent => ({
    itemId: row.course,
    kind: row.kind as InteractionKind,
    weight: row.weight === null ? null : Number(row.weight),
    ...(row.value === null || row.value === undefined ? {} : { value: Number(row.value) }),
    at: toEpoch(row.at),
  });

  return {
    /**
     * Records that a learner did something with a course. Callers (checkout, learning) wrap this
     * in try/catch: a recommendation signal must never fail a purchase or a progress write.
     * Invalid input throws a ValidationError.
     */
    async record(input: InteractionInput): Promise<void> {
      const { userId, courseDocumentId, kind, weight, value, at } = parseOr400(recordSchema, input, 'interaction', 'input');
      await strapi.db.query(INTERACTION_UID).create({
        data: { user: userId, courseDocumentId, kind, weight: weight ?? 1, value: value ?? null, at: at ?? new Date() },
      });
    },

    /** Whether the learner likes the course (a `like` row exists). */
    async isLiked(userId: number, courseDocumentId: string): Promise<boolean> {
      return (await likeRowIds(userId, courseDocumentId)).length > 0;
    },

    /**
     * Records a like once: one row per learner, course and kind `like`. Likes of one learner are
     * serialised in this instance, so a double click cannot write two rows.
     */
    async like(userId: number, courseDocumentId: string, at: Date): Promise<{ at: Date; created: boolean }> {
      return serialised(userId, async () => {
        const existing = (await strapi.db.query(INTERACTION_UID).findOne({
          where: { user: { id: userId }, courseDocumentId, kind: 'like' },
          select: ['at'],
          orderBy: { id: 'asc' },
        })) as { at: string | number | Date } | null;
        if (existing) return { at: new Date(toEpoch(existing.at)), created: false };
        await strapi.db.query(INTERACTION_UID).create({ data: { user: userId, courseDocumentId, kind: 'like', weight: 1, at } });
        return { at, created: true };
      });
    },

    /** Takes back a like (every like row of the learner for the course); nothing to do is fine. */
    async unlike(userId: number, courseDocumentId: string): Promise<void> {
      await serialised(userId, async () => {
        const ids = await likeRowIds(userId, courseDocumentId);
        if (ids.length > 0) await strapi.db.query(INTERACTION_UID).deleteMany({ where: { id: { $in: ids } } });
      });
    },

    /** A learner's latest interactions, newest first. */
    async historyOf(userId: number, limit: number): Promise<InteractionEvent[]> {
      const t = names();
      const rows = await rawConnection(strapi)
        .select({ course: `i.${t.course}`, kind: `i.${t.kind}`, weight: `i.${t.weight}`, value: `i.${t.value}`, at: `i.${t.at}` })
        .from({ i: t.interactions })
        .join({ l: t.link }, `l.${t.linkInteraction}`, `i.id`)
        .where(`l.${t.linkUser}`, userId)
        .orderBy(`i.${t.at}`, 'desc')
        .limit(limit);
      return rows.map(toEvent);
    },

    /** Everyone's latest interactions (at most `max`), grouped by learner. */
    async allByLearner(max: number): Promise<{ learners: LearnerEvents; count: number }> {
      const t = names();
      const total = Number(((await rawConnection(strapi).from(t.interactions).count({ n: '*' }).first()) as { n: number | string } | undefined)?.n ?? 0);
      const query = rawConnection(strapi)
        .select({ user: `l.${t.linkUser}`, course: `i.${t.course}`, kind: `i.${t.kind}`, weight: `i.${t.weight}`, value: `i.${t.value}`, at: `i.${t.at}` })
        .from({ i: t.interactions })
        .join({ l: t.link }, `l.${t.linkInteraction}`, `i.id`);
      // Only a table over the bound needs sorting to keep the latest.
      if (total > max) query.orderBy(`i.${t.at}`, 'desc').limit(max);
      const rows: Array<Row & { user: number }> = await query;
      const learners: LearnerEvents = new Map();
      for (const row of rows) {
        const list = learners.get(row.user);
        if (list) list.push(toEvent(row));
        else learners.set(row.user, [toEvent(row)]);
      }
      return { learners, count: rows.length };
    },

    /** A cheap fingerprint of the table (row count and newest id): unchanged means nothing to refresh. */
    async fingerprint(): Promise<string> {
      const t = names();
      const row = (await rawConnection(strapi).from(t.interactions).count({ n: '*' }).max({ m: 'id' }).first()) as
        | { n: number | string; m: number | string | null }
        | undefined;
      return `${row?.n ?? 0}:${row?.m ?? 0}`;
    },
  };
};
