/**
 * The foundation, over HTTP against the real app: catalogue reads, drafts, locales, accounts,
 * write protection, constraints, roles bootstrap, demo seed, S3 uploads.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { bootApp, type TestApp } from '../support/strapi';
import { createCourse, createInstructor, createUser, type BuiltCourse, type TestUser } from '../support/builders';
import { startLoopbackS3, type LoopbackS3 } from '../support/s3';
import { authorCourse } from '../support/review-fixtures';
import { buildDemoCatalogue } from '../../scripts/lib/demo-catalogue';
import { seedCatalogue } from '../../scripts/lib/seed-writer';
import { ensureRolesAndPermissions } from '../../src/lib/permissions';

const PLUGINS = ['paywall', 'checkout', 'review', 'recommender', 'learning'];

describe('catalogue, drafts, locales, accounts', () => {
  let app: TestApp;
  let learner: TestUser;
  let draft: BuiltCourse;
  let publishedWithDraftChapter: BuiltCourse;

  before(async () => {
    app = await bootApp();
    const catalogue = buildDemoCatalogue({ courses: 6 });
    const first = await seedCatalogue(app.strapi, catalogue);
    assert.equal(first.created.courses, 6);
    learner = await createUser(app);
    const instructor = await createInstructor(app, 'Draft Author');
    draft = await createCourse(app, { title: 'UNPUBLISHED-DRAFT-COURSE', publish: false, instructor: instructor.instructorDocumentId, chapters: 2 });
    publishedWithDraftChapter = await createCourse(app, {
      title: 'Course with a draft chapter',
      chapters: [{ isPreview: true }, { title: 'DRAFT-ONLY-CHAPTER', publish: false }],
    });
  });
  after(async () => {
    await app?.close();
  });

  test('every platform plugin answers its health route', async () => {
    for (const name of PLUGINS) {
      const res = await app.http().get(`/api/${name}/health`).expect(200);
      // A plugin may add what an operator needs to know (checkout: whether Stripe is configured).
      assert.equal(res.body.plugin, name);
      assert.equal(res.body.status, 'ok');
    }
  });

  test('the demo seed is idempotent: a second run adds nothing', async () => {
    const again = await seedCatalogue(app.strapi, buildDemoCatalogue({ courses: 6 }));
    assert.deepEqual(again.created, { categories: 0, tags: 0, instructors: 0, courses: 0, chapters: 0, plans: 0, users: 0, covers: 0 });
    assert.equal(again.skipped, 6);
  });

  test('public lists published courses with instructor, tags, category and chapters', async () => {
    const res = await app
      .http()
      .get('/api/courses')
      .query({ populate: ['instructor', 'tags', 'category', 'chapters'], sort: 'title:asc', 'pagination[pageSize]': 50 })
      .expect(200);
    const courses = res.body.data as Array<Record<string, any>>;
    assert.equal(courses.length, 7); // 6 seeded + one built, the draft excluded
    const seeded = courses.find((c) => c.slug === 'python-from-zero-to-practical-scripts');
    assert.ok(seeded, 'seeded course listed');
    assert.equal(seeded.instructor.name.length > 0, true);
    assert.ok(seeded.tags.length >= 1);
    assert.equal(seeded.category.slug, 'programming');
    assert.ok(seeded.chapters.length >= 5 && seeded.chapters.length <= 15);
    assert.equal(seeded.instructor.user, undefined, 'the instructor\'s user account is private');
    assert.ok(!JSON.stringify(res.body).includes('UNPUBLISHED-DRAFT-COURSE'));
  });

  test('drafts never reach the public or a learner, whatever the query string says', async () => {
    for (const auth of [undefined, learner.auth]) {
      const get = (url: string) => {
        const req = app.http().get(url);
        return auth ? req.set('Authorization', auth) : req;
      };
      for (const url of [
        '/api/courses?status=draft',
        '/api/chapters?status=draft',
        '/api/courses?status=draft&locale=zh-Hans',
        `/api/courses/${draft.documentId}?status=draft`,
        '/api/instructors?status=draft&populate=courses',
        '/api/courses?status[0]=draft',
      ]) {
        const res = await get(url);
        assert.equal(res.status, 403, url);
        assert.match(res.body.error.message, /Drafts are not available/);
      }
      await get(`/api/courses/${draft.documentId}`).expect(404);
      for (const url of [
        '/api/courses?pagination[pageSize]=100',
        '/api/chapters?pagination[pageSize]=100',
        '/api/instructors?populate[courses][populate]=chapters&pagination[pageSize]=100',
        '/api/courses?status=published&populate=chapters&pagination[pageSize]=100',
        `/api/courses/${publishedWithDraftChapter.documentId}?populate=chapters`,
        `/api/chapters/${publishedWithDraftChapter.chapters[1]!.documentId}`,
      ]) {
        const res = await get(url);
        const text = JSON.stringify(res.body);
        assert.ok(!text.includes('UNPUBLISHED-DRAFT-COURSE'), `${url} leaked a draft course`);
        assert.ok(!text.includes('DRAFT-ONLY-CHAPTER'), `${url} leaked a draft chapter`);
      }
    }
  });

  test('locale=zh-Hans returns the Chinese version', async () => {
    const res = await app.http().get('/api/courses').query({ locale: 'zh-Hans', populate: ['chapters', 'category', 'tags'] }).expect(200);
    const courses = res.body.data as Array<Record<string, any>>;
    assert.ok(courses.length >= 3, 'translated courses listed');
    const python = courses.find((c) => c.slug === 'python-from-zero-to-practical-scripts');
    assert.ok(python);
    assert.equal(python.title, 'Python 从零到实用脚本');
    assert.equal(python.locale, 'zh-Hans');
    assert.equal(python.category.name, '编程开发');
    assert.ok(python.chapters.length >= 5);
    assert.ok(python.chapters.every((c: { locale: string }) => c.locale === 'zh-Hans'));
    const en = await app.http().get('/api/courses').query({ filters: { slug: 'python-from-zero-to-practical-scripts' } });
    assert.equal(en.body.data[0].title, 'Python from Zero to Practical Scripts');
  });

  test('a learner registers, logs in and reads /api/users/me', async () => {
    const email = `new-learner-${Date.now()}@example.test`;
    const reg = await app.http().post('/api/auth/local/register').send({ username: `nl${Date.now()}`, email, password: 'Str0ng-passw0rd' }).expect(200);
    assert.ok(reg.body.jwt);
    const login = await app.http().post('/api/auth/local').send({ identifier: email, password: 'Str0ng-passw0rd' }).expect(200);
    const me = await app.http().get('/api/users/me').set('Authorization', `Bearer ${login.body.jwt}`).expect(200);
    assert.equal(me.body.email, email);
    assert.equal(me.body.password, undefined);
    const bad = await app.http().post('/api/auth/local').send({ identifier: email, password: 'wrong' });
    assert.equal(bad.status, 400);
    const role = await app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { email }, populate: ['role'] });
    assert.equal(role.role.type, 'authenticated');
  });

  test('learners and the public cannot create, edit or delete catalogue content', async () => {
    const course = (await app.http().get('/api/courses').query({ 'pagination[pageSize]': 1 })).body.data[0];
    const before = await app.strapi.db.query('api::course.course').count();
    const beforeChapters = await app.strapi.db.query('api::chapter.chapter').count();
    for (const auth of [undefined, learner.auth]) {
      const send = (req: ReturnType<ReturnType<TestApp['http']>['post']>) => (auth ? req.set('Authorization', auth) : req);
      for (const type of ['courses', 'chapters', 'tags', 'categories', 'plans', 'instructors']) {
        const created = await send(app.http().post(`/api/${type}`)).send({ data: { title: 'Hijack', name: 'Hijack', slug: 'hijack' } });
        assert.equal(created.status, 403, `POST /api/${type} (${auth ? 'learner' : 'public'})`);
      }
      const put = await send(app.http().put(`/api/courses/${course.documentId}`)).send({ data: { title: 'Hijacked' } });
      assert.equal(put.status, 403);
      const del = await send(app.http().delete(`/api/courses/${course.documentId}`));
      assert.equal(del.status, 403);
      for (const type of ['subscriptions', 'progresses']) {
        const res = await (auth ? app.http().get(`/api/${type}`).set('Authorization', auth) : app.http().get(`/api/${type}`));
        assert.equal(res.status, 403, `GET /api/${type} is not public`);
      }
    }
    assert.equal(await app.strapi.db.query('api::course.course').count(), before);
    assert.equal(await app.strapi.db.query('api::chapter.chapter').count(), beforeChapters);
    const still = await app.http().get(`/api/courses/${course.documentId}`).expect(200);
    assert.equal(still.body.data.title, course.title);
  });

  test('the migrations ran: one progress row per (user, chapter), enforced by the database', async () => {
    const knex = app.strapi.db.connection;
    await knex('progresses').insert({ document_id: 'p1', chapter_document_id: 'c1', course_document_id: 'k1', unique_key: '1:c1' });
    await assert.rejects(
      knex('progresses').insert({ document_id: 'p2', chapter_document_id: 'c1', course_document_id: 'k1', unique_key: '1:c1' }),
      /unique|UNIQUE|duplicate/
    );
    await knex('progresses').insert({ document_id: 'p3', chapter_document_id: 'c1', course_document_id: 'k1', unique_key: '2:c1' });
    await knex('progresses').whereIn('document_id', ['p1', 'p3']).delete();
  });

  test('roles bootstrap is idempotent and never re-grants what an editor removed', async () => {
    const permissions = app.strapi.db.query('plugin::users-permissions.permission');
    const publicRole = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
    const instructorRole = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'instructor' } });
    assert.ok(instructorRole, 'instructor role created');
    const count = await permissions.count();
    await ensureRolesAndPermissions(app.strapi);
    assert.equal(await permissions.count(), count, 'no duplicates on a second run');
    const tagFind = await permissions.findOne({ where: { role: publicRole.id, action: 'api::tag.tag.find' } });
    await permissions.delete({ where: { id: tagFind.id } });
    await ensureRolesAndPermissions(app.strapi);
    assert.equal(await permissions.count({ where: { role: publicRole.id, action: 'api::tag.tag.find' } }), 0);
    await permissions.create({ data: { action: 'api::tag.tag.find', role: publicRole.id } });
    const roles = await app.strapi.db.query('plugin::users-permissions.role').count({ where: { type: 'instructor' } });
    assert.equal(roles, 1);
  });
});

describe('uploads to an S3-compatible store (UPLOAD_PROVIDER=aws-s3)', () => {
  let app: TestApp;
  let s3: LoopbackS3;

  before(async () => {
    s3 = await startLoopbackS3();
    app = await bootApp({ env: s3.env });
  });
  after(async () => {
    await app?.close();
    await s3?.close();
    for (const key of Object.keys(s3?.env ?? {})) delete process.env[key];
  });

  test('an instructor\'s upload (POST /api/review/media) lands in the bucket and reads back byte for byte', async () => {
    const instructor = await createInstructor(app);
    const course = await authorCourse(app, instructor, { complete: false, chapters: 1 });
    const content = Buffer.from(`lesson notes ${Date.now()}\n`.repeat(50));
    const res = await app
      .http()
      .post('/api/review/media')
      .set('Authorization', instructor.auth)
      .field('field', 'attachments')
      .field('documentId', course.chapters[0]!)
      .attach('files', content, { filename: 'notes.txt', contentType: 'text/plain' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const file = await app.strapi.db.query('plugin::upload.file').findOne({ where: { id: res.body.data.file.id } });
    assert.equal(file.provider, 'aws-s3');
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const key = `${file.hash}${file.ext}`;
    const object = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    const body = Buffer.from(await object.Body!.transformToByteArray());
    assert.ok(body.equals(content));
    const learner = await createUser(app);
    const denied = await app.http().post('/api/review/media').set('Authorization', learner.auth).field('field', 'attachments').field('documentId', course.chapters[0]!).attach('files', content, 'x.txt');
    assert.equal(denied.status, 403, 'learners cannot upload');
    const core = await app.http().post('/api/upload').set('Authorization', instructor.auth).attach('files', content, 'x.txt');
    assert.equal(core.status, 403, "Strapi's own upload route is nobody's");
  });
});
