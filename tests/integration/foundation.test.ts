/**
 * The foundation, over HTTP against the real app: catalogue reads, drafts, locales, accounts,
 * write protection, constraints, roles bootstrap, demo seed, S3 uploads.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { bootApp, type TestApp } from '../support/strapi';
import { createCourse, createInstructor, createUser, type BuiltCourse, type TestUser } from '../support/builders';
import { startLoopbackS3, type LoopbackS3 } from '../support/s3';
import { authorCourse } from '../support/review-fixtures';
import { buildDemoCatalogue } from '../../scripts/lib/demo-catalogue';
import { seedCatalogue } from '../../scripts/lib/seed-writer';
import { ensureRolesAndPermissions, PLATFORM_PLUGINS } from '../../src/lib/permissions';
import { rawRequest, ensureListening } from '../support/raw-http';

const PLUGINS = PLATFORM_PLUGINS;
const METRICS_TOKEN = 'test-metrics-token-0123456789';

/** A free loopback port for the internal metrics server. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('catalogue, drafts, locales, accounts', () => {
  let app: TestApp;
  let learner: TestUser;
  let draft: BuiltCourse;
  let publishedWithDraftChapter: BuiltCourse;
  let metricsPort: number;

  before(async () => {
    metricsPort = await freePort();
    app = await bootApp({ env: { METRICS_TOKEN, METRICS_PORT: String(metricsPort) } });
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
      const checks = res.body.details.checks as Array<{ name: string; status: string; detail?: string }>;
      assert.deepEqual(checks.find((c) => c.name === 'database')?.status, 'ok', `${name}: the database is checked`);
      // No Stripe key in this suite: checkout works for reads but says what an operator must set.
      if (name === 'checkout') {
        assert.equal(res.body.status, 'degraded');
        assert.match(checks.find((c) => c.name === 'stripe')!.detail!, /STRIPE_SECRET_KEY/);
      } else if (name !== 'recommender') {
        assert.equal(res.body.status, 'ok');
      }
      if (name === 'cache') {
        // The catalogue store answers its round trip (memory in this suite) and says which it is.
        const redis = Boolean(process.env.REDIS_URL);
        assert.equal(res.body.details.store, redis ? 'redis' : 'memory');
        assert.equal(checks.find((c) => c.name === 'store')?.status, 'ok');
        assert.equal(typeof res.body.details.entries, redis ? 'object' : 'number');
      }
    }
  });

  test('platform health gathers every plugin: database checked, Stripe not configured named, status the worst', async () => {
    const res = await app.http().get('/api/operations/platform-health').expect(200);
    assert.deepEqual(res.body.plugins.map((p: { plugin: string }) => p.plugin).sort(), [...PLATFORM_PLUGINS].sort());
    for (const p of res.body.plugins as Array<{ plugin: string; details: { checks: Array<{ name: string; status: string }> } }>) {
      assert.equal(p.details.checks.find((c) => c.name === 'database')?.status, 'ok', p.plugin);
    }
    assert.equal(res.body.status, 'degraded', 'checkout without STRIPE_SECRET_KEY degrades the platform, it is not down');
    assert.doesNotMatch(JSON.stringify(res.body), /sk_test|whsec_|postgres:\/\/|password/i, 'no secret or connection string');
  });

  test('/metrics: Prometheus text for the token only, by route template, closed to every other spelling', async () => {
    const server = app.strapi.server.httpServer;
    await ensureListening(server);
    await app.http().get('/api/courses').expect(200);
    await app.http().get('/api/courses/notarealdocumentid12345').expect(404);
    const refused = await rawRequest(server, 'GET', '/metrics');
    assert.equal(refused.status, 401);
    assert.match(refused.text, /METRICS_TOKEN/);
    assert.equal((await rawRequest(server, 'GET', '/metrics', { Authorization: 'Bearer wrong-token-0123456789' })).status, 401);
    const ok = await rawRequest(server, 'GET', '/metrics', { Authorization: `Bearer ${METRICS_TOKEN}` });
    assert.equal(ok.status, 200);
    assert.match(String(ok.headers['content-type']), /^text\/plain/);
    assert.match(ok.text, /kp_http_request_duration_seconds_count\{method="GET",route="\/api\/courses",status="200"\} [1-9]/);
    assert.match(ok.text, /kp_http_request_duration_seconds_count\{method="GET",route="\/api\/courses\/:id",status="404"\} [1-9]/);
    assert.doesNotMatch(ok.text, /notarealdocumentid12345/, 'raw paths never become labels');
    assert.match(ok.text, /kp_db_pool_connections\{state="used"\} \d+/);
    assert.match(ok.text, /kp_plugin_health\{plugin="checkout"\} 1/);
    assert.match(ok.text, /kp_plugin_health\{plugin="paywall"\} 0/);
    assert.match(ok.text, /kp_recommender_index_state\{state="(ready|empty|building|failed)"\} 1/);
    assert.match(ok.text, /# TYPE kp_checkout_webhook_events gauge/);
    assert.match(ok.text, /kp_notifications_outbox_oldest_queued_age_seconds \d/);
    assert.match(ok.text, /kp_process_resident_memory_bytes \d+/);
    for (const spelling of ['/METRICS', '/Metrics', '/metrics/', '//metrics', '/%6Detrics', '/%6detrics', '/metrics%2F', '/./metrics', '/x/../metrics', '/api/metrics', '/metrics;x']) {
      for (const headers of [{}, { Authorization: 'Bearer wrong-token-0123456789' }] as Array<Record<string, string>>) {
        const res = await rawRequest(server, 'GET', spelling, headers);
        assert.ok(res.status >= 400 && res.status < 500, `${spelling}: ${res.status}`);
        assert.doesNotMatch(res.text, /kp_http_request_duration_seconds/, `${spelling} serves no metrics`);
      }
    }
  });

  test('the internal metrics port serves /metrics without a token, and nothing else', async () => {
    const base = `http://127.0.0.1:${metricsPort}`;
    const ok = await fetch(`${base}/metrics`);
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /kp_http_request_duration_seconds_bucket/);
    assert.equal((await fetch(`${base}/api/courses`)).status, 404);
    assert.equal((await fetch(`${base}/metrics`, { method: 'POST' })).status, 404);
  });

  test('every answer carries a request id: a sane one from a proxy is kept, anything else replaced', async () => {
    const generated = await app.http().get('/api/courses').expect(200);
    assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const kept = await app.http().get('/api/courses').set('X-Request-Id', 'proxy-abc.123').expect(200);
    assert.equal(kept.headers['x-request-id'], 'proxy-abc.123');
    const replaced = await app.http().get('/api/courses').set('X-Request-Id', '<script>alert(1)</script>').expect(200);
    assert.match(String(replaced.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const refused = await app.http().get('/api/courses?populate[x][y]=1');
    assert.ok(refused.headers['x-request-id'], 'errors carry one too');
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
