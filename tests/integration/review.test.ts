/**
 * Review workflow over HTTP against a booted Strapi (SQLite or PostgreSQL per TEST_DB): instructor
 * authoring through the core REST routes, submission checks, editor decisions in the admin API,
 * publication, the audit trail, and the isolation matrix (other instructors, learners, public).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Test } from 'supertest';
import { bootApp, type TestApp } from '../support/strapi';
import { createAdmin, createInstructor, createUser, type TestAdmin, type TestInstructor, type TestUser } from '../support/builders';
import {
  GOOD_SUMMARY,
  authorCourse,
  createTaxonomy,
  grantReviewPermissions,
  pngBuffer,
  runRouteExamples,
  submitCourse,
  uploadCover,
  watchRouteAnswers,
  type RouteAnswers,
} from '../support/review-fixtures';

let app: TestApp;
let A: TestInstructor;
let B: TestInstructor;
let learner: TestUser;
let superAdmin: TestAdmin;
let editor: TestAdmin;
let author: TestAdmin;
let taxonomy: { tags: string[]; category: string };
let answers: RouteAnswers;
const transitions: Array<{ courseDocumentId: string; action: string; from: string; to: string }> = [];

const COURSE = 'api::course.course';
const CHAPTER = 'api::chapter.chapter';

/** Rows of the tables an attacker could touch, and the draft of a course, to prove "nothing changed". */
async function fingerprint(courseDocumentId?: string) {
  const s = app.strapi;
  const [courses, chapters, submissions, events, files] = await Promise.all([
    s.db.query(COURSE).count({}),
    s.db.query(CHAPTER).count({}),
    s.db.query('plugin::review.submission').count({}),
    s.db.query('plugin::review.review-event').count({}),
    s.db.query('plugin::upload.file').count({}),
  ]);
  const draft = courseDocumentId
    ? await s.db.query(COURSE).findMany({ where: { documentId: courseDocumentId }, select: ['title', 'updatedAt', 'publishedAt', 'locale'], orderBy: { id: 'asc' } })
    : null;
  const submission = courseDocumentId ? await s.db.query('plugin::review.submission').findOne({ where: { courseDocumentId }, select: ['state', 'updatedAt'] }) : null;
  return JSON.stringify({ courses, chapters, submissions, events, files, draft, submission });
}

async function publishedRows(uid: string, documentIds: string[]) {
  return app.strapi.db.query(uid).count({ where: { documentId: { $in: documentIds }, publishedAt: { $notNull: true } } });
}

const api = () => app.http();

before(async () => {
  app = await bootApp();
  answers = watchRouteAnswers(app, 'review');
  app.strapi.eventHub.on('review.transition', async (payload: { courseDocumentId: string; action: string; from: string; to: string }) => {
    transitions.push(payload);
  });
  [A, B] = [await createInstructor(app, 'Ada Author'), await createInstructor(app, 'Bob Other')];
  learner = await createUser(app);
  superAdmin = await createAdmin(app);
  editor = await createAdmin(app, 'strapi-editor');
  author = await createAdmin(app, 'strapi-author');
  taxonomy = await createTaxonomy(app);
});

after(async () => {
  // Uploaded covers are real files under public/uploads: remove them with their rows.
  const upload = app?.strapi.plugin('upload').service('upload');
  const files = app ? await app.strapi.db.query('plugin::upload.file').findMany({ select: ['id'] }) : [];
  for (const f of files) {
    const file = await upload.findOne(f.id);
    if (file) await upload.remove(file).catch(() => undefined);
  }
  await app?.close();
});

describe('instructor authoring over the core REST routes', () => {
  test('creates drafts only: POST ?status=published, PUT ?status=published and publishedAt in the body publish nothing', async () => {
    const res = await api()
      .post('/api/courses?status=published')
      .set('Authorization', A.auth)
      .send({
        data: {
          title: 'Draft-only course',
          slug: `draft-only-${Date.now()}`,
          summary: GOOD_SUMMARY,
          access: 'paid',
          price: 1500,
          currency: 'eur',
          publishedAt: new Date().toISOString(),
          instructor: B.instructorDocumentId, // spoofed owner: replaced by the server
        },
      });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.data.publishedAt, null);
    const id: string = res.body.data.documentId;

    const ch = await api()
      .post('/api/chapters?status=published')
      .set('Authorization', A.auth)
      .send({ data: { title: 'One', position: 1, body: 'SECRET-draft-one', course: id, publishedAt: new Date().toISOString() } });
    assert.equal(ch.status, 201, JSON.stringify(ch.body));
    const chapterId: string = ch.body.data.documentId;

    const put = await api()
      .put(`/api/courses/${id}?status=published`)
      .set('Authorization', A.auth)
      .send({ data: { title: 'Draft-only course, renamed', publishedAt: new Date().toISOString() } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    // A `status` key in the body is refused by Strapi's input validation before anything is written.
    const statusInBody = await api()
      .put(`/api/courses/${id}`)
      .set('Authorization', A.auth)
      .send({ data: { title: 'Published via body?', status: 'published' } });
    assert.equal(statusInBody.status, 400);
    assert.equal(put.body.data.publishedAt, null);
    const putCh = await api()
      .put(`/api/chapters/${chapterId}?status=published`)
      .set('Authorization', A.auth)
      .send({ data: { title: 'One, renamed', publishedAt: new Date().toISOString() } });
    assert.equal(putCh.status, 200, JSON.stringify(putCh.body));

    assert.equal(await publishedRows(COURSE, [id]), 0);
    assert.equal(await publishedRows(CHAPTER, [chapterId]), 0);
    assert.equal((await api().get(`/api/courses/${id}`)).status, 404);
    assert.equal((await api().get(`/api/chapters/${chapterId}`)).status, 404);
    const list = await api().get('/api/courses').query({ filters: { documentId: id } });
    assert.equal(list.body.data.length, 0);
    assert.doesNotMatch(JSON.stringify((await api().get('/api/chapters')).body), /SECRET-draft-one/);

    const owner = await app.strapi.db.query(COURSE).findOne({ where: { documentId: id }, populate: { instructor: { select: ['documentId'] } } });
    assert.equal(owner.instructor.documentId, A.instructorDocumentId, 'owner set on the server');
  });

  test('instructors read their own drafts through /api/review, and the core routes still refuse drafts', async () => {
    const course = await authorCourse(app, A, { complete: false, chapters: 2 });
    const mine = await api().get('/api/review/courses').set('Authorization', A.auth);
    assert.equal(mine.status, 200);
    const entry = mine.body.data.find((c: { documentId: string }) => c.documentId === course.documentId);
    assert.ok(entry, 'listed');
    assert.equal(entry.review.state, 'draft');
    assert.equal(entry.live, false);
    assert.deepEqual(entry.review.actions, ['submit']);

    const detail = await api().get(`/api/review/courses/${course.documentId}`).set('Authorization', A.auth);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.data.title, course.title);
    assert.equal(detail.body.data.chapters.length, 2);
    assert.match(detail.body.data.chapters[0].body, /SECRET-/);

    const viaCore = await api().get(`/api/courses/${course.documentId}?status=draft`).set('Authorization', A.auth);
    assert.equal(viaCore.status, 403);
  });

  test("refuses what instructors may not write: plans, chapters, media by id, a chapter without course, an unknown locale, another course's slug", async () => {
    const course = await authorCourse(app, A, { complete: false, chapters: 1 });
    const other = await authorCourse(app, B, { complete: false, chapters: 1 });
    const before = await fingerprint(course.documentId);
    const cases: Array<[string, string, object, number, RegExp]> = [
      ['put', `/api/courses/${course.documentId}`, { data: { plans: [] } }, 400, /plans/],
      ['put', `/api/courses/${course.documentId}`, { data: { chapters: [] } }, 400, /setting its `course`/],
      ['put', `/api/courses/${course.documentId}`, { data: { cover: 1 } }, 400, /POST \/api\/review\/media/],
      ['post', '/api/chapters', { data: { title: 'Orphan', position: 1 } }, 400, /must belong/],
      ['post', '/api/chapters', { data: { title: 'Bad ref', position: 1, course: 42 } }, 400, /documentId/],
      ['put', `/api/chapters/${course.chapters[0]}`, { data: { course: null } }, 400, /must belong/],
      ['put', `/api/chapters/${course.chapters[0]}`, { data: { video: 1 } }, 400, /media/],
      ['put', '/api/courses/doesnotexist000000000000', { data: { title: 'Nope' } }, 404, /No such course/],
      ['delete', '/api/chapters/doesnotexist000000000000', {}, 404, /No such chapter/],
      ['put', `/api/courses/${course.documentId}?locale=xx`, { data: { title: 'Orphan locale' } }, 400, /Unknown locale "xx": use one of en, zh-Hans/],
      ['post', '/api/chapters?locale=klingon', { data: { title: 'x', position: 1, course: course.documentId } }, 400, /Unknown locale "klingon"/],
      ['post', '/api/courses', { data: { title: 'Copycat course', slug: other.slug } }, 400, new RegExp(`slug "${other.slug}" is already used by another course`)],
      ['put', `/api/courses/${course.documentId}`, { data: { slug: other.slug } }, 400, /already used by another course/],
      // Values publication would refuse, which Strapi stores in a draft: refused at once, naming the field.
      ['put', `/api/courses/${course.documentId}`, { data: { price: -500 } }, 400, /^Invalid course: price must be at least 0 \(it is -500\)\.$/],
      ['post', '/api/courses', { data: { title: 'Negative course', slug: `negative-${Date.now()}`, price: -1 } }, 400, /price must be at least 0/],
      ['put', `/api/chapters/${course.chapters[0]}`, { data: { position: 0 } }, 400, /^Invalid chapter: position must be at least 1 \(it is 0\)\.$/],
      ['post', '/api/chapters', { data: { title: 'Minus three', position: -3, course: course.documentId } }, 400, /position must be at least 1 \(it is -3\)/],
      ['put', `/api/chapters/${course.chapters[0]}`, { data: { duration: -10, position: 2 } }, 400, /duration must be at least 0 \(it is -10\)/],
    ];
    for (const [method, url, body, status, message] of cases) {
      const req = method === 'post' ? api().post(url) : method === 'put' ? api().put(url) : api().delete(url);
      const res = await req.set('Authorization', A.auth).send(body);
      assert.equal(res.status, status, `${method} ${url} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
      assert.match(res.body.error.message, message);
    }
    const bad = await api().put(`/api/chapters/${course.chapters[0]}`).set('Authorization', A.auth).send({ data: { position: 0, duration: -1 } });
    assert.deepEqual(bad.body.error.details.errors.map((e: { path: string[] }) => e.path.join('.')), ['position', 'duration']);
    // An unknown locale gets the same answer on a read as on a write.
    const read = await api().get(`/api/review/courses/${course.documentId}?locale=xx`).set('Authorization', A.auth);
    assert.equal(read.status, 400, JSON.stringify(read.body));
    assert.equal(read.body.error.message, 'Unknown locale "xx": use one of en, zh-Hans.');
    assert.equal(await fingerprint(course.documentId), before);
  });

  test('learners and the public cannot write courses or chapters (403), zero rows changed', async () => {
    const course = await authorCourse(app, A, { complete: false, chapters: 1 });
    const before = await fingerprint(course.documentId);
    for (const auth of [learner.auth, null]) {
      const calls = [
        api().post('/api/courses').send({ data: { title: 'Intruder course', slug: `x-${Date.now()}` } }),
        api().put(`/api/courses/${course.documentId}`).send({ data: { title: 'Hijacked' } }),
        api().delete(`/api/courses/${course.documentId}`),
        api().post('/api/chapters').send({ data: { title: 'x', position: 1, course: course.documentId } }),
        api().put(`/api/chapters/${course.chapters[0]}`).send({ data: { title: 'Hijacked' } }),
        api().delete(`/api/chapters/${course.chapters[0]}`),
      ];
      for (const call of calls) {
        const res = await (auth ? call.set('Authorization', auth) : call);
        assert.equal(res.status, 403, `${auth ? 'learner' : 'public'}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    assert.equal(await fingerprint(course.documentId), before);
  });

  test('the checks refuse what publication would refuse: a draft without slug, a stored chapter position of 0', async () => {
    const course = await authorCourse(app, A, { taxonomy });
    const noSlug = await api().put(`/api/courses/${course.documentId}`).set('Authorization', A.auth).send({ data: { slug: null } });
    assert.equal(noSlug.status, 200, `an incomplete draft is stored: ${JSON.stringify(noSlug.body)}`);
    // A value stored before writes were checked (or by server code): the checklist still finds it.
    await app.strapi.db.query(CHAPTER).updateMany({ where: { documentId: course.chapters[1], publishedAt: null }, data: { position: 0 } });
    const before = await fingerprint(course.documentId);
    const r = await api().post(`/api/review/courses/${course.documentId}/submit`).set('Authorization', A.auth);
    assert.equal(r.status, 422, JSON.stringify(r.body));
    const checks = r.body.error.details.checks as Array<{ id: string; passed: boolean; message: string }>;
    assert.deepEqual(checks.filter((c) => !c.passed).map((c) => c.id), ['publication']);
    const message = checks.find((c) => c.id === 'publication')!.message;
    assert.match(message, /slug is required/);
    assert.match(message, /chapter 1 "Chapter 2": position must be at least 1 \(it is 0\)/);
    assert.equal(await fingerprint(course.documentId), before, 'a refused submission changes nothing');

    await api().put(`/api/courses/${course.documentId}`).set('Authorization', A.auth).send({ data: { slug: course.slug } }).expect(200);
    await api().put(`/api/chapters/${course.chapters[1]}`).set('Authorization', A.auth).send({ data: { position: 2 } }).expect(200);
    await submitCourse(app, A, course.documentId);
    const ok = await api().post(`/review/submissions/${course.documentId}/approve`).set('Authorization', superAdmin.auth);
    assert.equal(ok.status, 200, `what passed the checks can be approved: ${JSON.stringify(ok.body)}`);
  });

  test('a new locale of a course and of a chapter stays a draft and keeps its owner', async () => {
    const course = await authorCourse(app, A, { complete: false, chapters: 1 });
    const zh = await api()
      .put(`/api/courses/${course.documentId}?locale=zh-Hans&status=published`)
      .set('Authorization', A.auth)
      .send({ data: { title: '动手实践课程', summary: '中文简介', slug: course.slug, access: 'paid', price: 2900, currency: 'usd' } });
    assert.equal(zh.status, 200, JSON.stringify(zh.body));
    const zhCh = await api()
      .put(`/api/chapters/${course.chapters[0]}?locale=zh-Hans`)
      .set('Authorization', A.auth)
      .send({ data: { title: '第一章', body: '中文内容', position: 1 } });
    assert.equal(zhCh.status, 200, JSON.stringify(zhCh.body));
    const rows = await app.strapi.db.query(COURSE).findMany({
      where: { documentId: course.documentId },
      populate: { instructor: { select: ['documentId'] } },
    });
    assert.deepEqual(rows.map((r: { locale: string }) => r.locale).sort(), ['en', 'zh-Hans']);
    for (const r of rows) {
      assert.equal(r.publishedAt, null);
      assert.equal(r.instructor?.documentId, A.instructorDocumentId, `owner of ${r.locale}`);
    }
    const zhChapter = await app.strapi.db.query(CHAPTER).findOne({
      where: { documentId: course.chapters[0], locale: 'zh-Hans' },
      populate: { course: { select: ['documentId'] } },
    });
    assert.equal(zhChapter.course?.documentId, course.documentId, 'the zh-Hans chapter belongs to the course');
    const detail = await api().get(`/api/review/courses/${course.documentId}?locale=zh-Hans`).set('Authorization', A.auth);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.data.title, '动手实践课程');
    assert.deepEqual(detail.body.data.draftLocales, ['en', 'zh-Hans']);
  });
});

describe('media', () => {
  test('a cover goes through /api/review/media; a non-image cover and a foreign course are refused', async () => {
    const course = await authorCourse(app, A, { complete: false, chapters: 1 });
    const id = await uploadCover(app, A, course.documentId);
    const row = await app.strapi.db.query(COURSE).findOne({ where: { documentId: course.documentId, publishedAt: null }, populate: { cover: true } });
    assert.equal(row.cover?.id, id);

    const files = await app.strapi.db.query('plugin::upload.file').count({});
    const text = await api()
      .post('/api/review/media')
      .set('Authorization', A.auth)
      .field('field', 'cover')
      .field('documentId', course.documentId)
      .attach('files', Buffer.from('just some text, not an image'), { filename: 'notes.txt', contentType: 'text/plain' });
    assert.equal(text.status, 400, JSON.stringify(text.body));
    assert.match(text.body.error.message, /must be an image/);
    const foreign = await api()
      .post('/api/review/media')
      .set('Authorization', B.auth)
      .field('field', 'cover')
      .field('documentId', course.documentId)
      .attach('files', pngBuffer(), { filename: 'cover.png', contentType: 'image/png' });
    assert.equal(foreign.status, 403, JSON.stringify(foreign.body));
    const bad = await api().post('/api/review/media').set('Authorization', A.auth).field('field', 'poster').field('documentId', course.documentId);
    assert.equal(bad.status, 400);
    assert.equal(await app.strapi.db.query('plugin::upload.file').count({}), files, 'rejected uploads are removed');
  });
});

describe('submission, checks and the review cycle', () => {
  let course: Awaited<ReturnType<typeof authorCourse>>;

  test('a submission with missing items answers each failed check and changes nothing', async () => {
    course = await authorCourse(app, A, { complete: false, chapters: 2 });
    const before = await fingerprint(course.documentId);
    const res = await api().post(`/api/review/courses/${course.documentId}/submit`).set('Authorization', A.auth);
    assert.equal(res.status, 422, JSON.stringify(res.body));
    const checks: Array<{ id: string; level: string; passed: boolean; message: string }> = res.body.error.details.checks;
    const failed = checks.filter((c) => !c.passed).map((c) => `${c.id}:${c.level}`);
    assert.deepEqual(failed.sort(), ['chapters:required', 'cover:required', 'description:recommended', 'preview:required', 'summary:required', 'taxonomy:recommended'].sort());
    assert.ok(checks.find((c) => c.id === 'title')!.passed);
    assert.match(res.body.error.message, /4 required checks failed/);
    assert.equal(await fingerprint(course.documentId), before, 'no row changed');
  });

  test('completed and submitted: in review, locked for the instructor, visible to reviewers only', async () => {
    await api()
      .put(`/api/courses/${course.documentId}`)
      .set('Authorization', A.auth)
      .send({ data: { summary: GOOD_SUMMARY, tags: taxonomy.tags, category: taxonomy.category } })
      .expect(200);
    await api().put(`/api/chapters/${course.chapters[0]}`).set('Authorization', A.auth).send({ data: { isPreview: true } }).expect(200);
    const third = await api()
      .post('/api/chapters')
      .set('Authorization', A.auth)
      .send({ data: { title: 'Chapter 3', position: 3, body: 'Third body', course: course.documentId } });
    assert.equal(third.status, 201);
    course.chapters.push(third.body.data.documentId);
    await uploadCover(app, A, course.documentId);

    const res = await api().post(`/api/review/courses/${course.documentId}/submit`).set('Authorization', A.auth);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.data.state, 'in_review');
    assert.deepEqual(res.body.data.checks.filter((c: { passed: boolean }) => !c.passed).map((c: { id: string }) => c.id), ['description']);

    const again = await api().post(`/api/review/courses/${course.documentId}/submit`).set('Authorization', A.auth);
    assert.equal(again.status, 200);
    assert.equal(again.body.data.changed, false, 'submitting twice changes nothing');

    const before = await fingerprint(course.documentId);
    const locked = [
      api().put(`/api/courses/${course.documentId}`).send({ data: { title: 'Edited while in review' } }),
      api().put(`/api/chapters/${course.chapters[0]}`).send({ data: { title: 'Edited while in review' } }),
      api().post('/api/chapters').send({ data: { title: 'Late chapter', position: 9, course: course.documentId } }),
      api().delete(`/api/chapters/${course.chapters[2]}`),
      api().post('/api/review/media').field('field', 'cover').field('documentId', course.documentId).attach('files', pngBuffer(), 'c.png'),
    ];
    for (const call of locked) {
      const r = await call.set('Authorization', A.auth);
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.match(r.body.error.message, /in review/);
    }
    assert.equal(await fingerprint(course.documentId), before);
    assert.equal(await publishedRows(COURSE, [course.documentId]), 0);
  });

  test('withdraw returns the course to draft and unlocks it; resubmitting puts it back in review', async () => {
    const w = await api().post(`/api/review/courses/${course.documentId}/withdraw`).set('Authorization', A.auth);
    assert.equal(w.status, 200, JSON.stringify(w.body));
    assert.equal(w.body.data.state, 'draft');
    await api().put(`/api/chapters/${course.chapters[2]}`).set('Authorization', A.auth).send({ data: { title: 'Chapter 3: practice' } }).expect(200);
    const again = await api().post(`/api/review/courses/${course.documentId}/withdraw`).set('Authorization', A.auth);
    assert.equal(again.status, 200);
    assert.equal(again.body.data.changed, false);
    await submitCourse(app, A, course.documentId);
  });

  test('RBAC: editors need the review permissions a super admin grants; authors never get them here', async () => {
    for (const who of [editor, author]) {
      const r = await api().get('/review/submissions').set('Authorization', who.auth);
      assert.equal(r.status, 403, `before grant: ${r.status}`);
    }
    const sa = await api().get('/review/submissions').set('Authorization', superAdmin.auth);
    assert.equal(sa.status, 200, JSON.stringify(sa.body));
    await grantReviewPermissions(app, superAdmin, 'strapi-editor');
    const q = await api().get('/review/submissions').set('Authorization', editor.auth);
    assert.equal(q.status, 200, JSON.stringify(q.body));
    const item = q.body.data.find((s: { courseDocumentId: string }) => s.courseDocumentId === course.documentId);
    assert.ok(item, 'the submission is in the queue');
    assert.equal(item.state, 'in_review');
    assert.equal(item.instructor.name, 'Ada Author');
    assert.equal(item.title, course.title);
    assert.equal(item.checksSummary.warnings, 1);
    assert.ok(item.submittedAt);
    assert.match(item.contentManagerPath, new RegExp(`/content-manager/collection-types/api::course.course/${course.documentId}`));
    assert.deepEqual(item.actions, ['request_changes', 'approve', 'assign']);
    assert.ok(q.body.meta.instructors.some((i: { name: string }) => i.name === 'Ada Author'));
    const r = await api().post(`/review/submissions/${course.documentId}/approve`).set('Authorization', author.auth);
    assert.equal(r.status, 403);
    assert.equal(await publishedRows(COURSE, [course.documentId]), 0);
  });

  test('queue filters: state, instructor, check results, submitted time, assignee', async () => {
    const get = async (query: Record<string, string>) => {
      const r = await api().get('/review/submissions').query(query).set('Authorization', editor.auth);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return (r.body.data as Array<{ courseDocumentId: string }>).map((s) => s.courseDocumentId);
    };
    assert.ok((await get({ state: 'in_review', instructor: A.instructorDocumentId })).includes(course.documentId));
    assert.ok(!(await get({ state: 'in_review', instructor: B.instructorDocumentId })).includes(course.documentId));
    assert.ok(!(await get({ state: 'approved' })).includes(course.documentId));
    assert.ok((await get({ state: 'all' })).includes(course.documentId));
    assert.ok((await get({ checks: 'warnings' })).includes(course.documentId));
    assert.ok(!(await get({ checks: 'clean' })).includes(course.documentId));
    assert.ok((await get({ submittedAfter: new Date(Date.now() - 3600_000).toISOString() })).includes(course.documentId));
    assert.ok(!(await get({ submittedBefore: new Date(Date.now() - 3600_000).toISOString() })).includes(course.documentId));
    assert.ok((await get({ assignee: 'unassigned' })).includes(course.documentId));
    for (const bad of [{ state: 'published' }, { pageSize: '0' }, { submittedAfter: 'yesterday' }, { instructor: 'x y' }]) {
      const r = await api().get('/review/submissions').query(bad).set('Authorization', editor.auth);
      assert.equal(r.status, 400, `${JSON.stringify(bad)} → ${r.status}`);
    }
  });

  test('request changes needs a comment; with one, the instructor sees it and may edit again', async () => {
    const before = await fingerprint(course.documentId);
    for (const body of [{}, { comment: '' }, { comment: '   ' }, { comment: 'short' }, { comment: 42 }]) {
      const r = await api().post(`/review/submissions/${course.documentId}/request-changes`).set('Authorization', editor.auth).send(body);
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.status} ${JSON.stringify(r.body)}`);
    }
    assert.equal(await fingerprint(course.documentId), before, 'refused requests change nothing');

    const assign = await api().post(`/review/submissions/${course.documentId}/assign`).set('Authorization', editor.auth);
    assert.equal(assign.status, 200, JSON.stringify(assign.body));
    assert.equal(assign.body.data.submission.assignee.id, editor.id);
    const mine = await api().get('/review/submissions').query({ assignee: 'me' }).set('Authorization', editor.auth);
    assert.ok(mine.body.data.some((s: { courseDocumentId: string }) => s.courseDocumentId === course.documentId));

    const comment = 'Please write a longer description: what will learners be able to do?';
    const r = await api().post(`/review/submissions/${course.documentId}/request-changes`).set('Authorization', editor.auth).send({ comment });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.data.state, 'changes_requested');
    const mineNow = await api().get(`/api/review/courses/${course.documentId}`).set('Authorization', A.auth);
    assert.equal(mineNow.body.data.review.state, 'changes_requested');
    assert.equal(mineNow.body.data.review.lastComment, comment);
    const approveNow = await api().post(`/review/submissions/${course.documentId}/approve`).set('Authorization', editor.auth);
    assert.equal(approveNow.status, 409, 'cannot approve what is not in review');
    // An unknown course is a 404 on every editor route, never a refusal "from draft".
    for (const [action, body] of [['approve', {}], ['request-changes', { comment }], ['assign', undefined]] as const) {
      const unknown = api().post(`/review/submissions/doesnotexist000000000000/${action}`).set('Authorization', editor.auth);
      const res = body ? await unknown.send(body) : await unknown;
      assert.equal(res.status, 404, `${action}: ${JSON.stringify(res.body)}`);
      assert.match(res.body.error.message, /Course not found/);
    }
    await api()
      .put(`/api/courses/${course.documentId}`)
      .set('Authorization', A.auth)
      .send({ data: { description: `${'Learners will build three small projects and deploy them. '.repeat(5)}` } })
      .expect(200);
    await submitCourse(app, A, course.documentId);
  });

  test('approve publishes the course and its chapters in every drafted locale, as the editor', async () => {
    await api()
      .post(`/api/review/courses/${course.documentId}/withdraw`)
      .set('Authorization', A.auth)
      .expect(200);
    // A translation is checked like the default locale: a four-character summary does not go live.
    await api()
      .put(`/api/courses/${course.documentId}?locale=zh-Hans`)
      .set('Authorization', A.auth)
      .send({ data: { title: '动手实践：审核课程入门', summary: '中文简介', slug: course.slug, access: 'paid', price: 2900, currency: 'usd' } })
      .expect(200);
    for (const [i, id] of course.chapters.entries()) {
      await api()
        .put(`/api/chapters/${id}?locale=zh-Hans`)
        .set('Authorization', A.auth)
        .send({ data: { title: `第 ${i + 1} 章`, body: `第 ${i + 1} 章的内容：从基础到日常使用。`, position: i + 1, isPreview: i === 0 } })
        .expect(200);
    }
    const short = await api().post(`/api/review/courses/${course.documentId}/submit`).set('Authorization', A.auth);
    assert.equal(short.status, 422, JSON.stringify(short.body));
    const failed = (short.body.error.details.checks as Array<{ id: string; level: string; passed: boolean; message: string }>).filter((c) => !c.passed && c.level === 'required');
    assert.deepEqual(failed.map((c) => c.id), ['summary']);
    assert.equal(failed[0]!.message, 'zh-Hans: The summary needs at least 60 characters (it has 4).');
    await api()
      .put(`/api/courses/${course.documentId}?locale=zh-Hans`)
      .set('Authorization', A.auth)
      .send({ data: { summary: '一门动手实践的课程：从基础开始，一步一步走向自信的日常使用。每一章都很短，配有练习和小结，学完就能在工作中用上。适合刚入门的开发者。' } })
      .expect(200);
    await submitCourse(app, A, course.documentId);

    const r = await api().post(`/review/submissions/${course.documentId}/approve`).set('Authorization', editor.auth);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.data.state, 'approved');
    const twice = await api().post(`/review/submissions/${course.documentId}/approve`).set('Authorization', editor.auth);
    assert.equal(twice.status, 200);
    assert.equal(twice.body.data.changed, false, 'approving twice changes nothing');

    const pub = await api().get(`/api/courses/${course.documentId}`).query({ populate: { chapters: { fields: ['title'] } } });
    assert.equal(pub.status, 200, JSON.stringify(pub.body));
    assert.equal(pub.body.data.title, course.title);
    assert.equal(pub.body.data.chapters.length, 3);
    const zh = await api().get(`/api/courses/${course.documentId}?locale=zh-Hans`);
    assert.equal(zh.status, 200);
    assert.equal(zh.body.data.title, '动手实践：审核课程入门');
    assert.equal(await publishedRows(CHAPTER, course.chapters), 6, 'three chapters, each in en and zh-Hans');
    for (const id of course.chapters) assert.equal((await api().get(`/api/chapters/${id}`)).status, 200);

    const published = await app.strapi.db.query(COURSE).findOne({
      where: { documentId: course.documentId, locale: 'en', publishedAt: { $notNull: true } },
      populate: { updatedBy: { select: ['id'] } },
    });
    assert.equal(published.updatedBy?.id, editor.id, 'published as the approving editor');

    // Content Manager → Open preview: the published course on the storefront, in its locale.
    const preview = (documentId: string, locale: string) =>
      api().get(`/content-manager/preview/url/api::course.course`).query({ documentId, locale, status: 'published' }).set('Authorization', superAdmin.auth);
    const en = await preview(course.documentId, 'en');
    assert.equal(en.status, 200, JSON.stringify(en.body));
    assert.equal(en.body.data.url, `/#/course/${course.slug}`);
    assert.equal((await preview(course.documentId, 'zh-Hans')).body.data.url, `/?lang=zh-Hans#/course/${course.slug}`);
    const unpublished = await authorCourse(app, A, { complete: false, chapters: 1 });
    assert.equal((await preview(unpublished.documentId, 'en')).status, 204, 'nothing published: no preview');
  });

  test('editing the published course changes only its draft until the next approval', async () => {
    const edit = await api()
      .put(`/api/courses/${course.documentId}?status=published`)
      .set('Authorization', A.auth)
      .send({ data: { title: `${course.title} (2nd edition)` } });
    assert.equal(edit.status, 200, JSON.stringify(edit.body));
    await api().put(`/api/chapters/${course.chapters[1]}`).set('Authorization', A.auth).send({ data: { title: 'Narrowing, revised' } }).expect(200);
    const added = await api()
      .post('/api/chapters')
      .set('Authorization', A.auth)
      .send({ data: { title: 'Bonus chapter', position: 4, body: 'SECRET-bonus', course: course.documentId } });
    assert.equal(added.status, 201);

    const live = await api().get(`/api/courses/${course.documentId}`).query({ populate: { chapters: { fields: ['title'] } } });
    assert.equal(live.body.data.title, course.title, 'the live title is untouched');
    assert.deepEqual(live.body.data.chapters.map((c: { title: string }) => c.title).sort(), ['Chapter 1', 'Chapter 2', 'Chapter 3: practice']);
    assert.equal((await api().get(`/api/chapters/${added.body.data.documentId}`)).status, 404);

    const mine = await api().get('/api/review/courses').set('Authorization', A.auth);
    const entry = mine.body.data.find((c: { documentId: string }) => c.documentId === course.documentId);
    assert.equal(entry.review.state, 'draft', 'the first edit reopens an approved course');
    assert.equal(entry.live, true);

    const del = await api().delete(`/api/chapters/${course.chapters[0]}`).set('Authorization', A.auth);
    assert.equal(del.status, 409, 'a published chapter is not deleted by its instructor');
    const delNew = await api().delete(`/api/chapters/${added.body.data.documentId}`).set('Authorization', A.auth);
    assert.equal(delNew.status, 204, 'a draft-only chapter is');

    await submitCourse(app, A, course.documentId);
    await api().post(`/review/submissions/${course.documentId}/approve`).set('Authorization', editor.auth).expect(200);
    const after = await api().get(`/api/courses/${course.documentId}`);
    assert.equal(after.body.data.title, `${course.title} (2nd edition)`);
    assert.equal((await api().get(`/api/chapters/${course.chapters[1]}`)).body.data.title, 'Narrowing, revised');
  });

  test('history: every transition, oldest first, readable by the course instructor', async () => {
    const h = await api().get(`/api/review/courses/${course.documentId}/history`).set('Authorization', A.auth);
    assert.equal(h.status, 200);
    const steps = h.body.data.map((e: { action: string; from: string; to: string }) => `${e.action}:${e.from}>${e.to}`);
    assert.deepEqual(steps, [
      'submit:draft>in_review',
      'withdraw:in_review>draft',
      'submit:draft>in_review',
      'assign:in_review>in_review',
      'request_changes:in_review>changes_requested',
      'submit:changes_requested>in_review',
      'withdraw:in_review>draft',
      'submit:draft>in_review',
      'approve:in_review>approved',
      'reopen:approved>draft',
      'submit:draft>in_review',
      'approve:in_review>approved',
    ]);
    const rc = h.body.data.find((e: { action: string }) => e.action === 'request_changes');
    assert.match(rc.comment, /longer description/);
    assert.equal(rc.actor.type, 'editor');
    assert.equal(rc.actor.name, 'Test A.');
    assert.doesNotMatch(JSON.stringify(h.body), /@example\.test/, 'no editor e-mail addresses');
    assert.equal(h.body.data[0].actor.name, 'Ada Author');
    assert.ok(h.body.data[0].checks.length > 0, 'the submission records its checks');

    const fromEvents = transitions.filter((t) => t.courseDocumentId === course.documentId).map((t) => `${t.action}:${t.from}>${t.to}`);
    assert.deepEqual(fromEvents, steps, 'one review.transition event per transition');

    const detail = await api().get(`/review/submissions/${course.documentId}`).set('Authorization', editor.auth);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.data.history.length, steps.length);
    assert.equal(detail.body.data.course.chapters.length, 3);
  });

  test('review events are append-only', async () => {
    const events = app.strapi.db.query('plugin::review.review-event');
    const one = await events.findOne({ where: { courseDocumentId: course.documentId } });
    await assert.rejects(() => events.update({ where: { id: one.id }, data: { comment: 'rewritten' } }), /append-only/);
    await assert.rejects(() => events.delete({ where: { id: one.id } }), /append-only/);
    await assert.rejects(() => events.deleteMany({ where: { courseDocumentId: course.documentId } }), /append-only/);
    assert.equal((await events.findOne({ where: { id: one.id } })).comment, one.comment);
  });

  test('two concurrent submissions of the same course make one transition', async () => {
    const c = await authorCourse(app, A, { taxonomy });
    const [r1, r2] = await Promise.all([
      api().post(`/api/review/courses/${c.documentId}/submit`).set('Authorization', A.auth),
      api().post(`/api/review/courses/${c.documentId}/submit`).set('Authorization', A.auth),
    ]);
    assert.deepEqual([r1.status, r2.status].sort(), r1.status === 409 || r2.status === 409 ? [200, 409] : [200, 200]);
    const changed = [r1, r2].filter((r) => r.status === 200 && r.body.data.changed).length;
    assert.equal(changed, 1);
    assert.equal(await app.strapi.db.query('plugin::review.review-event').count({ where: { courseDocumentId: c.documentId } }), 1);
  });

  test('publishing from the Content Manager while in review approves it (chapters too), as that admin', async () => {
    const c = await authorCourse(app, A, { taxonomy });
    const draftOnly = await authorCourse(app, A, { taxonomy });
    await submitCourse(app, A, c.documentId);
    const cm = (documentId: string) => `/content-manager/collection-types/${COURSE}/${documentId}/actions/publish?locale=en`;

    // (The super admin: the test's Editor role has the review permissions, not Content Manager publish.)
    const r = await api().post(cm(c.documentId)).set('Authorization', superAdmin.auth).send({});
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const state = await api().get(`/review/submissions/${c.documentId}`).set('Authorization', editor.auth);
    assert.equal(state.body.data.state, 'approved', 'the queue no longer shows it in review');
    const last = state.body.data.history.at(-1);
    assert.equal(`${last.action}:${last.from}>${last.to}`, 'approve:in_review>approved');
    assert.equal(last.actor.type, 'editor');
    assert.equal(last.actor.id, superAdmin.id);
    assert.equal(last.comment, 'Published from the Content Manager');
    assert.equal(await publishedRows(CHAPTER, c.chapters), c.chapters.length, 'its chapters are published with it');
    assert.equal((await api().get(`/api/courses/${c.documentId}`)).status, 200);

    // A course that never entered review publishes as before, and records nothing.
    const before = await app.strapi.db.query('plugin::review.review-event').count({ where: { courseDocumentId: draftOnly.documentId } });
    const p = await api().post(cm(draftOnly.documentId)).set('Authorization', superAdmin.auth).send({});
    assert.equal(p.status, 200, JSON.stringify(p.body));
    assert.equal(await app.strapi.db.query('plugin::review.review-event').count({ where: { courseDocumentId: draftOnly.documentId } }), before);
    assert.equal(await publishedRows(CHAPTER, draftOnly.chapters), 0, 'only the course itself, as the Content Manager does');
  });
});

describe('isolation matrix', () => {
  test("instructor B cannot read, edit, submit, withdraw or read the history of A's course; zero rows changed", async () => {
    const c = await authorCourse(app, A, { taxonomy });
    await submitCourse(app, A, c.documentId);
    const draftOnly = await authorCourse(app, A, { complete: false, chapters: 1 });
    for (const target of [c, draftOnly]) {
      const before = await fingerprint(target.documentId);
      const calls: Array<[string, () => Test, number[]]> = [
        ['read draft', () => api().get(`/api/review/courses/${target.documentId}`), [404]],
        ['history', () => api().get(`/api/review/courses/${target.documentId}/history`), [404]],
        ['submit', () => api().post(`/api/review/courses/${target.documentId}/submit`), [404]],
        ['withdraw', () => api().post(`/api/review/courses/${target.documentId}/withdraw`), [404]],
        ['edit course', () => api().put(`/api/courses/${target.documentId}`).send({ data: { title: 'Taken over by B' } }), [403]],
        ['delete course', () => api().delete(`/api/courses/${target.documentId}`), [403]],
        ['edit chapter', () => api().put(`/api/chapters/${target.chapters[0]}`).send({ data: { title: 'Taken over by B' } }), [403]],
        ['delete chapter', () => api().delete(`/api/chapters/${target.chapters[0]}`), [403]],
        ['add chapter', () => api().post('/api/chapters').send({ data: { title: 'Sneaky', position: 5, course: target.documentId } }), [403]],
        ['core draft read', () => api().get(`/api/courses/${target.documentId}?status=draft`), [403]],
        [
          'cover',
          () => api().post('/api/review/media').field('field', 'cover').field('documentId', target.documentId).attach('files', pngBuffer(), 'c.png'),
          [403],
        ],
      ];
      for (const [name, call, statuses] of calls) {
        const res = await call().set('Authorization', B.auth);
        assert.ok(statuses.includes(res.status), `${name}: ${res.status} ${JSON.stringify(res.body)}`);
        assert.doesNotMatch(JSON.stringify(res.body), /SECRET-/, `${name} leaks no content`);
      }
      const bList = await api().get('/api/review/courses').set('Authorization', B.auth);
      assert.ok(!bList.body.data.some((x: { documentId: string }) => x.documentId === target.documentId));
      assert.equal(await fingerprint(target.documentId), before, 'zero rows changed');

      // B moving their own chapter into A's course is refused too.
      const own = await authorCourse(app, B, { complete: false, chapters: 1 });
      const before2 = await fingerprint(target.documentId);
      const move = await api().put(`/api/chapters/${own.chapters[0]}`).set('Authorization', B.auth).send({ data: { course: target.documentId } });
      assert.equal(move.status, 403);
      assert.equal(await fingerprint(target.documentId), before2);
    }
  });

  test('learners and the public get 403 on every review route, zero rows changed', async () => {
    const c = await authorCourse(app, A, { taxonomy });
    await submitCourse(app, A, c.documentId);
    const before = await fingerprint(c.documentId);
    const routes: Array<[string, string]> = [
      ['get', '/api/review/courses'],
      ['get', `/api/review/courses/${c.documentId}`],
      ['get', `/api/review/courses/${c.documentId}/history`],
      ['post', `/api/review/courses/${c.documentId}/submit`],
      ['post', `/api/review/courses/${c.documentId}/withdraw`],
      ['post', '/api/review/media'],
    ];
    for (const auth of [learner.auth, null]) {
      for (const [method, url] of routes) {
        const req = method === 'get' ? api().get(url) : api().post(url);
        const res = await (auth ? req.set('Authorization', auth) : req);
        assert.equal(res.status, 403, `${auth ? 'learner' : 'public'} ${method} ${url}: ${res.status}`);
      }
      // Content-API credentials never open the admin routes.
      for (const [method, url] of [['get', '/review/submissions'], ['post', `/review/submissions/${c.documentId}/approve`]] as const) {
        const req = method === 'get' ? api().get(url) : api().post(url);
        const res = await (auth ? req.set('Authorization', auth) : req);
        assert.equal(res.status, 401, `${auth ? 'learner' : 'public'} ${method} ${url}: ${res.status}`);
      }
    }
    assert.equal(await fingerprint(c.documentId), before);
    assert.equal((await api().get('/api/review/health')).status, 200);
  });

  test("the rules hold at the Document Service, whatever route writes during a user's request; asSystem opts out", async () => {
    const c = await authorCourse(app, A, { complete: false, chapters: 1 });
    const requestContext = app.strapi.requestContext as unknown as { run<T>(ctx: unknown, cb: () => Promise<T>): Promise<T> };
    const asUser = (user: TestUser, role: string) => ({
      state: { user: { id: user.id, role: { type: role } }, auth: { strategy: { name: 'users-permissions' } } },
    });
    const before = await fingerprint(c.documentId);
    await assert.rejects(
      () => requestContext.run(asUser(learner, 'authenticated'), () => app.strapi.documents(COURSE).update({ documentId: c.documentId, data: { title: 'Via some plugin' } as never })),
      /Only instructors/
    );
    await assert.rejects(
      () => requestContext.run(asUser(B, 'instructor'), () => app.strapi.documents(COURSE).publish({ documentId: c.documentId })),
      /Instructors cannot publish/
    );
    assert.equal(await fingerprint(c.documentId), before);
    const authoring = app.strapi.plugin('review').service('authoring') as { asSystem<T>(fn: () => Promise<T>): Promise<T> };
    await requestContext.run(asUser(learner, 'authenticated'), () =>
      authoring.asSystem(() => app.strapi.documents(COURSE).update({ documentId: c.documentId, data: { summary: 'Set by server code.' } as never }))
    );
    const row = await app.strapi.db.query(COURSE).findOne({ where: { documentId: c.documentId, publishedAt: null } });
    assert.equal(row.summary, 'Set by server code.');
  });

  test('an instructor account without a profile gets 403 and writes nothing', async () => {
    const bare = await createUser(app, { role: 'instructor' });
    const before = await fingerprint();
    const res = await api().post('/api/courses').set('Authorization', bare.auth).send({ data: { title: 'No profile course', slug: `np-${Date.now()}` } });
    assert.equal(res.status, 403);
    assert.match(res.body.error.message, /instructor profile/);
    const list = await api().get('/api/review/courses').set('Authorization', bare.auth);
    assert.equal(list.status, 403);
    assert.equal(await fingerprint(), before);
  });
});

describe('the routes answer as documented', () => {
  test('every documented example answers its documented status', async () => {
    const draft = await authorCourse(app, A, { complete: false, chapters: 1 });
    const before = await fingerprint(draft.documentId);
    const { sent, problems } = await runRouteExamples(app, answers.routes, {
      auth: { anonymous: null, learner: learner.auth, instructor: A.auth },
      tokens: { $draftCourse: draft.documentId },
    });
    assert.deepEqual(problems, []);
    assert.ok(sent >= answers.routes.length, `${sent} examples for ${answers.routes.length} routes`);
    assert.equal(await fingerprint(draft.documentId), before, 'the examples change nothing');
  });

  test('every answer of the suite matched its route: 2xx bodies its response schema, refusals a documented status', () => {
    assert.deepEqual(answers.problems, []);
    const unvalidated = answers.routes.map((r) => `${r.spec.method} ${r.fullPath}`).filter((k) => !answers.validated.has(k));
    assert.deepEqual(unvalidated, [], 'every route answered at least once with a 2xx that matched its schema');
  });
});
