/**
 * paywall: the entitlement ledger, the access decision, and the gate on every content-API read
 * path, driven over HTTP against a real Strapi on SQLite or PostgreSQL (TEST_DB). A second boot at
 * the end runs the media route against a loopback S3-compatible server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bootApp, type TestApp } from '../support/strapi';
import { createAdmin, createCourse, createUser } from '../support/builders';
import { attachMedia, buildPaywallWorld, removeFiles, uploadFile, type PaywallWorld, type Persona, type UploadedFile } from '../support/paywall-world';
import { startLoopbackS3, type LoopbackS3 } from '../support/paywall-s3';

const ENTITLEMENT_UID = 'plugin::paywall.entitlement';

type Body = Record<string, unknown> & { data?: unknown; error?: { message?: string; status?: number } };

async function get(app: TestApp, url: string, auth?: string) {
  const req = app.http().get(url);
  if (auth) req.set('Authorization', auth);
  return req;
}

const authOf = (p: Persona) => (p.user ? `Bearer ${p.user.jwt}` : undefined);

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

  before(async () => {
    app = await bootApp();
    world = await buildPaywallWorld(app);
    uploaded.push(world.video, world.attachment, world.image);
  });
  after(async () => {
    if (app) {
      await removeFiles(app, uploaded).catch(() => undefined);
      await app.close();
    }
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
    } finally {
      await removeFiles(app, [video]).catch(() => undefined);
    }
  });
});
