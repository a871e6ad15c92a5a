/**
 * The interactions table: `record()` (the contract other plugins call on purchase, refund and
 * progress), a learner's history for a request, and everyone's for popularity and co-occurrence.
 * Reads go through knex on the table and its user link table (names from Strapi's metadata): one
 * indexed query per request, and a bulk read that the Query Engine would make ten times slower.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { INTERACTION_UID } from '../content-types';
import { INTERACTION_KINDS, type InteractionKind } from '../domain/config';
import { toEpoch } from '../domain/catalogue';
import type { InteractionEvent } from '../domain/signals';

export interface RecordInput {
  userId: number;
  courseDocumentId: string;
  kind: InteractionKind;
  /** Multiplier of the kind's configured weight, 0–10 (default 1). */
  weight?: number;
  at?: Date;
}

const recordSchema = z.object({
  userId: z.number().int().positive(),
  courseDocumentId: z.string().trim().min(1).max(64),
  kind: z.enum(INTERACTION_KINDS),
  weight: z.number().finite().min(0).max(10).optional(),
  at: z.date().refine((d) => !Number.isNaN(d.getTime()), 'at must be a valid date').optional(),
});

interface Tables {
  interactions: string;
  link: string;
  linkInteraction: string;
  linkUser: string;
  course: string;
  kind: string;
  weight: string;
  at: string;
}

interface JoinTableMeta {
  name: string;
  joinColumn: { name: string };
  inverseJoinColumn: { name: string };
}

export type LearnerEvents = Map<number, InteractionEvent[]>;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let tables: Tables | null = null;

  /** Table and column names as Strapi created them (they differ from the attribute names). */
  function names(): Tables {
    if (tables) return tables;
    const meta = strapi.db.metadata.get(INTERACTION_UID) as unknown as {
      tableName: string;
      attributes: Record<string, { columnName?: string; joinTable?: JoinTableMeta }>;
    };
    const join = meta.attributes.user?.joinTable;
    if (!join) throw new Error('recommender: the interaction content type has no user link table');
    const schema = strapi.db.getSchemaName?.();
    const qualify = (t: string) => (schema && schema !== 'public' ? `${schema}.${t}` : t);
    const col = (attr: string) => meta.attributes[attr]?.columnName ?? attr;
    tables = {
      interactions: qualify(meta.tableName),
      link: qualify(join.name),
      linkInteraction: join.joinColumn.name,
      linkUser: join.inverseJoinColumn.name,
      course: col('courseDocumentId'),
      kind: col('kind'),
      weight: col('weight'),
      at: col('at'),
    };
    return tables;
  }

  const toEvent = (row: { course: string; kind: string; weight: number | string | null; at: string | number | Date }): InteractionEvent => ({
    itemId: row.course,
    kind: row.kind as InteractionKind,
    weight: row.weight === null ? null : Number(row.weight),
    at: toEpoch(row.at),
  });

  return {
    /**
     * Records that a learner did something with a course. Callers (checkout, learning) wrap this
     * in try/catch: a recommendation signal must never fail a purchase or a progress write.
     * Invalid input throws a ValidationError.
     */
    async record(input: RecordInput): Promise<void> {
      const parsed = recordSchema.safeParse(input);
      if (!parsed.success) {
        throw new errors.ValidationError(`interaction: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      }
      const { userId, courseDocumentId, kind, weight, at } = parsed.data;
      await strapi.db.query(INTERACTION_UID).create({
        data: { user: userId, courseDocumentId, kind, weight: weight ?? 1, at: at ?? new Date() },
      });
    },

    /** A learner's latest interactions, newest first. */
    async historyOf(userId: number, limit: number): Promise<InteractionEvent[]> {
      const t = names();
      const rows = await strapi.db.connection
        .select({ course: `i.${t.course}`, kind: `i.${t.kind}`, weight: `i.${t.weight}`, at: `i.${t.at}` })
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
      const total = Number(((await strapi.db.connection.from(t.interactions).count({ n: '*' }).first()) as { n: number | string } | undefined)?.n ?? 0);
      const query = strapi.db.connection
        .select({ user: `l.${t.linkUser}`, course: `i.${t.course}`, kind: `i.${t.kind}`, weight: `i.${t.weight}`, at: `i.${t.at}` })
        .from({ i: t.interactions })
        .join({ l: t.link }, `l.${t.linkInteraction}`, `i.id`);
      // Only a table over the bound needs sorting to keep the latest.
      if (total > max) query.orderBy(`i.${t.at}`, 'desc').limit(max);
      const rows: Array<{ user: number; course: string; kind: string; weight: number | null; at: string | number | Date }> = await query;
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
      const row = (await strapi.db.connection.from(t.interactions).count({ n: '*' }).max({ m: 'id' }).first()) as
        | { n: number | string; m: number | string | null }
        | undefined;
      return `${row?.n ?? 0}:${row?.m ?? 0}`;
    },
  };
};
