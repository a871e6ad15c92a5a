/**
 * The paywall's refusal, as this plugin answers it. The reasons are the paywall contract's own
 * union (imported, not copied), and the switch is exhaustive: a reason the paywall adds fails the
 * build here until this plugin says what it means for a learner.
 */
import type { DeniedReason } from '@kp/platform/contracts';

export interface Refusal {
  status: 401 | 403 | 404;
  message: string;
}

/** The HTTP answer to a learner who may not read a chapter. Drafts answer like unknown chapters. */
export function refusalFor(reason: DeniedReason): Refusal {
  switch (reason) {
    case 'anonymous':
      return { status: 401, message: 'Log in to record progress.' };
    case 'no-entitlement':
      return { status: 403, message: 'This chapter is locked: buy the course or subscribe to a plan that includes it.' };
    case 'expired':
      return { status: 403, message: 'Your access to this course has expired.' };
    case 'revoked':
      return { status: 403, message: 'Your access to this course was revoked.' };
    case 'drip-locked':
      return { status: 403, message: 'This chapter is not open yet: it opens on a later day of your access (drip release).' };
    case 'not-found':
    case 'draft':
      return { status: 404, message: 'Chapter not found.' };
    default: {
      const never: never = reason;
      return never;
    }
  }
}
