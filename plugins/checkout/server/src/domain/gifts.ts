/**
 * Gifts: a course or bundle paid by one learner for someone else's e-mail address. Paying issues a
 * claim code (the buyer gets no access); claiming it grants the courses to the claimer's account,
 * once; a refund (or a lost dispute) before the claim cancels the gift, after it revokes what the
 * claimer got. Pure: the adapter locks the gift row and applies the verdicts.
 */

export const GIFT_STATES = ['pending', 'claimed', 'canceled', 'revoked'] as const;
export type GiftState = (typeof GIFT_STATES)[number];

export interface GiftFacts {
  state: GiftState;
  buyerUserId: number | null;
  claimedByUserId: number | null;
}

export type ClaimDecision =
  | { ok: true }
  | { ok: false; reason: 'not-found' | 'already-claimed' | 'canceled' | 'own-gift' | 'already-has-access' };

/**
 * May `claimerUserId` claim this gift? `claimerHasAll`: the claimer can already read every course
 * of it (claiming would spend the gift on nothing, so it is refused and the code stays valid).
 */
export function decideClaim(gift: GiftFacts | null, claimerUserId: number, claimerHasAll: boolean): ClaimDecision {
  if (!gift) return { ok: false, reason: 'not-found' };
  if (gift.state === 'claimed') return { ok: false, reason: 'already-claimed' };
  if (gift.state === 'canceled' || gift.state === 'revoked') return { ok: false, reason: 'canceled' };
  // The buyer paid for someone else: they never get the courses through their own gift.
  if (gift.buyerUserId !== null && gift.buyerUserId === claimerUserId) return { ok: false, reason: 'own-gift' };
  if (claimerHasAll) return { ok: false, reason: 'already-has-access' };
  return { ok: true };
}

export type GiftOrderEffect =
  | { action: 'issue' }
  | { action: 'cancel' }
  | { action: 'revoke-claimer'; userId: number | null }
  | { action: 'none'; reason: 'already-issued' | 'no-gift' | 'already-ended' };

/**
 * What an order's access effect does to its gift: a grant (the payment went through) issues the
 * code once; a revoke (full refund, lost dispute) cancels an unclaimed gift or revokes the claimer's
 * courses. A gift that ended stays ended (a dispute won later does not reopen a canceled code).
 */
export function decideGiftOnOrder(gift: GiftFacts | null, effect: 'grant' | 'revoke'): GiftOrderEffect {
  if (effect === 'grant') return gift ? { action: 'none', reason: 'already-issued' } : { action: 'issue' };
  if (!gift) return { action: 'none', reason: 'no-gift' };
  if (gift.state === 'pending') return { action: 'cancel' };
  if (gift.state === 'claimed') return { action: 'revoke-claimer', userId: gift.claimedByUserId };
  return { action: 'none', reason: 'already-ended' };
}

/** Claim codes: 20 characters of Crockford base32 (no I, L, O, U) in groups of 4, ~100 bits. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A claim code from 20 random bytes (the adapter passes crypto randomness). */
export function formatGiftCode(bytes: Uint8Array): string {
  if (bytes.length < 20) throw new Error('a gift code needs 20 random bytes');
  let out = '';
  for (let i = 0; i < 20; i++) out += ALPHABET[bytes[i]! % 32];
  return out.match(/.{4}/g)!.join('-');
}

/** A code as typed by a person (lower case, spaces, missing dashes) to its stored form, or null when it cannot be one. */
export function normaliseGiftCode(input: string): string | null {
  const raw = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (raw.length !== 20 || [...raw].some((c) => !ALPHABET.includes(c))) return null;
  return raw.match(/.{4}/g)!.join('-');
}
