/**
 * The paywall's vocabulary, shared by the pure decisions in `domain/` and the adapters around them.
 * Nothing here imports Strapi; the contract part comes from the kernel's type-only contracts.
 */

// The vocabulary other plugins see is the paywall's contract in the kernel: imported, never
// copied, so that a new reason or status reaches every exhaustive switch in every plugin.
export {
  ENTITLEMENT_SOURCES,
  ENTITLEMENT_STATUSES,
  REVOKE_REASONS,
  ALLOWED_VIA,
  DENIED_REASONS,
} from '@kp/platform';
export type {
  EntitlementSource,
  EntitlementStatus,
  RevokeReason,
  AllowedVia,
  DeniedReason,
  AccessDecision,
  Entitlement,
  GrantInput,
  RevokeInput,
} from '@kp/platform/contracts';
import type { EntitlementSource, EntitlementStatus } from '@kp/platform/contracts';

export type CourseAccess = 'free' | 'paid' | 'subscription';

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
  /** Drip release is switched on for this course (its chapters' `dripDays` count); off when absent. */
  dripEnabled?: boolean;
}

export interface ChapterFacts {
  documentId: string;
  published: boolean;
  isPreview: boolean;
  /** Days after the learner's access began that this chapter opens (drip release; null or 0: at once). */
  dripDays?: number | null;
}

export interface AccessConfig {
  /** How long a `past_due` subscription keeps access, in milliseconds (0: not at all). */
  pastDueGraceMs: number;
}
