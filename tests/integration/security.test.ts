/**
 * The edges around the content API, attacked over HTTP against the real app (one boot, SQLite or
 * PostgreSQL per TEST_DB): the route-permission inventory against its committed matrix, refusals
 * of every route a role is not granted, revocation of permissions an earlier version granted,
 * draft reads by every spelling of path and `status` (sent verbatim with node:http), the Content
 * Manager guards by spelling, CORS, account-recovery oracles, and the development secrets.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import type http from 'node:http';
import { bootApp, type TestApp } from '../support/strapi';
import { createAdmin, createCourse, createInstructor, createUser, type BuiltCourse, type TestAdmin, type TestInstructor, type TestUser } from '../support/builders';
import { authorCourse, createTaxonomy, submitCourse } from '../support/review-fixtures';
import { ensureListening, pathSpellings, rawRequest, type RawResponse } from '../support/raw-http';
import { listContentApiRoutes, type ContentApiRoute } from '../../src/lib/security/content-api-routes';
import { ROLES, ROUTE_PERMISSIONS, grantedActions, type RoleType } from '../../src/lib/security/route-permissions';
import { ensureRolesAndPermissions, revokeForbiddenPermissions } from '../../src/lib/permissions';
import { drainAccountEmails } from '../../src/lib/security/account-recovery';
import { loadDevSecrets, devSecretsFile } from '../../src/lib/security/secrets';

const RUN = randomBytes(3).toString('hex');
/** Titles that exist only in draft versions: none may ever reach a content-API response. */
const DRAFT_COURSE = `DRAFT-ONLY-COURSE-${RUN}`;
const DRAFT_CHAPTER = `DRAFT-ONLY-CHAPTER-${RUN}`;
const DRAFT_EDIT = `UNPUBLISHED-EDIT-${RUN}`;
const DRAFT_TITLES = [DRAFT_COURSE, DRAFT_CHAPTER, DRAFT_EDIT];
const PARTNER = 'https://partner.example';

const PERMISSION_UID = 'plugin::users-permissions.permission';
const ROLE_UID = 'plugin::users-permissions.role';
const USER_UID = 'plugin::users-permissions.user';
const ORDER_UID = 'plugin::checkout.order';

let app: TestApp;
let server: http.Server;
let learner: TestUser;
let A: TestInstructor;
let B: TestInstructor;
let superAdmin: TestAdmin;
let draft: BuiltCourse;
let published: BuiltCourse;
let routes: ContentApiRoute[];

const leakedDraft = (text: string) => DRAFT_TITLES.filter((t) => text.includes(t));

before(async () => {
  // The listen address a fresh checkout gets (asserted below): nothing set.
  delete process.env.HOST;
  app = await bootApp({ env: { CORS_ORIGINS: PARTNER } });
  server = app.strapi.server.httpServer;
  await ensureListening(server);
  learner = await createUser(app);
  [A, B] = [await createInstructor(app, 'Ada Owner'), await createInstructor(app, 'Bob Other')];
  superAdmin = await createAdmin(app);
  const taxonomy = await createTaxonomy(app);
  draft = await createCourse(app, {
    title: DRAFT_COURSE,
    publish: false,
    instructor: A.instructorDocumentId,
    tags: taxonomy.tags,
    category: taxonomy.category,
    chapters: [{ title: `${DRAFT_COURSE} chapter` }],
  });
  published = await createCourse(app, {
    title: `Published course ${RUN}`,
    instructor: A.instructorDocumentId,
    tags: taxonomy.tags,
    category: taxonomy.category,
    chapters: [{ isPreview: true }, { title: DRAFT_CHAPTER, publish: false }],
  });
  // An edit saved but not published: the draft version carries a title the public must not see.
  await app.strapi.documents('api::course.course').update({ documentId: published.documentId, locale: 'en', data: { title: DRAFT_EDIT } as never });
  await app.strapi.documents('api::plan.plan').create({
    locale: 'en',
    data: { name: `Plan ${RUN}`, slug: `plan-${RUN}`, interval: 'month', price: 900, currency: 'usd', allAccess: false, courses: [draft.documentId, published.documentId] } as never,
  });
  routes = await listContentApiRoutes(app.strapi);
});

after(async () => {
  // Covers and attachments uploaded here are real files under public/uploads: remove them with their rows.
  if (app) {
    const upload = app.strapi.plugin('upload').service('upload');
    for (const f of await app.strapi.db.query('plugin::upload.file').findMany({ select: ['id'] })) {
      const file = await upload.findOne(f.id);
      if (file) await upload.remove(file).catch(() => undefined);
    }
  }
  await app?.close();
});

/** A request path for a route template: parameters get a harmless value. */
function concretePath(route: ContentApiRoute): string {
  return route.path.replace(/:[A-Za-z]+/g, 'x1').replace('(.*)', 'github');
}

describe('route permissions', () => {
  test('every content-API route of the booted app has an entry in the matrix, and every entry a route', () => {
    assert.ok(routes.length > 80, `routes enumerated (${routes.length})`);
    const owners = new Set(routes.map((r) => r.owner));
    for (const owner of ['api::course', 'api::chapter', 'api::progress', 'plugin::users-permissions', 'plugin::upload', 'plugin::i18n', 'plugin::paywall', 'plugin::checkout', 'plugin::review', 'plugin::recommender', 'plugin::learning']) {
      assert.ok(owners.has(owner), `${owner}'s routes are enumerated`);
    }
    const ungoverned = routes.filter((r) => !ROUTE_PERMISSIONS[r.action]).map((r) => `${r.method} ${r.path} (${r.action})`);
    assert.deepEqual(ungoverned, [], 'routes without an entry in src/lib/security/route-permissions.ts');
    const actions = new Set(routes.map((r) => r.action));
    const stale = Object.keys(ROUTE_PERMISSIONS).filter((a) => !actions.has(a));
    assert.deepEqual(stale, [], 'matrix entries naming no route');
    const openMismatch = routes.filter((r) => r.open !== Boolean(ROUTE_PERMISSIONS[r.action]!.open)).map((r) => `${r.method} ${r.path}: auth ${r.open ? 'false' : 'required'}`);
    assert.deepEqual(openMismatch, [], 'open (auth: false) routes are exactly the ones the matrix says');
  });

  test('each role holds exactly what the matrix grants, and every plugin need is in it', async () => {
    for (const role of ROLES) {
      const row = await app.strapi.db.query(ROLE_UID).findOne({ where: { type: role } });
      const held = (await app.strapi.db.query(PERMISSION_UID).findMany({ where: { role: row.id }, select: ['action'] })) as Array<{ action: string }>;
      assert.deepEqual(held.map((p) => p.action).sort(), grantedActions(role), `${role}: database grants = matrix`);
    }
    for (const name of ['paywall', 'checkout', 'review', 'recommender', 'learning']) {
      const declared = app.strapi.plugin(name).config('rolePermissions') as Record<RoleType, string[]>;
      for (const role of ROLES) for (const action of declared[role]) assert.ok(grantedActions(role).includes(action), `${name} needs ${role} → ${action}`);
    }
  });

  test('every route a role is not granted answers 401/403 to that role, before any handler runs', async (t) => {
    const personas: Record<RoleType, string | undefined> = { public: undefined, authenticated: learner.auth, instructor: A.auth };
    const filesBefore = await app.strapi.db.query('plugin::upload.file').count({});
    const usersBefore = await app.strapi.db.query(USER_UID).count({});
    let checked = 0;
    for (const role of ROLES) {
      const granted = new Set(grantedActions(role));
      for (const route of routes) {
        if (route.open || granted.has(route.action)) continue;
        const res = await rawRequest(server, route.method, concretePath(route), {
          ...(personas[role] ? { authorization: personas[role]! } : {}),
          'content-type': 'application/json',
        });
        assert.ok([401, 403].includes(res.status), `${role}: ${route.method} ${route.path} (${route.action}) → ${res.status} ${res.text.slice(0, 200)}`);
        checked += 1;
      }
    }
    assert.ok(checked > 150, `${checked} refusals checked`);
    t.diagnostic(`${routes.length} content-API routes; ${checked} refusals checked over HTTP`);
    assert.equal(await app.strapi.db.query('plugin::upload.file').count({}), filesBefore);
    assert.equal(await app.strapi.db.query(USER_UID).count({}), usersBefore);
  });

  test('forbidden permissions an earlier version granted are revoked on every boot, idempotently', async () => {
    const roleOf = async (type: RoleType) => (await app.strapi.db.query(ROLE_UID).findOne({ where: { type } })).id as number;
    const permissions = app.strapi.db.query(PERMISSION_UID);
    const store = app.strapi.store({ type: 'core', name: 'platform' });
    // An existing deployment: the instructor role was granted Strapi's upload route (and the
    // grant remembered), and someone gave the public user listing and learners tag writes.
    const planted: Array<[RoleType, string]> = [
      ['instructor', 'plugin::upload.content-api.upload'],
      ['public', 'plugin::users-permissions.user.find'],
      ['authenticated', 'api::tag.tag.create'],
      ['authenticated', 'api::course.course.update'],
    ];
    for (const [role, action] of planted) await permissions.create({ data: { action, role: await roleOf(role) } });
    const memory = (await store.get({ key: 'granted-permissions' })) as Record<string, string[]>;
    memory.instructor = [...memory.instructor!, 'plugin::upload.content-api.upload'];
    await store.set({ key: 'granted-permissions', value: memory });

    const cover = await authorCourse(app, A, { complete: true, chapters: 1, taxonomy: await createTaxonomy(app) });
    const coverRow = await app.strapi.db.query('api::course.course').findOne({ where: { documentId: cover.documentId }, populate: ['cover'] });
    const fileId = coverRow.cover.id as number;
    const replaceBefore = await rawUploadReplace(fileId, B.auth);
    assert.equal(replaceBefore.status, 200, 'the planted grant really lets another instructor rename any file');

    await ensureRolesAndPermissions(app.strapi);
    for (const [role, action] of planted) {
      assert.equal(await permissions.count({ where: { action, role: await roleOf(role) } }), 0, `${role} → ${action} revoked`);
    }
    assert.equal(await permissions.count({ where: { action: 'api::course.course.update', role: await roleOf('instructor') } }), 1, 'instructors keep authoring');
    const after = (await store.get({ key: 'granted-permissions' })) as Record<string, string[]>;
    assert.ok(!after.instructor!.includes('plugin::upload.content-api.upload'), 'and forgotten as granted');
    assert.deepEqual(await revokeForbiddenPermissions(app.strapi), [], 'a second run finds nothing');

    const replaced = await rawUploadReplace(fileId, B.auth);
    assert.equal(replaced.status, 403, `POST /api/upload?id= is refused now: ${replaced.text}`);
    const upload = await app.http().post('/api/upload').set('Authorization', A.auth).attach('files', Buffer.from('x'), 'x.txt');
    assert.equal(upload.status, 403);
    // Instructors still upload, through the route that checks ownership.
    const own = await app
      .http()
      .post('/api/review/media')
      .set('Authorization', A.auth)
      .field('field', 'attachments')
      .field('documentId', cover.chapters[0]!)
      .attach('files', Buffer.from('notes'), { filename: 'notes.txt', contentType: 'text/plain' });
    assert.equal(own.status, 201, JSON.stringify(own.body));
    const foreign = await app
      .http()
      .post('/api/review/media')
      .set('Authorization', B.auth)
      .field('field', 'attachments')
      .field('documentId', cover.chapters[0]!)
      .attach('files', Buffer.from('notes'), { filename: 'notes.txt', contentType: 'text/plain' });
    assert.equal(foreign.status, 403);
  });
});

/** `POST /api/upload?id=<file>` with fileInfo only: Strapi renames the file (no file needed). */
function rawUploadReplace(fileId: number, auth: string) {
  return app
    .http()
    .post(`/api/upload?id=${fileId}`)
    .set('Authorization', auth)
    .field('fileInfo', JSON.stringify({ name: `renamed-by-someone-else-${RUN}`, alternativeText: 'x' }));
}

describe('drafts, by every spelling', () => {
  const STATUS = ['status=draft', 'status=Draft', 'status[0]=draft', 'publicationFilter=never-published'];
  const MORE_STATUS = [
    'status=DRAFT',
    'status[]=draft',
    'status=published&status=draft',
    'status[$ne]=published',
    'status=%64raft',
    '%73tatus=draft',
    'st%61tus=draft',
    'STATUS=draft',
    'Status=draft',
    'publicationFilter=modified',
    'publicationFilter=published-with-draft',
    'hasPublishedVersion=false',
    'status=draft&locale=*',
  ];
  const rests = () => [
    'courses?populate=*',
    `courses/${draft.documentId}?populate=*`,
    `courses/${published.documentId}?populate=chapters`,
    'chapters?populate=course',
    `chapters/${published.chapters[1]!.documentId}?populate=*`,
    'instructors?populate=courses',
    'tags?populate=courses',
    'categories?populate=courses',
    'plans?populate=courses',
  ];

  async function attack(path: string, auth?: string): Promise<RawResponse> {
    const res = await rawRequest(server, 'GET', path, auth ? { authorization: auth } : {});
    assert.ok(res.status < 500, `${path} → ${res.status} ${res.text.slice(0, 200)}`);
    assert.deepEqual(leakedDraft(res.text), [], `${path} (${auth ? 'signed in' : 'anonymous'}) → ${res.status} returned a draft`);
    return res;
  }

  test('the drafts exist and are what the admin panel reads (the markers can leak)', async () => {
    const drafts = await app.strapi.documents('api::course.course').findMany({ status: 'draft', locale: 'en', fields: ['title'] });
    assert.ok(drafts.some((d) => d.title === DRAFT_COURSE) && drafts.some((d) => d.title === DRAFT_EDIT));
    const cm = await app.http().get(`/content-manager/collection-types/api::course.course/${published.documentId}?locale=en`).set('Authorization', superAdmin.auth);
    assert.equal(cm.status, 200);
    assert.equal(cm.body.data.title, DRAFT_EDIT, 'the Content Manager (an admin route) still reads drafts');
    const published_ = await attack(`/api/courses/${published.documentId}`);
    assert.equal(JSON.parse(published_.text).data.title, `Published course ${RUN}`);
  });

  test('anonymous: every path spelling × draft parameters, on every catalogue route and relation', async (t) => {
    let sent = 0;
    let reached = 0;
    for (const rest of rests()) {
      for (const q of STATUS) {
        for (const spelling of pathSpellings('/api/', `${rest}&${q}`)) {
          const res = await attack(spelling.path);
          sent += 1;
          if (res.status === 403 && /Drafts are not available/.test(res.text)) reached += 1;
        }
      }
      for (const q of MORE_STATUS) {
        for (const spelling of pathSpellings('/api/', `${rest}&${q}`).filter((s) => ['canonical', 'upper case', 'capitalised', 'trailing slash', 'rest upper case'].includes(s.name))) {
          await attack(spelling.path);
          sent += 1;
        }
      }
    }
    assert.ok(sent > 1500, `${sent} requests`);
    t.diagnostic(`${sent} anonymous draft reads, ${reached} refused by the draft guard, none returned a draft`);
    // Not a bypass count: proof that the spellings the router accepts reached the guard.
    assert.ok(reached >= rests().length * STATUS.length * 4, `${reached} refusals by the draft guard`);
    for (const spelling of ['/API/courses?status=draft', '/Api/chapters?status=draft', '/api/Courses/?status=draft']) {
      const res = await attack(spelling);
      assert.equal(res.status, 403, spelling);
    }
  });

  test('signed in (a learner, the owner instructor, another instructor): no spelling returns a draft', async () => {
    const spellings = (rest: string, q: string, names: string[]) => pathSpellings('/api/', `${rest}&${q}`).filter((s) => names.includes(s.name));
    for (const auth of [learner.auth, A.auth, B.auth]) {
      for (const rest of rests()) {
        for (const q of STATUS) for (const s of spellings(rest, q, ['canonical', 'upper case', 'capitalised', 'mixed case', 'trailing slash'])) await attack(s.path, auth);
        for (const q of MORE_STATUS) for (const s of spellings(rest, q, ['canonical', 'upper case'])) await attack(s.path, auth);
      }
    }
    // The review plugin's routes take no `status` and no longer have an exemption to spoof:
    // another instructor never sees the owner's drafts there, however the path is spelled.
    for (const q of STATUS) {
      for (const s of pathSpellings('/api/', `review/courses?${q}`)) await attack(s.path, B.auth);
      for (const s of pathSpellings('/api/', `review/courses/${draft.documentId}?${q}`)) await attack(s.path, B.auth);
    }
    const own = await app.http().get('/api/review/courses').set('Authorization', A.auth);
    assert.equal(own.status, 200);
    assert.ok(JSON.stringify(own.body).includes(DRAFT_COURSE), 'the owner reads their own drafts through the review plugin');
  });
});

describe('guards that decided on a raw path', () => {
  test('orders stay read-only in the Content Manager whatever the spelling', async () => {
    const order = (await app.strapi.documents(ORDER_UID as never).create({ data: { state: 'paid', kind: 'course', amount: 1999, currency: 'usd' } as never })) as unknown as { documentId: string };
    let guarded = 0;
    for (const prefix of ['/content-manager/', '/Content-Manager/', '/CONTENT-MANAGER/', '/content-Manager/']) {
      const path = `${prefix}collection-types/${ORDER_UID}/${order.documentId}`;
      const edit = await app.http().put(path).set('Authorization', superAdmin.auth).send({ amount: 1, state: 'refunded' });
      assert.ok(edit.status === 403 || edit.status === 404 || edit.status === 405, `${path} → ${edit.status} ${JSON.stringify(edit.body)}`);
      if (edit.status === 403) guarded += 1;
      const del = await app.http().delete(path).set('Authorization', superAdmin.auth);
      assert.ok(del.status === 403 || del.status === 404 || del.status === 405, `DELETE ${path} → ${del.status}`);
    }
    // (The super admin holds every Content Manager permission: the 403 is the sync guard's.)
    assert.equal(guarded, 4, 'the router matched every spelling, and the guard refused each');
    const row = await app.strapi.db.query(ORDER_UID).findOne({ where: { documentId: order.documentId } });
    assert.equal(row.amount, 1999);
    assert.equal(row.state, 'paid');
  });

  test('publishing from the Content Manager by another spelling still approves the review', async () => {
    const course = await authorCourse(app, A, { taxonomy: await createTaxonomy(app) });
    await submitCourse(app, A, course.documentId);
    const res = await app
      .http()
      .post(`/CONTENT-MANAGER/collection-types/api::course.course/${course.documentId}/actions/publish?locale=en`)
      .set('Authorization', superAdmin.auth)
      .send({});
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const record = (await app.strapi.plugin('review').service('submissions').get(course.documentId)) as { state: string };
    assert.equal(record.state, 'approved', 'the queue and the audit trail follow the publication');
  });
});

describe('cross-origin requests', () => {
  const cors = (res: { headers: Record<string, unknown> }) => ({
    origin: res.headers['access-control-allow-origin'],
    credentials: res.headers['access-control-allow-credentials'],
  });

  test('a listed origin gets CORS headers with credentials; no other origin gets any', async () => {
    const ok = await app.http().get('/api/courses').set('Origin', PARTNER);
    assert.deepEqual(cors(ok), { origin: PARTNER, credentials: 'true' });
    assert.match(String(ok.headers.vary), /Origin/i);
    const preflight = await app.http().options('/api/checkout/sessions').set('Origin', PARTNER).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'authorization,content-type');
    assert.equal(preflight.headers['access-control-allow-origin'], PARTNER);
    assert.match(String(preflight.headers['access-control-allow-methods']), /POST/);

    for (const origin of ['http://127.0.0.1:9999', 'http://localhost:1337', 'https://partner.example.evil.test', 'https://evil.test', 'null', 'https://PARTNER.example']) {
      for (const [method, path] of [
        ['GET', '/api/courses'],
        ['GET', '/api/users/me'],
        ['POST', '/admin/access-token'],
        ['GET', '/admin/users/me'],
        ['GET', '/admin/init'],
      ] as const) {
        const res = method === 'GET' ? await app.http().get(path).set('Origin', origin) : await app.http().post(path).set('Origin', origin);
        assert.deepEqual(cors(res), { origin: undefined, credentials: undefined }, `${origin} ${method} ${path}`);
        const pre = await app.http().options(path).set('Origin', origin).set('Access-Control-Request-Method', method === 'GET' ? 'PUT' : method).set('Access-Control-Request-Headers', 'authorization,content-type');
        assert.deepEqual(cors(pre), { origin: undefined, credentials: undefined }, `preflight ${origin} ${path}`);
      }
    }
  });
});

describe('account recovery and sign-in give nothing away', () => {
  /** Runs one request and returns what it said and the SQL it ran before its response was sent. */
  async function observe(send: () => Promise<{ status: number; body: unknown }>): Promise<{ status: number; body: unknown; sql: string[] }> {
    // Writes just before (creating the users under test) emit Strapi events whose listeners read
    // the entry in the background (the user's role): let them finish outside the window.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sql: string[] = [];
    let open = true;
    const onQuery = (q: { sql: string }) => {
      if (open) sql.push(q.sql);
    };
    const onRequest = (_req: http.IncomingMessage, res: http.ServerResponse) => res.once('finish', () => (open = false));
    app.strapi.db.connection.on('query', onQuery);
    server.prependListener('request', onRequest);
    try {
      const res = await send();
      return { status: res.status, body: res.body, sql };
    } finally {
      server.off('request', onRequest);
      app.strapi.db.connection.off('query', onQuery);
      await drainAccountEmails(app.strapi);
    }
  }

  async function userRow(email: string) {
    return app.strapi.db.query(USER_UID).findOne({ where: { email } });
  }

  test('forgot-password: one answer for known, blocked and unknown addresses, the same work before it, never a 5xx', async () => {
    const known = await createUser(app);
    const blocked = await createUser(app);
    await app.strapi.db.query(USER_UID).update({ where: { id: blocked.id }, data: { blocked: true } });
    const forgot = (email: string) => () => app.http().post('/api/auth/forgot-password').send({ email });
    const answers = {
      known: await observe(forgot(known.email)),
      blocked: await observe(forgot(blocked.email)),
      unknown: await observe(forgot(`nobody-${RUN}@example.test`)),
      knownUpperCase: await observe(forgot(known.email.toUpperCase())),
    };
    for (const [name, a] of Object.entries(answers)) {
      assert.equal(a.status, 200, name);
      assert.deepEqual(a.body, { ok: true }, name);
      assert.deepEqual(a.sql, answers.unknown.sql, `${name}: the same statements ran before the answer`);
    }
    assert.ok(!answers.known.sql.some((s) => /up_users/.test(s) && /email/.test(s)), 'no account look-up before the answer');
    // The work happened after the answer: the known account has a reset code, the others none.
    const code = (await userRow(known.email)).resetPasswordToken as string | null;
    assert.ok(code && code.length >= 64, 'a reset code was issued for the known address');
    assert.equal((await userRow(blocked.email)).resetPasswordToken, null);

    for (const email of ['not-an-address', '', `${known.email}\u0000`]) {
      const res = await app.http().post('/api/auth/forgot-password').send({ email });
      assert.equal(res.status, 400, `${JSON.stringify(email)} → ${res.status}`);
    }
    assert.equal((await app.http().post('/api/auth/forgot-password').send({})).status, 400);

    // The code works end to end, and a wrong one is a 400 like any bad input.
    const bad = await app.http().post('/api/auth/reset-password').send({ code: 'f'.repeat(128), password: 'N3w-passphrase!', passwordConfirmation: 'N3w-passphrase!' });
    assert.equal(bad.status, 400);
    const reset = await app.http().post('/api/auth/reset-password').send({ code, password: 'N3w-passphrase!', passwordConfirmation: 'N3w-passphrase!' });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    const login = await app.http().post('/api/auth/local').send({ identifier: known.email, password: 'N3w-passphrase!' });
    assert.equal(login.status, 200);
  });

  test('send-email-confirmation: one answer for unconfirmed, confirmed, blocked and unknown addresses', async () => {
    const confirmed = await createUser(app);
    const unconfirmed = await createUser(app);
    const blocked = await createUser(app);
    await app.strapi.db.query(USER_UID).update({ where: { id: unconfirmed.id }, data: { confirmed: false } });
    await app.strapi.db.query(USER_UID).update({ where: { id: blocked.id }, data: { blocked: true, confirmed: false } });
    const unknown = `nobody-else-${RUN}@example.test`;
    const runs: Array<{ status: number; body: unknown; sql: string[] }> = [];
    for (const email of [confirmed.email, unconfirmed.email, blocked.email, unknown]) {
      runs.push(await observe(() => app.http().post('/api/auth/send-email-confirmation').send({ email })));
      const last = runs.at(-1)!;
      assert.equal(last.status, 200, email);
      assert.deepEqual(last.body, { email, sent: true });
    }
    for (const r of runs) assert.deepEqual(r.sql, runs.at(-1)!.sql);
  });

  test('sign-in: an unknown account costs the same password comparison as a wrong password', async () => {
    const user = await createUser(app);
    const service = app.strapi.plugin('users-permissions').service('user') as { validatePassword: (p: string, h: string) => Promise<boolean> };
    const original = service.validatePassword;
    let comparisons = 0;
    service.validatePassword = (p, h) => {
      comparisons += 1;
      return original.call(service, p, h);
    };
    try {
      const outcomes = [];
      for (const identifier of [user.email, `nobody-${RUN}@example.test`, user.username, `nobody${RUN}`]) {
        comparisons = 0;
        const res = await app.http().post('/api/auth/local').send({ identifier, password: 'not-the-password-1' });
        outcomes.push({ status: res.status, message: res.body.error?.message, comparisons });
      }
      for (const o of outcomes) assert.deepEqual(o, { status: 400, message: 'Invalid identifier or password', comparisons: 1 });
    } finally {
      service.validatePassword = original;
    }
    const ok = await app.http().post('/api/auth/local').send({ identifier: user.email, password: user.password });
    assert.equal(ok.status, 200);
  });

  test('admin sign-in: an unknown e-mail costs the same password comparison as a wrong password', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bcrypt = require('bcryptjs') as { compare: (...args: unknown[]) => Promise<boolean> };
    const original = bcrypt.compare;
    let comparisons = 0;
    bcrypt.compare = (...args: unknown[]) => {
      comparisons += 1;
      return original.apply(bcrypt, args);
    };
    try {
      for (const email of [superAdmin.email, `nobody-${RUN}@example.test`]) {
        comparisons = 0;
        const res = await app.http().post('/admin/login').send({ email, password: 'Not-the-passw0rd' });
        assert.deepEqual({ status: res.status, message: res.body.error?.message, comparisons }, { status: 400, message: 'Invalid credentials', comparisons: 1 }, email);
      }
    } finally {
      bcrypt.compare = original;
    }
    assert.equal((await app.http().post('/admin/login').send({ email: superAdmin.email, password: superAdmin.password })).status, 200);
  });

  test('OAuth connect answers 4xx, never 5xx, whatever the spelling of its path', async () => {
    for (const s of pathSpellings('/api/', 'connect/github')) {
      const res = await rawRequest(server, 'GET', s.path);
      assert.ok(res.status >= 400 && res.status < 500, `${s.name}: ${s.path} → ${res.status} ${res.text.slice(0, 200)}`);
    }
  });

  test('register says "Email or Username are already taken" for either (the documented limit: registration itself tells)', async () => {
    const user = await createUser(app);
    const byEmail = await app.http().post('/api/auth/local/register').send({ username: `fresh${RUN}`, email: user.email, password: 'Str0ng-passw0rd' });
    const byName = await app.http().post('/api/auth/local/register').send({ username: user.username, email: `fresh-${RUN}@example.test`, password: 'Str0ng-passw0rd' });
    for (const res of [byEmail, byName]) {
      assert.equal(res.status, 400);
      assert.equal(res.body.error.message, 'Email or Username are already taken');
    }
  });
});

describe('development secrets and the listen address', () => {
  const FIXED = ['dev-only-insecure-jwt_secret', 'dev-only-insecure-admin_jwt_secret', 'dev-only-insecure-app_keys'];

  /** An HS256 JWT, as users-permissions issues them. */
  function jwtFor(payload: Record<string, unknown>, key: string): string {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const head = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ iat: Math.floor(Date.now() / 1000), ...payload })}`;
    return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`;
  }

  test('secrets are generated for this checkout, not fixed values anyone can read in the source', () => {
    const config = app.strapi.config;
    const values = [
      config.get('plugin::users-permissions.jwtSecret'),
      config.get('admin.auth.secret'),
      config.get('admin.apiToken.salt'),
      config.get('admin.transfer.token.salt'),
      config.get('admin.secrets.encryptionKey'),
      ...(config.get('server.app.keys') as string[]),
    ] as string[];
    for (const v of values) {
      assert.ok(typeof v === 'string' && v.length >= 32, 'long enough');
      assert.ok(!FIXED.some((f) => v.includes(f)) && !v.startsWith('dev-only'), 'not the old fixed value');
    }
    if (!process.env.JWT_SECRET) {
      assert.equal(values[0], loadDevSecrets(devSecretsFile()).JWT_SECRET, 'kept in the git-ignored secrets file and reused');
    }
  });

  test('a learner JWT forged with the old fixed secret is refused; the real one works', async () => {
    const forged = jwtFor({ id: learner.id }, 'dev-only-insecure-jwt_secret');
    assert.equal((await app.http().get('/api/users/me').set('Authorization', `Bearer ${forged}`)).status, 401);
    const real = jwtFor({ id: learner.id }, app.strapi.config.get('plugin::users-permissions.jwtSecret') as string);
    const me = await app.http().get('/api/users/me').set('Authorization', `Bearer ${real}`);
    assert.equal(me.status, 200);
    assert.equal(me.body.id, learner.id);
  });

  test('the server listens on loopback unless HOST says otherwise', () => {
    assert.equal(app.strapi.config.get('server.host'), '127.0.0.1');
  });
});
