/**
 * notifications: e-mail through Strapi's email plugin (the official nodemailer provider) to a real
 * SMTP server on loopback, the durable outbox and its worker, the messages, account recovery, the
 * profile, and the admin Outbox API. A real Strapi on SQLite or PostgreSQL (TEST_DB), driven over
 * HTTP; Stripe is the loopback fake the checkout suite uses. Last, boots without SMTP on the same
 * database: messages captured, recovery rate-limited alike for known and unknown addresses, and
 * EMAIL_REQUIRED=true refusing to boot.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bootApp, type TestApp } from '../support/strapi';
import { TEST_DB, type TestDatabase } from '../support/db';
import { createAdmin, createCourse, createInstructor, createUser, type BuiltCourse, type TestAdmin, type TestUser } from '../support/builders';
import type { FakeStripe } from '../support/fake-stripe';
import { postWebhook, stripeEvent } from '../support/checkout-events';
import { drainWebhooks, newWebhookSecret, startCheckout } from '../support/checkout-world';
import { authorCourse, createTaxonomy, submitCourse } from '../support/review-fixtures';
import { drainAccountEmails } from '../../src/lib/security/account-recovery';
import type { LoopbackSmtp } from '../support/smtp';
import { OUTBOX_UID, outboxRows as outboxRowsOf, startMailWorld, type OutboxRow } from '../support/mail-world';
import { findChromium, launchChromium } from '../support/browser';

const SECRET = newWebhookSecret();
// This suite's own port range (22000–22999); a different port per database so both runs can overlap.
const SMTP_PORT = TEST_DB === 'postgres' ? 22025 : 22026;
// The app listens here too, so that the links in its mails are real addresses a browser follows.
const HTTP_PORT = TEST_DB === 'postgres' ? 22080 : 22081;
const BASE_URL = `http://127.0.0.1:${HTTP_PORT}`;

let smtp: LoopbackSmtp;
let fake: FakeStripe;
let database: TestDatabase;
let app: TestApp;
let admin: TestAdmin;


const outboxRows = (where: Record<string, unknown>): Promise<OutboxRow[]> => outboxRowsOf(app, where);

const notifications = () => app.strapi.plugin('notifications');
const worker = () => notifications().service('worker') as { createWorker(name: string): { runOnce(): Promise<{ sent: number; failed: number }> }; idle(): Promise<void> };

async function paidCourse(title: string): Promise<BuiltCourse> {
  return createCourse(app, { title, access: 'paid', price: 1999, currency: 'usd', chapters: 2 });
}

/** The learner buys `course` through checkout and Stripe's webhook; returns the order id and the webhook's answer time. */
async function purchase(user: TestUser, course: BuiltCourse): Promise<{ orderId: string; webhookMs: number; redeliver(): Promise<void> }> {
  const started = await startCheckout(app, user, { course: course.documentId });
  const session = fake.paySession(started.sessionId);
  const t0 = performance.now();
  const res = await postWebhook(app, stripeEvent('checkout.session.completed', session), { secret: SECRET });
  const webhookMs = performance.now() - t0;
  assert.equal(res.status, 200, JSON.stringify(res.body));
  // The webhook answers once the event is stored; the checkout inbox's worker applies it right after.
  await drainWebhooks(app);
  return {
    orderId: started.orderId,
    webhookMs,
    // The same fact again under another event id (Stripe sends completed and async_payment_succeeded).
    async redeliver() {
      const again = await postWebhook(app, stripeEvent('checkout.session.async_payment_succeeded', session), { secret: SECRET });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      await drainWebhooks(app);
    },
  };
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  ({ smtp, fake, database, app, admin } = await startMailWorld({
    smtpPort: SMTP_PORT,
    webhookSecret: SECRET,
    env: {
      PUBLIC_URL: BASE_URL,
      NOTIFICATIONS_RETRY_BASE_MS: '200',
      NOTIFICATIONS_RETRY_MAX_MS: '1000',
      NOTIFICATIONS_LEASE_MS: '2500',
      NOTIFICATIONS_BATCH_SIZE: '5',
      NOTIFICATIONS_SEND_TIMEOUT_MS: '2000',
    },
  }));
  const server = app.strapi.server.httpServer;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(HTTP_PORT, '127.0.0.1', () => resolve());
  });
});

after(async () => {
  await app?.close();
  try {
    if (database) {
      // The same database without SMTP: everything still runs, messages are captured and the status says so.
      // Rate limiting on (users-permissions' limiter, as in production; the main boot turns it off).
      const off = await bootApp({ database, env: { SMTP_HOST: '', EMAIL_REQUIRED: '', AUTH_RATELIMIT: 'true' } });
      try {
        const learner = await createUser(off);
        const res = await off.http().post('/api/auth/forgot-password').send({ email: learner.email });
        assert.equal(res.status, 200);
        await drainAccountEmails(off.strapi);
        const rows = (await off.strapi.db.query(OUTBOX_UID).findMany({ where: { recipient: learner.email } })) as OutboxRow[];
        assert.deepEqual(rows.map((r) => [r.template, r.state]), [['account.password-reset', 'captured']]);
        const health = await off.http().get('/api/notifications/health');
        assert.equal(health.body.status, 'ok', 'capturing is what development wants');
        assert.equal(health.body.details.delivery, 'capture');
        assert.match(health.body.details.checks.find((c: { name: string }) => c.name === 'smtp').detail, /SMTP_HOST is not set/);
        // What the Outbox page shows (an admin login does not work in a second boot of one process: the controller is called as the route would).
        const ctx = { body: undefined as unknown, status: 200, state: {} };
        await (off.strapi.plugin('notifications').controller('outbox') as { status(c: unknown): Promise<void> }).status(ctx);
        const status = ctx.body as { data: { mode: string; message: string; counts: Record<string, number> } };
        assert.equal(status.data.mode, 'capture');
        assert.match(status.data.message, /not being delivered/);
        assert.ok(status.data.counts.captured >= 1);

        // Recovery is rate-limited per address, and a known address is limited exactly like an unknown one.
        const limited = await createUser(off);
        const statuses = async (email: string) => {
          const out: number[] = [];
          for (let i = 0; i < 12; i++) out.push((await off.http().post('/api/auth/forgot-password').send({ email })).status);
          await drainAccountEmails(off.strapi);
          return out;
        };
        const known = await statuses(limited.email);
        const unknown = await statuses(`nobody-limited-${Date.now()}@example.test`);
        // users-permissions' defaults: 10 requests a minute per address, path and client.
        assert.deepEqual(known, [...Array(10).fill(200), 429, 429]);
        assert.deepEqual(unknown, known);
      } finally {
        await off.close();
      }
      // Required but not configured: the boot stops and names what to set.
      await assert.rejects(bootApp({ database, env: { SMTP_HOST: '', EMAIL_REQUIRED: 'true' } }), (err: Error) => {
        assert.match(err.message, /EMAIL_REQUIRED=true/);
        for (const v of ['SMTP_HOST', 'SMTP_PORT', 'SMTP_USER', 'SMTP_PASSWORD', 'EMAIL_FROM']) assert.match(err.message, new RegExp(v));
        return true;
      });
    }
  } finally {
    process.env.EMAIL_REQUIRED = '';
    await database?.drop();
    await fake?.close();
    await smtp?.close();
  }
});

describe('e-mail over SMTP', () => {
  test('a paid order produces exactly one receipt, delivered over SMTP, in the learner’s language', async () => {
    const learner = await createUser(app);
    const course = await paidCourse('Receipts in practice');
    const { orderId, redeliver } = await purchase(learner, course);
    await smtp.waitFor(() => smtp.to(learner.email).length >= 1);
    // The same fact again changes nothing, so no second receipt.
    await redeliver();
    await worker().idle();
    await new Promise((r) => setTimeout(r, 300));
    const mails = smtp.to(learner.email);
    assert.equal(mails.length, 1, JSON.stringify(mails.map((m) => m.subject)));
    const mail = mails[0]!;
    assert.equal(mail.subject, 'Your receipt: Receipts in practice');
    for (const part of ['$19.99', 'USD', orderId, `${BASE_URL}/#/course/${course.slug}`]) assert.ok(mail.text.includes(part), `${part} in ${mail.text}`);
    assert.match(mail.from, /no-reply@kp\.test/);
    assert.ok(mail.html.includes('Receipts in practice'));
    const rows = await outboxRows({ recipient: learner.email });
    assert.deepEqual(rows.map((r) => [r.template, r.state, r.attempts]), [['checkout.receipt', 'sent', 1]]);

    // The learner switches to Chinese: the next receipt is in Chinese.
    const profile = await app.http().put('/api/me/profile').set('Authorization', learner.auth).send({ preferredLanguage: 'zh-Hans', displayName: 'Lin' });
    assert.equal(profile.status, 200, JSON.stringify(profile.body));
    assert.deepEqual(profile.body.data, { email: learner.email, username: learner.username, displayName: 'Lin', preferredLanguage: 'zh-Hans' });
    const second = await paidCourse('Second receipt course');
    await purchase(learner, second);
    await smtp.waitFor(() => smtp.to(learner.email).length >= 2);
    const zh = smtp.to(learner.email)[1]!;
    assert.ok(zh.subject.startsWith('购买收据'), zh.subject);
    assert.ok(zh.text.includes('感谢您的购买') && zh.text.includes('US$19.99'), zh.text);
  });

  test('SMTP down: the purchase succeeds at once, the receipt waits, is retried, and is sent once SMTP returns', async () => {
    const learner = await createUser(app);
    const course = await paidCourse('Offline receipts');
    await smtp.stop();
    try {
      const { webhookMs } = await purchase(learner, course);
      assert.ok(webhookMs < 2000, `webhook answered in ${webhookMs.toFixed(0)} ms`);
      const entitlements = await app.http().get('/api/paywall/me/entitlements').set('Authorization', learner.auth);
      assert.equal(entitlements.body.data.length, 1, 'access was granted');
      await eventually(async () => (await outboxRows({ recipient: learner.email }))[0]?.attempts! >= 2, 'two failed attempts');
      const [row] = await outboxRows({ recipient: learner.email });
      assert.equal(row!.state === 'queued' || row!.state === 'sending', true, row!.state);
      assert.match(row!.lastError ?? '', /ECONNREFUSED|connect/i);
      assert.equal(smtp.to(learner.email).length, 0);
    } finally {
      await smtp.start();
    }
    await smtp.waitFor(() => smtp.to(learner.email).length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(smtp.to(learner.email).length, 1);
    await eventually(async () => (await outboxRows({ recipient: learner.email }))[0]?.state === 'sent', 'the row marked sent');
  });

  test('SMTP slow: the purchase is not slower (the send happens in the worker)', async () => {
    const fastLearner = await createUser(app);
    const fast = await purchase(fastLearner, await paidCourse('Fast SMTP course'));
    await smtp.waitFor(() => smtp.to(fastLearner.email).length === 1);
    smtp.delayMs = 800;
    try {
      const slowLearner = await createUser(app);
      const slow = await purchase(slowLearner, await paidCourse('Slow SMTP course'));
      // The slow server holds each message 0.8 s; the webhook does not wait for it.
      assert.ok(slow.webhookMs < fast.webhookMs + 500, `slow ${slow.webhookMs.toFixed(0)} ms vs fast ${fast.webhookMs.toFixed(0)} ms`);
      await smtp.waitFor(() => smtp.to(slowLearner.email).length === 1);
    } finally {
      smtp.delayMs = 0;
    }
  });

  test('two workers side by side send each message once', async () => {
    const outbox = notifications().service('outbox') as { enqueue(m: unknown): Promise<number | null> };
    const recipient = `pair-${Date.now()}@example.test`;
    smtp.delayMs = 30;
    try {
      for (let i = 0; i < 16; i++) {
        await outbox.enqueue({ recipient, userId: null, template: 'raw', locale: 'en', payload: { subject: `pair ${i}`, text: `message ${i}`, html: `<p>message ${i}</p>` } });
      }
      const [a, b] = await Promise.all([worker().createWorker('a').runOnce(), worker().createWorker('b').runOnce()]);
      await worker().idle();
      await smtp.waitFor(() => smtp.to(recipient).length >= 16);
      await new Promise((r) => setTimeout(r, 300));
      const subjects = smtp.to(recipient).map((m) => m.subject);
      const rows0 = await outboxRows({ recipient });
      assert.equal(subjects.length, 16, `each message once: ${JSON.stringify({ a, b, subjects, rows: rows0.map((r) => [r.id, r.state, r.attempts]) })}`);
      assert.equal(new Set(subjects).size, 16);
      assert.ok(a.sent + b.sent <= 16);
      if (TEST_DB === 'postgres') assert.ok(a.sent > 0 && b.sent > 0, `both workers took rows (SKIP LOCKED): a=${a.sent} b=${b.sent}`);
      await eventually(async () => (await outboxRows({ recipient })).every((r) => r.state === 'sent'), 'every row marked sent');
      const rows = await outboxRows({ recipient });
      assert.ok(rows.every((r) => r.state === 'sent' && r.attempts === 1), JSON.stringify(rows.map((r) => [r.state, r.attempts])));
    } finally {
      smtp.delayMs = 0;
    }
  });

  test('a worker that dies between claim and send: the row is sent once its lease ends', async () => {
    const outbox = notifications().service('outbox') as { enqueue(m: unknown): Promise<number | null>; claim(limit: number): Promise<Array<{ id: number }>> };
    const recipient = `crash-${Date.now()}@example.test`;
    await worker().idle();
    const id = await outbox.enqueue({ recipient, userId: null, template: 'raw', locale: 'en', payload: { subject: 'after a crash', text: 'x', html: 'x' } });
    // Claimed by a "worker" that never sends (it died): the row is leased for NOTIFICATIONS_LEASE_MS.
    const claimed = await outbox.claim(50);
    assert.ok(claimed.some((c) => c.id === id), 'claimed by the dead worker');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(smtp.to(recipient).length, 0, 'not sent while leased');
    await smtp.waitFor(() => smtp.to(recipient).length === 1, 10_000);
    // The mail has arrived; the worker records it right after.
    await eventually(async () => (await outboxRows({ recipient }))[0]?.state === 'sent', 'the row marked sent');
    const [row] = await outboxRows({ recipient });
    assert.deepEqual([row!.state, row!.attempts], ['sent', 2]);
    assert.equal(smtp.to(recipient).length, 1);
  });
});

describe('messages of the review workflow', () => {
  test('the instructor hears of the submission and of the changes requested, with the editor’s note', async () => {
    const instructor = await createInstructor(app);
    const course = await authorCourse(app, instructor, { title: 'Reviewed course', taxonomy: await createTaxonomy(app) });
    await submitCourse(app, instructor, course.documentId);
    const note = 'Please add exercises to chapter 2 and say who the course is for.';
    const res = await app.http().post(`/review/submissions/${course.documentId}/request-changes`).set('Authorization', admin.auth).send({ comment: note });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await smtp.waitFor(() => smtp.to(instructor.email).length >= 2);
    const subjects = smtp.to(instructor.email).map((m) => m.subject);
    assert.deepEqual(subjects, ['Submission received: Reviewed course', 'Changes requested: Reviewed course']);
    assert.ok(smtp.to(instructor.email)[1]!.text.includes(note));
  });
});

describe('account recovery', () => {
  test('forgot-password: the same answer for known and unknown addresses; only the known one gets a mail, whose link resets the password', async () => {
    const known = await createUser(app);
    const unknown = `nobody-${Date.now()}@example.test`;
    const a = await app.http().post('/api/auth/forgot-password').send({ email: known.email });
    const b = await app.http().post('/api/auth/forgot-password').send({ email: unknown });
    assert.deepEqual([a.status, a.body], [b.status, b.body]);
    assert.deepEqual(a.body, { ok: true });
    await drainAccountEmails(app.strapi);
    await smtp.waitFor(() => smtp.to(known.email).length === 1);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(smtp.to(unknown).length, 0);
    assert.equal((await outboxRows({ recipient: unknown })).length, 0);

    const mail = smtp.to(known.email)[0]!;
    assert.equal(mail.subject, 'Reset your password');
    const link = new RegExp(`${BASE_URL.replace(/\./g, '\\.')}/#/reset-password\\?code=([0-9a-f]+)`).exec(mail.text);
    assert.ok(link, mail.text);
    const code = link[1]!;
    const reset = await app.http().post('/api/auth/reset-password').send({ code, password: 'N3w-passphrase!', passwordConfirmation: 'N3w-passphrase!' });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    const login = await app.http().post('/api/auth/local').send({ identifier: known.email, password: 'N3w-passphrase!' });
    assert.equal(login.status, 200);
    const old = await app.http().post('/api/auth/local').send({ identifier: known.email, password: known.password });
    assert.equal(old.status, 400, 'the old password no longer works');
    const replay = await app.http().post('/api/auth/reset-password').send({ code, password: 'An0ther-pass!', passwordConfirmation: 'An0ther-pass!' });
    assert.equal(replay.status, 400, 'a code works once');
  });

  test('registering sends a welcome message (confirmation is off, as in the demo); an account made by a script gets none', async () => {
    const username = `newcomer${Date.now().toString(36)}`;
    const email = `${username}@example.test`;
    const res = await app.http().post('/api/auth/local/register').send({ username, email, password: 'Welc0me-pass!' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.jwt, 'no confirmation needed');
    await smtp.waitFor(() => smtp.to(email).length === 1);
    const mail = smtp.to(email)[0]!;
    assert.equal(mail.subject, 'Welcome to the Knowledge Platform');
    assert.ok(mail.text.includes(username) && mail.text.includes(`${BASE_URL}/#/`));
    const scripted = await createUser(app);
    assert.equal((await outboxRows({ recipient: scripted.email })).length, 0);
  });

  test('a learner in Chinese gets the reset mail in Chinese; a logged-in learner changes their password', async () => {
    const learner = await createUser(app);
    await app.http().put('/api/me/profile').set('Authorization', learner.auth).send({ preferredLanguage: 'zh-Hans' });
    await app.http().post('/api/auth/forgot-password').send({ email: learner.email });
    await drainAccountEmails(app.strapi);
    await smtp.waitFor(() => smtp.to(learner.email).length === 1);
    assert.equal(smtp.to(learner.email)[0]!.subject, '重置您的密码');

    const change = await app
      .http()
      .post('/api/auth/change-password')
      .set('Authorization', learner.auth)
      .send({ currentPassword: learner.password, password: 'Chang3d-pass!', passwordConfirmation: 'Chang3d-pass!' });
    assert.equal(change.status, 200, JSON.stringify(change.body));
    assert.equal((await app.http().post('/api/auth/local').send({ identifier: learner.email, password: 'Chang3d-pass!' })).status, 200);
  });
});

describe('account recovery in the storefront', { skip: findChromium() ? false : 'no Chromium' }, () => {
  test('Forgot password → the mail → its link in Chromium → a new password → logged in; the new password logs in', async () => {
    const learner = await createUser(app);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${BASE_URL}/#/login`);
      await page.locator('#forgot-link').click();
      await page.locator('#auth-email').waitFor();
      await page.fill('#auth-email', learner.email);
      await page.locator('form.auth-form button[type=submit]').click();
      await page.getByText('a link to reset its password is on its way').waitFor();
      await drainAccountEmails(app.strapi);
      await smtp.waitFor(() => smtp.to(learner.email).length === 1);
      const link = /(http:\/\/\S+#\/reset-password\?code=[0-9a-f]+)/.exec(smtp.to(learner.email)[0]!.text)?.[1];
      assert.ok(link?.startsWith(BASE_URL), `a link into this storefront: ${link}`);

      await page.goto(link!);
      await page.locator('#auth-password').waitFor();
      await page.fill('#auth-password', 'Br0wser-reset!');
      await page.fill('#auth-passwordConfirmation', 'Br0wser-reset!');
      await page.locator('form.auth-form button[type=submit]').click();
      await page.waitForURL(/#\/library/);
      assert.ok(await page.evaluate<string | null>("localStorage.getItem('kp.jwt')"), 'logged in: the storefront keeps the new session');
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
    const login = await app.http().post('/api/auth/local').send({ identifier: learner.email, password: 'Br0wser-reset!' });
    assert.equal(login.status, 200);
  });
});

describe('profile', () => {
  test('read and change one’s own profile; bad input is a 400 naming the field; anonymous is refused', async () => {
    const learner = await createUser(app);
    const me = await app.http().get('/api/me/profile').set('Authorization', learner.auth);
    assert.equal(me.status, 200);
    assert.deepEqual(me.body.data, { email: learner.email, username: learner.username, displayName: null, preferredLanguage: 'en' });
    const bad = await app.http().put('/api/me/profile').set('Authorization', learner.auth).send({ preferredLanguage: 'fr' });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body.error), /preferredLanguage/);
    const extra = await app.http().put('/api/me/profile').set('Authorization', learner.auth).send({ displayName: 'X', userId: 1 });
    assert.equal(extra.status, 400);
    assert.equal((await app.http().get('/api/me/profile')).status, 403);
  });
});

/** Every text-like column of every table that contains `needle` (a scan of the whole database). */
async function tablesContaining(needle: string): Promise<string[]> {
  const found: string[] = [];
  const knex = app.strapi.db.connection;
  const metadata = app.strapi.db.metadata as unknown as Map<string, { tableName: string; attributes: Record<string, { type?: string; columnName?: string }> }>;
  for (const [uid, meta] of metadata) {
    for (const [name, attr] of Object.entries(meta.attributes)) {
      if (!attr.columnName || !['string', 'text', 'email', 'json', 'uid', 'richtext', 'blocks', 'password', 'enumeration'].includes(attr.type ?? '')) continue;
      const rows = (await knex(meta.tableName).count({ n: '*' }).whereRaw('CAST(?? AS TEXT) LIKE ?', [attr.columnName, `%${needle}%`])) as Array<{ n: number | string }>;
      if (Number(rows[0]?.n ?? 0) > 0) found.push(`${uid}.${name}`);
    }
  }
  return found;
}

describe('a learner’s own data', () => {
  test('export holds every row the learner owns and nobody else’s; erase removes every personal field, orders still sum the same', async () => {
    const learner = await createUser(app);
    const other = await createUser(app);
    const marker = `Zed${Date.now().toString(36)}`;
    await app.http().put('/api/me/profile').set('Authorization', learner.auth).send({ displayName: marker });
    const course = await paidCourse('Course to forget');
    const { orderId } = await purchase(learner, course);
    const { orderId: otherOrder } = await purchase(other, course);
    for (const chapter of course.chapters) {
      const r = await app.http().post('/api/progress').set('Authorization', learner.auth).send({ chapter: chapter.documentId, completed: true });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    await smtp.waitFor(() => smtp.to(learner.email).length >= 1);

    const exported = await app.http().get('/api/me/export').set('Authorization', learner.auth);
    assert.equal(exported.status, 200);
    assert.match(String(exported.headers['content-disposition']), /attachment/);
    const data = exported.body as Record<string, Array<Record<string, unknown>>> & { account: Record<string, unknown> };
    assert.equal(data.account.email, learner.email);
    for (const secret of ['password', 'resetPasswordToken', 'confirmationToken']) assert.ok(!(secret in data.account), secret);
    assert.deepEqual(data.orders!.map((o) => o.documentId), [orderId]);
    assert.equal(data.progress!.length, course.chapters.length);
    assert.equal(data.certificates!.length, 1);
    assert.ok(data.entitlements!.length >= 1 && data.interactions!.length >= 1 && data.messages!.length >= 1);
    assert.equal((data.profile as unknown as Array<{ displayName: string }>)[0]!.displayName, marker);
    const text = JSON.stringify(data);
    assert.ok(!text.includes(other.email) && !text.includes(otherOrder), 'nothing of another learner');
    const certificateCode = String(data.certificates![0]!.code);

    const orders = () => app.strapi.db.query('plugin::checkout.order').findMany({ select: ['amount', 'amountPaid'] }) as Promise<Array<{ amount: number; amountPaid: number | null }>>;
    const sum = (rows: Array<{ amount: number; amountPaid: number | null }>) => rows.reduce((s, r) => s + Number(r.amount) + Number(r.amountPaid ?? 0), 0);
    const before = await orders();
    // The scan sees the learner before the erasure (it would not prove anything otherwise).
    const traces = await tablesContaining(learner.email);
    for (const where of ['plugin::users-permissions.user.email', 'plugin::checkout.stripe-customer.email', 'plugin::notifications.outbox-message.recipient']) assert.ok(traces.includes(where), `${where} in ${traces.join(', ')}`);

    const wrong = await app.http().delete('/api/me').set('Authorization', learner.auth).send({ password: 'not-it' });
    assert.equal(wrong.status, 400);
    assert.equal((await app.http().get('/api/me/profile').set('Authorization', learner.auth)).status, 200, 'nothing erased');
    assert.equal((await app.http().delete('/api/me').set('Authorization', learner.auth).send({})).status, 400);

    const erased = await app.http().delete('/api/me').set('Authorization', learner.auth).send({ password: learner.password });
    assert.equal(erased.status, 200, JSON.stringify(erased.body));
    assert.equal(erased.body.data.holders.orders.anonymised, 1);
    assert.equal(erased.body.data.holders.progress.deleted, course.chapters.length);

    assert.equal((await app.http().get('/api/me/profile').set('Authorization', learner.auth)).status, 401, 'the token no longer works');
    for (const needle of [learner.email, learner.username, marker]) assert.deepEqual(await tablesContaining(needle), [], `no trace of ${needle}`);
    const after = await orders();
    assert.equal(after.length, before.length, 'orders stay');
    assert.equal(sum(after), sum(before), 'and sum the same');
    const verify = await app.http().get(`/api/certificates/${certificateCode}`);
    assert.equal(verify.status, 200);
    assert.ok(!JSON.stringify(verify.body).includes(marker) && !JSON.stringify(verify.body).includes(learner.username));
    assert.match(JSON.stringify(verify.body), /revoked/);
    // The other learner is untouched.
    assert.equal((await app.http().get('/api/me/export').set('Authorization', other.auth)).body.orders.length, 1);
  });

  test('a support request from the admin panel: export and erase one user (RBAC)', async () => {
    const learner = await createUser(app);
    const editor = await createAdmin(app, 'strapi-editor');
    assert.equal((await app.http().get(`/notifications/accounts/${learner.id}/export`).set('Authorization', editor.auth)).status, 403);
    assert.equal((await app.http().delete(`/notifications/accounts/${learner.id}`).set('Authorization', editor.auth)).status, 403);
    assert.equal((await app.http().delete(`/notifications/accounts/${learner.id}`).set('Authorization', learner.auth)).status, 401);
    const exported = await app.http().get(`/notifications/accounts/${learner.id}/export`).set('Authorization', admin.auth);
    assert.equal(exported.status, 200);
    assert.equal(exported.body.account.email, learner.email);
    const erased = await app.http().delete(`/notifications/accounts/${learner.id}`).set('Authorization', admin.auth);
    assert.equal(erased.status, 200, JSON.stringify(erased.body));
    assert.deepEqual(await tablesContaining(learner.email), []);
    assert.equal((await app.http().delete(`/notifications/accounts/${learner.id}`).set('Authorization', admin.auth)).status, 404);
    assert.equal((await app.http().get('/notifications/accounts/abc/export').set('Authorization', admin.auth)).status, 400);
  });
});

describe('admin Outbox', () => {
  test('editors list messages with state, attempts and error, read one, preview templates and resend', async () => {
    const status = await app.http().get('/notifications/status').set('Authorization', admin.auth);
    assert.equal(status.status, 200);
    assert.equal(status.body.data.mode, 'smtp');
    assert.ok(status.body.data.counts.sent > 0);

    const list = await app.http().get('/notifications/outbox').query({ state: 'sent', pageSize: 5 }).set('Authorization', admin.auth);
    assert.equal(list.status, 200);
    assert.ok(list.body.results.length > 0 && list.body.results.every((m: { state: string }) => m.state === 'sent'));
    const first = list.body.results[0] as { id: number; recipient: string };

    const one = await app.http().get(`/notifications/outbox/${first.id}`).set('Authorization', admin.auth);
    assert.equal(one.status, 200);
    assert.ok(one.body.data.html.length > 0 && one.body.data.text.length > 0);

    const before = smtp.to(first.recipient).length;
    const resend = await app.http().post(`/notifications/outbox/${first.id}/resend`).set('Authorization', admin.auth);
    assert.equal(resend.status, 202, JSON.stringify(resend.body));
    assert.equal(resend.body.data.state, 'queued');
    await smtp.waitFor(() => smtp.to(first.recipient).length === before + 1);

    const preview = await app.http().get('/notifications/templates/checkout.refund/preview').query({ locale: 'zh-Hans' }).set('Authorization', admin.auth);
    assert.equal(preview.status, 200);
    assert.ok(preview.body.data.subject.startsWith('退款已完成'));
    assert.equal((await app.http().get('/notifications/templates/nope/preview').set('Authorization', admin.auth)).status, 400);
    assert.equal((await app.http().get('/notifications/outbox').query({ state: 'lost' }).set('Authorization', admin.auth)).status, 400);
    assert.equal((await app.http().get('/notifications/outbox/999999').set('Authorization', admin.auth)).status, 404);
  });

  test('a learner cannot read the outbox; an editor without the permission neither', async () => {
    const learner = await createUser(app);
    for (const path of ['/notifications/outbox', '/notifications/status', '/notifications/outbox/1']) {
      assert.equal((await app.http().get(path).set('Authorization', learner.auth)).status, 401, `${path} with a learner's token`);
      assert.equal((await app.http().get(path)).status, 401, `${path} anonymous`);
    }
    assert.equal((await app.http().post('/notifications/outbox/1/resend').set('Authorization', learner.auth)).status, 401);
    // The content API has no route to the outbox at all.
    assert.equal((await app.http().get('/api/notifications/outbox-messages').set('Authorization', learner.auth)).status, 404);
    const editor = await createAdmin(app, 'strapi-editor');
    assert.equal((await app.http().get('/notifications/outbox').set('Authorization', editor.auth)).status, 403);
    assert.equal((await app.http().post('/notifications/outbox/1/resend').set('Authorization', editor.auth)).status, 403);
  });
});
