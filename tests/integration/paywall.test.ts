/**
 * paywall: the entitlement ledger, the access decision, and the gate on every content-API read
 * path, driven over HTTP against a real Strapi on SQLite or PostgreSQL (TEST_DB). A second boot at
 * the end runs the media route against a loopback S3-compatible server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bootApp, type TestApp } from '../support/strapi';
import { createTestDatabase } from '../support/db';
import { createAdmin, createCourse, createUser } from '../support/builders';
import {
  CHAPTER_UID,
  PUBLIC_UPLOADS,
  attachMedia,
  buildPaywallWorld,
  linkTheOldWay,
  pngOf,
  privateUploads,
  readRouteUrls,
  removeFiles,
  storageNamesOf,
  storedVariants,
  uploadFile,
  type PaywallWorld,
  type Persona,
  type UploadedFile,
} from '../support/paywall-world';
import { startLoopbackS3, type LoopbackS3 } from '../support/paywall-s3';
import { ensureListening, pathSpellings, rawRequest } from '../support/raw-http';

const ENTITLEMENT_UID = 'plugin::paywall.entitlement';

type Body = Record<string, unknown> & { data?: unknown; error?: { message?: string; status?: number } };

async function get(app: TestApp, url: string, auth?: string) {
  const req = app.http().get(url);
  if (auth) req.set('Authorization', auth);
  return req;
}

const authOf = (p: Persona) => (p.user ? `Bearer ${p.user.jwt}` : undefined);

/** Runs `fn` over `items`, `size` at a time (a sweep of thousands of requests, in reasonable time). */
async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

/** Every chapter object anywhere in a JSON value (recognised by its position + title + locked keys). */
function chaptersIn(value: unknown, out: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
  if (Array.isArray(value)) for (const v of value) chaptersIn(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('locked' in o) out.push(o);
    for (const v of Object.values(o)) chaptersIn(v, out);
  }
  return out;
}

describe('paywall on local storage', () => {
  let app: TestApp;
  let world: PaywallWorld;
  const uploaded: UploadedFile[] = [];
  const entitlements = () => app.strapi.plugin('paywall').service('entitlements');
  const access = () => app.strapi.plugin('paywall').service('access');
  const store = privateUploads();

  before(async () => {
    app = await bootApp({ env: store.env });
    world = await buildPaywallWorld(app);
    uploaded.push(world.video, world.attachment, world.image);
  });
  after(async () => {
    if (app) {
      await removeFiles(app, uploaded).catch(() => undefined);
      await app.close();
    }
    store.remove();
    delete process.env.PAYWALL_PRIVATE_UPLOADS_DIR;
  });

  describe('entitlement ledger', () => {
    test('grant is an idempotent upsert on (user, target, source, sourceRef)', async () => {
      const user = await createUser(app);
      const course = await createCourse(app, { chapters: 2 });
      const first = await entitlements().grant({ userId: user.id, courseDocumentId: course.documentId, source: 'purchase', sourceRef: 'cs_1' });
      const second = await entitlements().grant({ userId: user.id, courseDocumentId: course.documentId, source: 'purchase', sourceRef: 'cs_1' });
      assert.equal(first.id, second.id);
      assert.equal(second.status, 'active');
      assert.equal(second.courseDocumentId, course.documentId);
      const rows = await app.strapi.db.query(ENTITLEMENT_UID).findMany({ where: { userRef: user.id } });
      assert.equal(rows.length, 1);
      assert.equal(rows[0].dedupeKey, `${user.id}:course:${course.documentId}:purchase:cs_1`);
      const cov = await entitlements().coverage(user.id, [course.documentId, 'nope']);
      assert.deepEqual([...cov.keys()], [course.documentId]);
      assert.deepEqual(await access().decideCourse({ id: user.id }, course.documentId), { allowed: true, via: 'purchase' });
    });

    test('concurrent duplicate grants leave one row', async () => {
      const user = await createUser(app);
      const course = await createCourse(app, { chapters: 1 });
      const input = { userId: user.id, courseDocumentId: course.documentId, source: 'purchase' as const, sourceRef: 'cs_race' };
      const results = await Promise.all([entitlements().grant(input), entitlements().grant(input), entitlements().grant(input)]);
      assert.equal(new Set(results.map((r: { id: number }) => r.id)).size, 1);
      assert.equal(await app.strapi.db.query(ENTITLEMENT_UID).count({ where: { userRef: user.id } }), 1);
    });

    test('the unique index refuses a second row with the same dedupeKey', async () => {
      const user = await createUser(app);
      const course = await createCourse(app, { chapters: 1 });
      const e = await entitlements().grant({ userId: user.id, courseDocumentId: course.documentId, source: 'grant', sourceRef: 'idx' });
      const row = await app.strapi.db.query(ENTITLEMENT_UID).findOne({ where: { id: e.id } });
      await assert.rejects(
        app.strapi.db.connection('paywall_entitlements').insert({ document_id: 'dupe-doc', dedupe_key: row.dedupeKey, source: 'grant', status: 'active' })
      );
    });

    test('grant joins a caller’s transaction: sees its own write, rolls back with it', { timeout: 60_000 }, async () => {
      const user = await createUser(app);
      const course = await createCourse(app, { chapters: 1 });
      // Checkout records a webhook event and its grant as one unit; on SQLite's single connection
      // a read outside that transaction would wait for it forever.
      await app.strapi.db.transaction(async () => {
        await entitlements().grant({ userId: user.id, courseDocumentId: course.documentId, source: 'purchase', sourceRef: 'in-trx' });
        assert.equal((await entitlements().coverage(user.id, [course.documentId])).size, 1);
        assert.deepEqual(await access().decideCourse({ id: user.id }, course.documentId), { allowed: true, via: 'purchase' });
      });
      await assert.rejects(
        app.strapi.db.transaction(async () => {
          await entitlements().grant({ userId: user.id, courseDocumentId: course.documentId, source: 'purchase', sourceRef: 'rolled-back' });
          throw new Error('the caller fails after granting');
        }),
        /the caller fails/
      );
      assert.equal(await app.strapi.db.query(ENTITLEMENT_UID).count({ where: { sourceRef: 'rolled-back' } }), 0);
    });

    test('a grant that loses the insert race inside a caller’s transaction retries, and that transaction goes on', { timeout: 60_000 }, async () => {
      // On PostgreSQL the second caller's INSERT waits for the first caller's uncommitted row, then
      // hits the unique index when it commits. Strapi's nested transaction has no savepoint, so
      // without the kernel's retryOnUniqueViolation the failed INSERT would abort the second
      // caller's whole transaction ("current transaction is aborted"). On SQLite the second
      // transaction waits for the single connection and takes the update path directly.
      const user = await createUser(app);
      const course = await createCourse(app, { chapters: 1 });
      const input = { userId: user.id, courseDocumentId: course.documentId, source: 'purchase' as const, sourceRef: 'cs_race_in_trx' };
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let granted!: () => void;
      const firstGranted = new Promise<void>((r) => (granted = r));
      let firstCommittedAt = 0;
      const first = app.strapi.db
        .transaction(async () => {
          await entitlements().grant(input);
          granted();
          await held;
        })
        .then(() => (firstCommittedAt = Date.now()));
      await firstGranted;
      const second = app.strapi.db.transaction(async () => {
        const e = await entitlements().grant({ ...input, notes: 'second caller' });
        const grantedAt = Date.now();
        // The caller's transaction is still usable after the retry: its next statement lands.
        await app.strapi.db.query(ENTITLEMENT_UID).update({ where: { id: e.id }, data: { notes: 'written after the grant' } });
        return { e, grantedAt };
      });
      setTimeout(release, 400);
      const [, { e, grantedAt }] = await Promise.all([first, second]);
      assert.ok(grantedAt >= firstCommittedAt, 'the second grant completed only once the first caller had committed');
      const rows = await app.strapi.db.query(ENTITLEMENT_UID).findMany({ where: { userRef: user.id } });
      assert.equal(rows.length, 1, 'one row for the ledger identity');
      assert.equal(rows[0].id, e.id);
      assert.equal(rows[0].notes, 'written after the grant');
      assert.equal(rows[0].state, 'active');
    });

    test('revoke is idempotent and revoked rows never allow', async () => {
      const user = await createUser(app);
      const course = await createCourse(app, { chapters: 2 });
      await entitlements().grant({ userId: user.id, courseDocumentId: course.documentId, source: 'purchase', sourceRef: 'pi_r' });
      assert.equal(await entitlements().revoke({ source: 'purchase', sourceRef: 'pi_r', reason: 'refunded' }), 1);
      assert.equal(await entitlements().revoke({ source: 'purchase', sourceRef: 'pi_r', reason: 'refunded' }), 0);
      assert.deepEqual(await access().decideCourse({ id: user.id }, course.documentId), { allowed: false, reason: 'revoked' });
      assert.deepEqual(await entitlements().listForUser(user.id), []);
      const all = await entitlements().listForUser(user.id, { includeInactive: true });
      assert.equal(all.length, 1);
      assert.equal(all[0].revokedReason, 'refunded');
    });

    test('bad input is a validation error and writes nothing', async () => {
      const user = await createUser(app);
      const course = await createCourse(app, { chapters: 1 });
      await assert.rejects(entitlements().grant({ userId: user.id, source: 'purchase', sourceRef: 'x' }), { name: 'ValidationError' });
      await assert.rejects(
        entitlements().grant({ userId: user.id, courseDocumentId: course.documentId, planDocumentId: world.planDocumentId, source: 'purchase', sourceRef: 'x' }),
        { name: 'ValidationError' }
      );
      await assert.rejects(entitlements().grant({ userId: user.id, courseDocumentId: 'no-such-course', source: 'purchase', sourceRef: 'x' }), { name: 'NotFoundError' });
      await assert.rejects(entitlements().grant({ userId: 99999999, courseDocumentId: course.documentId, source: 'purchase', sourceRef: 'x' }), { name: 'NotFoundError' });
      await assert.rejects(entitlements().revoke({ source: 'purchase', sourceRef: '', reason: 'refunded' }), { name: 'ValidationError' });
      await assert.rejects(entitlements().revoke({ source: 'purchase', sourceRef: 'x', reason: 'bored' as never }), { name: 'ValidationError' });
      assert.equal(await app.strapi.db.query(ENTITLEMENT_UID).count({ where: { userRef: user.id } }), 0);
    });

    test('past_due keeps access within the grace period only', async () => {
      const user = await createUser(app);
      const grant = (status: 'active' | 'past_due') =>
        entitlements().grant({ userId: user.id, planDocumentId: world.planDocumentId, source: 'subscription', sourceRef: 'sub_pd', status, validUntil: new Date(Date.now() + 20 * 86400_000) });
      await grant('past_due');
      assert.deepEqual(await access().decideCourse({ id: user.id }, world.paid.documentId), { allowed: true, via: 'subscription' });
      // Four days later the 72 h grace has run out, however far the period end is.
      assert.deepEqual(await access().decideCourse({ id: user.id }, world.paid.documentId, new Date(Date.now() + 4 * 86400_000)), {
        allowed: false,
        reason: 'expired',
      });
      const again = await grant('past_due'); // a redelivered event keeps when it started
      const first = (await entitlements().listForUser(user.id, { includeInactive: true }))[0];
      assert.equal(again.pastDueSince?.getTime(), first.pastDueSince?.getTime());
      const paid = await grant('active');
      assert.equal(paid.pastDueSince, null);
    });

    test('decideChapter: preview, anonymous, instructor, draft, not-found', async () => {
      const [ch1, ch2] = world.paid.chapters;
      assert.deepEqual(await access().decideChapter(null, ch1!.documentId), { allowed: true, via: 'preview' });
      assert.deepEqual(await access().decideChapter(null, ch2!.documentId), { allowed: false, reason: 'anonymous' });
      assert.deepEqual(await access().decideChapter({ id: world.owner.id }, ch2!.documentId), { allowed: true, via: 'instructor' });
      assert.deepEqual(await access().decideChapter({ id: world.otherInstructor.id }, ch2!.documentId), { allowed: false, reason: 'no-entitlement' });
      assert.deepEqual(await access().decideChapter(null, 'does-not-exist'), { allowed: false, reason: 'not-found' });
      assert.deepEqual(await access().decideChapter(null, world.draft.chapters[0]!.documentId), { allowed: false, reason: 'draft' });
      assert.deepEqual(await access().decideChapter({ id: world.otherInstructor.id }, world.draft.chapters[0]!.documentId), { allowed: false, reason: 'draft' });
      // An instructor's own drafts are theirs (write responses, the review workflow).
      assert.deepEqual(await access().decideChapter({ id: world.owner.id }, world.draft.chapters[0]!.documentId), { allowed: true, via: 'instructor' });
      assert.deepEqual(await access().decideCourse({ id: world.owner.id }, world.draft.documentId), { allowed: true, via: 'instructor' });
      assert.deepEqual(await access().decideCourse(null, world.draft.documentId), { allowed: false, reason: 'draft' });
      assert.deepEqual(await access().decideCourse(null, world.free.documentId), { allowed: true, via: 'free' });
    });
  });

  describe('editors in the Content Manager', () => {
    const cm = `/content-manager/collection-types/${ENTITLEMENT_UID}`;

    test('a hand grant gets its identity; a duplicate or an incomplete grant is refused with 400', async () => {
      const admin = await createAdmin(app);
      const learner = await createUser(app);
      const payload = { user: { connect: [{ id: learner.id }] }, course: { connect: [{ documentId: world.other.documentId }] }, source: 'grant', notes: 'press pass' };
      const res = await app.http().post(cm).set('Authorization', admin.auth).send(payload);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const row = await app.strapi.db.query(ENTITLEMENT_UID).findOne({ where: { userRef: learner.id } });
      assert.equal(row.dedupeKey, `${learner.id}:course:${world.other.documentId}:grant:manual`);
      assert.equal(row.sourceRef, 'manual');
      assert.deepEqual(await access().decideCourse({ id: learner.id }, world.other.documentId), { allowed: true, via: 'grant' });

      const dup = await app.http().post(cm).set('Authorization', admin.auth).send(payload);
      assert.equal(dup.status, 400, JSON.stringify(dup.body));
      assert.match(dup.body.error.message, /already has an entitlement/);
      const none = await app.http().post(cm).set('Authorization', admin.auth).send({ user: { connect: [{ id: learner.id }] }, source: 'grant' });
      assert.equal(none.status, 400);
      assert.match(none.body.error.message, /course or a plan/);
      assert.equal(await app.strapi.db.query(ENTITLEMENT_UID).count({ where: { userRef: learner.id } }), 1, 'refused writes leave nothing');

      // Revoking by hand: status revoked, the reason defaults to manual; access ends at once.
      const upd = await app.http().put(`${cm}/${row.documentId}`).set('Authorization', admin.auth).send({ state: 'revoked' });
      assert.equal(upd.status, 200, JSON.stringify(upd.body));
      const after = await app.strapi.db.query(ENTITLEMENT_UID).findOne({ where: { id: row.id } });
      assert.equal(after.revokedReason, 'manual');
      assert.ok(after.revokedAt);
      assert.deepEqual(await access().decideCourse({ id: learner.id }, world.other.documentId), { allowed: false, reason: 'revoked' });
    });

    test('the admin panel still reads chapter content in full', async () => {
      const admin = await createAdmin(app);
      const ch2 = world.paid.chapters[1]!;
      const res = await app.http().get(`/content-manager/collection-types/api::chapter.chapter/${ch2.documentId}?locale=en`).set('Authorization', admin.auth);
      assert.equal(res.status, 200);
      assert.ok(JSON.stringify(res.body).includes(ch2.body), 'editors read the body');
      assert.ok(!('locked' in (res.body.data ?? {})));
    });
  });

  describe('attack matrix', () => {
    interface Shape {
      name: string;
      url: (w: PaywallWorld) => string;
      /** 'body': an entitled persona sees a locked chapter's body; 'media': a gated file's name; false: neither. */
      reveals: 'body' | 'media' | false;
      /** Status every persona gets (default 200). */
      status?: number;
    }
    const P = (w: PaywallWorld) => w.paid.documentId;
    const ch = (w: PaywallWorld, i: number) => w.paid.chapters[i]!.documentId;
    const ofPaid = (w: PaywallWorld) => `filters[course][documentId][$eq]=${P(w)}`;
    const shapes: Shape[] = [
      { name: 'list chapters', url: () => '/api/chapters?pagination[pageSize]=100', reveals: 'body' },
      { name: 'list chapters of the course', url: (w) => `/api/chapters?${ofPaid(w)}`, reveals: 'body' },
      { name: 'list chapters, sorted, paginated', url: (w) => `/api/chapters?${ofPaid(w)}&sort=position:desc&pagination[page]=1&pagination[pageSize]=2`, reveals: 'body' },
      { name: 'list chapters, start/limit', url: (w) => `/api/chapters?${ofPaid(w)}&pagination[start]=1&pagination[limit]=2`, reveals: 'body' },
      { name: 'one locked chapter', url: (w) => `/api/chapters/${ch(w, 1)}`, reveals: 'body' },
      { name: 'one locked chapter, populate=*', url: (w) => `/api/chapters/${ch(w, 2)}?populate=*`, reveals: 'media' },
      { name: 'list chapters, populate=*', url: (w) => `/api/chapters?${ofPaid(w)}&populate=*`, reveals: 'media' },
      { name: 'list chapters, fields=body', url: (w) => `/api/chapters?${ofPaid(w)}&fields[0]=body`, reveals: 'body' },
      { name: 'list chapters, fields=title only', url: (w) => `/api/chapters?${ofPaid(w)}&fields[0]=title`, reveals: false },
      { name: 'one chapter, fields=title', url: (w) => `/api/chapters/${ch(w, 1)}?fields=title`, reveals: false },
      { name: 'chapters in zh-Hans', url: (w) => `/api/chapters?locale=zh-Hans&${ofPaid(w)}`, reveals: 'body' },
      { name: 'one chapter in zh-Hans', url: (w) => `/api/chapters/${ch(w, 1)}?locale=zh-Hans`, reveals: 'body' },
      { name: 'chapter with its localizations', url: (w) => `/api/chapters/${ch(w, 1)}?populate=localizations`, reveals: 'body' },
      { name: 'chapter → course → chapters', url: (w) => `/api/chapters/${ch(w, 0)}?populate[course][populate][chapters]=true`, reveals: 'body' },
      { name: 'chapter media by name', url: (w) => `/api/chapters/${ch(w, 1)}?populate[0]=video&populate[1]=attachments`, reveals: 'media' },
      { name: 'courses, populate=*', url: (w) => `/api/courses?filters[documentId][$eq]=${P(w)}&populate=*`, reveals: 'body' },
      { name: 'courses, populate[chapters]=true', url: () => '/api/courses?populate[chapters]=true&pagination[pageSize]=100', reveals: 'body' },
      { name: 'courses, populate[0]=chapters', url: () => '/api/courses?populate[0]=chapters&pagination[pageSize]=100', reveals: 'body' },
      { name: 'courses, populate=chapters', url: () => '/api/courses?populate=chapters&pagination[pageSize]=100', reveals: 'body' },
      { name: 'one course with chapters', url: (w) => `/api/courses/${P(w)}?populate=chapters`, reveals: 'body' },
      { name: 'one course, populate[chapters][populate]=*', url: (w) => `/api/courses/${P(w)}?populate[chapters][populate]=*`, reveals: 'media' },
      { name: 'courses, chapters fields=body', url: (w) => `/api/courses?filters[documentId][$eq]=${P(w)}&populate[chapters][fields][0]=body`, reveals: 'body' },
      { name: 'courses, chapters with video', url: (w) => `/api/courses?filters[documentId][$eq]=${P(w)}&populate[chapters][populate][video]=true`, reveals: 'media' },
      { name: 'one course, chapter attachments', url: (w) => `/api/courses/${P(w)}?populate[chapters][populate][0]=attachments`, reveals: 'media' },
      { name: 'courses → instructor → courses → chapters', url: (w) => `/api/courses/${P(w)}?populate[instructor][populate][courses][populate][chapters]=true`, reveals: 'body' },
      { name: 'instructors → courses → chapters', url: () => '/api/instructors?populate[courses][populate]=chapters&pagination[pageSize]=100', reveals: 'body' },
      { name: 'plans → courses → chapters', url: () => '/api/plans?populate[courses][populate]=chapters&pagination[pageSize]=100', reveals: 'body' },
      { name: 'tags → courses → chapters', url: (w) => `/api/tags/${w.tagDocumentId}?populate[courses][populate]=chapters`, reveals: 'body' },
      { name: 'categories → courses → chapters → *', url: (w) => `/api/categories/${w.categoryDocumentId}?populate[courses][populate][chapters][populate]=*`, reveals: 'media' },
      { name: 'courses in zh-Hans with chapters', url: (w) => `/api/courses/${P(w)}?locale=zh-Hans&populate=chapters`, reveals: 'body' },
      { name: 'courses page of one', url: (w) => `/api/courses?filters[documentId][$eq]=${P(w)}&pagination[page]=1&pagination[pageSize]=1&populate=chapters`, reveals: 'body' },
      { name: 'course with chapter counts', url: (w) => `/api/courses/${P(w)}?populate[chapters][count]=true`, reveals: false },
      { name: 'course access report', url: (w) => `/api/paywall/courses/${P(w)}/access`, reveals: false },
      // Oracles: refused for everyone.
      { name: 'filter chapters by body', url: (w) => `/api/chapters?filters[body][$contains]=${w.paid.chapters[1]!.body}`, reveals: false, status: 400 },
      { name: 'filter chapters by body, case-insensitive', url: () => '/api/chapters?filters[body][$containsi]=secret', reveals: false, status: 400 },
      { name: 'filter courses through chapters.body', url: (w) => `/api/courses?filters[chapters][body][$contains]=${w.paid.chapters[1]!.body}`, reveals: false, status: 400 },
      { name: 'filter inside $or', url: () => '/api/chapters?filters[$or][0][body][$contains]=SECRET&filters[$or][1][title][$contains]=x', reveals: false, status: 400 },
      { name: 'filter inside $not', url: () => '/api/courses?filters[chapters][$not][body][$null]=true', reveals: false, status: 400 },
      { name: 'filter on gated media', url: () => '/api/courses?filters[chapters][video][name][$contains]=MEDIA', reveals: false, status: 400 },
      { name: 'filter on attachments existence', url: () => '/api/chapters?filters[attachments][id][$notNull]=true', reveals: false, status: 400 },
      { name: 'filter chapter → course → chapters.body', url: () => '/api/chapters?filters[course][chapters][body][$startsWith]=SECRET', reveals: false, status: 400 },
      { name: 'sort chapters by body', url: () => '/api/chapters?sort=body:asc', reveals: false, status: 400 },
      { name: 'sort chapters by body, array form', url: () => '/api/chapters?sort[0]=title&sort[1]=body:desc', reveals: false, status: 400 },
      { name: 'populated chapters filtered by body', url: (w) => `/api/courses/${P(w)}?populate[chapters][filters][body][$contains]=SECRET`, reveals: false, status: 400 },
      { name: 'populated chapters sorted by body', url: (w) => `/api/courses/${P(w)}?populate[chapters][sort]=body:asc`, reveals: false, status: 400 },
      { name: 'nested populate filter by body', url: () => '/api/instructors?populate[courses][populate][chapters][filters][body][$contains]=S', reveals: false, status: 400 },
      { name: 'full-text search on chapters', url: () => '/api/chapters?_q=SECRET', reveals: false, status: 400 },
      // Drafts: never.
      { name: 'status=draft', url: (w) => `/api/chapters?status=draft&${ofPaid(w)}`, reveals: false, status: 403 },
      { name: 'a draft course', url: (w) => `/api/courses/${w.draft.documentId}?populate=chapters`, reveals: false, status: 404 },
      { name: 'a draft chapter', url: (w) => `/api/chapters/${w.draft.chapters[0]!.documentId}`, reveals: false, status: 404 },
      { name: 'draft chapters through the list', url: (w) => `/api/chapters?filters[course][documentId][$eq]=${w.draft.documentId}`, reveals: false },
    ];

    test(`${shapes.length} request shapes × 9 personas: no leak, and entitled personas do read`, async () => {
      assert.ok(shapes.length >= 30);
      const failures: string[] = [];
      const gatedUploadUrls = [world.video.url, world.attachment.url, world.image.url];
      for (const shape of shapes) {
        const url = shape.url(world);
        for (const persona of world.personas) {
          const res = await get(app, url, authOf(persona));
          const text = res.text ?? '';
          const where = `${shape.name} [${persona.name}] ${url}`;
          if (res.status !== (shape.status ?? 200)) failures.push(`${where}: status ${res.status} ${text.slice(0, 200)}`);
          for (const s of world.draftSecrets) if (text.includes(s)) failures.push(`${where}: DRAFT LEAK ${s}`);
          for (const u of gatedUploadUrls) if (text.includes(u)) failures.push(`${where}: public URL of a gated file ${u}`);
          if (!persona.entitled) {
            for (const s of world.secrets) if (text.includes(s)) failures.push(`${where}: LEAK ${s}`);
          } else if (shape.reveals === 'body') {
            const bodies = world.paid.chapters.filter((c) => !c.isPreview).map((c) => c.body);
            if (!bodies.some((b) => text.includes(b))) failures.push(`${where}: entitled persona did not see the content`);
          } else if (shape.reveals === 'media') {
            if (![world.video.name, world.attachment.name].some((n) => text.includes(n))) failures.push(`${where}: entitled persona did not see the media`);
          }
          if (res.status === 200) {
            for (const c of chaptersIn((res.body as Body).data)) {
              if (typeof c.locked !== 'boolean') failures.push(`${where}: chapter without a boolean locked`);
              if (c.locked && ('body' in c || 'video' in c || 'attachments' in c)) failures.push(`${where}: locked chapter with gated keys`);
            }
          }
        }
      }
      assert.deepEqual(failures, []);
    });

    test('drip release: a chapter opens on its day on every read path of the matrix (fixed clock)', async () => {
      const buyer = world.personas.find((p) => p.name === 'buyer')!;
      const other = world.personas.find((p) => p.name === 'learnerWithoutAccess')!;
      const dripped = world.paid.chapters[2]!;
      const open = world.paid.chapters[1]!;
      const row = (await app.strapi.db
        .query(ENTITLEMENT_UID)
        .findOne({ where: { user: { id: buyer.user!.id }, course: { documentId: world.paid.documentId }, source: 'purchase' } })) as { validFrom: string | Date };
      const began = new Date(row.validFrom).getTime();
      const DAY = 24 * 3600_000;
      const opens = new Date(began + 10 * DAY).toISOString();
      await app.strapi.db.query('api::course.course').updateMany({ where: { documentId: world.paid.documentId }, data: { dripEnabled: true } });
      await app.strapi.db.query(CHAPTER_UID).updateMany({ where: { documentId: dripped.documentId }, data: { dripDays: 10 } });
      const setNow = (t: number | null) => app.strapi.config.set('plugin::paywall.testNow', t === null ? null : new Date(t).toISOString());
      const readable = shapes.filter((s) => (s.status ?? 200) === 200);
      try {
        for (const [now, expectLocked] of [
          [began + 5 * DAY, true],
          [began + 10 * DAY - 1000, true],
          [began + 10 * DAY, false],
        ] as Array<[number, boolean]>) {
          setNow(now);
          const failures: string[] = [];
          let seen = 0;
          for (const shape of readable) {
            const url = shape.url(world);
            const res = await get(app, url, authOf(buyer));
            const where = `${shape.name} @${new Date(now).toISOString()} ${url}`;
            if (res.status !== 200) failures.push(`${where}: status ${res.status}`);
            if (expectLocked && res.text.includes(dripped.body)) failures.push(`${where}: DRIP LEAK`);
            for (const c of chaptersIn((res.body as Body).data)) {
              if (c.documentId !== dripped.documentId) {
                if (c.documentId === open.documentId && c.locked !== false) failures.push(`${where}: an undripped chapter is locked`);
                continue;
              }
              seen += 1;
              if (c.locked !== expectLocked) failures.push(`${where}: locked=${String(c.locked)}`);
              if (expectLocked && c.unlocksAt !== opens) failures.push(`${where}: unlocksAt=${String(c.unlocksAt)}`);
              if (!expectLocked && 'unlocksAt' in c) failures.push(`${where}: unlocksAt on an open chapter`);
              if (expectLocked && ('body' in c || 'video' in c || 'attachments' in c)) failures.push(`${where}: drip-locked chapter with gated keys`);
            }
            // Someone without the course sees it locked, and is not told a date that does not apply to them.
            if (shape.reveals) {
              const theirs = await get(app, url, authOf(other));
              for (const c of chaptersIn((theirs.body as Body).data)) if ('unlocksAt' in c) failures.push(`${where} [no access]: unlocksAt shown`);
            }
          }
          assert.ok(seen >= 20, `${seen} sightings of the dripped chapter`);
          const report = await get(app, `/api/paywall/courses/${world.paid.documentId}/access`, authOf(buyer));
          const verdict = (report.body.data.chapters as Array<{ documentId: string; unlocked: boolean; unlocksAt?: string }>).find((c) => c.documentId === dripped.documentId)!;
          if (verdict.unlocked === expectLocked || verdict.unlocksAt !== (expectLocked ? opens : undefined)) failures.push(`access report: ${JSON.stringify(verdict)}`);
          const decision = await access().decideChapter({ id: buyer.user!.id }, dripped.documentId);
          if (decision.allowed === expectLocked) failures.push(`decideChapter (media route, learning, community): ${JSON.stringify(decision)}`);
          assert.deepEqual(failures, []);
        }
      } finally {
        setNow(null);
        await app.strapi.db.query('api::course.course').updateMany({ where: { documentId: world.paid.documentId }, data: { dripEnabled: false } });
        await app.strapi.db.query(CHAPTER_UID).updateMany({ where: { documentId: dripped.documentId }, data: { dripDays: null } });
      }
    });

    test('a locked chapter by id answers 200 with the locked shape; the preview is readable', async () => {
      const learner = world.personas.find((p) => p.name === 'learnerWithoutAccess')!;
      const res = await get(app, `/api/chapters/${world.paid.chapters[1]!.documentId}?populate=*`, authOf(learner));
      assert.equal(res.status, 200);
      const data = res.body.data as Record<string, unknown>;
      assert.equal(data.locked, true);
      assert.equal(data.title, world.paid.chapters[1]!.title);
      for (const k of ['body', 'video', 'attachments']) assert.ok(!(k in data), `${k} removed`);
      const preview = await get(app, `/api/chapters/${world.paid.chapters[0]!.documentId}`);
      assert.equal(preview.body.data.locked, false);
      assert.equal(preview.body.data.body, world.paid.chapters[0]!.body);
      const free = await get(app, `/api/courses/${world.free.documentId}?populate=chapters`);
      assert.ok(free.body.data.chapters.every((c: Record<string, unknown>) => c.locked === false && typeof c.body === 'string'));
    });

    test('the registry sanitizer alone (output sanitised without the batch wrapper) gates too', async () => {
      const schema = app.strapi.getModel('api::course.course');
      const course = (await app.strapi
        .documents('api::course.course')
        .findOne({ documentId: world.paid.documentId, status: 'published', populate: { chapters: true } })) as Record<string, unknown>;
      let out: unknown = course;
      // Outside any request: the caller is anonymous.
      for (const sanitizer of app.strapi.sanitizers.get('content-api.output') as Array<(s: unknown) => (e: unknown) => Promise<unknown>>) {
        out = await sanitizer(schema)(out);
      }
      const text = JSON.stringify(out);
      for (const s of world.secrets) assert.ok(!text.includes(s), `leak ${s}`);
      const chapters = (out as { chapters: Array<Record<string, unknown>> }).chapters;
      assert.deepEqual(chapters.map((c) => c.locked).sort(), [false, true, true]);
    });

    test('the refusal of an oracle says why', async () => {
      const res = await get(app, '/api/courses?filters[chapters][body][$contains]=x');
      assert.equal(res.status, 400);
      assert.match(res.body.error.message, /gated chapter content.*filters\.chapters\.body/);
      const q = await get(app, '/api/chapters?_q=x');
      assert.match(q.body.error.message, /_q/);
      // Public fields still filter and sort.
      const ok = await get(app, `/api/chapters?filters[title][$containsi]=chapter&filters[isPreview][$eq]=true&sort=position:asc`);
      assert.equal(ok.status, 200);
      const ok2 = await get(app, '/api/courses?_q=course&populate[chapters][filters][isPreview][$eq]=true&populate[chapters][sort]=position');
      assert.equal(ok2.status, 200);
    });
  });

  describe('attack matrix: community questions on gated chapters', () => {
    // Questions asked by readers of the paid course: one on each locked chapter (the first one
    // answered by the instructor, the second left unanswered for the inbox), one on the preview
    // chapter and one about the whole course (the controls everyone sees).
    const tag = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;
    const GATED_Q = tag('GATEDQUESTION');
    const GATED_Q2 = tag('GATEDQUESTIONTWO');
    const GATED_A = tag('GATEDANSWER');
    const OPEN_PREVIEW = tag('PREVIEWQUESTION');
    const OPEN_COURSE = tag('COURSEQUESTION');
    const GATED = [GATED_Q, GATED_Q2, GATED_A];
    let qGated = 0;
    let qGated2 = 0;
    let server: import('node:http').Server;

    interface QShape {
      name: string;
      rest: (w: PaywallWorld) => string;
      /** What a reader of the course must see in this answer (empty: nothing gated is expected). */
      sees: string[];
      /** Open questions every persona sees here. */
      controls?: string[];
      /** Only the course's instructor sees `sees` (their inbox). */
      instructorOnly?: boolean;
      /** Status of the canonical spelling for every persona, or per persona kind. */
      status?: number | { reader: number; other: number; anonymous: number };
    }
    const P = (w: PaywallWorld) => w.paid.documentId;
    const ch = (w: PaywallWorld, i: number) => w.paid.chapters[i]!.documentId;
    const listOf = (w: PaywallWorld) => `community/courses/${P(w)}/questions`;
    const ALL_OPEN = [OPEN_PREVIEW, OPEN_COURSE];
    const qShapes: QShape[] = [
      { name: 'questions of the course', rest: listOf, sees: GATED, controls: ALL_OPEN },
      { name: 'questions of the course, one big page', rest: (w) => `${listOf(w)}?page=1&pageSize=50`, sees: GATED, controls: ALL_OPEN },
      { name: 'questions of a locked chapter', rest: (w) => `${listOf(w)}?chapter=${ch(w, 1)}`, sees: [GATED_Q, GATED_A] },
      { name: 'questions of the other locked chapter', rest: (w) => `${listOf(w)}?chapter=${ch(w, 2)}`, sees: [GATED_Q2] },
      { name: 'questions of the preview chapter', rest: (w) => `${listOf(w)}?chapter=${ch(w, 0)}`, sees: [], controls: [OPEN_PREVIEW] },
      { name: 'chapter as an array', rest: (w) => `${listOf(w)}?chapter[0]=${ch(w, 1)}`, sees: [], status: 400 },
      { name: 'chapter twice (preview, locked)', rest: (w) => `${listOf(w)}?chapter=${ch(w, 0)}&chapter=${ch(w, 1)}`, sees: [], status: 400 },
      { name: 'chapter as an operator', rest: (w) => `${listOf(w)}?chapter[$ne]=${ch(w, 0)}`, sees: [], status: 400 },
      { name: 'chapter in upper case', rest: (w) => `${listOf(w)}?chapter=${ch(w, 1).toUpperCase()}`, sees: [] },
      { name: 'chapter percent-encoded', rest: (w) => `${listOf(w)}?chapter=${[...ch(w, 1)].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}`, sees: [GATED_Q, GATED_A] },
      { name: 'Strapi filters on the chapter', rest: (w) => `${listOf(w)}?filters[chapterDocumentId][$eq]=${ch(w, 1)}`, sees: GATED, controls: ALL_OPEN },
      { name: 'Strapi filters through $or', rest: (w) => `${listOf(w)}?filters[$or][0][chapterDocumentId][$eq]=${ch(w, 1)}&filters[$or][1][state]=hidden`, sees: GATED, controls: ALL_OPEN },
      { name: 'populate=*', rest: (w) => `${listOf(w)}?populate=*`, sees: GATED, controls: ALL_OPEN },
      { name: 'populate answers, fields', rest: (w) => `${listOf(w)}?populate[answers]=true&fields[0]=text&fields[1]=chapterDocumentId`, sees: GATED, controls: ALL_OPEN },
      { name: 'locale=zh-Hans', rest: (w) => `${listOf(w)}?locale=zh-Hans`, sees: GATED, controls: ALL_OPEN },
      { name: 'status=draft (refused for everyone)', rest: (w) => `${listOf(w)}?status=draft&chapter=${ch(w, 1)}`, sees: [], status: 403 },
      { name: 'the locked question by id', rest: () => `community/questions/${qGated}`, sees: [GATED_Q, GATED_A], status: { reader: 200, other: 404, anonymous: 404 } },
      { name: 'the locked question by id, populate=*', rest: () => `community/questions/${qGated}?populate=*&filters[id]=${qGated}`, sees: [GATED_Q, GATED_A], status: { reader: 200, other: 404, anonymous: 404 } },
      { name: 'the other locked question by id', rest: () => `community/questions/${qGated2}`, sees: [GATED_Q2], status: { reader: 200, other: 404, anonymous: 404 } },
      // The id is coerced as a number: these spellings are the same question, and the same verdict.
      { name: 'the locked question, id with a leading zero', rest: () => `community/questions/0${qGated}`, sees: [GATED_Q, GATED_A], status: { reader: 200, other: 404, anonymous: 404 } },
      { name: 'the locked question, id with a sign', rest: () => `community/questions/+${qGated}`, sees: [GATED_Q, GATED_A], status: { reader: 200, other: 404, anonymous: 404 } },
      { name: 'the locked question, id with a trailing space', rest: () => `community/questions/${qGated}%20`, sees: [GATED_Q, GATED_A], status: { reader: 200, other: 404, anonymous: 404 } },
      { name: 'the instructor’s unanswered list', rest: () => 'community/me/unanswered', sees: [GATED_Q2], instructorOnly: true },
      { name: 'the unanswered list, filtered to the course', rest: (w) => `community/me/unanswered?pageSize=50&filters[courseDocumentId]=${P(w)}&chapter=${ch(w, 2)}`, sees: [GATED_Q2], instructorOnly: true },
      { name: 'reviews of the course', rest: (w) => `community/courses/${P(w)}/reviews?populate=*`, sees: [] },
      { name: 'the rating-sorted catalogue', rest: () => 'community/courses?sort=rating:desc&pageSize=50', sees: [] },
      { name: 'no such list route', rest: (w) => `community/questions?filters[courseDocumentId]=${P(w)}`, sees: [] },
      { name: 'a question under its course (no such route)', rest: (w) => `community/courses/${P(w)}/questions/${qGated}`, sees: [] },
      { name: 'chapters with everything', rest: (w) => `chapters/${ch(w, 1)}?populate=*`, sees: [] },
    ];

    before(async () => {
      server = app.strapi.server.httpServer;
      await ensureListening(server);
      const persona = (n: string) => world.personas.find((p) => p.name === n)!;
      const post = async (who: Persona, url: string, body: object) => {
        const res = await app.http().post(url).set('Authorization', authOf(who)!).send(body);
        assert.equal(res.status, 201, `${url}: ${JSON.stringify(res.body)}`);
        return res.body.data as { id: number };
      };
      const ask = (who: Persona, text: string, chapter?: string) => post(who, `/api/community/courses/${world.paid.documentId}/questions`, chapter ? { text, chapter } : { text });
      qGated = (await ask(persona('buyer'), `Why does ${GATED_Q} hold?`, world.paid.chapters[1]!.documentId)).id;
      qGated2 = (await ask(persona('subscriber'), `What about ${GATED_Q2}?`, world.paid.chapters[2]!.documentId)).id;
      await ask(persona('buyer'), `Is ${OPEN_PREVIEW} covered?`, world.paid.chapters[0]!.documentId);
      await ask(persona('subscriber'), `Who is ${OPEN_COURSE} for?`);
      await post(persona('courseInstructor'), `/api/community/questions/${qGated}/answers`, { text: `Because of ${GATED_A}.` });
    });

    const kindOf = (p: Persona): 'reader' | 'other' | 'anonymous' => (p.entitled ? 'reader' : p.user ? 'other' : 'anonymous');
    const expectedStatus = (s: QShape, p: Persona) => (typeof s.status === 'object' ? s.status[kindOf(p)] : (s.status ?? 200));
    const mustSee = (s: QShape, p: Persona) => (p.entitled && (!s.instructorOnly || p.name === 'courseInstructor') ? s.sees : []);

    test('canonical requests: no persona without access sees a locked chapter’s question or answer; readers do; open questions stay open', async () => {
      assert.ok(qShapes.length >= 25);
      const failures: string[] = [];
      for (const shape of qShapes) {
        for (const persona of world.personas) {
          const url = `/api/${shape.rest(world)}`;
          const res = await rawRequest(server, 'GET', url, persona.user ? { authorization: authOf(persona)! } : {});
          const where = `${shape.name} [${persona.name}] ${url}`;
          const expected = shape.instructorOnly && persona.name !== 'courseInstructor' && persona.name !== 'otherInstructor' ? 403 : expectedStatus(shape, persona);
          if (shape.name.includes('no such') ? res.status !== 404 && res.status !== 405 : res.status !== expected) failures.push(`${where}: status ${res.status} ${res.text.slice(0, 160)}`);
          if (!persona.entitled) for (const s of GATED) if (res.text.includes(s)) failures.push(`${where}: LEAK ${s}`);
          if (shape.instructorOnly && persona.name !== 'courseInstructor') for (const s of GATED) if (res.text.includes(s)) failures.push(`${where}: LEAK to a non-instructor ${s}`);
          for (const s of mustSee(shape, persona)) if (!res.text.includes(s)) failures.push(`${where}: a reader did not see ${s}`);
          for (const s of shape.controls ?? []) if (!res.text.includes(s)) failures.push(`${where}: open question missing ${s}`);
        }
      }
      assert.deepEqual(failures, []);
    });

    test('every path spelling: nothing gated for anyone without access; the spellings the router accepts answer readers alike', { timeout: 600_000 }, async (t) => {
      const failures: string[] = [];
      let sent = 0;
      let reached = 0;
      const SUBSET = ['canonical', 'upper case', 'capitalised', 'mixed case', 'trailing slash', 'doubled inner slash', 'query key encoded'];
      for (const shape of qShapes) {
        const all = pathSpellings('/api/', shape.rest(world));
        for (const persona of world.personas) {
          const full = ['anonymous', 'learnerWithoutAccess', 'purchaseRefunded', 'otherInstructor'].includes(persona.name);
          const spellings = full ? all : all.filter((s) => SUBSET.includes(s.name));
          const headers: Record<string, string> = persona.user ? { authorization: authOf(persona)! } : {};
          await inBatches(spellings, 6, async (sp) => {
            const res = await rawRequest(server, 'GET', sp.path, headers);
            sent += 1;
            const where = `${shape.name} [${persona.name}] ${sp.name} ${sp.path}`;
            if (res.status >= 500) failures.push(`${where}: status ${res.status}`);
            if (!persona.entitled || (shape.instructorOnly && persona.name !== 'courseInstructor')) {
              for (const s of GATED) if (res.text.includes(s)) failures.push(`${where}: LEAK ${s}`);
            }
            if (res.status === 200 && /"data":/.test(res.text)) {
              reached += 1;
              // A spelling the router accepts is the same request: a reader sees what the canonical one shows.
              if (sp.name !== 'query key encoded') for (const s of mustSee(shape, persona)) if (!res.text.includes(s)) failures.push(`${where}: a reader did not see ${s}`);
            }
          });
        }
      }
      t.diagnostic(`${sent} requests, ${reached} answered 200 with data, none showed a locked chapter's question to a persona without access`);
      assert.ok(sent > 3000, `${sent} requests`);
      assert.deepEqual(failures, []);
    });

    test('drip release: a question on a chapter not yet open is hidden from a buyer until its day', async () => {
      // Community reads the real clock: the buyer's purchase is moved back in time instead.
      const buyer = world.personas.find((p) => p.name === 'buyer')!;
      const dripped = world.paid.chapters[2]!;
      const row = (await app.strapi.db
        .query(ENTITLEMENT_UID)
        .findOne({ where: { user: { id: buyer.user!.id }, course: { documentId: world.paid.documentId }, source: 'purchase' } })) as { id: number; validFrom: string | Date };
      const DAY = 24 * 3600_000;
      await app.strapi.db.query('api::course.course').updateMany({ where: { documentId: world.paid.documentId }, data: { dripEnabled: true } });
      await app.strapi.db.query(CHAPTER_UID).updateMany({ where: { documentId: dripped.documentId }, data: { dripDays: 10 } });
      const bought = (daysAgo: number) => app.strapi.db.query(ENTITLEMENT_UID).update({ where: { id: row.id }, data: { validFrom: new Date(Date.now() - daysAgo * DAY) } });
      const list = `/api/community/courses/${world.paid.documentId}/questions`;
      const urls = [list, `${list}?chapter=${dripped.documentId}`, `/api/community/questions/${qGated2}`];
      try {
        for (const [daysAgo, open] of [
          [5, false],
          [9.9, false],
          [10.01, true],
        ] as Array<[number, boolean]>) {
          await bought(daysAgo);
          for (const url of urls) {
            const res = await get(app, url, authOf(buyer));
            assert.equal(res.text.includes(GATED_Q2), open, `${url} ${daysAgo} days after the purchase: ${res.status} ${res.text.slice(0, 200)}`);
            if (url === list) assert.ok(res.text.includes(GATED_Q) && res.text.includes(OPEN_COURSE), `${url}: the open chapters' questions stay`);
          }
          assert.equal((await get(app, `/api/community/questions/${qGated2}`, authOf(buyer))).status, open ? 200 : 404);
          const answer = await app.http().post(`/api/community/questions/${qGated2}/answers`).set('Authorization', authOf(buyer)!).send({ text: `Answered after ${daysAgo} days.` });
          assert.equal(answer.status, open ? 201 : 404, JSON.stringify(answer.body));
          // The course's instructor reads every chapter, dripped or not.
          const inbox = await get(app, `/api/community/courses/${world.paid.documentId}/questions?chapter=${dripped.documentId}`, authOf(world.personas.find((p) => p.name === 'courseInstructor')!));
          assert.ok(inbox.text.includes(GATED_Q2));
        }
      } finally {
        await app.strapi.db.query(ENTITLEMENT_UID).update({ where: { id: row.id }, data: { validFrom: row.validFrom } });
        await app.strapi.db.query('api::course.course').updateMany({ where: { documentId: world.paid.documentId }, data: { dripEnabled: false } });
        await app.strapi.db.query(CHAPTER_UID).updateMany({ where: { documentId: dripped.documentId }, data: { dripDays: null } });
      }
    });
  });

  describe('REST for frontends', () => {

    test('GET /api/paywall/me/entitlements lists the caller’s valid access only', async () => {
      const buyer = world.personas.find((p) => p.name === 'buyer')!;
      const res = await get(app, '/api/paywall/me/entitlements', authOf(buyer));
      assert.equal(res.status, 200);
      assert.equal(res.body.data.length, 1);
      assert.equal(res.body.data[0].course.documentId, world.paid.documentId);
      assert.equal(res.body.data[0].source, 'purchase');
      assert.ok(!('sourceRef' in res.body.data[0]) && !('notes' in res.body.data[0]));
      const refunded = world.personas.find((p) => p.name === 'purchaseRefunded')!;
      assert.deepEqual((await get(app, '/api/paywall/me/entitlements', authOf(refunded))).body.data, []);
      assert.equal((await get(app, '/api/paywall/me/entitlements')).status, 403);
    });

    test('GET /api/paywall/courses/:documentId/access answers the verdict and the unlocked chapters', async () => {
      const url = `/api/paywall/courses/${world.paid.documentId}/access`;
      const anon = await get(app, url);
      assert.equal(anon.status, 200);
      assert.deepEqual(
        { allowed: anon.body.data.allowed, reason: anon.body.data.reason, unlocked: anon.body.data.chapters.map((c: { unlocked: boolean }) => c.unlocked) },
        { allowed: false, reason: 'anonymous', unlocked: [true, false, false] }
      );
      const sub = world.personas.find((p) => p.name === 'subscriber')!;
      const s = await get(app, url, authOf(sub));
      assert.equal(s.body.data.via, 'subscription');
      assert.deepEqual(s.body.data.chapters.map((c: { unlocked: boolean }) => c.unlocked), [true, true, true]);
      const expired = world.personas.find((p) => p.name === 'subscriptionExpired')!;
      assert.equal((await get(app, url, authOf(expired))).body.data.reason, 'expired');
      const refunded = world.personas.find((p) => p.name === 'purchaseRefunded')!;
      assert.equal((await get(app, url, authOf(refunded))).body.data.reason, 'revoked');
      const zh = await get(app, `${url}?locale=zh-Hans`);
      assert.equal(zh.body.data.chapters.length, 3);
      assert.equal((await get(app, `/api/paywall/courses/${world.draft.documentId}/access`, authOf(sub))).status, 404);
      assert.equal((await get(app, '/api/paywall/courses/nope/access')).status, 404);
      assert.equal((await get(app, `${url}?locale=../../etc`)).status, 400);
    });
  });

  describe('media on local storage', () => {
    const chapterWithVideo = () => world.paid.chapters[1]!.documentId;
    const chapterWithFiles = () => world.paid.chapters[2]!.documentId;

    test('gated files are not reachable by their public URL; other uploads are', async () => {
      for (const f of [world.video, world.attachment, world.image]) {
        assert.equal((await get(app, f.url)).status, 404, f.url);
        for (const fmt of Object.values(f.formats ?? {})) assert.equal((await get(app, fmt.url)).status, 404, fmt.url);
      }
      const cover = await uploadFile(app, 'public-cover.txt', 'text/plain', Buffer.from('not gated'));
      uploaded.push(cover);
      const res = await get(app, cover.url);
      assert.equal(res.status, 200);
    });

    test('readable chapters link their media to the media route, which streams after the check', async () => {
      const buyer = world.personas.find((p) => p.name === 'buyer')!;
      const res = await get(app, `/api/chapters/${chapterWithVideo()}?populate=video`, authOf(buyer));
      const url: string = res.body.data.video.url;
      assert.match(url, new RegExp(`^/api/paywall/media/${world.video.id}\\?`));
      // The link works without a bearer token (a <video src> cannot send one)...
      const file = await app.http().get(url).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      assert.equal(file.status, 200);
      assert.deepEqual(file.body, world.video.content);
      assert.equal(file.headers['cache-control'], 'private, no-store');
      // ...with byte ranges for seeking...
      const part = await app.http().get(url).set('Range', 'bytes=0-4');
      assert.equal(part.status, 206);
      assert.equal(part.headers['content-range'], `bytes 0-4/${world.video.content.length}`);
      // ...and a tampered link is refused.
      assert.equal((await app.http().get(url.replace(/s=[^&]+/, 's=AAAA'))).status, 403);
      assert.equal((await app.http().get(url.replace(/u=\d+/, `u=${buyer.user!.id + 1}`))).status, 403);
      // With a bearer token, no signature needed.
      assert.equal((await get(app, `/api/paywall/media/${world.video.id}`, authOf(buyer))).status, 200);
    });

    test('image formats are linked and served too', async () => {
      const owner = world.personas.find((p) => p.name === 'courseInstructor')!;
      const res = await get(app, `/api/chapters/${chapterWithFiles()}?populate=attachments`, authOf(owner));
      const img = (res.body.data.attachments as Array<{ id: number; formats?: Record<string, { url: string }> }>).find((a) => a.id === world.image.id)!;
      assert.ok(img.formats?.thumbnail, 'a thumbnail was generated');
      assert.match(img.formats.thumbnail.url, /format=thumbnail/);
      const thumb = await app.http().get(img.formats.thumbnail.url);
      assert.equal(thumb.status, 200);
      assert.equal(thumb.headers['content-type'], 'image/png');
    });

    test('callers without access are refused; a refund stops a link already handed out', async () => {
      const byName = (n: string) => world.personas.find((p) => p.name === n)!;
      assert.equal((await get(app, `/api/paywall/media/${world.video.id}`)).status, 401);
      for (const n of ['learnerWithoutAccess', 'boughtAnotherCourse', 'subscriptionExpired', 'purchaseRefunded', 'otherInstructor']) {
        assert.equal((await get(app, `/api/paywall/media/${world.video.id}`, authOf(byName(n)))).status, 403, n);
      }
      assert.equal((await get(app, '/api/paywall/media/999999999')).status, 404);
      assert.equal((await get(app, '/api/paywall/media/abc')).status, 400);
      // A file that is not chapter media is not served here.
      const other = await uploadFile(app, 'other.txt', 'text/plain', Buffer.from('x'));
      uploaded.push(other);
      assert.equal((await get(app, `/api/paywall/media/${other.id}`, authOf(byName('buyer')))).status, 404);

      const late = await createUser(app);
      await app.strapi.plugin('paywall').service('entitlements').grant({ userId: late.id, courseDocumentId: world.paid.documentId, source: 'purchase', sourceRef: 'pi_late' });
      const res = await get(app, `/api/chapters/${chapterWithVideo()}?populate=video`, late.auth);
      const link: string = res.body.data.video.url;
      assert.equal((await app.http().get(link)).status, 200);
      await app.strapi.plugin('paywall').service('entitlements').revoke({ source: 'purchase', sourceRef: 'pi_late', reason: 'refunded' });
      assert.equal((await app.http().get(link)).status, 403);
    });

    test('free and preview media are readable by anyone through the route', async () => {
      const file = await uploadFile(app, 'preview-clip.mp4', 'video/mp4', Buffer.from('preview clip'));
      uploaded.push(file);
      await attachMedia(app, world.paid.chapters[0]!.documentId, { video: file.id });
      const res = await get(app, `/api/chapters/${world.paid.chapters[0]!.documentId}?populate=video`);
      assert.equal(res.body.data.locked, false);
      const link: string = res.body.data.video.url;
      assert.match(link, /u=0/);
      assert.equal((await app.http().get(link)).status, 200);
      assert.equal((await get(app, file.url)).status, 404, 'still not public by URL');
    });
  });

  describe('gated media: private storage, every URL spelling, no storage name in any body', () => {
    const byName = (n: string) => world.personas.find((p) => p.name === n)!;
    const FILE_UID = 'plugin::upload.file';
    let coverCourse: Awaited<ReturnType<typeof createCourse>>;
    let coverImage: UploadedFile;
    const gated = () => [world.video, world.attachment, world.image, coverImage];
    /** Who may read each gated file: the world's through the paid course, the cover image through its own course. */
    const entitledTo = (f: UploadedFile, p: Persona) =>
      f.id === coverImage.id ? p.name === 'courseInstructor' : p.entitled;
    const privateBytes = (name: string) => fs.readFileSync(path.join(store.dir, name));
    const inPublic = (name: string) => fs.existsSync(path.join(PUBLIC_UPLOADS, name));
    const inPrivate = (name: string) => fs.existsSync(path.join(store.dir, name));
    const fileRow = (id: number) => app.strapi.db.query(FILE_UID).findOne({ where: { id } }) as Promise<{ url: string; formats?: Record<string, { url: string }> | null } | null>;
    async function bytesOf(url: string, auth?: string): Promise<{ status: number; body: Buffer }> {
      const req = app.http().get(url).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      if (auth) req.set('Authorization', auth);
      const res = await req;
      return { status: res.status, body: res.body as Buffer };
    }
    const bodyText = (res: { text?: string; body?: unknown }) =>
      typeof res.text === 'string' ? res.text : Buffer.isBuffer(res.body) ? res.body.toString('latin1') : JSON.stringify(res.body ?? '');

    before(async () => {
      // An image used as a lesson attachment that an editor also made the course's cover: once it
      // is chapter media, no response names where it is stored, whatever relation brings it.
      coverCourse = await createCourse(app, { instructor: world.owner.instructorDocumentId, chapters: 2 });
      coverImage = await uploadFile(app, 'MEDIACOVER-lesson-slide.png', 'image/png', await pngOf(400, 300, 90));
      uploaded.push(coverImage);
      await attachMedia(app, coverCourse.chapters[1]!.documentId, { attachments: [coverImage.id] });
      const courses = app.strapi.documents('api::course.course');
      await courses.update({ documentId: coverCourse.documentId, locale: 'en', data: { cover: coverImage.id } as never });
      await courses.publish({ documentId: coverCourse.documentId, locale: 'en' });
    });

    test('gated files and their image formats live in private storage, not under public/; their rows name only the media route', async () => {
      let formats = 0;
      for (const f of gated()) {
        for (const v of await storedVariants(app.strapi, f.id)) {
          assert.equal(inPublic(v.name), false, `${v.label} is not under public/uploads`);
          assert.equal(inPrivate(v.name), true, `${v.label} is in private storage`);
          if (v.format) formats += 1;
        }
        const row = await fileRow(f.id);
        assert.equal(row?.url, `/api/paywall/media/${f.id}`);
        for (const [k, fmt] of Object.entries(row?.formats ?? {})) assert.equal(fmt.url, `/api/paywall/media/${f.id}?format=${k}`);
      }
      assert.ok(formats >= 2, 'image formats are covered');
      assert.ok(path.relative(path.dirname(PUBLIC_UPLOADS), store.dir).startsWith('..'), 'the private directory is outside public/');
      // A file that is no chapter's media stays where it was, public.
      const cover = await uploadFile(app, 'plain-cover.png', 'image/png', await pngOf(300, 200, 10));
      uploaded.push(cover);
      assert.ok(inPublic(`${cover.hash}${cover.ext}`));
      assert.equal((await get(app, cover.url)).status, 200);
    });

    test('a private directory inside public/ is refused (the app does not boot with it)', () => {
      const storage = app.strapi.plugin('paywall').service('private-storage');
      const key = 'plugin::paywall.privateUploadsDir';
      const saved = app.strapi.config.get(key);
      try {
        for (const dir of ['public/uploads/private', 'public', path.join(path.dirname(PUBLIC_UPLOADS), 'x', '..', 'gated')]) {
          app.strapi.config.set(key, dir);
          assert.throws(() => storage.assertOutsidePublic(), /lies inside the public directory/, dir);
        }
        app.strapi.config.set(key, '.tmp/elsewhere');
        assert.doesNotThrow(() => storage.assertOutsidePublic());
      } finally {
        app.strapi.config.set(key, saved);
      }
    });

    test('by every URL spelling, for every persona, no gated file is served; the entitled still get it through the media route', { timeout: 600_000 }, async () => {
      const server = app.strapi.server.httpServer;
      await ensureListening(server);
      const leaks: string[] = [];
      let sent = 0;
      // koa-static refuses traversals with a logged 400 ("Malicious Path"): quiet for the fuzz.
      const log = app.strapi.log as unknown as { silent?: boolean };
      log.silent = true;
      try {
        for (const f of [world.video, world.attachment, world.image]) {
          for (const v of await storedVariants(app.strapi, f.id)) {
            const bytes = privateBytes(v.name);
            const probe = bytes.subarray(0, Math.min(48, bytes.length));
            const where = `.tmp/${store.name}/${v.name}`;
            const spellings = [
              ...pathSpellings('/uploads/', v.name),
              ...pathSpellings('/uploads/', `${v.name}?download=1`).filter((sp) => sp.name.startsWith('query')),
              // The private directory by name, from the root and out of public/ by traversal.
              { name: 'private dir at the root', path: `/${store.name}/${v.name}` },
              { name: 'private dir by its app path', path: `/${where}` },
              { name: 'encoded private dir path', path: `/${where.replace(/\//g, '%2F')}` },
              { name: 'traversal from uploads', path: `/uploads/../../${where}` },
              { name: 'encoded traversal from uploads', path: `/uploads/..%2F..%2F${where.replace(/\//g, '%2F')}` },
              { name: 'encoded dot-dot at the root', path: `/%2e%2e/${where}` },
              { name: 'double-encoded traversal', path: `/uploads/%252e%252e/%252e%252e/${where}` },
              { name: 'backslash traversal', path: `/uploads\\..\\..\\${where.replace(/\//g, '\\')}` },
            ];
            const route = `paywall/media/${f.id}${v.format ? `?format=${v.format}` : ''}`;
            for (const persona of world.personas) {
              const headers: Record<string, string> = persona.user ? { Authorization: `Bearer ${persona.user.jwt}` } : {};
              // The media route itself, spelled any way the router accepts, still decides on access.
              const paths = persona.entitled || v.format ? spellings : [...spellings, ...pathSpellings('/api/', route)];
              await inBatches(paths, 8, async (sp) => {
                const res = await rawRequest(server, 'GET', sp.path, headers);
                sent += 1;
                if (res.body.includes(probe)) leaks.push(`${v.label} [${persona.name}] ${sp.name}: ${sp.path} → ${res.status}`);
              });
              if (persona.entitled) {
                const ok = await rawRequest(server, 'GET', `/api/${route}`, headers);
                assert.equal(ok.status, 200, `${v.label} [${persona.name}] through the media route: ${ok.text.slice(0, 200)}`);
                assert.ok(ok.body.equals(bytes), `${v.label} [${persona.name}]: the stored bytes`);
              }
            }
          }
        }
        // Control: the same spellings of a public file's path do reach it (the probe sees bytes,
        // and the encoded spellings that passed the old guard are served by the static server).
        const cover = await uploadFile(app, 'control-cover.png', 'image/png', await pngOf(200, 150, 33));
        uploaded.push(cover);
        const name = `${cover.hash}${cover.ext}`;
        const probe = fs.readFileSync(path.join(PUBLIC_UPLOADS, name)).subarray(0, 48);
        const served: string[] = [];
        for (const sp of pathSpellings('/uploads/', name)) {
          if ((await rawRequest(server, 'GET', sp.path)).body.includes(probe)) served.push(sp.name);
        }
        assert.ok(served.includes('canonical') && served.includes('slash after segment %2F'), `served: ${served.join(', ')}`);
      } finally {
        log.silent = false;
      }
      assert.ok(sent > 1500, `${sent} requests`);
      assert.deepEqual(leaks, []);
    });

    test('no response of any content-API read route names where a gated file is stored, for any persona', { timeout: 600_000 }, async () => {
      const names = storageNamesOf(gated(), store.name);
      const urls = readRouteUrls(app.strapi, {
        documentIds: {
          chapters: [world.paid.chapters[1]!.documentId, world.paid.chapters[2]!.documentId, coverCourse.chapters[1]!.documentId],
          courses: [world.paid.documentId, coverCourse.documentId],
          instructors: [world.owner.instructorDocumentId],
          tags: [world.tagDocumentId],
          categories: [world.categoryDocumentId],
          plans: [world.planDocumentId],
        },
        fileIds: gated().map((f) => f.id),
        fallbackDocumentIds: [world.paid.documentId, coverCourse.documentId],
      });
      assert.ok(urls.some((u) => u.startsWith('/api/upload/files')) && urls.some((u) => u.startsWith('/api/users/me')), 'core plugin routes are swept');
      urls.push(
        // Files reached through other relations than a chapter's gated fields.
        `/api/courses/${coverCourse.documentId}?populate=cover`,
        `/api/courses?populate[0]=cover&populate[1]=chapters&pagination[pageSize]=100`,
        `/api/courses/${coverCourse.documentId}?populate[cover][populate]=*`,
        `/api/courses/${coverCourse.documentId}?populate[chapters][populate][attachments][populate]=*`,
        `/api/chapters/${coverCourse.chapters[1]!.documentId}?populate[course][populate]=cover`,
        `/api/instructors/${world.owner.instructorDocumentId}?populate[courses][populate]=*`,
        `/api/courses?fields[0]=title&populate[cover][fields][0]=hash&populate[cover][fields][1]=ext&populate[cover][fields][2]=url`,
        `/api/chapters/${world.paid.chapters[2]!.documentId}?populate[attachments][fields][0]=hash&populate[attachments][fields][1]=formats`,
        '/api/users/me?populate=*'
      );
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      // Every persona without access, and a reader with it (who gets links, not storage names).
      const personas = ['anonymous', 'learnerWithoutAccess', 'purchaseRefunded', 'otherInstructor', 'buyer'].map(byName);
      const pairs = urls.flatMap((url) => personas.map((persona) => ({ url, persona })));
      await inBatches(pairs, 6, async ({ url, persona }) => {
        const res = await get(app, url, authOf(persona));
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const text = bodyText(res);
        for (const n of names) if (text.includes(n)) failures.push(`${url} [${persona.name}] ${res.status}: names ${n}`);
      });
      assert.ok(urls.length > 100, `${urls.length} urls`);
      assert.ok((statuses.get(200) ?? 0) > 200, `answers: ${JSON.stringify([...statuses])}`);
      assert.deepEqual(failures, []);
    });

    test('a gated file reached through another relation (a course cover) is named only by the media route', async () => {
      const anon = await get(app, `/api/courses/${coverCourse.documentId}?populate=cover`);
      assert.equal(anon.status, 200);
      const cover = anon.body.data.cover as Record<string, unknown>;
      assert.equal(cover.id, coverImage.id);
      assert.equal(cover.url, `/api/paywall/media/${coverImage.id}`);
      for (const k of ['hash', 'ext', 'provider', 'provider_metadata', 'previewUrl']) assert.ok(!(k in cover), `no ${k}`);
      for (const fmt of Object.values((cover.formats ?? {}) as Record<string, Record<string, unknown>>)) {
        assert.match(String(fmt.url), new RegExp(`^/api/paywall/media/${coverImage.id}\\?format=`));
        assert.ok(!('hash' in fmt) && !('path' in fmt));
      }
      assert.equal((await get(app, cover.url as string)).status, 401, 'the route path answers only to readers with access');
      assert.equal((await get(app, cover.url as string, authOf(byName('buyer')))).status, 403);
      assert.equal((await get(app, cover.url as string, authOf(byName('courseInstructor')))).status, 200);
      // Readable chapters carry signed links and no storage details either.
      const own = await get(app, `/api/chapters/${coverCourse.chapters[1]!.documentId}?populate=attachments`, authOf(byName('courseInstructor')));
      const att = (own.body.data.attachments as Array<Record<string, unknown>>)[0]!;
      assert.match(String(att.url), /[?&]s=/);
      for (const k of ['hash', 'ext', 'provider', 'provider_metadata']) assert.ok(!(k in att), `no ${k} for a reader with access`);
    });

    test("the upload plugin's own read routes, granted to every role, name no gated storage either", async () => {
      const PERMISSION_UID = 'plugin::users-permissions.permission';
      const roles = (await app.strapi.db.query('plugin::users-permissions.role').findMany({
        where: { type: { $in: ['public', 'authenticated', 'instructor'] } },
      })) as Array<{ id: number; type: string }>;
      assert.equal(roles.length, 3);
      const granted: number[] = [];
      for (const role of roles) {
        for (const action of ['plugin::upload.content-api.find', 'plugin::upload.content-api.findOne']) {
          const exists = await app.strapi.db.query(PERMISSION_UID).findOne({ where: { action, role: role.id } });
          if (!exists) granted.push((await app.strapi.db.query(PERMISSION_UID).create({ data: { action, role: role.id } })).id);
        }
      }
      const names = storageNamesOf(gated(), store.name);
      try {
        for (const persona of world.personas) {
          const list = await get(app, '/api/upload/files?populate=*&pagination[pageSize]=200', authOf(persona));
          assert.equal(list.status, 200, `${persona.name}: ${list.text.slice(0, 200)}`);
          const rows = list.body as Array<Record<string, unknown>>;
          for (const f of gated()) {
            const row = rows.find((r) => r.id === f.id);
            assert.ok(row, `file ${f.id} is listed to ${persona.name}`);
            assert.equal(row.url, `/api/paywall/media/${f.id}`);
            for (const k of ['hash', 'ext', 'provider', 'provider_metadata']) assert.ok(!(k in row), `${persona.name}: no ${k}`);
            const one = await get(app, `/api/upload/files/${f.id}?populate=*`, authOf(persona));
            assert.equal(one.status, 200);
            for (const n of names) assert.ok(!one.text.includes(n), `${persona.name} /api/upload/files/${f.id} names ${n}`);
          }
          for (const n of names) assert.ok(!list.text.includes(n), `${persona.name} /api/upload/files names ${n}`);
          const publicFile = rows.find((r) => typeof r.url === 'string' && r.url.startsWith('/uploads/'));
          assert.ok(publicFile && typeof publicFile.hash === 'string', 'files that are no chapter media keep their public URL');
        }
      } finally {
        if (granted.length > 0) await app.strapi.db.query(PERMISSION_UID).deleteMany({ where: { id: { $in: granted } } });
      }
      assert.equal((await get(app, '/api/upload/files')).status, 403, 'permissions back as they were');
    });

    test('every way a file becomes chapter media moves it out of public/ before the call returns', async () => {
      const owner = byName('courseInstructor');
      const course = await createCourse(app, { instructor: world.owner.instructorDocumentId, chapters: 3, zh: { title: '媒体课程' } });
      const [, chA, chB] = course.chapters;
      const rowsOf = async (documentId: string) =>
        (await app.strapi.db.query(CHAPTER_UID).findMany({ where: { documentId }, select: ['id', 'locale', 'publishedAt'] })) as Array<{ id: number; publishedAt: unknown }>;
      const assertPrivate = async (id: number, label: string) => {
        const variants = await storedVariants(app.strapi, id);
        for (const v of variants) {
          assert.equal(inPublic(v.name), false, `${label}: ${v.label} left public/uploads`);
          assert.equal(inPrivate(v.name), true, `${label}: ${v.label} is private`);
        }
        assert.equal((await fileRow(id))?.url, `/api/paywall/media/${id}`, label);
      };

      // 1. The upload plugin with ref/refId/field (what POST /api/upload does with them): the row
      //    is created linked, and the upload call answers the new url.
      const draftRow = (await rowsOf(chA!.documentId)).find((r) => r.publishedAt === null)!;
      const linked = await uploadFile(app, 'linked-at-upload.png', 'image/png', await pngOf(420, 300, 40), { ref: CHAPTER_UID, refId: draftRow.id, field: 'attachments' });
      uploaded.push(linked);
      assert.equal(linked.url, `/api/paywall/media/${linked.id}`, 'the upload call answers the private url');
      await assertPrivate(linked.id, 'upload with ref/refId/field');

      // 2. The review plugin's instructor route: the response names the file by the media route only.
      const res = await app
        .http()
        .post('/api/review/media')
        .set('Authorization', owner.user!.auth)
        .field('field', 'video')
        .field('documentId', chB!.documentId)
        .attach('files', Buffer.from(`instructor video ${Date.now()}`), { filename: 'lesson-by-instructor.mp4', contentType: 'video/mp4' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const viaReview = res.body.data.file as { id: number; url: string };
      uploaded.push({ id: viaReview.id } as UploadedFile);
      assert.equal(viaReview.url, `/api/paywall/media/${viaReview.id}`);
      const reviewRow = (await app.strapi.db.query(FILE_UID).findOne({ where: { id: viaReview.id } })) as { hash: string };
      assert.ok(!res.text.includes(reviewRow.hash), 'the response does not name the stored file');
      await assertPrivate(viaReview.id, 'the review plugin route');
      assert.equal((await bytesOf(viaReview.url, owner.user!.auth)).status, 200, 'the instructor reads it back through the route');

      // 3. Re-linking a media-library file in the Content Manager (draft, then publish).
      const admin = await createAdmin(app);
      const library = await uploadFile(app, 'from-the-library.png', 'image/png', await pngOf(360, 240, 150));
      uploaded.push(library);
      assert.ok(inPublic(`${library.hash}${library.ext}`), 'a library file starts public');
      const cm = `/content-manager/collection-types/${CHAPTER_UID}/${chA!.documentId}`;
      const put = await app.http().put(`${cm}?locale=en`).set('Authorization', admin.auth).send({ attachments: [linked.id, library.id] });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      await assertPrivate(library.id, 'Content Manager');
      const pub = await app.http().post(`${cm}/actions/publish?locale=en`).set('Authorization', admin.auth).send({});
      assert.equal(pub.status, 200, JSON.stringify(pub.body));
      await assertPrivate(library.id, 'Content Manager publish');
      // Its response already carries what the row now says (and editor links, below).
      assert.ok(!JSON.stringify(put.body).includes(`/uploads/${library.hash}`), 'the write answers the new url');

      // 4. Another locale's version re-links the same files: nothing goes back.
      await app.strapi.documents(CHAPTER_UID).update({ documentId: chA!.documentId, locale: 'zh-Hans', data: { attachments: [library.id] } as never });
      await assertPrivate(library.id, 'another locale');
    });

    test('a write that rolls back puts the file back; replace and delete work on private files', async () => {
      const course = await createCourse(app, { instructor: world.owner.instructorDocumentId, chapters: 2 });
      const ch = course.chapters[1]!.documentId;
      const file = await uploadFile(app, 'rolled-back.png', 'image/png', await pngOf(300, 300, 60));
      uploaded.push(file);
      const variants = await storedVariants(app.strapi, file.id);
      await assert.rejects(
        app.strapi.db.transaction(async () => {
          await app.strapi.documents(CHAPTER_UID).update({ documentId: ch, locale: 'en', data: { attachments: [file.id] } as never });
          for (const v of variants) assert.equal(inPrivate(v.name), true, 'moved inside the write');
          throw new Error('the caller fails after linking');
        }),
        /the caller fails/
      );
      for (const v of variants) {
        assert.equal(inPublic(v.name), true, `${v.label} is back where its row says`);
        assert.equal(inPrivate(v.name), false);
      }
      assert.equal((await fileRow(file.id))?.url, file.url);

      // Linked for real, then its bytes replaced by a larger image (new format names appear).
      await attachMedia(app, ch, { attachments: [file.id] });
      const bigger = await pngOf(820, 600, 220);
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-replace-'));
      const filepath = path.join(tmp, 'replacement.png');
      fs.writeFileSync(filepath, bigger);
      try {
        await app.strapi.plugin('upload').service('upload').replace(file.id, {
          data: {},
          file: { filepath, originalFilename: 'replacement.png', mimetype: 'image/png', size: bigger.length },
        });
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
      const after = await storedVariants(app.strapi, file.id);
      assert.ok(after.length > variants.length, `new formats (${after.map((v) => v.format).join(', ')})`);
      for (const v of after) {
        assert.equal(inPublic(v.name), false, `replaced ${v.label} is not public`);
        assert.equal(inPrivate(v.name), true, `replaced ${v.label} is private`);
      }
      const row = await fileRow(file.id);
      assert.equal(row?.url, `/api/paywall/media/${file.id}`);
      for (const [k, f] of Object.entries(row?.formats ?? {})) assert.equal(f.url, `/api/paywall/media/${file.id}?format=${k}`);
      const served = await bytesOf(`/api/paywall/media/${file.id}`, authOf(byName('courseInstructor')));
      assert.equal(served.status, 200);
      assert.ok(served.body.equals(privateBytes(after[0]!.name)), 'the route serves the new bytes');

      // The upload plugin's delete removes every private copy.
      const full = await app.strapi.db.query(FILE_UID).findOne({ where: { id: file.id } });
      await app.strapi.plugin('upload').service('upload').remove(full);
      for (const v of after) assert.equal(inPrivate(v.name), false, `${v.label} deleted`);
    });

    test('editors see gated media in the admin panel through links signed for them, which readers cannot forge', async () => {
      const admin = await createAdmin(app);
      const ch = world.paid.chapters[1]!.documentId;
      const res = await app.http().get(`/content-manager/collection-types/${CHAPTER_UID}/${ch}?locale=en`).set('Authorization', admin.auth);
      assert.equal(res.status, 200);
      const url: string = res.body.data.video.url;
      assert.match(url, new RegExp(`^/api/paywall/media/${world.video.id}\\?a=${admin.id}&e=\\d+&s=`));
      const streamed = await bytesOf(url);
      assert.equal(streamed.status, 200, 'an <img>/<video> in the admin panel needs no header');
      assert.ok(streamed.body.equals(world.video.content));
      assert.equal((await app.http().get(url.replace(`a=${admin.id}`, `u=${admin.id}`))).status, 403, 'not a reader link');
      assert.equal((await app.http().get(url.replace(`a=${admin.id}`, `a=${admin.id + 1}`))).status, 403, 'not another editor');
      const library = await app.http().get('/upload/files?pageSize=100').set('Authorization', admin.auth);
      assert.equal(library.status, 200);
      const listed = (library.body.results as Array<{ id: number; url: string; formats?: Record<string, { url: string }> }>).find((f) => f.id === world.image.id)!;
      assert.match(listed.url, /[?&]a=\d+/);
      assert.match(listed.formats!.thumbnail!.url, new RegExp(`^/api/paywall/media/${world.image.id}\\?format=thumbnail&a=${admin.id}&e=\\d+&s=`));
      assert.equal((await bytesOf(listed.formats!.thumbnail!.url)).status, 200, 'the media library thumbnail renders');
      // A deactivated editor's links stop working.
      await app.strapi.db.query('admin::user').update({ where: { id: admin.id }, data: { isActive: false } });
      assert.equal((await app.http().get(url)).status, 403);
      // Content-API callers get readers' links, never editors'.
      const buyer = byName('buyer');
      const read = await get(app, `/api/chapters/${ch}?populate=video`, authOf(buyer));
      assert.match(read.body.data.video.url, new RegExp(`[?&]u=${buyer.user!.id}&`));
      assert.ok(!/[?&]a=/.test(read.body.data.video.url));
    });
  });

  describe('query budget', () => {
    test('25 courses with all their chapters populated: one entitlement query (none for anonymous)', async () => {
      const tag = await app.strapi.documents('api::tag.tag').create({ locale: 'en', data: { name: 'Budget', slug: `budget-${Date.now()}` } as never });
      const courses = [];
      for (let i = 0; i < 25; i += 1) courses.push(await createCourse(app, { tags: [tag.documentId], chapters: 2 }));
      const buyer = await createUser(app);
      for (const c of courses.slice(0, 3)) {
        await app.strapi.plugin('paywall').service('entitlements').grant({ userId: buyer.id, courseDocumentId: c.documentId, source: 'purchase', sourceRef: `b-${c.documentId}` });
      }
      await app.strapi.plugin('paywall').service('entitlements').grant({ userId: buyer.id, planDocumentId: world.planDocumentId, source: 'subscription', sourceRef: 'b-sub', validUntil: new Date(Date.now() + 86400_000) });
      const url = `/api/courses?filters[tags][documentId][$eq]=${tag.documentId}&populate[chapters]=true&pagination[pageSize]=25`;
      const sqls: string[] = [];
      const listener = (q: { sql: string }) => sqls.push(q.sql);
      const knex = app.strapi.db.connection;
      knex.on('query', listener);
      try {
        const count = () => sqls.filter((s) => s.includes('paywall_entitlements')).length;
        sqls.length = 0;
        const res = await get(app, url, buyer.auth);
        assert.equal(res.status, 200);
        assert.equal(res.body.data.length, 25);
        const chapters = chaptersIn(res.body.data);
        assert.equal(chapters.length, 50);
        assert.equal(chapters.filter((c) => c.locked === false).length, 3 * 2 + 22, 'three bought courses in full, plus the other 22 previews');
        assert.equal(count(), 1, 'exactly one entitlement query');
        assert.equal(sqls.filter((s) => s.includes('instructorUserId')).length, 1, 'and one facts query');

        sqls.length = 0;
        const anon = await get(app, url);
        assert.equal(anon.status, 200);
        assert.equal(count(), 0, 'no entitlement query for anonymous callers');
      } finally {
        knex.removeListener('query', listener);
      }
    });
  });
});

describe('upgrade: chapter media stored the old way moves to private storage at boot', () => {
  test('a gated file left under public/uploads is moved at boot, still served to entitled readers, gone from every URL', { timeout: 120_000 }, async () => {
    const db = await createTestDatabase();
    const store = privateUploads();
    let app: TestApp | null = await bootApp({ database: db, env: store.env });
    const files: UploadedFile[] = [];
    try {
      const buyer = await createUser(app);
      const course = await createCourse(app, { chapters: 2 });
      await app.strapi.plugin('paywall').service('entitlements').grant({ userId: buyer.id, courseDocumentId: course.documentId, source: 'purchase', sourceRef: 'old-way' });
      const video = await uploadFile(app, 'lesson-stored-the-old-way.mp4', 'video/mp4', Buffer.from(`old way video ${Date.now()}`));
      const image = await uploadFile(app, 'slide-stored-the-old-way.png', 'image/png', await pngOf(480, 320, 120));
      files.push(video, image);
      // What an earlier version left behind: the files linked to the chapter (draft and published
      // rows), their bytes and urls under public/uploads.
      const rows = (await app.strapi.db.query(CHAPTER_UID).findMany({ where: { documentId: course.chapters[1]!.documentId }, select: ['id'] })) as Array<{ id: number }>;
      for (const r of rows) {
        await linkTheOldWay(app.strapi, video.id, r.id, 'video');
        await linkTheOldWay(app.strapi, image.id, r.id, 'attachments');
      }
      const variants = [...(await storedVariants(app.strapi, video.id)), ...(await storedVariants(app.strapi, image.id))];
      assert.ok(variants.length >= 3, 'a video, an image and its thumbnail');
      for (const v of variants) assert.ok(fs.existsSync(path.join(PUBLIC_UPLOADS, v.name)), `${v.label} starts under public/uploads`);
      assert.equal((await app.http().get(video.url)).status, 200, 'served by URL before the upgrade');
      await app.close();
      app = null;

      app = await bootApp({ database: db, env: store.env });
      for (const v of variants) {
        assert.equal(fs.existsSync(path.join(PUBLIC_UPLOADS, v.name)), false, `${v.label} left public/uploads`);
        assert.equal(fs.existsSync(path.join(store.dir, v.name)), true, `${v.label} is in private storage`);
      }
      const row = await app.strapi.db.query('plugin::upload.file').findOne({ where: { id: video.id } });
      assert.equal(row.url, `/api/paywall/media/${video.id}`);
      await ensureListening(app.strapi.server.httpServer);
      const log = app.strapi.log as unknown as { silent?: boolean };
      log.silent = true; // koa-static logs each refused traversal
      try {
        for (const sp of pathSpellings('/uploads/', variants[0]!.name)) {
          const res = await rawRequest(app.strapi.server.httpServer, 'GET', sp.path);
          assert.ok(!res.body.includes(video.content), `${sp.name}: ${sp.path}`);
        }
      } finally {
        log.silent = false;
      }
      const got = await app.http().get(`/api/paywall/media/${video.id}`).set('Authorization', buyer.auth);
      assert.equal(got.status, 200);
      assert.equal(got.text ?? String(got.body), video.content.toString());
      const thumb = await app.http().get(`/api/paywall/media/${image.id}?format=thumbnail`).set('Authorization', buyer.auth);
      assert.equal(thumb.status, 200);
      assert.equal((await app.http().get(`/api/paywall/media/${video.id}`)).status, 401);
      // Idempotent: a second pass (every boot runs one) has nothing left to move.
      assert.equal(await app.strapi.plugin('paywall').service('private-storage').secureAll(), 0);
    } finally {
      if (app) {
        await removeFiles(app, files).catch(() => undefined);
        await app.close();
      }
      await db.drop();
      store.remove();
      delete process.env.PAYWALL_PRIVATE_UPLOADS_DIR;
    }
  });

});

describe('paywall media on S3 (loopback, private bucket)', () => {
  let s3: LoopbackS3;
  let app: TestApp;

  before(async () => {
    s3 = await startLoopbackS3();
    app = await bootApp({ env: s3.env });
  });
  after(async () => {
    await app?.close();
    await s3?.close();
    // The next boot in this process must not inherit the S3 settings.
    for (const k of Object.keys(s3?.env ?? {})) delete process.env[k];
  });

  test('objects are private; the media route redirects entitled readers to a short-lived pre-signed URL', async () => {
    const stranger = await createUser(app);
    const buyer = await createUser(app);
    const course = await createCourse(app, { chapters: [{ isPreview: true }, {}] });
    const video = await uploadFile(app, 's3-lesson.mp4', 'video/mp4', Buffer.from('s3 video bytes MEDIA-S3-MARKER'));
    try {
      assert.ok(video.url.startsWith(`${s3.endpoint}/${s3.bucket}/`), video.url);
      const key = decodeURIComponent(video.url.slice(`${s3.endpoint}/${s3.bucket}/`.length));
      assert.equal(s3.acls.get(key), 'private', 'written with a private ACL');
      const direct = await fetch(video.url);
      assert.equal(direct.status, 403, 'the bucket URL alone is refused');

      await attachMedia(app, course.chapters[1]!.documentId, { video: video.id });
      await app.strapi.plugin('paywall').service('entitlements').grant({ userId: buyer.id, courseDocumentId: course.documentId, source: 'purchase', sourceRef: 's3-buy' });

      const locked = await get(app, `/api/chapters/${course.chapters[1]!.documentId}?populate=video`, stranger.auth);
      assert.equal(locked.body.data.locked, true);
      assert.ok(!locked.text.includes(key) && !locked.text.includes('X-Amz-Signature'));
      assert.equal((await get(app, `/api/paywall/media/${video.id}`, stranger.auth)).status, 403);

      const readable = await get(app, `/api/chapters/${course.chapters[1]!.documentId}?populate=video`, buyer.auth);
      const link: string = readable.body.data.video.url;
      assert.match(link, /^\/api\/paywall\/media\//);
      assert.ok(!readable.text.includes(s3.endpoint), 'no bucket URL in the response');
      const redirect = await app.http().get(link).redirects(0);
      assert.equal(redirect.status, 302);
      const signed = new URL(redirect.headers.location as string);
      assert.equal(signed.origin, s3.endpoint);
      const expires = Number(signed.searchParams.get('X-Amz-Expires'));
      assert.ok(expires > 0 && expires <= 900, `expires within minutes (${expires}s)`);
      assert.ok(signed.searchParams.get('X-Amz-Signature'));
      const bytes = await fetch(signed);
      assert.equal(bytes.status, 200);
      assert.equal(await bytes.text(), 's3 video bytes MEDIA-S3-MARKER');

      // No response of any content-API read route names the object: its key, its hash, the
      // bucket's endpoint or a pre-signed URL — for readers without access, and for the buyer.
      const names = [key, video.hash, s3.endpoint, 'X-Amz-'];
      const urls = readRouteUrls(app.strapi, {
        documentIds: { chapters: [course.chapters[1]!.documentId], courses: [course.documentId] },
        fileIds: [video.id],
        fallbackDocumentIds: [course.documentId],
      });
      urls.push(`/api/chapters/${course.chapters[1]!.documentId}?populate[video][fields][0]=hash&populate[video][fields][1]=url&populate[video][fields][2]=provider_metadata`);
      const failures: string[] = [];
      const callers = [
        { name: 'anonymous', auth: undefined },
        { name: 'stranger', auth: stranger.auth },
        { name: 'buyer', auth: buyer.auth },
      ];
      // The media route's answer to the buyer IS the pre-signed URL (a 302): its job.
      const pairs = urls
        .flatMap((url) => callers.map((caller) => ({ url, caller })))
        .filter(({ url, caller }) => !(caller.name === 'buyer' && url.startsWith('/api/paywall/media/')));
      await inBatches(pairs, 6, async ({ url, caller }) => {
        const res = await get(app, url, caller.auth);
        const text = typeof res.text === 'string' ? res.text : JSON.stringify(res.body ?? '');
        for (const n of names) if (text.includes(n)) failures.push(`${url} [${caller.name}] ${res.status}: names ${n}`);
      });
      assert.ok(urls.length > 60, `${urls.length} urls`);
      assert.deepEqual(failures, []);
    } finally {
      await removeFiles(app, [video]).catch(() => undefined);
    }
  });
});
