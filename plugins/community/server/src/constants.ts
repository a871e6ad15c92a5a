/** This plugin's own types. The catalogue's and Strapi's UIDs come from `@kp/platform`. */
export const REVIEW_UID = 'plugin::community.review' as const;
export const RATING_UID = 'plugin::community.rating-summary' as const;
export const QUESTION_UID = 'plugin::community.question' as const;
export const ANSWER_UID = 'plugin::community.answer' as const;
export const REPORT_UID = 'plugin::community.report' as const;
export const MODERATION_EVENT_UID = 'plugin::community.moderation-event' as const;
export const BLOCK_UID = 'plugin::community.block' as const;

/** The paywall's ledger, read (never written) to notice refunds. */
export const ENTITLEMENT_UID = 'plugin::paywall.entitlement' as const;

/** The kinds of post a learner can report and an editor can hide (the kernel contract's list). */
export { COMMUNITY_POST_KINDS as POST_KINDS, type CommunityPostKind as PostKind } from '@kp/platform';
import type { CommunityPostKind as PostKind } from '@kp/platform';

export const POST_UIDS: Record<PostKind, typeof REVIEW_UID | typeof QUESTION_UID | typeof ANSWER_UID> = {
  review: REVIEW_UID,
  question: QUESTION_UID,
  answer: ANSWER_UID,
};

export const REPORT_REASONS = ['spam', 'abuse', 'off-topic', 'spoiler', 'other'] as const;

/** Admin RBAC actions (registered in register.ts). */
export const ADMIN_ACTIONS = {
  read: 'plugin::community.read',
  moderate: 'plugin::community.moderate',
} as const;

/** Text limits (characters, after normalisation). */
export const LIMITS = {
  reviewText: 4000,
  reply: 2000,
  question: 4000,
  answer: 4000,
  reason: 500,
  minPost: 3,
} as const;
