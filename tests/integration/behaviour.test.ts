/**
 * Behaviour features in SQL (analytics service `behaviour`, issue 19) from the recommender's
 * interaction rows, and purchases and progress from orders and progress rows, on SQLite and
 * PostgreSQL (TEST_DB): known values on a fixture, equal to the domain code over the same rows, and
 * rows after the cut-off change nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bootApp, type TestApp } from '../support/strapi';
import { createUser, type TestUser } from '../support/builders';
import { computeFeatures, DAY_MS, type Features, type Interaction, type PlatformFeatures } from '../../plugins/analytics/server/src/domain/behaviour/features';

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
async function order(user: TestUser, state: string, paidAt: number | null) {
  await app.strapi.db.query('plugin::checkout.order').create({
    data: { user: user.id, state, kind: 'course', courseDocumentId: 'course-a', amount: 1000, currency: 'usd', paidAt: paidAt === null ? null : new Date(paidAt) },
  });
}
async function progress(user: TestUser, course: string, createdAt: number, completedAt: number | null) {
  n++;
  await app.strapi.db.query('api::progress.progress').create({
    data: { user: user.id, courseDocumentId: course, chapterDocumentId: `ch-${n}`, uniqueKey: `k-${n}`, createdAt: new Date(createdAt), completedAt: completedAt === null ? null : new Date(completedAt) },
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
  await order(users.ann, 'pending', null);
  await order(users.ann, 'paid', CUTOFF + 1);
  await order(users.bob, 'paid', ago(100));
  await order(users.cid, 'failed', null);
  await progress(users.ann, 'course-a', ago(30), ago(29));
  await progress(users.ann, 'course-a', ago(20), CUTOFF + DAY_MS); // completed after the cut-off
  await progress(users.ann, 'course-b', ago(5), null);
  await progress(users.cid, 'course-x', ago(1), CUTOFF);
  await progress(users.dee, 'course-a', CUTOFF + 1, CUTOFF + 2);
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

  test('purchases and progress: known values; failed, pending and later orders and later progress do not count', async () => {
    const p = await platform();
    assert.deepEqual(p.get(users.ann.id), { purchases: 2, daysSinceLastPurchase: 3, chaptersCompleted: 1, coursesStarted: 2 });
    assert.deepEqual(p.get(users.bob.id), { purchases: 1, daysSinceLastPurchase: 100, chaptersCompleted: 0, coursesStarted: 0 });
    assert.deepEqual(p.get(users.cid.id), { purchases: 0, daysSinceLastPurchase: null, chaptersCompleted: 1, coursesStarted: 1 });
    assert.equal(p.has(users.dee.id), false);
    assert.equal(p.has(users.eve.id), false);
  });

  test('rows after the cut-off (known and new learners) change no feature', async () => {
    const before_ = await features();
    const platformBefore = await platform();
    await order(users.cid, 'paid', CUTOFF + 10);
    await order(users.eve, 'paid', CUTOFF + DAY_MS);
    await progress(users.bob, 'course-c', CUTOFF + 1, CUTOFF + 5);
    await progress(users.eve, 'course-c', CUTOFF + 1, null);
    await add(users.ann, 'course-z', CUTOFF + 1);
    await add(users.bob, 'course-b', CUTOFF + DAY_MS, 'purchase');
    await add(users.cid, 'course-x', CUTOFF + 3 * DAY_MS);
    await add(users.eve, 'course-q', CUTOFF + 5);
    assert.deepEqual(await features(), before_);
    assert.deepEqual(await platform(), platformBefore);
  });
});
