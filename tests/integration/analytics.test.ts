/**
 * analytics: every figure of every report equals the value worked out by hand from the fixture
 * (tests/support/analytics-fixtures.ts), on SQLite and PostgreSQL (TEST_DB); who may read what.
 * The reports are bucketed in America/New_York, where DST starts on 2026-03-08.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bootApp, type TestApp } from '../support/strapi';
import { createAdmin, createUser, type TestAdmin, type TestUser } from '../support/builders';
import { buildAnalyticsWorld, TZ, type AnalyticsWorld } from '../support/analytics-fixtures';

let app: TestApp;
let admin: TestAdmin;
let editor: TestAdmin;
let author: TestAdmin;
let learner: TestUser;
let w: AnalyticsWorld;

before(async () => {
  app = await bootApp({ env: { ANALYTICS_TIME_ZONE: TZ } });
  admin = await createAdmin(app);
  editor = await createAdmin(app, 'strapi-editor');
  author = await createAdmin(app, 'strapi-author');
  learner = await createUser(app);
  w = await buildAnalyticsWorld(app);
});
after(async () => {
  await app?.close();
});

const MARCH = { from: '2026-03-01', to: '2026-03-31' };
type Query = Record<string, string>;
async function adminGet(path: string, query: Query, who: TestAdmin | null = admin) {
  const req = app.http().get(`/analytics/${path}`).query(query);
  return who ? req.set('Authorization', who.auth) : req;
}
async function report<T = any>(path: string, query: Query = MARCH): Promise<T> {
  const res = await adminGet(path, query);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data as T;
}
const money = (currency: string, gross: number, refunds: number, disputes: number, orders: number) => ({
  currency,
  gross,
  refunds,
  disputes,
  net: gross - refunds - disputes,
  orders,
  averageOrderValue: orders > 0 ? Math.round(gross / orders) : null,
});

describe('sales', () => {
  test('March totals per currency in New York time: refunds and disputes in the month they happened', async () => {
    const r = await report('sales');
    assert.equal(r.period.timeZone, TZ);
    assert.equal(r.period.from, '2026-03-01T05:00:00.000Z');
    assert.equal(r.period.to, '2026-04-01T04:00:00.000Z', 'March ends at EDT midnight');
    assert.deepEqual(r.totals, [money('eur', 8000, 1000, 0, 2), money('jpy', 6000, 0, 3000, 2), money('usd', 6500, 5000, 0, 2)]);
    assert.deepEqual(r.previous, { fromDay: '2026-01-29', toDay: '2026-02-28', totals: [money('usd', 5000, 0, 0, 1)] });
  });

  test('by week: the first week clipped to March 1, the DST week, refunds a later week than their sale', async () => {
    const r = await report('sales', { ...MARCH, granularity: 'week' });
    assert.deepEqual(r.period.buckets, ['2026-02-23', '2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30']);
    const rows = r.series.map((s: any) => [s.bucket, s.currency, s.gross, s.refunds, s.disputes, s.net, s.orders]);
    assert.deepEqual(rows, [
      ['2026-02-23', 'usd', 5000, 0, 0, 5000, 1],
      ['2026-03-02', 'eur', 4000, 0, 0, 4000, 1],
      ['2026-03-09', 'eur', 4000, 0, 0, 4000, 1],
      ['2026-03-09', 'usd', 1500, 5000, 0, -3500, 1],
      ['2026-03-16', 'eur', 0, 1000, 0, -1000, 0],
      ['2026-03-23', 'jpy', 0, 0, 3000, -3000, 0],
      ['2026-03-30', 'jpy', 6000, 0, 0, 6000, 2],
    ]);
  });

  test('by day across the DST change: 01:30 EST and 00:30 EDT fall on their own local days', async () => {
    const r = await report('sales', { from: '2026-03-07', to: '2026-03-10', granularity: 'day', currency: 'eur' });
    assert.deepEqual(r.series.map((s: any) => [s.bucket, s.gross]), [['2026-03-08', 4000], ['2026-03-09', 4000]]);
  });

  test('by month: a sale refunded in a later month is a sale in its own month and a refund in the later one', async () => {
    const r = await report('sales', { from: '2026-02-01', to: '2026-04-30', granularity: 'month', currency: 'usd' });
    assert.deepEqual(r.series.map((s: any) => [s.bucket, s.gross, s.refunds, s.net, s.orders]), [
      ['2026-02', 5000, 0, 5000, 1],
      ['2026-03', 6500, 5000, 1500, 2],
      ['2026-04', 0, 5000, -5000, 0],
    ]);
  });

  test('the time zone is explicit: in UTC the month ends fall differently', async () => {
    const r = await report('sales', { ...MARCH, timeZone: 'UTC' });
    assert.deepEqual(r.totals.map((t: any) => [t.currency, t.gross, t.orders]), [['eur', 8000, 2], ['jpy', 3000, 1], ['usd', 11500, 3]]);
  });

  test('by course, and filtered by course, category and instructor', async () => {
    const r = await report('sales');
    assert.deepEqual(r.byCourse.map((c: any) => [c.title, c.currency, c.gross, c.refunds, c.disputes, c.net, c.orders]), [
      ['Course B', 'eur', 8000, 1000, 0, 7000, 2],
      ['Course C', 'jpy', 6000, 0, 3000, 3000, 2],
      ['Course A', 'usd', 5000, 5000, 0, 0, 1],
    ]);
    const byCourse = await report('sales', { ...MARCH, course: w.courseA.documentId });
    assert.deepEqual(byCourse.totals, [money('usd', 5000, 5000, 0, 1)]);
    const byCategory = await report('sales', { ...MARCH, category: w.categoryA });
    assert.deepEqual(byCategory.totals, byCourse.totals);
    const byInstructor = await report('sales', { ...MARCH, instructor: w.instructor1.instructorDocumentId });
    assert.deepEqual(byInstructor.totals, [money('eur', 8000, 1000, 0, 2), money('usd', 5000, 5000, 0, 1)]);
  });

  test('subscriptions: new, canceled, churn, MRR with yearly plans counted a twelfth', async () => {
    const r = await report('sales');
    assert.deepEqual(r.subscriptions, {
      new: 2,
      canceled: 1,
      activeAtStart: 3,
      churnRate: 0.3333,
      activeNow: 4,
      mrr: [
        { currency: 'eur', mrr: 999 },
        { currency: 'usd', mrr: 4000 },
      ],
    });
    const eur = await report('sales', { ...MARCH, currency: 'eur' });
    assert.deepEqual(eur.subscriptions, { new: 1, canceled: 0, activeAtStart: 0, churnRate: null, activeNow: 1, mrr: [{ currency: 'eur', mrr: 999 }] });
  });
});

describe('checkout funnel', () => {
  const f = (started: number, completed: number, paid: number, refunded: number, expired: number, failed: number, pending: number) => ({
    started,
    completed,
    paid,
    refunded,
    expired,
    failed,
    pending,
    successRate: started ? Math.round((paid / started) * 10000) / 10000 : null,
    abandonmentRate: started ? Math.round((expired / started) * 10000) / 10000 : null,
  });
  test('sessions started in March and what became of them, per currency and per course, with failure reasons', async () => {
    const r = await report('funnel');
    assert.deepEqual(r.totals, f(10, 8, 7, 2, 1, 1, 1));
    assert.equal(r.totals.successRate, 0.7);
    assert.deepEqual(r.byCurrency, [
      { currency: 'eur', ...f(3, 3, 2, 1, 0, 1, 0) },
      { currency: 'jpy', ...f(3, 3, 3, 0, 0, 0, 0) },
      { currency: 'usd', ...f(4, 2, 2, 1, 1, 0, 1) },
    ]);
    assert.deepEqual(
      r.byCourse.map((c: any) => [c.title, c.started, c.paid, c.refunded, c.expired, c.failed, c.pending]).sort((a: any[], b: any[]) => (a[0] < b[0] ? -1 : 1)),
      [
        ['Course A', 3, 1, 1, 1, 0, 1],
        ['Course B', 3, 2, 1, 0, 1, 0],
        ['Course C', 3, 3, 0, 0, 0, 0],
      ]
    );
    assert.deepEqual(r.failureReasons, [{ reason: 'checkout.session.async_payment_failed', count: 1 }]);
    const weeks = await report('funnel', { ...MARCH, granularity: 'week' });
    assert.deepEqual(weeks.series.map((s: any) => [s.bucket, s.started, s.paid]), [
      ['2026-02-23', 1, 1],
      ['2026-03-02', 1, 1],
      ['2026-03-09', 3, 2], // the expired session of Sunday March 15
      ['2026-03-16', 2, 0],
      ['2026-03-30', 3, 3],
    ]);
  });
});

describe('learning', () => {
  test('enrolments, started, completed, certificates, median time to complete, and course A’s drop-off', async () => {
    const r = await report('learning');
    assert.deepEqual(r.totals, { enrolments: 4, started: 4, completed: 2, certificates: 1, medianDaysToComplete: 2.5 });
    assert.deepEqual(r.byCourse.map((c: any) => [c.title, c.enrolments, c.started, c.completed, c.certificates]), [
      ['Course A', 2, 3, 1, 1],
      ['Course B', 1, 1, 1, 0],
    ]);
    assert.equal(r.dropOff.courseDocumentId, w.courseA.documentId);
    assert.deepEqual(r.dropOff.chapters.map((c: any) => [c.position, c.title, c.learners]), [
      [1, w.courseA.chapters[0]!.title, 3],
      [2, w.courseA.chapters[1]!.title, 2],
      [3, w.courseA.chapters[2]!.title, 1],
    ]);
    const weeks = await report('learning', { ...MARCH, granularity: 'week' });
    assert.deepEqual(weeks.series.map((s: any) => [s.bucket, s.enrolments, s.started, s.completed]), [
      ['2026-02-23', 1, 0, 0],
      ['2026-03-02', 1, 3, 1],
      ['2026-03-09', 1, 1, 1],
      ['2026-03-16', 1, 0, 0],
    ]);
  });
});

describe('catalogue review', () => {
  test('queue, decisions and time in review per instructor', async () => {
    const r = await report('review');
    assert.deepEqual(r.queue, { waiting: 1, oldestWaitingSince: '2026-03-20T10:00:00.000Z', medianHoursToDecision: 36 });
    assert.deepEqual(r.totals, { submissions: 3, approvals: 1, changesRequested: 1 });
    assert.deepEqual(r.byInstructor, [
      { instructorDocumentId: w.instructor1.instructorDocumentId, name: 'Ada Lovelace', submissions: 2, approvals: 1, changesRequested: 0, medianHoursInReview: 24 },
      { instructorDocumentId: w.instructor2.instructorDocumentId, name: 'Alan Turing', submissions: 1, approvals: 0, changesRequested: 1, medianHoursInReview: 48 },
    ]);
  });
});

describe('overview (homepage widgets)', () => {
  test('revenue against the previous period per currency, orders, subscriptions, conversion, queue, learning', async () => {
    const r = await report('overview');
    assert.deepEqual(r.revenue, [
      { currency: 'eur', net: 7000, previousNet: 0 },
      { currency: 'jpy', net: 3000, previousNet: 0 },
      { currency: 'usd', net: 1500, previousNet: 5000 },
    ]);
    assert.deepEqual(r.paidOrders, { current: 6, previous: 1 });
    assert.deepEqual(r.subscriptions, { active: 4, mrr: [{ currency: 'eur', mrr: 999 }, { currency: 'usd', mrr: 4000 }] });
    assert.deepEqual(r.conversion, { started: 10, paid: 7, successRate: 0.7 });
    assert.equal(r.reviewQueue.waiting, 1);
    assert.deepEqual(r.learning, { enrolments: 4, completed: 2 });
  });
});

describe('input', () => {
  const bad: Array<[string, Query, RegExp]> = [
    ['an impossible date', { from: '2026-02-30', to: '2026-03-01' }, /calendar dates/],
    ['from after to', { from: '2026-03-02', to: '2026-03-01' }, /from must not be after to/],
    ['a custom range without its end', { preset: 'custom', from: '2026-03-01' }, /needs both from and to/],
    ['an unknown preset', { preset: 'forever' }, /preset/],
    ['an unknown granularity', { granularity: 'hour' }, /granularity/],
    ['an unknown zone', { preset: '7d', timeZone: 'Mars/Olympus' }, /Mars\/Olympus/],
    ['too many buckets', { from: '2020-01-01', to: '2026-03-01', granularity: 'day' }, /buckets/],
    ['an upper-case currency', { preset: '7d', currency: 'USD' }, /currency/],
    ['an unknown parameter', { preset: '7d', sort: 'x' }, /sort/],
  ];
  for (const [name, query, message] of bad) {
    test(`400: ${name}`, async () => {
      const res = await adminGet('sales', query);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(JSON.stringify(res.body.error), message);
    });
  }
  test('without a range: the last ANALYTICS_DEFAULT_DAYS days, today in the configured zone', async () => {
    const r = await report('sales', {});
    assert.equal(r.period.buckets.length, 30);
  });
});

describe('instructors over REST: their own courses only', () => {
  const get = (path: string, auth: string | null, query: Query = MARCH) => {
    const req = app.http().get(`/api/analytics/me/${path}`).query(query);
    return auth ? req.set('Authorization', auth) : req;
  };
  test('sales of the caller’s courses, never another instructor’s, never plans', async () => {
    const res = await get('sales', w.instructor1.auth);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.data.totals, [money('eur', 8000, 1000, 0, 2), money('usd', 5000, 5000, 0, 1)]);
    assert.deepEqual(res.body.data.byCourse.map((c: any) => c.courseDocumentId).sort(), [w.courseA.documentId, w.courseB.documentId].sort());
    assert.ok(!JSON.stringify(res.body).includes(w.courseC.documentId), 'another instructor’s course is absent');
    const other = await get('sales', w.instructor2.auth);
    assert.deepEqual(other.body.data.totals, [money('jpy', 6000, 0, 3000, 2)]);
  });
  test('learning of the caller’s courses', async () => {
    const res = await get('learning', w.instructor1.auth);
    assert.equal(res.status, 200);
    assert.deepEqual(
      { enrolments: res.body.data.totals.enrolments, started: res.body.data.totals.started, completed: res.body.data.totals.completed, certificates: res.body.data.totals.certificates },
      { enrolments: 3, started: 4, completed: 2, certificates: 1 }
    );
    const other = await get('learning', w.instructor2.auth);
    assert.deepEqual(other.body.data.byCourse, []);
    assert.equal(other.body.data.dropOff.courseDocumentId, w.courseC.documentId, 'an instructor with one course sees its drop-off');
    assert.deepEqual(other.body.data.dropOff.chapters.map((c: any) => c.learners), [0]);
  });
  test('another instructor’s course as a filter is not found, for sales and learning', async () => {
    for (const path of ['sales', 'learning']) {
      const res = await get(path, w.instructor1.auth, { ...MARCH, course: w.courseC.documentId });
      assert.equal(res.status, 404, path);
      assert.ok(!JSON.stringify(res.body).includes('jpy'));
    }
    const own = await get('sales', w.instructor1.auth, { ...MARCH, course: w.courseB.documentId });
    assert.deepEqual(own.body.data.totals, [money('eur', 8000, 1000, 0, 2)]);
  });
});

describe('permission table', () => {
  const pages = ['overview', 'sales', 'funnel', 'learning', 'review'];
  const table: Array<[string, () => TestAdmin | null, number]> = [
    ['Super Admin', () => admin, 200],
    ['Editor (granted at first boot)', () => editor, 200],
    ['Author', () => author, 403],
    ['no admin token', () => null, 401],
  ];
  for (const [who, as, status] of table) {
    test(`${who}: ${status} on every Analytics page`, async () => {
      for (const page of pages) {
        const res = await adminGet(page, { preset: '7d' }, as());
        assert.equal(res.status, status, `${page}: ${JSON.stringify(res.body)}`);
      }
    });
  }
  test('a learner’s or an anonymous caller’s user token reaches no admin page', async () => {
    for (const page of pages) {
      const res = await app.http().get(`/analytics/${page}`).set('Authorization', learner.auth);
      assert.equal(res.status, 401, page);
    }
  });
  const rest: Array<[string, () => string | null, number]> = [
    ['learner', () => learner.auth, 403],
    ['anonymous', () => null, 403],
    ['instructor', () => w.instructor1.auth, 200],
  ];
  for (const [who, auth, status] of rest) {
    test(`REST /api/analytics/me/*: ${who} → ${status}`, async () => {
      for (const path of ['sales', 'learning']) {
        const req = app.http().get(`/api/analytics/me/${path}`);
        const a = auth();
        const res = await (a ? req.set('Authorization', a) : req);
        assert.equal(res.status, status, `${path}: ${JSON.stringify(res.body)}`);
      }
    });
  }
  test('an editor’s page action taken away is refused at once', async () => {
    const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'strapi-editor' } });
    await app.strapi.db.query('admin::permission').deleteMany({ where: { role: role.id, action: 'plugin::analytics.funnel.read' } });
    assert.equal((await adminGet('funnel', { preset: '7d' }, editor)).status, 403);
    assert.equal((await adminGet('sales', { preset: '7d' }, editor)).status, 200);
  });
});

describe('learner-starts rollup: incremental and rebuildable', () => {
  test('a new first progress row is counted after a refresh, and a rebuild gives the same figures', async () => {
    const { modelNames, PROGRESS_UID } = await import('@kp/platform');
    const before = await report('learning');
    assert.equal(before.totals.started, 4);
    const n = modelNames(app.strapi, PROGRESS_UID);
    const learner = w.learners[3]!;
    const chapter = w.courseB.chapters[0]!.documentId;
    const at = new Date('2026-03-21T12:00:00Z');
    const [inserted] = await app.strapi.db.connection(n.table)
      .insert({ [n.col('documentId')]: `rollup${Date.now()}`, [n.col('chapterDocumentId')]: chapter, [n.col('courseDocumentId')]: w.courseB.documentId, [n.col('uniqueKey')]: `${learner.id}:${chapter}`, [n.col('createdAt')]: at, [n.col('updatedAt')]: at })
      .returning('id');
    const id = typeof inserted === 'number' ? inserted : Number((inserted as { id: number }).id);
    const link = n.join('user');
    await app.strapi.db.connection(link.table).insert({ [link.from]: id, [link.to]: learner.id });
    const rollup = app.strapi.plugin('analytics').service('rollup') as { refresh(): Promise<void>; rebuild(): Promise<void> };
    await rollup.refresh();
    const after = await report('learning');
    assert.equal(after.totals.started, 5, 'L4 started course B in March');
    assert.deepEqual(after.byCourse.map((c: any) => [c.title, c.started]), [['Course A', 3], ['Course B', 2]]);
    await rollup.refresh();
    assert.equal((await report('learning')).totals.started, 5, 'a second refresh counts nothing twice');
    await rollup.rebuild();
    const rebuilt = await report('learning');
    assert.deepEqual(rebuilt.totals, after.totals);
    assert.deepEqual(rebuilt.byCourse, after.byCourse);
  });
});

describe('daily order rollup', () => {
  // Orders of May and June only: the figures of March above are not touched.
  const ORDER_UID = 'plugin::checkout.order';
  const MAY_JUNE = { from: '2026-05-01', to: '2026-06-30' };
  type Reports = Record<'sales' | 'funnel' | 'overview', (input: unknown) => Promise<unknown>>;
  const reports = () => app.strapi.plugin('analytics').service('reports') as Reports;
  const request = () => app.strapi.plugin('analytics').service('request') as { forEditor(query: unknown, now: Date): Promise<Record<string, unknown>> };

  /** Every sales, funnel and overview answer over HTTP (read from the rollup) equals the report computed from the order rows. */
  async function assertRollupEqualsRows(label: string) {
    const cases: Array<['sales' | 'funnel' | 'overview', Query]> = [
      ['sales', { ...MAY_JUNE, granularity: 'day' }],
      ['sales', { ...MAY_JUNE, granularity: 'week' }],
      ['sales', { ...MAY_JUNE, granularity: 'month', currency: 'usd' }],
      ['sales', { ...MAY_JUNE, granularity: 'week', course: w.courseA.documentId }],
      ['funnel', { ...MAY_JUNE, granularity: 'week' }],
      ['funnel', { from: '2026-05-01', to: '2026-05-31', granularity: 'day', instructor: w.instructor1.instructorDocumentId }],
      ['overview', { from: '2026-06-01', to: '2026-06-30' }],
    ];
    for (const [path, query] of cases) {
      const viaHttp = await report(path, query);
      const input = await request().forEditor({ granularity: 'day', ...query }, new Date());
      const fromRows = JSON.parse(JSON.stringify(await reports()[path]({ ...input, source: 'rows' })));
      assert.deepEqual(viaHttp, fromRows, `${label}: ${path} ${JSON.stringify(query)}`);
    }
  }

  test('after a series of order writes — sessions, payments, a partial then a full refund in a later month, a lost dispute, an expiry — every figure read from the rollup equals the computation from the order rows', async () => {
    const { strapi } = app;
    const { modelNames, updateRow } = await import('../../src/platform');
    const n = modelNames(strapi, ORDER_UID);
    let seq = 0;
    const create = async (course: typeof w.courseA | null, currency: string, amount: number, createdAt: string) => {
      seq += 1;
      const at = new Date(createdAt);
      const row = {
        [n.col('documentId')]: `rollup${String(seq).padStart(18, '0')}`,
        [n.col('kind')]: course ? 'course' : 'plan',
        [n.col('courseDocumentId')]: course?.documentId ?? null,
        [n.col('itemTitle')]: course?.title ?? 'Plan',
        [n.col('currency')]: currency,
        [n.col('amount')]: amount,
        [n.col('amountRefunded')]: 0,
        [n.col('state')]: 'pending',
        [n.col('checkoutSessionId')]: `cs_rollup_${seq}`,
        [n.col('createdAt')]: at,
        [n.col('updatedAt')]: new Date(),
      };
      const [inserted] = await strapi.db.connection(n.table).insert(row).returning('id');
      return typeof inserted === 'number' ? inserted : Number((inserted as { id: number }).id);
    };
    // What checkout's order store does on each change: the row, with updatedAt = now.
    const change = (id: number, data: Record<string, string | number | Date | null>) => updateRow(strapi, ORDER_UID, id, data, new Date());

    await assertRollupEqualsRows('before any write');
    const a = await create(w.courseA, 'usd', 5000, '2026-05-03T15:00:00Z');
    const b = await create(w.courseB, 'eur', 4000, '2026-05-31T23:30:00Z'); // June 1 in UTC, May 31 in New York
    const c = await create(w.courseC, 'jpy', 3000, '2026-05-10T12:00:00Z');
    const p = await create(null, 'usd', 1500, '2026-05-12T12:00:00Z');
    const e = await create(w.courseA, 'usd', 5000, '2026-05-20T12:00:00Z');
    await assertRollupEqualsRows('sessions started');
    await change(a, { state: 'paid', amountPaid: 5000, paidAt: new Date('2026-05-03T15:05:00Z'), lastEventAt: new Date('2026-05-03T15:05:00Z') });
    await change(b, { state: 'paid', amountPaid: 3600, paidAt: new Date('2026-05-31T23:40:00Z'), lastEventAt: new Date('2026-05-31T23:40:00Z') });
    await change(c, { state: 'paid', amountPaid: 3000, paidAt: new Date('2026-05-10T12:01:00Z'), lastEventAt: new Date('2026-05-10T12:01:00Z') });
    await change(p, { state: 'paid', amountPaid: 1500, paidAt: new Date('2026-05-12T12:01:00Z'), lastEventAt: new Date('2026-05-12T12:01:00Z') });
    await change(e, { state: 'expired', closedAt: new Date('2026-05-21T12:00:00Z') });
    await assertRollupEqualsRows('paid and expired');
    await change(a, { amountRefunded: 1000, lastEventAt: new Date('2026-05-25T12:00:00Z') });
    await assertRollupEqualsRows('a partial refund');
    await change(a, { state: 'refunded', amountRefunded: 5000, lastEventAt: new Date('2026-06-15T12:00:00Z'), closedAt: new Date('2026-06-15T12:00:00Z') });
    await change(c, { state: 'disputed', disputeStatus: 'lost', lastEventAt: new Date('2026-06-02T12:00:00Z') });
    await assertRollupEqualsRows('the rest refunded in June, a lost dispute');

    // What a user sees: the May sale stays a sale of May, the refund lands in May (partial) then moves wholly to June.
    const june = await report('sales', { from: '2026-06-01', to: '2026-06-30' });
    assert.deepEqual(june.totals, [money('jpy', 0, 0, 3000, 0), money('usd', 0, 5000, 0, 0)]);
    const may = await report('sales', { from: '2026-05-01', to: '2026-05-31' });
    assert.deepEqual(may.totals, [money('eur', 3600, 0, 0, 1), money('jpy', 3000, 0, 0, 1), money('usd', 6500, 0, 0, 2)], 'paid 23:40 UTC on May 31 is May in New York; no refund left in May once the order was refunded in full in June');

    // Rebuilt from scratch, the rollup answers the same.
    await (strapi.plugin('analytics').service('order-rollup') as { rebuild(): Promise<void> }).rebuild();
    await assertRollupEqualsRows('after a rebuild');
    assert.deepEqual((await report('sales', { from: '2026-06-01', to: '2026-06-30' })).totals, june.totals);
  });

  test('the background fold writes only what changed: the whole overlap read again and unchanged writes nothing; a changed order is folded', async () => {
    const { strapi } = app;
    const { modelNames, updateRow } = await import('../../src/platform');
    const fold = (now: number) => (strapi.plugin('analytics').service('order-rollup') as { backgroundFold(now?: number): Promise<void> }).backgroundFold(now);
    /** Statements that write the rollup's tables while `fn` runs. */
    const statementsOf = async (fn: () => Promise<void>, keep: (sql: string) => boolean = () => true) => {
      const writes: string[] = [];
      const listener = (q: { sql: string }) => {
        if (keep(q.sql)) writes.push(q.sql);
      };
      strapi.db.connection.on('query', listener);
      try {
        await fn();
      } finally {
        strapi.db.connection.removeListener('query', listener);
      }
      return writes;
    };
    const writesOf = (fn: () => Promise<void>) => statementsOf(fn, (sql) => /^\s*(insert|update|delete)/i.test(sql) && /analytics_(order_days|order_facts|rollup_state)/.test(sql));
    const now = Date.now();
    await fold(now); // whatever the earlier tests left is folded
    assert.deepEqual(await writesOf(() => fold(now + 61_000)), [], 'the full re-read of the overlap (once a minute): every order unchanged, nothing written');
    const idle = await statementsOf(() => fold(now + 62_000));
    assert.ok(idle.length <= 2 && !idle.some((sql) => /^\s*(begin|start transaction|savepoint|insert|update|delete)/i.test(sql) || /advisory/i.test(sql)), `the next fold, no order changed: one look (state and pending orders), no transaction, no lock, nothing written: ${JSON.stringify(idle)}`);
    // One order changes (a refund of 5.00 on a paid order of the fixture month).
    const n = modelNames(strapi, ORDER_UID);
    const [paid] = (await strapi.db.connection(n.table).where(n.col('state'), 'paid').whereNotNull(n.col('paidAt')).orderBy('id').limit(1).select('id')) as Array<{ id: number }>;
    assert.ok(paid, 'a paid order to refund');
    await updateRow(strapi, ORDER_UID, paid.id, { amountRefunded: 500, lastEventAt: new Date('2026-06-20T12:00:00Z') }, new Date());
    const writes = await writesOf(() => fold(now + 63_000));
    assert.ok(writes.length > 0 && writes.length <= 4, `the changed order is folded in a few statements: ${writes.length}`);
    await assertRollupEqualsRows('after the background fold of one change');
    // A change committed long after its updatedAt (2 minutes before the newest one folded): the
    // frequent folds look seconds back, the once-a-minute read of the 5-minute overlap folds it.
    const [other] = (await strapi.db.connection(n.table).where(n.col('state'), 'paid').whereNotNull(n.col('paidAt')).where('id', '>', paid.id).orderBy('id').limit(1).select('id')) as Array<{ id: number }>;
    assert.ok(other, 'a second paid order');
    await updateRow(strapi, ORDER_UID, other.id, { amountRefunded: 300, lastEventAt: new Date('2026-06-21T12:00:00Z') }, new Date(Date.now() - 120_000));
    assert.deepEqual(await writesOf(() => fold(now + 64_000)), [], 'a frequent fold does not look two minutes back');
    assert.ok((await writesOf(() => fold(now + 122_000))).length > 0, 'the overlap read folds the late change');
    await assertRollupEqualsRows('after the overlap read folded a late change');
    // Ticks that come while a fold runs do nothing: folds never queue behind one another (each would
    // hold a pool connection while waiting for the lock).
    await updateRow(strapi, ORDER_UID, paid.id, { amountRefunded: 700 }, new Date());
    const begins = await statementsOf(() => Promise.all([fold(now + 130_000), fold(now + 130_250), fold(now + 130_500)]).then(() => undefined), (sql) => /^\s*begin/i.test(sql));
    assert.equal(begins.length, 1, `three ticks during one fold open one transaction: ${begins.length}`);
    await assertRollupEqualsRows('after three overlapping ticks');
  });
});

describe('learning reports: the learner-starts rollup equals the progress rows', () => {
  // Rows of April only: the figures of March above are not touched.
  const APRIL = { from: '2026-04-01', to: '2026-04-30' };
  type Learning = { learning(input: unknown): Promise<unknown> };
  const reports = () => app.strapi.plugin('analytics').service('reports') as Learning;
  const request = () => app.strapi.plugin('analytics').service('request') as { forEditor(query: unknown, now: Date): Promise<Record<string, unknown>> };
  const rollup = () => app.strapi.plugin('analytics').service('rollup') as { refresh(): Promise<void>; rebuild(): Promise<void> };

  /** Every learning answer over HTTP (starts from the rollup) equals the report computed from the progress rows (`source: 'rows'`). */
  async function assertRollupEqualsRows(label: string) {
    await rollup().refresh();
    const cases: Query[] = [
      { ...APRIL, granularity: 'day' },
      { ...APRIL, granularity: 'week' },
      { from: '2026-03-01', to: '2026-04-30', granularity: 'month' },
      { ...APRIL, granularity: 'week', course: w.courseA.documentId },
      { ...APRIL, granularity: 'day', instructor: w.instructor1.instructorDocumentId },
      { ...APRIL, granularity: 'week', timeZone: 'UTC' },
    ];
    for (const query of cases) {
      const viaHttp = await report('learning', query);
      const input = await request().forEditor({ granularity: 'day', ...query }, new Date());
      const fromRows = JSON.parse(JSON.stringify(await reports().learning({ ...input, source: 'rows' })));
      assert.deepEqual(viaHttp, fromRows, `${label}: learning ${JSON.stringify(query)}`);
    }
  }

  test('after progress, enrolments and a completion, then two learners erased, and after a rebuild, every learning figure read from the rollup equals the one from the progress rows', async () => {
    const { strapi } = app;
    const { modelNames, PROGRESS_UID } = await import('@kp/platform');
    const knex = strapi.db.connection;
    let seq = 0;
    async function insert(uid: string, data: Record<string, string | number | boolean | Date | null>, links: Record<string, number>) {
      const n = modelNames(strapi, uid);
      seq += 1;
      const row: Record<string, unknown> = { [n.col('documentId')]: `learning${String(seq).padStart(16, '0')}`, [n.col('updatedAt')]: new Date() };
      for (const [k, v] of Object.entries(data)) row[n.col(k)] = v;
      const [inserted] = await knex(n.table).insert(row).returning('id');
      const id = typeof inserted === 'number' ? inserted : Number((inserted as { id: number }).id);
      for (const [relation, target] of Object.entries(links)) {
        const j = n.join(relation);
        await knex(j.table).insert({ [j.from]: id, [j.to]: target });
      }
    }
    const progress = (user: TestUser, course: typeof w.courseA, chapter: number, at: string) =>
      insert(PROGRESS_UID, { chapterDocumentId: course.chapters[chapter]!.documentId, courseDocumentId: course.documentId, uniqueKey: `${user.id}:${course.chapters[chapter]!.documentId}`, completedAt: new Date(at), createdAt: new Date(at) }, { user: user.id });
    const enrol = (user: TestUser, course: typeof w.courseA, at: string) =>
      insert('plugin::paywall.entitlement', { source: 'purchase', state: 'active', userRef: user.id, courseRef: course.documentId, sourceRef: `learning-${seq}`, dedupeKey: `learning-${seq}`, validFrom: new Date(at), createdAt: new Date(at) }, { user: user.id });
    const x = await createUser(app);
    const y = await createUser(app);

    await assertRollupEqualsRows('before any write');
    await enrol(x, w.courseA, '2026-04-01T12:00:00Z');
    await enrol(y, w.courseB, '2026-04-04T12:00:00Z');
    await progress(x, w.courseA, 0, '2026-04-02T12:00:00Z');
    await progress(x, w.courseA, 1, '2026-04-03T12:00:00Z');
    await progress(y, w.courseA, 0, '2026-04-05T12:00:00Z');
    await progress(y, w.courseB, 0, '2026-04-06T12:00:00Z');
    await insert(
      'plugin::learning.certificate',
      { learnerName: x.username, courseDocumentId: w.courseA.documentId, courseTitle: w.courseA.title, language: 'en', completedAt: new Date('2026-04-10T12:00:00Z'), code: `LEARN${Date.now()}`, state: 'valid', dedupeKey: `${x.id}:${w.courseA.documentId}`, createdAt: new Date('2026-04-10T12:00:00Z') },
      { learner: x.id }
    );
    await assertRollupEqualsRows('progress, enrolments, a completion');
    // What an editor sees for April: X started A (Apr 2) and completed it 8 days later; Y started A and B.
    const april = await report('learning', APRIL);
    assert.deepEqual(april.totals, { enrolments: 2, started: 3, completed: 1, certificates: 1, medianDaysToComplete: 8 });
    assert.deepEqual(april.byCourse.map((c: any) => [c.title, c.enrolments, c.started, c.completed]), [['Course A', 1, 2, 1], ['Course B', 1, 1, 0]]);
    assert.deepEqual(april.dropOff.chapters.map((c: any) => c.learners), [2, 1, 0]);

    // Y erased (progress and entitlements deleted, the account removed): Y's starts leave the rollup.
    const erase = (user: TestUser) => (strapi.plugin('notifications').service('account-data') as { erase(id: number): Promise<unknown> }).erase(user.id);
    await erase(y);
    await assertRollupEqualsRows('a learner erased');
    const afterY = await report('learning', APRIL);
    assert.deepEqual(afterY.totals, { enrolments: 1, started: 1, completed: 1, certificates: 1, medianDaysToComplete: 8 });
    assert.deepEqual(afterY.byCourse.map((c: any) => [c.title, c.started]), [['Course A', 1]], 'no trace of Y in course B');
    assert.deepEqual(afterY.dropOff.chapters.map((c: any) => c.learners), [1, 1, 0]);

    // X erased: the certificate stays, anonymised and revoked — a completion, no longer a certificate that stands; no start is left, so no time to complete.
    await erase(x);
    await assertRollupEqualsRows('the second learner erased');
    const afterX = await report('learning', APRIL);
    assert.deepEqual(afterX.totals, { enrolments: 0, started: 0, completed: 1, certificates: 0, medianDaysToComplete: null });

    await rollup().rebuild();
    await assertRollupEqualsRows('after a rebuild');
    assert.deepEqual((await report('learning', APRIL)).totals, afterX.totals);
  });
});
