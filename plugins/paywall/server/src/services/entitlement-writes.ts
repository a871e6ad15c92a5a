/**
 * Keeps every entitlement row consistent with the ledger's rules after ANY Document Service write
 * (the Content Manager's create/update/clone included): derived columns (`userRef`, `courseRef`,
 * `planRef`, `dedupeKey`) recomputed from the stored relations, status bookkeeping filled, invalid
 * rows refused with a message the editor sees. Runs inside the write's transaction, so a refusal
 * leaves nothing behind.
 */
import type { Core } from '@strapi/strapi';
import { httpError, isUniqueViolation, type DocumentMiddleware } from '@kp/platform';
import { ENTITLEMENT_UID } from '../content-types';
import { normalizeEntitlement } from '../domain/entitlement-rules';
import type { EntitlementSource, EntitlementStatus, RevokeReason } from '../domain/types';
import { toDate } from './queries';

export const DUPLICATE_CODE = 'paywall.duplicate-entitlement';
const DUPLICATE_MESSAGE =
  'This learner already has an entitlement for this course or plan with the same source and sourceRef: edit that one instead.';

export function duplicateError(): Error {
  return httpError(400, DUPLICATE_MESSAGE, { code: DUPLICATE_CODE });
}

/** Whether an error is the ledger's duplicate refusal (or the raw unique-index violation). */
export function isDuplicateEntitlementError(err: unknown): boolean {
  return (err as { details?: { code?: string } } | null)?.details?.code === DUPLICATE_CODE || isUniqueViolation(err);
}

interface PopulatedRow {
  id: number;
  source: EntitlementSource | null;
  state: EntitlementStatus | null;
  sourceRef: string | null;
  validFrom: unknown;
  validUntil: unknown;
  revokedReason: RevokeReason | null;
  revokedAt: unknown;
  pastDueSince: unknown;
  user?: { id: number } | null;
  course?: { documentId: string } | null;
  plan?: { documentId: string } | null;
}

/** Re-derives and checks one entitlement document; throws a ValidationError when it breaks a rule. */
export async function normalizeEntitlementDocument(strapi: Core.Strapi, documentId: string, now = new Date()): Promise<void> {
  const rows = (await strapi.db.query(ENTITLEMENT_UID).findMany({
    where: { documentId },
    populate: { user: { select: ['id'] }, course: { select: ['documentId'] }, plan: { select: ['documentId'] } },
  })) as PopulatedRow[];
  for (const row of rows) {
    const result = normalizeEntitlement(
      {
        userId: row.user?.id ?? null,
        courseDocumentIds: row.course?.documentId ? [row.course.documentId] : [],
        planDocumentIds: row.plan?.documentId ? [row.plan.documentId] : [],
        source: row.source,
        status: row.state,
        sourceRef: row.sourceRef,
        validFrom: toDate(row.validFrom),
        validUntil: toDate(row.validUntil),
        revokedReason: row.revokedReason,
        revokedAt: toDate(row.revokedAt),
        pastDueSince: toDate(row.pastDueSince),
      },
      now
    );
    if (!result.ok) throw httpError(400, result.message);
    try {
      await strapi.db.query(ENTITLEMENT_UID).update({ where: { id: row.id }, data: result.patch });
    } catch (err) {
      if (isDuplicateEntitlementError(err)) throw duplicateError();
      throw err;
    }
  }
}

/** The Document Service middleware that applies `normalizeEntitlementDocument` to every write. */
export function entitlementWritesMiddleware(strapi: Core.Strapi): DocumentMiddleware {
  return async (ctx, next) => {
    if (ctx.uid !== ENTITLEMENT_UID || !['create', 'update', 'clone'].includes(ctx.action)) return next();
    // The outer transaction makes the write and its normalisation one unit: Strapi's own
    // transaction inside `next()` joins it.
    return strapi.db.transaction(async () => {
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next();
      } catch (err) {
        if (isDuplicateEntitlementError(err)) throw duplicateError();
        throw err;
      }
      const documentId = (result as { documentId?: string } | null)?.documentId;
      if (documentId) await normalizeEntitlementDocument(strapi, documentId);
      return result;
    });
  };
}
