/**
 * The paywall's vocabulary, shared by the pure decisions in `domain/` and the adapters around them.
 * Nothing here imports Strapi.
 */

export const ENTITLEMENT_SOURCES = ['purchase', 'subscription', 'grant'] as const;
export type EntitlementSource = (typeof ENTITLEMENT_SOURCES)[number];

export const ENTITLEMENT_STATUSES = ['active', 'past_due', 'revoked'] as const;
export type EntitlementStatus = (typeof ENTITLEMENT_STATUSES)[number];

export const REVOKE_REASONS = ['refunded', 'disputed', 'canceled', 'expired', 'manual'] as const;
export type RevokeReason = (typeof REVOKE_REASONS)[number];

export type CourseAccess = 'free' | 'paid' | 'subscription';

/** Why a caller may read gated content. */
export type AllowedVia = 'free' | 'preview' | 'instructor' | 'purchase' | 'subscription' | 'grant';
/** Why a caller may not. */
export type DeniedReason = 'anonymous' | 'no-entitlement' | 'expired' | 'revoked' | 'not-found' | 'draft';

export type AccessDecision =
  | { allowed: true; via: AllowedVia }
  | { allowed: false; reason: DeniedReason };

/** A row of the ledger as services hand it to other plugins. */
export interface Entitlement {
  id: number;
  documentId: string;
  userId: number;
  courseDocumentId: string | null;
  planDocumentId: string | null;
  source: EntitlementSource;
  status: EntitlementStatus;
  validFrom: Date;
  validUntil: Date | null;
  sourceRef: string;
  revokedReason: RevokeReason | null;
  revokedAt: Date | null;
  pastDueSince: Date | null;
  notes: string | null;
}

/** What the decision needs to know about what an entitlement's plan covers. */
export interface PlanCoverage {
  allAccess: boolean;
  /** Course documentIds the plan includes (only those the caller asked about need be present). */
  courseDocumentIds: ReadonlySet<string>;
}

/** An entitlement with its target resolved far enough to say which courses it covers. */
export interface EntitlementFacts {
  source: EntitlementSource;
  status: EntitlementStatus;
  validFrom: Date | null;
  validUntil: Date | null;
  pastDueSince: Date | null;
  courseDocumentId: string | null;
  planDocumentId: string | null;
  /** null when the entitlement targets a course, or its plan no longer exists. */
  plan: PlanCoverage | null;
}

export type Caller = { kind: 'anonymous' } | { kind: 'user'; userId: number };

/** The published course a chapter belongs to; `published: false` when only a draft exists. */
export interface CourseFacts {
  documentId: string;
  published: boolean;
  access: CourseAccess;
  /** users-permissions user id of the course's instructor, when linked. */
  instructorUserId: number | null;
}

export interface ChapterFacts {
  documentId: string;
  published: boolean;
  isPreview: boolean;
}

export interface AccessConfig {
  /** How long a `past_due` subscription keeps access, in milliseconds (0: not at all). */
  pastDueGraceMs: number;
}
