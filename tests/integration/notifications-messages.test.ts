/**
 * notifications: the messages of issue 13 that the first version lacked — certificate issued,
 * a submission waiting for an editor, a free trial ending, a bundle's receipt, and a refunded
 * gift's message to its buyer. A real Strapi on SQLite or PostgreSQL (TEST_DB), driven over HTTP;
 * Stripe is the loopback fake the checkout suite uses; e-mail goes to a real SMTP server on
 * loopback (`smtp-server`). Each test reads the outbox row it must have written (recipient,
 * template, locale, text and HTML) and what must not be in it, and sees it delivered once. The
 * outbox under faults (SMTP down, slow, two instances, a crash) is tested in notifications.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestApp } from '../support/strapi';
import { TEST_DB, type TestDatabase } from '../support/db';
import type { LoopbackSmtp } from '../support/smtp';
import { outboxRows, startMailWorld, type OutboxRow } from '../support/mail-world';
import { createCourse, createInstructor, createUser, type BuiltCourse, type TestAdmin, type TestUser } from '../support/builders';
import { chargeFor, type FakeStripe, type StripeObject } from '../support/fake-stripe';
import { postWebhook, stripeEvent } from '../support/checkout-events';
import { RETURN, createPlan, drainWebhooks, newWebhookSecret, orderRow, startCheckout } from '../support/checkout-world';
import { authorCourse, createTaxonomy, submitCourse } from '../support/review-fixtures';
import { grantCourse } from '../support/learning-helpers';
import { serveDemoCheckout } from '../../scripts/lib/demo-checkout';

const BUNDLE_UID = 'plugin::checkout.bundle';
const SECRET = newWebhookSecret();
const PUBLIC_URL = 'https://kp.example';
const SMTP_PORT = TEST_DB === 'postgres' ? 22027 : 22028;

let smtp: LoopbackSmtp;
const EDITORS = 'editors@kp.example';

let fake: FakeStripe;
let database: TestDatabase;
let app: TestApp;
let admin: TestAdmin;


const rows = (where: Record<string, unknown>): Promise<OutboxRow[]> => outboxRows(app, where);

/** The one row of `template` to `recipient` (fails unless exactly one). */
async function onlyRow(recipient: string, template: string): Promise<OutboxRow> {
  const found = await rows({ recipient: recipient.toLowerCase(), template });
  assert.equal(found.length, 1, `one ${template} to ${recipient}, found ${found.length}`);
  const row = found[0]!;
  // Delivered through the SMTP server, once, as stored.
  const address = recipient.toLowerCase();
  const mine = () => smtp.to(address).filter((m) => m.subject === row.subject);
  await smtp.waitFor(() => mine().length >= 1);
  assert.equal(mine().length, 1, `${template} to ${recipient} delivered once`);
  assert.ok(mine()[0]!.text.replace(/\s+/g, ' ').includes(row.text.split('\n')[0]!.trim().replace(/\s+/g, ' ')), `${template}: the delivered text is the stored one`);
  // The worker marks the row sent once the server accepted it.
  for (let i = 0; i < 100; i += 1) {
    const [now] = await rows({ id: row.id });
    if (now?.state === 'sent') return now;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${template} to ${recipient} delivered but not marked sent`);
}

const deliver = async (event: ReturnType<typeof stripeEvent>): Promise<void> => {
  const res = await postWebhook(app, event, { secret: SECRET });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  await drainWebhooks(app);
};

const setLanguage = async (user: TestUser, preferredLanguage: 'en' | 'zh-Hans') => {
  const res = await app.http().put('/api/me/profile').set('Authorization', user.auth).send({ preferredLanguage });
  assert.equal(res.status, 200, JSON.stringify(res.body));
};

/** Starts a checkout of `item` as `user` and has Stripe complete it; the order id and the paid session. */
async function buy(user: TestUser, item: Record<string, string>): Promise<{ orderId: string; session: StripeObject }> {
  const res = await app.http().post('/api/checkout/sessions').set('Authorization', user.auth).send({ ...item, ...RETURN });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const order = await orderRow(app, res.body.orderId);
  const session = fake.paySession(order.checkoutSessionId!);
  await deliver(stripeEvent('checkout.session.completed', session));
  return { orderId: res.body.orderId, session };
}

const paidCourse = (title: string, zh?: string): Promise<BuiltCourse> =>
  createCourse(app, { title, access: 'paid', price: 1999, currency: 'usd', chapters: 2, ...(zh ? { zh: { title: zh } } : {}) });

async function createBundle(title: string, courses: BuiltCourse[]): Promise<string> {
  const b = await app.strapi.documents(BUNDLE_UID as never).create({
    data: { title, slug: `${title.toLowerCase().replace(/\s+/g, '-')}-${Math.random().toString(36).slice(2, 6)}`, price: 4900, currency: 'usd', onSale: true, courses: courses.map((c) => c.documentId) } as never,
  });
  return (b as unknown as { documentId: string }).documentId;
}

before(async () => {
  ({ smtp, fake, database, app, admin } = await startMailWorld({
    smtpPort: SMTP_PORT,
    webhookSecret: SECRET,
    env: { EMAIL_REQUIRED: '', PUBLIC_URL, NOTIFICATIONS_EDITOR_EMAIL: EDITORS, CHECKOUT_INBOX_POLL_MS: '100' },
  }));
});

after(async () => {
  await app?.close();
  await database?.drop();
  await fake?.close();
  await smtp?.close();
});

describe('certificate issued', () => {
  test('the learner gets the certificate’s public verification link, in their language, once; no certificate, no message', async () => {
    const course = await paidCourse('Certified skills', '认证技能');
    const learner = await createUser(app);
    await setLanguage(learner, 'zh-Hans');
    await grantCourse(app, learner.id, course.documentId);
    let code: string | null = null;
    for (const chapter of course.chapters) {
      const res = await app.http().post('/api/progress').set('Authorization', learner.auth).send({ chapter: chapter.documentId, completed: true, locale: 'zh-Hans' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      code = res.body.meta?.certificate?.code ?? code;
    }
    assert.ok(code, 'the last completion issued the certificate');

    const row = await onlyRow(learner.email, 'learning.certificate');
    const link = `${PUBLIC_URL}/api/certificates/${code}`;
    assert.deepEqual([row.userId, row.locale, row.state], [learner.id, 'zh-Hans', 'sent']);
    assert.ok(row.subject.includes('认证技能'), row.subject);
    for (const part of [link, code!, '恭喜']) assert.ok(row.text.includes(part), `${part} in ${row.text}`);
    assert.ok(row.html.includes(`href="${link}"`), row.html);
    assert.ok(!row.text.includes(learner.email) && !row.text.includes('Congratulations'), 'Chinese only, and the address is not printed');

    // The link is the public verification route: anyone (no token) sees the certificate stand.
    const verified = await app.http().get(new URL(link).pathname);
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(JSON.stringify(verified.body).includes('valid'), true);

    // A repeated completion report re-reads the certificate: no second message.
    const again = await app.http().post('/api/progress').set('Authorization', learner.auth).send({ chapter: course.chapters[0]!.documentId, completed: true });
    assert.equal(again.status, 200);
    assert.equal((await rows({ recipient: learner.email, template: 'learning.certificate' })).length, 1);

    // A learner who read only the preview holds no certificate and gets no message.
    const reader = await createUser(app);
    const preview = await app.http().post('/api/progress').set('Authorization', reader.auth).send({ chapter: course.chapters[0]!.documentId, completed: true });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.deepEqual(await rows({ recipient: reader.email }), []);
  });
});

describe('editors: a submission waiting for review', () => {
  test('unassigned → the configured editors’ address; a resubmission → its assignee, in the assignee’s language; the instructor’s own messages unchanged', async () => {
    const instructor = await createInstructor(app);
    const course = await authorCourse(app, instructor, { title: 'Queued course', taxonomy: await createTaxonomy(app) });
    await submitCourse(app, instructor, course.documentId);

    const first = await onlyRow(EDITORS, 'review.queued');
    assert.deepEqual([first.userId, first.locale, first.state], [null, 'en', 'sent']);
    assert.equal(first.subject, 'New submission for review: Queued course');
    for (const part of ['Queued course', 'Nobody has taken it yet', `${PUBLIC_URL}/admin/plugins/review`]) assert.ok(first.text.includes(part), `${part} in ${first.text}`);
    assert.ok(!first.text.includes(instructor.email), 'the instructor’s address is not in the editors’ message');
    // The instructor's receipt of the submission is theirs alone.
    assert.equal((await onlyRow(instructor.email, 'review.submitted')).subject, 'Submission received: Queued course');
    assert.deepEqual((await rows({ recipient: instructor.email, template: 'review.queued' })).length, 0);

    // The editor takes it (in Chinese), asks for changes; the instructor resubmits: the assignee hears of it.
    await app.strapi.db.query('admin::user').update({ where: { id: admin.id }, data: { preferedLanguage: 'zh-Hans' } });
    const assign = await app.http().post(`/review/submissions/${course.documentId}/assign`).set('Authorization', admin.auth);
    assert.equal(assign.status, 200, JSON.stringify(assign.body));
    const changes = await app.http().post(`/review/submissions/${course.documentId}/request-changes`).set('Authorization', admin.auth).send({ comment: 'Please add exercises to every chapter and a clearer summary.' });
    assert.equal(changes.status, 200, JSON.stringify(changes.body));
    await submitCourse(app, instructor, course.documentId);

    const toAssignee = await onlyRow(admin.email, 'review.queued');
    assert.deepEqual([toAssignee.userId, toAssignee.locale], [null, 'zh-Hans']);
    assert.ok(toAssignee.subject.startsWith('重新提交待审核'), toAssignee.subject);
    assert.ok(toAssignee.text.includes('您曾在审核队列中认领它') && toAssignee.text.includes('第 2 次提交'), toAssignee.text);
    assert.equal((await rows({ recipient: EDITORS, template: 'review.queued' })).length, 1, 'the shared address is not told of an assigned resubmission');
  });
});

describe('trial ending', () => {
  test('the subscriber hears that the first charge comes (or, set to cancel, that nothing is charged); once per trial end', async () => {
    const course = await paidCourse('Trial course');
    const plan = await createPlan(app, { courses: [course.documentId], trialDays: 14 });
    const planName = ((await app.strapi.db.query('api::plan.plan').findOne({ where: { documentId: plan.documentId } })) as { name: string }).name;

    const subscribe = async (user: TestUser) => {
      const started = await startCheckout(app, user, { plan: plan.documentId });
      const session = fake.paySession(started.sessionId);
      await deliver(stripeEvent('checkout.session.completed', session));
      return String(session.subscription);
    };

    const converts = await createUser(app);
    const subId = await subscribe(converts);
    const sub = fake.subscriptions.get(subId)!;
    const trialEnd = new Date(Number(sub.trial_end) * 1000).toISOString().slice(0, 10);
    const warning = stripeEvent('customer.subscription.trial_will_end', sub);
    await deliver(warning);
    await deliver(warning); // a redelivery of the same event
    const row = await onlyRow(converts.email, 'subscription.trial-ending');
    assert.deepEqual([row.userId, row.locale], [converts.id, 'en']);
    assert.equal(row.subject, `Your free trial ends soon: ${planName}`);
    for (const part of [planName, trialEnd, 'your card is charged', `${PUBLIC_URL}/#/library`]) assert.ok(row.text.includes(part), `${part} in ${row.text}`);
    assert.ok(!row.text.includes('nothing will be charged'));

    const leaves = await createUser(app);
    await setLanguage(leaves, 'zh-Hans');
    const leavingId = await subscribe(leaves);
    const leaving = fake.updateSubscription(leavingId, { cancel_at_period_end: true });
    await deliver(stripeEvent('customer.subscription.trial_will_end', leaving));
    const zh = await onlyRow(leaves.email, 'subscription.trial-ending');
    assert.equal(zh.locale, 'zh-Hans');
    assert.ok(zh.text.includes('不会扣费') && !zh.text.includes('扣取首期费用'), zh.text);
    assert.deepEqual((await rows({ recipient: converts.email, template: 'subscription.trial-ending' })).length, 1, 'the other subscriber’s notice is theirs');
  });
});

describe('bundle receipt', () => {
  test('one receipt listing every course of the bundle, the amount, currency and order id; no per-course receipts', async () => {
    const a = await paidCourse('Bundle part one', '套装第一部分');
    const b = await paidCourse('Bundle part two', '套装第二部分');
    const outside = await paidCourse('Not in the bundle');
    const bundle = await createBundle('Starter bundle', [a, b]);
    const learner = await createUser(app);
    const { orderId } = await buy(learner, { bundle });

    const row = await onlyRow(learner.email, 'checkout.bundle-receipt');
    assert.deepEqual([row.userId, row.locale], [learner.id, 'en']);
    assert.equal(row.subject, 'Your receipt: Starter bundle');
    for (const part of ['Bundle part one', 'Bundle part two', '$49.00', 'USD', orderId, '2 courses']) assert.ok(row.text.includes(part), `${part} in ${row.text}`);
    assert.ok(!row.text.includes(outside.title), 'a course outside the bundle is not listed');
    assert.deepEqual((await rows({ recipient: learner.email })).map((r) => r.template), ['checkout.bundle-receipt'], 'no receipt per course');

    // In Chinese, the courses are named in Chinese.
    const zhLearner = await createUser(app);
    await setLanguage(zhLearner, 'zh-Hans');
    await buy(zhLearner, { bundle });
    const zh = await onlyRow(zhLearner.email, 'checkout.bundle-receipt');
    assert.equal(zh.locale, 'zh-Hans');
    assert.ok(zh.text.includes('套装第一部分') && zh.text.includes('套装第二部分') && zh.text.includes('US$49.00'), zh.text);
    assert.ok(!zh.text.includes('Bundle part one'), zh.text);
  });
});

describe('gift refunded', () => {
  test('unclaimed: the buyer is told the gift is canceled and its code no longer works (and the code indeed fails); claimed: that the recipient’s access ended', async () => {
    const course = await paidCourse('Gifted course');
    const buyer = await createUser(app);
    const recipient = `friend-${Math.random().toString(36).slice(2, 8)}@example.test`;
    const { orderId, session } = await buy(buyer, { course: course.documentId, giftEmail: recipient });
    const code = (await app.http().get(`/api/checkout/orders/${orderId}`).set('Authorization', buyer.auth)).body.data.gift.code as string;
    await deliver(stripeEvent('charge.refunded', chargeFor(session, 1999)));

    const row = await onlyRow(buyer.email, 'checkout.gift-refund');
    assert.deepEqual([row.userId, row.locale], [buyer.id, 'en']);
    assert.equal(row.subject, 'Refund issued: your gift of Gifted course');
    for (const part of ['$19.99', orderId, recipient, 'is canceled: its claim code no longer works']) assert.ok(row.text.includes(part), `${part} in ${row.text}`);
    assert.ok(!row.text.includes(code), 'the dead code is not repeated');
    assert.ok(!/Your access/.test(row.text), 'the buyer never had access to lose');
    assert.deepEqual((await rows({ recipient: buyer.email, template: 'checkout.refund' })).length, 0, 'no course refund notice for a gift');
    const friend = await createUser(app);
    const claim = await app.http().post('/api/checkout/gifts/claim').set('Authorization', friend.auth).send({ code });
    assert.equal(claim.status, 409, 'the message tells the truth: the code no longer works');

    // Claimed first, then refunded: the buyer hears the recipient's access ended.
    const second = await createUser(app);
    await setLanguage(second, 'zh-Hans');
    const claimer = await createUser(app);
    const bought = await buy(second, { course: course.documentId, giftEmail: claimer.email });
    const code2 = (await app.http().get(`/api/checkout/orders/${bought.orderId}`).set('Authorization', second.auth)).body.data.gift.code as string;
    assert.equal((await app.http().post('/api/checkout/gifts/claim').set('Authorization', claimer.auth).send({ code: code2 })).status, 200);
    await deliver(stripeEvent('charge.refunded', chargeFor(bought.session, 1999)));
    const zh = await onlyRow(second.email, 'checkout.gift-refund');
    assert.equal(zh.locale, 'zh-Hans');
    assert.ok(zh.text.includes('已领取') && zh.text.includes('访问权限已结束') && !zh.text.includes('领取码已失效'), zh.text);
    assert.deepEqual(await rows({ recipient: claimer.email.toLowerCase(), template: 'checkout.gift-refund' }), [], 'the buyer’s message goes to the buyer only');
  });
});

describe('npm run demo without a Stripe key (scripts/lib/demo-checkout.ts)', () => {
  test('the learner pays on the demo checkout page: order paid, access granted, receipt in the outbox; cancel changes nothing', async () => {
    // What scripts/demo-start.ts wires: the hosted page on the fake, events to the platform's webhook.
    const server = app.strapi.server.httpServer;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as import('node:net').AddressInfo;
    serveDemoCheckout(fake, { webhookUrl: `http://127.0.0.1:${port}/api/checkout/webhook`, webhookSecret: SECRET });

    const course = await paidCourse('Demo purchase');
    const learner = await createUser(app);
    const started = await app.http().post('/api/checkout/sessions').set('Authorization', learner.auth).send({ course: course.documentId, ...RETURN });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const url = String(started.body.url);
    assert.ok(url.startsWith(`${fake.url}/c/pay/cs_`), url);

    const pageRes = await fetch(url);
    assert.equal(pageRes.status, 200);
    const html = await pageRes.text();
    for (const part of ['Demo purchase', '19.99 USD', 'no card is charged', 'value="pay"', 'value="cancel"']) assert.ok(html.includes(part), `${part} on the page`);

    const paid = await fetch(url, { method: 'POST', body: 'outcome=pay', headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    assert.equal(paid.status, 303);
    const order = await orderRow(app, started.body.orderId);
    assert.equal(paid.headers.get('location'), `https://shop.example/thanks?session_id=${order.checkoutSessionId}`, 'back to the success URL with the session id filled in');
    await drainWebhooks(app);
    assert.equal((await orderRow(app, started.body.orderId)).state, 'paid');
    const access = await app.http().get('/api/paywall/me/entitlements').set('Authorization', learner.auth);
    assert.deepEqual(access.body.data.map((e: { course: { documentId: string } }) => e.course.documentId), [course.documentId]);
    const receipt = await onlyRow(learner.email, 'checkout.receipt');
    for (const part of ['Demo purchase', '$19.99', started.body.orderId]) assert.ok(receipt.text.includes(part), `${part} in ${receipt.text}`);
    // The page of a paid session no longer offers to pay; paying twice is refused.
    assert.ok(!(await (await fetch(url)).text()).includes('value="pay"'));
    assert.equal((await fetch(url, { method: 'POST', body: 'outcome=pay', headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' })).status, 409);

    // Cancel: back to the cancel URL, no order paid, no access, no receipt.
    const other = await createUser(app);
    const second = await app.http().post('/api/checkout/sessions').set('Authorization', other.auth).send({ course: course.documentId, ...RETURN });
    assert.equal(second.status, 201, JSON.stringify(second.body));
    const canceled = await fetch(String(second.body.url), { method: 'POST', body: 'outcome=cancel', headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    assert.equal(canceled.status, 303);
    assert.equal(canceled.headers.get('location'), RETURN.cancelUrl);
    await drainWebhooks(app);
    assert.notEqual((await orderRow(app, second.body.orderId)).state, 'paid');
    assert.deepEqual((await app.http().get('/api/paywall/me/entitlements').set('Authorization', other.auth)).body.data, []);
    assert.deepEqual(await rows({ recipient: other.email.toLowerCase(), template: 'checkout.receipt' }), []);
    assert.equal((await fetch(`${fake.url}/c/pay/cs_unknown`)).status, 404);
    assert.equal((await fetch(`${fake.url}/c/pay/%E0%A4%A`)).status, 404, 'a malformed escape is no session, and the demo keeps running');
    assert.equal((await fetch(url)).status, 200);
  });
});
