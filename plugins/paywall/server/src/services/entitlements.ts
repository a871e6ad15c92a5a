/**
 * The ledger's write and read API for other plugins (checkout grants and revokes through it, the
 * admin panel's edits obey the same rules through the Document Service middleware in
 * `register.ts`). Nothing else writes entitlements.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { ENTITLEMENT_UID } from '../content-types';
import { dedupeKey, type Target } from '../domain/entitlement-rules';
import { bestCoverage, entitlementValidity } from '../domain/decide-access';
import {
  ENTITLEMENT_SOURCES,
  REVOKE_REASONS,
  type Entitlement,
  type EntitlementSource,
  type RevokeReason,
} from '../domain/types';
import { loadEntitlements } from './queries';
import { isDuplicateEntitlementError } from './entitlement-writes';
import { accessConfig } from './config-access';
import { schemaNames, COURSE_UID, PLAN_UID } from './schema-names';
import { rawConnection } from './connection';

export interface GrantInput {
  userId: number;
  courseDocumentId?: string;
  planDocumentId?: string;
  source: EntitlementSource;
  sourceRef: string;
  status?: 'active' | 'past_due';
  validFrom?: Date;
  validUntil?: Date | null;
  notes?: string;
}

export interface RevokeInput {
  source: EntitlementSource;
  sourceRef: string;
  reason: RevokeReason;
  notes?: string;
}

const documentIdSchema = z.string().trim().min(1).max(64);

const grantSchema = z
  .object({
    userId: z.number().int().positive(),
    courseDocumentId: documentIdSchema.optional(),
    planDocumentId: documentIdSchema.optional(),
    source: z.enum(ENTITLEMENT_SOURCES),
    sourceRef: z.string().trim().min(1).max(255),
    status: z.enum(['active', 'past_due']).optional(),
    validFrom: z.date().optional(),
    validUntil: z.date().nullable().optional(),
    notes: z.string().max(2000).optional(),
  })
  .refine((v) => Boolean(v.courseDocumentId) !== Boolean(v.planDocumentId), {
    message: 'give exactly one of courseDocumentId or planDocumentId',
  })
  .refine((v) => !v.validUntil || v.validUntil.getTime() > (v.validFrom ?? new Date(0)).getTime(), {
    message: 'validUntil must be after validFrom',
  });

const revokeSchema = z.object({
  source: z.enum(ENTITLEMENT_SOURCES),
  sourceRef: z.string().trim().min(1).max(255),
  reason: z.enum(REVOKE_REASONS),
  notes: z.string().max(2000).optional(),
});

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const r = schema.safeParse(input);
  if (!r.success) {
    const detail = r.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
    throw new errors.ValidationError(`paywall ${what}: ${detail}`);
  }
  return r.data;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  async function exists(uid: string, documentId: string): Promise<boolean> {
    const table = uid === COURSE_UID ? schemaNames(strapi).course : schemaNames(strapi).plan;
    const row = await rawConnection(strapi)(table.table).where(table.col('documentId'), documentId).first('id');
    return Boolean(row);
  }

  async function findByKey(key: string): Promise<Entitlement | null> {
    const row = await strapi.db.query(ENTITLEMENT_UID).findOne({ where: { dedupeKey: key }, select: ['id', 'userRef'] });
    if (!row) return null;
    const all = await loadEntitlements(strapi, Number(row.userRef), 'all');
    return all.find((x) => x.entitlement.id === row.id)?.entitlement ?? null;
  }

  return {
    /**
     * Idempotent upsert on (user, target, source, sourceRef): the row ends `active` (or
     * `past_due`) with the given validity, whatever it was before (a revoked row is re-activated:
     * the caller, not the ledger, decides whether a late event should count).
     */
    async grant(input: GrantInput): Promise<Entitlement> {
      const v = parse(grantSchema, input, 'grant');
      const target: Target = v.courseDocumentId
        ? { kind: 'course', documentId: v.courseDocumentId }
        : { kind: 'plan', documentId: v.planDocumentId as string };
      const user = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: v.userId }, select: ['id'] });
      if (!user) throw new errors.NotFoundError(`paywall grant: user ${v.userId} does not exist`);
      if (!(await exists(target.kind === 'course' ? COURSE_UID : PLAN_UID, target.documentId))) {
        throw new errors.NotFoundError(`paywall grant: ${target.kind} ${target.documentId} does not exist`);
      }
      const key = dedupeKey(v.userId, target, v.source, v.sourceRef);
      const status = v.status ?? 'active';
      const now = new Date();
      const scalars = {
        source: v.source,
        state: status,
        sourceRef: v.sourceRef,
        // A redelivered grant without validFrom keeps the original start.
        ...(v.validFrom ? { validFrom: v.validFrom } : {}),
        validUntil: v.validUntil ?? null,
        revokedReason: null,
        revokedAt: null,
        ...(v.notes !== undefined ? { notes: v.notes } : {}),
      };

      // Two attempts: a concurrent grant of the same key makes our insert hit the unique index;
      // the second attempt then finds its row and updates it.
      for (let attempt = 0; ; attempt += 1) {
        try {
          await strapi.db.transaction(async () => {
            const existing = await strapi.db
              .query(ENTITLEMENT_UID)
              .findOne({ where: { dedupeKey: key }, select: ['id', 'state', 'pastDueSince'] });
            if (existing) {
              const pastDueSince =
                status === 'past_due' ? (existing.state === 'past_due' && existing.pastDueSince ? existing.pastDueSince : now) : null;
              await strapi.db.query(ENTITLEMENT_UID).update({ where: { id: existing.id }, data: { ...scalars, pastDueSince } });
              return;
            }
            // Through the Document Service so that relations land as Strapi links them (course
            // drafts and published versions); the middleware in register.ts fills the derived columns.
            await strapi.documents(ENTITLEMENT_UID).create({
              data: {
                ...scalars,
                validFrom: v.validFrom ?? now,
                pastDueSince: status === 'past_due' ? now : null,
                user: v.userId,
                ...(target.kind === 'course' ? { course: target.documentId } : { plan: target.documentId }),
              } as never,
            });
          });
          break;
        } catch (err) {
          if (attempt === 0 && isDuplicateEntitlementError(err)) continue;
          throw err;
        }
      }
      const row = await findByKey(key);
      if (!row) throw new errors.ApplicationError('paywall grant: the entitlement was not written');
      return row;
    },

    /** Revokes every live row with this (source, sourceRef); returns how many changed (0 when repeated). */
    async revoke(input: RevokeInput): Promise<number> {
      const v = parse(revokeSchema, input, 'revoke');
      const now = new Date();
      const res = await strapi.db.query(ENTITLEMENT_UID).updateMany({
        where: { source: v.source, sourceRef: v.sourceRef, state: { $ne: 'revoked' } },
        data: {
          state: 'revoked',
          revokedReason: v.reason,
          revokedAt: now,
          pastDueSince: null,
          ...(v.notes !== undefined ? { notes: v.notes } : {}),
        },
      });
      return Number((res as { count?: number }).count ?? 0);
    },

    /** A user's entitlements; only those valid at `now` unless `includeInactive`. */
    async listForUser(userId: number, opts: { now?: Date; includeInactive?: boolean } = {}): Promise<Entitlement[]> {
      if (!Number.isInteger(userId) || userId <= 0) return [];
      const now = opts.now ?? new Date();
      const config = accessConfig(strapi);
      const rows = await loadEntitlements(strapi, userId, 'all');
      return rows
        .filter((r) => opts.includeInactive || entitlementValidity(r.facts, now, config) === 'valid')
        .map((r) => r.entitlement)
        .sort((a, b) => b.validFrom.getTime() - a.validFrom.getTime() || b.id - a.id);
    },

    /** Which of these courses the user's valid entitlements cover, with the covering entitlement (one query). */
    async coverage(userId: number, courseDocumentIds: string[], now: Date = new Date()): Promise<Map<string, Entitlement>> {
      const out = new Map<string, Entitlement>();
      if (!Number.isInteger(userId) || userId <= 0 || courseDocumentIds.length === 0) return out;
      const config = accessConfig(strapi);
      const rows = await loadEntitlements(strapi, userId, courseDocumentIds);
      const facts = rows.map((r) => r.facts);
      for (const doc of new Set(courseDocumentIds)) {
        const best = bestCoverage(facts, doc, now, config);
        if (best.covered) {
          const hit = rows.find((r) => r.facts === best.entitlement);
          if (hit) out.set(doc, hit.entitlement);
        }
      }
      return out;
    },
  };
};
