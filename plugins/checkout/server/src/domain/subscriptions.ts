/**
 * Subscriptions mirror Stripe's object. Every `customer.subscription.*` event carries a full
 * snapshot, and a re-read through the API gives one too, so the local row is simply replaced by
 * the newest snapshot seen. "Newest" is Stripe's event `created` (seconds), kept on the row as
 * `stripeUpdatedAt`: an older snapshot arriving late is dropped instead of rolling state back.
 */

import type { EntitlementStatus, RevokeReason } from '@kp/platform';

/** Why a subscription's entitlement is revoked (reasons of the paywall's ledger). */
export type SubscriptionRevokeReason = Extract<RevokeReason, 'canceled' | 'expired'>;
/** The entitlement statuses a subscription grants. */
type GrantedStatus = Extract<EntitlementStatus, 'active' | 'past_due'>;

export const SUBSCRIPTION_STATUSES = [
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'canceled',
  'unpaid',
  'paused',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export function isSubscriptionStatus(value: string): value is SubscriptionStatus {
  return (SUBSCRIPTION_STATUSES as readonly string[]).includes(value);
}

/** Stripe never moves a subscription out of these. */
const TERMINAL: ReadonlySet<SubscriptionStatus> = new Set(['canceled', 'incomplete_expired']);

/**
 * Lifecycle order, used only to break ties between two snapshots stamped with the same second
 * (`customer.subscription.created` then `.updated` are often sent within one second).
 */
const RANK: Record<SubscriptionStatus, number> = {
  incomplete: 0,
  trialing: 1,
  active: 2,
  past_due: 3,
  unpaid: 4,
  paused: 4,
  incomplete_expired: 5,
  canceled: 5,
};

/** A subscription as Stripe last described it, reduced to what we keep. Times in unix seconds. */
export interface SubscriptionSnapshot {
  id: string;
  status: SubscriptionStatus;
  customerId: string | null;
  currentPeriodEnd: number | null;
  cancelAtPeriodEnd: boolean;
  /** Price of the first item: which plan this is, even after a switch in the Customer Portal. */
  priceId: string | null;
  /** What our Checkout Session put on `subscription_data.metadata`. */
  metadata: { userId: number | null; planDocumentId: string | null; orderId: string | null };
  /** When Stripe produced this view: the event's `created`. */
  observedAt: number;
}

/** The synchronised columns of `api::subscription.subscription`. */
export interface SubscriptionRowState {
  status: SubscriptionStatus;
  currentPeriodEnd: number | null;
  cancelAtPeriodEnd: boolean;
  stripeUpdatedAt: number | null;
}

export type SubscriptionDecision =
  | { apply: true; next: SubscriptionRowState }
  | { apply: false; reason: 'stale' | 'terminal' | 'unchanged' };

/** Whether a snapshot replaces the stored state (and with what). `row` null: not stored yet. */
export function decideSubscriptionUpdate(row: SubscriptionRowState | null, snap: SubscriptionSnapshot): SubscriptionDecision {
  const next: SubscriptionRowState = {
    status: snap.status,
    currentPeriodEnd: snap.currentPeriodEnd,
    cancelAtPeriodEnd: snap.cancelAtPeriodEnd,
    stripeUpdatedAt: snap.observedAt,
  };
  if (!row) return { apply: true, next };
  const seen = row.stripeUpdatedAt ?? 0;
  if (snap.observedAt < seen) return { apply: false, reason: 'stale' };
  if (TERMINAL.has(row.status) && !TERMINAL.has(snap.status)) return { apply: false, reason: 'terminal' };
  const same =
    row.status === next.status &&
    row.currentPeriodEnd === next.currentPeriodEnd &&
    row.cancelAtPeriodEnd === next.cancelAtPeriodEnd;
  if (snap.observedAt === seen) {
    if (same) return { apply: false, reason: 'unchanged' };
    if (RANK[snap.status] < RANK[row.status]) return { apply: false, reason: 'stale' };
  }
  // Newer, even with the same fields: the timestamp moves forward so that anything older stays out.
  return { apply: true, next };
}

export type SubscriptionAccess =
  | { kind: 'grant'; status: GrantedStatus; validUntil: Date | null }
  | { kind: 'revoke'; reason: SubscriptionRevokeReason }
  | { kind: 'none' };

/**
 * What a subscription in this state means for access. `past_due` keeps a `past_due` entitlement
 * (the paywall applies its grace period); `incomplete` has not been paid yet and grants nothing.
 */
export function subscriptionAccess(state: SubscriptionRowState): SubscriptionAccess {
  const validUntil = state.currentPeriodEnd === null ? null : new Date(state.currentPeriodEnd * 1000);
  switch (state.status) {
    case 'active':
    case 'trialing':
      return { kind: 'grant', status: 'active', validUntil };
    case 'past_due':
      return { kind: 'grant', status: 'past_due', validUntil };
    case 'canceled':
    case 'unpaid':
    case 'paused':
      return { kind: 'revoke', reason: 'canceled' };
    case 'incomplete_expired':
      return { kind: 'revoke', reason: 'expired' };
    case 'incomplete':
      return { kind: 'none' };
    default: {
      const unreachable: never = state.status;
      throw new Error(`unknown subscription status ${String(unreachable)}`);
    }
  }
}

/** Entitlement writes for one subscription, in order. */
export type SubscriptionEffect =
  | { kind: 'revoke'; reason: SubscriptionRevokeReason }
  | { kind: 'grant'; planDocumentId: string; status: GrantedStatus; validUntil: Date | null };

/**
 * The entitlement writes that bring access in line with a subscription. When the plan changed
 * (a switch in the Customer Portal) the old plan's entitlement goes first; the paywall's grant is an
 * upsert, so granting the current plan again on every event is harmless.
 */
export function subscriptionEffects(input: {
  previousPlanDocumentId: string | null;
  planDocumentId: string | null;
  state: SubscriptionRowState;
}): SubscriptionEffect[] {
  const access = subscriptionAccess(input.state);
  const effects: SubscriptionEffect[] = [];
  const planChanged =
    input.previousPlanDocumentId !== null &&
    input.planDocumentId !== null &&
    input.previousPlanDocumentId !== input.planDocumentId;
  if (access.kind === 'revoke') return [{ kind: 'revoke', reason: access.reason }];
  if (access.kind === 'none') return effects;
  if (planChanged) effects.push({ kind: 'revoke', reason: 'canceled' });
  if (input.planDocumentId) {
    effects.push({ kind: 'grant', planDocumentId: input.planDocumentId, status: access.status, validUntil: access.validUntil });
  }
  return effects;
}

/**
 * A subscription event that names no learner of ours (no user in its metadata, an unknown
 * customer) and no plan of ours (an unknown price): another app on the same Stripe account. It is
 * recorded as ignored, never stored as a row nobody owns. One already stored stays synchronised.
 */
export function isForeignSubscription(input: { stored: boolean; userId: number | null; planDocumentId: string | null }): boolean {
  return !input.stored && input.userId === null && input.planDocumentId === null;
}
