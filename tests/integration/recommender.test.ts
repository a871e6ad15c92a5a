/**
 * The recommender over HTTP, against a real Strapi on SQLite or PostgreSQL: cold start for
 * anonymous callers, personal lists that follow purchases and progress, owned, refunded and
 * unpublished courses left out, similar courses in both locales, learner events, bad input, and
 * the admin panel's index status and rebuild.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAdmin, createCourse, createUser, type BuiltCourse, type TestUser } from '../support/builders';
import { bootApp, type TestApp } from '../support/strapi';
import { createTag, recommender } from '../support/recommender-fixtures';
import { errorResponseSchema, neighbour, type RouteSpec } from '@kp/platform';
import { rebuildRoute, statusRoute } from '../../plugins/recommender/server/src/routes/admin';
import { eventsRoute, findRoute, healthRoute, likeStateRoute, similarRoute, unlikeRoute } from '../../plugins/recommender/server/src/routes/content-api';

interface Item {
  documentId: string;
  locale: string;
  title: string;
  slug: string;
  summary: string | null;
  level: string;
  access: string;
  price: number;
  currency: string;
  cover: unknown;
  score: number;
  reasons: Array<{ type: string; message: string; terms?: Array<{ key: string; label: string }>; course?: { documentId: string; title: string } }>;
}
interface List {
  data: Item[];
  meta: { kind: string; locale: string; limit: number; index: string };
}

let app: TestApp;
const courses: Record<string, BuiltCourse> = {};
const tagOf: Record<string, string[]> = {};

const get = async (path: string, user?: TestUser) => {
  const req = app.http().get(path);
  if (user) req.set('Authorization', user.auth);
  return req;
};
/** A 200 list, checked against the documented response schema (strict: no field beyond it). */
const list = async (path: string, user?: TestUser): Promise<List> => {
  const res = await get(path, user);
  assert.equal(res.status, 200, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
  findRoute.response.parse(res.body);
  return res.body as List;
};
const ids = (l: List) => l.data.map((i) => i.documentId);
const name = (documentId: string) => Object.entries(courses).find(([, c]) => c.documentId === documentId)?.[0] ?? documentId;
const names = (l: List) => ids(l).map(name);
const hasTag = (documentId: string, tag: string) => (tagOf[name(documentId)] ?? []).includes(tag);

before(async () => {
  app = await bootApp({ env: { RECOMMENDER_EVENTS_PER_MINUTE: '5', RECOMMENDER_STATS_REFRESH_SECONDS: '0' } });
  const tags = {
    python: await createTag(app, 'python', 'Python', 'Python 编程'),
    data: await createTag(app, 'data', 'Data science', '数据科学'),
    web: await createTag(app, 'web', 'Web development', '网页开发'),
    design: await createTag(app, 'design', 'Design', '设计'),
    cooking: await createTag(app, 'cooking', 'Cooking', '烹饪'),
  };
  const spec: Array<[string, string, Array<keyof typeof tags>, string | undefined, boolean?]> = [
    ['P1', 'Python basics', ['python'], 'Python 基础'],
    ['P2', 'Python for data analysis', ['python', 'data'], 'Python 数据分析'],
    ['P3', 'Advanced Python patterns', ['python'], undefined],
    ['D1', 'Data science with pandas', ['data', 'python'], undefined],
    ['W1', 'Web development with Django', ['web', 'python'], undefined],
    ['W2', 'CSS layouts', ['web', 'design'], 'CSS 布局'],
    ['G1', 'Design systems', ['design'], '设计系统'],
    ['G2', 'Typography for designers', ['design'], undefined],
    ['K1', 'Italian cooking', ['cooking'], '意大利烹饪'],
    ['K2', 'Baking bread at home', ['cooking'], undefined],
    ['DRAFT', 'Python secrets of the draft', ['python'], undefined, false],
  ];
  for (const [key, title, t, zh, publish] of spec) {
    courses[key] = await createCourse(app, {
      title,
      summary: `Learn ${title.toLowerCase()}.`,
      tags: t.map((x) => tags[x].documentId),
      chapters: 1,
      publish: publish ?? true,
      ...(zh ? { zh: { title: zh, summary: `学习${zh}` } } : {}),
    });
    tagOf[key] = t;
  }
  await recommender(app).settled();
});

after(async () => {
  await app?.close();
});

describe('cold start (anonymous)', () => {
  it('answers popular-or-new courses spread over segments, with the fields a card needs', async () => {
    const res = await list('/api/recommendations?limit=6');
    assert.equal(res.meta.kind, 'cold-start');
    assert.equal(res.data.length, 6);
    for (const item of res.data) {
      for (const field of ['documentId', 'title', 'slug', 'summary', 'level', 'access', 'price', 'currency', 'score', 'reasons', 'locale']) {
        assert.ok(field in item, `${field} missing`);
      }
      assert.equal(item.locale, 'en');
      assert.ok(Array.isArray(item.reasons));
    }
    assert.equal(new Set(ids(res)).size, 6, 'no duplicates');
  });

  it('never shows a draft, and never chapter content', async () => {
    const res = await get('/api/recommendations?limit=50');
    assert.equal(res.status, 200);
    assert.ok(!ids(res.body as List).includes(courses.DRAFT!.documentId));
    assert.equal((res.body as List).data.length, 10);
    assert.ok(!res.text.includes('SECRET-'), 'a chapter body leaked');
    assert.ok(!res.text.includes('secrets of the draft'));
  });

  it('popular courses lead once learners take them', async () => {
    const { interactions, index } = recommender(app);
    for (let i = 0; i < 3; i++) {
      const u = await createUser(app);
      await interactions.record({ userId: u.id, courseDocumentId: courses.P1!.documentId, kind: 'purchase' });
      await interactions.record({ userId: u.id, courseDocumentId: courses.G2!.documentId, kind: 'purchase' });
    }
    await index.refreshStats(true);
    const res = await list('/api/recommendations?limit=3');
    assert.deepEqual(names(res).slice(0, 2).sort(), ['G2', 'P1']);
    assert.ok(res.data[0]!.reasons.some((r) => r.type === 'popular'));
  });
});

describe('personal recommendations', () => {
  let learner: TestUser;
  before(async () => {
    learner = await createUser(app);
  });

  it('a learner without history gets the cold-start list', async () => {
    const res = await list('/api/recommendations', learner);
    assert.equal(res.meta.kind, 'cold-start');
  });

  it('change after a purchase: the bought course is out, its neighbours lead, with reasons', async () => {
    await recommender(app).interactions.record({ userId: learner.id, courseDocumentId: courses.P2!.documentId, kind: 'purchase' });
    const res = await list('/api/recommendations?limit=5', learner);
    assert.equal(res.meta.kind, 'personal');
    assert.ok(!ids(res).includes(courses.P2!.documentId), 'an owned course was recommended');
    const top3 = ids(res).slice(0, 3);
    assert.ok(top3.filter((id) => hasTag(id, 'python') || hasTag(id, 'data')).length >= 2, `top 3: ${top3.map(name)}`);
    assert.ok(!top3.some((id) => hasTag(id, 'cooking')), `top 3: ${top3.map(name)}`);
    const shared = res.data.flatMap((i) => i.reasons).find((r) => r.type === 'shared-terms');
    assert.ok(shared?.terms?.some((t) => t.label === 'Python' || t.label === 'Data science'), JSON.stringify(shared));
    assert.match(shared!.message, /like courses you took/);
  });

  it('change after progress: the course in progress is out, its neighbours move up', async () => {
    const before = await list('/api/recommendations?limit=10', learner);
    const k2Before = ids(before).indexOf(courses.K2!.documentId);
    await recommender(app).interactions.record({ userId: learner.id, courseDocumentId: courses.K1!.documentId, kind: 'progress' });
    const after = await list('/api/recommendations?limit=10', learner);
    assert.ok(!ids(after).includes(courses.K1!.documentId), 'a course in progress was recommended');
    const k2After = ids(after).indexOf(courses.K2!.documentId);
    assert.ok(k2After >= 0 && (k2Before < 0 || k2After < k2Before), `K2 moved from ${k2Before} to ${k2After}`);
    assert.notDeepEqual(ids(after), ids(before));
  });

  it('courses the learner is entitled to (paywall) are left out', async (t) => {
    const paywall = neighbour(app.strapi, 'paywall')?.entitlements;
    if (!paywall) return t.skip('the paywall plugin is not installed');
    const u = await createUser(app);
    await recommender(app).interactions.record({ userId: u.id, courseDocumentId: courses.P1!.documentId, kind: 'view' });
    const before = await list('/api/recommendations?limit=50', u);
    assert.ok(ids(before).includes(courses.P3!.documentId));
    await paywall.grant({ userId: u.id, courseDocumentId: courses.P3!.documentId, source: 'grant', sourceRef: `test-${u.id}` });
    const after = await list('/api/recommendations?limit=50', u);
    assert.ok(!ids(after).includes(courses.P3!.documentId), 'an entitled course was recommended');
  });

  it('a refunded course is left out for that learner, not for others', async () => {
    const u = await createUser(app);
    const { interactions } = recommender(app);
    await interactions.record({ userId: u.id, courseDocumentId: courses.P3!.documentId, kind: 'purchase', at: new Date(Date.now() - 60_000) });
    await interactions.record({ userId: u.id, courseDocumentId: courses.D1!.documentId, kind: 'purchase', at: new Date(Date.now() - 50_000) });
    await interactions.record({ userId: u.id, courseDocumentId: courses.D1!.documentId, kind: 'refund' });
    const mine = await list('/api/recommendations?limit=50', u);
    assert.equal(mine.meta.kind, 'personal');
    assert.ok(!ids(mine).includes(courses.D1!.documentId), 'a refunded course was recommended');
    assert.ok(!ids(mine).includes(courses.P3!.documentId));
    const someoneElse = await list('/api/recommendations?limit=50', learner);
    assert.ok(ids(someoneElse).includes(courses.D1!.documentId));
  });

  it('a low rating (rate 1★, what community records) lowers the courses similar to the rated one; a high one keeps them up', async () => {
    const { interactions } = recommender(app);
    const rankOfPython = (list: List) => {
      const positions = ids(list).map((id, n) => (hasTag(id, 'python') ? n : -1)).filter((n) => n >= 0);
      return positions.reduce((a, b) => a + b, 0) / Math.max(positions.length, 1);
    };
    const learnerWho = async (stars: number | null) => {
      const u = await createUser(app);
      await interactions.record({ userId: u.id, courseDocumentId: courses.P1!.documentId, kind: 'purchase', at: new Date(Date.now() - 60_000) });
      await interactions.record({ userId: u.id, courseDocumentId: courses.K1!.documentId, kind: 'purchase', at: new Date(Date.now() - 60_000) });
      if (stars !== null) await interactions.record({ userId: u.id, courseDocumentId: courses.P1!.documentId, kind: 'rate', value: stars });
      return list('/api/recommendations?limit=10', u);
    };
    const plain = await learnerWho(null);
    const loved = await learnerWho(5);
    const hated = await learnerWho(1);
    for (const l of [plain, loved, hated]) {
      assert.equal(l.meta.kind, 'personal');
      assert.ok(!ids(l).includes(courses.P1!.documentId), 'the rated course is owned: never recommended');
    }
    assert.ok(rankOfPython(hated) > rankOfPython(plain), `python courses at ${rankOfPython(hated)} after 1★, ${rankOfPython(plain)} without`);
    assert.ok(rankOfPython(loved) <= rankOfPython(plain), `python courses at ${rankOfPython(loved)} after 5★, ${rankOfPython(plain)} without`);
  });

  it('never a draft, never another locale’s draft title, never chapter content', async () => {
    // An edit saved as a draft must not reach the list until it is published.
    await app.strapi.documents('api::course.course').update({
      documentId: courses.P1!.documentId,
      locale: 'en',
      status: 'draft',
      data: { title: 'Unreleased new title of P1' } as never,
    });
    await recommender(app).settled();
    const res = await get('/api/recommendations?limit=50', learner);
    assert.equal(res.status, 200);
    assert.ok(!res.text.includes('Unreleased new title'));
    assert.ok(!res.text.includes('SECRET-'));
    assert.ok(!ids(res.body as List).includes(courses.DRAFT!.documentId));
    const p1 = (res.body as List).data.find((i) => i.documentId === courses.P1!.documentId);
    assert.equal(p1?.title, 'Python basics');
  });
});

describe('similar courses', () => {
  it('shares terms with the course, in English', async () => {
    const res = await list(`/api/recommendations/courses/${courses.P1!.documentId}/similar?limit=4`);
    assert.equal(res.meta.kind, 'similar');
    assert.ok(!ids(res).includes(courses.P1!.documentId), 'a course is not similar to itself');
    const pythonish = ids(res).filter((id) => hasTag(id, 'python')).length;
    assert.ok(pythonish >= 2, names(res).join(','));
    const shared = res.data.flatMap((i) => i.reasons).find((r) => r.type === 'shared-terms');
    assert.match(shared?.message ?? '', /like this course/);
  });

  it('learners who took it also took: co-occurrence from interactions', async () => {
    const res = await list(`/api/recommendations/courses/${courses.P1!.documentId}/similar?limit=10`);
    const g2 = res.data.find((i) => i.documentId === courses.G2!.documentId);
    const alsoTook = g2?.reasons.find((r) => r.type === 'also-took');
    assert.equal(alsoTook?.course?.documentId, courses.P1!.documentId, JSON.stringify(g2));
    assert.match(alsoTook!.message, /Learners who took “Python basics” also took this/);
  });

  it('in zh-Hans: Chinese titles where the course has them, English otherwise, Chinese reasons', async () => {
    const res = await list(`/api/recommendations/courses/${courses.P1!.documentId}/similar?limit=10&locale=zh-Hans`);
    assert.equal(res.meta.locale, 'zh-Hans');
    const p2 = res.data.find((i) => i.documentId === courses.P2!.documentId);
    assert.equal(p2?.title, 'Python 数据分析');
    assert.equal(p2?.locale, 'zh-Hans');
    assert.equal(p2?.summary, '学习Python 数据分析');
    const p3 = res.data.find((i) => i.documentId === courses.P3!.documentId);
    assert.equal(p3?.locale, 'en');
    assert.equal(p3?.title, 'Advanced Python patterns');
    const shared = p2?.reasons.find((r) => r.type === 'shared-terms');
    assert.match(shared?.message ?? '', /与本课程同样涉及/);
    assert.ok(shared?.terms?.some((t) => t.label === 'Python 编程'), JSON.stringify(shared));
    const alsoTook = res.data.flatMap((i) => i.reasons).find((r) => r.type === 'also-took');
    assert.match(alsoTook?.message ?? '', /学过《Python 基础》的学员也学了这门课/);
  });

  it('of a Chinese-titled course, in both locales', async () => {
    const en = await list(`/api/recommendations/courses/${courses.G1!.documentId}/similar?limit=3&locale=en`);
    const zh = await list(`/api/recommendations/courses/${courses.G1!.documentId}/similar?limit=3&locale=zh-Hans`);
    assert.deepEqual(ids(en), ids(zh), 'the same courses, localized');
    assert.ok(ids(en).some((id) => hasTag(id, 'design')));
    const w2zh = zh.data.find((i) => i.documentId === courses.W2!.documentId);
    if (w2zh) assert.equal(w2zh.title, 'CSS 布局');
  });

  it('of a draft or unknown course → 404', async () => {
    for (const id of [courses.DRAFT!.documentId, 'doesnotexist123']) {
      const res = await get(`/api/recommendations/courses/${id}/similar`);
      assert.equal(res.status, 404, id);
      assert.match(res.body.error.message, /No published course/);
    }
  });
});

describe('index lifecycle through the Document Service', () => {
  it('unpublish takes a course out of every list; publishing brings it back', async () => {
    const p3 = courses.P3!.documentId;
    await app.strapi.documents('api::course.course').unpublish({ documentId: p3, locale: '*' });
    await recommender(app).settled();
    assert.ok(!ids(await list('/api/recommendations?limit=50')).includes(p3));
    assert.ok(!ids(await list(`/api/recommendations/courses/${courses.P1!.documentId}/similar?limit=50`)).includes(p3));
    assert.equal((await get(`/api/recommendations/courses/${p3}/similar`)).status, 404);
    await app.strapi.documents('api::course.course').publish({ documentId: p3, locale: '*' });
    await recommender(app).settled();
    assert.ok(ids(await list('/api/recommendations?limit=50')).includes(p3));
  });

  it('a newly published course is recommended at once', async () => {
    const created = await createCourse(app, { title: 'Python testing with pytest', summary: 'Learn python testing.', chapters: 1 });
    courses.NEW = created;
    tagOf.NEW = [];
    await recommender(app).settled();
    const res = await list(`/api/recommendations/courses/${courses.P1!.documentId}/similar?limit=50`);
    assert.ok(ids(res).includes(created.documentId));
  });

  it('a publish inside a caller’s transaction is indexed after its commit; a rolled-back one never', async () => {
    const { strapi } = app;
    const committed = await createCourse(app, { title: 'Committed later', chapters: 1, publish: false });
    const rolledBack = await createCourse(app, { title: 'Rolled back', chapters: 1, publish: false });
    await strapi.db.transaction(async () => {
      await strapi.documents('api::course.course').publish({ documentId: committed.documentId, locale: 'en' });
    });
    await assert.rejects(
      strapi.db.transaction(async () => {
        await strapi.documents('api::course.course').publish({ documentId: rolledBack.documentId, locale: 'en' });
        throw new Error('abort');
      }),
      /abort/,
    );
    await recommender(app).settled();
    const all = ids(await list('/api/recommendations?limit=50'));
    assert.ok(all.includes(committed.documentId), 'the committed publish is missing');
    assert.ok(!all.includes(rolledBack.documentId), 'a rolled-back publish was indexed');
    // Out again, so that the counts below stay those of the fixture catalogue.
    await strapi.documents('api::course.course').delete({ documentId: committed.documentId, locale: '*' });
    await strapi.documents('api::course.course').delete({ documentId: rolledBack.documentId, locale: '*' });
    await recommender(app).settled();
    assert.ok(!ids(await list('/api/recommendations?limit=50')).includes(committed.documentId));
  });

  it('re-reading written courses yields to writers: no queueing for a connection while the pool is taken, caught up after', async () => {
    const pool = (app.strapi.db.connection as unknown as { client: { pool: Pool } }).client.pool;
    interface Pool {
      max: number;
      numUsed(): number;
      numPendingAcquires(): number;
      acquire(): { promise: Promise<unknown> };
      release(c: unknown): boolean;
    }
    const written = await createCourse(app, { title: 'Written during a bulk load', summary: 'Learn python bulk loading.', chapters: 1, publish: false });
    await recommender(app).settled();
    // Every connection opened once beforehand, so that taking them all below is immediate.
    const warm: unknown[] = [];
    while (warm.length < pool.max) warm.push(await pool.acquire().promise);
    for (const c of warm) pool.release(c);
    try {
      await app.strapi.documents('api::course.course').publish({ documentId: written.documentId, locale: 'en' });
      // At once, as a bulk writer would: every connection of the pool taken (SQLite has one).
      const held: unknown[] = [];
      while (held.length < pool.max) held.push(await pool.acquire().promise);
      try {
        await new Promise((r) => setTimeout(r, 700));
        assert.equal(pool.numPendingAcquires(), 0, 'the index queued for a connection while writers held the pool');
        assert.equal(recommender(app).index.card(written.documentId), undefined, 'not re-read yet: the pool is taken');
      } finally {
        for (const c of held) pool.release(c);
      }
      await recommender(app).settled();
      assert.ok(recommender(app).index.card(written.documentId), 'caught up once the pool was free');
      assert.ok(ids(await list('/api/recommendations?limit=50')).includes(written.documentId));
    } finally {
      await app.strapi.documents('api::course.course').delete({ documentId: written.documentId, locale: '*' });
      await recommender(app).settled();
    }
  });

  it('publishing the draft makes it appear; deleting a course removes it', async () => {
    const draft = courses.DRAFT!.documentId;
    await app.strapi.documents('api::course.course').publish({ documentId: draft, locale: 'en' });
    await recommender(app).settled();
    assert.ok(ids(await list('/api/recommendations?limit=50')).includes(draft));
    await app.strapi.documents('api::course.course').delete({ documentId: draft, locale: '*' });
    await recommender(app).settled();
    assert.ok(!ids(await list('/api/recommendations?limit=50')).includes(draft));
    assert.equal((await get(`/api/recommendations/courses/${draft}/similar`)).status, 404);
  });
});

describe('POST /api/recommendations/events', () => {
  it('records a view and a like for a logged-in learner', async () => {
    const u = await createUser(app);
    for (const kind of ['view', 'like']) {
      const res = await app.http().post('/api/recommendations/events').set('Authorization', u.auth).send({ courseDocumentId: courses.W1!.documentId, kind });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      eventsRoute.response.parse(res.body);
      assert.equal(res.body.data.kind, kind);
    }
    const rows = (await app.strapi.db.query('plugin::recommender.interaction').findMany({
      where: { user: { id: u.id } },
      orderBy: { id: 'asc' },
    })) as Array<{ courseDocumentId: string; kind: string }>;
    assert.deepEqual(
      rows.map((r) => ({ courseDocumentId: r.courseDocumentId, kind: r.kind })),
      [
      { courseDocumentId: courses.W1!.documentId, kind: 'view' },
        { courseDocumentId: courses.W1!.documentId, kind: 'like' },
      ],
    );
    // …and it shapes their list: the liked course's neighbours, the liked course itself allowed.
    const res = await list('/api/recommendations?limit=3', u);
    assert.equal(res.meta.kind, 'personal');
  });

  it('a like is a toggle with state: one row however often it is sent, its state read back, DELETE takes it back (idempotent), another learner untouched', async () => {
    const [u, other] = [await createUser(app), await createUser(app)];
    const course = courses.P2!.documentId;
    const likeRows = (userId: number) =>
      app.strapi.db.query('plugin::recommender.interaction').count({ where: { user: { id: userId }, courseDocumentId: course, kind: 'like' } });
    const state = async (who: TestUser) => {
      const res = await app.http().get(`/api/recommendations/likes/${course}`).set('Authorization', who.auth);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      likeStateRoute.response.parse(res.body);
      return res.body.data.liked as boolean;
    };
    assert.equal(await state(u), false);
    const first = await app.http().post('/api/recommendations/events').set('Authorization', u.auth).send({ courseDocumentId: course, kind: 'like' });
    const again = await app.http().post('/api/recommendations/events').set('Authorization', u.auth).send({ courseDocumentId: course, kind: 'like' });
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.equal(again.body.data.at, first.body.data.at, 'liking again answers the like that is stored');
    await app.http().post('/api/recommendations/events').set('Authorization', other.auth).send({ courseDocumentId: course, kind: 'like' }).expect(201);
    assert.equal(await likeRows(u.id), 1, 'one row per learner, course and kind like');
    assert.equal(await state(u), true);
    for (let i = 0; i < 2; i++) {
      const del = await app.http().delete(`/api/recommendations/likes/${course}`).set('Authorization', u.auth);
      assert.equal(del.status, 200, JSON.stringify(del.body));
      unlikeRoute.response.parse(del.body);
      assert.deepEqual(del.body.data, { courseDocumentId: course, liked: false });
    }
    assert.equal(await likeRows(u.id), 0);
    assert.equal(await state(u), false);
    assert.equal(await state(other), true, "another learner's like stays");
    assert.equal(await likeRows(other.id), 1);
    for (const res of [await app.http().get(`/api/recommendations/likes/${course}`), await app.http().delete(`/api/recommendations/likes/${course}`)]) {
      assert.ok(res.status === 401 || res.status === 403, String(res.status));
    }
    assert.equal(await likeRows(other.id), 1);
  });

  it('refuses anonymous callers', async () => {
    const res = await app.http().post('/api/recommendations/events').send({ courseDocumentId: courses.W1!.documentId, kind: 'view' });
    assert.ok(res.status === 401 || res.status === 403, String(res.status));
  });

  it('bad bodies → 400 with a message, nothing written', async () => {
    const u = await createUser(app);
    const cases: Array<[unknown, RegExp]> = [
      [{ courseDocumentId: courses.W1!.documentId, kind: 'purchase' }, /^Invalid body: kind: must be "view" or "like"$/],
      [{ courseDocumentId: courses.W1!.documentId }, /kind: must be "view" or "like"/],
      [{ kind: 'view' }, /courseDocumentId: must be a documentId/],
      [{ courseDocumentId: 'x y', kind: 'view' }, /courseDocumentId: must be a documentId \(letters, digits/],
      [{ courseDocumentId: courses.W1!.documentId, kind: 'view', userId: 1 }, /Unrecognized key: "userId"/],
    ];
    for (const [body, message] of cases) {
      const res = await app.http().post('/api/recommendations/events').set('Authorization', u.auth).send(body as object);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.body.error.message, message);
    }
    const count = await app.strapi.db.query('plugin::recommender.interaction').count({ where: { user: { id: u.id } } });
    assert.equal(count, 0);
  });

  it('record() (what checkout and learning call) refuses bad input with a ValidationError, writing nothing', async () => {
    const u = await createUser(app);
    const { interactions } = recommender(app);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ userId: u.id, courseDocumentId: courses.W1!.documentId, kind: 'bogus' }, /^Invalid interaction: kind: /],
      [{ userId: u.id, courseDocumentId: 'x y', kind: 'view' }, /^Invalid interaction: courseDocumentId: must be a documentId/],
      [{ userId: 0, courseDocumentId: courses.W1!.documentId, kind: 'view' }, /userId: /],
      [{ userId: u.id, courseDocumentId: courses.W1!.documentId, kind: 'progress', weight: 11 }, /weight: /],
      [{ userId: u.id, courseDocumentId: courses.W1!.documentId, kind: 'view', at: new Date('nope') }, /at: /],
      [{ userId: u.id, courseDocumentId: courses.W1!.documentId, kind: 'rate' }, /value: is required with kind rate/],
      [{ userId: u.id, courseDocumentId: courses.W1!.documentId, kind: 'view', value: 4 }, /value: is required with kind rate \(the stars, 1–5\), and only there/],
      [{ userId: u.id, courseDocumentId: courses.W1!.documentId, kind: 'rate', value: 6 }, /value: /],
      [{ userId: u.id, courseDocumentId: courses.W1!.documentId, kind: 'rate', value: 4.5 }, /value: /],
    ];
    for (const [input, message] of cases) {
      await assert.rejects(interactions.record(input as never), (e: Error) => e.name === 'ValidationError' && message.test(e.message), JSON.stringify(input));
    }
    assert.equal(await app.strapi.db.query('plugin::recommender.interaction').count({ where: { user: { id: u.id } } }), 0);
  });

  it('an unpublished or unknown course → 404', async () => {
    const u = await createUser(app);
    const res = await app.http().post('/api/recommendations/events').set('Authorization', u.auth).send({ courseDocumentId: 'nosuchcourse', kind: 'view' });
    assert.equal(res.status, 404);
  });

  it('is rate-limited per learner (429 with Retry-After)', async () => {
    const u = await createUser(app);
    const other = await createUser(app);
    const send = (user: TestUser) =>
      app.http().post('/api/recommendations/events').set('Authorization', user.auth).send({ courseDocumentId: courses.G1!.documentId, kind: 'view' });
    for (let i = 0; i < 5; i++) assert.equal((await send(u)).status, 201);
    const limited = await send(u);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal((await send(other)).status, 201, 'another learner is not limited');
  });
});

describe('bad query parameters → 400 with a message', () => {
  const cases: Array<[string, RegExp]> = [
    ['/api/recommendations?limit=0', /^Invalid query: limit: must be at least 1$/],
    ['/api/recommendations?limit=51', /limit: must be at most 50/],
    ['/api/recommendations?limit=ten', /limit: must be a number/],
    ['/api/recommendations?limit=2.5', /limit: must be a whole number/],
    ['/api/recommendations?limit=-3', /limit: must be at least 1/],
    ['/api/recommendations?limit=1&limit=2', /limit: must be a number/],
    ['/api/recommendations?locale=fr', /locale "fr" is not one of en, zh-Hans/],
    ['/api/recommendations?locale=<script>', /locale: must be a locale code/],
    ['/api/recommendations?populate=*', /Unrecognized key: "populate"/],
    ['/api/recommendations?limit=3&fields=title', /Unrecognized key: "fields"/],
    ['/api/recommendations/courses/bad!id/similar', /^Invalid path parameters: documentId: must be a documentId/],
    [`/api/recommendations/courses/doesnotexist123/similar?limit=0`, /limit: must be at least 1/],
  ];
  for (const [path, message] of cases) {
    it(path, async () => {
      const res = await get(path);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      errorResponseSchema.parse(res.body);
      assert.match(res.body.error.message, message);
    });
  }
  it('the same for a logged-in learner', async () => {
    const res = await get('/api/recommendations?limit=0', await createUser(app));
    assert.equal(res.status, 400);
  });
  it('status=draft is refused by the platform’s draft guard', async () => {
    assert.equal((await get('/api/recommendations?status=draft')).status, 403);
  });
});

describe('admin: index status and rebuild', () => {
  it('a super admin reads the status and rebuilds, following progress to ready', async () => {
    const admin = await createAdmin(app);
    const status = await app.http().get('/recommender/index').set('Authorization', admin.auth);
    assert.equal(status.status, 200, JSON.stringify(status.body));
    statusRoute.response.parse(status.body);
    assert.equal(status.body.data.state, 'ready');
    assert.equal(status.body.data.courses, 11); // ten published + the one published during the suite
    assert.ok(status.body.data.memoryBytes > 0);
    const rebuild = await app.http().post('/recommender/index/rebuild').set('Authorization', admin.auth);
    assert.equal(rebuild.status, 202);
    rebuildRoute.response.parse(rebuild.body);
    assert.equal(rebuild.body.data.started, true);
    assert.equal(rebuild.body.data.status.state, 'building');
    await recommender(app).settled();
    const after = await app.http().get('/recommender/index').set('Authorization', admin.auth);
    statusRoute.response.parse(after.body);
    assert.equal(after.body.data.state, 'ready');
    assert.equal(after.body.data.progress, 1);
    assert.match(after.body.data.trigger, /^admin:/);
    assert.equal(after.body.data.courses, 11);
    assert.ok(after.body.data.durationMs >= 0);
  });

  it('an editor may rebuild (granted on first boot)', async () => {
    const editor = await createAdmin(app, 'strapi-editor');
    const res = await app.http().post('/recommender/index/rebuild').set('Authorization', editor.auth);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await recommender(app).settled();
  });

  it('an author may not; nobody without an admin token may', async () => {
    const author = await createAdmin(app, 'strapi-author');
    assert.equal((await app.http().post('/recommender/index/rebuild').set('Authorization', author.auth)).status, 403);
    assert.equal((await app.http().get('/recommender/index').set('Authorization', author.auth)).status, 403);
    assert.equal((await app.http().post('/recommender/index/rebuild')).status, 401);
    const learner = await createUser(app);
    assert.equal((await app.http().post('/recommender/index/rebuild').set('Authorization', learner.auth)).status, 401);
  });

  it('lists still answer after a rebuild, the same courses', async () => {
    const res = await list('/api/recommendations?limit=50');
    assert.equal(res.data.length, 11);
  });
});

describe('documented routes: every example answers its status, every body matches its schema', () => {
  const specs: RouteSpec[] = [healthRoute, findRoute, similarRoute, eventsRoute, likeStateRoute, unlikeRoute, statusRoute, rebuildRoute];
  const adminSpecs = new Set<RouteSpec>([statusRoute, rebuildRoute]);
  let users: Record<'learner' | 'instructor', TestUser>;
  let tokens: Record<string, string>;
  before(async () => {
    users = { learner: await createUser(app), instructor: await createUser(app, { role: 'instructor' }) };
    const draft = await createCourse(app, { title: 'An unfinished draft', chapters: 1, publish: false });
    tokens = { $course: courses.P1!.documentId, $draftCourse: draft.documentId };
  });
  const resolve = (value: string) => {
    if (!value.startsWith('$')) return value;
    const resolved = tokens[value];
    assert.ok(resolved, `no fixture for ${value}`);
    return resolved;
  };
  for (const spec of specs) {
    for (const example of spec.examples ?? []) {
      it(`${spec.method} ${spec.path}: ${example.name} → ${example.status}`, async () => {
        const prefix = adminSpecs.has(spec) ? '/recommender' : spec.config?.prefix === '' ? '/api' : '/api/recommender';
        const path = prefix + spec.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(resolve(example.params?.[name] ?? `:${name}`)));
        const query = Object.fromEntries(Object.entries(example.query ?? {}).map(([k, v]) => [k, resolve(v)]));
        const body = example.body === undefined ? undefined : JSON.parse(JSON.stringify(example.body), (_k, v: unknown) => (typeof v === 'string' ? resolve(v) : v));
        let req = spec.method === 'POST' ? app.http().post(path) : app.http().get(path);
        req = req.query(query);
        if (example.as && example.as !== 'anonymous') req = req.set('Authorization', users[example.as].auth);
        const res = await (body === undefined ? req : req.send(body as object));
        assert.equal(res.status, example.status, JSON.stringify(res.body));
        const documented = res.status === (spec.status ?? 200);
        if (documented) spec.response.parse(res.body);
        else {
          assert.ok(String(example.status) in (spec.errors ?? {}), `${example.status} is not among the documented errors`);
          errorResponseSchema.parse(res.body);
        }
      });
    }
  }
});
