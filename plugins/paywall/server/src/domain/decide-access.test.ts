import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bestCoverage, decideAccess, entitlementCovers, entitlementValidity } from './decide-access';
import type { AccessConfig, AccessDecision, Caller, ChapterFacts, CourseFacts, EntitlementFacts } from './types';

const NOW = new Date('2026-06-15T12:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const CONFIG: AccessConfig = { pastDueGraceMs: 3 * DAY };

const COURSE = 'course-A';
const OTHER = 'course-B';
const INSTRUCTOR_USER = 7;
const LEARNER = 42;

const anonymous: Caller = { kind: 'anonymous' };
const learner: Caller = { kind: 'user', userId: LEARNER };
const ownInstructor: Caller = { kind: 'user', userId: INSTRUCTOR_USER };
const otherInstructor: Caller = { kind: 'user', userId: 8 };

const course = (over: Partial<CourseFacts> = {}): CourseFacts => ({
  documentId: COURSE,
  published: true,
  access: 'paid',
  instructorUserId: INSTRUCTOR_USER,
  ...over,
});
const chapter = (over: Partial<ChapterFacts> = {}): ChapterFacts => ({ documentId: 'ch-1', published: true, isPreview: false, ...over });
const ent = (over: Partial<EntitlementFacts> = {}): EntitlementFacts => ({
  source: 'purchase',
  status: 'active',
  validFrom: at(-30 * DAY),
  validUntil: null,
  pastDueSince: null,
  courseDocumentId: COURSE,
  planDocumentId: null,
  plan: null,
  ...over,
});
const planEnt = (plan: EntitlementFacts['plan'], over: Partial<EntitlementFacts> = {}) =>
  ent({ source: 'subscription', courseDocumentId: null, planDocumentId: 'plan-1', plan, validUntil: at(10 * DAY), ...over });

const allow = (via: Extract<AccessDecision, { allowed: true }>['via']): AccessDecision => ({ allowed: true, via });
const deny = (reason: Extract<AccessDecision, { allowed: false }>['reason']): AccessDecision => ({ allowed: false, reason });

describe('decideAccess', () => {
  const cases: Array<[string, Caller, CourseFacts | null, ChapterFacts | null, EntitlementFacts[], AccessDecision]> = [
    ['no course', learner, null, chapter(), [ent()], deny('not-found')],
    ['draft course, even with a purchase', learner, course({ published: false }), chapter(), [ent()], deny('draft')],
    ['draft course: its own instructor reads it', ownInstructor, course({ published: false }), chapter({ published: false }), [], allow('instructor')],
    ['draft course: not another instructor', otherInstructor, course({ published: false }), chapter(), [], deny('draft')],
    ['draft course, even free', anonymous, course({ published: false, access: 'free' }), chapter(), [], deny('draft')],
    ['draft chapter, even a preview', anonymous, course(), chapter({ published: false, isPreview: true }), [], deny('draft')],
    ['draft chapter of a published course', learner, course(), chapter({ published: false }), [ent()], deny('draft')],
    ['free course, anonymous', anonymous, course({ access: 'free' }), chapter(), [], allow('free')],
    ['free course, course-level question', anonymous, course({ access: 'free' }), null, [], allow('free')],
    ['preview chapter, anonymous', anonymous, course(), chapter({ isPreview: true }), [], allow('preview')],
    ['preview chapter of a subscription course', anonymous, course({ access: 'subscription' }), chapter({ isPreview: true }), [], allow('preview')],
    ['course-level question ignores previews', anonymous, course(), null, [], deny('anonymous')],
    ['paid chapter, anonymous', anonymous, course(), chapter(), [], deny('anonymous')],
    ['paid chapter, learner without anything', learner, course(), chapter(), [], deny('no-entitlement')],
    ['paid chapter, learner who bought another course', learner, course(), chapter(), [ent({ courseDocumentId: OTHER })], deny('no-entitlement')],
    ['paid chapter, learner who bought it', learner, course(), chapter(), [ent()], allow('purchase')],
    ['own instructor reads without entitlement', ownInstructor, course(), chapter(), [], allow('instructor')],
    ['another instructor does not', otherInstructor, course(), chapter(), [], deny('no-entitlement')],
    ['course without instructor: nobody is its instructor', ownInstructor, course({ instructorUserId: null }), chapter(), [], deny('no-entitlement')],
    ['refunded purchase never allows', learner, course(), chapter(), [ent({ status: 'revoked' })], deny('revoked')],
    ['revoked with a future validUntil still never allows', learner, course(), chapter(), [ent({ status: 'revoked', validUntil: at(DAY) })], deny('revoked')],
    ['grant that ended yesterday', learner, course(), chapter(), [ent({ source: 'grant', validUntil: at(-DAY) })], deny('expired')],
    ['grant ending exactly now has ended', learner, course(), chapter(), [ent({ source: 'grant', validUntil: NOW })], deny('expired')],
    ['grant starting tomorrow', learner, course(), chapter(), [ent({ source: 'grant', validFrom: at(DAY) })], deny('no-entitlement')],
    ['manual grant', learner, course(), chapter(), [ent({ source: 'grant', validUntil: at(DAY) })], allow('grant')],
    ['all-access plan, active subscription', learner, course({ access: 'subscription' }), chapter(), [planEnt({ allAccess: true, courseDocumentIds: new Set() })], allow('subscription')],
    ['plan that includes the course', learner, course({ access: 'subscription' }), chapter(), [planEnt({ allAccess: false, courseDocumentIds: new Set([COURSE]) })], allow('subscription')],
    ['all-access plan does not open a paid course (sold one by one)', learner, course({ access: 'paid' }), chapter(), [planEnt({ allAccess: true, courseDocumentIds: new Set() })], deny('no-entitlement')],
    ['all-access plan plus a purchase of the paid course', learner, course({ access: 'paid' }), chapter(), [planEnt({ allAccess: true, courseDocumentIds: new Set() }), ent()], allow('purchase')],
    ['plan that includes a paid course too', learner, course({ access: 'paid' }), chapter(), [planEnt({ allAccess: false, courseDocumentIds: new Set([COURSE]) })], allow('subscription')],
    ['plan that does not include it', learner, course({ access: 'subscription' }), chapter(), [planEnt({ allAccess: false, courseDocumentIds: new Set([OTHER]) })], deny('no-entitlement')],
    ['plan that no longer exists', learner, course(), chapter(), [planEnt(null)], deny('no-entitlement')],
    ['subscription whose period ended', learner, course({ access: 'subscription' }), chapter(), [planEnt({ allAccess: true, courseDocumentIds: new Set() }, { validUntil: at(-HOUR) })], deny('expired')],
    ['past_due within grace', learner, course({ access: 'subscription' }), chapter(), [planEnt({ allAccess: true, courseDocumentIds: new Set() }, { status: 'past_due', pastDueSince: at(-2 * DAY), validUntil: at(20 * DAY) })], allow('subscription')],
    ['past_due beyond grace since payment failed', learner, course({ access: 'subscription' }), chapter(), [planEnt({ allAccess: true, courseDocumentIds: new Set() }, { status: 'past_due', pastDueSince: at(-4 * DAY), validUntil: at(20 * DAY) })], deny('expired')],
    ['past_due beyond grace after the period ended', learner, course({ access: 'subscription' }), chapter(), [planEnt({ allAccess: true, courseDocumentIds: new Set() }, { status: 'past_due', pastDueSince: null, validUntil: at(-4 * DAY) })], deny('expired')],
    ['past_due with no dates at all is not given grace', learner, course({ access: 'subscription' }), chapter(), [planEnt({ allAccess: true, courseDocumentIds: new Set() }, { status: 'past_due', pastDueSince: null, validUntil: null })], deny('expired')],
    ['purchase wins over subscription', learner, course(), chapter(), [planEnt({ allAccess: true, courseDocumentIds: new Set() }), ent()], allow('purchase')],
    ['a valid entitlement wins over a revoked one', learner, course(), chapter(), [ent({ status: 'revoked' }), ent({ source: 'grant' })], allow('grant')],
    ['expired is said before revoked (renewable)', learner, course({ access: 'subscription' }), chapter(), [ent({ status: 'revoked' }), planEnt({ allAccess: true, courseDocumentIds: new Set() }, { validUntil: at(-DAY) })], deny('expired')],
  ];
  for (const [name, caller, c, ch, ents, expected] of cases) {
    test(name, () => assert.deepEqual(decideAccess(caller, c, ch, ents, NOW, CONFIG), expected));
  }

  test('grace of zero: past_due never allows', () => {
    const e = planEnt({ allAccess: true, courseDocumentIds: new Set() }, { status: 'past_due', pastDueSince: at(-HOUR) });
    assert.deepEqual(decideAccess(learner, course({ access: 'subscription' }), chapter(), [e], NOW, { pastDueGraceMs: 0 }), deny('expired'));
  });
});

describe('entitlementValidity', () => {
  const cases: Array<[string, EntitlementFacts, ReturnType<typeof entitlementValidity>]> = [
    ['open-ended active', ent(), 'valid'],
    ['active until tomorrow', ent({ validUntil: at(DAY) }), 'valid'],
    ['active until a second ago', ent({ validUntil: at(-1000) }), 'expired'],
    ['not started', ent({ validFrom: at(1000) }), 'not-started'],
    ['revoked', ent({ status: 'revoked' }), 'revoked'],
    ['past_due one hour before grace ends', ent({ status: 'past_due', pastDueSince: at(-3 * DAY + HOUR) }), 'valid'],
    ['past_due one hour after grace ended', ent({ status: 'past_due', pastDueSince: at(-3 * DAY - HOUR) }), 'expired'],
  ];
  for (const [name, e, expected] of cases) test(name, () => assert.equal(entitlementValidity(e, NOW, CONFIG), expected));
});

describe('entitlementCovers / bestCoverage', () => {
  test('a course entitlement covers only its course', () => {
    assert.equal(entitlementCovers(ent(), { documentId: COURSE, access: 'paid' }), true);
    assert.equal(entitlementCovers(ent(), { documentId: OTHER, access: 'paid' }), false);
  });
  test('which plan covers which course: listed courses, and all-access opens subscription courses only', () => {
    const allAccess = planEnt({ allAccess: true, courseDocumentIds: new Set() });
    const listing = planEnt({ allAccess: false, courseDocumentIds: new Set([COURSE]) });
    const rows: Array<[string, EntitlementFacts, 'free' | 'paid' | 'subscription', string, boolean]> = [
      ['all-access, subscription course', allAccess, 'subscription', COURSE, true],
      ['all-access, paid course', allAccess, 'paid', COURSE, false],
      ['listing, listed paid course', listing, 'paid', COURSE, true],
      ['listing, listed subscription course', listing, 'subscription', COURSE, true],
      ['listing, unlisted subscription course', listing, 'subscription', OTHER, false],
    ];
    for (const [name, e, access, documentId, expected] of rows) assert.equal(entitlementCovers(e, { documentId, access }), expected, name);
  });
  test('bestCoverage prefers purchase, then subscription, then grant', () => {
    const g = ent({ source: 'grant' });
    const s = planEnt({ allAccess: true, courseDocumentIds: new Set() });
    const p = ent();
    const r = bestCoverage([g, s, p], { documentId: COURSE, access: 'subscription' }, NOW, CONFIG);
    assert.equal(r.covered && r.entitlement, p);
    const r2 = bestCoverage([g, s], { documentId: COURSE, access: 'subscription' }, NOW, CONFIG);
    assert.equal(r2.covered && r2.entitlement, s);
  });
});

describe('drip release', () => {
  const drip = course({ dripEnabled: true });
  const bought = (daysAgo: number, over: Partial<EntitlementFacts> = {}) => ent({ validFrom: at(-daysAgo * DAY), ...over });
  const locked = (unlocksAt: Date): AccessDecision => ({ allowed: false, reason: 'drip-locked', unlocksAt });
  const table: Array<[string, Caller, CourseFacts, ChapterFacts, EntitlementFacts[], AccessDecision]> = [
    ['day 7 of 10: locked until day 10', learner, drip, chapter({ dripDays: 10 }), [bought(7)], locked(at(3 * DAY))],
    ['day 10 of 10: open on its day', learner, drip, chapter({ dripDays: 10 }), [bought(10)], { allowed: true, via: 'purchase' }],
    ['a second before its day: locked', learner, drip, chapter({ dripDays: 10 }), [ent({ validFrom: new Date(at(-10 * DAY).getTime() + 1000) })], locked(at(1000))],
    ['dripDays 0 or null: at once', learner, drip, chapter({ dripDays: 0 }), [bought(0)], { allowed: true, via: 'purchase' }],
    ['null dripDays: at once', learner, drip, chapter({ dripDays: null }), [bought(0)], { allowed: true, via: 'purchase' }],
    ['course switch off: dripDays ignored', learner, course(), chapter({ dripDays: 10 }), [bought(1)], { allowed: true, via: 'purchase' }],
    ['the earliest valid start counts (purchase, then a plan)', learner, drip, chapter({ dripDays: 10 }), [bought(12), bought(1, { source: 'subscription', courseDocumentId: null, planDocumentId: 'p', plan: { allAccess: true, courseDocumentIds: new Set() } })], { allowed: true, via: 'purchase' }],
    ['a revoked older entitlement does not count', learner, drip, chapter({ dripDays: 10 }), [bought(30, { status: 'revoked' }), bought(2)], locked(at(8 * DAY))],
    ['a subscription: counted from its start (an all-access plan covers a subscription course)', learner, course({ dripEnabled: true, access: 'subscription' }), chapter({ dripDays: 5 }), [bought(1, { source: 'subscription', courseDocumentId: null, planDocumentId: 'p', plan: { allAccess: true, courseDocumentIds: new Set() } })], locked(at(4 * DAY))],
    ['preview chapters never wait', learner, drip, chapter({ dripDays: 10, isPreview: true }), [bought(0)], { allowed: true, via: 'preview' }],
    ['free courses never wait', learner, course({ dripEnabled: true, access: 'free' }), chapter({ dripDays: 10 }), [], { allowed: true, via: 'free' }],
    ['the instructor never waits', ownInstructor, drip, chapter({ dripDays: 10 }), [], { allowed: true, via: 'instructor' }],
    ['no entitlement: no-entitlement, not drip', learner, drip, chapter({ dripDays: 10 }), [], { allowed: false, reason: 'no-entitlement' }],
    ['anonymous: anonymous', anonymous, drip, chapter({ dripDays: 10 }), [], { allowed: false, reason: 'anonymous' }],
    ['an entitlement without a known start: open', learner, drip, chapter({ dripDays: 10 }), [ent({ validFrom: null })], { allowed: true, via: 'purchase' }],
  ];
  for (const [name, caller, c, ch, ents, expected] of table) {
    test(name, () => assert.deepEqual(decideAccess(caller, c, ch, ents, NOW, CONFIG), expected));
  }
  test('the course-level verdict (chapter null) is never drip-locked', () => {
    assert.deepEqual(decideAccess(learner, drip, null, [bought(0)], NOW, CONFIG), { allowed: true, via: 'purchase' });
  });
});
