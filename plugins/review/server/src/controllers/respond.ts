/**
 * Maps transition outcomes to HTTP answers, exhaustively. Refusals are thrown as the platform's
 * HTTP errors, which Strapi answers in its envelope (`{ data: null, error: { status, name,
 * message, details } }`) with their message intact.
 */
import { assertNever, httpError, type ReviewAction, type ReviewTransitionResponse } from '@kp/platform';
import { TransitionConflictError, type TransitionOutcome } from '../services/submissions';

export interface HttpCtx {
  params: Record<string, string | undefined>;
  query: Record<string, unknown>;
  request: { body?: unknown; files?: Record<string, unknown> };
  state: Record<string | symbol, any>;
  body: unknown;
  status: number;
  throw(status: number, message: string, props?: Record<string, unknown>): never;
}

const VERB: Record<ReviewAction, string> = {
  submit: 'submit',
  withdraw: 'withdraw',
  request_changes: 'request changes on',
  approve: 'approve',
  assign: 'assign',
  reopen: 'reopen',
};

/** Sets the answer for a transition outcome, or throws the matching HTTP error. */
export function answerTransition(ctx: HttpCtx, courseDocumentId: string, action: ReviewAction, outcome: TransitionOutcome): void {
  if (outcome.ok) {
    ctx.status = 200;
    ctx.body = {
      data: outcome.changed
        ? { courseDocumentId, state: outcome.to, changed: true, submission: outcome.submission, ...(outcome.checks ? { checks: outcome.checks } : {}) }
        : { courseDocumentId, state: outcome.state, changed: false, submission: outcome.submission },
    } satisfies ReviewTransitionResponse;
    return;
  }
  switch (outcome.reason) {
    case 'not-allowed':
      throw httpError(409, `Cannot ${VERB[action]} a course that is ${outcome.state.replace('_', ' ')}.`, { reason: outcome.reason, state: outcome.state });
    case 'wrong-actor':
      throw httpError(403, `You may not ${VERB[action]} this course.`, { reason: outcome.reason });
    case 'comment-required':
      throw httpError(400, 'A comment telling the instructor what to change is required.', { reason: outcome.reason, state: outcome.state });
    case 'checks-failed': {
      const failed = (outcome.checks ?? []).filter((c) => c.level === 'required' && !c.passed);
      throw httpError(422, `${failed.length} required check${failed.length === 1 ? '' : 's'} failed: ${failed.map((c) => c.id).join(', ')}.`, { reason: outcome.reason, state: outcome.state, checks: outcome.checks ?? [] });
    }
    default:
      return assertNever(outcome.reason, 'refusal');
  }
}

/** Runs a transition and answers it; a concurrent transition of the same course answers 409. */
export async function runTransition(ctx: HttpCtx, courseDocumentId: string, action: ReviewAction, run: () => Promise<TransitionOutcome>): Promise<void> {
  let outcome: TransitionOutcome;
  try {
    outcome = await run();
  } catch (err) {
    if (err instanceof TransitionConflictError) throw httpError(409, err.message, { reason: 'conflict' });
    throw err;
  }
  answerTransition(ctx, courseDocumentId, action, outcome);
}
