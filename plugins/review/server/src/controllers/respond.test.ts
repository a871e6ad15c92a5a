import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '@strapi/utils';
import { answerTransition, runTransition, type HttpCtx } from './respond';
import { PlatformHttpError, httpError, type ReviewSubmission } from '@kp/platform';
import { TransitionConflictError, type TransitionOutcome } from '../services/submissions';

function fakeCtx(): HttpCtx {
  return {
    params: {},
    query: {},
    request: {},
    state: {},
    body: undefined,
    status: 404,
    throw() {
      throw new Error('ctx.throw must not be used: koa errors are logged as crashes by Strapi');
    },
  };
}

const submission = { courseDocumentId: 'c1', state: 'in_review' } as ReviewSubmission;

test('a changed transition answers 200 with the new state', () => {
  const ctx = fakeCtx();
  answerTransition(ctx, 'c1', 'submit', { ok: true, changed: true, from: 'draft', to: 'in_review', submission, checks: [] });
  assert.equal(ctx.status, 200);
  assert.deepEqual(ctx.body, { data: { courseDocumentId: 'c1', state: 'in_review', changed: true, submission, checks: [] } });
});

test('an idempotent repeat answers 200 with changed: false', () => {
  const ctx = fakeCtx();
  answerTransition(ctx, 'c1', 'approve', { ok: true, changed: false, state: 'approved', submission: null });
  assert.equal(ctx.status, 200);
  assert.deepEqual(ctx.body, { data: { courseDocumentId: 'c1', state: 'approved', changed: false, submission: null } });
});

const REFUSALS: Array<[TransitionOutcome, number, RegExp, string]> = [
  [{ ok: false, reason: 'not-allowed', state: 'draft' }, 409, /Cannot approve a course that is draft/, 'ConflictError'],
  [{ ok: false, reason: 'wrong-actor', state: 'in_review' }, 403, /may not approve/, 'ForbiddenError'],
  [{ ok: false, reason: 'comment-required', state: 'in_review' }, 400, /comment/, 'ValidationError'],
  [
    {
      ok: false,
      reason: 'checks-failed',
      state: 'draft',
      checks: [
        { id: 'cover', level: 'required', passed: false, message: 'Add a cover image.' },
        { id: 'title', level: 'required', passed: true, message: 'ok' },
        { id: 'taxonomy', level: 'recommended', passed: false, message: 'Add tags.' },
      ],
    },
    422,
    /^1 required check failed: cover\.$/,
    'UnprocessableEntityError',
  ],
];

for (const [outcome, status, message, name] of REFUSALS) {
  test(`refusal ${!outcome.ok && outcome.reason} answers ${status}`, () => {
    const ctx = fakeCtx();
    assert.throws(
      () => answerTransition(ctx, 'c1', 'approve', outcome),
      (err: Error & { status?: number; details?: Record<string, unknown> }) => {
        const s = err instanceof PlatformHttpError ? err.status : err instanceof errors.ValidationError ? 400 : 0;
        assert.equal(s, status);
        assert.match(err.message, message);
        assert.equal(err.name, name);
        assert.equal((err.details as { reason?: string }).reason, !outcome.ok ? outcome.reason : undefined);
        if (!outcome.ok && outcome.reason === 'checks-failed') assert.equal((err.details as { checks: unknown[] }).checks.length, 3);
        return true;
      }
    );
  });
}

test('a concurrent transition answers 409', async () => {
  await assert.rejects(
    () => runTransition(fakeCtx(), 'c1', 'submit', async () => { throw new TransitionConflictError('c1'); }),
    (err: PlatformHttpError) => err.status === 409 && /changed during this request/.test(err.message)
  );
});

test('other errors pass through untouched', async () => {
  const boom = new Error('database down');
  await assert.rejects(() => runTransition(fakeCtx(), 'c1', 'submit', async () => { throw boom; }), (err) => err === boom);
});

test('the refusals this plugin throws are what Strapi formats with their status and message (instanceof its HttpError)', () => {
  for (const status of [401, 403, 404, 409, 422] as const) {
    const err = httpError(status, 'm', { a: 1 });
    assert.ok(err instanceof errors.HttpError, `${status}`);
    assert.ok(!(err instanceof errors.ApplicationError), `${status} escapes Strapi's handler-wide Forbidden rewrite`);
    assert.equal((err as PlatformHttpError).status, status);
    assert.deepEqual((err as PlatformHttpError).details, { a: 1 });
  }
  assert.ok(httpError(400, 'm') instanceof errors.ValidationError);
});
