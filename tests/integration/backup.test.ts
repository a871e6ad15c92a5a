/**
 * `npm run backup` / `npm run restore` (scripts/lib/backup.ts) on the database of this run (TEST_DB:
 * SQLite or PostgreSQL): a seeded platform — published courses and a draft, a learner's paid order
 * and purchase, a gated chapter file in the private uploads folder, a public upload — backed up
 * while the app runs, restored into a new empty database and empty folders, and Strapi booted on
 * the result: the catalogue, the order and the private file are all there, over HTTP. A restore
 * over a non-empty database or folder is refused unless --force.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootApp, APP_DIR, type TestApp } from '../support/strapi';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../support/db';
import { createCourse, createUser, type BuiltCourse, type TestUser } from '../support/builders';
import { attachMedia, pngOf, privateUploads, uploadFile, type UploadedFile } from '../support/paywall-world';
import { startFakeStripe, type FakeStripe } from '../support/fake-stripe';
import { newWebhookSecret, stripeEnv } from '../support/checkout-world';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-backup-test-'));
const archive = path.join(work, 'platform.tar.gz');
const source = privateUploads();
const restored = privateUploads();
const restoredPublic = path.join(work, 'public-uploads');

let fake: FakeStripe;
let env: Record<string, string>;
let app: TestApp;
let target: TestDatabase;
let paid: BuiltCourse;
let free: BuiltCourse;
let draft: BuiltCourse;
let buyer: TestUser;
let file: UploadedFile;
let cover: UploadedFile;
let orderDocumentId: string;

/** `npm run backup` / `npm run restore` as an operator runs them (tsx, the app's directory). */
function npmScript(script: 'backup' | 'restore', args: string[], extraEnv: Record<string, string>) {
  const res = spawnSync(path.join(APP_DIR, 'node_modules', '.bin', 'tsx'), [path.join('scripts', `${script}.ts`), ...args], {
    cwd: APP_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...extraEnv },
    encoding: 'utf8',
  });
  return { status: res.status, out: `${res.stdout}${res.stderr}` };
}

before(async () => {
  fake = await startFakeStripe();
  env = { ...stripeEnv(fake, newWebhookSecret()), ...source.env };
  app = await bootApp({ env });
  paid = await createCourse(app, { title: 'Backed-up paid course', access: 'paid', chapters: [{ isPreview: true }, {}] });
  free = await createCourse(app, { title: 'Backed-up free course', access: 'free', chapters: 1 });
  draft = await createCourse(app, { title: 'Backed-up draft course', access: 'paid', chapters: 1, publish: false });
  buyer = await createUser(app);
  const order = (await app.strapi.db.query('plugin::checkout.order').create({
    data: { state: 'paid', kind: 'course', user: buyer.id, courseDocumentId: paid.documentId, itemTitle: paid.title, amount: 4900, amountPaid: 4900, currency: 'usd', amountRefunded: 0, checkoutSessionId: `cs_backup_${Date.now()}`, paidAt: new Date() },
  })) as { documentId: string };
  orderDocumentId = order.documentId;
  await app.strapi.plugin('paywall').service('entitlements').grant({ userId: buyer.id, courseDocumentId: paid.documentId, source: 'purchase', sourceRef: `cs_backup_${orderDocumentId}` });
  file = await uploadFile(app, 'backup-lesson.txt', 'text/plain', Buffer.from(`the gated lesson ${orderDocumentId}`));
  await attachMedia(app, paid.chapters[1]!.documentId, { attachments: [file.id] });
  cover = await uploadFile(app, 'backup-cover.png', 'image/png', await pngOf(64, 64));
});

after(async () => {
  await app?.close().catch(() => undefined);
  await target?.drop().catch(() => undefined);
  await fake?.close();
  source.remove();
  restored.remove();
  fs.rmSync(work, { recursive: true, force: true });
});

describe(`backup and restore (${TEST_DB})`, () => {
  test('npm run backup writes one archive of the running database and both upload folders', () => {
    assert.ok(fs.readdirSync(source.dir).length > 0, 'the gated file lives in the private folder');
    const res = npmScript('backup', ['--out', archive], { ...app.db.env, ...source.env });
    assert.equal(res.status, 0, res.out);
    assert.match(res.out, /backup written: .*platform\.tar\.gz/);
    const listing = spawnSync('tar', ['-tzf', archive], { encoding: 'utf8' }).stdout;
    assert.match(listing, /manifest\.json/);
    assert.match(listing, TEST_DB === 'sqlite' ? /database\.sqlite/ : /database\.pgdump/);
    assert.ok(listing.includes(`uploads/private/`), listing.slice(0, 500));
    assert.ok(listing.includes(`uploads/public/${cover.hash}${cover.ext}`), 'the public upload is in the archive');
  });

  test('restore into a new empty database and empty folders, then Strapi on it: catalogue, order and private file are there', async () => {
    await app.close();
    app = undefined as unknown as TestApp;
    target = await createTestDatabase(TEST_DB);
    const restoreEnv = { ...target.env, ...restored.env, UPLOADS_PUBLIC_DIR: restoredPublic };
    const res = npmScript('restore', [archive], restoreEnv);
    assert.equal(res.status, 0, res.out);
    assert.ok(fs.existsSync(path.join(restoredPublic, `${cover.hash}${cover.ext}`)), 'the public upload restored');

    app = await bootApp({ database: target, env: { ...env, ...restored.env } });
    const http = app.http();
    const list = await http.get('/api/courses').query({ 'pagination[pageSize]': '100' });
    assert.equal(list.status, 200);
    const titles = (list.body.data as Array<{ title: string }>).map((c) => c.title);
    assert.ok(titles.includes(paid.title) && titles.includes(free.title), `published courses restored: ${titles.join(', ')}`);
    assert.ok(!titles.includes(draft.title), 'the draft is still a draft');
    const one = await http.get(`/api/courses/${paid.documentId}`).query({ populate: 'chapters' });
    assert.equal(one.status, 200);
    assert.equal(one.body.data.chapters.length, 2);

    const login = await http.post('/api/auth/local').send({ identifier: buyer.email, password: buyer.password });
    assert.equal(login.status, 200, 'the learner logs in with the same password');
    const auth = `Bearer ${login.body.jwt}`;
    const orders = await http.get('/api/checkout/orders').set('Authorization', auth);
    assert.equal(orders.status, 200, JSON.stringify(orders.body));
    assert.ok(JSON.stringify(orders.body).includes(orderDocumentId), 'the paid order restored');

    const media = await http.get(`/api/paywall/media/${file.id}`).set('Authorization', auth).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    assert.equal(media.status, 200, 'the buyer still reads the gated file');
    assert.equal((media.body as Buffer).toString(), file.content.toString(), 'its bytes came back from the private folder');
    assert.equal((await http.get(`/api/paywall/media/${file.id}`)).status, 401, 'and nobody else does');
  });

  test('a restore over a non-empty database or upload folder is refused without --force, and nothing is written', async () => {
    const restoreEnv = { ...target.env, ...restored.env, UPLOADS_PUBLIC_DIR: restoredPublic };
    const before = fs.readdirSync(restored.dir).length;
    const refused = npmScript('restore', [archive], restoreEnv);
    assert.equal(refused.status, 1);
    assert.match(refused.out, /Refusing to restore over existing data: the database .* has \d+ tables/);
    assert.match(refused.out, /--force/);
    assert.equal(fs.readdirSync(restored.dir).length, before);

    const emptyDb = await createTestDatabase(TEST_DB);
    try {
      const folderRefused = npmScript('restore', [archive], { ...emptyDb.env, ...restored.env, UPLOADS_PUBLIC_DIR: path.join(work, 'empty-public') });
      assert.equal(folderRefused.status, 1);
      assert.match(folderRefused.out, /the private upload folder .* has \d+ files/);
      assert.doesNotMatch(folderRefused.out, /the database/, 'an empty database is not a reason');
      if (TEST_DB === 'sqlite') assert.ok(!fs.existsSync(emptyDb.env.DATABASE_FILENAME!) || fs.statSync(emptyDb.env.DATABASE_FILENAME!).size === 0, 'no database written');
      const wrongKind = npmScript('restore', [archive], TEST_DB === 'sqlite' ? { DATABASE_CLIENT: 'postgres', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' } : { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(work, 'x.db') });
      assert.equal(wrongKind.status, 1);
      assert.match(wrongKind.out, /restore into the same kind of database/);
    } finally {
      await emptyDb.drop();
    }

    await app.close();
    app = undefined as unknown as TestApp;
    const forced = npmScript('restore', [archive, '--force'], restoreEnv);
    assert.equal(forced.status, 0, forced.out);
    app = await bootApp({ database: target, env: { ...env, ...restored.env } });
    const list = await app.http().get('/api/courses').query({ 'pagination[pageSize]': '100' });
    assert.equal(list.status, 200);
    const titles = (list.body.data as Array<{ title: string }>).map((c) => c.title);
    assert.equal(titles.filter((t) => t === paid.title).length, 1, 'forced over itself: the course once, not twice');
  });
});
