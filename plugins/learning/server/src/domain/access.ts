/**
 * The paywall's answer, as this plugin maps it to a response. The union mirrors the paywall's
 * `AccessDecision` contract; the switch is exhaustive so a new reason fails the build here.
 */
export type AccessRefusalReason = 'anonymous' | 'no-entitlement' | 'expired' | 'revoked' | 'not-found' | 'draft';

export type AccessDecision =
  | { allowed: true; via: 'free' | 'preview' | 'instructor' | 'purchase' | 'subscription' | 'grant' }
  | { allowed: false; reason: AccessRefusalReason };

export interface Refusal {
  status: 401 | 403 | 404;
  message: string;
}

/** The HTTP answer to a learner who may not read a chapter. Drafts answer like unknown chapters. */
export function refusalFor(reason: AccessRefusalReason): Refusal {
  switch (reason) {
    case 'anonymous':
      return { status: 401, message: 'Log in to record progress.' };
    case 'no-entitlement':
      return { status: 403, message: 'This chapter is locked: buy the course or subscribe to a plan that includes it.' };
    case 'expired':
      return { status: 403, message: 'Your access to this course has expired.' };
    case 'revoked':
      return { status: 403, message: 'Your access to this course was revoked.' };
    case 'not-found':
    case 'draft':
      return { status: 404, message: 'Chapter not found.' };
    default: {
      const never: never = reason;
      return never;
    }
  }
}
