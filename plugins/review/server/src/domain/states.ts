/**
 * The review lifecycle of a course, as a pure state machine. No Strapi, no I/O: the adapters read
 * the current state, ask `decideTransition`, and write what it answers. The states and actions
 * are the platform's review contract (`@kp/platform`), which the admin UI and listeners read too.
 *
 *   draft ──submit──▶ in_review ──approve──────────▶ approved ──reopen (first edit)──▶ draft
 *     ▲                 │  │  └─request_changes─▶ changes_requested ──submit──▶ in_review
 *     └────withdraw─────┘  └─assign (stays in_review)
 */
import { REVIEW_ACTIONS, REVIEW_STATES, type ReviewAction, type ReviewActor, type ReviewState } from '@kp/platform';

export type ActorKind = ReviewActor['kind'];

interface Rule {
  /** Who may perform the action. */
  actor: ActorKind;
  /** The states the action starts from. */
  from: readonly ReviewState[];
  /** The state it leads to. */
  to: ReviewState;
}

/**
 * Every allowed transition. `reopen` is not called by anyone directly: the first instructor edit of
 * an approved course moves it back to draft, so that the queue never shows unreviewed edits as
 * approved. `assign` changes the assignee, not the state.
 */
export const TRANSITIONS: Readonly<Record<ReviewAction, Rule>> = {
  submit: { actor: 'instructor', from: ['draft', 'changes_requested'], to: 'in_review' },
  withdraw: { actor: 'instructor', from: ['in_review'], to: 'draft' },
  request_changes: { actor: 'editor', from: ['in_review'], to: 'changes_requested' },
  approve: { actor: 'editor', from: ['in_review'], to: 'approved' },
  assign: { actor: 'editor', from: ['in_review'], to: 'in_review' },
  reopen: { actor: 'instructor', from: ['approved'], to: 'draft' },
};

export interface TransitionRequest {
  from: ReviewState;
  action: ReviewAction;
  actor: ActorKind;
  /** The editor's comment (request_changes requires one). */
  comment?: string | null;
  /** Ids of the required checks that failed (submit requires none). */
  failedRequiredChecks?: readonly string[];
  /** Minimum length of a request-changes comment, after trimming. */
  minCommentLength?: number;
}

export type TransitionRefusal =
  /** The action does not start from this state (e.g. approve a draft). */
  | 'not-allowed'
  /** The course is already where the action leads: nothing to do (double click, retry). */
  | 'already'
  /** This kind of actor may not perform the action (an instructor approving). */
  | 'wrong-actor'
  /** Request changes without a usable comment. */
  | 'comment-required'
  /** Submit with failing required checks. */
  | 'checks-failed';

export type TransitionDecision =
  | { ok: true; action: ReviewAction; from: ReviewState; to: ReviewState }
  | { ok: false; action: ReviewAction; from: ReviewState; reason: TransitionRefusal };

/** Guarded, idempotent transition: what the action does from this state, or why it is refused. */
export function decideTransition(req: TransitionRequest): TransitionDecision {
  const rule = TRANSITIONS[req.action];
  const refuse = (reason: TransitionRefusal): TransitionDecision => ({
    ok: false,
    action: req.action,
    from: req.from,
    reason,
  });
  if (rule.actor !== req.actor) return refuse('wrong-actor');
  if (!rule.from.includes(req.from)) {
    // Arriving where one already is changes nothing and says so, rather than failing loudly.
    return req.from === rule.to && req.action !== 'assign' ? refuse('already') : refuse('not-allowed');
  }
  if (req.action === 'request_changes') {
    const min = Math.max(1, req.minCommentLength ?? 1);
    if ((req.comment ?? '').trim().length < min) return refuse('comment-required');
  }
  if (req.action === 'submit' && (req.failedRequiredChecks?.length ?? 0) > 0) return refuse('checks-failed');
  return { ok: true, action: req.action, from: req.from, to: rule.to };
}

/** The state of a course that never had a submission. */
export const INITIAL_STATE: ReviewState = 'draft';

/** While in review, the instructor may not change the course or its chapters. */
export function isLockedForInstructor(state: ReviewState): boolean {
  return state === 'in_review';
}

/** Actions an actor could perform from a state (for UIs: which buttons to show). */
export function availableActions(state: ReviewState, actor: ActorKind): ReviewAction[] {
  return REVIEW_ACTIONS.filter(
    (a) => a !== 'reopen' && TRANSITIONS[a].actor === actor && TRANSITIONS[a].from.includes(state)
  );
}

export function isReviewState(value: unknown): value is ReviewState {
  return typeof value === 'string' && (REVIEW_STATES as readonly string[]).includes(value);
}
