import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DENIED_REASONS, type AccessDecision } from '@kp/platform';
import { accessRefusal, decideQaPosting, decideReviewEligibility, refusalFor, type Refusal } from './eligibility';

const via = (v: 'free' | 'instructor' | 'purchase' | 'subscription' | 'grant'): AccessDecision => ({ allowed: true, via: v });
const denied = (reason: (typeof DENIED_REASONS)[number]): AccessDecision => ({ allowed: false, reason });

describe('decideReviewEligibility', () => {
  const base = { userId: 7, completedChapters: 1, minChapters: 1, blocked: false };
  const table: Array<[string, Parameters<typeof decideReviewEligibility>[0], true | Refusal]> = [
    ['anonymous', { ...base, userId: null, access: denied('anonymous') }, 'anonymous'],
    ['no access', { ...base, access: denied('no-entitlement') }, 'no-access'],
    ['expired access', { ...base, access: denied('expired') }, 'no-access'],
    ['refunded (revoked) access', { ...base, access: denied('revoked') }, 'access-revoked'],
    ['unknown course', { ...base, access: denied('not-found') }, 'not-found'],
    ['draft course', { ...base, access: denied('draft') }, 'not-found'],
    ['access without progress', { ...base, completedChapters: 0, access: via('purchase') }, 'no-progress'],
    ['owner with progress', { ...base, access: via('purchase') }, true],
    ['subscriber with progress', { ...base, access: via('subscription') }, true],
    ['grant with progress', { ...base, access: via('grant') }, true],
    ['free course with progress', { ...base, access: via('free') }, true],
    ['no progress needed when minChapters is 0', { ...base, completedChapters: 0, minChapters: 0, access: via('grant') }, true],
    ['three chapters asked, two done', { ...base, completedChapters: 2, minChapters: 3, access: via('grant') }, 'no-progress'],
    ['the course’s instructor', { ...base, access: via('instructor') }, 'own-course'],
    ['blocked learner', { ...base, blocked: true, access: via('purchase') }, 'blocked'],
  ];
  for (const [name, facts, expected] of table) {
    test(name, () => {
      const r = decideReviewEligibility(facts);
      if (expected === true) assert.deepEqual(r, { eligible: true });
      else assert.deepEqual(r, { eligible: false, reason: expected });
    });
  }
});

describe('decideQaPosting', () => {
  test('the instructor answers but does not ask', () => {
    const f = { userId: 3, access: via('instructor'), blocked: false };
    assert.deepEqual(decideQaPosting(f, { instructorMayPost: true }), { eligible: true });
    assert.deepEqual(decideQaPosting(f, { instructorMayPost: false }), { eligible: false, reason: 'own-course' });
  });
  test('readers post, others do not; blocked learners never', () => {
    assert.deepEqual(decideQaPosting({ userId: 3, access: via('grant'), blocked: false }, { instructorMayPost: false }), { eligible: true });
    assert.deepEqual(decideQaPosting({ userId: 3, access: denied('no-entitlement'), blocked: false }, { instructorMayPost: true }), { eligible: false, reason: 'no-access' });
    assert.deepEqual(decideQaPosting({ userId: 3, access: via('grant'), blocked: true }, { instructorMayPost: true }), { eligible: false, reason: 'blocked' });
    assert.deepEqual(decideQaPosting({ userId: null, access: denied('anonymous'), blocked: false }, { instructorMayPost: true }), { eligible: false, reason: 'anonymous' });
  });
});

describe('refusals', () => {
  test('every paywall reason maps to a refusal', () => {
    for (const reason of DENIED_REASONS) assert.ok(accessRefusal(reason));
  });
  const statuses: Record<Refusal, number> = { anonymous: 401, blocked: 403, 'own-course': 403, 'no-access': 403, 'access-revoked': 403, 'no-progress': 403, 'not-found': 404 };
  for (const [reason, status] of Object.entries(statuses) as Array<[Refusal, number]>) {
    test(`${reason} → ${status}`, () => {
      for (const what of ['rate', 'ask', 'answer'] as const) {
        const r = refusalFor(reason, what);
        assert.equal(r.status, status);
        assert.ok(r.message.length > 5);
      }
    });
  }
});
