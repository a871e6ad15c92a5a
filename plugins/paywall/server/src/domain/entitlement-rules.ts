/**
 * The rules every entitlement row obeys, whoever writes it (the service, or an editor in the
 * Content Manager): who and what it is for, its identity (`dedupeKey`), and the bookkeeping
 * fields that follow from its status. Pure.
 */
import type { EntitlementSource, EntitlementStatus, RevokeReason } from './types';

/** `sourceRef` of hand-made grants when the editor leaves it empty: one manual grant per target. */
export const MANUAL_SOURCE_REF = 'manual';

export type Target = { kind: 'course'; documentId: string } | { kind: 'plan'; documentId: string };

/**
 * The identity of an entitlement: one row per (user, target, source, sourceRef). A unique index
 * on it (see database/migrations/*paywall*) makes a concurrent duplicate grant fail in the
 * database instead of creating a second row.
 */
export function dedupeKey(userId: number, target: Target, source: EntitlementSource, sourceRef: string): string {
  return `${userId}:${target.kind}:${target.documentId}:${source}:${sourceRef}`;
}

/** An entitlement row as stored, with its relations resolved to ids. */
export interface StoredEntitlement {
  userId: number | null;
  courseDocumentIds: readonly string[];
  planDocumentIds: readonly string[];
  source: EntitlementSource | null;
  status: EntitlementStatus | null;
  sourceRef: string | null;
  validFrom: Date | null;
  validUntil: Date | null;
  revokedReason: RevokeReason | null;
  revokedAt: Date | null;
  pastDueSince: Date | null;
}

/**
 * The derived columns to write back so that the row obeys the rules. The stored attribute is
 * `state` (not `status`): Strapi 5's Content Manager reads a body `status` as the draft/published
 * dimension and refuses any other value, which would make entitlements uneditable by hand.
 */
export interface EntitlementPatch {
  userRef: number;
  courseRef: string | null;
  planRef: string | null;
  source: EntitlementSource;
  state: EntitlementStatus;
  sourceRef: string;
  validFrom: Date;
  revokedReason: RevokeReason | null;
  revokedAt: Date | null;
  pastDueSince: Date | null;
  dedupeKey: string;
}

export type NormalizeResult = { ok: true; patch: EntitlementPatch } | { ok: false; message: string };

/**
 * Checks a stored row and computes what follows from it. Messages are written for the editor who
 * sees them in the Content Manager.
 */
export function normalizeEntitlement(row: StoredEntitlement, now: Date): NormalizeResult {
  if (row.userId === null) return { ok: false, message: 'An entitlement needs a user: choose the learner it is for.' };
  const courses = [...new Set(row.courseDocumentIds)];
  const plans = [...new Set(row.planDocumentIds)];
  if (courses.length + plans.length === 0) {
    return { ok: false, message: 'An entitlement needs a target: choose a course or a plan.' };
  }
  if (courses.length > 0 && plans.length > 0) {
    return { ok: false, message: 'An entitlement targets a course or a plan, not both: clear one of them.' };
  }
  if (courses.length > 1 || plans.length > 1) {
    return { ok: false, message: 'An entitlement targets exactly one course or one plan.' };
  }
  const target: Target =
    courses.length === 1 ? { kind: 'course', documentId: courses[0]! } : { kind: 'plan', documentId: plans[0]! };
  const source = row.source ?? 'grant';
  const status = row.status ?? 'active';
  let sourceRef = (row.sourceRef ?? '').trim();
  if (!sourceRef) {
    if (source !== 'grant') {
      return { ok: false, message: `A ${source} entitlement needs its sourceRef (the order or subscription it comes from).` };
    }
    sourceRef = MANUAL_SOURCE_REF;
  }
  if (sourceRef.length > 255) return { ok: false, message: 'sourceRef is too long (255 characters at most).' };
  const validFrom = row.validFrom ?? now;
  if (row.validUntil && row.validUntil.getTime() <= validFrom.getTime()) {
    return { ok: false, message: 'validUntil must be after validFrom (leave it empty for access without an end).' };
  }
  const revoked = status === 'revoked';
  return {
    ok: true,
    patch: {
      userRef: row.userId,
      courseRef: target.kind === 'course' ? target.documentId : null,
      planRef: target.kind === 'plan' ? target.documentId : null,
      source,
      state: status,
      sourceRef,
      validFrom,
      revokedReason: revoked ? (row.revokedReason ?? 'manual') : null,
      revokedAt: revoked ? (row.revokedAt ?? now) : null,
      pastDueSince: status === 'past_due' ? (row.pastDueSince ?? now) : null,
      dedupeKey: dedupeKey(row.userId, target, source, sourceRef),
    },
  };
}
