import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REVIEW_ACTIONS, REVIEW_STATES, type ReviewAction, type ReviewState } from '@kp/platform';
import { availableActions, decideTransition, isLockedForInstructor, type ActorKind } from './states';

const ALLOWED: Array<[ReviewState, ReviewAction, ActorKind, ReviewState]> = [
  ['draft', 'submit', 'instructor', 'in_review'],
  ['changes_requested', 'submit', 'instructor', 'in_review'],
  ['in_review', 'withdraw', 'instructor', 'draft'],
  ['in_review', 'request_changes', 'editor', 'changes_requested'],
  ['in_review', 'approve', 'editor', 'approved'],
  ['in_review', 'assign', 'editor', 'in_review'],
  ['approved', 'reopen', 'instructor', 'draft'],
];

const actorOf: Record<ReviewAction, ActorKind> = {
  submit: 'instructor',
  withdraw: 'instructor',
  reopen: 'instructor',
  request_changes: 'editor',
  approve: 'editor',
  assign: 'editor',
};

/** Expected refusal for every (state, action) pair that is not in ALLOWED, with the right actor. */
const FORBIDDEN: Array<[ReviewState, ReviewAction, 'not-allowed' | 'already']> = [
  ['draft', 'withdraw', 'already'],
  ['draft', 'request_changes', 'not-allowed'],
  ['draft', 'approve', 'not-allowed'],
  ['draft', 'assign', 'not-allowed'],
  ['draft', 'reopen', 'already'],
  ['in_review', 'submit', 'already'],
  ['in_review', 'reopen', 'not-allowed'],
  ['changes_requested', 'withdraw', 'not-allowed'],
  ['changes_requested', 'request_changes', 'already'],
  ['changes_requested', 'approve', 'not-allowed'],
  ['changes_requested', 'assign', 'not-allowed'],
  ['changes_requested', 'reopen', 'not-allowed'],
  ['approved', 'submit', 'not-allowed'],
  ['approved', 'withdraw', 'not-allowed'],
  ['approved', 'request_changes', 'not-allowed'],
  ['approved', 'approve', 'already'],
  ['approved', 'assign', 'not-allowed'],
];

test('the two tables cover every (state, action) pair exactly once', () => {
  const seen = new Set([...ALLOWED.map(([s, a]) => `${s}/${a}`), ...FORBIDDEN.map(([s, a]) => `${s}/${a}`)]);
  assert.equal(seen.size, ALLOWED.length + FORBIDDEN.length);
  assert.equal(seen.size, REVIEW_STATES.length * REVIEW_ACTIONS.length);
});

for (const [from, action, actor, to] of ALLOWED) {
  test(`allowed: ${from} --${action} (${actor})--> ${to}`, () => {
    const d = decideTransition({ from, action, actor, comment: 'Please add a preview chapter.', failedRequiredChecks: [] });
    assert.deepEqual(d, { ok: true, action, from, to });
  });
  const other: ActorKind = actor === 'editor' ? 'instructor' : 'editor';
  test(`wrong actor: ${from} --${action} (${other}) is refused`, () => {
    const d = decideTransition({ from, action, actor: other, comment: 'Some comment here', failedRequiredChecks: [] });
    assert.deepEqual(d, { ok: false, action, from, reason: 'wrong-actor' });
  });
}

for (const [from, action, reason] of FORBIDDEN) {
  test(`forbidden: ${from} --${action}--> refused (${reason})`, () => {
    const d = decideTransition({ from, action, actor: actorOf[action], comment: 'A long enough comment', failedRequiredChecks: [] });
    assert.deepEqual(d, { ok: false, action, from, reason });
  });
}

test('request_changes needs a comment of the configured length, whitespace ignored', () => {
  const base = { from: 'in_review' as const, action: 'request_changes' as const, actor: 'editor' as const };
  for (const comment of [undefined, null, '', '   ', '\n\t']) {
    assert.equal(decideTransition({ ...base, comment }).ok, false, `comment ${JSON.stringify(comment)}`);
    assert.deepEqual(decideTransition({ ...base, comment }), { ok: false, action: base.action, from: base.from, reason: 'comment-required' });
  }
  assert.equal(decideTransition({ ...base, comment: '  short  ', minCommentLength: 10 }).ok, false);
  assert.equal(decideTransition({ ...base, comment: 'x' }).ok, true);
  assert.equal(decideTransition({ ...base, comment: 'long enough!', minCommentLength: 10 }).ok, true);
});

test('submit is refused while a required check fails, from every state it starts from', () => {
  for (const from of ['draft', 'changes_requested'] as const) {
    const d = decideTransition({ from, action: 'submit', actor: 'instructor', failedRequiredChecks: ['cover'] });
    assert.deepEqual(d, { ok: false, action: 'submit', from, reason: 'checks-failed' });
  }
});

test('state is checked before guards: a comment-less request on a draft says not-allowed', () => {
  const d = decideTransition({ from: 'draft', action: 'request_changes', actor: 'editor', comment: '' });
  assert.equal(d.ok, false);
  assert.equal(!d.ok && d.reason, 'not-allowed');
});

test('only in_review locks instructor edits', () => {
  assert.deepEqual(
    REVIEW_STATES.filter(isLockedForInstructor),
    ['in_review']
  );
});

test('available actions per state and actor (reopen is never offered)', () => {
  assert.deepEqual(availableActions('draft', 'instructor'), ['submit']);
  assert.deepEqual(availableActions('in_review', 'instructor'), ['withdraw']);
  assert.deepEqual(availableActions('in_review', 'editor'), ['request_changes', 'approve', 'assign']);
  assert.deepEqual(availableActions('changes_requested', 'instructor'), ['submit']);
  assert.deepEqual(availableActions('approved', 'instructor'), []);
  assert.deepEqual(availableActions('approved', 'editor'), []);
});
