/**
 * Several instances that agree (src/platform/scale-out.ts). On PostgreSQL: two Strapi processes
 * on one database behind a loopback round-robin proxy (http-proxy), once with REDIS_URL (Redis
 * pub/sub, Redis rate limits) and once without (LISTEN/NOTIFY, rate limits in the database): a
 * course published, edited and unpublished through instance A is listed and recommended fresh by
 * instance B within a second; the recommender's event limit and users-permissions' auth limit
 * hold across both (the limit, not twice it); the LISTEN connection comes back after PostgreSQL
 * drops it. On SQLite (one instance, nothing to share) the two-instance cases are skipped, and one
 * in-process app checks the single-instance answers: transport `local`, the same 429s.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import request from 'supertest';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../support/db';
import { startChildInstance, type ChildInstance } from '../support/checkout-world';
import { bootApp, type TestApp } from '../support/strapi';
import { roundRobin } from '../support/round-robin';
import { createCourse, createUser } from '../support/builders';

const PG_ONLY = TEST_DB === 'postgres' ? false : 'two instances need PostgreSQL (one SQLite file is one instance): skipped on the SQLite run';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const METRICS_TOKEN = `scale-out-${randomBytes(12).toString('hex')}`;
const EVENTS_PER_MINUTE = 6;
const PASSWORD = 'Passw0rd!secure';
/** users-permissions' auth limit as this app configures it (`ratelimit.max`). */
const AUTH_MAX = 10;
/** What the design promises: a publish reaches every instance within a second. */
const FRESH_MS = 1000;
/** A boot takes 5 s on an idle machine; far longer on a shared, busy one. */
const BOOT_MS = 300_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `check` until it answers true or `ms` passed; returns the time it took, or null. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number | null> {
  const started = performance.now();
  for (;;) {
    if (await check()) return Math.round(performance.now() - started);
    if (performance.now() - started > ms) return null;
    await sleep(25);
  }
}

interface Cluster {
  a: ChildInstance;
  b: ChildInstance;
  proxy: { url: string; close(): Promise<void> };
  adminToken: string;
  stop(): Promise<void>;
}

/** Two instances on `db` (A first: it creates the schema), the proxy in front, an admin through A. */
async function startCluster(db: TestDatabase, env: Record<string, string>): Promise<Cluster> {
  const common = {
    ...db.env,
    AUTH_RATELIMIT: 'true',
    RECOMMENDER_EVENTS_PER_MINUTE: String(EVENTS_PER_MINUTE),
    RECOMMENDER_STATS_REFRESH_SECONDS: '0',
    METRICS_TOKEN,
    REDIS_URL: '',
    ...env,
  };
  const a = await startChildInstance(common, await freePort(), BOOT_MS);
  let b: ChildInstance | null = null;
  try {
    b = await startChildInstance(common, await freePort(), BOOT_MS);
    const proxy = await roundRobin([a.url, b.url]);
    const res = await request(a.url)
      .post('/admin/register-admin')
      .send({ firstname: 'Ed', lastname: 'Itor', email: `editor-${randomBytes(3).toString('hex')}@example.test`, password: PASSWORD });
    assert.ok([200, 201].includes(res.status), `register-admin: ${res.status} ${JSON.stringify(res.body)}`);
    const adminToken = (res.body as { data: { token: string } }).data.token;
    const stopped = b;
    return {
      a,
      b,
      proxy,
      adminToken,
      async stop() {
        await proxy.close();
        await Promise.all([a.stop(), stopped.stop()]);
      },
    };
  } catch (error) {
    await Promise.all([a.stop(), b?.stop()]);
    throw error;
  }
}

const CM = '/content-manager/collection-types/api::course.course';

/** An editor's course in the Content Manager of `instance` (a draft until published). */
async function draftCourse(c: Cluster, instance: string, title: string): Promise<string> {
  const res = await request(instance)
    .post(`${CM}?locale=en`)
    .set('Authorization', `Bearer ${c.adminToken}`)
    .send({ title, slug: `${title.toLowerCase().replace(/\W+/g, '-')}-${randomBytes(3).toString('hex')}`, summary: `About ${title}.`, level: 'beginner', access: 'free', price: 0, currency: 'usd' });
  assert.ok([200, 201].includes(res.status), `create: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { data: { documentId: string } }).data.documentId;
}

async function cm(c: Cluster, instance: string, documentId: string, action: 'publish' | 'unpublish'): Promise<void> {
  const res = await request(instance).post(`${CM}/${documentId}/actions/${action}?locale=en`).set('Authorization', `Bearer ${c.adminToken}`).send({});
  assert.equal(res.status, 200, `${action}: ${res.status} ${JSON.stringify(res.body)}`);
}

async function rename(c: Cluster, instance: string, documentId: string, title: string): Promise<void> {
  // Saving the draft and publishing it again: what an editor does to change a live course.
  const put = await request(instance).put(`${CM}/${documentId}?locale=en`).set('Authorization', `Bearer ${c.adminToken}`).send({ title });
  assert.equal(put.status, 200, `update: ${put.status} ${JSON.stringify(put.body)}`);
  await cm(c, instance, documentId, 'publish');
}

async function recommended(instance: string): Promise<Array<{ documentId: string; title: string }>> {
  const res = await request(instance).get('/api/recommendations?limit=50');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body as { data: Array<{ documentId: string; title: string }> }).data;
}

async function listed(instance: string, documentId: string): Promise<string | null> {
  const res = await request(instance).get(`/api/courses/${documentId}`);
  if (res.status === 404) return null;
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body as { data: { title: string } }).data.title;
}

async function learner(c: Cluster): Promise<string> {
  const name = `learner${randomBytes(4).toString('hex')}`;
  const res = await request(c.a.url).post('/api/auth/local/register').send({ username: name, email: `${name}@example.test`, password: PASSWORD });
  assert.equal(res.status, 200, `register: ${res.status} ${JSON.stringify(res.body)}`);
  return `Bearer ${(res.body as { jwt: string }).jwt}`;
}

async function health(instance: string): Promise<Array<{ name: string; status: string; detail?: string }>> {
  const res = await request(instance).get('/api/operations/platform-health');
  assert.equal(res.status, 200);
  const ops = (res.body as { plugins: Array<{ plugin: string; details: { checks: Array<{ name: string; status: string; detail?: string }> } }> }).plugins.find((p) => p.plugin === 'operations');
  return ops!.details.checks;
}

async function metric(instance: string, pattern: RegExp): Promise<number> {
  const res = await request(instance).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
  assert.equal(res.status, 200);
  let sum = 0;
  for (const line of res.text.split('\n')) if (pattern.test(line)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

/** The cases both configurations must pass. */
function twoInstances(label: string, env: () => Record<string, string>, transport: 'redis' | 'postgres') {
  describe(`two instances behind a proxy, ${label}`, { skip: PG_ONLY }, () => {
    let db: TestDatabase;
    let c: Cluster;

    before(async () => {
      db = await createTestDatabase('postgres');
      c = await startCluster(db, env());
    });

    after(async () => {
      await c?.stop();
      await db?.drop();
    });

    it(`both report the ${transport} broadcast and the state of Redis in platform health`, async () => {
      for (const instance of [c.a.url, c.b.url]) {
        const checks = await health(instance);
        const broadcast = checks.find((x) => x.name === 'broadcast');
        assert.equal(broadcast?.status, 'ok', JSON.stringify(checks));
        assert.match(broadcast!.detail!, new RegExp(`^${transport}: `));
        const redis = checks.find((x) => x.name === 'redis');
        assert.equal(redis?.status, 'ok');
        if (transport === 'redis') assert.match(redis!.detail!, /127\.0\.0\.1:6379/);
        else assert.match(redis!.detail!, /not configured/);
      }
    });

    it('a course published through A is listed and recommended by B within a second; an edit and an unpublish too', async (t) => {
      // A first course: the indexes go from empty to built; then the one that is timed.
      const warm = await draftCourse(c, c.a.url, 'Warm up course');
      await cm(c, c.a.url, warm, 'publish');
      assert.ok((await within(5000, async () => (await recommended(c.b.url)).some((x) => x.documentId === warm))) !== null, 'B never saw the first course');

      const id = await draftCourse(c, c.a.url, 'Distributed systems');
      assert.equal(await listed(c.b.url, id), null, 'a draft is not listed');
      assert.ok(!(await recommended(c.b.url)).some((x) => x.documentId === id), 'a draft is not recommended');

      await cm(c, c.a.url, id, 'publish');
      assert.equal(await listed(c.b.url, id), 'Distributed systems', 'B lists it as soon as A acknowledged');
      const published = await within(FRESH_MS, async () => (await recommended(c.b.url)).some((x) => x.documentId === id));
      assert.ok(published !== null, `B did not recommend the published course within ${FRESH_MS} ms`);

      await rename(c, c.a.url, id, 'Distributed systems, second edition');
      assert.equal(await listed(c.b.url, id), 'Distributed systems, second edition');
      const edited = await within(FRESH_MS, async () => (await recommended(c.b.url)).some((x) => x.documentId === id && x.title === 'Distributed systems, second edition'));
      assert.ok(edited !== null, `B still recommends the old title after ${FRESH_MS} ms`);

      await cm(c, c.a.url, id, 'unpublish');
      assert.equal(await listed(c.b.url, id), null, 'B no longer lists it');
      const gone = await within(FRESH_MS, async () => !(await recommended(c.b.url)).some((x) => x.documentId === id));
      assert.ok(gone !== null, `B still recommends the unpublished course after ${FRESH_MS} ms`);
      // A, where it was written, agrees.
      assert.ok(!(await recommended(c.a.url)).some((x) => x.documentId === id));
      t.diagnostic(`B recommended it ${published} ms after the publish, the new title ${edited} ms after the edit, dropped it ${gone} ms after the unpublish`);

      assert.ok((await metric(c.b.url, /^kp_broadcast_messages_total\{.*channel="recommender\.courses".*event="received"/)) >= 3, 'B counts what it received');
      assert.ok((await metric(c.a.url, /^kp_broadcast_messages_total\{.*channel="recommender\.courses".*event="published"/)) >= 3, 'A counts what it published');
      assert.equal(await metric(c.a.url, /^kp_broadcast_messages_total\{.*event="publish_failed"/), 0);
    });

    it(`the recommender's event limit holds across both: ${EVENTS_PER_MINUTE} per minute, not twice that`, async () => {
      const auth = await learner(c);
      const course = (await recommended(c.a.url))[0]!.documentId;
      const statuses: number[] = [];
      let limited: request.Response | null = null;
      for (let i = 0; i < EVENTS_PER_MINUTE * 2; i++) {
        const res = await request(c.proxy.url).post('/api/recommendations/events').set('Authorization', auth).send({ courseDocumentId: course, kind: 'view' });
        statuses.push(res.status);
        if (res.status === 429) limited ??= res;
      }
      assert.deepEqual(statuses, [...Array(EVENTS_PER_MINUTE).fill(201), ...Array(EVENTS_PER_MINUTE).fill(429)]);
      const retry = Number(limited!.headers['retry-after']);
      assert.ok(retry >= 1 && retry <= 60, `Retry-After ${limited!.headers['retry-after']}`);
      const error = (limited!.body as { error: { message: string; details: { retryAfterSeconds: number } } }).error;
      assert.match(error.message, new RegExp(`at most ${EVENTS_PER_MINUTE} per 60 s`));
      assert.equal(error.details.retryAfterSeconds, retry);
      // Another learner has a limit of their own.
      const other = await learner(c);
      const res = await request(c.proxy.url).post('/api/recommendations/events').set('Authorization', other).send({ courseDocumentId: course, kind: 'view' });
      assert.equal(res.status, 201);
    });

    it("users-permissions' login limit holds across both: 10 wrong passwords, then 429 with Retry-After on either instance", async () => {
      const statuses: number[] = [];
      let limited: request.Response | null = null;
      for (let i = 0; i < AUTH_MAX + 3; i++) {
        const res = await request(c.proxy.url).post('/api/auth/local').send({ identifier: 'nobody@example.test', password: `wrong-${i}` });
        statuses.push(res.status);
        if (res.status === 429) limited ??= res;
      }
      assert.deepEqual(statuses, [...Array(AUTH_MAX).fill(400), 429, 429, 429]);
      const retry = Number(limited!.headers['retry-after']);
      assert.ok(retry >= 1 && retry <= 300, `Retry-After ${limited!.headers['retry-after']}`);
      assert.match((limited!.body as { error: { message: string } }).error.message, /Too many attempts on \/api\/auth\/local .*Try again in \d+ s/);
      // Each instance alone refuses too: the count is shared, not per process.
      for (const instance of [c.a.url, c.b.url]) {
        const res = await request(instance).post('/api/auth/local').send({ identifier: 'nobody@example.test', password: 'again' });
        assert.equal(res.status, 429);
      }
    });

    if (transport === 'postgres') {
      it('the LISTEN connection comes back after PostgreSQL drops it, and publishes reach B again', async () => {
        const admin = new Client({ connectionString: db.env.DATABASE_URL });
        await admin.connect();
        try {
          const killed = await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'kp-broadcast'");
          assert.equal(killed.rowCount, 2, 'one listener per instance');
        } finally {
          await admin.end();
        }
        const back = await within(10_000, async () => (await health(c.b.url)).find((x) => x.name === 'broadcast')?.status === 'ok');
        assert.ok(back !== null, 'B listens again');
        await within(10_000, async () => (await health(c.a.url)).find((x) => x.name === 'broadcast')?.status === 'ok');
        const id = await draftCourse(c, c.a.url, 'After the reconnection');
        await cm(c, c.a.url, id, 'publish');
        assert.ok((await within(FRESH_MS * 3, async () => (await recommended(c.b.url)).some((x) => x.documentId === id))) !== null, 'B recommends what A published after the reconnection');
      });
    }
  });
}

twoInstances('with REDIS_URL (Redis pub/sub, Redis rate limits)', () => ({ REDIS_URL, BROADCAST_PREFIX: `kp-test-${randomBytes(4).toString('hex')}:` }), 'redis');
twoInstances('without Redis (PostgreSQL LISTEN/NOTIFY, rate limits in the database)', () => ({}), 'postgres');

describe('one instance (SQLite run): nothing to share, the same answers', { skip: TEST_DB === 'postgres' ? 'the PostgreSQL run covers two instances above' : false }, () => {
  let app: TestApp;

  before(async () => {
    app = await bootApp({ env: { AUTH_RATELIMIT: 'true', RECOMMENDER_EVENTS_PER_MINUTE: String(EVENTS_PER_MINUTE), RECOMMENDER_STATS_REFRESH_SECONDS: '0', REDIS_URL: '' } });
  });

  after(async () => {
    await app?.close();
  });

  it('reports the in-process transport, Redis not configured', async () => {
    const res = await app.http().get('/api/operations/platform-health');
    const checks = (res.body as { plugins: Array<{ plugin: string; details: { checks: Array<{ name: string; status: string; detail?: string }> } }> }).plugins.find((p) => p.plugin === 'operations')!.details.checks;
    assert.deepEqual(
      checks.filter((x) => x.name !== 'database').map((x) => [x.name, x.status, x.detail]),
      [
        ['broadcast', 'ok', 'local: in process (one instance)'],
        ['redis', 'ok', 'not configured (REDIS_URL unset)'],
      ]
    );
  });

  it('a publish reaches its own index through the broadcast', async () => {
    const course = await createCourse(app, { title: 'Local broadcast course', chapters: 1, publish: true });
    const seen = await within(5000, async () => {
      const res = await app.http().get('/api/recommendations?limit=50');
      return (res.body as { data: Array<{ documentId: string }> }).data.some((x) => x.documentId === course.documentId);
    });
    assert.ok(seen !== null);
  });

  it('limits events and logins with 429, Retry-After and a message naming the limit', async () => {
    const user = await createUser(app);
    const res0 = await app.http().get('/api/recommendations?limit=1');
    const course = (res0.body as { data: Array<{ documentId: string }> }).data[0]!.documentId;
    const statuses: number[] = [];
    for (let i = 0; i < EVENTS_PER_MINUTE + 1; i++) {
      statuses.push((await app.http().post('/api/recommendations/events').set('Authorization', user.auth).send({ courseDocumentId: course, kind: 'view' })).status);
    }
    assert.deepEqual(statuses, [...Array(EVENTS_PER_MINUTE).fill(201), 429]);
    const logins: request.Response[] = [];
    for (let i = 0; i < AUTH_MAX + 1; i++) logins.push(await app.http().post('/api/auth/local').send({ identifier: user.email, password: 'wrong' }));
    assert.deepEqual(logins.map((r) => r.status), [...Array(AUTH_MAX).fill(400), 429]);
    assert.ok(Number(logins[AUTH_MAX]!.headers['retry-after']) >= 1);
    assert.match((logins[AUTH_MAX]!.body as { error: { message: string } }).error.message, /Too many attempts on \/api\/auth\/local/);
  });
});
