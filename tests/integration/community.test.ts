/**
 * community: ratings and reviews, questions and answers, moderation and abuse limits, driven over
 * HTTP against a real Strapi on SQLite or PostgreSQL (TEST_DB). Personas: anonymous, a learner
 * without access, learners with access (with and without progress), a refunded learner, the
 * course's instructor, another instructor, editors with and without the community permission.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { onEvent, onEventInTransaction, requireNeighbour, type CommunityRatingEvent } from '@kp/platform';
import { bootApp, type TestApp } from '../support/strapi';
import { recommender } from '../support/recommender-fixtures';
import { createAdmin, createCourse, createInstructor, createUser, type BuiltCourse, type TestAdmin, type TestInstructor, type TestUser } from '../support/builders';

const REVIEW_UID = 'plugin::community.review';
const MODERATION_EVENT_UID = 'plugin::community.moderation-event';
const POST_LIMIT = 8;

let app: TestApp;
let admin: TestAdmin;

let instructor: TestInstructor;
let otherInstructor: TestInstructor;
let course: BuiltCourse;

before(async () => {
  app = await bootApp({ env: { COMMUNITY_POST_LIMIT: String(POST_LIMIT), COMMUNITY_POST_WINDOW_SECONDS: '3600', COMMUNITY_MIN_CHAPTERS: '1', RECOMMENDER_RATED_REASON_MIN_COUNT: '2' } });
  admin = await createAdmin(app);
  instructor = await createInstructor(app, 'Ada Lovelace');
  otherInstructor = await createInstructor(app, 'Alan Turing');
  course = await createCourse(app, { instructor: instructor.instructorDocumentId, chapters: [{ isPreview: true }, {}, {}] });
});
after(async () => {
  await app?.close();
});

type Who = TestUser | TestAdmin | null;
function call(who: Who, method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: unknown) {
  let req = app.http()[method](path);
  if (who) req = req.set('Authorization', who.auth);
  return body === undefined ? req : req.send(body as object);
}

let grants = 0;
async function grant(user: TestUser, course: BuiltCourse): Promise<string> {
  const sourceRef = `community-test-${user.id}-${(grants += 1)}`;
  await requireNeighbour(app.strapi, 'paywall', 'test').entitlements.grant({ userId: user.id, courseDocumentId: course.documentId, source: 'grant', sourceRef });
  return sourceRef;
}
async function complete(user: TestUser, chapterDocumentId: string): Promise<void> {
  const res = await call(user, 'post', '/api/progress', { chapter: chapterDocumentId, completed: true });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}
/** A learner who owns the course and completed its second (gated) chapter. */
async function reader(course: BuiltCourse): Promise<TestUser> {
  const user = await createUser(app);
  await grant(user, course);
  await complete(user, course.chapters[1]!.documentId);
  return user;
}
const reviewsPath = (c: BuiltCourse) => `/api/community/courses/${c.documentId}/reviews`;
async function ratingOf(course: BuiltCourse) {
  const res = await call(null, 'get', `/api/courses/${course.documentId}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data.rating as { average: number | null; count: number; histogram: Record<string, number> };
}
/** The mean of the rows that count, computed from the table itself. */
async function meanOfRows(course: BuiltCourse): Promise<{ average: number | null; count: number }> {
  const rows = (await app.strapi.db.query(REVIEW_UID).findMany({ where: { courseDocumentId: course.documentId, state: 'visible', refunded: false }, select: ['stars'] })) as Array<{ stars: number }>;
  if (rows.length === 0) return { average: null, count: 0 };
  return { average: Math.round((rows.reduce((a, r) => a + r.stars, 0) / rows.length) * 100) / 100, count: rows.length };
}


describe('ratings: who may rate (eligibility)', () => {
  test('persona table: anonymous, no access, access without progress, owner with progress, the course’s instructor, another instructor', async () => {
    const noAccess = await createUser(app);
    await complete(noAccess, course.chapters[0]!.documentId); // a preview chapter: progress, but no access to the course
    const noProgress = await createUser(app);
    await grant(noProgress, course);
    const owner = await reader(course);
    const table: Array<[string, Who, number, string | null]> = [
      ['anonymous', null, 403, null],
      ['learner without access', noAccess, 403, 'no-access'],
      ['learner with access, no progress', noProgress, 403, 'no-progress'],
      ['the course’s instructor', instructor, 403, 'own-course'],
      ['another instructor (no access)', otherInstructor, 403, 'no-access'],
      ['owner with progress', owner, 201, null],
    ];
    for (const [name, who, status, reason] of table) {
      const res = await call(who, 'post', reviewsPath(course), { stars: 4, text: `Rated by ${name}` });
      assert.equal(res.status, status, `${name}: ${JSON.stringify(res.body)}`);
      if (reason) assert.equal(res.body.error.details.reason, reason, name);
      if (who && status !== 201) {
        const mine = await call(who, 'get', `${reviewsPath(course)}/mine`);
        assert.equal(mine.status, 200);
        assert.deepEqual([mine.body.data, mine.body.meta.eligible, mine.body.meta.reason], [null, false, reason], name);
      }
    }
    const count = await app.strapi.db.query(REVIEW_UID).count({ where: { courseDocumentId: course.documentId } });
    assert.equal(count, 1, 'only the owner with progress wrote a review');
  });

  test('bad input is a 400 naming the field, nothing written', async () => {
    const owner = await reader(course);
    const bad: Array<[unknown, RegExp]> = [
      [{ stars: 0 }, /stars/],
      [{ stars: 6 }, /stars/],
      [{ stars: 4.5 }, /stars/],
      [{ text: 'no stars' }, /stars/],
      [{ stars: 4, text: 'x'.repeat(4001) }, /text: must be at most 4000/],
      [{ stars: 4, userId: 1 }, /Unrecognized key/],
    ];
    for (const [body, message] of bad) {
      const res = await call(owner, 'post', reviewsPath(course), body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(res.body.error.message, message);
    }
    assert.equal(await app.strapi.db.query(REVIEW_UID).count({ where: { userId: owner.id } }), 0);
    assert.equal((await call(owner, 'post', `/api/community/courses/doesnotexist0000000000000/reviews`, { stars: 3 })).status, 404);
  });
});

describe('the permission table: every persona × every community route', () => {
  test('statuses per persona (anonymous, no access, access without progress, with progress, refunded, the course’s instructor, another instructor)', async () => {
    const c = await createCourse(app, { instructor: instructor.instructorDocumentId, chapters: [{ isPreview: true }, {}, {}] });
    const noAccess = await createUser(app);
    const noProgress = await createUser(app);
    await grant(noProgress, c);
    const owner = await reader(c);
    const refunded = await createUser(app);
    const refundRef = await grant(refunded, c);
    await complete(refunded, c.chapters[1]!.documentId);
    const refundedReview = await call(refunded, 'post', reviewsPath(c), { stars: 2, text: 'Rated before the refund.' });
    assert.equal(refundedReview.status, 201);
    await requireNeighbour(app.strapi, 'paywall', 'test').entitlements.revoke({ source: 'grant', sourceRef: refundRef, reason: 'refunded' });

    const personas: Array<[string, Who]> = [
      ['anonymous', null],
      ['no access', noAccess],
      ['access, no progress', noProgress],
      ['with progress', owner],
      ['refunded', refunded],
      ['instructor', instructor],
      ['other instructor', otherInstructor],
    ];
    let ownerReview = 0;
    let n = 0;
    const id = c.documentId;
    // Each row: a request (built per persona) and the status each persona gets, in persona order.
    const rows: Array<[string, (p: string) => [method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: unknown], number[]]> = [
      ['GET rating-sorted courses', () => ['get', '/api/community/courses'], [200, 200, 200, 200, 200, 200, 200]],
      ['GET reviews', () => ['get', `/api/community/courses/${id}/reviews`], [200, 200, 200, 200, 200, 200, 200]],
      ['GET own review', () => ['get', `/api/community/courses/${id}/reviews/mine`], [403, 200, 200, 200, 200, 200, 200]],
      ['POST review', (p) => ['post', `/api/community/courses/${id}/reviews`, { stars: 4, text: `Review by ${p}` }], [403, 403, 403, 201, 403, 403, 403]],
      ['PATCH the owner’s review', () => ['patch', `/api/community/courses/${id}/reviews/${ownerReview}`, { stars: 3 }], [403, 403, 403, 200, 403, 403, 403]],
      ['POST reply to it', (p) => ['post', `/api/community/courses/${id}/reviews/${ownerReview}/reply`, { text: `Reply by ${p}` }], [403, 403, 403, 403, 403, 200, 403]],
      ['POST question', (p) => ['post', `/api/community/courses/${id}/questions`, { text: `A question by ${p} (${(n += 1)})` }], [403, 403, 201, 201, 403, 403, 403]],
      ['GET questions', () => ['get', `/api/community/courses/${id}/questions`], [200, 200, 200, 200, 200, 200, 200]],
      ['GET unanswered', () => ['get', '/api/community/me/unanswered'], [403, 403, 403, 403, 403, 200, 200]],
      ['GET own posts', () => ['get', '/api/community/me/posts'], [403, 200, 200, 200, 200, 200, 200]],
      ['POST report of the owner’s review', () => ['post', '/api/community/reports', { targetType: 'review', targetId: ownerReview, reason: 'other' }], [403, 201, 201, 201, 201, 201, 201]],
      // Personas after its author are refused too: by then the review is gone (404).
      ['DELETE the owner’s review', () => ['delete', `/api/community/courses/${id}/reviews/${ownerReview}`], [403, 403, 403, 200, 404, 404, 404]],
      ['GET admin items', () => ['get', '/community/moderation/items'], [401, 401, 401, 401, 401, 401, 401]],
      ['POST admin hide', () => ['post', `/community/moderation/review/${refundedReview.body.data.id}/hide`, { reason: 'not an editor' }], [401, 401, 401, 401, 401, 401, 401]],
    ];
    const problems: string[] = [];
    for (const [name, build, expected] of rows) {
      for (const [i, [persona, who]] of personas.entries()) {
        const [method, path, body] = build(persona);
        const res = await call(who, method, path, body);
        if (name === 'POST review' && res.status === 201) ownerReview = res.body.data.id;
        if (res.status !== expected[i]) problems.push(`${name} as ${persona}: ${res.status}, expected ${expected[i]} ${JSON.stringify(res.body?.error?.message ?? '')}`);
      }
    }
    assert.deepEqual(problems, []);
    const refusedReason = await call(refunded, 'post', reviewsPath(c), { stars: 5, text: 'After the refund.' });
    assert.equal(refusedReason.body.error.details.reason, 'access-revoked');
  });
});

describe('ratings: one per learner, the aggregate, ownership', () => {
  let c: BuiltCourse;
  let a: TestUser;
  let b: TestUser;
  let reviewA: number;
  let reviewB: number;

  before(async () => {
    c = await createCourse(app, { instructor: instructor.instructorDocumentId, chapters: [{ isPreview: true }, {}, {}] });
    a = await reader(c);
    b = await reader(c);
  });

  test('create: the rating on /api/courses follows in the same transaction; a second review by the same learner is 409', async () => {
    assert.deepEqual(await ratingOf(c), { average: null, count: 0, histogram: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } });
    const ra = await call(a, 'post', reviewsPath(c), { stars: 5, text: 'Excellent, thorough and clear.' });
    assert.equal(ra.status, 201, JSON.stringify(ra.body));
    reviewA = ra.body.data.id;
    assert.deepEqual(ra.body.meta.rating, { average: 5, count: 1, histogram: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 1 } });
    const rb = await call(b, 'post', reviewsPath(c), { data: { stars: 3 } });
    assert.equal(rb.status, 201);
    reviewB = rb.body.data.id;
    assert.equal(rb.body.data.text, null);
    assert.deepEqual(await ratingOf(c), { average: 4, count: 2, histogram: { '1': 0, '2': 0, '3': 1, '4': 0, '5': 1 } });
    // Every rating reaches the recommender as a `rate` interaction with its stars (after the commit,
    // asynchronously); the recommender weighs them (5★ a strong positive, 3★ neutral, 1–2★ negative).
    const ratesOf = async (user: TestUser) =>
      ((await app.strapi.db.query('plugin::recommender.interaction').findMany({ where: { user: { id: user.id }, courseDocumentId: c.documentId, kind: 'rate' }, select: ['value'] })) as Array<{ value: number }>).map((r) => Number(r.value));
    let rates: number[] = [];
    for (let i = 0; i < 40 && (rates.length === 0 || (await ratesOf(b)).length === 0); i += 1) {
      rates = await ratesOf(a);
      if (rates.length === 0 || (await ratesOf(b)).length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(await ratesOf(a), [5]);
    assert.deepEqual(await ratesOf(b), [3]);
    assert.equal(await app.strapi.db.query('plugin::recommender.interaction').count({ where: { user: { id: a.id }, courseDocumentId: c.documentId, kind: 'like' } }), 0, 'a rating is not a like');
    const again = await call(a, 'post', reviewsPath(c), { stars: 1, text: 'Changed my mind entirely.' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.details.reviewId, reviewA);
    assert.equal(await app.strapi.db.query(REVIEW_UID).count({ where: { courseDocumentId: c.documentId, userId: a.id } }), 1);
  });

  test('recommendations cite the rating of a course with enough ratings (2 here), in English and Chinese; a course with fewer does not', async () => {
    await recommender(app).settled();
    type Reason = { type: string; average?: number; count?: number; message: string };
    type Item = { documentId: string; reasons: Reason[] };
    const listed = async (path: string) => {
      const res = await call(null, 'get', path);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.data as Item[];
    };
    const similar = await listed(`/api/recommendations/courses/${course.documentId}/similar?limit=50`);
    const rated = similar.find((i) => i.documentId === c.documentId);
    assert.ok(rated, `the rated course is in the list: ${similar.map((i) => i.documentId).join()}`);
    assert.deepEqual(rated.reasons.filter((r) => r.type === 'rated'), [{ type: 'rated', average: 4, count: 2, message: 'Rated 4.0 by 2 learners' }]);
    // `course` has one rating (below the threshold): no such reason, and no other course has one either.
    const back = await listed(`/api/recommendations/courses/${c.documentId}/similar?limit=50`);
    const once = back.find((i) => i.documentId === course.documentId);
    assert.ok(once, 'the course with one rating is in the list');
    assert.equal((await ratingOf(course)).count, 1);
    assert.deepEqual(once.reasons.filter((r) => r.type === 'rated'), []);
    for (const item of [...similar, ...back]) if (item.documentId !== c.documentId) assert.ok(!item.reasons.some((r) => r.type === 'rated'), item.documentId);
    const zh = await listed(`/api/recommendations/courses/${course.documentId}/similar?limit=50&locale=zh-Hans`);
    const ratedZh = zh.find((i) => i.documentId === c.documentId);
    assert.equal(ratedZh?.reasons.find((r) => r.type === 'rated')?.message, '2 位学员评分 4.0');
  });

  test('the list shows visible reviews with the rating; course lists carry `rating` on every entry', async () => {
    const list = await call(null, 'get', `${reviewsPath(c)}?sort=highest`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.data.map((r: { stars: number }) => r.stars), [5, 3]);
    assert.equal(list.body.meta.pagination.total, 2);
    assert.equal(list.body.meta.rating.average, 4);
    assert.equal(list.body.data[0].author.name, a.username);
    assert.equal(list.body.data[0].userId, undefined, 'no account ids in public answers');
    const courses = await call(null, 'get', `/api/courses?filters[documentId][$in][0]=${c.documentId}&filters[documentId][$in][1]=${course.documentId}&fields[0]=title`);
    assert.equal(courses.status, 200);
    for (const entry of courses.body.data) assert.ok(entry.rating && typeof entry.rating.count === 'number', JSON.stringify(entry));
    assert.equal(courses.body.data.find((e: { documentId: string }) => e.documentId === c.documentId).rating.average, 4);
  });

  test('edit and delete move the aggregate; another learner can neither edit nor delete', async () => {
    const edit = await call(b, 'patch', `${reviewsPath(c)}/${reviewB}`, { stars: 4, text: 'Better on a second read.' });
    assert.equal(edit.status, 200, JSON.stringify(edit.body));
    assert.equal((await ratingOf(c)).average, 4.5);
    assert.equal((await call(b, 'patch', `${reviewsPath(c)}/${reviewA}`, { stars: 1 })).status, 403);
    assert.equal((await call(b, 'delete', `${reviewsPath(c)}/${reviewA}`)).status, 403);
    assert.equal((await call(instructor, 'patch', `${reviewsPath(c)}/${reviewA}`, { stars: 1 })).status, 403);
    assert.equal((await call(null, 'delete', `${reviewsPath(c)}/${reviewA}`)).status, 403);
    assert.equal((await call(a, 'patch', `/api/community/courses/${course.documentId}/reviews/${reviewA}`, { stars: 1 })).status, 404, 'the review is not on that course');
    assert.equal((await ratingOf(c)).average, 4.5, 'refused writes changed nothing');
    const del = await call(b, 'delete', `${reviewsPath(c)}/${reviewB}`);
    assert.equal(del.status, 200);
    assert.deepEqual(del.body.meta.rating, { average: 5, count: 1, histogram: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 1 } });
    assert.deepEqual(await ratingOf(c), await ratingOf(c));
    assert.deepEqual(await meanOfRows(c), { average: 5, count: 1 });
  });

  test('the instructor replies once per review (a new reply replaces it); nobody else may', async () => {
    assert.equal((await call(a, 'post', `${reviewsPath(c)}/${reviewA}/reply`, { text: 'Thanks, me!' })).status, 403);
    assert.equal((await call(otherInstructor, 'post', `${reviewsPath(c)}/${reviewA}/reply`, { text: 'Not my course.' })).status, 403);
    const first = await call(instructor, 'post', `${reviewsPath(c)}/${reviewA}/reply`, { text: 'Thank you!' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const second = await call(instructor, 'post', `${reviewsPath(c)}/${reviewA}/reply`, { text: 'Thank you, glad it helped.' });
    assert.equal(second.body.data.reply.text, 'Thank you, glad it helped.');
    const list = await call(null, 'get', reviewsPath(c));
    assert.equal(list.body.data[0].reply.text, 'Thank you, glad it helped.');
  });

  test('hide and restore (editor) move the aggregate; the author sees the hidden review with the reason', async () => {
    const hide = await call(admin, 'post', `/community/moderation/review/${reviewA}/hide`, { reason: 'Contains a spoiler of the final exam' });
    assert.equal(hide.status, 200, JSON.stringify(hide.body));
    assert.equal(hide.body.data.state, 'hidden');
    assert.deepEqual(await ratingOf(c), { average: null, count: 0, histogram: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } });
    const list = await call(null, 'get', reviewsPath(c));
    assert.deepEqual(list.body.data, [], 'hidden reviews leave the public list');
    assert.equal((await call(b, 'patch', `${reviewsPath(c)}/${reviewA}`, { stars: 2 })).status, 404, 'someone else’s hidden review does not exist for them');
    const mine = await call(a, 'get', `${reviewsPath(c)}/mine`);
    assert.equal(mine.body.data.state, 'hidden');
    assert.equal(mine.body.data.hiddenReason, 'Contains a spoiler of the final exam');
    const posts = await call(a, 'get', '/api/community/me/posts');
    assert.equal(posts.body.data.reviews[0].hiddenReason, 'Contains a spoiler of the final exam');
    const restore = await call(admin, 'post', `/community/moderation/review/${reviewA}/restore`);
    assert.equal(restore.status, 200);
    assert.equal((await ratingOf(c)).average, 5);
  });

  test('the rating sort: /api/community/courses?sort=rating:desc puts rated courses first, best first', async () => {
    const low = await createCourse(app, { instructor: instructor.instructorDocumentId, chapters: [{ isPreview: true }, {}] });
    const l = await reader(low);
    assert.equal((await call(l, 'post', reviewsPath(low), { stars: 2 })).status, 201);
    const res = await call(null, 'get', '/api/community/courses?sort=rating:desc&pageSize=100');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const ids = res.body.data.map((x: { documentId: string }) => x.documentId);
    assert.ok(ids.indexOf(c.documentId) < ids.indexOf(low.documentId), 'the 5-star course before the 2-star one');
    const rated = res.body.data.filter((x: { rating: { count: number } }) => x.rating.count > 0).length;
    assert.ok(res.body.data.slice(rated).every((x: { rating: { count: number } }) => x.rating.count === 0), 'unrated last');
    const min = await call(null, 'get', '/api/community/courses?minRating=4&pageSize=100');
    assert.ok(min.body.data.every((x: { rating: { average: number } }) => x.rating.average >= 4));
    assert.ok(!min.body.data.some((x: { documentId: string }) => x.documentId === low.documentId));
    assert.equal((await call(null, 'get', '/api/community/courses?sort=price:desc')).status, 400);
  });

  test('a refunded learner’s review stays, marked refunded, out of the average; they can no longer edit it', async () => {
    const r = await createUser(app);
    const sourceRef = await grant(r, c);
    await complete(r, c.chapters[1]!.documentId);
    const created = await call(r, 'post', reviewsPath(c), { stars: 1, text: 'Not for me, asked for a refund.' });
    assert.equal(created.status, 201);
    assert.equal((await ratingOf(c)).count, 2);
    const revoked = await requireNeighbour(app.strapi, 'paywall', 'test').entitlements.revoke({ source: 'grant', sourceRef, reason: 'refunded' });
    assert.equal(revoked, 1);
    let rating = await ratingOf(c);
    for (let i = 0; i < 50 && rating.count !== 1; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      rating = await ratingOf(c);
    }
    assert.deepEqual(rating, { average: 5, count: 1, histogram: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 1 } });
    const list = await call(null, 'get', reviewsPath(c));
    const refunded = list.body.data.find((x: { id: number }) => x.id === created.body.data.id);
    assert.equal(refunded.refunded, true);
    const edit = await call(r, 'patch', `${reviewsPath(c)}/${created.body.data.id}`, { stars: 5 });
    assert.equal(edit.status, 403);
    assert.equal(edit.body.error.details.reason, 'refunded');
  });

  test('text is stored and returned as text: markup is not interpreted, nothing is stripped', async () => {
    const x = await reader(c);
    const text = '<script>alert("x")</script><img src=x onerror=alert(1)> & https://evil.example/a';
    const res = await call(x, 'post', reviewsPath(c), { stars: 4, text });
    assert.equal(res.status, 201);
    assert.match(String(res.headers['content-type']), /application\/json/);
    assert.equal(res.body.data.text, text);
    const row = (await app.strapi.db.query(REVIEW_UID).findOne({ where: { id: res.body.data.id }, select: ['text'] })) as { text: string };
    assert.equal(row.text, text);
  });

  test('50 concurrent ratings on one course: every one counted, the average equals the mean of the rows', async () => {
    const busy = await createCourse(app, { instructor: instructor.instructorDocumentId, chapters: [{ isPreview: true }, {}] });
    const learners: TestUser[] = [];
    for (let i = 0; i < 50; i += 1) learners.push(await reader(busy));
    const results = await Promise.all(learners.map((l, i) => call(l, 'post', reviewsPath(busy), { stars: (i % 5) + 1 })));
    assert.deepEqual(results.map((r) => r.status), learners.map(() => 201));
    const rating = await ratingOf(busy);
    assert.deepEqual({ average: rating.average, count: rating.count }, await meanOfRows(busy));
    assert.equal(rating.count, 50);
    const histogram = [0, 0, 0, 0, 0];
    learners.forEach((_, i) => (histogram[i % 5]! += 1));
    assert.deepEqual(rating.histogram, { '1': histogram[0], '2': histogram[1], '3': histogram[2], '4': histogram[3], '5': histogram[4] });
  });
});

describe('the catalogue cache (on, the default) and the rating', () => {
  test('a cached anonymous /api/courses list shows the new rating as soon as each write is acknowledged; community.rating is announced in the write’s transaction', async () => {
    const cc = await createCourse(app, { instructor: instructor.instructorDocumentId, chapters: [{ isPreview: true }, {}] });
    const [r1, r2] = [await reader(cc), await reader(cc)];
    const seen: Array<{ action: string; average: number | null; rows: number }> = [];
    // An in-transaction listener reads with the write's transaction: it sees the write before its commit.
    const stop = onEventInTransaction(app.strapi, 'community.rating', async (e: CommunityRatingEvent) => {
      if (e.courseDocumentId !== cc.documentId) return;
      const rows = await app.strapi.db.query(REVIEW_UID).count({ where: { courseDocumentId: cc.documentId, state: 'visible' } });
      seen.push({ action: e.action, average: e.rating.average, rows });
    });
    const url = `/api/courses?filters[documentId][$eq]=${cc.documentId}&fields[0]=title`;
    const listed = async () => {
      const res = await call(null, 'get', url);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return { cache: res.headers['x-cache'], rating: res.body.data[0].rating as { average: number | null; count: number } };
    };
    /**
     * The list right after the write (whatever the cache holds), then again until it is served
     * from the cache (the cache's own delayed drops after a rating may clear it once more): every
     * read shows the new rating, and one of them is a cache hit.
     */
    const expectListed = async (average: number | null, count: number, step: string) => {
      let hit = false;
      for (let i = 0; i < 6 && !hit; i += 1) {
        const read = await listed();
        assert.deepEqual([read.rating.average, read.rating.count], [average, count], `${step}: read ${i + 1} after the acknowledgement (X-Cache ${read.cache})`);
        hit = i > 0 && read.cache === 'hit';
      }
      assert.ok(hit, `${step}: served from the cache`);
    };
    try {
      await expectListed(null, 0, 'before any rating');
      const a = await call(r1, 'post', reviewsPath(cc), { stars: 5 });
      assert.equal(a.status, 201);
      await expectListed(5, 1, 'created');
      assert.equal((await call(r1, 'patch', `${reviewsPath(cc)}/${a.body.data.id}`, { stars: 3 })).status, 200);
      await expectListed(3, 1, 'edited');
      const b = await call(r2, 'post', reviewsPath(cc), { stars: 4 });
      assert.equal(b.status, 201);
      await expectListed(3.5, 2, 'a second rating');
      assert.equal((await call(admin, 'post', `/community/moderation/review/${b.body.data.id}/hide`, { reason: 'Off-topic' })).status, 200);
      await expectListed(3, 1, 'hidden by an editor');
      assert.equal((await call(admin, 'post', `/community/moderation/review/${b.body.data.id}/restore`)).status, 200);
      await expectListed(3.5, 2, 'restored');
      assert.equal((await call(r1, 'delete', `${reviewsPath(cc)}/${a.body.data.id}`)).status, 200);
      await expectListed(4, 1, 'deleted');
    } finally {
      stop();
    }
    assert.deepEqual(seen, [
      { action: 'created', average: 5, rows: 1 },
      { action: 'updated', average: 3, rows: 1 },
      { action: 'created', average: 3.5, rows: 2 },
      { action: 'hidden', average: 3, rows: 1 },
      { action: 'restored', average: 3.5, rows: 2 },
      { action: 'deleted', average: 4, rows: 1 },
    ]);
  });

  test('a rating change that rolls back is heard by nobody after it, and leaves the cached list as it was', async () => {
    const cc = await createCourse(app, { instructor: instructor.instructorDocumentId, chapters: [{ isPreview: true }, {}] });
    const r = await reader(cc);
    const url = `/api/courses?filters[documentId][$eq]=${cc.documentId}&fields[0]=title`;
    const created = await call(r, 'post', reviewsPath(cc), { stars: 2 });
    assert.equal(created.status, 201);
    const ratingNow = async () => {
      const res = await call(null, 'get', url);
      return [res.body.data[0].rating.average, res.body.data[0].rating.count];
    };
    assert.deepEqual(await ratingNow(), [2, 1]);
    const inTransaction: string[] = [];
    const afterCommit: string[] = [];
    const stopIn = onEventInTransaction(app.strapi, 'community.rating', async (e: CommunityRatingEvent) => {
      if (e.courseDocumentId === cc.documentId) inTransaction.push(e.action);
    });
    const stopAfter = onEvent(app.strapi, 'community.rating', (e: CommunityRatingEvent) => {
      if (e.courseDocumentId === cc.documentId) afterCommit.push(e.action);
    });
    try {
      // The edit joins a caller's transaction, which then fails.
      await assert.rejects(
        app.strapi.db.transaction(async () => {
          await app.strapi.plugin('community').service('reviews').update({ id: r.id, username: r.username }, cc.documentId, created.body.data.id, { stars: 5 }, new Date());
          throw new Error('rolled back on purpose');
        }),
        /rolled back on purpose/,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      stopIn();
      stopAfter();
    }
    assert.deepEqual(inTransaction, ['updated'], 'announced inside the transaction');
    // (The 'created' of the review above may still arrive: after-commit listeners are not awaited by the write.)
    assert.deepEqual(afterCommit.filter((a) => a !== 'created'), [], 'the edit is never heard after it: it did not commit');
    assert.deepEqual(await ratingNow(), [2, 1], 'the rolled-back 5★ shows nowhere');
    assert.deepEqual(await ratingNow(), [2, 1]);
  });
});

describe('questions and answers', () => {
  let owner: TestUser;
  let owner2: TestUser;
  let outsider: TestUser;
  let gatedQ: number;
  let courseQ: number;
  let previewQ: number;

  before(async () => {
    owner = await reader(course);
    owner2 = await reader(course);
    outsider = await createUser(app);
  });

  test('learners with access ask about the course or a chapter; outsiders only where they can read', async () => {
    const onGated = await call(owner, 'post', `/api/community/courses/${course.documentId}/questions`, { text: 'In chapter two, why does the loop terminate?', chapter: course.chapters[1]!.documentId });
    assert.equal(onGated.status, 201, JSON.stringify(onGated.body));
    gatedQ = onGated.body.data.id;
    const onCourse = await call(owner, 'post', `/api/community/courses/${course.documentId}/questions`, { text: 'Is there a final project?' });
    assert.equal(onCourse.status, 201);
    courseQ = onCourse.body.data.id;
    const outsiderGated = await call(outsider, 'post', `/api/community/courses/${course.documentId}/questions`, { text: 'What is in chapter two?', chapter: course.chapters[1]!.documentId });
    assert.equal(outsiderGated.status, 403);
    const outsiderCourse = await call(outsider, 'post', `/api/community/courses/${course.documentId}/questions`, { text: 'Is this course for beginners?' });
    assert.equal(outsiderCourse.status, 403, 'asking about a whole paid course needs access to it');
    const onPreview = await call(outsider, 'post', `/api/community/courses/${course.documentId}/questions`, { text: 'Does the preview have exercises?', chapter: course.chapters[0]!.documentId });
    assert.equal(onPreview.status, 201, 'a preview chapter is readable by anyone');
    previewQ = onPreview.body.data.id;
    const elsewhere = await createCourse(app, { chapters: 2 });
    const wrong = await call(owner, 'post', `/api/community/courses/${course.documentId}/questions`, { text: 'A chapter of another course?', chapter: elsewhere.chapters[0]!.documentId });
    assert.equal(wrong.status, 404);
    assert.equal((await call(instructor, 'post', `/api/community/courses/${course.documentId}/questions`, { text: 'Instructors do not ask.' })).status, 403);
  });

  test('a question on a gated chapter is visible only to those who can read the chapter', async () => {
    const listIds = async (who: Who, query = '') =>
      ((await call(who, 'get', `/api/community/courses/${course.documentId}/questions${query}`)).body.data as Array<{ id: number }>).map((q) => q.id);
    for (const [name, who] of [['anonymous', null], ['learner without access', outsider], ['another instructor', otherInstructor]] as Array<[string, Who]>) {
      const ids = await listIds(who);
      assert.ok(ids.includes(courseQ) && ids.includes(previewQ), `${name} sees course-level and preview questions`);
      assert.ok(!ids.includes(gatedQ), `${name} does not see the gated chapter's question`);
      assert.deepEqual(await listIds(who, `?chapter=${course.chapters[1]!.documentId}`), [], `${name}: the chapter filter answers an empty page`);
      const one = await call(who, 'get', `/api/community/questions/${gatedQ}`);
      assert.equal(one.status, 404, name);
      assert.doesNotMatch(JSON.stringify(one.body), /loop terminate/);
      const answer = await call(who, 'post', `/api/community/questions/${gatedQ}/answers`, { text: 'Guessing an answer here.' });
      assert.ok(answer.status === 404 || answer.status === 403, `${name} cannot answer it (${answer.status})`);
      const report = await call(who, 'post', '/api/community/reports', { targetType: 'question', targetId: gatedQ, reason: 'spam' });
      assert.ok(report.status === 404 || report.status === 403, `${name} cannot report it`);
    }
    for (const [name, who] of [['owner', owner2], ['the course’s instructor', instructor]] as Array<[string, Who]>) {
      assert.ok((await listIds(who)).includes(gatedQ), `${name} sees it`);
      assert.equal((await call(who, 'get', `/api/community/questions/${gatedQ}`)).status, 200, name);
    }
  });

  test('the instructor and readers answer; one level of replies; the asker or the instructor accepts', async () => {
    const byInstructor = await call(instructor, 'post', `/api/community/questions/${gatedQ}/answers`, { text: 'Because the counter strictly decreases.' });
    assert.equal(byInstructor.status, 201, JSON.stringify(byInstructor.body));
    assert.equal(byInstructor.body.data.byInstructor, true);
    assert.equal(byInstructor.body.data.author.name, 'Ada Lovelace', 'under the instructor profile’s name');
    const reply = await call(owner2, 'post', `/api/community/questions/${gatedQ}/answers`, { text: 'And it starts finite, so it stops.', parentAnswerId: byInstructor.body.data.id });
    assert.equal(reply.status, 201);
    assert.equal(reply.body.data.byInstructor, false);
    const deeper = await call(owner, 'post', `/api/community/questions/${gatedQ}/answers`, { text: 'A reply to the reply.', parentAnswerId: reply.body.data.id });
    assert.equal(deeper.status, 400);
    assert.match(deeper.body.error.message, /one level/);
    assert.equal((await call(owner2, 'post', `/api/community/questions/${gatedQ}/accept`, { answerId: byInstructor.body.data.id })).status, 403, 'not the asker');
    const accepted = await call(owner, 'post', `/api/community/questions/${gatedQ}/accept`, { answerId: byInstructor.body.data.id });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.data.acceptedAnswerId, byInstructor.body.data.id);
    assert.equal(accepted.body.data.answers[0].accepted, true);
    assert.equal(accepted.body.data.answers[0].replies[0].text, 'And it starts finite, so it stops.');
    assert.equal((await call(owner, 'post', `/api/community/questions/${gatedQ}/accept`, { answerId: reply.body.data.id + 1000 })).status, 400);
    const withdrawn = await call(instructor, 'post', `/api/community/questions/${gatedQ}/accept`, { answerId: null });
    assert.equal(withdrawn.body.data.acceptedAnswerId, null);
  });

  test('new posts are notified through the outbox, in the transaction of the post: the instructor of a review and a question, the asker of an answer', async () => {
    const OUTBOX_UID = 'plugin::notifications.outbox-message';
    const teacher = await createInstructor(app, 'Grace Hopper');
    const fresh = await createCourse(app, { instructor: teacher.instructorDocumentId, chapters: [{ isPreview: true }, {}] });
    const asker = await reader(fresh);
    const other = await reader(fresh);
    const messages = async (email: string, template: string) =>
      (await app.strapi.db.query(OUTBOX_UID).findMany({ where: { recipient: email, template }, select: ['id', 'payload', 'locale'] })) as Array<{ id: number; payload: Record<string, unknown> }>;
    assert.equal((await call(asker, 'post', reviewsPath(fresh), { stars: 4, text: 'Clear and well paced.' })).status, 201);
    const review = await messages(teacher.email, 'community.new-review');
    assert.equal(review.length, 1, 'the instructor hears of the review once');
    assert.equal(review[0]!.payload.stars, 4);
    assert.equal(review[0]!.payload.courseTitle, fresh.title);
    const question = await call(asker, 'post', `/api/community/courses/${fresh.documentId}/questions`, { text: 'Is there a workbook for chapter two?' });
    assert.equal(question.status, 201, JSON.stringify(question.body));
    assert.equal((await messages(teacher.email, 'community.new-question')).length, 1, 'the instructor hears of the question');
    // An answer reaches the asker, whoever answers; the asker answering themself notifies nobody.
    assert.equal((await call(other, 'post', `/api/community/questions/${question.body.data.id}/answers`, { text: 'It is in the attachments.' })).status, 201);
    assert.equal((await call(teacher, 'post', `/api/community/questions/${question.body.data.id}/answers`, { text: 'Yes: see the attachments of chapter two.' })).status, 201);
    assert.equal((await call(asker, 'post', `/api/community/questions/${question.body.data.id}/answers`, { text: 'Found it, thank you both.' })).status, 201);
    const answers = await messages(asker.email, 'community.new-answer');
    assert.deepEqual(answers.map((m) => m.payload.byInstructor).sort(), [false, true]);
    assert.equal((await messages(other.email, 'community.new-answer')).length, 0, 'only the asker hears of answers');
    assert.equal((await messages(teacher.email, 'community.new-answer')).length, 0);
    // A refused post stores nothing (no message for a review that was not written).
    assert.equal((await call(asker, 'post', reviewsPath(fresh), { stars: 5 })).status, 409);
    assert.equal((await messages(teacher.email, 'community.new-review')).length, 1);
  });

  test('GET /me/unanswered: the instructor’s questions nobody answered; other instructors see none; learners are refused', async () => {
    const mine = await call(instructor, 'get', '/api/community/me/unanswered');
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    const ids = mine.body.data.map((q: { id: number }) => q.id);
    assert.ok(ids.includes(courseQ) && ids.includes(previewQ));
    assert.ok(!ids.includes(gatedQ), 'answered questions leave the inbox');
    const other = await call(otherInstructor, 'get', '/api/community/me/unanswered');
    assert.deepEqual(other.body.data, []);
    assert.equal((await call(owner, 'get', '/api/community/me/unanswered')).status, 403);
    assert.equal((await call(null, 'get', '/api/community/me/unanswered')).status, 403);
  });

  test('abuse limits: duplicates are 409, posting is rate-limited per learner (429)', async () => {
    const spammer = await reader(course);
    const path = `/api/community/courses/${course.documentId}/questions`;
    assert.equal((await call(spammer, 'post', path, { text: 'Where are the slides?' })).status, 201);
    const dup = await call(spammer, 'post', path, { text: '  where are THE slides  ' });
    assert.equal(dup.status, 409, 'the same text with other case and spacing');
    assert.equal(dup.body.error.details.reason, 'duplicate');
    for (let i = 1; i < POST_LIMIT; i += 1) assert.equal((await call(spammer, 'post', path, { text: `Question number ${i} about the course` })).status, 201);
    const limited = await call(spammer, 'post', path, { text: 'One question too many.' });
    assert.equal(limited.status, 429, JSON.stringify(limited.body));
    assert.equal((await call(spammer, 'post', path, { text: 'x'.repeat(4001) })).status, 400);
  });
});

describe('moderation', () => {
  let author: TestUser;
  let reporter: TestUser;
  let questionId: number;

  before(async () => {
    author = await reader(course);
    reporter = await reader(course);
    const q = await call(author, 'post', `/api/community/courses/${course.documentId}/questions`, { text: 'Buy cheap watches at https://spam.example' });
    assert.equal(q.status, 201);
    questionId = q.body.data.id;
  });

  test('a learner reports; reporting again changes nothing; editors see it among reported items', async () => {
    const first = await call(reporter, 'post', '/api/community/reports', { targetType: 'question', targetId: questionId, reason: 'spam', note: 'advertising' });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.data.created, true);
    const again = await call(reporter, 'post', '/api/community/reports', { targetType: 'question', targetId: questionId, reason: 'abuse' });
    assert.equal(again.body.data.created, false);
    assert.equal((await call(null, 'post', '/api/community/reports', { targetType: 'question', targetId: questionId, reason: 'spam' })).status, 403);
    const items = await call(admin, 'get', '/community/moderation/items?filter=reported');
    assert.equal(items.status, 200, JSON.stringify(items.body));
    const item = items.body.data.find((i: { kind: string; id: number }) => i.kind === 'question' && i.id === questionId);
    assert.equal(item.openReports, 1);
    assert.equal(item.author.userId, author.id);
    const recent = await call(admin, 'get', '/community/moderation/items?filter=recent&kind=question');
    assert.equal(recent.body.data[0].id, questionId);
  });

  test('admin routes need an admin session and the community permission', async () => {
    assert.equal((await call(null, 'get', '/community/moderation/items')).status, 401);
    assert.equal((await call(reporter, 'get', '/community/moderation/items')).status, 401);
    const editor = await createAdmin(app, 'strapi-editor');
    assert.equal((await call(editor, 'get', '/community/moderation/items')).status, 403);
    assert.equal((await call(editor, 'post', `/community/moderation/question/${questionId}/hide`, { reason: 'not allowed to' })).status, 403);
  });

  test('hide with a reason: gone from the public API, the author sees why; restore brings it back', async () => {
    assert.equal((await call(admin, 'post', `/community/moderation/question/${questionId}/hide`, {})).status, 400, 'a reason is required');
    const hidden = await call(admin, 'post', `/community/moderation/question/${questionId}/hide`, { reason: 'Advertising' });
    assert.equal(hidden.status, 200);
    assert.equal(hidden.body.data.openReports, 0, 'its reports are resolved');
    for (const who of [null, reporter, instructor] as Who[]) {
      const list = await call(who, 'get', `/api/community/courses/${course.documentId}/questions?pageSize=50`);
      assert.ok(!list.body.data.some((q: { id: number }) => q.id === questionId));
      assert.equal((await call(who, 'get', `/api/community/questions/${questionId}`)).status, 404);
    }
    const posts = await call(author, 'get', '/api/community/me/posts');
    const mine = posts.body.data.questions.find((q: { id: number }) => q.id === questionId);
    assert.deepEqual([mine.state, mine.hiddenReason], ['hidden', 'Advertising']);
    const restored = await call(admin, 'post', `/community/moderation/question/${questionId}/restore`);
    assert.equal(restored.body.data.state, 'visible');
    assert.equal((await call(null, 'get', `/api/community/questions/${questionId}`)).status, 200);
  });

  test('block an author: they cannot post until unblocked; every action is audited', async () => {
    const blocked = await call(admin, 'post', `/community/moderation/users/${author.id}/block`, { reason: 'Repeated spam' });
    assert.equal(blocked.status, 200, JSON.stringify(blocked.body));
    assert.deepEqual(blocked.body, { data: { userId: author.id, blocked: true }, meta: { changed: true } });
    const refused = await call(author, 'post', `/api/community/courses/${course.documentId}/questions`, { text: 'Am I blocked now?' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.details.reason, 'blocked');
    const review = await call(author, 'post', reviewsPath(course), { stars: 5 });
    assert.equal(review.body.error.details.reason, 'blocked');
    assert.equal((await call(admin, 'post', `/community/moderation/users/999999/block`, {})).status, 404);
    const unblocked = await call(admin, 'delete', `/community/moderation/users/${author.id}/block`);
    assert.equal(unblocked.body.meta.changed, true);
    assert.equal((await call(author, 'post', `/api/community/courses/${course.documentId}/questions`, { text: 'Unblocked, a real question now.' })).status, 201);
    const events = await call(admin, 'get', '/community/moderation/events?pageSize=50');
    assert.equal(events.status, 200);
    const mineEvents = events.body.data.filter((e: { targetId: number; targetType: string }) => (e.targetType === 'question' && e.targetId === questionId) || (e.targetType === 'user' && e.targetId === author.id));
    assert.deepEqual(mineEvents.map((e: { action: string }) => e.action).reverse(), ['hide', 'restore', 'block', 'unblock']);
    assert.ok(mineEvents.every((e: { adminId: number; adminName: string }) => e.adminId === admin.id && e.adminName.length > 0));
    assert.equal(await app.strapi.db.query(MODERATION_EVENT_UID).count({ where: { targetType: 'user', targetId: author.id } }), 2);
  });
});
