/**
 * cache: the catalogue cache for anonymous reads and the principal cache of users-permissions,
 * driven over HTTP against a real Strapi on SQLite or PostgreSQL (TEST_DB). What a caller sees
 * after each change, the gated text of paid chapters, and the statements a request costs.
 * The broadcast between instances is the kernel's in-process transport: another instance's
 * message is delivered to this one as a transport would deliver it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Core } from '@strapi/strapi';
import jwt from 'jsonwebtoken';
import { deliver, metricsRegistry, onBroadcast } from '@kp/platform';
import { bootApp, type TestApp } from '../support/strapi';
import { createAdmin, createCourse, createUser, type BuiltCourse, type TestAdmin, type TestUser } from '../support/builders';
import { countQueries, grantCourse } from '../support/learning-helpers';

const CM = '/content-manager/collection-types';
const COURSE_UID = 'api::course.course';
const USER_UID = 'plugin::users-permissions.user';
const PERMISSION_UID = 'plugin::users-permissions.permission';

type Res = { status: number; headers: Record<string, string>; text: string; body: { data?: unknown; error?: { message?: string } } };

async function get(app: TestApp, url: string, auth?: string): Promise<Res> {
  const req = app.http().get(url);
  if (auth) req.set('Authorization', auth);
  return (await req) as unknown as Res;
}

function titles(res: Res): string[] {
  const data = res.body.data as Array<{ title?: string }>;
  return data.map((c) => c.title ?? '');
}

async function counter(strapi: Core.Strapi, name: string, label: string): Promise<number> {
  const metric = metricsRegistry(strapi).getSingleMetric(name);
  if (!metric) return 0;
  const values = (await metric.get()).values;
  return values.filter((v) => Object.values(v.labels).includes(label)).reduce((s, v) => s + v.value, 0);
}

/** Every chapter object in a response (they carry `locked`). */
function chaptersIn(value: unknown, out: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
  if (Array.isArray(value)) for (const v of value) chaptersIn(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('locked' in o) out.push(o);
    for (const v of Object.values(o)) chaptersIn(v, out);
  }
  return out;
}

describe('cache', () => {
  let app: TestApp;
  let admin: TestAdmin;
  let paid: BuiltCourse;
  let free: BuiltCourse;
  let owner: TestUser;

  before(async () => {
    app = await bootApp();
    admin = await createAdmin(app);
    paid = await createCourse(app, { title: 'Cached paid course', access: 'paid', chapters: 3, zh: { title: '缓存付费课程' } });
    free = await createCourse(app, { title: 'Cached free course', access: 'free', chapters: 2, zh: { title: '缓存免费课程' } });
    owner = await createUser(app);
    await grantCourse(app, owner.id, paid.documentId);
  });

  after(async () => {
    await app?.close();
  });

  describe('catalogue: anonymous reads', () => {
    test('a repeated list is a hit with the same body; normalised spellings share the entry; a hit runs no SQL', async () => {
      const first = await get(app, '/api/courses?sort=title:asc');
      assert.equal(first.status, 200);
      assert.equal(first.headers['x-cache'], 'miss');
      const second = await get(app, '/api/courses?sort=title:asc');
      assert.equal(second.headers['x-cache'], 'hit');
      assert.equal(second.text, first.text);
      assert.match(second.headers['content-type'] ?? '', /application\/json/);
      // Defaults and parameter order: the same answer, the same entry.
      const spelled = await get(app, '/api/courses?pagination[pageSize]=25&locale=en&status=published&pagination[page]=1&sort=title:asc');
      assert.equal(spelled.headers['x-cache'], 'hit');
      assert.equal(spelled.text, first.text);
      const { queries } = await countQueries(app, () => get(app, '/api/courses?sort=title:asc'));
      assert.equal(queries, 0, 'a hit reads nothing from the database');
    });

    test('every catalogue route is cached: by id, chapters, tags, categories, plans, instructors', async () => {
      for (const url of [`/api/courses/${free.documentId}?populate=chapters`, `/api/chapters?filters[course][documentId][$eq]=${free.documentId}`, `/api/chapters/${free.chapters[0]!.documentId}`, '/api/tags', '/api/categories', '/api/plans', '/api/instructors']) {
        const a = await get(app, url);
        assert.equal(a.status, 200, url);
        assert.equal(a.headers['x-cache'], 'miss', url);
        const b = await get(app, url);
        assert.equal(b.headers['x-cache'], 'hit', url);
        assert.equal(b.text, a.text, url);
      }
    });

    test('locale variants are separate entries', async () => {
      const en = await get(app, `/api/courses/${paid.documentId}`);
      const zh = await get(app, `/api/courses/${paid.documentId}?locale=zh-Hans`);
      assert.equal(zh.headers['x-cache'], 'miss');
      assert.equal((zh.body.data as { title: string }).title, '缓存付费课程');
      assert.equal((en.body.data as { title: string }).title, 'Cached paid course');
      const enAgain = await get(app, `/api/courses/${paid.documentId}`);
      const zhAgain = await get(app, `/api/courses/${paid.documentId}?locale=zh-Hans`);
      assert.equal(enAgain.headers['x-cache'], 'hit');
      assert.equal(zhAgain.headers['x-cache'], 'hit');
      assert.equal((enAgain.body.data as { title: string }).title, 'Cached paid course');
      assert.equal((zhAgain.body.data as { title: string }).title, '缓存付费课程');
    });

    test('never for drafts, unknown parameters, HEAD or another spelling of the path', async () => {
      const draft = await get(app, '/api/courses?status=draft');
      assert.equal(draft.status, 403);
      assert.equal(draft.headers['x-cache'], undefined);
      const unknown = await get(app, '/api/courses?cacheBuster=1');
      assert.equal(unknown.headers['x-cache'], undefined);
      const upper = await get(app, '/API/courses');
      assert.equal(upper.headers['x-cache'], undefined);
      const slash = await get(app, '/api/courses/');
      assert.equal(slash.headers['x-cache'], undefined);
    });

    test('a bad query is answered 400 every time and never stored', async () => {
      for (let i = 0; i < 2; i += 1) {
        const res = await get(app, '/api/courses?filters[title][$between]=a');
        assert.equal(res.status, 400);
        assert.equal(res.headers['x-cache'], 'miss');
      }
    });
  });

  describe('catalogue: gated text', () => {
    const url = () => `/api/courses/${paid.documentId}?populate=chapters`;

    test('the anonymous answer is cached without gated text; the owner gets the full text, never the cached answer', async () => {
      const anon = await get(app, url());
      const anonHit = await get(app, url());
      assert.equal(anonHit.headers['x-cache'], 'hit');
      for (const res of [anon, anonHit]) {
        for (const c of paid.chapters.filter((c) => !c.isPreview)) assert.ok(!res.text.includes(c.body), 'a paid chapter body is never in an anonymous answer');
        assert.ok(chaptersIn(res.body.data).some((c) => c.locked === true));
      }
      const mine = await get(app, url(), owner.auth);
      assert.equal(mine.status, 200);
      assert.equal(mine.headers['x-cache'], undefined, 'a request with a JWT never touches the cache');
      for (const c of paid.chapters) assert.ok(mine.text.includes(c.body), 'the owner reads every chapter');
      assert.ok(chaptersIn(mine.body.data).every((c) => c.locked === false));
      const chapter = await get(app, `/api/chapters/${paid.chapters[2]!.documentId}`, owner.auth);
      assert.ok(chapter.text.includes(paid.chapters[2]!.body));
    });

    test("no one is served from an owner's response", async () => {
      // The owner asks first for a key no anonymous caller has asked yet.
      const key = `/api/chapters?filters[course][documentId][$eq]=${paid.documentId}&sort=position:asc`;
      const mine = await get(app, key, owner.auth);
      assert.ok(mine.text.includes(paid.chapters[1]!.body));
      const anon = await get(app, key);
      assert.equal(anon.headers['x-cache'], 'miss');
      assert.ok(!anon.text.includes(paid.chapters[1]!.body));
      const anonHit = await get(app, key);
      assert.equal(anonHit.headers['x-cache'], 'hit');
      assert.ok(!anonHit.text.includes(paid.chapters[1]!.body));
      // And an API-token-like header (any Authorization) is not anonymous either.
      const bogus = await get(app, key, 'Bearer not-a-token');
      assert.equal(bogus.headers['x-cache'], undefined);
    });
  });

  describe('catalogue: changes', () => {
    test('a cached list never shows an unpublished course once the unpublish is acknowledged', async () => {
      const course = await createCourse(app, { title: 'Soon unpublished', access: 'free', chapters: 1 });
      const list = '/api/courses?pagination[pageSize]=100';
      await get(app, list);
      const hit = await get(app, list);
      assert.equal(hit.headers['x-cache'], 'hit');
      assert.ok(titles(hit).includes('Soon unpublished'));
      const res = await app.http().post(`${CM}/${COURSE_UID}/${course.documentId}/actions/unpublish?locale=en`).set('Authorization', admin.auth).send({});
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const after = await get(app, list);
      assert.equal(after.headers['x-cache'], 'miss');
      assert.ok(!titles(after).includes('Soon unpublished'));
      const byId = await get(app, `/api/courses/${course.documentId}`);
      assert.equal(byId.status, 404);
    });

    test('an edit through the Document Service and a publish are seen on the next read', async () => {
      const list = '/api/courses?pagination[pageSize]=100&sort=title:asc';
      await get(app, list);
      assert.equal((await get(app, list)).headers['x-cache'], 'hit');
      await app.strapi.documents(COURSE_UID).update({ documentId: free.documentId, locale: 'en', status: 'published', data: { title: 'Cached free course, renamed' } as never });
      const renamed = await get(app, list);
      assert.equal(renamed.headers['x-cache'], 'miss');
      assert.ok(titles(renamed).includes('Cached free course, renamed'));
      const fresh = await createCourse(app, { title: 'Freshly published', access: 'free', chapters: 1 });
      const withFresh = await get(app, list);
      assert.ok(titles(withFresh).includes('Freshly published'), fresh.documentId);
    });

    test('a change inside a transaction is seen once it commits, and a rolled-back one changes nothing', async () => {
      const list = '/api/courses?pagination[pageSize]=100&fields[0]=title&fields[1]=summary';
      await get(app, list);
      assert.equal((await get(app, list)).headers['x-cache'], 'hit');
      await app.strapi.db.transaction(async () => {
        await app.strapi.documents(COURSE_UID).update({ documentId: paid.documentId, locale: 'en', status: 'published', data: { summary: 'changed in a transaction' } as never });
      });
      const after = await get(app, list);
      assert.equal(after.headers['x-cache'], 'miss');
      assert.ok(after.text.includes('changed in a transaction'));
      await assert.rejects(
        app.strapi.db.transaction(async () => {
          await app.strapi.documents(COURSE_UID).update({ documentId: paid.documentId, locale: 'en', status: 'published', data: { summary: 'rolled back' } as never });
          throw new Error('roll back');
        })
      );
      const rolled = await get(app, list);
      assert.ok(!rolled.text.includes('rolled back'));
      assert.ok(rolled.text.includes('changed in a transaction'));
    });

    test('hits and misses are counted in the metrics', async () => {
      const hits = await counter(app.strapi, 'kp_cache_catalogue_requests_total', 'hit');
      const misses = await counter(app.strapi, 'kp_cache_catalogue_requests_total', 'miss');
      assert.ok(hits >= 10, `hits ${hits}`);
      assert.ok(misses >= 10, `misses ${misses}`);
      const bypass = await counter(app.strapi, 'kp_cache_catalogue_requests_total', 'bypass');
      assert.ok(bypass >= 1, `bypass ${bypass}`);
    });
  });

  describe('principals', () => {
    test('an authenticated request runs fewer statements once its principal is cached', async () => {
      const learner = await createUser(app);
      // Nothing cached: the user, its role, users-permissions' settings and the role's permissions are read.
      app.strapi.plugin('cache').service('principals').dropHere('all');
      const cold = await countQueries(app, () => get(app, '/api/categories', learner.auth));
      const warm = await countQueries(app, () => get(app, '/api/categories', learner.auth));
      assert.equal(cold.result.status, 200);
      assert.equal(warm.result.status, 200);
      assert.ok(warm.queries <= cold.queries - 4, `cold ${cold.queries} (${cold.sql.join(' | ')}), warm ${warm.queries} (${warm.sql.join(' | ')})`);
      // What remains is the request's own work, as for an anonymous uncached read of it: not even
      // the API-token look-up Strapi's token strategy makes for every bearer (a JWT cannot be one).
      const anon = await countQueries(app, () => get(app, '/api/categories?fields[0]=name'));
      assert.ok(warm.queries <= anon.queries, `warm ${warm.queries} (${warm.sql.join(' | ')}), anonymous ${anon.queries} (${anon.sql.join(' | ')})`);
      assert.equal(warm.sql.filter((q) => /up_users|up_roles|up_permissions/.test(q)).length, 0, 'no user, role or permission read');
      assert.equal(warm.sql.filter((q) => /api_tokens/.test(q)).length, 0, 'no API-token look-up for a JWT');
    });

    test('API tokens still authenticate; a forged, expired, foreign-secret or unsigned JWT is refused', async () => {
      const tokens = app.strapi.service('admin::api-token') as unknown as {
        create(a: Record<string, unknown>): Promise<{ accessKey: string }>;
      };
      const { accessKey } = await tokens.create({ name: `bench read ${Date.now()}`, type: 'read-only', lifespan: null, description: '' });
      const viaToken = await countQueries(app, () => get(app, '/api/categories', `Bearer ${accessKey}`));
      assert.equal(viaToken.result.status, 200, 'a read-only API token reads the catalogue');
      assert.ok(viaToken.sql.some((q) => /api_tokens/.test(q)), 'an API token is looked up as before');
      const fullAccess = await tokens.create({ name: `bench full ${Date.now()}`, type: 'full-access', lifespan: null, description: '' });
      assert.equal((await get(app, '/api/categories', `Bearer ${fullAccess.accessKey}`)).status, 200);
      assert.equal((await get(app, '/api/categories', `Bearer ${accessKey.slice(0, -2)}00`)).status, 401, 'an unknown API token');

      const learner = await createUser(app);
      const secret = app.strapi.config.get('plugin::users-permissions.jwtSecret') as string;
      const sign = (payload: object, key: string, options: jwt.SignOptions = {}) => `Bearer ${jwt.sign(payload, key, options)}`;
      assert.equal((await get(app, '/api/users/me', learner.auth)).status, 200);
      assert.equal((await get(app, '/api/users/me', sign({ id: learner.id }, secret))).status, 200, 'a token signed with the secret');
      const [h, p, sig] = learner.jwt.split('.');
      const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), id: owner.id })).toString('base64url');
      const refused: Array<[string, string]> = [
        ['a forged payload', `Bearer ${h}.${forged}.${sig}`],
        ['a tampered signature', `Bearer ${h}.${p}.${sig!.slice(0, -3)}abc`],
        ['an expired token', sign({ id: learner.id }, secret, { expiresIn: -10 })],
        ['another secret', sign({ id: learner.id }, `${secret}-not`)],
        ['another HMAC algorithm', sign({ id: learner.id }, secret, { algorithm: 'HS512' })],
        ['unsigned (alg none)', `Bearer ${jwt.sign({ id: learner.id }, '', { algorithm: 'none' })}`],
      ];
      for (const [name, auth] of refused) {
        const res = await get(app, '/api/users/me', auth);
        assert.equal(res.status, 401, `${name}: ${res.status} ${res.text.slice(0, 200)}`);
        assert.ok(!res.text.includes(learner.email), `${name}: no account data`);
      }
    });

    test('a blocked user is refused on the very next request (Content Manager)', async () => {
      const learner = await createUser(app);
      assert.equal((await get(app, '/api/users/me', learner.auth)).status, 200);
      assert.equal((await get(app, '/api/users/me', learner.auth)).status, 200);
      const res = await app.http().put(`${CM}/${USER_UID}/${learner.documentId}`).set('Authorization', admin.auth).send({ blocked: true });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal((await get(app, '/api/users/me', learner.auth)).status, 401);
      assert.equal((await get(app, '/api/categories', learner.auth)).status, 401);
      await app.http().put(`${CM}/${USER_UID}/${learner.documentId}`).set('Authorization', admin.auth).send({ blocked: false });
      assert.equal((await get(app, '/api/users/me', learner.auth)).status, 200);
    });

    test('a role change takes effect on the next request', async () => {
      const learner = await createUser(app);
      const instructorRole = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'instructor' } });
      // A learner: the route's permission refuses them (users-permissions' plain 403).
      for (let i = 0; i < 2; i += 1) {
        const before = await get(app, '/api/review/courses', learner.auth);
        assert.equal(before.status, 403);
        assert.doesNotMatch(before.text, /instructor profile/);
      }
      const res = await app.http().put(`${CM}/${USER_UID}/${learner.documentId}`).set('Authorization', admin.auth).send({ role: instructorRole.id });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      // An instructor now: the permission lets them through, to the review plugin's own check.
      const after = await get(app, '/api/review/courses', learner.auth);
      assert.equal(after.status, 403);
      assert.match(after.text, /not linked to an instructor profile/, after.text);
    });

    test('a permission edit takes effect on the next request, for users and for anonymous callers', async () => {
      const learner = await createUser(app);
      assert.equal((await get(app, '/api/tags', learner.auth)).status, 200);
      assert.equal((await get(app, '/api/tags')).status, 200);
      assert.equal((await get(app, '/api/tags')).headers['x-cache'], 'hit');
      const removed = (await app.strapi.db.query(PERMISSION_UID).findMany({ where: { action: 'api::tag.tag.find' }, populate: ['role'] })) as Array<{ id: number; action: string; role: { id: number } }>;
      assert.ok(removed.length >= 2);
      await app.strapi.db.query(PERMISSION_UID).deleteMany({ where: { id: { $in: removed.map((p) => p.id) } } });
      try {
        assert.equal((await get(app, '/api/tags', learner.auth)).status, 403);
        const anon = await get(app, '/api/tags');
        assert.ok(anon.status === 401 || anon.status === 403, `anonymous ${anon.status}`);
      } finally {
        for (const p of removed) await app.strapi.db.query(PERMISSION_UID).create({ data: { action: p.action, role: p.role.id } });
      }
      assert.equal((await get(app, '/api/tags', learner.auth)).status, 200);
      assert.equal((await get(app, '/api/tags')).status, 200);
    });

    test('a password change and a deletion drop the principal', async () => {
      const learner = await createUser(app);
      assert.equal((await get(app, '/api/users/me', learner.auth)).status, 200);
      const misses = await counter(app.strapi, 'kp_cache_principal_lookups_total', 'miss');
      await app.strapi.plugin('users-permissions').service('user').edit(learner.id, { password: 'An0ther-passphrase!' });
      assert.equal((await get(app, '/api/users/me', learner.auth)).status, 200);
      assert.equal(await counter(app.strapi, 'kp_cache_principal_lookups_total', 'miss'), misses + 1, 're-read after the password change');
      await app.strapi.plugin('users-permissions').service('user').remove({ id: learner.id });
      assert.equal((await get(app, '/api/users/me', learner.auth)).status, 401);
    });
  });

  describe('across instances', () => {
    // Another instance's drop reaches this one through the kernel broadcast (what a Redis or
    // LISTEN/NOTIFY transport delivers); the message is delivered here as the transport would.
    const settle = () => new Promise((r) => setImmediate(r));

    test("another instance's catalogue drop empties this instance's cache", async () => {
      const list = '/api/courses?pagination[pageSize]=50';
      await get(app, list);
      assert.equal((await get(app, list)).headers['x-cache'], 'hit');
      deliver(app.strapi, 'cache.catalogue', { from: 'another-instance', reason: 'api::course.course update' });
      await settle();
      assert.equal((await get(app, list)).headers['x-cache'], 'miss');
    });

    test("another instance's principal drop makes this one re-read the user", async () => {
      const learner = await createUser(app);
      assert.equal((await get(app, '/api/users/me', learner.auth)).status, 200);
      // Blocked behind this instance's back (as another instance's write would be: no lifecycle here).
      const knex = app.strapi.db.connection;
      await knex(app.strapi.db.metadata.get(USER_UID).tableName).where({ id: learner.id }).update({ blocked: true });
      assert.equal((await get(app, '/api/users/me', learner.auth)).status, 200, 'still the cached principal');
      deliver(app.strapi, 'cache.principals', { from: 'another-instance', userIds: [learner.id], all: false, reason: 'user update' });
      await settle();
      assert.equal((await get(app, '/api/users/me', learner.auth)).status, 401);
    });

    test('this instance broadcasts its drops to the others', async () => {
      const seen: Array<{ channel: string; payload: unknown }> = [];
      const stopA = onBroadcast(app.strapi, 'cache.catalogue', (payload) => void seen.push({ channel: 'cache.catalogue', payload }));
      const stopB = onBroadcast(app.strapi, 'cache.principals', (payload) => void seen.push({ channel: 'cache.principals', payload }));
      try {
        const learner = await createUser(app);
        await app.strapi.documents(COURSE_UID).update({ documentId: paid.documentId, locale: 'en', status: 'published', data: { summary: 'broadcast me' } as never });
        await app.strapi.plugin('users-permissions').service('user').edit(learner.id, { blocked: true });
        const principalSeen = () => seen.some((m) => m.channel === 'cache.principals' && (m.payload as { userIds: number[] }).userIds.includes(learner.id));
        // Delivered on a later tick (as a network transport would): wait for it, up to 2 s.
        for (let i = 0; i < 100 && !principalSeen(); i += 1) await new Promise((r) => setTimeout(r, 20));
        assert.ok(seen.some((m) => m.channel === 'cache.catalogue'), JSON.stringify(seen));
        assert.ok(seen.some((m) => m.channel === 'cache.principals' && (m.payload as { userIds: number[] }).userIds.includes(learner.id)), JSON.stringify(seen));
      } finally {
        stopA();
        stopB();
      }
    });
  });
});
