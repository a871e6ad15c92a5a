/**
 * learning: progress over REST, completion certificates (issue, verify, PDF, revoke) and the
 * recommender signals, driven over HTTP against a real Strapi on SQLite or PostgreSQL (TEST_DB).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bootApp, type TestApp } from '../support/strapi';
import { createAdmin, createCourse, createInstructor, createUser, type BuiltCourse, type TestAdmin, type TestUser } from '../support/builders';
import { PROGRESS_UID } from '@kp/platform';
import {
  countQueries,
  grantCourse,
  inspectPdf,
  learningRoute,
  learningRoutes,
  replaceInteractions,
  runExample,
  schemaProblems,
  type RecordedInteraction,
} from '../support/learning-helpers';

const CERTIFICATE_UID = 'plugin::learning.certificate';
const CM = '/content-manager/collection-types';

let app: TestApp;
let admin: TestAdmin;

before(async () => {
  app = await bootApp();
  admin = await createAdmin(app);
});
after(async () => {
  await app?.close();
});

const post = (user: TestUser | null, body: unknown, query = '') => {
  const req = app.http().post(`/api/progress${query}`).send(body as object);
  return user ? req.set('Authorization', user.auth) : req;
};
const get = (user: TestUser | null, path: string) => {
  const req = app.http().get(path);
  return user ? req.set('Authorization', user.auth) : req;
};
const progressRows = (userId: number) => app.strapi.db.query(PROGRESS_UID).findMany({ where: { user: { id: userId } } });
const certificateRows = (userId: number) => app.strapi.db.query(CERTIFICATE_UID).findMany({ where: { learner: { id: userId } } });

/** A paid course: chapter 1 is a preview, chapter 5 optional. */
async function paidCourse(extra: Parameters<typeof createCourse>[1] = {}): Promise<BuiltCourse> {
  const instructor = await createInstructor(app, 'Grace Hopper');
  if (extra.zh) {
    // Instructor profiles are localized: a zh-Hans course links the zh-Hans version of its instructor.
    await app.strapi.documents('api::instructor.instructor').update({
      documentId: instructor.instructorDocumentId,
      locale: 'zh-Hans',
      data: { name: 'Grace Hopper', slug: instructor.username } as never,
    });
  }
  return createCourse(app, {
    instructor: instructor.instructorDocumentId,
    chapters: [{ isPreview: true }, {}, {}, {}, { optional: true }],
    ...extra,
  });
}

describe('POST /api/progress: input and access', () => {
  let course: BuiltCourse;
  let learner: TestUser;
  before(async () => {
    course = await paidCourse();
    learner = await createUser(app);
  });

  test('anonymous callers are refused', async () => {
    const res = await post(null, { chapter: course.chapters[0]!.documentId, completed: true });
    assert.ok(res.status === 401 || res.status === 403, `status ${res.status}`);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['missing chapter', { completed: true }, /chapter/],
    ['completed not a boolean', { chapter: 'abc', completed: 'yes' }, /completed: must be true or false/],
    ['negative position', { chapter: 'abc', position: -1 }, /position/],
    ['fractional position', { chapter: 'abc', position: 1.5 }, /position/],
    ['neither completed nor position', { chapter: 'abc' }, /completed.*position/],
    ['unknown field (no user from the client)', { chapter: 'abc', completed: true, user: 1 }, /Unrecognized key/],
    ['chapter with odd characters', { chapter: '../etc', completed: true }, /chapter/],
    ['an array', [1, 2], /JSON object/],
    ['unknown locale', { chapter: 'abc', completed: true, locale: 'xx' }, /locale/],
  ];
  for (const [name, body, message] of bad) {
    test(`400 on ${name}`, async () => {
      const res = await post(learner, body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(res.body.error.message, message);
      assert.equal((await progressRows(learner.id)).length, 0, 'no partial write');
    });
  }

  test('404 on an unknown chapter, and on a draft one', async () => {
    assert.equal((await post(learner, { chapter: 'doesnotexist0000000000000', completed: true })).status, 404);
    const draft = await createCourse(app, { chapters: 1, publish: false });
    const res = await post(learner, { chapter: draft.chapters[0]!.documentId, completed: true });
    assert.equal(res.status, 404);
  });

  test('a locked chapter → 403 and nothing stored', async () => {
    const res = await post(learner, { chapter: course.chapters[1]!.documentId, completed: true });
    assert.equal(res.status, 403);
    assert.match(res.body.error.message, /locked/);
    assert.equal((await progressRows(learner.id)).length, 0);
  });

  test('a preview chapter is allowed without an entitlement; the user comes from the token', async () => {
    const res = await post(learner, { data: { chapter: course.chapters[0]!.documentId, completed: true, position: 120 } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.data.completed, true);
    assert.equal(res.body.data.position, 120);
    assert.equal(res.body.data.course, course.documentId);
    assert.equal(res.body.meta.course.percentage, 25); // 1 of 4 required chapters
    assert.equal(res.body.meta.certificate, null);
    assert.equal(schemaProblems(learningRoute('progress.record').response, res.body), '');
    const rows = await progressRows(learner.id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].uniqueKey, `${learner.id}:${course.chapters[0]!.documentId}`);
  });

  test('the core progress routes are closed to learners and the public', async () => {
    assert.equal((await get(learner, '/api/progresses')).status, 403);
    assert.equal((await get(null, '/api/progresses')).status, 403);
    const res = await app.http().post('/api/progresses').set('Authorization', learner.auth).send({ data: { chapterDocumentId: 'x', courseDocumentId: 'y', uniqueKey: 'z' } });
    assert.equal(res.status, 403);
  });
});

describe('one row per (learner, chapter)', () => {
  test('repeating a completion is idempotent: one row, the first completion date', async () => {
    const course = await createCourse(app, { access: 'free', chapters: 3 });
    const learner = await createUser(app);
    const chapter = course.chapters[1]!.documentId;
    const first = await post(learner, { chapter, completed: true });
    const second = await post(learner, { chapter, completed: true });
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(second.body.data.completedAt, first.body.data.completedAt);
    assert.equal((await progressRows(learner.id)).length, 1);

    const position = await post(learner, { chapter, position: 42 });
    assert.equal(position.body.data.completed, true, 'a position report leaves completion alone');
    const cleared = await post(learner, { chapter, completed: false });
    assert.equal(cleared.body.data.completed, false);
    assert.equal(cleared.body.data.position, 42);
    assert.equal((await progressRows(learner.id)).length, 1);
  });

  test('concurrent first reports leave one row', async () => {
    const course = await createCourse(app, { access: 'free', chapters: 2 });
    for (let round = 0; round < 3; round++) {
      const learner = await createUser(app);
      const chapter = course.chapters[round % 2]!.documentId;
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => post(learner, { chapter, completed: i % 2 === 0 ? true : undefined, position: i }))
      );
      for (const r of results) assert.equal(r.status, 200, JSON.stringify(r.body));
      const rows = await progressRows(learner.id);
      assert.equal(rows.length, 1, `round ${round}: ${rows.length} rows`);
      assert.ok(rows[0].completedAt, 'the completion of one of the reports stands');
    }
  });
});

describe('reading progress', () => {
  let course: BuiltCourse;
  let reader: TestUser;
  let stranger: TestUser;
  before(async () => {
    course = await paidCourse({ zh: { title: '深入理解分布式系统', chapterTitle: (i) => `第${i + 1}章` } });
    reader = await createUser(app);
    stranger = await createUser(app);
    await grantCourse(app, reader.id, course.documentId);
    await post(reader, { chapter: course.chapters[0]!.documentId, completed: true });
    await post(reader, { chapter: course.chapters[2]!.documentId, position: 300 });
  });

  test('GET /api/progress/courses/:documentId: per chapter state, percentage, next chapter', async () => {
    const res = await get(reader, `/api/progress/courses/${course.documentId}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const view = res.body.data;
    assert.equal(view.percentage, 25);
    assert.equal(view.complete, false);
    assert.equal(view.requiredChapters, 4);
    assert.equal(view.totalChapters, 5);
    assert.equal(view.chapters.length, 5);
    assert.deepEqual(
      view.chapters.map((c: { completed: boolean; readingPosition: number | null }) => [c.completed, c.readingPosition]),
      [[true, null], [false, null], [false, 300], [false, null], [false, null]]
    );
    assert.equal(view.chapters[4].optional, true);
    assert.equal(view.nextChapter.documentId, course.chapters[2]!.documentId, 'resume the chapter in progress');
    assert.equal(view.course.title, course.title);
    assert.ok(!JSON.stringify(view).includes('SECRET-'), 'no gated body in a progress view');
    assert.equal(schemaProblems(learningRoute('progress.course').response, res.body), '');
  });

  test('"continue learning" follows the chapter touched last, re-reads included (updatedAt moves)', async () => {
    const learner = await createUser(app);
    await grantCourse(app, learner.id, course.documentId);
    const [c1, , c3] = course.chapters;
    const pause = () => new Promise((r) => setTimeout(r, 25));
    const r3 = await post(learner, { chapter: c3!.documentId, position: 120 });
    await pause();
    const r1 = await post(learner, { chapter: c1!.documentId, position: 10 });
    await pause();
    const again = await post(learner, { chapter: c3!.documentId, position: 120 }); // the same report: only the activity is new
    for (const r of [r3, r1, again]) assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(Date.parse(again.body.data.updatedAt) > Date.parse(r3.body.data.updatedAt), 'the re-read moved updatedAt');
    const view = (await get(learner, `/api/progress/courses/${course.documentId}`)).body.data;
    assert.equal(view.nextChapter.documentId, c3!.documentId, 'resume at chapter 3, read last');
    const rows = await progressRows(learner.id);
    const byChapter = new Map(rows.map((r: { chapterDocumentId: string; updatedAt: string }) => [r.chapterDocumentId, Date.parse(r.updatedAt)]));
    assert.ok(byChapter.get(c3!.documentId)! > byChapter.get(c1!.documentId)!, 'the stored row of chapter 3 is the most recent');
    const me = (await get(learner, '/api/progress/me')).body.data;
    const entry = me.find((e: { course: { documentId: string } }) => e.course.documentId === course.documentId);
    assert.equal(Date.parse(entry.lastActivityAt), Date.parse(again.body.data.updatedAt), 'last activity is the re-read');
    // A completion after a position report updates the time as well (the updateMany path).
    await pause();
    const done = await post(learner, { chapter: c1!.documentId, completed: true });
    assert.ok(Date.parse(done.body.data.updatedAt) > Date.parse(again.body.data.updatedAt));
    assert.equal((await get(learner, `/api/progress/courses/${course.documentId}`)).body.data.nextChapter.documentId, course.chapters[1]!.documentId);
  });

  test('completed: false on a chapter never opened stores nothing, and the course is not "in progress"', async () => {
    const learner = await createUser(app);
    await grantCourse(app, learner.id, course.documentId);
    const res = await post(learner, { chapter: course.chapters[1]!.documentId, completed: false });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.data.completed, false);
    assert.equal(res.body.data.updatedAt, null, 'nothing is stored');
    assert.equal(schemaProblems(learningRoute('progress.record').response, res.body), '');
    assert.deepEqual(await progressRows(learner.id), []);
    const me = (await get(learner, '/api/progress/me')).body.data;
    assert.equal(me.length, 0, 'no course under "continue learning"');
  });

  test('titles follow the learner locale (query or Accept-Language)', async () => {
    const byQuery = await get(reader, `/api/progress/courses/${course.documentId}?locale=zh-Hans`);
    assert.equal(byQuery.body.data.course.title, '深入理解分布式系统');
    assert.equal(byQuery.body.data.chapters[0].title, '第1章');
    const byHeader = await get(reader, `/api/progress/courses/${course.documentId}`).set('Accept-Language', 'zh-CN,zh;q=0.9');
    assert.equal(byHeader.body.data.course.title, '深入理解分布式系统');
    assert.equal((await get(reader, `/api/progress/courses/${course.documentId}?locale=klingon`)).status, 400);
  });

  test('another learner never sees this progress', async () => {
    const res = await get(stranger, `/api/progress/courses/${course.documentId}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.data.percentage, 0);
    assert.ok(res.body.data.chapters.every((c: { completed: boolean; readingPosition: unknown }) => !c.completed && c.readingPosition === null));
    const me = await get(stranger, '/api/progress/me');
    assert.deepEqual(me.body.data, []);
    // The stranger cannot write it either: chapter 2 is locked for them, and their own row would be theirs.
    assert.equal((await post(stranger, { chapter: course.chapters[2]!.documentId, completed: false })).status, 403);
    const again = await get(reader, `/api/progress/courses/${course.documentId}`);
    assert.equal(again.body.data.chapters[2].readingPosition, 300);
  });

  test('404 for an unknown course, 400 for a malformed id, 401/403 without a token', async () => {
    assert.equal((await get(reader, '/api/progress/courses/nope0000000000000000000')).status, 404);
    assert.equal((await get(reader, '/api/progress/courses/bad%20id')).status, 400);
    const anon = await get(null, `/api/progress/courses/${course.documentId}`);
    assert.ok(anon.status === 401 || anon.status === 403);
  });

  test('GET /api/progress/me: started courses, most recent first, in a constant number of queries', async () => {
    const learner = await createUser(app);
    const courses = await Promise.all([1, 2, 3].map(() => createCourse(app, { access: 'free', chapters: 3 })));
    await post(learner, { chapter: courses[0]!.chapters[0]!.documentId, completed: true });
    const one = await countQueries(app, () => get(learner, '/api/progress/me'));
    assert.equal(one.result.status, 200);
    assert.equal(one.result.body.data.length, 1);
    assert.ok(one.queries >= 5, `the request's own statements are counted (${one.queries})`);

    for (const c of courses.slice(1)) {
      await post(learner, { chapter: c.chapters[0]!.documentId, completed: true });
      await post(learner, { chapter: c.chapters[1]!.documentId, completed: true });
    }
    const three = await countQueries(app, () => get(learner, '/api/progress/me'));
    const data = three.result.body.data;
    assert.equal(data.length, 3);
    assert.equal(three.queries, one.queries, `queries grew with courses: ${one.queries} → ${three.queries}\n${three.sql.join('\n')}`);
    assert.ok(three.queries <= 16, `${three.queries} queries`);
    assert.equal(data[0].course.documentId, courses[2]!.documentId, 'most recent activity first');
    assert.equal(data[0].percentage, 66);
    assert.equal(data[0].nextChapter.documentId, courses[2]!.chapters[2]!.documentId);
    assert.ok(data[0].lastActivityAt);
    assert.equal(data[2].percentage, 33);
    assert.equal(schemaProblems(learningRoute('progress.me').response, three.result.body), '');
  });
});

describe('completion and certificates', () => {
  let course: BuiltCourse;
  let learner: TestUser;
  let code: string;
  let interactions: RecordedInteraction[];
  let restore: () => void;

  before(async () => {
    course = await paidCourse({ title: 'Distributed Systems in Practice' });
    learner = await createUser(app);
    // Some frontends register with username = e-mail address: such a name never goes on a certificate whole.
    await app.strapi.db.query('plugin::users-permissions.user').update({ where: { id: learner.id }, data: { username: learner.email } });
    await grantCourse(app, learner.id, course.documentId);
    interactions = [];
    restore = replaceInteractions(app, async (input) => {
      interactions.push(input);
    });
  });
  after(() => restore());

  test('the last two chapters completed concurrently issue exactly one certificate', async () => {
    for (const chapter of course.chapters.slice(0, 2)) {
      const res = await post(learner, { chapter: chapter.documentId, completed: true });
      assert.equal(res.body.meta.certificate, null);
    }
    const [a, b] = await Promise.all([
      post(learner, { chapter: course.chapters[2]!.documentId, completed: true }),
      post(learner, { chapter: course.chapters[3]!.documentId, completed: true }),
    ]);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.equal(b.status, 200, JSON.stringify(b.body));
    const issued = [a, b].filter((r) => r.body.meta.certificate?.issued === true);
    assert.equal(issued.length, 1, JSON.stringify([a.body.meta, b.body.meta]));
    const rows = await certificateRows(learner.id);
    assert.equal(rows.length, 1);
    code = rows[0].code;
    assert.match(code, /^[A-Za-z0-9_-]{24}$/);
    assert.equal(issued[0]!.body.meta.certificate.code, code);
    for (const r of [a, b]) assert.equal(schemaProblems(learningRoute('progress.record').response, r.body), '');
    assert.equal(rows[0].learnerName, learner.email.split('@')[0], 'never an e-mail on a certificate');
    assert.equal(rows[0].instructorName, 'Grace Hopper');
    assert.equal(rows[0].courseTitle, 'Distributed Systems in Practice');

    // The optional chapter was not needed; completing it or repeating a completion issues nothing new.
    await post(learner, { chapter: course.chapters[4]!.documentId, completed: true });
    await post(learner, { chapter: course.chapters[3]!.documentId, completed: true });
    assert.equal((await certificateRows(learner.id)).length, 1);
  });

  test('the recommender heard one progress per completed chapter and one completion', () => {
    const progress = interactions.filter((i) => i.kind === 'progress');
    const complete = interactions.filter((i) => i.kind === 'complete');
    assert.equal(progress.length, 5);
    assert.equal(complete.length, 1);
    assert.ok(interactions.every((i) => i.userId === learner.id && i.courseDocumentId === course.documentId));
  });

  test('concurrent completions by several learners: one certificate each', async () => {
    const learners = await Promise.all([1, 2, 3].map(() => createUser(app)));
    for (const l of learners) {
      await grantCourse(app, l.id, course.documentId);
      await post(l, { chapter: course.chapters[0]!.documentId, completed: true });
      await post(l, { chapter: course.chapters[1]!.documentId, completed: true });
    }
    await Promise.all(learners.flatMap((l) => course.chapters.slice(2, 4).map((c) => post(l, { chapter: c.documentId, completed: true }))));
    for (const l of learners) assert.equal((await certificateRows(l.id)).length, 1);
  });

  test('GET /api/certificates/me lists the learner’s own only', async () => {
    const mine = await get(learner, '/api/certificates/me');
    assert.equal(mine.status, 200);
    assert.equal(mine.body.data.length, 1);
    assert.equal(mine.body.data[0].code, code);
    assert.equal(mine.body.data[0].status, 'valid');
    const other = await createUser(app);
    assert.deepEqual((await get(other, '/api/certificates/me')).body.data, []);
    const progress = await get(learner, `/api/progress/courses/${course.documentId}`);
    assert.equal(progress.body.data.percentage, 100);
    assert.equal(progress.body.data.certificate.code, code);
    assert.equal(progress.body.data.nextChapter, null);
    assert.equal(schemaProblems(learningRoute('progress.course').response, progress.body), '');
    assert.equal(schemaProblems(learningRoute('certificates.me').response, mine.body), '');
  });

  test('verification works without login and reveals facts only', async () => {
    const res = await get(null, `/api/certificates/${code}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const data = res.body.data;
    assert.equal(data.status, 'valid');
    assert.equal(data.course.title, 'Distributed Systems in Practice');
    assert.equal(data.course.documentId, course.documentId);
    assert.equal(data.instructorName, 'Grace Hopper');
    assert.ok(data.completedAt);
    const json = JSON.stringify(res.body);
    assert.ok(!json.includes('@'), 'no e-mail');
    assert.ok(!json.includes(learner.email));
    assert.ok(!/"(id|userId|learner|user|email|dedupeKey|revokedReason)"/.test(json), json);
    assert.equal(schemaProblems(learningRoute('certificates.verify').response, res.body), '');
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('malformed codes → 400, unknown ones → 404', async () => {
    assert.equal((await get(null, '/api/certificates/short')).status, 400);
    assert.equal((await get(null, `/api/certificates/${'A'.repeat(24)}`)).status, 404);
    assert.equal((await get(null, `/api/certificates/${'A'.repeat(24)}/pdf`)).status, 404);
  });

  test('the PDF is one valid page (English)', async () => {
    const res = await get(null, `/api/certificates/${code}/pdf`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    const pdf = inspectPdf(res.body as Buffer);
    assert.equal(pdf.header, '%PDF-');
    assert.equal(pdf.pages, 1);
    assert.ok(pdf.fonts.includes('Helvetica-Bold'), pdf.fonts.join());
  });
});

describe('a zh-Hans certificate', () => {
  test('title in the learner locale, Chinese glyphs embedded, one page', async () => {
    const course = await paidCourse({ title: 'Data Structures', zh: { title: '数据结构与算法：从入门到精通' } });
    const learner = await createUser(app, { username: `张伟${Date.now().toString(36)}` });
    await grantCourse(app, learner.id, course.documentId);
    for (const c of course.chapters.slice(0, 4)) {
      const res = await post(learner, { chapter: c.documentId, completed: true, locale: 'zh-Hans' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    const [row] = await certificateRows(learner.id);
    assert.ok(row, 'certificate issued');
    assert.equal(row.courseTitle, '数据结构与算法：从入门到精通');
    assert.equal(row.language, 'zh-Hans');

    const verify = await get(null, `/api/certificates/${row.code}`);
    assert.equal(verify.body.data.course.title, '数据结构与算法：从入门到精通');
    assert.equal(verify.body.data.learnerName, learner.username);

    const binary = (path: string) =>
      get(null, path).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    const zh = await binary(`/api/certificates/${row.code}/pdf`);
    assert.equal(zh.status, 200, String(zh.body));
    const facts = inspectPdf(zh.body as Buffer);
    assert.equal(facts.header, '%PDF-');
    assert.equal(facts.pages, 1);
    assert.ok(facts.fonts.some((f) => /NotoSansHans/.test(f)), `CJK font embedded: ${facts.fonts.join()}`);
    assert.ok(facts.size < 400_000, `subset font, ${facts.size} bytes`);

    // The same certificate with English labels: still one page, the Chinese title still embedded.
    const en = await binary(`/api/certificates/${row.code}/pdf?locale=en`);
    assert.equal(en.status, 200);
    assert.equal(inspectPdf(en.body as Buffer).pages, 1);
    assert.equal((await get(null, `/api/certificates/${row.code}/pdf?locale=fr`)).status, 400);
  });
});

describe('editors in the admin panel', () => {
  let course: BuiltCourse;
  let learner: TestUser;
  let certificate: { documentId: string; code: string; learnerName: string };

  before(async () => {
    course = await createCourse(app, { access: 'free', chapters: 2 });
    learner = await createUser(app);
    for (const c of course.chapters) await post(learner, { chapter: c.documentId, completed: true });
    const [row] = await certificateRows(learner.id);
    certificate = row;
  });

  const cm = (method: 'get' | 'put' | 'post' | 'delete', path: string) => app.http()[method](`${CM}/${path}`).set('Authorization', admin.auth);

  test('progress and certificates are listed in the Content Manager', async () => {
    const progress = await cm('get', `${PROGRESS_UID}?filters[courseDocumentId][$eq]=${course.documentId}`);
    assert.equal(progress.status, 200, JSON.stringify(progress.body));
    assert.equal(progress.body.results.length, 2);
    const certs = await cm('get', `${CERTIFICATE_UID}?filters[code][$eq]=${certificate.code}`);
    assert.equal(certs.status, 200);
    assert.equal(certs.body.results.length, 1);
  });

  test('progress is read-only there', async () => {
    const [row] = await progressRows(learner.id);
    const update = await cm('put', `${PROGRESS_UID}/${row.documentId}`).send({ position: 999 });
    assert.equal(update.status, 403, JSON.stringify(update.body));
    const create = await cm('post', PROGRESS_UID).send({ chapterDocumentId: 'x', courseDocumentId: 'y', uniqueKey: 'z' });
    assert.equal(create.status, 403);
    const del = await cm('delete', `${PROGRESS_UID}/${row.documentId}`);
    assert.equal(del.status, 403);
    assert.equal((await progressRows(learner.id)).length, 2);
  });

  test('a certificate is never created or deleted by hand', async () => {
    assert.equal((await cm('post', CERTIFICATE_UID).send({ learnerName: 'Forged', courseTitle: 'x', courseDocumentId: 'x', code: 'x', language: 'en', completedAt: new Date().toISOString() })).status, 403);
    assert.equal((await cm('delete', `${CERTIFICATE_UID}/${certificate.documentId}`)).status, 403);
    assert.equal((await certificateRows(learner.id)).length, 1);
  });

  test('revoking needs a reason; other fields are not editable', async () => {
    const noReason = await cm('put', `${CERTIFICATE_UID}/${certificate.documentId}`).send({ state: 'revoked' });
    assert.equal(noReason.status, 400);
    assert.match(noReason.body.error.message, /reason/);
    const bad = await cm('put', `${CERTIFICATE_UID}/${certificate.documentId}`).send({ state: 'lost' });
    assert.equal(bad.status, 400);
    assert.equal((await get(null, `/api/certificates/${certificate.code}`)).body.data.status, 'valid');
  });

  test('an editor revokes with a reason; verification says so, the PDF is withdrawn', async () => {
    const res = await cm('put', `${CERTIFICATE_UID}/${certificate.documentId}`).send({
      state: 'revoked',
      revokedReason: 'Assessment found to be plagiarised',
      learnerName: 'Someone Else',
      code: 'forged-code',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const verify = await get(null, `/api/certificates/${certificate.code}`);
    assert.equal(verify.status, 200);
    assert.equal(verify.body.data.status, 'revoked');
    assert.ok(verify.body.data.revokedAt);
    assert.equal(verify.body.data.learnerName, certificate.learnerName, 'other fields unchanged');
    assert.ok(!JSON.stringify(verify.body).includes('plagiarised'), 'the reason stays between the editor and the learner');
    assert.equal(schemaProblems(learningRoute('certificates.verify').response, verify.body), '');
    const mine = await get(learner, '/api/certificates/me');
    assert.equal(mine.body.data[0].status, 'revoked');
    assert.equal(mine.body.data[0].revokedReason, 'Assessment found to be plagiarised');
    assert.equal(schemaProblems(learningRoute('certificates.me').response, mine.body), '');
    const pdf = await get(null, `/api/certificates/${certificate.code}/pdf`);
    assert.equal(pdf.status, 410);

    const reinstate = await cm('put', `${CERTIFICATE_UID}/${certificate.documentId}`).send({ state: 'valid' });
    assert.equal(reinstate.status, 400);
    // Completing the course again does not issue a second certificate.
    await post(learner, { chapter: course.chapters[0]!.documentId, completed: false });
    await post(learner, { chapter: course.chapters[0]!.documentId, completed: true });
    const rows = await certificateRows(learner.id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].state, 'revoked');
  });

  test('the Content Manager shows certificate fields read-only except state and reason', async () => {
    const res = await app.http().get(`/content-manager/content-types/${CERTIFICATE_UID}/configuration`).set('Authorization', admin.auth);
    assert.equal(res.status, 200);
    const metadatas = res.body.data.contentType.metadatas as Record<string, { edit: { editable?: boolean } }>;
    assert.equal(metadatas.state!.edit.editable, true);
    assert.equal(metadatas.revokedReason!.edit.editable, true);
    assert.equal(metadatas.learnerName!.edit.editable, false);
    assert.equal(metadatas.code!.edit.editable, false);
  });
});

describe('the recommender never fails a learner write', () => {
  test('a failing recommender: the progress is stored all the same', async () => {
    const course = await createCourse(app, { access: 'free', chapters: 1 });
    const learner = await createUser(app);
    const restore = replaceInteractions(app, async () => {
      throw new Error('recommender down');
    });
    try {
      const res = await post(learner, { chapter: course.chapters[0]!.documentId, completed: true });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.meta.certificate?.issued, 'the one-chapter course is complete: certificate issued');
      assert.equal((await progressRows(learner.id)).length, 1);
    } finally {
      restore();
    }
  });

  test('an absent recommender: the same', async () => {
    const course = await createCourse(app, { access: 'free', chapters: 2 });
    const learner = await createUser(app);
    const restore = replaceInteractions(app, null);
    try {
      const res = await post(learner, { chapter: course.chapters[0]!.documentId, completed: true });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    } finally {
      restore();
    }
  });
});

describe('the routes as documented', () => {
  let learner: TestUser;
  let tokens: Record<string, string>;
  before(async () => {
    const course = await paidCourse({ zh: { title: '深入理解分布式系统', chapterTitle: (i) => `第${i + 1}章` } });
    const free = await createCourse(app, { access: 'free', chapters: 1 });
    const draft = await createCourse(app, { chapters: 1, publish: false });
    learner = await createUser(app);
    const done = await post(learner, { chapter: free.chapters[0]!.documentId, completed: true });
    assert.equal(done.body.meta.certificate?.issued, true, JSON.stringify(done.body));
    tokens = {
      $course: course.documentId,
      $chapter: course.chapters[1]!.documentId,
      $previewChapter: course.chapters[0]!.documentId,
      $freeCourse: free.documentId,
      $draftCourse: draft.documentId,
      $certificate: done.body.meta.certificate.code,
    };
  });

  test('every route has a summary, a response schema, documented errors and examples', () => {
    const routes = learningRoutes();
    assert.deepEqual(routes.map((r) => `${r.spec.method} ${r.fullPath}`).sort(), [
      'GET /api/certificates/:code',
      'GET /api/certificates/:code/pdf',
      'GET /api/certificates/me',
      'GET /api/learning/health',
      'GET /api/progress/courses/:documentId',
      'GET /api/progress/me',
      'POST /api/progress',
    ]);
    for (const { fullPath, spec } of routes) {
      assert.ok(spec.summary.length > 10, fullPath);
      assert.ok((spec.examples ?? []).some((e) => e.status === 200), `${fullPath}: an example that succeeds`);
      if (fullPath !== '/api/learning/health') assert.ok(Object.keys(spec.errors ?? {}).length > 0, `${fullPath}: documented refusals`);
    }
    assert.equal(learningRoute('certificates.pdf').produces, 'application/pdf');
  });

  test('every example answers as documented, and its body matches the schema', async () => {
    const failures: string[] = [];
    for (const route of learningRoutes()) {
      for (const example of route.spec.examples ?? []) {
        const outcome = await runExample(app, route, example, { learner }, tokens);
        for (const problem of outcome.problems) failures.push(`${route.spec.method} ${route.fullPath} "${example.name}": ${problem}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
