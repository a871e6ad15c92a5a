/**
 * Compile-time assertions on the contracts (type-checked with the tests, never run): a switch over
 * a contract's union that misses a member does not compile, so the day the paywall adds a denial
 * reason every plugin that answers one must say what it means.
 */
import { assertNever } from '../http';
import type { AccessDecision, DeniedReason } from './paywall';
import type { ReviewState } from './review';

export function complete(reason: DeniedReason): number {
  switch (reason) {
    case 'anonymous':
      return 401;
    case 'no-entitlement':
    case 'expired':
    case 'revoked':
    case 'drip-locked':
      return 403;
    case 'not-found':
    case 'draft':
      return 404;
    default:
      return assertNever(reason);
  }
}

export function incomplete(reason: DeniedReason): number {
  switch (reason) {
    case 'anonymous':
      return 401;
    default:
      // @ts-expect-error — 'no-entitlement', 'expired', … are not handled: this must not compile.
      return assertNever(reason);
  }
}

export function reviewIncomplete(state: ReviewState): string {
  switch (state) {
    case 'draft':
    case 'in_review':
    case 'approved':
      return state;
    default:
      // @ts-expect-error — 'changes_requested' is missing.
      return assertNever(state);
  }
}

export const decision: AccessDecision = { allowed: false, reason: 'draft' };
// @ts-expect-error — an allowed decision carries `via`, never `reason`.
export const wrong: AccessDecision = { allowed: true, reason: 'draft' };
