import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideAuthoring, describeRefusal, type AuthoringRefusal, type AuthoringRequest, type CourseFacts } from './authoring';

const mine: CourseFacts = { exists: true, owner: 'caller', state: 'draft' };
const base: AuthoringRequest = { role: 'instructor', hasProfile: true, action: 'update', target: 'course', courses: [mine], document: { exists: true, owner: 'caller', hasPublishedVersion: false } };

const TABLE: Array<[string, Partial<AuthoringRequest>, AuthoringRefusal | 'allowed']> = [
  ['update my draft course', {}, 'allowed'],
  ['update my published course (works on the draft)', { document: { exists: true, owner: 'caller', hasPublishedVersion: true } }, 'allowed'],
  ['update my course after changes were requested', { courses: [{ ...mine, state: 'changes_requested' }] }, 'allowed'],
  ['update my approved course (reopens it)', { courses: [{ ...mine, state: 'approved' }] }, 'allowed'],
  ['create a course', { action: 'create', document: undefined, courses: [] }, 'allowed'],
  ['create a chapter in my course', { action: 'create', target: 'chapter', document: undefined }, 'allowed'],
  ['delete my draft-only chapter', { action: 'delete', target: 'chapter' }, 'allowed'],
  ['delete my chapter while it still has media', { action: 'delete', target: 'chapter', setsMediaById: true }, 'allowed'],
  ['a learner writes', { role: 'authenticated' }, 'not-instructor'],
  ['no role', { role: null }, 'not-instructor'],
  ['instructor without profile', { hasProfile: false }, 'no-instructor-profile'],
  ['publish', { action: 'publish' }, 'publish-forbidden'],
  ['unpublish', { action: 'unpublish' }, 'publish-forbidden'],
  ['discard draft', { action: 'discardDraft' }, 'publish-forbidden'],
  ['clone', { action: 'clone' }, 'publish-forbidden'],
  ['cover by file id', { setsMediaById: true }, 'media-by-id'],
  ['set plans on my course', { readonlyFields: ['plans'] }, 'readonly-field'],
  ['media is checked before read-only fields', { readonlyFields: ['plans'], setsMediaById: true }, 'media-by-id'],
  ['update a missing document', { document: { exists: false, owner: 'none', hasPublishedVersion: false } }, 'not-found'],
  ['update without facts', { document: undefined }, 'not-found'],
  ["update someone else's course", { document: { exists: true, owner: 'other', hasPublishedVersion: true } }, 'not-owner'],
  ['update an ownerless course', { document: { exists: true, owner: 'none', hasPublishedVersion: false } }, 'not-owner'],
  ['create a chapter without course', { action: 'create', target: 'chapter', document: undefined, courses: [], chapterWithoutCourse: true }, 'course-required'],
  ['unlink my chapter from its course', { target: 'chapter', chapterWithoutCourse: true }, 'course-required'],
  ['create a chapter in a missing course', { action: 'create', target: 'chapter', document: undefined, courses: [{ exists: false, owner: 'none', state: 'draft' }] }, 'course-not-found'],
  ["create a chapter in someone else's course", { action: 'create', target: 'chapter', document: undefined, courses: [{ ...mine, owner: 'other' }] }, 'not-owner'],
  ["move my chapter into someone else's course", { target: 'chapter', courses: [mine, { ...mine, owner: 'other' }] }, 'not-owner'],
  ['update my course in review', { courses: [{ ...mine, state: 'in_review' }] }, 'in-review'],
  ['create a chapter in my course in review', { action: 'create', target: 'chapter', document: undefined, courses: [{ ...mine, state: 'in_review' }] }, 'in-review'],
  ['move my chapter into my course in review', { target: 'chapter', courses: [mine, { ...mine, state: 'in_review' }] }, 'in-review'],
  ['delete my course in review', { action: 'delete', courses: [{ ...mine, state: 'in_review' }] }, 'in-review'],
  ['delete my published chapter', { action: 'delete', target: 'chapter', document: { exists: true, owner: 'caller', hasPublishedVersion: true } }, 'live-delete'],
  ["ownership is checked before review state: someone else's course in review", { document: { exists: true, owner: 'other', hasPublishedVersion: false }, courses: [{ ...mine, owner: 'other', state: 'in_review' }] }, 'not-owner'],
];

for (const [name, patch, expected] of TABLE) {
  test(`${name} → ${expected}`, () => {
    const d = decideAuthoring({ ...base, ...patch });
    assert.deepEqual(d, expected === 'allowed' ? { allowed: true } : { allowed: false, reason: expected });
  });
}

test('every refusal maps to a 4xx with a message', () => {
  const reasons: AuthoringRefusal[] = ['not-instructor', 'no-instructor-profile', 'publish-forbidden', 'media-by-id', 'readonly-field', 'course-required', 'not-found', 'course-not-found', 'not-owner', 'in-review', 'live-delete'];
  for (const r of reasons) {
    const { status, message } = describeRefusal(r, 'chapter');
    assert.ok(status >= 400 && status < 500, r);
    assert.ok(message.length > 10, r);
  }
  assert.equal(describeRefusal('in-review', 'course').status, 409);
  assert.equal(describeRefusal('not-owner', 'course').status, 403);
  assert.match(describeRefusal('readonly-field', 'course', ['chapters', 'plans']).message, /`chapters`, `plans`.*setting its `course`/);
});
