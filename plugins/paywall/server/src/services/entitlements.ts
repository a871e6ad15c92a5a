/**
 * The ledger's write and read API for other plugins (checkout grants and revokes through it, the
 * admin panel's edits obey the same rules through the Document Service middleware in
 * `register.ts`). Nothing else writes entitlements.
 */
import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { documentIdSchema, httpError, parseOr400, rawConnection, retryOnUniqueViolation, type EntitlementsContract, type GrantInput, type RevokeInput } from '@kp/platform';
import { ENTITLEMENT_UID } from '../content-types';
import { createId } from '@paralleldrive/cuid2';
import { dedupeKey, normalizeEntitlement, type Target } from '../domain/entitlement-rules';
import { bestCoverage, entitlementValidity } from '../domain/decide-access';
import {
  ENTITLEMENT_SOURCES,
  REVOKE_REASONS,
  type CourseAccess,
  type Entitlement,
  type EntitlementFacts,
  type EntitlementSource,
  type RevokeReason,
} from '../domain/types';
import { loadCourseAccess, loadEntitlements, loadEntitlementsOfUsers, toDate } from './queries';
import { accessConfig } from './config-access';
import { schemaNames, COURSE_UID, PLAN_UID } from './schema-names';

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

export default ({ strapi }: { strapi: Core.Strapi }): EntitlementsContract => {
  /** Attribute → column for one entitlement row. */
  function columns(data: Record<string, unknown>): Record<string, unknown> {
    const col = schemaNames(strapi).entitlement.col;
    return Object.fromEntries(Object.entries(data).map(([attribute, value]) => [col(attribute), value]));
  }

  /**
   * The rows of a course or plan document that an entitlement links to, as the Document Service
   * would pick them for a source without Draft & Publish or i18n: every status (draft and
   * published) of one locale — the default locale when the document has it.
   */
  async function targetRowIds(target: Target): Promise<number[]> {
    const t = target.kind === 'course' ? schemaNames(strapi).course : schemaNames(strapi).plan;
    const uid = target.kind === 'course' ? COURSE_UID : PLAN_UID;
    const hasLocale = Boolean((strapi.db.metadata.get(uid) as unknown as { attributes: Record<string, unknown> }).attributes.locale);
    const rows = (await rawConnection(strapi)(t.table)
      .where(t.col('documentId'), target.documentId)
      .select(hasLocale ? { id: 'id', locale: t.col('locale') } : { id: 'id' })) as Array<{ id: number | string; locale?: string | null }>;
    if (rows.length === 0) return [];
    const locales = [...new Set(rows.map((r) => r.locale ?? null))];
    let locale = locales[0] ?? null;
    if (locales.length > 1) {
      const preferred = (await strapi.plugin('i18n').service('locales').getDefaultLocale()) as string | undefined;
      if (preferred && locales.includes(preferred)) locale = preferred;
    }
    return rows.filter((r) => (r.locale ?? null) === locale).map((r) => Number(r.id));
  }

  /**
   * Inserts a new entitlement row and its links with plain statements in the current transaction:
   * the same row the Document Service writes (documentId, publishedAt, links to the target's draft
   * and published versions, derived columns from the ledger's rules) in 4–5 statements instead of
   * the ~20 of `documents().create()` and its normalisation. Measured by `npm run bench:webhooks`
   * (every purchase goes through here): see the README. Content Manager writes keep the Document
   * Service path and its middleware.
   */
  async function insertEntitlement(
    v: { userId: number; validFrom?: Date },
    target: Target,
    scalars: Record<string, unknown>,
    status: 'active' | 'past_due',
    now: Date
  ): Promise<void> {
    const db = rawConnection(strapi);
    const users = schemaNames(strapi).user;
    const user = await db(users.table).where('id', v.userId).first('id');
    const targetIds = await targetRowIds(target);
    if (!user) throw httpError(404, `paywall grant: user ${v.userId} does not exist`);
    if (targetIds.length === 0) throw httpError(404, `paywall grant: ${target.kind} ${target.documentId} does not exist`);
    const rule = normalizeEntitlement(
      {
        userId: v.userId,
        courseDocumentIds: target.kind === 'course' ? [target.documentId] : [],
        planDocumentIds: target.kind === 'plan' ? [target.documentId] : [],
        source: scalars.source as EntitlementSource,
        status,
        sourceRef: scalars.sourceRef as string,
        validFrom: v.validFrom ?? now,
        validUntil: (scalars.validUntil as Date | null) ?? null,
        revokedReason: null,
        revokedAt: null,
        pastDueSince: status === 'past_due' ? now : null,
      },
      now
    );
    if (!rule.ok) throw httpError(400, `paywall grant: ${rule.message}`);
    const names = schemaNames(strapi).entitlement;
    const inserted = (await db(names.table)
      .insert(
        columns({
          ...scalars,
          ...rule.patch,
          documentId: createId(),
          createdAt: now,
          updatedAt: now,
          // Entitlements have no Draft & Publish: their rows are "published" from creation.
          publishedAt: now,
        })
      )
      .returning('id')) as Array<{ id: number | string } | number>;
    const first = inserted[0];
    const id = typeof first === 'object' ? Number(first.id) : Number(first);
    const links = target.kind === 'course' ? names.course : names.plan;
    await db(names.user.table).insert({ [names.user.from]: id, [names.user.to]: v.userId });
    await db(links.table).insert(targetIds.map((targetId) => ({ [links.from]: id, [links.to]: targetId })));
  }

  /** The row of one ledger identity (user, target, source, sourceRef), read in one statement. */
  async function findByIdentity(userId: number, target: Target, source: EntitlementSource, sourceRef: string): Promise<Entitlement | null> {
    const all = await loadEntitlements(strapi, userId, 'all');
    const match = all.find(({ entitlement: e }) => {
      const targetId = target.kind === 'course' ? e.courseDocumentId : e.planDocumentId;
      return targetId === target.documentId && e.source === source && e.sourceRef === sourceRef;
    });
    return match?.entitlement ?? null;
  }

  return {
    /**
     * Idempotent upsert on (user, target, source, sourceRef): the row ends `active` (or
     * `past_due`) with the given validity, whatever it was before (a revoked row is re-activated:
     * the caller, not the ledger, decides whether a late event should count).
     */
    async grant(input: GrantInput): Promise<Entitlement> {
      const v = parseOr400(grantSchema, input, 'paywall grant', 'input');
      const target: Target = v.courseDocumentId
        ? { kind: 'course', documentId: v.courseDocumentId }
        : { kind: 'plan', documentId: v.planDocumentId as string };
      const names = schemaNames(strapi).entitlement;
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

      // A concurrent grant of the same key makes our insert hit the unique index; the second
      // attempt then finds its row and updates it. Each attempt runs under a savepoint (the kernel's
      // `retryOnUniqueViolation`), so that the retry also works inside checkout's transaction on
      // PostgreSQL, where the failed INSERT would otherwise abort the caller's whole transaction.
      await retryOnUniqueViolation(strapi, async () => {
        const db = rawConnection(strapi);
        const existing = (await db(names.table)
          .where(names.col('dedupeKey'), key)
          .first({ id: 'id', state: names.col('state'), pastDueSince: names.col('pastDueSince') })) as
          | { id: number | string; state: string; pastDueSince: unknown }
          | undefined;
        if (existing) {
          const pastDueSince =
            status === 'past_due' ? (existing.state === 'past_due' && existing.pastDueSince ? toDate(existing.pastDueSince) ?? now : now) : null;
          await db(names.table)
            .where('id', existing.id)
            .update(columns({ ...scalars, pastDueSince, updatedAt: now }));
          return;
        }
        await insertEntitlement(v, target, scalars, status, now);
      });
      const row = await findByIdentity(v.userId, target, v.source, v.sourceRef);
      if (!row) throw httpError(500, 'paywall grant: the entitlement was not written');
      return row;
    },

    /** Revokes every live row with this (source, sourceRef); returns how many changed (0 when repeated). */
    async revoke(input: RevokeInput): Promise<number> {
      const v = parseOr400(revokeSchema, input, 'paywall revoke', 'input');
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
      // What a plan covers depends on the course's access (domain/decide-access.ts, entitlementCovers).
      const access = rows.some((r) => r.facts.plan?.allAccess) ? await loadCourseAccess(strapi, courseDocumentIds) : new Map<string, CourseAccess>();
      for (const doc of new Set(courseDocumentIds)) {
        const best = bestCoverage(facts, { documentId: doc, access: access.get(doc) ?? 'paid' }, now, config);
        if (best.covered) {
          const hit = rows.find((r) => r.facts === best.entitlement);
          if (hit) out.set(doc, hit.entitlement);
        }
      }
      return out;
    },

    /** For many users at once (one entitlement query per list, plus the courses' access when a plan is all-access): which of these courses each user's valid entitlements cover. */
    async coverageOfUsers(userIds: number[], courseDocumentIds: string[], now: Date = new Date()): Promise<Map<number, Set<string>>> {
      const out = new Map<number, Set<string>>();
      const users = userIds.filter((u) => Number.isInteger(u) && u > 0);
      if (users.length === 0 || courseDocumentIds.length === 0) return out;
      const config = accessConfig(strapi);
      const rows = await loadEntitlementsOfUsers(strapi, users, courseDocumentIds);
      const access = rows.some((r) => r.facts.plan?.allAccess) ? await loadCourseAccess(strapi, courseDocumentIds) : new Map<string, CourseAccess>();
      const byUser = new Map<number, EntitlementFacts[]>();
      for (const r of rows) {
        const list = byUser.get(r.entitlement.userId) ?? [];
        list.push(r.facts);
        byUser.set(r.entitlement.userId, list);
      }
      for (const [user, facts] of byUser) {
        for (const doc of new Set(courseDocumentIds)) {
          if (bestCoverage(facts, { documentId: doc, access: access.get(doc) ?? 'paid' }, now, config).covered) {
            const set = out.get(user) ?? new Set<string>();
            set.add(doc);
            out.set(user, set);
          }
        }
      }
      return out;
    },
  };
};
