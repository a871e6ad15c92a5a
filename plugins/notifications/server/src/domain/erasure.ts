/**
 * What the platform holds about a learner, and what erasing the account does to each of it: one
 * table, read by the export (every row listed here that the learner owns) and by the erasure.
 *
 * - `delete`: the rows go (progress, interactions, access, the Stripe customer link, profile, messages);
 * - `anonymise`: the rows stay without the person: the link to the account is removed and the
 *   listed fields are overwritten. Orders stay as accounting records (amounts, currency, course,
 *   Stripe payment ids: refunds and disputes still match them); subscriptions likewise;
 *   certificates are revoked ("account erased") and lose the learner's name, so a verification
 *   link answers "revoked" and names nobody; review submissions and instructor profiles lose their
 *   link to the account.
 */

/** How a holder's rows point at the learner: a relation to the user, or a user-id column. */
export type OwnerLink = { relation: string } | { column: string };

export interface Holder {
  uid: string;
  /** The key of this holder in the export. */
  exportAs: string;
  owner: OwnerLink;
  erase: { action: 'delete' } | { action: 'anonymise'; set: (row: { id: number; code?: string }, now: Date) => Record<string, string | number | boolean | Date | null> };
}

export const HOLDERS: readonly Holder[] = [
  { uid: 'plugin::notifications.profile', exportAs: 'profile', owner: { column: 'userId' }, erase: { action: 'delete' } },
  { uid: 'plugin::checkout.order', exportAs: 'orders', owner: { relation: 'user' }, erase: { action: 'anonymise', set: () => ({ stripeCustomerId: null }) } },
  { uid: 'api::subscription.subscription', exportAs: 'subscriptions', owner: { relation: 'user' }, erase: { action: 'anonymise', set: () => ({ stripeCustomerId: null }) } },
  // Gifts stay as accounting records of their order; the buyer's and the claimer's links go.
  { uid: 'plugin::checkout.gift', exportAs: 'giftsBought', owner: { relation: 'buyer' }, erase: { action: 'anonymise', set: () => ({}) } },
  { uid: 'plugin::checkout.gift', exportAs: 'giftsClaimed', owner: { relation: 'claimedBy' }, erase: { action: 'anonymise', set: () => ({}) } },
  { uid: 'plugin::checkout.stripe-customer', exportAs: 'stripeCustomers', owner: { relation: 'user' }, erase: { action: 'delete' } },
  { uid: 'plugin::paywall.entitlement', exportAs: 'entitlements', owner: { relation: 'user' }, erase: { action: 'delete' } },
  { uid: 'api::progress.progress', exportAs: 'progress', owner: { relation: 'user' }, erase: { action: 'delete' } },
  {
    uid: 'plugin::learning.certificate',
    exportAs: 'certificates',
    owner: { relation: 'learner' },
    erase: {
      action: 'anonymise',
      set: (row, now) => ({ learnerName: '—', state: 'revoked', revokedReason: 'account erased', revokedAt: now, dedupeKey: `erased:${row.code ?? row.id}` }),
    },
  },
  { uid: 'plugin::recommender.interaction', exportAs: 'interactions', owner: { relation: 'user' }, erase: { action: 'delete' } },
  { uid: 'plugin::review.submission', exportAs: 'reviewSubmissions', owner: { relation: 'submittedBy' }, erase: { action: 'anonymise', set: () => ({}) } },
  { uid: 'api::instructor.instructor', exportAs: 'instructorProfiles', owner: { relation: 'user' }, erase: { action: 'anonymise', set: () => ({}) } },
  { uid: 'plugin::notifications.outbox-message', exportAs: 'messages', owner: { column: 'userId' }, erase: { action: 'delete' } },
];

/** Fields never exported (secrets of the account itself). */
export const SECRET_FIELDS = ['password', 'resetPasswordToken', 'confirmationToken'] as const;

/** A row without its secrets. */
export function withoutSecrets<T extends Record<string, unknown>>(row: T): Omit<T, (typeof SECRET_FIELDS)[number]> {
  const out: Record<string, unknown> = { ...row };
  for (const f of SECRET_FIELDS) delete out[f];
  return out as Omit<T, (typeof SECRET_FIELDS)[number]>;
}
