import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decideAccept, decideRateLimit, decideReplyParent, questionScope, questionVisible, visibleTo } from './moderation';

describe('visibleTo', () => {
  const table: Array<[string, 'visible' | 'hidden', number | null, string]> = [
    ['visible to anyone', 'visible', null, 'full'],
    ['hidden from anonymous', 'hidden', null, 'none'],
    ['hidden from another learner', 'hidden', 8, 'none'],
    ['hidden: its author sees it (with the reason)', 'hidden', 7, 'author-hidden'],
  ];
  for (const [name, state, viewer, expected] of table) test(name, () => assert.equal(visibleTo({ state, userId: 7 }, { userId: viewer }), expected));
});

describe('question visibility by chapter', () => {
  test('with course access every question is visible', () => {
    const scope = questionScope(true, new Set());
    assert.equal(questionVisible('ch-gated', scope), true);
  });
  test('without it: course-level and preview-chapter questions only', () => {
    const scope = questionScope(false, new Set(['ch-preview']));
    assert.equal(questionVisible(null, scope), true);
    assert.equal(questionVisible('ch-preview', scope), true);
    assert.equal(questionVisible('ch-gated', scope), false);
  });
  test('with course access but a chapter not open yet (drip release): that chapter’s questions only are hidden', () => {
    const scope = questionScope(true, new Set(), new Set(['ch-dripped']));
    const table: Array<[string | null, boolean]> = [
      [null, true],
      ['ch-open', true],
      ['ch-dripped', false],
    ];
    for (const [chapter, visible] of table) assert.equal(questionVisible(chapter, scope), visible, String(chapter));
  });
});

describe('decideAccept', () => {
  const q = { userId: 1 };
  const a: { questionId: number; state: 'visible' | 'hidden' } = { questionId: 10, state: 'visible' };
  const table: Array<[string, { userId: number; isInstructor: boolean }, typeof a | null, boolean | string]> = [
    ['the asker', { userId: 1, isInstructor: false }, a, true],
    ['the instructor', { userId: 2, isInstructor: true }, a, true],
    ['another learner', { userId: 3, isInstructor: false }, a, 'not-allowed'],
    ['an answer of another question', { userId: 1, isInstructor: false }, { questionId: 11, state: 'visible' }, 'not-an-answer'],
    ['a hidden answer', { userId: 1, isInstructor: false }, { questionId: 10, state: 'hidden' }, 'not-an-answer'],
    ['no such answer', { userId: 1, isInstructor: false }, null, 'not-an-answer'],
  ];
  for (const [name, caller, answer, expected] of table) {
    test(name, () => {
      const r = decideAccept(caller, q, answer, 10);
      assert.deepEqual(r, expected === true ? { ok: true } : { ok: false, reason: expected });
    });
  }
});

describe('decideReplyParent: one level of threading', () => {
  test('a visible top-level answer of the question', () => assert.deepEqual(decideReplyParent({ questionId: 1, parentAnswerId: null, state: 'visible' }, 1), { ok: true }));
  test('a reply cannot be replied to', () => assert.equal(decideReplyParent({ questionId: 1, parentAnswerId: 5, state: 'visible' }, 1).ok, false));
  test('another question’s answer, a hidden one, none', () => {
    assert.equal(decideReplyParent({ questionId: 2, parentAnswerId: null, state: 'visible' }, 1).ok, false);
    assert.equal(decideReplyParent({ questionId: 1, parentAnswerId: null, state: 'hidden' }, 1).ok, false);
    assert.equal(decideReplyParent(null, 1).ok, false);
  });
});

describe('decideRateLimit', () => {
  const table: Array<[number, number, boolean]> = [
    [0, 5, true],
    [4, 5, true],
    [5, 5, false],
    [50, 0, true],
  ];
  for (const [recent, limit, ok] of table) test(`${recent} recent, limit ${limit} → ${ok ? 'ok' : '429'}`, () => assert.equal(decideRateLimit(recent, limit, 60).ok, ok));
});
