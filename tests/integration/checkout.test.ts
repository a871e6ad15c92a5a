/**
 * checkout: Stripe Checkout, the Customer Portal, webhooks applied exactly once, refunds from the
 * admin panel. A real Strapi on SQLite or PostgreSQL (TEST_DB), driven over HTTP; the real
 * `stripe` SDK talks to a loopback fake of Stripe's API (tests/support/fake-stripe.ts) and webhook
 * payloads are signed with the SDK's test-header helper. On PostgreSQL a second Strapi process
 * shares the database. A last boot without Stripe keys checks that the platform still runs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import request from 'supertest';
import { bootApp, type TestApp } from '../support/strapi';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { createAdmin, createCourse, createInstructor, createUser, type BuiltCourse, type TestAdmin, type TestUser } from '../support/builders';
import { grantCourse } from '../support/learning-helpers';
import { chargeFor, startFakeStripe, type FakeStripe, type StripeObject } from '../support/fake-stripe';
import { deletedCustomer, disputeFor, foreignSubscription, postWebhook, refundFor, signatureHeader, stripeEvent, subscriptionInvoice, type StripeEventJson } from '../support/checkout-events';
import {
  ENTITLEMENT_UID,
  ORDER_UID,
  RETURN,
  STRIPE_PRICE_UID,
  activePriceId,
  catalogueRow,
  STRIPE_CUSTOMER_UID,
  SUBSCRIPTION_UID,
  WEBHOOK_EVENT_UID,
  counts,
  createPlan,
  drainWebhooks,
  inboxRow,
  inboxWorker,
  myEntitlements,
  newWebhookSecret,
  orderRow,
  readChapter,
  startCheckout,
  startChildInstance,
  stripeEnv,
} from '../support/checkout-world';

const SECRET = newWebhookSecret();
/** The inbox quick enough for a test: a failing event is dead after three attempts within a second. */
const INBOX_ENV = { CHECKOUT_INBOX_POLL_MS: '100', CHECKOUT_INBOX_MAX_ATTEMPTS: '3', CHECKOUT_INBOX_RETRY_BASE_MS: '100', CHECKOUT_INBOX_RETRY_MAX_MS: '400', CHECKOUT_INBOX_CONCURRENCY: '2' };
const INTERACTION_UID = 'plugin::recommender.interaction';

let fake: FakeStripe;
let database: TestDatabase;
let app: TestApp;

/** The checkout routes as the plugin defines them (schemas, examples), read from the kernel's registry once the app has booted. */
type Kernel = typeof import('@kp/platform');
type DocumentedRoute = ReturnType<Kernel['definedRoutes']>[number];
let kernel: Kernel;
let documented: DocumentedRoute[] = [];

function documentedRoute(method: string, fullPath: string): DocumentedRoute {
  const found = documented.find((d) => d.spec.method === method && d.fullPath === fullPath);
  if (!found) throw new Error(`${method} ${fullPath} is not a documented checkout route`);
  return found;
}

/** A real answer is what the route documents: its success status and a body its response schema accepts. */
function assertDocumented(method: string, fullPath: string, res: request.Response): void {
  const { spec } = documentedRoute(method, fullPath);
  assert.equal(res.status, spec.status ?? 200, `${method} ${fullPath}: ${res.status} ${JSON.stringify(res.body)}`);
  const parsed = spec.response.safeParse(res.body);
  assert.ok(parsed.success, `${method} ${fullPath} answered a body its schema refuses: ${parsed.error?.message} — ${JSON.stringify(res.body)}`);
}

/** Posts as Stripe does, then waits until the inbox has applied what is due (the answer comes before the apply). */
const deliver = async (event: StripeEventJson | string, options: { secret?: string; header?: string | null; contentType?: string } = {}): Promise<request.Response> => {
  const res = await postWebhook(app, event, { secret: SECRET, ...options });
  await drainWebhooks(app);
  return res;
};

/** What applying a stored event did (`order-paid`, `ignored`…). */
async function outcomeOf(eventId: string): Promise<string | null> {
  return (await inboxRow(app, eventId))?.outcome ?? null;
}

/** What Stripe sends when the learner pays the session (after `fake.paySession`). */
function completed(session: StripeObject, options: { created?: number; id?: string } = {}): StripeEventJson {
  return stripeEvent('checkout.session.completed', session, options);
}

async function paidCourse(spec: Parameters<typeof createCourse>[1] = {}): Promise<BuiltCourse> {
  return createCourse(app, { access: 'paid', price: 1999, currency: 'usd', chapters: 3, ...spec });
}

/** A learner who bought `course` through the whole flow; returns the order id and the paid session. */
async function purchase(user: TestUser, course: BuiltCourse): Promise<{ orderId: string; session: StripeObject }> {
  const started = await startCheckout(app, user, { course: course.documentId });
  const session = fake.paySession(started.sessionId);
  const res = await deliver(completed(session));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { orderId: started.orderId, session };
}

before(async () => {
  fake = await startFakeStripe();
  database = await createTestDatabase();
  app = await bootApp({ database, env: { ...stripeEnv(fake, SECRET), ...INBOX_ENV } });
  // Imported after the boot so that it resolves the kernel instance the app loaded.
  kernel = await import('@kp/platform');
  documented = kernel.definedRoutes().filter((d) => d.plugin === 'checkout');
});

after(async () => {
  await app?.close();
  // The platform without Stripe keys, on the same database: checkout says why it is off, the rest runs.
  if (database) {
    const off = await bootApp({ database, env: { STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '', STRIPE_API_BASE: '' } });
    try {
      const learner = await createUser(off);
      const checks: Array<[string, request.Test]> = [
        ['sessions', off.http().post('/api/checkout/sessions').set('Authorization', learner.auth).send({ course: 'abc', ...RETURN })],
        ['portal', off.http().post('/api/checkout/portal').set('Authorization', learner.auth).send({ returnUrl: RETURN.cancelUrl })],
        ['orders', off.http().get('/api/checkout/orders').set('Authorization', learner.auth)],
        ['webhook', off.http().post('/api/checkout/webhook').set('stripe-signature', 't=1,v1=x').send({ id: 'evt_x' })],
      ];
      for (const [name, req] of checks) {
        const res = await req;
        assert.equal(res.status, 503, `${name}: ${res.status} ${JSON.stringify(res.body)}`);
        // The shopper's words in the message; the operator's in the details only.
        assert.equal(res.body.error.message, 'Payments are not available right now.', name);
        assert.ok(res.body.error.details.missing.includes('STRIPE_SECRET_KEY'), name);
        assert.match(res.body.error.details.operator, /set STRIPE_SECRET_KEY/, name);
      }
      const health = await off.http().get('/api/checkout/health');
      assertDocumented('GET', '/api/checkout/health', health);
      assert.equal(health.body.stripe.configured, false);
      const catalogue = await off.http().get('/api/courses');
      assert.equal(catalogue.status, 200, 'the rest of the platform runs without Stripe');
      // An editor saving a price without a key: saved, and the catalogue row names the missing setting.
      const plan = await createPlan(off, { price: 1900 });
      const row = await catalogueRow(off, 'plan', plan.documentId);
      assert.equal(row?.syncState, 'error');
      assert.match(row?.syncError ?? '', /STRIPE_SECRET_KEY is not set/);
    } finally {
      await off.close();
      await database.drop();
      await fake?.close();
    }
  }
});

describe('checkout sessions', () => {
  test('a learner starts a checkout for a paid course: Stripe gets the price, the customer, the order link', async () => {
    const user = await createUser(app);
    const course = await paidCourse({ price: 2599 });
    const from = fake.requests.length;
    const res = await app.http().post('/api/checkout/sessions').set('Authorization', user.auth).send({ course: course.documentId, ...RETURN, locale: 'zh-Hans' });
    assertDocumented('POST', '/api/checkout/sessions', res);
    assert.deepEqual(Object.keys(res.body).sort(), ['orderId', 'url']);
    assert.match(res.body.url, /^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);

    const [customerCall] = fake.calls('POST', '/customers', from);
    assert.ok(customerCall, 'a Stripe customer is created for the learner');
    assert.equal(customerCall.form.email, user.email);
    const [call] = fake.calls('POST', '/checkout/sessions', from);
    assert.ok(call);
    assert.equal(call.form.mode, 'payment');
    // The Price the platform created for the course when it was published (no price id typed by hand).
    const priceId = await activePriceId(app, 'course', course.documentId);
    assert.deepEqual(call.form.line_items, [{ price: priceId, quantity: '1' }]);
    assert.equal(fake.state.store('prices').get(priceId)?.unit_amount, 2599);
    assert.equal(call.form.client_reference_id, res.body.orderId);
    assert.deepEqual(call.form.metadata, { orderId: res.body.orderId, userId: String(user.id), courseDocumentId: course.documentId });
    assert.deepEqual((call.form.payment_intent_data as { metadata: unknown }).metadata, call.form.metadata);
    assert.equal(call.form.allow_promotion_codes, 'true');
    assert.equal(call.form.success_url, RETURN.successUrl);
    assert.equal(call.form.cancel_url, RETURN.cancelUrl);
    assert.equal(call.form.locale, 'zh');
    assert.equal(call.form.customer, [...fake.customers.values()].find((c) => c.email === user.email)?.id);
    assert.equal(call.idempotencyKey, `checkout-session-${res.body.orderId}`);
    assert.ok(call.stripeVersion, 'the SDK pins an API version');

    const order = await orderRow(app, res.body.orderId);
    assert.equal(order.state, 'pending');
    assert.equal(order.amount, 2599);
    assert.equal(order.currency, 'usd');
    assert.ok(order.checkoutSessionId?.startsWith('cs_test_'));
  });

  test('the Stripe customer is created once and reused', async () => {
    const user = await createUser(app);
    const from = fake.requests.length;
    await startCheckout(app, user, { course: (await paidCourse()).documentId });
    await startCheckout(app, user, { course: (await paidCourse()).documentId });
    assert.equal(fake.calls('POST', '/customers', from).length, 1);
    const sessions = fake.calls('POST', '/checkout/sessions', from);
    assert.equal(sessions.length, 2);
    assert.equal(sessions[0]!.form.customer, sessions[1]!.form.customer);
    assert.equal(await app.strapi.db.query(STRIPE_CUSTOMER_UID).count({ where: { userKey: String(user.id) } }), 1);
  });

  test('a JPY course is charged in whole yen (zero-decimal currency)', async () => {
    const user = await createUser(app);
    const course = await paidCourse({ price: 1500, currency: 'jpy' });
    const from = fake.requests.length;
    const started = await startCheckout(app, user, { course: course.documentId });
    const [call] = fake.calls('POST', '/checkout/sessions', from);
    const item = (call!.form.line_items as Array<{ price: string }>)[0]!;
    const price = fake.state.store('prices').get(item.price)!;
    assert.deepEqual([price.currency, price.unit_amount], ['jpy', 1500]);
    assert.equal((await orderRow(app, started.orderId)).amount, 1500);
  });

  test('a second checkout of the same course expires the first session (no double payment)', async () => {
    const user = await createUser(app);
    const course = await paidCourse();
    const first = await startCheckout(app, user, { course: course.documentId });
    const from = fake.requests.length;
    await startCheckout(app, user, { course: course.documentId });
    const expired = fake.calls('POST', `/checkout/sessions/${first.sessionId}/expire`, from);
    assert.equal(expired.length, 1);
    assert.equal(fake.sessions.get(first.sessionId)!.status, 'expired');
  });

  test('refusals are clear 4xx, write nothing and call no Stripe', async () => {
    const user = await createUser(app);
    const free = await createCourse(app, { access: 'free', chapters: 1 });
    const subscriptionOnly = await createCourse(app, { access: 'subscription', price: 1000, chapters: 1 });
    const draft = await createCourse(app, { publish: false, chapters: 1 });
    const cheap = await paidCourse({ price: 10 });
    const paid = await paidCourse();
    const noPrice = await createPlan(app, { price: 10 });
    const cases: Array<{ name: string; body: Record<string, unknown>; status: number; match: RegExp }> = [
      { name: 'unknown course', body: { course: 'doesnotexist000', ...RETURN }, status: 404, match: /No published course/ },
      { name: 'draft course', body: { course: draft.documentId, ...RETURN }, status: 404, match: /No published course/ },
      { name: 'free course', body: { course: free.documentId, ...RETURN }, status: 400, match: /free/ },
      { name: 'subscription-only course', body: { course: subscriptionOnly.documentId, ...RETURN }, status: 400, match: /subscription plan/ },
      { name: 'price below Stripe minimum', body: { course: cheap.documentId, ...RETURN }, status: 409, match: /cannot be bought/ },
      { name: 'plan priced below Stripe minimum', body: { plan: noPrice.documentId, ...RETURN }, status: 409, match: /cannot be bought/ },
      { name: 'unknown plan', body: { plan: 'nosuchplan', ...RETURN }, status: 404, match: /No published plan/ },
      { name: 'success URL on another origin', body: { course: paid.documentId, ...RETURN, successUrl: 'https://evil.test/thanks' }, status: 400, match: /successUrl/ },
      { name: 'cancel URL with javascript:', body: { course: paid.documentId, ...RETURN, cancelUrl: 'javascript:alert(1)' }, status: 400, match: /cancelUrl/ },
      { name: 'both course and plan', body: { course: paid.documentId, plan: noPrice.documentId, ...RETURN }, status: 400, match: /^Invalid body: course: give exactly one of "course", "plan" or "bundle"/ },
      { name: 'a client-chosen price', body: { course: paid.documentId, price: 1, ...RETURN }, status: 400, match: /^Invalid body: .*"price"/ },
      { name: 'no body', body: {}, status: 400, match: /^Invalid body: successUrl: .*cancelUrl: / },
    ];
    const before = await counts(app);
    const from = fake.requests.length;
    for (const c of cases) {
      const res = await app.http().post('/api/checkout/sessions').set('Authorization', user.auth).send(c.body);
      assert.equal(res.status, c.status, `${c.name}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.match(res.body.error.message, c.match, c.name);
    }
    assert.deepEqual(await counts(app), before);
    assert.equal(fake.requests.length, from, 'no Stripe call for a refused checkout');
  });

  test('anonymous callers cannot start a checkout', async () => {
    const res = await app.http().post('/api/checkout/sessions').send({ course: 'x', ...RETURN });
    assert.ok(res.status === 401 || res.status === 403, String(res.status));
  });

  test('Stripe unavailable: 502, and no order is left behind', async () => {
    const user = await createUser(app);
    const course = await paidCourse();
    await startCheckout(app, user, { course: (await paidCourse()).documentId }); // the customer exists
    const before = await counts(app);
    fake.failNext('POST', '/checkout/sessions', 500, { type: 'api_error', message: 'Stripe is down' });
    const res = await app.http().post('/api/checkout/sessions').set('Authorization', user.auth).send({ course: course.documentId, ...RETURN });
    assert.equal(res.status, 502, JSON.stringify(res.body));
    assert.match(res.body.error.message, /payment provider/);
    assert.deepEqual(await counts(app), before);
  });
});

describe('purchase end to end: checkout → webhook → access → refund', () => {
  let admin: TestAdmin;
  before(async () => {
    admin = await createAdmin(app);
  });

  test('the completed event pays the order, lists the course, unlocks its chapters; a refund revokes', async () => {
    const user = await createUser(app);
    const other = await createUser(app);
    const course = await paidCourse();
    const locked = course.chapters[1]!;
    assert.deepEqual(await readChapter(app, user, locked.documentId), { locked: true, body: null });

    const { orderId, session } = await purchase(user, course);
    const order = await orderRow(app, orderId);
    assert.equal(order.state, 'paid');
    assert.equal(order.paymentIntentId, session.payment_intent);
    assert.equal(order.amountPaid, 1999);
    assert.ok(order.paidAt);

    const mine = await myEntitlements(app, user);
    assert.deepEqual(mine.map((e) => [e.course?.documentId, e.source, e.status]), [[course.documentId, 'purchase', 'active']]);
    const chapter = await readChapter(app, user, locked.documentId);
    assert.equal(chapter.locked, false);
    assert.equal(chapter.body, locked.body);
    assert.deepEqual(await readChapter(app, other, locked.documentId), { locked: true, body: null }, 'another learner still sees it locked');

    // The learner's own orders; another learner's order is not found.
    const list = await app.http().get('/api/checkout/orders').set('Authorization', user.auth);
    assertDocumented('GET', '/api/checkout/orders', list);
    assert.deepEqual(list.body.data.map((o: { id: string; status: string }) => [o.id, o.status]), [[orderId, 'paid']]);
    const one = await app.http().get(`/api/checkout/orders/${orderId}`).set('Authorization', user.auth);
    assertDocumented('GET', '/api/checkout/orders/:id', one);
    assert.equal(one.body.data.status, 'paid');
    for (const field of ['checkoutSessionId', 'paymentIntentId', 'refundId', 'user', 'stripeCustomerId']) assert.ok(!(field in one.body.data), `${field} is not for the learner`);
    assert.equal((await app.http().get(`/api/checkout/orders/${orderId}`).set('Authorization', other.auth)).status, 404);
    assert.deepEqual((await app.http().get('/api/checkout/orders').set('Authorization', other.auth)).body.data, []);

    // Buying again is refused: the learner has it.
    const again = await app.http().post('/api/checkout/sessions').set('Authorization', user.auth).send({ course: course.documentId, ...RETURN });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.details.via, 'purchase');

    // Refund from the admin panel: Stripe is asked; access stays until Stripe's event arrives.
    const from = fake.requests.length;
    const refund = await app.http().post(`/checkout/orders/${orderId}/refund`).set('Authorization', admin.auth).send({});
    assertDocumented('POST', '/checkout/orders/:id/refund', refund);
    const [refundCall] = fake.calls('POST', '/refunds', from);
    assert.ok(refundCall);
    assert.equal(refundCall.form.payment_intent, session.payment_intent);
    assert.equal(refundCall.idempotencyKey, `refund-order-${orderId}`);
    assert.equal((await orderRow(app, orderId)).refundId, refund.body.data.refundId);
    assert.equal((await orderRow(app, orderId)).state, 'paid');
    const twice = await app.http().post(`/checkout/orders/${orderId}/refund`).set('Authorization', admin.auth).send({});
    assert.equal(twice.status, 202);
    assert.equal(twice.body.data.refundId, refund.body.data.refundId, 'a second click refunds once');

    const refunded = await deliver(stripeEvent('charge.refunded', chargeFor(session, 1999)));
    assert.equal(refunded.status, 200);
    assert.equal((await orderRow(app, orderId)).state, 'refunded');
    assert.deepEqual(await myEntitlements(app, user), []);
    assert.deepEqual(await readChapter(app, user, locked.documentId), { locked: true, body: null });

    // Follow-up signals to the recommender, after each commit.
    const signals = (kind: string) => app.strapi.db.query(INTERACTION_UID).count({ where: { courseDocumentId: course.documentId, kind, user: { id: user.id } } });
    assert.deepEqual([await signals('purchase'), await signals('refund')], [1, 1]);
  });

  test('a failing follow-up (recommender down) never fails the payment', async () => {
    const interactions = app.strapi.plugin('recommender').service('interactions') as { record: (...args: unknown[]) => Promise<void> };
    const original = interactions.record;
    // Fault injection on a collaborator: the recommender throws for the length of this test.
    interactions.record = async () => {
      throw new Error('recommender unavailable');
    };
    try {
      const user = await createUser(app);
      const course = await paidCourse();
      const { orderId } = await purchase(user, course);
      assert.equal((await orderRow(app, orderId)).state, 'paid');
      assert.equal((await myEntitlements(app, user))[0]?.course?.documentId, course.documentId);
    } finally {
      interactions.record = original;
    }
  });

  test('admin refund: needs the refund permission, refuses what cannot be refunded', async () => {
    const editor = await createAdmin(app, 'strapi-editor');
    const user = await createUser(app);
    const { orderId } = await purchase(user, await paidCourse());
    const denied = await app.http().post(`/checkout/orders/${orderId}/refund`).set('Authorization', editor.auth).send({});
    assert.equal(denied.status, 403);
    assert.equal((await app.http().get('/checkout/orders').set('Authorization', editor.auth)).status, 403);
    const pending = await startCheckout(app, user, { course: (await paidCourse()).documentId });
    const notPaid = await app.http().post(`/checkout/orders/${pending.orderId}/refund`).set('Authorization', admin.auth).send({});
    assert.equal(notPaid.status, 409);
    assert.equal((await app.http().post('/checkout/orders/nosuchorder/refund').set('Authorization', admin.auth).send({})).status, 404);
    const list = await app.http().get('/checkout/orders?status=paid&pageSize=100').set('Authorization', admin.auth);
    assertDocumented('GET', '/checkout/orders', list);
    const row = list.body.results.find((o: { id: string }) => o.id === orderId);
    assert.ok(row, 'the paid order is listed for editors');
    assert.equal(row.refundable, true);
    assert.equal(row.user.email, user.email);
    assert.equal(row.display, '19.99 USD');

    // Filters: search (order id, learner), status, creation time; the CSV export of the same filter.
    const ids = async (query: string) => {
      const res = await app.http().get(`/checkout/orders?pageSize=100&${query}`).set('Authorization', admin.auth);
      assertDocumented('GET', '/checkout/orders', res);
      assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
      return (res.body.results as Array<{ id: string }>).map((o) => o.id);
    };
    assert.deepEqual(await ids(`q=${orderId}`), [orderId], 'by order id');
    assert.ok((await ids(`q=${encodeURIComponent(user.email.slice(0, 8).toUpperCase())}`)).includes(orderId), 'by part of the e-mail, any case');
    assert.deepEqual(await ids('q=no-such-learner-anywhere'), []);
    assert.ok((await ids(`status=paid&q=${orderId}`)).includes(orderId));
    assert.deepEqual(await ids(`status=refunded&q=${orderId}`), []);
    const today = new Date().toISOString().slice(0, 10);
    assert.ok((await ids(`from=${today}&to=${today}&q=${orderId}`)).includes(orderId), 'a date alone as `to` covers that whole day');
    assert.deepEqual(await ids(`to=2000-01-01&q=${orderId}`), []);
    for (const bad of ['from=yesterday', 'q=', 'status=lost']) {
      const res = await app.http().get(`/checkout/orders?${bad}`).set('Authorization', admin.auth);
      assert.equal(res.status, 400, `${bad}: ${res.status}`);
    }
    const csv = await app.http().get(`/checkout/orders/export?status=paid&q=${orderId}`).set('Authorization', admin.auth).buffer(true).parse((res, cb) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => cb(null, text));
    });
    assertDocumented('GET', '/checkout/orders/export', csv);
    assert.equal(csv.status, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /attachment; filename="orders-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = String(csv.body).trim().split('\r\n');
    assert.match(lines[0]!, /^order id,created at,paid at,status/);
    assert.equal(lines.length, 2, 'the header and the one matching order');
    assert.match(lines[1]!, new RegExp(`^${orderId},.*,paid,course,.*${user.email.replace(/[.+]/g, '\\$&')}.*,1999,usd,19.99 USD,`));
    assert.equal(csv.headers['x-total-count'], '1');
    assert.equal((await app.http().get('/checkout/orders/export')).status, 401);
  });

  test('synchronised records are read-only in the Content Manager', async () => {
    const user = await createUser(app);
    const { orderId } = await purchase(user, await paidCourse());
    const base = `/content-manager/collection-types/${ORDER_UID}`;
    const edit = await app.http().put(`${base}/${orderId}`).set('Authorization', admin.auth).send({ amount: 1, checkoutSessionId: 'cs_forged' });
    assert.equal(edit.status, 403, JSON.stringify(edit.body));
    const order = await orderRow(app, orderId);
    assert.equal(order.amount, 1999);
    assert.notEqual(order.checkoutSessionId, 'cs_forged');
    const read = await app.http().get(`${base}/${orderId}`).set('Authorization', admin.auth);
    assert.equal(read.status, 200, 'editors can read orders');
    assert.equal(read.body.data.state, 'paid', 'the status shows in the Content Manager');
    const del = await app.http().delete(`${base}/${orderId}`).set('Authorization', admin.auth);
    assert.equal(del.status, 403);
    const created = await app.http().post(`/content-manager/collection-types/${SUBSCRIPTION_UID}`).set('Authorization', admin.auth).send({ cancelAtPeriodEnd: true });
    assert.equal(created.status, 403);
    assert.equal(await app.strapi.db.query(ORDER_UID).count({ where: { documentId: orderId } }), 1, 'not deleted');
    // Internal records with their own page (Orders) are not in the Content Manager's navigation.
    const types = await app.http().get('/content-manager/content-types').set('Authorization', admin.auth);
    assert.equal(types.status, 200);
    const displayed = new Map((types.body.data as Array<{ uid: string; isDisplayed: boolean }>).map((t) => [t.uid, t.isDisplayed]));
    for (const uid of [ORDER_UID, 'plugin::checkout.webhook-event', 'plugin::checkout.stripe-customer']) assert.equal(displayed.get(uid), false, uid);
    assert.equal(displayed.get(SUBSCRIPTION_UID), true, 'subscriptions stay listed');
    // The catalogue reads in editors' words: labels, the price's unit, the columns an editor sorts by.
    const course = await app.http().get('/content-manager/content-types/api::course.course/configuration').set('Authorization', admin.auth);
    assert.equal(course.status, 200, JSON.stringify(course.body));
    const config = course.body.data.contentType as { metadatas: Record<string, { edit: { label: string; description: string } }>; layouts: { list: string[] } };
    assert.equal(config.metadatas.price!.edit.label, 'Price (minor units)');
    assert.match(config.metadatas.price!.edit.description, /7999 is 79\.99 USD/);
    assert.match(config.metadatas.access!.edit.description, /subscription: included/);
    assert.deepEqual(config.layouts.list, ['title', 'access', 'price', 'currency', 'instructor', 'category']);
  });
});

describe('subscriptions and the Customer Portal', () => {
  test('subscribe → all-access works → cancel at period end → deleted ends it', async () => {
    const user = await createUser(app);
    const course = await createCourse(app, { access: 'subscription', chapters: 3 });
    const chapter = course.chapters[2]!;
    const plan = await createPlan(app);

    const from = fake.requests.length;
    const started = await startCheckout(app, user, { plan: plan.documentId });
    const [call] = fake.calls('POST', '/checkout/sessions', from);
    assert.equal(call!.form.mode, 'subscription');
    assert.deepEqual(call!.form.line_items, [{ price: await activePriceId(app, 'plan', plan.documentId), quantity: '1' }]);
    assert.deepEqual((call!.form.subscription_data as { metadata: unknown }).metadata, { orderId: started.orderId, userId: String(user.id), planDocumentId: plan.documentId });

    const session = fake.paySession(started.sessionId);
    const subId = String(session.subscription);
    const res = await deliver(completed(session));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(fake.calls('GET', `/subscriptions/${subId}`, from).length, 1, 'the subscription is re-read from Stripe');
    assert.equal((await orderRow(app, started.orderId)).state, 'paid');
    assert.equal((await orderRow(app, started.orderId)).stripeSubscriptionId, subId);

    const row = (await app.strapi.db.query(SUBSCRIPTION_UID).findOne({ where: { stripeSubscriptionId: subId }, populate: ['user', 'plan'] })) as {
      status: string;
      currentPeriodEnd: string;
      user: { id: number };
      plan: { documentId: string };
    };
    assert.equal(row.status, 'active');
    assert.equal(row.user.id, user.id);
    assert.equal(row.plan.documentId, plan.documentId);
    const periodEnd = (fake.subscriptions.get(subId)!.items as { data: Array<{ current_period_end: number }> }).data[0]!.current_period_end;
    assert.equal(new Date(row.currentPeriodEnd).getTime(), periodEnd * 1000);

    const mine = await myEntitlements(app, user);
    assert.deepEqual(mine.map((e) => [e.plan?.documentId, e.source, e.status]), [[plan.documentId, 'subscription', 'active']]);
    assert.equal(mine[0]!.validUntil, new Date(periodEnd * 1000).toISOString());
    assert.equal((await readChapter(app, user, chapter.documentId)).body, chapter.body, 'all-access opens its subscription courses');

    // Already subscribed: a second checkout of the plan is refused.
    const again = await app.http().post('/api/checkout/sessions').set('Authorization', user.auth).send({ plan: plan.documentId, ...RETURN });
    assert.equal(again.status, 409);

    // Customer Portal for the learner's Stripe customer.
    const portal = await app.http().post('/api/checkout/portal').set('Authorization', user.auth).send({ returnUrl: 'https://shop.example/account' });
    assertDocumented('POST', '/api/checkout/portal', portal);
    assert.match(portal.body.url, /^https:\/\/billing\.stripe\.test\//);
    const [portalCall] = fake.calls('POST', '/billing_portal/sessions', from);
    assert.equal(portalCall!.form.customer, session.customer);
    assert.equal(portalCall!.form.return_url, 'https://shop.example/account');
    const badReturn = await app.http().post('/api/checkout/portal').set('Authorization', user.auth).send({ returnUrl: 'https://evil.test/' });
    assert.equal(badReturn.status, 400);
    const stranger = await createUser(app);
    const noCustomer = await app.http().post('/api/checkout/portal').set('Authorization', stranger.auth).send({ returnUrl: 'https://shop.example/account' });
    assert.equal(noCustomer.status, 409);

    // Canceled at period end in the portal: still active, flag synced.
    const t0 = Math.floor(Date.now() / 1000);
    const canceling = fake.updateSubscription(subId, { cancel_at_period_end: true });
    assert.equal((await deliver(stripeEvent('customer.subscription.updated', canceling, { created: t0 + 10 }))).status, 200);
    const after1 = (await app.strapi.db.query(SUBSCRIPTION_UID).findOne({ where: { stripeSubscriptionId: subId } })) as { status: string; cancelAtPeriodEnd: boolean };
    assert.deepEqual([after1.status, after1.cancelAtPeriodEnd], ['active', true]);
    assert.equal((await readChapter(app, user, chapter.documentId)).locked, false);

    // The period ends: deleted. Access goes.
    const ended = fake.updateSubscription(subId, { status: 'canceled', ended_at: t0 + 20 });
    assert.equal((await deliver(stripeEvent('customer.subscription.deleted', ended, { created: t0 + 20 }))).status, 200);
    const after2 = (await app.strapi.db.query(SUBSCRIPTION_UID).findOne({ where: { stripeSubscriptionId: subId } })) as { status: string };
    assert.equal(after2.status, 'canceled');
    assert.deepEqual(await myEntitlements(app, user), []);
    assert.deepEqual(await readChapter(app, user, chapter.documentId), { locked: true, body: null });
  });

  test('invoice.payment_failed → past_due (kept by the paywall), invoice.paid → active with the new period', async () => {
    const user = await createUser(app);
    const plan = await createPlan(app);
    const started = await startCheckout(app, user, { plan: plan.documentId });
    const session = fake.paySession(started.sessionId);
    const subId = String(session.subscription);
    const t0 = Math.floor(Date.now() / 1000);
    assert.equal((await deliver(completed(session, { created: t0 }))).status, 200);
    const invoice = (paid: boolean) => ({ id: `in_${paid ? 'paid' : 'failed'}_${subId}`, object: 'invoice', customer: session.customer, status: paid ? 'paid' : 'open', parent: { type: 'subscription_details', subscription_details: { subscription: subId } } });

    fake.updateSubscription(subId, { status: 'past_due' });
    assert.equal((await deliver(stripeEvent('invoice.payment_failed', invoice(false), { created: t0 + 5 }))).status, 200);
    let mine = await myEntitlements(app, user);
    assert.equal(mine[0]?.status, 'past_due');

    const nextEnd = t0 + 60 * 86400;
    const sub = fake.subscriptions.get(subId)!;
    (sub.items as { data: Array<{ current_period_end: number }> }).data[0]!.current_period_end = nextEnd;
    fake.updateSubscription(subId, { status: 'active' });
    assert.equal((await deliver(stripeEvent('invoice.paid', invoice(true), { created: t0 + 10 }))).status, 200);
    mine = await myEntitlements(app, user);
    assert.deepEqual([mine[0]?.status, mine[0]?.validUntil], ['active', new Date(nextEnd * 1000).toISOString()]);
  });
});

describe('bundles and gifts', () => {
  const BUNDLE_UID = 'plugin::checkout.bundle';
  const GIFT_UID = 'plugin::checkout.gift';
  const OUTBOX_UID = 'plugin::notifications.outbox-message';

  async function createBundle(courses: BuiltCourse[], extra: Record<string, unknown> = {}): Promise<string> {
    const title = `Bundle ${Math.random().toString(36).slice(2, 8)}`;
    const b = await app.strapi.documents(BUNDLE_UID as never).create({
      data: { title, slug: title.toLowerCase().replace(/\s+/g, '-'), price: 4900, currency: 'usd', onSale: true, courses: courses.map((c) => c.documentId), ...extra } as never,
    });
    return (b as unknown as { documentId: string }).documentId;
  }

  /** Starts a checkout for `item` as `user`, pays it, delivers the completion; the order id and the session. */
  async function buy(user: TestUser, item: Record<string, string>): Promise<{ orderId: string; session: StripeObject }> {
    const res = await app.http().post('/api/checkout/sessions').set('Authorization', user.auth).send({ ...item, ...RETURN });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const order = await orderRow(app, res.body.orderId);
    const session = fake.paySession(order.checkoutSessionId!);
    const done = await deliver(completed(session));
    assert.equal(done.status, 200, JSON.stringify(done.body));
    return { orderId: res.body.orderId, session };
  }

  const courseIds = async (user: TestUser) => (await myEntitlements(app, user)).map((e) => e.course?.documentId).sort();
  const claim = (user: TestUser, code: string) => app.http().post('/api/checkout/gifts/claim').set('Authorization', user.auth).send({ code });

  test('a bundle: one order at the bundle price, every course granted; a refund revokes those courses and only those', async () => {
    const user = await createUser(app);
    const [a, b, c] = [await paidCourse(), await paidCourse(), await paidCourse()];
    const hidden = await paidCourse({ publish: false });
    const bundle = await createBundle([a, b, hidden]);
    await purchase(user, c);

    const list = await app.http().get('/api/checkout/bundles');
    assertDocumented('GET', '/api/checkout/bundles', list);
    const listed = list.body.data.find((x: { id: string }) => x.id === bundle);
    assert.deepEqual(listed.courses.map((x: { documentId: string }) => x.documentId).sort(), [a.documentId, b.documentId].sort(), 'an unpublished course is not listed');
    assert.equal(listed.price, 4900);

    const from = fake.requests.length;
    const { orderId, session } = await buy(user, { bundle });
    const [call] = fake.calls('POST', '/checkout/sessions', from);
    assert.equal(call!.form.mode, 'payment');
    assert.deepEqual((call!.form.line_items as Array<{ price_data: { unit_amount: string; product_data: { metadata: unknown } } }>).map((l) => [l.price_data.unit_amount, l.price_data.product_data.metadata]), [['4900', { bundleDocumentId: bundle }]]);
    assert.equal((call!.form.metadata as Record<string, string>).bundleDocumentId, bundle);

    assert.equal(await app.strapi.db.query(ORDER_UID).count({ where: { bundleDocumentId: bundle } }), 1, 'one order');
    assert.deepEqual(await courseIds(user), [a.documentId, b.documentId, c.documentId].sort());
    for (const course of [a, b]) assert.equal((await readChapter(app, user, course.chapters[1]!.documentId)).body, course.chapters[1]!.body);
    const view = await app.http().get(`/api/checkout/orders/${orderId}`).set('Authorization', user.auth);
    assertDocumented('GET', '/api/checkout/orders/:id', view);
    assert.deepEqual([view.body.data.kind, view.body.data.bundle, view.body.data.courses.sort(), view.body.data.gift], ['bundle', bundle, [a.documentId, b.documentId].sort(), null]);

    // Owning every course of it: buying again is refused.
    const again = await app.http().post('/api/checkout/sessions').set('Authorization', user.auth).send({ bundle, ...RETURN });
    assert.equal(again.status, 409, JSON.stringify(again.body));

    const refunded = await deliver(stripeEvent('charge.refunded', chargeFor(session, 4900)));
    assert.equal(refunded.status, 200);
    assert.equal((await orderRow(app, orderId)).state, 'refunded');
    assert.deepEqual(await courseIds(user), [c.documentId], 'the course bought on its own stays');
    for (const course of [a, b]) assert.deepEqual(await readChapter(app, user, course.chapters[1]!.documentId), { locked: true, body: null });
  });

  test('bundle refusals: unknown, not on sale, no published course, two items at once', async () => {
    const user = await createUser(app);
    const course = await paidCourse();
    const before = await counts(app);
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ bundle: 'abcdefghijklmnopqrstuvwx' }, 404, /No published bundle/],
      [{ bundle: await createBundle([course], { onSale: false }) }, 404, /No published bundle/],
      [{ bundle: await createBundle([await paidCourse({ publish: false })]) }, 409, /cannot be bought/],
      [{ bundle: await createBundle([course]), course: course.documentId }, 400, /exactly one of "course", "plan" or "bundle"/],
    ];
    for (const [body, status, message] of cases) {
      const res = await app.http().post('/api/checkout/sessions').set('Authorization', user.auth).send({ ...body, ...RETURN });
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.match(res.body.error.message, message);
    }
    assert.deepEqual(await counts(app), before, 'nothing written');
  });

  test('a gift: the buyer gets the code (and no access), the recipient a message; claimed once; a refund revokes the claimer', async () => {
    const buyer = await createUser(app);
    const friend = await createUser(app);
    const stranger = await createUser(app);
    const course = await paidCourse();
    const recipient = `Gift-${Math.random().toString(36).slice(2, 8)}@Example.test`;

    const self = await app.http().post('/api/checkout/sessions').set('Authorization', buyer.auth).send({ course: course.documentId, giftEmail: buyer.email, ...RETURN });
    assert.equal(self.status, 400);
    assert.match(self.body.error.message, /giftEmail is your own address/);
    const plan = await app.http().post('/api/checkout/sessions').set('Authorization', buyer.auth).send({ plan: (await createPlan(app)).documentId, giftEmail: recipient, ...RETURN });
    assert.equal(plan.status, 400);
    assert.match(plan.body.error.message, /giftEmail: a plan cannot be given/);

    const { orderId, session } = await buy(buyer, { course: course.documentId, giftEmail: recipient, locale: 'zh-Hans' });
    assert.deepEqual(await myEntitlements(app, buyer), [], 'the buyer does not get the course');
    const view = await app.http().get(`/api/checkout/orders/${orderId}`).set('Authorization', buyer.auth);
    assertDocumented('GET', '/api/checkout/orders/:id', view);
    const gift = view.body.data.gift as { code: string; status: string; recipientEmail: string };
    assert.equal(gift.status, 'pending');
    assert.equal(gift.recipientEmail, recipient.toLowerCase());
    assert.match(gift.code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    const messages = (await app.strapi.db.query(OUTBOX_UID).findMany({ where: { recipient: recipient.toLowerCase(), template: 'checkout.gift' } })) as Array<{ text: string; locale: string }>;
    assert.equal(messages.length, 1, 'one message to the recipient');
    assert.ok(messages[0]!.text.includes(gift.code), 'the message carries the code');
    assert.equal(messages[0]!.locale, 'zh-Hans', "in the buyer's checkout language");
    const receipts = (await app.strapi.db.query(OUTBOX_UID).findMany({ where: { userId: buyer.id, template: 'checkout.receipt' } })) as Array<{ text: string; html: string }>;
    assert.equal(receipts.length, 1, "the buyer's receipt");
    assert.ok(receipts[0]!.text.includes(recipient.toLowerCase()), 'it names who receives the gift');
    assert.doesNotMatch(`${receipts[0]!.text}${receipts[0]!.html}`, /Start learning|开始学习/, 'and offers no course to start');
    // Another completion event for the same session (Stripe sends several at times) issues no second code.
    assert.equal((await deliver(completed(session))).status, 200);
    assert.equal(await app.strapi.db.query(GIFT_UID).count({ where: { orderDocumentId: orderId } }), 1);

    const own = await claim(buyer, gift.code);
    assert.equal(own.status, 409);
    assert.match(own.body.error.message, /You bought this gift/);
    assert.equal((await claim(friend, 'not-a-code')).status, 400);
    assert.equal((await claim(friend, 'K7Q2-9XMB-4TRD-Z1HP-6WNC')).status, 404);
    assert.equal((await app.http().post('/api/checkout/gifts/claim').send({ code: gift.code })).status, 403);

    const claimed = await claim(friend, gift.code.toLowerCase().replace(/-/g, ' '));
    assertDocumented('POST', '/api/checkout/gifts/claim', claimed);
    assert.deepEqual(claimed.body.data.courses, [course.documentId]);
    assert.deepEqual(await courseIds(friend), [course.documentId]);
    assert.equal((await readChapter(app, friend, course.chapters[1]!.documentId)).body, course.chapters[1]!.body);
    for (const who of [stranger, friend]) {
      const second = await claim(who, gift.code);
      assert.equal(second.status, 409);
      assert.equal(second.body.error.message, 'This gift code has already been claimed.');
    }
    assert.deepEqual(await myEntitlements(app, stranger), []);
    assert.equal((await app.http().get(`/api/checkout/orders/${orderId}`).set('Authorization', buyer.auth)).body.data.gift.status, 'claimed');

    await deliver(stripeEvent('charge.refunded', chargeFor(session, 1999)));
    assert.equal((await orderRow(app, orderId)).state, 'refunded');
    assert.deepEqual(await myEntitlements(app, friend), [], "a refund after the claim revokes the claimer's course");
    assert.equal((await app.http().get(`/api/checkout/orders/${orderId}`).set('Authorization', buyer.auth)).body.data.gift.status, 'revoked');
  });

  test('concurrent claims of one code: one wins', async () => {
    const buyer = await createUser(app);
    const course = await paidCourse();
    const { orderId } = await buy(buyer, { course: course.documentId, giftEmail: 'race@example.test' });
    const code = (await app.http().get(`/api/checkout/orders/${orderId}`).set('Authorization', buyer.auth)).body.data.gift.code as string;
    const claimers = await Promise.all([createUser(app), createUser(app), createUser(app), createUser(app)]);
    const results = await Promise.all(claimers.map((u) => claim(u, code)));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409, 409, 409]);
    assert.equal(await app.strapi.db.query(ENTITLEMENT_UID).count({ where: { sourceRef: { $startsWith: 'gift:' }, course: { documentId: course.documentId } } }) > 0, true);
    const owners = await Promise.all(claimers.map(async (u) => (await myEntitlements(app, u)).length));
    assert.deepEqual(owners.sort(), [0, 0, 0, 1]);
  });

  test('the database refuses a second gift with the same claim code or for the same order', async () => {
    const buyer = await createUser(app);
    const course = await paidCourse();
    const { orderId } = await buy(buyer, { course: course.documentId, giftEmail: 'unique@example.test' });
    const gift = (await app.strapi.db.query(GIFT_UID).findOne({ where: { orderDocumentId: orderId } })) as { code: string } | null;
    assert.ok(gift, 'the paid gift order issued its gift');
    const row = { state: 'pending', recipientEmail: 'other@example.test', courseDocumentIds: [course.documentId], itemTitle: 'copy' };
    const before = await app.strapi.db.query(GIFT_UID).count({});
    await assert.rejects(app.strapi.db.query(GIFT_UID).create({ data: { ...row, code: gift.code, orderDocumentId: `other-${orderId}` } }), /unique|UNIQUE|duplicate/i);
    await assert.rejects(app.strapi.db.query(GIFT_UID).create({ data: { ...row, code: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ', orderDocumentId: orderId } }), /unique|UNIQUE|duplicate/i);
    assert.equal(await app.strapi.db.query(GIFT_UID).count({}), before, 'no row written');
  });

  test('a gift of a bundle refunded before the claim: canceled, the claim refused, nobody has access', async () => {
    const buyer = await createUser(app);
    const friend = await createUser(app);
    const [a, b] = [await paidCourse(), await paidCourse()];
    await purchase(buyer, a);
    // The buyer owns one course of it: as a gift it is still for sale.
    const { orderId, session } = await buy(buyer, { bundle: await createBundle([a, b]), giftEmail: 'later@example.test' });
    const code = (await app.http().get(`/api/checkout/orders/${orderId}`).set('Authorization', buyer.auth)).body.data.gift.code as string;
    assert.deepEqual(await courseIds(buyer), [a.documentId], 'the buyer gains nothing from the gift');
    await deliver(stripeEvent('charge.refunded', chargeFor(session, 4900)));
    const res = await claim(friend, code);
    assert.equal(res.status, 409);
    assert.match(res.body.error.message, /refunded and can no longer be claimed/);
    assert.deepEqual(await myEntitlements(app, friend), []);
    assert.deepEqual(await courseIds(buyer), [a.documentId], "the buyer's own purchase is untouched");
  });
});

describe('webhook security: unverified input is refused and writes nothing', () => {
  test('forged, missing, wrong-secret, tampered, stale and malformed deliveries → 400, zero rows changed', async () => {
    const user = await createUser(app);
    const course = await paidCourse();
    const started = await startCheckout(app, user, { course: course.documentId });
    const session = fake.paySession(started.sessionId);
    const event = completed(session);
    const payload = JSON.stringify(event);
    const before = await counts(app);
    const old = Math.floor(Date.now() / 1000) - 3600;
    const cases: Array<[string, () => PromiseLike<request.Response>, string]> = [
      ['missing signature', () => deliver(event, { header: null }), 'missing-signature'],
      ['forged signature', () => deliver(event, { header: `t=${Math.floor(Date.now() / 1000)},v1=${'ab'.repeat(32)}` }), 'bad-signature'],
      ['signed with another secret', () => deliver(event, { secret: newWebhookSecret() }), 'bad-signature'],
      ['payload changed after signing', () => deliver(payload.replace('"paid"', '"unpaid"'), { header: signatureHeader(payload, SECRET) }), 'bad-signature'],
      ['replayed an hour later (timestamp outside tolerance)', () => deliver(payload, { header: signatureHeader(payload, SECRET, old) }), 'bad-signature'],
      ['garbage header', () => deliver(event, { header: 'hello' }), 'bad-signature'],
      ['signed but not an event', () => deliver(JSON.stringify({ hello: 'world' })), 'malformed-event'],
      ['signed event of an unexpected shape', () => deliver(stripeEvent('checkout.session.completed', { id: 'cs_x', object: 'checkout.session' })), 'malformed-event'],
    ];
    for (const [name, send, reason] of cases) {
      const res = await send();
      assert.equal(res.status, 400, `${name}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.details.reason, reason, name);
    }
    // Malformed JSON (even correctly signed) never reaches the handler.
    const broken = '{"id": "evt_broken", "object": "event",';
    const res = await deliver(broken, { header: signatureHeader(broken, SECRET) });
    assert.equal(res.status, 400);
    assert.deepEqual(await counts(app), before);
    assert.equal((await orderRow(app, started.orderId)).state, 'pending');
    // The genuine delivery still works afterwards.
    assert.equal((await deliver(event)).status, 200);
    assert.equal((await orderRow(app, started.orderId)).state, 'paid');
  });
});

describe('idempotency and ordering', () => {
  test('the same event delivered 50 times concurrently: one transition, one entitlement, one stored event', async () => {
    const user = await createUser(app);
    const course = await paidCourse();
    const started = await startCheckout(app, user, { course: course.documentId });
    const event = completed(fake.paySession(started.sessionId));
    const before = await counts(app);
    const results = await Promise.all(Array.from({ length: 50 }, () => deliver(event)));
    for (const r of results) assertDocumented('POST', '/api/checkout/webhook', r);
    assert.equal(results.filter((r) => r.body.duplicate === false).length, 1, 'exactly one delivery applied the event');
    const afterCounts = await counts(app);
    assert.equal(afterCounts.events - before.events, 1);
    assert.equal(afterCounts.paid - before.paid, 1);
    assert.equal(afterCounts.entitlements - before.entitlements, 1);
    assert.equal(await app.strapi.db.query(WEBHOOK_EVENT_UID).count({ where: { eventId: event.id } }), 1);
    assert.equal(await app.strapi.db.query(ENTITLEMENT_UID).count({ where: { userRef: user.id } }), 1);
    // And a redelivery later is answered as a duplicate.
    const later = await deliver(event);
    assert.deepEqual([later.status, later.body.duplicate], [200, true]);
  });

  test('unknown event types are acknowledged and recorded as ignored', async () => {
    const event = stripeEvent('payout.paid', { id: 'po_1', object: 'payout' });
    const res = await deliver(event);
    assert.deepEqual([res.status, await outcomeOf(event.id)], [200, 'ignored']);
  });

  test('a refund that overtakes the payment event: the order ends refunded, access never granted', async () => {
    const user = await createUser(app);
    const course = await paidCourse();
    const started = await startCheckout(app, user, { course: course.documentId });
    const session = fake.paySession(started.sessionId);
    const t0 = Math.floor(Date.now() / 1000);
    assert.equal((await deliver(stripeEvent('charge.refunded', chargeFor(session, 1999), { created: t0 + 30 }))).status, 200);
    assert.equal((await deliver(completed(session, { created: t0 }))).status, 200);
    assert.equal((await orderRow(app, started.orderId)).state, 'refunded');
    assert.deepEqual(await myEntitlements(app, user), []);
  });

  test('disputes: lost revokes even when "closed" arrives before "created"; won keeps access', async () => {
    const user = await createUser(app);
    const [lostCourse, wonCourse] = [await paidCourse(), await paidCourse()];
    const lost = await purchase(user, lostCourse);
    const won = await purchase(user, wonCourse);
    const dispute = (session: StripeObject, status: string) => ({ id: `dp_${String(session.id)}`, object: 'dispute', amount: 1999, charge: `ch_for_${String(session.payment_intent)}`, payment_intent: session.payment_intent, status, reason: 'fraudulent' });
    const t0 = Math.floor(Date.now() / 1000);
    assert.equal((await deliver(stripeEvent('charge.dispute.closed', dispute(lost.session, 'lost'), { created: t0 + 50 }))).status, 200);
    assert.equal((await deliver(stripeEvent('charge.dispute.created', dispute(lost.session, 'needs_response'), { created: t0 }))).status, 200);
    const lostOrder = await orderRow(app, lost.orderId);
    assert.deepEqual([lostOrder.state, lostOrder.disputeStatus], ['disputed', 'lost']);

    assert.equal((await deliver(stripeEvent('charge.dispute.created', dispute(won.session, 'needs_response'), { created: t0 }))).status, 200);
    assert.deepEqual([(await orderRow(app, won.orderId)).state], ['disputed']);
    assert.equal((await readChapter(app, user, wonCourse.chapters[1]!.documentId)).locked, false, 'access is kept while the bank decides');
    assert.equal((await deliver(stripeEvent('charge.dispute.closed', dispute(won.session, 'won'), { created: t0 + 50 }))).status, 200);
    assert.equal((await orderRow(app, won.orderId)).state, 'paid');

    const mine = await myEntitlements(app, user);
    assert.deepEqual(mine.map((e) => e.course?.documentId), [wonCourse.documentId]);
  });

  test('subscription events in any order: updated before completed, an older event after deleted', async () => {
    const user = await createUser(app);
    const plan = await createPlan(app);
    const started = await startCheckout(app, user, { plan: plan.documentId });
    const session = fake.paySession(started.sessionId);
    const subId = String(session.subscription);
    const t0 = Math.floor(Date.now() / 1000);
    const snapshot = () => JSON.parse(JSON.stringify(fake.subscriptions.get(subId))) as StripeObject;

    const activeSnap = snapshot();
    // customer.subscription.updated arrives first: the row and the entitlement come from its metadata.
    assert.equal((await deliver(stripeEvent('customer.subscription.updated', activeSnap, { created: t0 + 2 }))).status, 200);
    assert.equal((await myEntitlements(app, user))[0]?.plan?.documentId, plan.documentId);
    // Then the session completes.
    assert.equal((await deliver(completed(session, { created: t0 + 1 }))).status, 200);
    assert.equal((await orderRow(app, started.orderId)).state, 'paid');

    // Deleted, then a late, older "updated(active)" and "created(incomplete)": state stays canceled.
    const canceled = fake.updateSubscription(subId, { status: 'canceled' });
    assert.equal((await deliver(stripeEvent('customer.subscription.deleted', canceled, { created: t0 + 100 }))).status, 200);
    const late = stripeEvent('customer.subscription.updated', activeSnap, { created: t0 + 3 });
    const lateUpdate = await deliver(late);
    assert.deepEqual([lateUpdate.status, await outcomeOf(late.id)], [200, 'subscription-unchanged']);
    assert.equal((await deliver(stripeEvent('customer.subscription.created', { ...activeSnap, status: 'incomplete' }, { created: t0 }))).status, 200);
    const row = (await app.strapi.db.query(SUBSCRIPTION_UID).findOne({ where: { stripeSubscriptionId: subId } })) as { status: string; stripeUpdatedAt: string };
    assert.equal(row.status, 'canceled');
    assert.equal(Number(row.stripeUpdatedAt), t0 + 100);
    assert.deepEqual(await myEntitlements(app, user), []);
    assert.equal(await app.strapi.db.query(SUBSCRIPTION_UID).count({ where: { stripeSubscriptionId: subId } }), 1);
  });

  test('the first events of a new subscription, concurrently: one subscription row, one entitlement', async () => {
    const user = await createUser(app);
    const plan = await createPlan(app);
    const started = await startCheckout(app, user, { plan: plan.documentId });
    const session = fake.paySession(started.sessionId);
    const subId = String(session.subscription);
    const sub = fake.subscriptions.get(subId)!;
    const t0 = Math.floor(Date.now() / 1000);
    const invoice = { id: `in_${subId}`, object: 'invoice', customer: session.customer, parent: { type: 'subscription_details', subscription_details: { subscription: subId } } };
    const events = [
      completed(session, { created: t0 }),
      stripeEvent('customer.subscription.created', sub, { created: t0 }),
      stripeEvent('invoice.paid', invoice, { created: t0 }),
      stripeEvent('customer.subscription.updated', sub, { created: t0 }),
    ];
    const results = await Promise.all(events.flatMap((e) => [deliver(e), deliver(e)]));
    assert.deepEqual([...new Set(results.map((r) => r.status))], [200], JSON.stringify(results.map((r) => r.body)));
    assert.equal(await app.strapi.db.query(SUBSCRIPTION_UID).count({ where: { stripeSubscriptionId: subId } }), 1);
    assert.equal(await app.strapi.db.query(ENTITLEMENT_UID).count({ where: { userRef: user.id } }), 1);
    assert.equal((await myEntitlements(app, user))[0]?.status, 'active');
  });
});

describe('documented routes: schemas and examples', () => {
  test('every route is documented; each example answers its status, with the documented body or a refusal it lists', async () => {
    assert.deepEqual(documented.map((d) => `${d.type} ${d.spec.method} ${d.fullPath}`).sort(), [
      'admin GET /checkout/coupons',
      'admin GET /checkout/events',
      'admin GET /checkout/orders',
      'admin GET /checkout/orders/export',
      'admin POST /checkout/events/:eventId/retry',
      'admin POST /checkout/orders/:id/refund',
      'content-api GET /api/checkout/bundles',
      'content-api GET /api/checkout/health',
      'content-api GET /api/checkout/orders',
      'content-api GET /api/checkout/orders/:id',
      'content-api POST /api/checkout/gifts/claim',
      'content-api POST /api/checkout/portal',
      'content-api POST /api/checkout/promotion-codes/validate',
      'content-api POST /api/checkout/sessions',
      'content-api POST /api/checkout/webhook',
    ]);
    // The world the examples are written for: a learner who holds $course and has started one
    // checkout ($order), and $course's instructor.
    const learner = await createUser(app);
    const instructor = await createInstructor(app);
    const course = await paidCourse({ instructor: instructor.instructorDocumentId });
    await grantCourse(app, learner.id, course.documentId);
    const started = await startCheckout(app, learner, { course: (await paidCourse()).documentId });
    const tokens: Record<string, string> = {
      $course: course.documentId,
      $freeCourse: (await createCourse(app, { access: 'free', chapters: 1, instructor: instructor.instructorDocumentId })).documentId,
      $plan: (await createPlan(app, { courses: [course.documentId] })).documentId,
      $order: started.orderId,
    };
    const resolve = (value: unknown): unknown => {
      if (typeof value === 'string') return tokens[value] ?? value;
      if (Array.isArray(value)) return value.map(resolve);
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
      return value;
    };
    const auth = { anonymous: null, learner: learner.auth, instructor: instructor.auth } as const;

    for (const { spec, fullPath } of documented) {
      const label = `${spec.method} ${fullPath}`;
      assert.ok(spec.summary, `${label} has a summary`);
      assert.ok(spec.examples?.length, `${label} has examples`);
      for (const example of spec.examples ?? []) {
        const path = fullPath.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(String(resolve(example.params?.[name]))));
        const method = spec.method.toLowerCase() as 'get' | 'post';
        let req = app.http()[method](path);
        if (example.query) req = req.query(resolve(example.query) as Record<string, string>);
        const authorization = auth[example.as ?? 'anonymous'];
        if (authorization) req = req.set('Authorization', authorization);
        const res = example.body === undefined ? await req : await req.send(resolve(example.body) as object);
        const what = `${label} "${example.name}": ${res.status} ${JSON.stringify(res.body)}`;
        assert.equal(res.status, example.status, what);
        if (res.status < 400) {
          assertDocumented(spec.method, fullPath, res);
        } else {
          assert.ok(spec.errors?.[res.status as keyof NonNullable<typeof spec.errors>], `${what}: the route does not list this refusal`);
          assert.equal(kernel.errorResponseSchema.safeParse(res.body).success, true, `${what}: not the error envelope`);
        }
      }
    }
  });

  test('the route validation refuses what the handlers never see: a malformed order id, unknown or out-of-range query parameters', async () => {
    const learner = await createUser(app);
    const malformed = await app.http().get('/api/checkout/orders/a%20b').set('Authorization', learner.auth);
    assert.equal(malformed.status, 400);
    assert.match(malformed.body.error.message, /^Invalid path parameters: id: /);
    const filtered = await app.http().get('/api/checkout/orders?filters[user][id]=1').set('Authorization', learner.auth);
    assert.equal(filtered.status, 400);
    assert.match(filtered.body.error.message, /^Invalid query: /);
    const tooMany = await app.http().get('/api/checkout/orders?pageSize=500').set('Authorization', learner.auth);
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.body.error.message, /pageSize: must be at most 100/);
    const admin = await createAdmin(app);
    const badStatus = await app.http().get('/checkout/orders?status=lost').set('Authorization', admin.auth);
    assert.equal(badStatus.status, 400);
    assert.match(badStatus.body.error.message, /^Invalid query: status: /);
  });
});

describe('two Strapi instances on one PostgreSQL database', { skip: process.env.TEST_DB !== 'postgres' && 'PostgreSQL only' }, () => {
  test('the same event posted 50 times concurrently to both instances has one effect', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const second = await startChildInstance({ ...database.env, ...stripeEnv(fake, SECRET) }, port);
    try {
      const user = await createUser(app);
      const course = await paidCourse();
      const started = await startCheckout(app, user, { course: course.documentId });
      const event = completed(fake.paySession(started.sessionId));
      const payload = JSON.stringify(event);
      const before = await counts(app);
      const toSecond = () =>
        request(second.url).post('/api/checkout/webhook').set('content-type', 'application/json').set('stripe-signature', signatureHeader(payload, SECRET)).send(payload);
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? postWebhook(app, payload, { secret: SECRET }) : toSecond())));
      assert.deepEqual([...new Set(results.map((r) => r.status))], [200], JSON.stringify(results.map((r) => r.body)));
      assert.equal(results.filter((r) => r.body.duplicate === false).length, 1);
      // Applied by whichever instance's worker claimed it first.
      await drainWebhooks(app);
      const afterCounts = await counts(app);
      assert.deepEqual(
        [afterCounts.events - before.events, afterCounts.paid - before.paid, afterCounts.entitlements - before.entitlements],
        [1, 1, 1]
      );
      assert.equal((await readChapter(app, user, course.chapters[1]!.documentId)).locked, false);
    } finally {
      await second.stop();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Prices from the platform, plans of any period, trials, coupons (issue 17 items 1–3)

const PLAN = 'api::plan.plan';
const COUPON_UID = 'plugin::checkout.coupon';

/** An editor changes a plan in the admin panel (the Document Service, as the Content Manager does). */
async function editPlan(documentId: string, data: Record<string, unknown>): Promise<void> {
  await app.strapi.documents(PLAN).update({ documentId, locale: 'en', data: data as never });
}

/** The Prices Stripe holds for a product, as [amount, active]. */
function stripePrices(productId: string): Array<[number, boolean]> {
  return [...fake.state.store('prices').values()].filter((p) => p.product === productId).map((p) => [Number(p.unit_amount), Boolean(p.active)]);
}

/** Pays a plan's session and delivers checkout.session.completed; returns the subscription id. */
async function subscribe(user: TestUser, planDocumentId: string): Promise<{ subId: string; session: StripeObject; orderId: string }> {
  const started = await startCheckout(app, user, { plan: planDocumentId });
  const session = fake.paySession(started.sessionId);
  const res = await deliver(completed(session));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { subId: String(session.subscription), session, orderId: started.orderId };
}

function itemPeriodEnd(subId: string): number {
  return (fake.subscriptions.get(subId)!.items as { data: Array<{ current_period_end: number }> }).data[0]!.current_period_end;
}

function setItemPeriodEnd(subId: string, end: number): void {
  (fake.subscriptions.get(subId)!.items as { data: Array<{ current_period_end: number }> }).data[0]!.current_period_end = end;
}

const invoiceFor = (subId: string, customer: unknown, n: number) => ({
  id: `in_${n}_${subId}`,
  object: 'invoice',
  customer,
  status: 'paid',
  parent: { type: 'subscription_details', subscription_details: { subscription: subId } },
});

describe('prices from the platform: Stripe Products and Prices created and rotated', () => {
  test('a plan’s Price is created on save; a new amount rotates it (one active Price), existing subscribers keep theirs; back to an old amount reactivates it', async () => {
    const plan = await createPlan(app, { price: 900 });
    const first = await catalogueRow(app, 'plan', plan.documentId);
    assert.equal(first?.syncState, 'synced', JSON.stringify(first));
    const productId = first!.stripeProductId!;
    const p1 = first!.stripePriceId!;
    const created = fake.state.store('prices').get(p1)!;
    assert.deepEqual([created.unit_amount, created.currency, created.recurring], [900, 'usd', { interval: 'month', interval_count: 1 }]);

    const early = await createUser(app);
    const { subId, session } = await subscribe(early, plan.documentId);
    assert.equal(fake.subscriptions.get(subId)!.items && (fake.subscriptions.get(subId)!.items as { data: Array<{ price: { id: string } }> }).data[0]!.price.id, p1);

    // The editor raises the price: a new Price, the old one archived, never two active.
    let from = fake.requests.length;
    await editPlan(plan.documentId, { price: 1200 });
    const second = await catalogueRow(app, 'plan', plan.documentId);
    const p2 = second!.stripePriceId!;
    assert.notEqual(p2, p1);
    assert.deepEqual(stripePrices(productId), [[900, false], [1200, true]]);
    assert.equal(fake.calls('POST', `/prices/${p1}`, from)[0]?.form.active, 'false');
    // What REST shows is what is charged.
    const shown = await app.http().get(`/api/plans/${plan.documentId}?locale=en`);
    assert.equal(shown.status, 200, JSON.stringify(shown.body));
    assert.equal(shown.body.data.price, 1200);
    assert.equal(shown.body.data.stripePriceId, undefined, 'no Stripe id in the public API');

    const late = await createUser(app);
    from = fake.requests.length;
    await startCheckout(app, late, { plan: plan.documentId });
    assert.deepEqual(fake.calls('POST', '/checkout/sessions', from)[0]!.form.line_items, [{ price: p2, quantity: '1' }]);
    assert.equal(fake.calls('POST', '/prices', from).length, 0, 'the catalogue is in step: no Price created at checkout');

    // The early subscriber renews at the archived Price: still the plan, access extended.
    const renewed = itemPeriodEnd(subId) + 30 * 86400;
    setItemPeriodEnd(subId, renewed);
    assert.equal((await deliver(stripeEvent('invoice.paid', invoiceFor(subId, session.customer, 2), { created: Math.floor(Date.now() / 1000) + 5 }))).status, 200);
    const mine = await myEntitlements(app, early);
    assert.deepEqual(mine.map((e) => [e.plan?.documentId, e.status, e.validUntil]), [[plan.documentId, 'active', new Date(renewed * 1000).toISOString()]]);
    const row = (await app.strapi.db.query(SUBSCRIPTION_UID).findOne({ where: { stripeSubscriptionId: subId }, populate: ['plan'] })) as { plan: { documentId: string } | null };
    assert.equal(row.plan?.documentId, plan.documentId);

    // A save that does not change the price creates nothing; going back to 900 reactivates P1.
    from = fake.requests.length;
    await editPlan(plan.documentId, { description: 'Now with more courses' });
    assert.equal(fake.calls('POST', '/prices', from).length, 0);
    await editPlan(plan.documentId, { price: 900 });
    assert.equal(fake.calls('POST', '/prices', from).length, 0, 'no twin of an archived Price');
    assert.equal((await catalogueRow(app, 'plan', plan.documentId))!.stripePriceId, p1);
    assert.deepEqual(stripePrices(productId), [[900, true], [1200, false]]);
    assert.equal(await app.strapi.db.query(STRIPE_PRICE_UID as never).count({ where: { itemKey: `plan:${plan.documentId}` } }), 2);
  });

  test('a course’s price follows its published version; concurrent checkouts after a change create one Price', async () => {
    const course = await paidCourse({ price: 2500 });
    const p1 = await activePriceId(app, 'course', course.documentId);
    assert.equal(fake.state.store('prices').get(p1)!.recurring, null, 'a one-time Price');
    // Changed without going through the save hook (e.g. a script writing rows): checkout repairs it lazily.
    await app.strapi.db.query(COURSE_UID_FOR_TEST).updateMany({ where: { documentId: course.documentId }, data: { price: 2700 } });
    const from = fake.requests.length;
    const [a, b] = [await createUser(app), await createUser(app)];
    await Promise.all([startCheckout(app, a, { course: course.documentId }), startCheckout(app, b, { course: course.documentId })]);
    const p2 = await activePriceId(app, 'course', course.documentId);
    assert.notEqual(p2, p1);
    const sessions = fake.calls('POST', '/checkout/sessions', from);
    assert.deepEqual(sessions.map((c) => (c.form.line_items as Array<{ price: string }>)[0]!.price), [p2, p2]);
    const product = (await catalogueRow(app, 'course', course.documentId))!.stripeProductId!;
    assert.deepEqual(stripePrices(product).filter(([, active]) => active), [[2700, true]], 'one active Price');
  });

  test('Stripe unreachable when the editor saves: the catalogue row says so, the save succeeds, the checkout repairs it', async () => {
    fake.failNext('POST', '/products', 500, { type: 'api_error', message: 'Stripe is down' });
    const plan = await createPlan(app, { price: 1500 });
    const row = await catalogueRow(app, 'plan', plan.documentId);
    assert.equal(row?.syncState, 'error');
    assert.match(row!.syncError ?? '', /could not be reached/);
    const user = await createUser(app);
    await startCheckout(app, user, { plan: plan.documentId });
    assert.equal((await catalogueRow(app, 'plan', plan.documentId))?.syncState, 'synced');
  });
});

const COURSE_UID_FOR_TEST = 'api::course.course';

describe('plans of any period, and free trials', () => {
  test('a quarterly plan: Stripe is asked for interval=month, interval_count=3; a renewal three months later extends access', async () => {
    const user = await createUser(app);
    const course = await paidCourse();
    const from = fake.requests.length;
    const plan = await createPlan(app, { interval: 'quarter', price: 2400, courses: [course.documentId] });
    const [priceCall] = fake.calls('POST', '/prices', from);
    assert.deepEqual(priceCall!.form.recurring, { interval: 'month', interval_count: '3' });
    assert.equal(priceCall!.form.unit_amount, '2400');

    const t0 = Math.floor(Date.now() / 1000);
    const { subId, session } = await subscribe(user, plan.documentId);
    const end1 = itemPeriodEnd(subId);
    assert.ok(end1 - t0 >= 89 * 86400 && end1 - t0 <= 92 * 86400, `a quarter: ${(end1 - t0) / 86400} days`);
    assert.equal((await myEntitlements(app, user))[0]?.validUntil, new Date(end1 * 1000).toISOString());

    // Three months later Stripe renews: the next quarter.
    const d = new Date(end1 * 1000);
    d.setUTCMonth(d.getUTCMonth() + 3);
    const end2 = Math.floor(d.getTime() / 1000);
    setItemPeriodEnd(subId, end2);
    assert.equal((await deliver(stripeEvent('invoice.paid', invoiceFor(subId, session.customer, 2), { created: t0 + 10 }))).status, 200);
    assert.deepEqual((await myEntitlements(app, user)).map((e) => [e.status, e.validUntil]), [['active', new Date(end2 * 1000).toISOString()]]);
    assert.equal((await readChapter(app, user, course.chapters[2]!.documentId)).locked, false);
  });

  test('a trial opens the plan while trialing (trial_will_end handled), then converts; another trial ends unpaid; no second trial', async () => {
    const course = await paidCourse();
    const chapter = course.chapters[2]!;
    const plan = await createPlan(app, { courses: [course.documentId], trialDays: 14 });
    const t0 = Math.floor(Date.now() / 1000);

    const converts = await createUser(app);
    let from = fake.requests.length;
    const a = await subscribe(converts, plan.documentId);
    const [sessionCall] = fake.calls('POST', '/checkout/sessions', from);
    assert.equal((sessionCall!.form.subscription_data as { trial_period_days?: string }).trial_period_days, '14');
    const sub = fake.subscriptions.get(a.subId)!;
    assert.equal(sub.status, 'trialing');
    const row = (await app.strapi.db.query(SUBSCRIPTION_UID).findOne({ where: { stripeSubscriptionId: a.subId } })) as { status: string };
    assert.equal(row.status, 'trialing');
    assert.equal((await readChapter(app, converts, chapter.documentId)).body, chapter.body, 'access during the trial');
    assert.equal((await myEntitlements(app, converts))[0]?.validUntil, new Date(Number(sub.trial_end) * 1000).toISOString());

    // Three days before the end Stripe warns: recorded, access unchanged.
    const warning = stripeEvent('customer.subscription.trial_will_end', sub, { created: t0 + 5 });
    const warned = await deliver(warning);
    assert.equal(warned.status, 200);
    assert.equal(await outcomeOf(warning.id), 'trial-will-end');
    assert.equal((await readChapter(app, converts, chapter.documentId)).locked, false);

    // The trial converts: active, a paid month.
    const paidUntil = Number(sub.trial_end) + 30 * 86400;
    setItemPeriodEnd(a.subId, paidUntil);
    const active = fake.updateSubscription(a.subId, { status: 'active' });
    assert.equal((await deliver(stripeEvent('customer.subscription.updated', active, { created: t0 + 10 }))).status, 200);
    assert.deepEqual((await myEntitlements(app, converts)).map((e) => [e.status, e.validUntil]), [['active', new Date(paidUntil * 1000).toISOString()]]);

    // Another learner's trial ends without a payment method: canceled, access gone.
    const leaves = await createUser(app);
    const b = await subscribe(leaves, plan.documentId);
    assert.equal((await readChapter(app, leaves, chapter.documentId)).locked, false);
    const ended = fake.updateSubscription(b.subId, { status: 'canceled', ended_at: t0 + 20 });
    assert.equal((await deliver(stripeEvent('customer.subscription.deleted', ended, { created: t0 + 20 }))).status, 200);
    assert.deepEqual(await readChapter(app, leaves, chapter.documentId), { locked: true, body: null });
    assert.deepEqual(await myEntitlements(app, leaves), []);

    // Coming back: no second free trial.
    from = fake.requests.length;
    await startCheckout(app, leaves, { plan: plan.documentId });
    const [again] = fake.calls('POST', '/checkout/sessions', from);
    assert.equal((again!.form.subscription_data as { trial_period_days?: string }).trial_period_days, undefined);
  });
});

describe('coupons and promotion codes', () => {
  test('a coupon restricted to one course: created in Stripe, validated and applied there, refused on another, listed with its redemptions', async () => {
    const admin = await createAdmin(app);
    const [a, b] = [await paidCourse({ price: 2000 }), await paidCourse({ price: 2000 })];
    const coupon = await app.strapi.documents(COUPON_UID as never).create({
      data: { name: 'Spring', code: 'spring-25', percentOff: 25, duration: 'once', courses: [a.documentId], active: true } as never,
    });
    const row = (await app.strapi.db.query(COUPON_UID as never).findOne({ where: { documentId: (coupon as unknown as { documentId: string }).documentId } })) as {
      code: string;
      syncState: string;
      stripeCouponId: string;
      stripePromotionCodeId: string;
    };
    assert.equal(row.code, 'SPRING-25');
    assert.equal(row.syncState, 'synced');
    const stripeCoupon = fake.state.store('coupons').get(row.stripeCouponId)!;
    assert.deepEqual([stripeCoupon.percent_off, stripeCoupon.duration, stripeCoupon.applies_to], [25, 'once', { products: [(await catalogueRow(app, 'course', a.documentId))!.stripeProductId] }]);
    assert.equal(fake.state.store('promotion_codes').get(row.stripePromotionCodeId)!.code, 'SPRING-25');

    const user = await createUser(app);
    const validate = (body: Record<string, unknown>) => app.http().post('/api/checkout/promotion-codes/validate').set('Authorization', user.auth).send(body);
    const ok = await validate({ code: 'Spring-25', course: a.documentId });
    assertDocumented('POST', '/api/checkout/promotion-codes/validate', ok);
    assert.deepEqual(ok.body.data, { code: 'SPRING-25', amount: 2000, discount: 500, total: 1500, currency: 'usd', display: { amount: '20.00 USD', discount: '5.00 USD', total: '15.00 USD' }, duration: 'once', durationInMonths: null });

    const refusals: Array<[string, Record<string, unknown>, number, RegExp]> = [
      ['another course', { code: 'SPRING-25', course: b.documentId }, 409, /not valid for this item/],
      ['an unknown code', { code: 'NOPE-99', course: a.documentId }, 404, /No such promotion code/],
      ['a malformed code', { code: 'no spaces', course: a.documentId }, 400, /^Invalid body: code: /],
      ['both course and plan', { code: 'SPRING-25', course: a.documentId, plan: a.documentId }, 400, /exactly one of "course" or "plan"/],
      ['a course not for sale', { code: 'SPRING-25', course: 'nosuchcourse00' }, 404, /No published course/],
    ];
    for (const [name, body, status, match] of refusals) {
      const res = await validate(body);
      assert.equal(res.status, status, `${name}: ${JSON.stringify(res.body)}`);
      assert.match(res.body.error.message, match, name);
    }
    assert.equal((await validate({ code: 'SPRING-25', course: b.documentId })).body.error.details.reason, 'not-applicable');

    // Checkout with the code on the other course: refused before Stripe, nothing written.
    const before = await counts(app);
    let from = fake.requests.length;
    const refused = await app.http().post('/api/checkout/sessions').set('Authorization', user.auth).send({ course: b.documentId, ...RETURN, promotionCode: 'SPRING-25' });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(fake.calls('POST', '/checkout/sessions', from).length, 0);
    assert.deepEqual(await counts(app), before);

    // On its course: applied as discounts[0][promotion_code], without the code field.
    from = fake.requests.length;
    const started = await startCheckout(app, user, { course: a.documentId }, { promotionCode: 'spring-25' });
    const [call] = fake.calls('POST', '/checkout/sessions', from);
    assert.deepEqual(call!.form.discounts, [{ promotion_code: row.stripePromotionCodeId }]);
    assert.equal(call!.form.allow_promotion_codes, undefined);
    const order = (await app.strapi.db.query(ORDER_UID).findOne({ where: { documentId: started.orderId } })) as { promotionCode: string | null };
    assert.equal(order.promotionCode, 'SPRING-25');
    const paid = fake.paySession(started.sessionId, { amountTotal: 1500 });
    fake.state.store('promotion_codes').get(row.stripePromotionCodeId)!.times_redeemed = 1;
    assert.equal((await deliver(completed(paid))).status, 200);

    const listed = await app.http().get('/checkout/coupons').set('Authorization', admin.auth);
    assertDocumented('GET', '/checkout/coupons', listed);
    const mine = (listed.body.results as Array<{ code: string; timesRedeemed: number; paidOrders: number; courses: string[]; syncState: string }>).find((c) => c.code === 'SPRING-25');
    assert.deepEqual([mine?.timesRedeemed, mine?.paidOrders, mine?.courses, mine?.syncState], [1, 1, [a.documentId], 'synced']);
    assert.equal((await app.http().get('/checkout/coupons')).status, 401);
  });

  test('limits and expiry: a used-up or expired code is a 409 naming why; a code switched off in the admin panel stops at Stripe too', async () => {
    const course = await paidCourse({ price: 3000 });
    const coupon = (await app.strapi.documents(COUPON_UID as never).create({
      data: { name: 'Five off', code: 'FIVE-OFF', amountOff: 500, currency: 'usd', duration: 'once', maxRedemptions: 1, expiresAt: new Date(Date.now() + 86400_000).toISOString(), active: true } as never,
    })) as unknown as { documentId: string };
    const row = (await app.strapi.db.query(COUPON_UID as never).findOne({ where: { documentId: coupon.documentId } })) as { id: number; stripePromotionCodeId: string };
    const user = await createUser(app);
    const validate = () => app.http().post('/api/checkout/promotion-codes/validate').set('Authorization', user.auth).send({ code: 'FIVE-OFF', course: course.documentId });
    assert.equal((await validate()).body.data.total, 2500);

    const promo = fake.state.store('promotion_codes').get(row.stripePromotionCodeId)!;
    promo.times_redeemed = 1;
    let res = await validate();
    assert.deepEqual([res.status, res.body.error.details.reason], [409, 'used-up']);
    promo.times_redeemed = 0;

    // Time passes (the expiry is in the past now).
    await app.strapi.db.query(COUPON_UID as never).update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    res = await validate();
    assert.deepEqual([res.status, res.body.error.details.reason], [409, 'expired']);
    await app.strapi.db.query(COUPON_UID as never).update({ where: { id: row.id }, data: { expiresAt: null } });

    await app.strapi.documents(COUPON_UID as never).update({ documentId: coupon.documentId, data: { active: false } as never });
    assert.equal(promo.active, false, 'switched off at Stripe');
    res = await validate();
    assert.deepEqual([res.status, res.body.error.details.reason], [409, 'inactive']);
  });

  test('bad coupons in the Content Manager are a 400 naming the field; terms Stripe fixes cannot change; Stripe ids cannot be typed', async () => {
    const admin = await createAdmin(app);
    const cm = `/content-manager/collection-types/${COUPON_UID}`;
    const bad: Array<[string, Record<string, unknown>, RegExp]> = [
      ['percent and amount', { name: 'X', code: 'BOTH-1', percentOff: 10, amountOff: 500, currency: 'usd', duration: 'once' }, /percentOff \/ amountOff: give exactly one/],
      ['amount without currency', { name: 'X', code: 'AMT-1', amountOff: 500, duration: 'once' }, /currency: required/],
      ['repeating without months', { name: 'X', code: 'REP-1', percentOff: 10, duration: 'repeating' }, /durationInMonths: required/],
      ['a code with spaces', { name: 'X', code: 'NO SPACES', percentOff: 10, duration: 'once' }, /code: /],
      ['an expiry in the past', { name: 'X', code: 'OLD-1', percentOff: 10, duration: 'once', expiresAt: '2020-01-01T00:00:00.000Z' }, /expiresAt: must be in the future/],
    ];
    const before = await app.strapi.db.query(COUPON_UID as never).count({});
    for (const [name, body, match] of bad) {
      const res = await app.http().post(cm).set('Authorization', admin.auth).send(body);
      assert.equal(res.status, 400, `${name}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.match(res.body.error.message, match, name);
    }
    assert.equal(await app.strapi.db.query(COUPON_UID as never).count({}), before, 'nothing written');

    const created = await app.http().post(cm).set('Authorization', admin.auth).send({ name: 'Ten', code: 'ten-percent', percentOff: 10, duration: 'forever', stripeCouponId: 'coup_typed_by_hand' });
    assert.ok(created.status === 200 || created.status === 201, JSON.stringify(created.body));
    const documentId = created.body.data.documentId as string;
    const row = (await app.strapi.db.query(COUPON_UID as never).findOne({ where: { documentId } })) as { stripeCouponId: string; code: string };
    assert.notEqual(row.stripeCouponId, 'coup_typed_by_hand');
    assert.ok(fake.state.store('coupons').has(row.stripeCouponId));
    const dup = await app.http().post(cm).set('Authorization', admin.auth).send({ name: 'Ten again', code: 'TEN-PERCENT', percentOff: 20, duration: 'once' });
    assert.equal(dup.status, 400);
    assert.match(dup.body.error.message, /already used/);

    const change = await app.http().put(`${cm}/${documentId}`).set('Authorization', admin.auth).send({ percentOff: 50 });
    assert.equal(change.status, 400, JSON.stringify(change.body));
    assert.match(change.body.error.message, /does not allow changing percentOff/);
    const rename = await app.http().put(`${cm}/${documentId}`).set('Authorization', admin.auth).send({ name: 'Ten percent' });
    assert.equal(rename.status, 200, JSON.stringify(rename.body));
  });
});

// ---------------------------------------------------------------------------------------------
// The webhook inbox

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > until) throw new Error(`timed out: ${what} (last: ${JSON.stringify(value)})`);
    await sleep(25);
  }
}

async function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
}

/** The log lines written while `fn` runs, as JSON objects (the app's logger, at info level). */
async function captureLogs<T>(fn: () => Promise<T>): Promise<{ result: T; lines: Array<Record<string, unknown>> }> {
  const { winston } = await import('@strapi/logger');
  const { Writable } = await import('node:stream');
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const transport = new winston.transports.Stream({ stream, level: 'info', format: winston.format.json() });
  const logger = app.strapi.log as unknown as { level: string; add(t: unknown): void; remove(t: unknown): void };
  const level = logger.level;
  logger.level = 'info';
  logger.add(transport);
  try {
    return { result: await fn(), lines };
  } finally {
    logger.remove(transport);
    logger.level = level;
  }
}

const metric = async (name: string, labels: Record<string, string> = {}): Promise<number> => {
  const found = (await kernel.metricsRegistry(app.strapi).getSingleMetric(name)?.get())?.values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x));
  return found?.value ?? 0;
};

describe('webhook inbox: stored at once, applied by the worker', () => {
  test('a delivery is answered before it is applied, stored as received; the worker applies it under the same request id', async () => {
    const user = await createUser(app);
    const course = await paidCourse();
    const started = await startCheckout(app, user, { course: course.documentId });
    const event = completed(fake.paySession(started.sessionId));
    const payload = JSON.stringify(event);
    const appliedBefore = await metric('kp_checkout_inbox_outcomes_total', { outcome: 'applied' });
    const { result: res, lines } = await captureLogs(async () => {
      const r = await postWebhook(app, payload, { secret: SECRET }).set('X-Request-Id', 'req-inbox-1');
      // The learner's return page polls the order: it turns paid without anyone draining the inbox.
      await eventually(async () => (await app.http().get(`/api/checkout/orders/${started.orderId}`).set('Authorization', user.auth)).body.data?.status, (s) => s === 'paid', 'the order paid by the worker', 10_000);
      await drainWebhooks(app);
      return r;
    });
    assertDocumented('POST', '/api/checkout/webhook', res);
    assert.deepEqual(res.body, { received: true, duplicate: false, eventId: event.id, state: 'pending' });
    assert.equal(res.headers['x-request-id'], 'req-inbox-1');
    const row = (await inboxRow(app, event.id))!;
    assert.equal(row.payload, payload, 'the raw bytes Stripe signed are stored');
    assert.deepEqual([row.state, row.attempts, row.outcome, row.requestId], ['done', 1, 'order-paid', 'req-inbox-1']);
    assert.equal(row.orderingKey, `payment_intent:${String(fake.sessions.get(started.sessionId)!.payment_intent)}`);
    assert.ok(row.processedAt);
    // Receipt and apply: two log lines, one request id.
    const mine = lines.filter((l) => l.eventId === event.id);
    assert.deepEqual(mine.map((l) => [l.phase, l.requestId]), [['received', 'req-inbox-1'], ['applied', 'req-inbox-1']]);
    assert.equal((await myEntitlements(app, user)).length, 1);
    assert.equal(await metric('kp_checkout_inbox_outcomes_total', { outcome: 'applied' }), appliedBefore + 1);
    // A redelivery after it is done: one insert that inserts nothing.
    const again = await deliver(event);
    assert.deepEqual(again.body, { received: true, duplicate: true, eventId: event.id });
    assert.equal((await inboxRow(app, event.id))!.attempts, 1);
  });

  test('50 concurrent identical deliveries: one stored event, one effect', async () => {
    const user = await createUser(app);
    const started = await startCheckout(app, user, { course: (await paidCourse()).documentId });
    const event = completed(fake.paySession(started.sessionId));
    const before = await counts(app);
    const results = await Promise.all(Array.from({ length: 50 }, () => postWebhook(app, event, { secret: SECRET })));
    assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
    assert.equal(results.filter((r) => r.body.duplicate === false).length, 1);
    await drainWebhooks(app);
    const after = await counts(app);
    assert.deepEqual([after.events - before.events, after.paid - before.paid, after.entitlements - before.entitlements], [1, 1, 1]);
  });

  test('events of one subscription are applied in Stripe’s order, whatever order they arrive in', async () => {
    const user = await createUser(app);
    const plan = await createPlan(app);
    const started = await startCheckout(app, user, { plan: plan.documentId });
    const session = fake.paySession(started.sessionId);
    const subId = String(session.subscription);
    const sub = JSON.parse(JSON.stringify(fake.subscriptions.get(subId))) as StripeObject;
    const t0 = Math.floor(Date.now() / 1000);
    const created = stripeEvent('customer.subscription.created', { ...sub, status: 'incomplete' }, { created: t0 });
    const updated = stripeEvent('customer.subscription.updated', { ...sub, status: 'active' }, { created: t0 + 5 });
    const deleted = stripeEvent('customer.subscription.deleted', { ...sub, status: 'canceled' }, { created: t0 + 9 });
    await inboxWorker(app).stop();
    try {
      // Newest first, as a retry storm could deliver them; nothing is applied while the worker is stopped.
      for (const e of [deleted, updated, created]) assert.equal((await postWebhook(app, e, { secret: SECRET })).status, 200);
      for (const e of [deleted, updated, created]) assert.equal((await inboxRow(app, e.id))!.state, 'pending');
      assert.equal(new Set(await Promise.all([deleted, updated, created].map(async (e) => (await inboxRow(app, e.id))!.orderingKey))).size, 1);
    } finally {
      inboxWorker(app).start();
    }
    await drainWebhooks(app);
    // Applied oldest first: each snapshot was newer than the stored one, so none was dropped as stale.
    assert.deepEqual(await Promise.all([created, updated, deleted].map((e) => outcomeOf(e.id))), ['subscription-incomplete', 'subscription-active', 'subscription-canceled']);
    const done = await Promise.all([created, updated, deleted].map(async (e) => new Date((await inboxRow(app, e.id))!.processedAt!).getTime()));
    assert.ok(done[0]! <= done[1]! && done[1]! <= done[2]!, `applied in order: ${done.join(', ')}`);
    assert.deepEqual(await myEntitlements(app, user), []);
  });

  test('a failing apply is retried with back-off, dead-lettered (health degraded), listed for editors, and retried from the admin panel', async () => {
    const admin = await createAdmin(app);
    const editor = await createAdmin(app, 'strapi-editor');
    const user = await createUser(app);
    const plan = await createPlan(app);
    const started = await startCheckout(app, user, { plan: plan.documentId });
    const session = fake.paySession(started.sessionId);
    const subId = String(session.subscription);
    const t0 = Math.floor(Date.now() / 1000);
    const paid = completed(session, { created: t0 });
    assert.equal((await deliver(paid)).status, 200);
    assert.equal((await myEntitlements(app, user))[0]?.status, 'active');

    // Stripe cannot find the subscription for a while: every attempt of invoice.paid fails.
    fake.updateSubscription(subId, { status: 'past_due' });
    fake.failNext('GET', `/subscriptions/${subId}`, 404, { type: 'invalid_request_error', message: `No such subscription: '${subId}'`, code: 'resource_missing' }, 3);
    const invoice = stripeEvent('invoice.paid', { id: `in_${subId}`, object: 'invoice', customer: session.customer, parent: { type: 'subscription_details', subscription_details: { subscription: subId } } }, { created: t0 + 10 });
    const deadBefore = await metric('kp_checkout_inbox_outcomes_total', { outcome: 'dead' });
    const retriedBefore = await metric('kp_checkout_inbox_outcomes_total', { outcome: 'retried' });
    assert.equal((await postWebhook(app, invoice, { secret: SECRET })).status, 200);
    // A later event of the same subscription waits behind it while it is retried.
    const later = stripeEvent('customer.subscription.updated', fake.subscriptions.get(subId)!, { created: t0 + 20 });
    assert.equal((await postWebhook(app, later, { secret: SECRET })).status, 200);
    const retrying = await eventually(() => inboxRow(app, invoice.id), (r) => (r?.attempts ?? 0) >= 1, 'a first failed attempt');
    assert.equal(retrying!.state === 'pending' || retrying!.state === 'dead', true);
    if (retrying!.state === 'pending') assert.equal((await inboxRow(app, later.id))!.state, 'pending', 'held back behind the failing event of its subscription');

    const dead = (await eventually(() => inboxRow(app, invoice.id), (r) => r?.state === 'dead', 'dead-lettered after 3 attempts'))!;
    assert.equal(dead.attempts, 3);
    assert.match(dead.lastError ?? '', /No such subscription/);
    assert.equal(await metric('kp_checkout_inbox_outcomes_total', { outcome: 'retried' }), retriedBefore + 2);
    assert.equal(await metric('kp_checkout_inbox_outcomes_total', { outcome: 'dead' }), deadBefore + 1);
    // A dead letter no longer holds its subscription back.
    await eventually(() => inboxRow(app, later.id), (r) => r?.state === 'done', 'the later event applied');
    assert.equal((await myEntitlements(app, user))[0]?.status, 'past_due');

    const health = await app.http().get('/api/checkout/health');
    assertDocumented('GET', '/api/checkout/health', health);
    assert.equal(health.body.status, 'degraded');
    assert.equal(health.body.inbox.dead, 1);
    assert.match(health.body.details.checks.find((c: { name: string }) => c.name === 'inbox').detail, /1 dead-lettered Stripe event/);
    assert.equal(await metric('kp_checkout_inbox_dead_letters'), 1);

    // The Webhook events tab: dead letters, with the error; editors without the permission cannot retry.
    const list = await app.http().get('/checkout/events?state=dead').set('Authorization', admin.auth);
    assertDocumented('GET', '/checkout/events', list);
    assert.deepEqual(list.body.results.map((e: { eventId: string }) => e.eventId), [invoice.id]);
    assert.deepEqual([list.body.results[0].attempts, list.body.results[0].orderingKey, list.body.inbox.dead], [3, `subscription:${subId}`, 1]);
    const search = await app.http().get(`/checkout/events?q=${encodeURIComponent(subId.toUpperCase())}`).set('Authorization', admin.auth);
    assert.deepEqual(new Set(search.body.results.map((e: { eventId: string }) => e.eventId)), new Set([paid.id, invoice.id, later.id]), 'by ordering key, any case: the subscription’s three events');
    assert.equal((await app.http().post(`/checkout/events/${invoice.id}/retry`).set('Authorization', editor.auth)).status, 403);
    assert.equal((await app.http().get('/checkout/events').set('Authorization', editor.auth)).status, 403);
    assert.equal((await app.http().get('/checkout/events?state=lost').set('Authorization', admin.auth)).status, 400);

    // Stripe answers again; the editor retries: applied once, health back to ok.
    const retry = await app.http().post(`/checkout/events/${invoice.id}/retry`).set('Authorization', admin.auth);
    assertDocumented('POST', '/checkout/events/:eventId/retry', retry);
    assert.deepEqual([retry.body.data.state, retry.body.data.attempts], ['pending', 0]);
    const applied = (await eventually(() => inboxRow(app, invoice.id), (r) => r?.state === 'done', 'the retried event applied'))!;
    // Applied after the later event of its subscription: its snapshot is older, so it changes nothing.
    assert.deepEqual([applied.outcome, applied.attempts, applied.lastError], ['subscription-unchanged', 1, null]);
    assert.equal((await myEntitlements(app, user))[0]?.status, 'past_due');
    const twice = await app.http().post(`/checkout/events/${invoice.id}/retry`).set('Authorization', admin.auth);
    assert.equal(twice.status, 409, 'a done event is never applied again');
    assert.match(twice.body.error.message, /done/);
    assert.equal((await app.http().post('/checkout/events/evt_nosuchevent/retry').set('Authorization', admin.auth)).status, 404);
    assert.equal((await app.http().post('/checkout/events/not-an-event/retry').set('Authorization', admin.auth)).status, 400);
    const healthy = await app.http().get('/api/checkout/health');
    assert.deepEqual([healthy.body.status, healthy.body.inbox.dead], ['ok', 0]);
  });

  test('the database unavailable: deliveries answer 5xx and store nothing; every acknowledged event is applied once', async () => {
    const user = await createUser(app);
    const orders: Array<{ orderId: string; event: StripeEventJson }> = [];
    for (let i = 0; i < 3; i++) {
      const started = await startCheckout(app, user, { course: (await paidCourse()).documentId });
      orders.push({ orderId: started.orderId, event: completed(fake.paySession(started.sessionId)) });
    }
    const before = await counts(app);
    let restore: () => Promise<void>;
    if (database.kind === 'postgres') {
      // No connection to the database at all: the pool's are terminated, new ones refused.
      const { Client } = await import('pg');
      const { adminDatabaseUrl } = await import('../support/db');
      const pgAdmin = new Client({ connectionString: adminDatabaseUrl() });
      await pgAdmin.connect();
      const name = new URL(database.env.DATABASE_URL!).pathname.slice(1);
      await pgAdmin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
      await pgAdmin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      restore = async () => {
        await pgAdmin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
        await pgAdmin.end();
      };
    } else {
      // Another process holds the SQLite file's write lock: every write times out (SQLITE_BUSY).
      const driver: string = 'better-sqlite3'; // the driver Strapi uses, without type declarations here
      const Sqlite = ((await import(driver)) as { default: new (file: string) => { exec(sql: string): void; close(): void } }).default;
      const holder = new Sqlite(database.env.DATABASE_FILENAME!);
      holder.exec('BEGIN EXCLUSIVE');
      restore = async () => {
        holder.exec('ROLLBACK');
        holder.close();
      };
    }
    let during: request.Response[];
    try {
      during = await Promise.all(orders.slice(0, database.kind === 'postgres' ? 3 : 1).map((o) => postWebhook(app, o.event, { secret: SECRET })));
    } finally {
      await restore();
    }
    for (const r of during) {
      assert.ok(r.status >= 500, `not acknowledged while the database is away: ${r.status} ${JSON.stringify(r.body)}`);
      assert.match(r.body.error.message, /could not be stored; Stripe will retry/);
    }
    // Stripe retries every delivery it did not see acknowledged.
    const results = await eventually(() => Promise.all(orders.map((o) => postWebhook(app, o.event, { secret: SECRET }))), (rs) => rs.every((r) => r.status === 200), 'the database back', 20_000);
    assert.ok(results.every((r) => r.status === 200));
    await drainWebhooks(app);
    for (const o of orders) assert.equal((await orderRow(app, o.orderId)).state, 'paid');
    const after = await counts(app);
    assert.deepEqual([after.events - before.events, after.paid - before.paid, after.entitlements - before.entitlements], [3, 3, 3]);
  });
});

describe('webhook inbox: an instance killed mid-apply', { skip: process.env.TEST_DB !== 'postgres' && 'PostgreSQL only: SQLite is one process by design (two processes on one file is not a deployment this platform supports)' }, () => {
  test('kill -9 while an event is half applied, then restart: nothing kept from the dead attempt, applied exactly once', async () => {
    const env = { ...database.env, ...stripeEnv(fake, SECRET), CHECKOUT_INBOX_POLL_MS: '100' };
    const user = await createUser(app);
    const plan = await createPlan(app);
    const started = await startCheckout(app, user, { plan: plan.documentId });
    const session = fake.paySession(started.sessionId);
    const subId = String(session.subscription);
    // The subscription row exists (its created event applied), so the session's apply will lock it.
    assert.equal((await deliver(stripeEvent('customer.subscription.created', fake.subscriptions.get(subId)!))).status, 200);
    const event = completed(session);
    const { Client } = await import('pg');
    const blocker = new Client({ connectionString: database.env.DATABASE_URL });
    await blocker.connect();
    const first = await startChildInstance(env, await freePort());
    let second: Awaited<ReturnType<typeof startChildInstance>> | null = null;
    await inboxWorker(app).stop(); // only the child applies
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM subscriptions WHERE stripe_subscription_id = $1 FOR UPDATE', [subId]);
      const payload = JSON.stringify(event);
      const res = await request(first.url).post('/api/checkout/webhook').set('content-type', 'application/json').set('stripe-signature', signatureHeader(payload, SECRET)).send(payload);
      assert.equal(res.status, 200);
      // The child has claimed the event, written the order as paid (uncommitted) and waits for the subscription row.
      const name = new URL(database.env.DATABASE_URL!).pathname.slice(1);
      await eventually(async () => Number((await blocker.query("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'", [name])).rows[0].n), (n) => n > 0, 'the child blocked mid-apply');
      first.kill();
      await blocker.query('ROLLBACK');
      await sleep(300);
      const row = (await inboxRow(app, event.id))!;
      assert.deepEqual([row.state, row.attempts, row.outcome], ['pending', 0, null], 'the dead attempt left nothing');
      assert.equal((await orderRow(app, started.orderId)).state, 'pending', 'the half-applied order change was rolled back');
      // Restart: the new instance finds the event pending and applies it.
      second = await startChildInstance(env, await freePort());
      const done = (await eventually(() => inboxRow(app, event.id), (r) => r?.state === 'done', 'applied after the restart', 30_000))!;
      assert.deepEqual([done.attempts, done.outcome], [1, 'order-paid']);
      assert.equal((await orderRow(app, started.orderId)).state, 'paid');
      assert.equal(await app.strapi.db.query(SUBSCRIPTION_UID).count({ where: { stripeSubscriptionId: subId } }), 1);
      assert.equal(await app.strapi.db.query(ENTITLEMENT_UID).count({ where: { userRef: user.id } }), 1);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
      await first.stop();
      await second?.stop();
      inboxWorker(app).start();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Every Stripe event a real integration sends (issue 17 item 7)

const OUTBOX_UID = 'plugin::notifications.outbox-message';

/** What the outbox holds for a learner (newest last). */
async function messagesTo(user: TestUser): Promise<Array<{ template: string; locale: string; subject: string; text: string; html: string; dedupeKey: string | null }>> {
  return (await app.strapi.db.query(OUTBOX_UID).findMany({ where: { userId: user.id }, orderBy: { id: 'asc' } })) as never;
}

/** The outcome stored for a delivered event. */
async function storedOutcome(eventId: string): Promise<{ outcome: string; detail: string | null }> {
  const row = (await app.strapi.db.query(WEBHOOK_EVENT_UID).findOne({ where: { eventId }, select: ['outcome', 'detail'] })) as { outcome: string; detail: string | null } | null;
  if (!row) throw new Error(`event ${eventId} not stored`);
  return row;
}

/** Delivers an event, expects 200, returns the answer's outcome. */
async function apply(event: StripeEventJson): Promise<string> {
  const res = await deliver(event);
  assert.equal(res.status, 200, `${event.type}: ${res.status} ${JSON.stringify(res.body)}`);
  // The inbox answers at receipt; what applying did is on the stored event once drained.
  if (res.body.duplicate) return 'duplicate';
  return (await outcomeOf(event.id)) ?? '';
}

/** A learner subscribed to `plan` through the whole flow. */
async function subscribeAt(user: TestUser, plan: { documentId: string }, created: number): Promise<{ session: StripeObject; subId: string; orderId: string }> {
  const started = await startCheckout(app, user, { plan: plan.documentId });
  const session = fake.paySession(started.sessionId);
  await apply(completed(session, { created }));
  return { session, subId: String(session.subscription), orderId: started.orderId };
}

describe('renewals that need the learner: 3-D Secure and failed payments', () => {
  test('invoice.payment_action_required: the learner is told with the hosted invoice link, access per the grace rule, once', async () => {
    const user = await createUser(app);
    const course = await createCourse(app, { access: 'subscription', chapters: 2 });
    const plan = await createPlan(app);
    const t0 = Math.floor(Date.now() / 1000);
    const { session, subId } = await subscribeAt(user, plan, t0);
    const invoice = subscriptionInvoice(subId, session.customer, { amountDue: 900 });

    fake.updateSubscription(subId, { status: 'past_due' });
    const event = stripeEvent('invoice.payment_action_required', invoice, { created: t0 + 5 });
    assert.equal(await apply(event), 'subscription-past_due');
    assert.match((await storedOutcome(event.id)).detail ?? '', /learner told: action-required/);
    // past_due: the paywall's grace period keeps the course open meanwhile.
    assert.equal((await myEntitlements(app, user))[0]?.status, 'past_due');
    assert.equal((await readChapter(app, user, course.chapters[1]!.documentId)).locked, false);

    const told = (await messagesTo(user)).filter((m) => m.template === 'subscription.action-required');
    assert.equal(told.length, 1);
    assert.equal(told[0]!.locale, 'en');
    assert.match(told[0]!.subject, /^Payment to confirm: Plan /);
    assert.ok(told[0]!.text.includes(String(invoice.hosted_invoice_url)), told[0]!.text);
    assert.ok(told[0]!.html.includes(`href="${String(invoice.hosted_invoice_url)}"`));
    assert.ok(told[0]!.text.includes('$9.00'));

    // Redelivered, and Stripe's second event for the same invoice: no second message.
    assert.equal(await apply(event), 'duplicate');
    await apply(stripeEvent('invoice.payment_action_required', invoice, { created: t0 + 6 }));
    assert.equal((await messagesTo(user)).filter((m) => m.template === 'subscription.action-required').length, 1);

    // Authenticated: paid, active again, no more messages of that kind.
    fake.updateSubscription(subId, { status: 'active' });
    assert.equal(await apply(stripeEvent('invoice.paid', { ...invoice, status: 'paid' }, { created: t0 + 7 })), 'subscription-active');
    assert.equal((await myEntitlements(app, user))[0]?.status, 'active');
  });

  test('invoice.payment_failed on renewal: the message in the learner\'s language; the first invoice (paid in Checkout) says nothing', async () => {
    const user = await createUser(app);
    const profile = await app.http().put('/api/me/profile').set('Authorization', user.auth).send({ preferredLanguage: 'zh-Hans' });
    assert.equal(profile.status, 200, JSON.stringify(profile.body));
    const plan = await createPlan(app);
    const t0 = Math.floor(Date.now() / 1000);
    const { session, subId } = await subscribeAt(user, plan, t0);

    // The first invoice of the subscription needing 3-D Secure: Checkout asks the learner itself.
    await apply(stripeEvent('invoice.payment_action_required', subscriptionInvoice(subId, session.customer, { billingReason: 'subscription_create' }), { created: t0 + 1 }));
    assert.deepEqual((await messagesTo(user)).filter((m) => m.template.startsWith('subscription.action')), []);

    const renewal = subscriptionInvoice(subId, session.customer, { nextPaymentAttempt: Date.UTC(2030, 0, 4) / 1000 });
    fake.updateSubscription(subId, { status: 'past_due' });
    assert.equal(await apply(stripeEvent('invoice.payment_failed', renewal, { created: t0 + 5 })), 'subscription-past_due');
    // Stripe's retry fails again: still one message for this invoice.
    await apply(stripeEvent('invoice.payment_failed', { ...renewal, attempt_count: 2 }, { created: t0 + 6 }));
    const failed = (await messagesTo(user)).filter((m) => m.template === 'subscription.renewal-failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.locale, 'zh-Hans');
    assert.match(failed[0]!.subject, /^续订付款未成功：Plan /);
    assert.ok(failed[0]!.text.includes('2030-01-04') && failed[0]!.text.includes(String(renewal.hosted_invoice_url)));
    assert.equal((await myEntitlements(app, user))[0]?.status, 'past_due');
  });

  test('invoice.marked_uncollectible and invoice.voided re-read the subscription: unpaid revokes access', async () => {
    const user = await createUser(app);
    const plan = await createPlan(app);
    const t0 = Math.floor(Date.now() / 1000);
    const { session, subId } = await subscribeAt(user, plan, t0);
    const invoice = subscriptionInvoice(subId, session.customer);
    fake.updateSubscription(subId, { status: 'past_due' });
    assert.equal(await apply(stripeEvent('invoice.voided', { ...invoice, status: 'void' }, { created: t0 + 5 })), 'subscription-past_due');
    fake.updateSubscription(subId, { status: 'unpaid' });
    const from = fake.requests.length;
    assert.equal(await apply(stripeEvent('invoice.marked_uncollectible', { ...invoice, status: 'uncollectible' }, { created: t0 + 10 })), 'subscription-unpaid');
    assert.equal(fake.calls('GET', `/subscriptions/${subId}`, from).length, 1, 'the subscription is re-read from Stripe');
    assert.deepEqual(await myEntitlements(app, user), []);
    // No learner message for these: only a failed or an unconfirmed payment asks something of them.
    assert.deepEqual((await messagesTo(user)).filter((m) => /renewal-failed|action-required/.test(m.template)), []);
  });
});

describe('failed refunds give access back, once', () => {
  test('charge.refunded then refund.failed and charge.refund.updated (failed) for the same refund: paid again, access back, nothing doubled', async () => {
    const user = await createUser(app);
    const course = await paidCourse();
    const { orderId, session } = await purchase(user, course);
    const t0 = Math.floor(Date.now() / 1000);
    assert.equal(await apply(stripeEvent('charge.refunded', chargeFor(session, 1999), { created: t0 + 10 })), 'order-refunded');
    assert.deepEqual(await myEntitlements(app, user), []);

    const refund = refundFor(session, { status: 'failed' });
    assert.equal(await apply(stripeEvent('refund.failed', refund, { created: t0 + 20 })), 'refund-failed');
    let order = await orderRow(app, orderId);
    assert.deepEqual([order.state, order.amountRefunded], ['paid', 0]);
    assert.deepEqual((await myEntitlements(app, user)).map((e) => [e.course?.documentId, e.status]), [[course.documentId, 'active']]);
    assert.equal((await readChapter(app, user, course.chapters[1]!.documentId)).locked, false);

    // The other event Stripe sends for the same failure, then a redelivery: nothing changes.
    const updated = stripeEvent('charge.refund.updated', refund, { created: t0 + 21 });
    assert.equal(await apply(updated), 'refund-failed');
    assert.equal(await apply(updated), 'duplicate');
    order = await orderRow(app, orderId);
    assert.deepEqual([order.state, order.amountRefunded], ['paid', 0]);
    assert.equal((await myEntitlements(app, user)).length, 1);

    // A refund that succeeds or is pending is only acknowledged: charge.refunded applies refunds.
    assert.equal(await apply(stripeEvent('charge.refund.updated', refundFor(session, { status: 'succeeded' }), { created: t0 + 30 })), 'acknowledged');
    assert.equal((await orderRow(app, orderId)).state, 'paid');
  });

  test('out of order: the failure before its charge.refunded; the older charge.refunded is not applied', async () => {
    const user = await createUser(app);
    const course = await paidCourse();
    const { orderId, session } = await purchase(user, course);
    const t0 = Math.floor(Date.now() / 1000);
    assert.equal(await apply(stripeEvent('refund.failed', refundFor(session), { created: t0 + 20 })), 'refund-failed');
    assert.equal((await orderRow(app, orderId)).state, 'paid');
    assert.equal(await apply(stripeEvent('charge.refunded', chargeFor(session, 1999), { created: t0 + 10 })), 'order-unchanged');
    assert.deepEqual([(await orderRow(app, orderId)).state, (await orderRow(app, orderId)).amountRefunded], ['paid', 0]);
    assert.equal((await myEntitlements(app, user))[0]?.course?.documentId, course.documentId);
    // A later, real refund still applies.
    assert.equal(await apply(stripeEvent('charge.refunded', chargeFor(session, 1999), { created: t0 + 30 })), 'order-refunded');
    assert.deepEqual(await myEntitlements(app, user), []);
  });
});

describe('dispute updates, funds events, and disputes before their order is known', () => {
  test('updated before created, funds withdrawn, closed (won), funds reinstated: access kept throughout, order paid', async () => {
    const user = await createUser(app);
    const course = await paidCourse();
    const { orderId, session } = await purchase(user, course);
    const t0 = Math.floor(Date.now() / 1000);
    assert.equal(await apply(stripeEvent('charge.dispute.updated', disputeFor(session, 'under_review'), { created: t0 + 5 })), 'order-disputed');
    assert.equal(await apply(stripeEvent('charge.dispute.created', disputeFor(session, 'needs_response'), { created: t0 + 1 })), 'order-unchanged');
    assert.equal(await apply(stripeEvent('charge.dispute.funds_withdrawn', disputeFor(session, 'needs_response'), { created: t0 + 2 })), 'order-unchanged');
    assert.deepEqual([(await orderRow(app, orderId)).state, (await orderRow(app, orderId)).disputeStatus], ['disputed', 'open']);
    assert.equal((await readChapter(app, user, course.chapters[1]!.documentId)).locked, false, 'access kept while the bank decides');
    assert.equal(await apply(stripeEvent('charge.dispute.closed', disputeFor(session, 'won'), { created: t0 + 50 })), 'order-paid');
    assert.equal(await apply(stripeEvent('charge.dispute.funds_reinstated', disputeFor(session, 'won'), { created: t0 + 51 })), 'order-unchanged');
    assert.deepEqual([(await orderRow(app, orderId)).state, (await orderRow(app, orderId)).disputeStatus], ['paid', 'won']);
    assert.equal((await myEntitlements(app, user)).length, 1);
  });

  test('charge.dispute.updated carrying a lost dispute revokes', async () => {
    const user = await createUser(app);
    const { orderId, session } = await purchase(user, await paidCourse());
    assert.equal(await apply(stripeEvent('charge.dispute.updated', disputeFor(session, 'lost'))), 'order-disputed');
    assert.equal((await orderRow(app, orderId)).disputeStatus, 'lost');
    assert.deepEqual(await myEntitlements(app, user), []);
  });

  test('a dispute before the Checkout Session completes, without any order id: held, applied when the session event arrives', async () => {
    const user = await createUser(app);
    const course = await paidCourse();
    const started = await startCheckout(app, user, { course: course.documentId });
    const session = fake.paySession(started.sessionId);
    const t0 = Math.floor(Date.now() / 1000);
    const opened = stripeEvent('charge.dispute.created', disputeFor(session, 'needs_response'), { created: t0 + 5 });
    assert.equal(await apply(opened), 'dispute-held:opened');
    assert.equal(await apply(opened), 'duplicate');
    assert.equal(await apply(stripeEvent('charge.dispute.closed', disputeFor(session, 'lost'), { created: t0 + 9 })), 'dispute-held:lost');
    assert.equal((await orderRow(app, started.orderId)).state, 'pending');

    const res = await deliver(completed(session, { created: t0 }));
    assert.equal(res.status, 200);
    const order = await orderRow(app, started.orderId);
    assert.deepEqual([order.state, order.disputeStatus, order.paymentIntentId], ['disputed', 'lost', session.payment_intent]);
    assert.deepEqual(await myEntitlements(app, user), [], 'a lost dispute leaves no access');
    assert.equal((await storedOutcome(opened.id)).outcome, 'dispute-applied');
    // Applied once: a later session event does not replay them.
    await apply(stripeEvent('checkout.session.async_payment_succeeded', session, { created: t0 + 60 }));
    assert.deepEqual([(await orderRow(app, started.orderId)).state, (await orderRow(app, started.orderId)).disputeStatus], ['disputed', 'lost']);
  });

  test('a dispute before the session completes, with the order id in metadata: applied at once; the payment then gives access while it is open', async () => {
    const user = await createUser(app);
    const course = await paidCourse();
    const started = await startCheckout(app, user, { course: course.documentId });
    const session = fake.paySession(started.sessionId);
    const t0 = Math.floor(Date.now() / 1000);
    assert.equal(await apply(stripeEvent('charge.dispute.created', disputeFor(session, 'needs_response', { expandedCharge: true }), { created: t0 + 5 })), 'order-disputed');
    assert.equal(await apply(completed(session, { created: t0 })), 'order-disputed');
    const order = await orderRow(app, started.orderId);
    assert.deepEqual([order.state, order.disputeStatus, order.paymentIntentId, order.amountPaid], ['disputed', 'open', session.payment_intent, 1999]);
    assert.equal((await myEntitlements(app, user))[0]?.course?.documentId, course.documentId);
    assert.equal(await apply(stripeEvent('charge.dispute.closed', disputeFor(session, 'won'), { created: t0 + 50 })), 'order-paid');
  });
});

describe('customers, pending updates, other apps\' subscriptions, acknowledged types', () => {
  test('customer.deleted drops the stored customer; the next checkout creates a new one', async () => {
    const user = await createUser(app);
    const first = await startCheckout(app, user, { course: (await paidCourse()).documentId });
    const customerId = String(fake.sessions.get(first.sessionId)!.customer);
    assert.equal(await apply(stripeEvent('customer.deleted', deletedCustomer(customerId))), 'customer-dropped');
    assert.equal(await app.strapi.db.query(STRIPE_CUSTOMER_UID).count({ where: { userKey: String(user.id) } }), 0);
    const portal = await app.http().post('/api/checkout/portal').set('Authorization', user.auth).send({ returnUrl: 'https://shop.example/account' });
    assert.equal(portal.status, 409, 'no customer any more');

    const from = fake.requests.length;
    const second = await startCheckout(app, user, { course: (await paidCourse()).documentId });
    assert.equal(fake.calls('POST', '/customers', from).length, 1, 'a new Stripe customer');
    const newCustomer = String(fake.sessions.get(second.sessionId)!.customer);
    assert.notEqual(newCustomer, customerId);
    assert.equal(await app.strapi.db.query(STRIPE_CUSTOMER_UID).count({ where: { userKey: String(user.id), stripeCustomerId: newCustomer } }), 1);
    // Deleted again (a redelivery with another id, or someone else's customer): nothing to drop.
    assert.equal(await apply(stripeEvent('customer.deleted', deletedCustomer(customerId))), 'unknown-customer');
  });

  test('customer.subscription.pending_update_applied switches the plan; _expired keeps it', async () => {
    const user = await createUser(app);
    const [basic, premium] = [await createPlan(app), await createPlan(app)];
    const t0 = Math.floor(Date.now() / 1000);
    const { subId } = await subscribeAt(user, basic, t0);
    const sub = fake.subscriptions.get(subId)!;
    const items = sub.items as { data: Array<{ price: { id: string } }> };
    items.data[0]!.price = { ...items.data[0]!.price, id: await activePriceId(app, 'plan', premium.documentId) };
    assert.equal(await apply(stripeEvent('customer.subscription.pending_update_applied', sub, { created: t0 + 10 })), 'subscription-active');
    assert.deepEqual((await myEntitlements(app, user)).map((e) => e.plan?.documentId), [premium.documentId]);
    // The snapshot of an expired update is the subscription as it stays: synced, same plan.
    assert.equal(await apply(stripeEvent('customer.subscription.pending_update_expired', sub, { created: t0 + 20 })), 'subscription-active');
    assert.deepEqual((await myEntitlements(app, user)).map((e) => e.plan?.documentId), [premium.documentId]);
  });

  test('a subscription of an unknown customer and price is recorded as ignored, and no row is stored', async () => {
    const foreign = foreignSubscription();
    for (const type of ['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted']) {
      const event = stripeEvent(type, foreign);
      assert.equal(await apply(event), 'ignored', type);
      assert.match((await storedOutcome(event.id)).detail ?? '', /unknown customer .* and price/);
    }
    assert.equal(await app.strapi.db.query(SUBSCRIPTION_UID).count({ where: { stripeSubscriptionId: foreign.id } }), 0);
  });

  test('types that need nothing are acknowledged with why; unknown ones ignored; both 2xx and stored', async () => {
    for (const [type, object, expected] of [
      ['payment_intent.succeeded', { id: 'pi_ack', object: 'payment_intent' }, 'acknowledged'],
      ['invoice.created', { id: 'in_ack', object: 'invoice' }, 'acknowledged'],
      ['charge.refund.created', { id: 're_ack', object: 'refund' }, 'acknowledged'],
      ['issuing_card.created', { id: 'ic_1', object: 'issuing.card' }, 'ignored'],
    ] as const) {
      const event = stripeEvent(type, object);
      assert.equal(await apply(event), expected, type);
      assert.equal((await storedOutcome(event.id)).outcome, expected);
    }
  });
});

describe('which plan covers which course (stated once, in the paywall)', () => {
  test('an all-access plan opens subscription courses, not paid ones: a subscriber can buy a paid course; a plan listing a paid course opens it', async () => {
    const user = await createUser(app);
    const included = await createCourse(app, { access: 'subscription', chapters: 2 });
    const paid = await paidCourse();
    const t0 = Math.floor(Date.now() / 1000);
    await subscribeAt(user, await createPlan(app), t0);
    assert.equal((await readChapter(app, user, included.chapters[1]!.documentId)).locked, false, 'subscription course open');
    assert.deepEqual(await readChapter(app, user, paid.chapters[1]!.documentId), { locked: true, body: null }, 'paid course stays locked');
    const buy = await app.http().post('/api/checkout/sessions').set('Authorization', user.auth).send({ course: paid.documentId, ...RETURN });
    assert.equal(buy.status, 201, `a subscriber may buy a paid course: ${JSON.stringify(buy.body)}`);

    const listed = await paidCourse();
    const other = await createUser(app);
    await subscribeAt(other, await createPlan(app, { courses: [listed.documentId] }), t0);
    assert.equal((await readChapter(app, other, listed.chapters[1]!.documentId)).locked, false, 'a listed paid course is open');
    const again = await app.http().post('/api/checkout/sessions').set('Authorization', other.auth).send({ course: listed.documentId, ...RETURN });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.details.via, 'subscription');
  });
});

describe('extra currencies per course: one Stripe Price per currency, the learner charged in the one picked', () => {
  async function setExtraPrices(documentId: string, extraPrices: Array<{ currency: string; amount: number }>): Promise<void> {
    await app.strapi.documents(COURSE_UID_FOR_TEST as never).update({ documentId, locale: 'en', data: { extraPrices } as never });
    await app.strapi.documents(COURSE_UID_FOR_TEST as never).publish({ documentId, locale: 'en' } as never);
  }
  /** The Prices Stripe holds for a product, as [amount, currency, active]. */
  function pricesIn(productId: string): Array<[number, string, boolean]> {
    return [...fake.state.store('prices').values()].filter((p) => p.product === productId).map((p) => [Number(p.unit_amount), String(p.currency), Boolean(p.active)]);
  }
  const activeIn = (productId: string, currency: string) => [...fake.state.store('prices').values()].find((p) => p.product === productId && p.currency === currency && p.active)?.id as string;

  test('an EUR price beside USD: Stripe holds both, REST shows both, EUR is charged when asked for or suggested, a change of EUR rotates only EUR', async () => {
    const course = await paidCourse({ price: 1999, currency: 'usd' });
    await setExtraPrices(course.documentId, [{ currency: 'eur', amount: 1800 }]);
    const productId = (await catalogueRow(app, 'course', course.documentId))!.stripeProductId!;
    assert.deepEqual(pricesIn(productId), [[1999, 'usd', true], [1800, 'eur', true]]);
    const usdPrice = activeIn(productId, 'usd');
    const eurPrice = activeIn(productId, 'eur');

    const shown = await app.http().get(`/api/courses/${course.documentId}?locale=en&populate[extraPrices]=true`);
    assert.equal(shown.status, 200, JSON.stringify(shown.body));
    assert.deepEqual([shown.body.data.price, shown.body.data.currency], [1999, 'usd']);
    assert.deepEqual(shown.body.data.extraPrices.map((p: { currency: string; amount: number }) => [p.currency, p.amount]), [['eur', 1800]]);

    // Asked for EUR: the EUR Price, the EUR amount on the order; paid → an EUR order.
    const learner = await createUser(app);
    let from = fake.requests.length;
    const started = await startCheckout(app, learner, { course: course.documentId }, { currency: 'eur' });
    assert.deepEqual(fake.calls('POST', '/checkout/sessions', from)[0]!.form.line_items, [{ price: eurPrice, quantity: '1' }]);
    assert.equal(fake.calls('POST', '/prices', from).length, 0, 'in step: no Price created at checkout');
    const pending = await orderRow(app, started.orderId);
    assert.deepEqual([pending.amount, pending.currency], [1800, 'eur']);
    const session = fake.paySession(started.sessionId);
    assert.equal(session.currency, 'eur');
    assert.equal((await deliver(completed(session))).status, 200);
    const paid = await orderRow(app, started.orderId);
    assert.deepEqual([paid.state, paid.amount, paid.currency, paid.amountPaid], ['paid', 1800, 'eur', 1800]);
    const mine = await app.http().get(`/api/checkout/orders/${started.orderId}`).set('Authorization', learner.auth);
    assert.deepEqual([mine.body.data?.amount ?? mine.body.amount, mine.body.data?.currency ?? mine.body.currency], [1800, 'eur']);

    // Not asked: the default USD — the price REST shows — whatever the browser's or the body's language.
    const german = await createUser(app);
    from = fake.requests.length;
    const de = await app.http().post('/api/checkout/sessions').set('Authorization', german.auth).set('Accept-Language', 'de-DE,de;q=0.9').send({ course: course.documentId, ...RETURN });
    assert.equal(de.status, 201, JSON.stringify(de.body));
    assert.deepEqual(fake.calls('POST', '/checkout/sessions', from)[0]!.form.line_items, [{ price: usdPrice, quantity: '1' }]);
    assert.deepEqual([(await orderRow(app, de.body.orderId)).amount, (await orderRow(app, de.body.orderId)).currency], [1999, 'usd']);
    const plain = await createUser(app);
    from = fake.requests.length;
    const usd = await startCheckout(app, plain, { course: course.documentId }, { locale: 'zh-Hans' });
    assert.deepEqual(fake.calls('POST', '/checkout/sessions', from)[0]!.form.line_items, [{ price: usdPrice, quantity: '1' }]);
    assert.deepEqual([(await orderRow(app, usd.orderId)).amount, (await orderRow(app, usd.orderId)).currency], [1999, 'usd']);

    // A currency not offered: 400 naming the offered ones, no order, no Stripe call.
    const before = await counts(app);
    from = fake.requests.length;
    const gbp = await app.http().post('/api/checkout/sessions').set('Authorization', (await createUser(app)).auth).send({ course: course.documentId, currency: 'gbp', ...RETURN });
    assert.equal(gbp.status, 400, JSON.stringify(gbp.body));
    assert.match(gbp.body.error.message, /not sold in GBP: it is offered in USD, EUR/);
    assert.deepEqual(gbp.body.error.details.offered, ['usd', 'eur']);
    assert.equal((await counts(app)).orders, before.orders);
    assert.equal(fake.calls('POST', '/checkout/sessions', from).length, 0);

    // The EUR amount changes: a new EUR Price, the old EUR one archived, USD untouched.
    await setExtraPrices(course.documentId, [{ currency: 'eur', amount: 2000 }]);
    assert.deepEqual(pricesIn(productId), [[1999, 'usd', true], [1800, 'eur', false], [2000, 'eur', true]]);
    assert.equal(activeIn(productId, 'usd'), usdPrice);
    // EUR removed: its Price archived, the course sold in USD only.
    await setExtraPrices(course.documentId, []);
    assert.deepEqual(pricesIn(productId), [[1999, 'usd', true], [1800, 'eur', false], [2000, 'eur', false]]);
  });

  test('a promotion code in another currency than the checkout: 409 naming both currencies, no order, no session; validation in the checkout currency says the same', async () => {
    const course = await paidCourse({ price: 2000, currency: 'usd' });
    await setExtraPrices(course.documentId, [{ currency: 'eur', amount: 1800 }]);
    const create = async (data: Record<string, unknown>) => {
      await app.strapi.documents(COUPON_UID as never).create({ data: { duration: 'once', courses: [course.documentId], active: true, ...data } as never });
    };
    await create({ name: 'Five dollars off', code: 'USD-FIVE', amountOff: 500, currency: 'usd' });
    await create({ name: 'Five euros off', code: 'EUR-FIVE', amountOff: 500, currency: 'eur' });
    await create({ name: 'A tenth off', code: 'TENTH-OFF', percentOff: 10 });
    const learner = await createUser(app);
    const validate = (body: Record<string, unknown>) => app.http().post('/api/checkout/promotion-codes/validate').set('Authorization', learner.auth).send({ course: course.documentId, ...body });
    const checkout = (body: Record<string, unknown>) => app.http().post('/api/checkout/sessions').set('Authorization', learner.auth).send({ course: course.documentId, ...RETURN, ...body });

    // Refused both ways: a USD amount off on the EUR price, an EUR amount off on the default USD price.
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['a USD code, checkout in EUR', { promotionCode: 'USD-FIVE', currency: 'eur' }, /^This promotion code is for another currency \(an amount off in USD, this course is priced in EUR\)\.$/],
      ['an EUR code, checkout in the default USD', { promotionCode: 'EUR-FIVE' }, /^This promotion code is for another currency \(an amount off in EUR, this course is priced in USD\)\.$/],
    ];
    for (const [name, body, message] of cases) {
      const before = await counts(app);
      const from = fake.requests.length;
      const res = await checkout(body);
      assert.equal(res.status, 409, `${name}: ${JSON.stringify(res.body)}`);
      assert.match(res.body.error.message, message, name);
      assert.equal(res.body.error.details.reason, 'wrong-currency', name);
      assert.deepEqual(await counts(app), before, `${name}: no order written`);
      assert.equal(fake.calls('POST', '/checkout/sessions', from).length, 0, `${name}: Stripe not asked`);
      // Validation in the currency the checkout will be in answers the same, before the learner pays.
      const checked = await validate({ code: body.promotionCode, ...(body.currency ? { currency: body.currency } : {}) });
      assert.deepEqual([checked.status, checked.body.error?.details?.reason], [409, 'wrong-currency'], `${name}: ${JSON.stringify(checked.body)}`);
      assert.match(checked.body.error.message, message);
    }

    // The same codes in their own currency, and a percentage in any: the discount of the price shown.
    assert.deepEqual((await validate({ code: 'EUR-FIVE', currency: 'eur' })).body.data?.display, { amount: '18.00 EUR', discount: '5.00 EUR', total: '13.00 EUR' });
    assert.deepEqual((await validate({ code: 'USD-FIVE' })).body.data?.display, { amount: '20.00 USD', discount: '5.00 USD', total: '15.00 USD' });
    assert.deepEqual((await validate({ code: 'TENTH-OFF', currency: 'eur' })).body.data?.display, { amount: '18.00 EUR', discount: '1.80 EUR', total: '16.20 EUR' });
    // A currency the course is not offered in, or a currency with a plan: 400 naming why.
    const gbp = await validate({ code: 'TENTH-OFF', currency: 'gbp' });
    assert.equal(gbp.status, 400, JSON.stringify(gbp.body));
    assert.match(gbp.body.error.message, /not sold in GBP: it is offered in USD, EUR/);
    const plan = await createPlan(app, { price: 1900 });
    const planWithCurrency = await app.http().post('/api/checkout/promotion-codes/validate').set('Authorization', learner.auth).send({ code: 'TENTH-OFF', plan: plan.documentId, currency: 'eur' });
    assert.equal(planWithCurrency.status, 400, JSON.stringify(planWithCurrency.body));
    assert.match(planWithCurrency.body.error.message, /currency applies to a course/);

    // Checkout in EUR with the EUR code: the EUR Price, the code applied, the EUR order.
    const from = fake.requests.length;
    const ok = await checkout({ promotionCode: 'eur-five', currency: 'eur' });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const [call] = fake.calls('POST', '/checkout/sessions', from);
    const eurCode = (await app.strapi.db.query(COUPON_UID as never).findOne({ where: { code: 'EUR-FIVE' } })) as { stripePromotionCodeId: string };
    assert.deepEqual(call!.form.discounts, [{ promotion_code: eurCode.stripePromotionCodeId }]);
    const order = (await app.strapi.db.query(ORDER_UID).findOne({ where: { documentId: ok.body.orderId } })) as { amount: number; currency: string; promotionCode: string | null };
    assert.deepEqual([order.amount, order.currency, order.promotionCode], [1800, 'eur', 'EUR-FIVE']);
  });

  test('invalid extra prices through the routes people use — an instructor’s REST write, an editor’s Content Manager save: 400 naming the problem, nothing written', async () => {
    const instructor = await createInstructor(app);
    const send = (method: 'post' | 'put', url: string, data: Record<string, unknown>) => app.http()[method](url).set('Authorization', instructor.auth).send({ data });
    const base = { title: 'Prices in several currencies', summary: 'A course priced in more than one currency, written by its instructor.', level: 'beginner', access: 'paid', price: 2000, currency: 'usd' };

    // Instructor, create: refused, no course row at all.
    const slug = `multi-currency-${Date.now()}`;
    const coursesBefore = await app.strapi.db.query(COURSE_UID_FOR_TEST as never).count({ where: {} });
    const created = await send('post', '/api/courses', { ...base, slug, extraPrices: [{ currency: 'usd', amount: 1500 }] });
    assert.equal(created.status, 400, JSON.stringify(created.body));
    assert.match(created.body.error.message, /usd is the course's default currency/);
    assert.equal(await app.strapi.db.query(COURSE_UID_FOR_TEST as never).count({ where: {} }), coursesBefore, 'no course written');

    // Instructor, update of a valid draft: each bad list refused with its problem, the draft unchanged.
    const good = await send('post', '/api/courses', { ...base, slug, extraPrices: [{ currency: 'eur', amount: 1800 }] });
    assert.equal(good.status, 201, JSON.stringify(good.body));
    const id: string = good.body.data.documentId;
    const stored = async () => {
      const rows = (await app.strapi.db.query(COURSE_UID_FOR_TEST as never).findMany({ where: { documentId: id }, populate: { extraPrices: true } })) as Array<{ title: string; extraPrices: Array<{ currency: string; amount: number }> }>;
      return rows.map((r) => [r.title, r.extraPrices.map((p) => [p.currency, p.amount])]);
    };
    const draft = await stored();
    assert.deepEqual(draft, [[base.title, [['eur', 1800]]]]);
    const bad: Array<[unknown, RegExp]> = [
      [[{ currency: 'eur', amount: 1500 }, { currency: 'eur', amount: 1600 }], /eur is given twice/],
      [[{ currency: 'gbp', amount: 10 }], /extraPrices\[0\]\.amount: at least 30/],
      [[{ currency: 'chf', amount: 1500 }], /extraPrices\[0\]\.currency/],
      [[{ currency: 'jpy', amount: 12.5 }], /extraPrices\[0\]\.amount/],
      ['eur 1800', /extraPrices/],
    ];
    for (const [extraPrices, message] of bad) {
      const res = await send('put', `/api/courses/${id}`, { title: 'Renamed with bad prices', extraPrices });
      assert.equal(res.status, 400, `${JSON.stringify(extraPrices)}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.match(res.body.error.message, message, JSON.stringify(extraPrices));
      assert.deepEqual(await stored(), draft, `${JSON.stringify(extraPrices)}: nothing written, not even the title`);
    }

    // An editor (Strapi's default Editor role), Content Manager: the same refusal for the same course.
    // (That role is created with no locales on its permissions; the platform grants it every locale.)
    const editor = await createAdmin(app, 'strapi-editor');
    const read = await app.http().get(`/content-manager/collection-types/${COURSE_UID_FOR_TEST}/${id}?locale=en`).set('Authorization', editor.auth);
    assert.equal(read.status, 200, `the editor opens the course: ${read.status} ${JSON.stringify(read.body).slice(0, 200)}`);
    const cm = `/content-manager/collection-types/${COURSE_UID_FOR_TEST}/${id}?locale=en`;
    for (const [extraPrices, message] of bad.slice(0, 3)) {
      const res = await app.http().put(cm).set('Authorization', editor.auth).send({ title: 'Renamed by the editor', extraPrices });
      assert.equal(res.status, 400, `${JSON.stringify(extraPrices)}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.match(res.body.error.message, message, JSON.stringify(extraPrices));
      assert.deepEqual(await stored(), draft, `${JSON.stringify(extraPrices)}: nothing written through the Content Manager`);
    }
    // And a good change goes through both ways.
    const fine = await app.http().put(cm).set('Authorization', editor.auth).send({ extraPrices: [{ currency: 'eur', amount: 1900 }, { currency: 'jpy', amount: 3000 }] });
    assert.equal(fine.status, 200, JSON.stringify(fine.body));
    assert.deepEqual((await stored())[0]![1], [['eur', 1900], ['jpy', 3000]]);
  });

  test('invalid extra prices are refused with the problems named, and nothing is written', async () => {
    const course = await paidCourse({ price: 1999, currency: 'usd' });
    const cases: Array<[Array<{ currency: string; amount: number }>, RegExp]> = [
      [[{ currency: 'usd', amount: 1500 }], /usd is the course's default currency/],
      [[{ currency: 'eur', amount: 1500 }, { currency: 'eur', amount: 1600 }], /eur is given twice/],
      [[{ currency: 'gbp', amount: 10 }], /at least 30/],
    ];
    for (const [extraPrices, message] of cases) {
      await assert.rejects(
        app.strapi.documents(COURSE_UID_FOR_TEST as never).update({ documentId: course.documentId, locale: 'en', data: { extraPrices } as never }),
        (error: { name?: string; message?: string }) => error.name === 'ValidationError' && message.test(error.message ?? '')
      );
    }
    const stored = (await app.strapi.db.query(COURSE_UID_FOR_TEST as never).findMany({ where: { documentId: course.documentId }, populate: { extraPrices: true } })) as Array<{ extraPrices: unknown[] }>;
    assert.deepEqual(stored.map((r) => r.extraPrices.length), stored.map(() => 0), 'no partial write');
    // Changing only the default currency to one already in the extras is refused too.
    await setExtraPrices(course.documentId, [{ currency: 'eur', amount: 1500 }]);
    await assert.rejects(
      app.strapi.documents(COURSE_UID_FOR_TEST as never).update({ documentId: course.documentId, locale: 'en', data: { currency: 'eur' } as never }),
      (error: { name?: string; message?: string }) => error.name === 'ValidationError' && /eur is the course's default currency/.test(error.message ?? '')
    );
  });
});
