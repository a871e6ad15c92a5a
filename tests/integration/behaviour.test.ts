/**
 * Behaviour features in SQL (analytics service `behaviour`, issue 19) from the recommender's
 * interaction rows, and purchases and progress from orders and progress rows, on SQLite and
 * PostgreSQL (TEST_DB): known values on a fixture, equal to the domain code over the same rows, and
 * rows after the cut-off change nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bootApp, type TestApp } from '../support/strapi';
import { countQueries } from '../support/learning-helpers';
import { createAdmin, createCourse, createInstructor, createUser, type BuiltCourse, type TestAdmin, type TestInstructor, type TestUser } from '../support/builders';
import { computeFeatures, DAY_MS, LEARNER_FEATURE_NAMES, type Features, type Interaction, type PlatformFeatures } from '../../plugins/analytics/server/src/domain/behaviour/features';

const INTERACTION_UID = 'plugin::recommender.interaction';
const CUTOFF = Date.UTC(2026, 2, 31, 12);
const ago = (days: number, hours = 0) => CUTOFF - days * DAY_MS - hours * 3_600_000;

let app: TestApp;
let users: Record<'ann' | 'bob' | 'cid' | 'dee' | 'eve', TestUser>;
const rows: Interaction<number>[] = [];

async function add(user: TestUser, course: string, at: number, kind = 'view') {
  await app.strapi.db.query(INTERACTION_UID).create({ data: { user: user.id, courseDocumentId: course, kind, weight: 1, at: new Date(at) } });
  rows.push({ userId: user.id, itemId: course, at });
}

let n = 0;
async function order(user: TestUser, state: string, paidAt: number | null, money: { currency?: string; amount?: number; amountPaid?: number } = {}) {
  await app.strapi.db.query('plugin::checkout.order').create({
    data: { user: user.id, state, kind: 'course', courseDocumentId: 'course-a', amount: money.amount ?? 1000, amountPaid: money.amountPaid ?? null, currency: money.currency ?? 'usd', paidAt: paidAt === null ? null : new Date(paidAt) },
  });
}
/** A subscription row (its current snapshot: `status` now) for `user`. */
async function subscription(user: TestUser, id: string, status: string) {
  await app.strapi.db.query('api::subscription.subscription').create({ data: { user: user.id, status, stripeSubscriptionId: id, stripeCustomerId: `cus_${id}` } });
}
/** A `customer.subscription.*` event in the webhook inbox, as Stripe sent it at `at` (ms; Stripe counts seconds). */
async function subscriptionEvent(id: string, type: string, status: string, at: number) {
  n++;
  const created = Math.floor(at / 1000);
  await app.strapi.db.query('plugin::checkout.webhook-event').create({
    data: {
      eventId: `evt_behaviour_${n}`, type, created, objectId: id, state: 'done', outcome: `subscription-${status}`, orderingKey: `subscription:${id}`,
      payload: JSON.stringify({ id: `evt_behaviour_${n}`, object: 'event', type, created, data: { object: { id, object: 'subscription', status } } }),
    },
  });
}
async function profile(user: TestUser, preferredLanguage: string, createdAt: number) {
  await app.strapi.db.query('plugin::notifications.profile').create({ data: { userId: user.id, preferredLanguage, createdAt: new Date(createdAt) } });
}
async function progress(user: TestUser, course: string, createdAt: number, completedAt: number | null) {
  n++;
  await app.strapi.db.query('api::progress.progress').create({
    data: { user: user.id, courseDocumentId: course, chapterDocumentId: `ch-${n}`, uniqueKey: `k-${n}`, createdAt: new Date(createdAt), completedAt: completedAt === null ? null : new Date(completedAt) },
  });
}
/** A certificate of `user` for `course`, completed at `completedAt` (`state` as the learning plugin keeps it). */
async function certificate(user: TestUser, course: string, completedAt: number, state: 'valid' | 'revoked' = 'valid') {
  n++;
  await app.strapi.db.query('plugin::learning.certificate').create({
    data: { learner: user.id, learnerName: user.username, courseDocumentId: course, courseTitle: course, language: 'en', completedAt: new Date(completedAt), code: `cert-${n}`, dedupeKey: `${user.id}:${course}:${n}`, state },
  });
}
const platform = (): Promise<Map<number, PlatformFeatures>> =>
  (app.strapi.plugin('analytics').service('behaviour') as { platform(c: Date): Promise<Map<number, PlatformFeatures>> }).platform(new Date(CUTOFF));

const features = (): Promise<Map<number, Features>> =>
  (app.strapi.plugin('analytics').service('behaviour') as { features(c: Date): Promise<Map<number, Features>> }).features(new Date(CUTOFF));

before(async () => {
  app = await bootApp();
  users = {
    ann: await createUser(app),
    bob: await createUser(app),
    cid: await createUser(app),
    dee: await createUser(app),
    eve: await createUser(app),
  };
  await add(users.ann, 'course-a', ago(40), 'purchase');
  await add(users.ann, 'course-b', ago(20), 'progress');
  await add(users.ann, 'course-b', ago(20, 1), 'like');
  await add(users.ann, 'course-c', ago(2));
  await add(users.bob, 'course-a', ago(10, 12));
  await add(users.cid, 'course-x', CUTOFF, 'complete');
  await add(users.cid, 'course-y', ago(7));
  await add(users.dee, 'course-a', CUTOFF + 1);

  await order(users.ann, 'paid', ago(3, 5));
  await order(users.ann, 'refunded', ago(30)); // paid, refunded later: still a purchase
  await order(users.ann, 'paid', ago(5), { currency: 'eur', amount: 5000 }); // a purchase; not in the USD spend
  await order(users.ann, 'pending', null);
  await order(users.ann, 'paid', CUTOFF + 1);
  await order(users.bob, 'paid', ago(100), { amount: 1000, amountPaid: 800 }); // a coupon: what was paid
  await order(users.cid, 'failed', null);
  // ann: trial 50 days ago, active since 36 days ago; the row already says canceled (a later change)
  await subscription(users.ann, 'sub_ann', 'canceled');
  await subscriptionEvent('sub_ann', 'customer.subscription.created', 'trialing', ago(50));
  await subscriptionEvent('sub_ann', 'customer.subscription.updated', 'active', ago(36));
  // bob: active 60 days ago, canceled 10 days ago; a second subscription began after the cut-off
  await subscription(users.bob, 'sub_bob', 'canceled');
  await subscriptionEvent('sub_bob', 'customer.subscription.created', 'active', ago(60));
  await subscriptionEvent('sub_bob', 'customer.subscription.deleted', 'canceled', ago(10));
  await subscription(users.bob, 'sub_bob_2', 'active');
  await subscriptionEvent('sub_bob_2', 'customer.subscription.created', 'active', CUTOFF + 1000);
  // cid: a subscription whose first payment never went through
  await subscription(users.cid, 'sub_cid', 'incomplete');
  await subscriptionEvent('sub_cid', 'customer.subscription.created', 'incomplete', ago(4));
  await profile(users.ann, 'zh-Hans', ago(90));
  await profile(users.bob, 'en', ago(1));
  await profile(users.cid, 'zh-Hans', CUTOFF + 1); // created after the cut-off: not read
  await progress(users.ann, 'course-a', ago(30), ago(29));
  await progress(users.ann, 'course-a', ago(20), CUTOFF + DAY_MS); // completed after the cut-off
  await progress(users.ann, 'course-b', ago(5), null);
  await progress(users.cid, 'course-x', ago(1), CUTOFF);
  await progress(users.dee, 'course-a', CUTOFF + 1, CUTOFF + 2);
  // bob: two chapters of course-b, one completed exactly 28 days before the cut-off (outside the
  // velocity window), one an hour later (inside); course-b finished (a certificate, since revoked)
  await progress(users.bob, 'course-b', ago(40), ago(28));
  await progress(users.bob, 'course-b', ago(40), ago(27, 23));
  await certificate(users.bob, 'course-b', ago(27, 23), 'revoked');
  // cid finished course-x at the cut-off; ann's certificate of course-a came after it
  await certificate(users.cid, 'course-x', CUTOFF);
  await certificate(users.ann, 'course-a', CUTOFF + DAY_MS);
});
after(async () => {
  await app?.close();
});

describe('behaviour features in SQL', () => {
  test('known values; learners are those with a row at or before the cut-off', async () => {
    const f = await features();
    assert.deepEqual(f.get(users.ann.id), { recencyDays: 2, frequency: 4, distinctItems: 3, activeDays: 3, daysSinceFirst: 40, last7Days: 1, last30Days: 3, meanGapDays: 12.7 });
    assert.deepEqual(f.get(users.bob.id), { recencyDays: 10, frequency: 1, distinctItems: 1, activeDays: 1, daysSinceFirst: 10, last7Days: 0, last30Days: 1, meanGapDays: 10.5 });
    assert.deepEqual(f.get(users.cid.id), { recencyDays: 0, frequency: 2, distinctItems: 2, activeDays: 2, daysSinceFirst: 7, last7Days: 1, last30Days: 2, meanGapDays: 7 });
    assert.equal(f.has(users.dee.id), false, 'only a row after the cut-off');
    assert.equal(f.has(users.eve.id), false, 'no rows');
    assert.equal(f.size, 3);
  });

  test('equal to the domain code over the same rows', async () => {
    const f = await features();
    assert.deepEqual(new Map([...f].sort((a, b) => a[0] - b[0])), new Map([...computeFeatures(rows, CUTOFF)].sort((a, b) => a[0] - b[0])));
  });

  test('purchases, spend, progress, subscription, locale and interactions by kind: known values; failed, pending and later rows do not count', async () => {
    const p = await platform();
    const kinds = (k: Record<string, number>) => ({ view: 0, like: 0, purchase: 0, progress: 0, complete: 0, rate: 0, refund: 0, ...k });
    assert.deepEqual(p.get(users.ann.id), {
      purchases: 3, daysSinceLastPurchase: 3, chaptersStarted: 3, chaptersCompleted: 1, completionRatio: 0.33, coursesStarted: 2,
      progressVelocity: 0, // its one completed chapter was 29 days before the cut-off
      coursesUnfinished: 2, // the certificate of course-a came after the cut-off
      spend: 20, // two USD orders of $10; the EUR order is a purchase but no USD spend
      subscriptionState: 'active', subscriptionDays: 50, // active at the cut-off (the row's later "canceled" is not read), began with its trial
      locale: 'zh-Hans',
      interactionsByKind: kinds({ view: 1, like: 1, purchase: 1, progress: 1 }),
    });
    assert.deepEqual(p.get(users.bob.id), {
      purchases: 1, daysSinceLastPurchase: 100, chaptersStarted: 2, chaptersCompleted: 2, completionRatio: 1, coursesStarted: 1,
      progressVelocity: 0.25, // one chapter in the 28 days: a quarter a week
      coursesUnfinished: 0, // a revoked certificate still says the course was finished
      spend: 8, subscriptionState: 'canceled', subscriptionDays: 60, locale: 'en', interactionsByKind: kinds({ view: 1 }),
    });
    assert.deepEqual(p.get(users.cid.id), {
      purchases: 0, daysSinceLastPurchase: null, chaptersStarted: 1, chaptersCompleted: 1, completionRatio: 1, coursesStarted: 1,
      progressVelocity: 0.25, // completed at the cut-off: counts
      coursesUnfinished: 0,
      spend: 0, subscriptionState: 'none', subscriptionDays: null, locale: null, interactionsByKind: kinds({ view: 1, complete: 1 }),
    });
    assert.equal(p.has(users.dee.id), false);
    assert.equal(p.has(users.eve.id), false);
  });

  test('the model row carries the new columns in LEARNER_FEATURE_NAMES order', async () => {
    const r = await (app.strapi.plugin('analytics').service('behaviour') as { learnerRows(c: Date): Promise<{ ids: number[]; rows: number[][] }> }).learnerRows(new Date(CUTOFF));
    const of = (u: TestUser) => Object.fromEntries(LEARNER_FEATURE_NAMES.map((name, i) => [name, r.rows[r.ids.indexOf(u.id)]![i]]));
    const pick = (o: Record<string, unknown>) =>
      ['progressVelocity', 'coursesUnfinished', 'spendUsd', 'subscriptionActive', 'subscriptionTrialing', 'subscriptionPastDue', 'subscriptionCanceled', 'subscriptionDays', 'localeZhHans', 'viewEvents', 'likeEvents', 'purchaseEvents', 'progressEvents', 'completeEvents', 'rateEvents', 'refundEvents'].map((k) => o[k]);
    assert.deepEqual(pick(of(users.ann)), [0, 2, 20, 1, 0, 0, 0, 50, 1, 1, 1, 1, 1, 0, 0, 0]);
    assert.deepEqual(pick(of(users.bob)), [0.25, 0, 8, 0, 0, 0, 1, 60, 0, 1, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(pick(of(users.cid)), [0.25, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0]);
  });

  test('rows after the cut-off (known and new learners) change no feature', async () => {
    const before_ = await features();
    const platformBefore = await platform();
    const rowsBefore = await (app.strapi.plugin('analytics').service('behaviour') as { learnerRows(c: Date): Promise<{ ids: number[]; rows: number[][] }> }).learnerRows(new Date(CUTOFF));
    await order(users.cid, 'paid', CUTOFF + 10);
    await order(users.eve, 'paid', CUTOFF + DAY_MS);
    await progress(users.bob, 'course-c', CUTOFF + 1, CUTOFF + 5);
    await progress(users.eve, 'course-c', CUTOFF + 1, null);
    await add(users.ann, 'course-z', CUTOFF + 1);
    await add(users.bob, 'course-b', CUTOFF + DAY_MS, 'purchase');
    await add(users.cid, 'course-x', CUTOFF + 3 * DAY_MS);
    await add(users.eve, 'course-q', CUTOFF + 5);
    await add(users.ann, 'course-a', CUTOFF + 2, 'refund');
    await add(users.ann, 'course-b', CUTOFF + 3, 'rate');
    await add(users.cid, 'course-y', CUTOFF + 4, 'like');
    await order(users.bob, 'paid', CUTOFF + 6, { amount: 99_900 });
    // subscriptions: ann's canceled after the cut-off, cid's first payment went through later, eve subscribed later
    await subscriptionEvent('sub_ann', 'customer.subscription.deleted', 'canceled', CUTOFF + 1000);
    await subscriptionEvent('sub_cid', 'customer.subscription.updated', 'active', CUTOFF + 2 * DAY_MS);
    await subscription(users.eve, 'sub_eve', 'active');
    await subscriptionEvent('sub_eve', 'customer.subscription.created', 'trialing', CUTOFF + 1000);
    await profile(users.eve, 'zh-Hans', CUTOFF + 7);
    // a chapter and a certificate after the cut-off: ann's velocity and unfinished courses stay
    await progress(users.ann, 'course-b', CUTOFF + 1, CUTOFF + 2);
    await certificate(users.ann, 'course-b', CUTOFF + 1);
    await certificate(users.eve, 'course-c', CUTOFF + 2);
    assert.deepEqual(await features(), before_);
    assert.deepEqual(await platform(), platformBefore);
    const rowsAfter = await (app.strapi.plugin('analytics').service('behaviour') as { learnerRows(c: Date): Promise<{ ids: number[]; rows: number[][] }> }).learnerRows(new Date(CUTOFF));
    assert.deepEqual({ ids: rowsAfter.ids, rows: rowsAfter.rows }, { ids: rowsBefore.ids, rows: rowsBefore.rows }, 'the model rows too');
  });
});

/**
 * The models over HTTP: a small world of learners relative to the real clock (the routes train
 * and score as of now), two instructors with a course each.
 */
describe('behaviour models: training, records, routes and permissions', () => {
  const NOW = Date.now();
  const daysAgo = (d: number) => NOW - d * DAY_MS;
  let superAdmin: TestAdmin;
  let editor: TestAdmin;
  let author: TestAdmin;
  let instA: TestInstructor;
  let instB: TestInstructor;
  let courseA: BuiltCourse;
  let courseB: BuiltCourse;
  const learnersA: TestUser[] = [];
  const learnersB: TestUser[] = [];
  let lapsedA: TestUser;
  let learner: TestUser;

  const models = () =>
    app.strapi.plugin('analytics').service('behaviour-models') as {
      retrain(now?: Date): Promise<void>;
      scheduled(fireDate?: Date): Promise<{ claimed: boolean; slot: string }>;
      status(): Promise<{ training: { state: string; error: string | null }; schedule: { slot: string; by: string } | null; models: { churn: { version: number } | null } }>;
      forget(): void;
    };
  const admin = (path: string, who: TestAdmin | null, query: Record<string, string> = {}) => {
    const req = app.http().get(`/analytics/behaviour/${path}`).query(query);
    return who ? req.set('Authorization', who.auth) : req;
  };

  /** A learner's history: interactions `days` ago on a course, and chapters started / completed in it. */
  async function history(user: TestUser, course: BuiltCourse, days: number[], started: number, completed: number) {
    for (const d of days) {
      await app.strapi.db.query(INTERACTION_UID).create({ data: { user: user.id, courseDocumentId: course.documentId, kind: 'progress', weight: 1, at: new Date(daysAgo(d)) } });
    }
    for (let c = 0; c < started; c++) {
      n++;
      const createdAt = new Date(daysAgo(days.reduce((a, b) => Math.max(a, b), -Infinity)));
      await app.strapi.db.query('api::progress.progress').create({
        data: { user: user.id, courseDocumentId: course.documentId, chapterDocumentId: `ch-${n}`, uniqueKey: `k-${n}`, createdAt, completedAt: c < completed ? createdAt : null },
      });
    }
  }

  before(async () => {
    superAdmin = await createAdmin(app);
    editor = await createAdmin(app, 'strapi-editor');
    author = await createAdmin(app, 'strapi-author');
    instA = await createInstructor(app);
    instB = await createInstructor(app);
    courseA = await createCourse(app, { instructor: instA.instructorDocumentId, chapters: 4 });
    courseB = await createCourse(app, { instructor: instB.instructorDocumentId, chapters: 4 });
    learner = await createUser(app);
    // 24 learners per course: a third lapsed (last seen 20–40 days ago, little completed), the rest active every few days.
    for (const [course, list] of [[courseA, learnersA], [courseB, learnersB]] as const) {
      for (let i = 0; i < 24; i++) {
        const u = await createUser(app);
        list.push(u);
        const lapsed = i % 3 === 0;
        const days = lapsed ? [20 + i, 30 + i, 50 + i] : [1 + (i % 5), 8 + (i % 5), 16, 24, 33, 41, 49, 57];
        await history(u, course, days, 4, lapsed ? 0 : 3);
      }
    }
    lapsedA = learnersA[0]!;
    await models().retrain();
  });

  test('status: both models stored with version, window, features and held-out figures', async () => {
    const res = await admin('status', superAdmin);
    assert.equal(res.status, 200);
    const d = res.body.data;
    assert.equal(d.training.state, 'succeeded', JSON.stringify(d.training));
    assert.equal(d.training.runner, 'child', 'trained in a child process with its own connection');
    assert.ok(d.training.childPeakRssMb > 0 && d.training.childPeakRssMb < 500, `child peak ${d.training.childPeakRssMb} MB`);
    for (const kind of ['churn', 'propensity']) {
      const m = d.models[kind];
      assert.equal(m.version, 1);
      assert.equal(m.horizonDays, 14);
      assert.ok(m.features.includes('completionRatio') && m.features.includes('recencyDays'));
      for (const f of ['spendUsd', 'subscriptionActive', 'subscriptionDays', 'localeZhHans', 'viewEvents', 'refundEvents']) assert.ok(m.features.includes(f), `${f} in the stored feature list`);
      assert.deepEqual(m.features, [...LEARNER_FEATURE_NAMES]);
      assert.ok(['decisionTree', 'logisticRegression'].includes(m.metrics.chosen.name));
      assert.ok('recency' in m.metrics.baselines && 'frequency' in m.metrics.baselines);
      assert.ok(new Date(m.window.cutoff).getTime() < new Date(m.trainedAt).getTime());
    }
    assert.ok(d.models.churn.metrics.learners > 0);
    assert.equal(d.segments.version, 1);
  });

  test('editors: at-risk with reasons; the lapsed learners first; no e-mail', async () => {
    const res = await admin('at-risk', editor, { limit: '100' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const list = res.body.data.learners as Array<{ userId: number; username: string; score: number; reason: string }>;
    const ids = new Set(list.map((l) => l.userId));
    for (const u of [...learnersA, ...learnersB]) assert.ok(ids.has(u.id), `${u.username} listed`);
    assert.ok(list.every((l) => typeof l.reason === 'string' && l.reason.length > 0));
    for (let i = 1; i < list.length; i++) assert.ok(list[i - 1]!.score >= list[i]!.score, 'by risk');
    const lapsedIds = new Set([...learnersA, ...learnersB].filter((_, i) => i % 24 % 3 === 0).map((u) => u.id));
    const lapsedScore = list.filter((l) => lapsedIds.has(l.userId)).reduce((m, l) => Math.min(m, l.score), Infinity);
    const activeIds = new Set([...learnersA, ...learnersB].map((u) => u.id).filter((id) => !lapsedIds.has(id)));
    const activeScore = list.filter((l) => activeIds.has(l.userId)).reduce((m, l) => Math.max(m, l.score), -Infinity);
    assert.ok(lapsedScore >= activeScore, `lapsed ${lapsedScore} ≥ active ${activeScore}`);
    assert.doesNotMatch(JSON.stringify(res.body), /"email"|@example\.test/);
  });

  test('editors: segments, likely buyers, checkout success', async () => {
    const seg = await admin('segments', editor);
    assert.equal(seg.status, 200);
    assert.ok(seg.body.data.segments.length >= 1);
    assert.equal(seg.body.data.segments.reduce((a: number, s: { size: number }) => a + s.size, 0), seg.body.data.learners);
    for (const s of seg.body.data.segments) assert.equal(typeof s.name, 'string');
    const buyers = await admin('likely-buyers', editor, { course: courseA.documentId });
    assert.equal(buyers.status, 200);
    assert.equal(buyers.body.data.courses[0].courseDocumentId, courseA.documentId);
    assert.equal(buyers.body.data.courses[0].title, courseA.title);
    const checkout = await admin('checkout-success', editor, { days: '3660' });
    assert.equal(checkout.status, 200);
    assert.ok('overall' in checkout.body.data && 'priceBand' in checkout.body.data.by);
  });

  test('likely buyers: a learner who already has the course (entitlement) is not listed; one entitlement look-up per list', async () => {
    const list = async () => {
      const { result, sql } = await countQueries(app, () => admin('likely-buyers', editor, { course: courseA.documentId, limit: '50' }));
      assert.equal(result.status, 200);
      const ids = (result.body.data.courses[0]?.buyers ?? []).map((b: { userId: number }) => b.userId) as number[];
      return { ids, entitlementQueries: sql.filter((q) => q.includes(entitlementTable)).length };
    };
    const entitlementTable = app.strapi.db.metadata.get('plugin::paywall.entitlement').tableName;
    const before_ = await list();
    assert.ok(before_.ids.length >= 3, `listed ${before_.ids.length}`);
    const [owner, granted] = before_.ids;
    const entitlements = app.strapi.plugin('paywall').service('entitlements') as { grant(input: Record<string, unknown>): Promise<unknown> };
    await entitlements.grant({ userId: owner, courseDocumentId: courseA.documentId, source: 'purchase', sourceRef: 'cs_behaviour_test' });
    await entitlements.grant({ userId: granted, courseDocumentId: courseA.documentId, source: 'grant', sourceRef: 'manual' });
    // an entitlement to another course changes nothing for this one
    await entitlements.grant({ userId: before_.ids[2], courseDocumentId: courseB.documentId, source: 'grant', sourceRef: 'manual' });
    const after_ = await list();
    assert.ok(!after_.ids.includes(owner as number) && !after_.ids.includes(granted as number), 'learners with access are not likely buyers');
    assert.ok(after_.ids.includes(before_.ids[2] as number));
    assert.deepEqual(after_.ids, before_.ids.filter((id) => id !== owner && id !== granted));
    assert.equal(after_.entitlementQueries, 1, 'one entitlement query for the whole list');
    assert.equal(before_.entitlementQueries, 1);
  });

  test('bad input: 400 with a message', async () => {
    for (const [path, query] of [['at-risk', { limit: '0' }], ['at-risk', { limit: 'x' }], ['likely-buyers', { course: 'bad id!' }], ['checkout-success', { days: '-1' }], ['at-risk', { other: '1' }]] as const) {
      const res = await admin(path, editor, query);
      assert.equal(res.status, 400, `${path} ${JSON.stringify(query)}`);
      assert.ok(res.body.error.message, JSON.stringify(res.body));
    }
  });

  test('admin permissions: no token 401, Author 403 on every behaviour route', async () => {
    for (const path of ['status', 'at-risk', 'likely-buyers', 'segments', 'checkout-success']) {
      assert.equal((await admin(path, null)).status, 401, path);
      assert.equal((await admin(path, author)).status, 403, path);
    }
    assert.equal((await app.http().post('/analytics/behaviour/retrain')).status, 401);
    assert.equal((await app.http().post('/analytics/behaviour/retrain').set('Authorization', author.auth)).status, 403);
  });

  const mine = (who: TestUser | null) => {
    const req = app.http().get('/api/analytics/me/at-risk');
    return who ? req.set('Authorization', who.auth) : req;
  };

  test('instructors: their own courses’ learners only, with progress and reason, never an e-mail', async () => {
    const res = await mine(instA);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const list = res.body.data.learners as Array<Record<string, unknown>>;
    const names = new Set(list.map((l) => l.username));
    for (const u of learnersA) assert.ok(names.has(u.username), `${u.username} of A listed`);
    for (const u of learnersB) assert.ok(!names.has(u.username), `${u.username} of B absent`);
    assert.ok(list.every((l) => l.courseDocumentId === courseA.documentId && l.courseTitle === courseA.title));
    const lapsed = list.find((l) => l.username === lapsedA.username)!;
    assert.deepEqual([lapsed.chaptersStarted, lapsed.chaptersCompleted, lapsed.completion], [4, 0, 0]);
    assert.equal(typeof lapsed.reason, 'string');
    const keys = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (keys.add(k), walk(x));
    };
    walk(res.body);
    assert.ok(!keys.has('email'), 'no email key');
    assert.ok(!keys.has('userId'), 'no account id either');
    for (const u of [...learnersA, ...learnersB]) assert.ok(!JSON.stringify(res.body).includes(u.email));
    const other = await mine(instB);
    assert.ok(!JSON.stringify(other.body).includes(lapsedA.username), 'B does not see A’s learner');
  });

  test('learners 403, anonymous 403 (users-permissions: no role holds it), bad limit 400', async () => {
    assert.equal((await mine(learner)).status, 403);
    assert.equal((await mine(learnersA[1]!)).status, 403);
    assert.equal((await mine(null)).status, 403);
    assert.equal((await mine(instA).query({ limit: '0' })).status, 400);
  });

  test('a failed training keeps the previous model served; the next one succeeds with version 2', async () => {
    const before_ = await admin('at-risk', editor);
    const version = before_.body.data.model.version;
    const knex = app.strapi.db.connection;
    const table = app.strapi.db.metadata.get(INTERACTION_UID).tableName;
    await knex.schema.renameTable(table, `${table}_away`);
    try {
      const res = await app.http().post('/analytics/behaviour/retrain').set('Authorization', editor.auth);
      assert.equal(res.status, 202);
      await models().retrain(); // the run started by the request (not a second one)
      const status = await admin('status', editor);
      assert.equal(status.body.data.training.state, 'failed');
      assert.ok(status.body.data.training.error);
      assert.equal(status.body.data.models.churn.version, version, 'the stored model is the previous one');
      const during = await admin('at-risk', editor);
      assert.equal(during.status, 200, 'scores cached per version: served without the table');
      assert.equal(during.body.data.model.version, version);
      assert.deepEqual(during.body.data.learners, before_.body.data.learners);
    } finally {
      await knex.schema.renameTable(`${table}_away`, table);
    }
    await models().retrain();
    const after_ = await admin('status', editor);
    assert.equal(after_.body.data.training.state, 'succeeded');
    assert.equal(after_.body.data.models.churn.version, version + 1);
    assert.equal((await admin('at-risk', editor)).body.data.model.version, version + 1);
  });

  test('scheduled training: two triggers of one slot at once (two transactions, two connections on PostgreSQL) train once; a late or repeated trigger of it does nothing; the next slot trains', async () => {
    const version = async () => (await admin('status', editor)).body.data.models.churn.version as number;
    const v0 = await version();
    const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 7 * DAY_MS); // later than any slot the cron could have claimed
    const both = await Promise.all([models().scheduled(slot), models().scheduled(slot)]);
    assert.deepEqual(both.map((r) => r.claimed).sort(), [false, true], 'exactly one trigger claims the slot');
    assert.ok(both.every((r) => r.slot === slot.toISOString()));
    assert.equal(await version(), v0 + 1, 'trained once');
    const status = (await admin('status', editor)).body.data;
    assert.equal(status.schedule.slot, slot.toISOString());
    assert.equal(typeof status.schedule.by, 'string');
    assert.equal(status.training.state, 'succeeded');
    assert.equal((await models().scheduled(new Date(slot.getTime() + 400))).claimed, false, 'the same slot (same second) again');
    assert.equal((await models().scheduled(new Date(slot.getTime() - 60_000))).claimed, false, 'an earlier slot, late');
    assert.equal(await version(), v0 + 1);
    const next = await models().scheduled(new Date(slot.getTime() + 60_000));
    assert.equal(next.claimed, true);
    assert.equal(await version(), v0 + 2, 'the next slot trains');
  });

  test('an erased learner leaves the training data and every list', async () => {
    const before_ = (await admin('status', editor)).body.data.models.churn.metrics.learners as number;
    await (app.strapi.plugin('notifications').service('account-data') as { erase(id: number): Promise<unknown> }).erase(lapsedA.id);
    models().forget();
    await models().retrain();
    const status = (await admin('status', editor)).body.data;
    assert.equal(status.models.churn.metrics.learners, before_ - 1);
    const list = (await admin('at-risk', editor)).body.data.learners as Array<{ userId: number }>;
    assert.ok(!list.some((l) => l.userId === lapsedA.id));
    assert.ok(!JSON.stringify((await mine(instA)).body).includes(lapsedA.username));
  });
});
