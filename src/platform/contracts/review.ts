/** The review workflow's contract: its states, and the event it emits after every committed transition. */

export const REVIEW_STATES = ['draft', 'in_review', 'changes_requested', 'approved'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const REVIEW_ACTIONS = ['submit', 'withdraw', 'request_changes', 'approve', 'assign', 'reopen'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/** Who performed a transition: a users-permissions user (instructor) or an admin user (editor). */
export type ReviewActor = { kind: 'instructor'; id: number; name: string } | { kind: 'editor'; id: number; name: string };

/** Payload of `review.transition`, emitted on the platform's event bus after the transition committed. */
export interface ReviewTransitionEvent {
  courseDocumentId: string;
  action: ReviewAction;
  from: ReviewState;
  to: ReviewState;
  actor: ReviewActor;
  comment: string | null;
  /** ISO time of the transition. */
  at: string;
}
