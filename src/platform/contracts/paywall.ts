/**
 * The paywall's contract: the access decision and the entitlement ledger, as every other plugin
 * sees them. The paywall implements it (its services are checked against these types); callers
 * reach it through `neighbour(strapi, 'paywall')`. Type-only but for the value lists.
 */

export const ENTITLEMENT_SOURCES = ['purchase', 'subscription', 'grant'] as const;
export type EntitlementSource = (typeof ENTITLEMENT_SOURCES)[number];

export const ENTITLEMENT_STATUSES = ['active', 'past_due', 'revoked'] as const;
export type EntitlementStatus = (typeof ENTITLEMENT_STATUSES)[number];

export const REVOKE_REASONS = ['refunded', 'disputed', 'canceled', 'expired', 'manual'] as const;
export type RevokeReason = (typeof REVOKE_REASONS)[number];

/** Why a caller may read a chapter's gated content. */
export const ALLOWED_VIA = ['free', 'preview', 'instructor', 'purchase', 'subscription', 'grant'] as const;
export type AllowedVia = (typeof ALLOWED_VIA)[number];

/** Why a caller may not. An added reason breaks every exhaustive switch over it, in every plugin. */
export const DENIED_REASONS = ['anonymous', 'no-entitlement', 'expired', 'revoked', 'not-found', 'draft', 'drip-locked'] as const;
export type DeniedReason = (typeof DENIED_REASONS)[number];

/** The paywall's answer for one caller and one chapter (or a course's non-preview chapters). */
export type AccessDecision =
  | { allowed: true; via: AllowedVia }
  /** `drip-locked`: the caller has the course, and this chapter opens at `unlocksAt` (drip release). */
  | { allowed: false; reason: DeniedReason; unlocksAt?: Date };

/** A row of the ledger as the paywall hands it to other plugins. */
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

export interface GrantInput {
  userId: number;
  /** Exactly one of courseDocumentId and planDocumentId. */
  courseDocumentId?: string;
  planDocumentId?: string;
  source: EntitlementSource;
  /** What it comes from: a Checkout Session, PaymentIntent or Subscription id, `manual`. */
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

/** `entitlements`: the only writer of access. */
export interface EntitlementsContract {
  /** Idempotent upsert on (user, target, source, sourceRef); joins the caller's transaction. */
  grant(input: GrantInput): Promise<Entitlement>;
  /** Revokes every live row with this (source, sourceRef); how many changed (0 when repeated). */
  revoke(input: RevokeInput): Promise<number>;
  /** The user's entitlements valid at `now` (all of them with `includeInactive`). */
  listForUser(userId: number, opts?: { now?: Date; includeInactive?: boolean }): Promise<Entitlement[]>;
  /** In one query: which of these courses the user's valid entitlements cover, and by which. */
  coverage(userId: number, courseDocumentIds: string[], now?: Date): Promise<Map<string, Entitlement>>;
  /** For many users in one entitlement query: which of these courses each user's valid entitlements cover (users without any: absent). */
  coverageOfUsers(userIds: number[], courseDocumentIds: string[], now?: Date): Promise<Map<number, Set<string>>>;
}

/** `access`: the decision. */
export interface AccessContract {
  decideCourse(user: { id: number } | null, courseDocumentId: string, now?: Date): Promise<AccessDecision>;
  decideChapter(user: { id: number } | null, chapterDocumentId: string, now?: Date): Promise<AccessDecision>;
}

export interface PaywallContract {
  entitlements: EntitlementsContract;
  access: AccessContract;
}
