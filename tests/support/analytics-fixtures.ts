/**
 * A world with known totals for the analytics suite, in America/New_York, around March 2026:
 * orders in three currencies (usd, eur, jpy) on both sides of the DST change (March 8) and of the
 * month ends (Feb 28 / Mar 31 local = Mar 1 / Apr 1 UTC), refunds and a lost dispute in a later
 * period than their sale, subscriptions on monthly and yearly plans, entitlements, progress for a
 * three-chapter drop-off, certificates and review events. Rows of Stripe-mirrored and derived types
 * are inserted as the plugins store them (raw rows, names from Strapi's metadata); the catalogue
 * goes through the builders. The expected figures live in tests/integration/analytics.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { modelNames, PLAN_UID, PROGRESS_UID, SUBSCRIPTION_UID, type RowValue } from '@kp/platform';
import { createCourse, createInstructor, createUser, type BuiltCourse, type TestInstructor, type TestUser } from './builders';
import type { TestApp } from './strapi';

export const TZ = 'America/New_York';
const ORDER_UID = 'plugin::checkout.order';
const ENTITLEMENT_UID = 'plugin::paywall.entitlement';
const CERTIFICATE_UID = 'plugin::learning.certificate';
const SUBMISSION_UID = 'plugin::review.submission';
const REVIEW_EVENT_UID = 'plugin::review.review-event';

export interface AnalyticsWorld {
  instructor1: TestInstructor;
  instructor2: TestInstructor;
  learners: TestUser[];
  courseA: BuiltCourse;
  courseB: BuiltCourse;
  courseC: BuiltCourse;
  categoryA: string;
  plans: { monthlyUsd: string; yearlyUsd: string; yearlyEur: string };
}

const id = () => randomBytes(12).toString('hex');
const t = (iso: string) => new Date(iso);

export async function buildAnalyticsWorld(app: TestApp): Promise<AnalyticsWorld> {
  const { strapi } = app;
  const knex = strapi.db.connection;

  /** Inserts a row of `uid` (attributes by name) and its to-one links; returns the row id. */
  async function insert(uid: string, data: Record<string, RowValue>, links: Record<string, number> = {}): Promise<number> {
    const n = modelNames(strapi, uid);
    const now = new Date();
    const row: Record<string, RowValue> = { [n.col('documentId')]: id(), [n.col('createdAt')]: now, [n.col('updatedAt')]: now, [n.col('publishedAt')]: now };
    for (const [k, v] of Object.entries(data)) row[n.col(k)] = v;
    const [inserted] = await knex(n.table).insert(row).returning('id');
    const rowId = typeof inserted === 'number' ? inserted : Number((inserted as { id: number }).id);
    for (const [relation, target] of Object.entries(links)) {
      const j = n.join(relation);
      await knex(j.table).insert({ [j.from]: rowId, [j.to]: target });
    }
    return rowId;
  }

  const category = await strapi.documents('api::category.category').create({ locale: 'en', data: { name: 'Data', slug: `data-${id().slice(0, 6)}` } as never });
  const instructor1 = await createInstructor(app, 'Ada Lovelace');
  const instructor2 = await createInstructor(app, 'Alan Turing');
  const courseA = await createCourse(app, { title: 'Course A', instructor: instructor1.instructorDocumentId, category: category.documentId, chapters: 3, currency: 'usd', price: 5000 });
  const courseB = await createCourse(app, { title: 'Course B', instructor: instructor1.instructorDocumentId, chapters: 1, currency: 'eur', price: 4000 });
  const courseC = await createCourse(app, { title: 'Course C', instructor: instructor2.instructorDocumentId, chapters: 1, currency: 'jpy', price: 3000 });
  const learners = [await createUser(app), await createUser(app), await createUser(app), await createUser(app)];
  const [L1, L2, L3, L4] = learners as [TestUser, TestUser, TestUser, TestUser];

  // Orders. createdAt is when the Checkout Session started.
  type O = { course?: BuiltCourse; currency: string; amount: number; state: string; created: string; paid?: string; closed?: string; last?: string; refunded?: number; dispute?: string; lastType?: string; kind?: 'plan' };
  const orders: Record<string, O> = {
    o1: { course: courseA, currency: 'usd', amount: 5000, state: 'refunded', created: '2026-03-01T04:20:00Z', paid: '2026-03-01T04:30:00Z', refunded: 5000, closed: '2026-03-10T12:00:00Z', last: '2026-03-10T12:00:00Z' },
    o2: { course: courseA, currency: 'usd', amount: 5000, state: 'refunded', created: '2026-03-01T05:20:00Z', paid: '2026-03-01T05:30:00Z', refunded: 5000, closed: '2026-04-05T12:00:00Z', last: '2026-04-05T12:00:00Z' },
    o3: { course: courseB, currency: 'eur', amount: 4000, state: 'paid', created: '2026-03-08T06:20:00Z', paid: '2026-03-08T06:30:00Z', refunded: 1000, last: '2026-03-20T12:00:00Z' },
    o4: { course: courseB, currency: 'eur', amount: 4000, state: 'paid', created: '2026-03-09T04:20:00Z', paid: '2026-03-09T04:30:00Z' },
    o5: { course: courseC, currency: 'jpy', amount: 3000, state: 'paid', created: '2026-03-31T23:20:00Z', paid: '2026-03-31T23:30:00Z' },
    o6: { course: courseC, currency: 'jpy', amount: 3000, state: 'disputed', dispute: 'lost', created: '2026-04-01T03:49:00Z', paid: '2026-04-01T03:59:00Z', last: '2026-03-25T12:00:00Z' },
    o7: { course: courseC, currency: 'jpy', amount: 3000, state: 'paid', created: '2026-04-01T03:50:00Z', paid: '2026-04-01T04:00:00Z' },
    o8: { course: courseA, currency: 'usd', amount: 5000, state: 'expired', created: '2026-03-15T15:00:00Z', closed: '2026-03-16T15:00:00Z' },
    o9: { course: courseB, currency: 'eur', amount: 4000, state: 'failed', created: '2026-03-16T15:00:00Z', closed: '2026-03-17T15:00:00Z', lastType: 'checkout.session.async_payment_failed' },
    o10: { course: courseA, currency: 'usd', amount: 5000, state: 'pending', created: '2026-03-17T15:00:00Z' },
    o11: { kind: 'plan', currency: 'usd', amount: 1500, state: 'paid', created: '2026-03-12T14:50:00Z', paid: '2026-03-12T15:00:00Z' },
  };
  for (const [, o] of Object.entries(orders)) {
    await insert(ORDER_UID, {
      kind: o.kind ?? 'course',
      courseDocumentId: o.course?.documentId ?? null,
      itemTitle: o.course?.title ?? 'Plan',
      currency: o.currency,
      amount: o.amount,
      amountPaid: o.paid ? o.amount : null,
      amountRefunded: o.refunded ?? 0,
      state: o.state,
      disputeStatus: o.dispute ?? null,
      createdAt: t(o.created),
      paidAt: o.paid ? t(o.paid) : null,
      closedAt: o.closed ? t(o.closed) : null,
      lastEventAt: o.last ? t(o.last) : o.paid ? t(o.paid) : null,
      lastEventType: o.lastType ?? null,
      checkoutSessionId: `cs_test_${id()}`,
    });
  }

  // Plans and subscriptions. A cancellation is dated by the row's last change.
  const planRow = async (interval: 'month' | 'year', price: number, currency: string) => {
    const rowId = await insert(PLAN_UID, { name: `${interval} ${currency}`, slug: `plan-${id().slice(0, 8)}`, interval, price, currency, allAccess: true });
    const row = await knex(modelNames(strapi, PLAN_UID).table).where('id', rowId).first();
    return { rowId, documentId: String(row[modelNames(strapi, PLAN_UID).col('documentId')]) };
  };
  const monthlyUsd = await planRow('month', 1500, 'usd');
  const yearlyUsd = await planRow('year', 12000, 'usd');
  const yearlyEur = await planRow('year', 11988, 'eur');
  const subs: Array<[typeof monthlyUsd, string, string, string]> = [
    [monthlyUsd, 'active', '2026-01-10T12:00:00Z', '2026-01-10T12:00:00Z'],
    [yearlyUsd, 'active', '2026-02-10T12:00:00Z', '2026-02-10T12:00:00Z'],
    [monthlyUsd, 'canceled', '2026-01-05T12:00:00Z', '2026-03-15T12:00:00Z'],
    [yearlyEur, 'active', '2026-03-05T12:00:00Z', '2026-03-05T12:00:00Z'],
    [monthlyUsd, 'past_due', '2026-03-20T12:00:00Z', '2026-03-28T12:00:00Z'],
    [yearlyUsd, 'canceled', '2026-01-01T12:00:00Z', '2026-02-10T12:00:00Z'],
    [monthlyUsd, 'incomplete', '2026-03-25T12:00:00Z', '2026-03-25T12:00:00Z'],
  ];
  for (const [plan, status, created, updated] of subs) {
    await insert(SUBSCRIPTION_UID, { status, stripeSubscriptionId: `sub_${id()}`, cancelAtPeriodEnd: false, createdAt: t(created), updatedAt: t(updated) }, { plan: plan.rowId });
  }

  // Access: four enrolments in March (one by plan, no course), one in February.
  const ent = async (user: TestUser, course: BuiltCourse | null, at: string, source = 'purchase') =>
    insert(ENTITLEMENT_UID, {
      source,
      state: 'active',
      userRef: user.id,
      courseRef: course?.documentId ?? null,
      planRef: course ? null : monthlyUsd.documentId,
      sourceRef: id(),
      dedupeKey: id(),
      validFrom: t(at),
      createdAt: t(at),
    });
  await ent(L1, courseA, '2026-03-01T06:00:00Z');
  await ent(L2, courseA, '2026-03-02T12:00:00Z');
  await ent(L3, courseB, '2026-03-10T12:00:00Z');
  await ent(L4, null, '2026-03-20T12:00:00Z', 'subscription');
  await ent(L1, courseC, '2026-02-15T12:00:00Z');

  // Progress: course A's drop-off in March is 3 → 2 → 1 (L4 started in February).
  const progress = async (user: TestUser, course: BuiltCourse, chapter: number, at: string, completed = true) =>
    insert(
      PROGRESS_UID,
      {
        chapterDocumentId: course.chapters[chapter]!.documentId,
        courseDocumentId: course.documentId,
        uniqueKey: `${user.id}:${course.chapters[chapter]!.documentId}`,
        completedAt: completed ? t(at) : null,
        createdAt: t(at),
        updatedAt: t(at),
      },
      { user: user.id }
    );
  await progress(L1, courseA, 0, '2026-03-02T12:00:00Z');
  await progress(L1, courseA, 1, '2026-03-03T12:00:00Z');
  await progress(L1, courseA, 2, '2026-03-04T12:00:00Z');
  await progress(L2, courseA, 0, '2026-03-05T12:00:00Z');
  await progress(L2, courseA, 1, '2026-03-06T12:00:00Z', false);
  await progress(L3, courseA, 0, '2026-03-07T12:00:00Z');
  await progress(L4, courseA, 0, '2026-02-20T12:00:00Z');
  await progress(L3, courseB, 0, '2026-03-11T12:00:00Z');

  // Certificates: L1 completed A after 2 days; L3 completed B after 3 days (revoked since).
  const cert = async (user: TestUser, course: BuiltCourse, at: string, state: string) =>
    insert(
      CERTIFICATE_UID,
      { learnerName: user.username, courseDocumentId: course.documentId, courseTitle: course.title, language: 'en', completedAt: t(at), code: id(), state, dedupeKey: `${user.id}:${course.documentId}`, createdAt: t(at) },
      { learner: user.id }
    );
  await cert(L1, courseA, '2026-03-04T12:00:00Z', 'valid');
  await cert(L3, courseB, '2026-03-14T12:00:00Z', 'revoked');

  // Review: A approved after 24 h, C sent back after 48 h, B waiting since March 20.
  const sub = (course: BuiltCourse, instructor: TestInstructor, state: string, submitted: string, decided: string | null) =>
    insert(SUBMISSION_UID, { courseDocumentId: course.documentId, instructorDocumentId: instructor.instructorDocumentId, state, submittedAt: t(submitted), decidedAt: decided ? t(decided) : null, revision: 1 });
  await sub(courseA, instructor1, 'approved', '2026-03-02T10:00:00Z', '2026-03-03T10:00:00Z');
  await sub(courseB, instructor1, 'in_review', '2026-03-20T10:00:00Z', null);
  await sub(courseC, instructor2, 'changes_requested', '2026-03-05T00:00:00Z', '2026-03-07T00:00:00Z');
  const event = (course: BuiltCourse, action: string, from: string, to: string, at: string) =>
    insert(REVIEW_EVENT_UID, { courseDocumentId: course.documentId, action, fromState: from, toState: to, actorType: action === 'submit' ? 'instructor' : 'editor', actorId: 1, at: t(at) });
  await event(courseB, 'submit', 'draft', 'in_review', '2026-02-25T10:00:00Z');
  await event(courseB, 'withdraw', 'in_review', 'draft', '2026-02-26T10:00:00Z');
  await event(courseA, 'submit', 'draft', 'in_review', '2026-03-02T10:00:00Z');
  await event(courseA, 'approve', 'in_review', 'approved', '2026-03-03T10:00:00Z');
  await event(courseC, 'submit', 'draft', 'in_review', '2026-03-05T00:00:00Z');
  await event(courseC, 'request_changes', 'in_review', 'changes_requested', '2026-03-07T00:00:00Z');
  await event(courseB, 'submit', 'draft', 'in_review', '2026-03-20T10:00:00Z');

  return {
    instructor1,
    instructor2,
    learners,
    courseA,
    courseB,
    courseC,
    categoryA: category.documentId,
    plans: { monthlyUsd: monthlyUsd.documentId, yearlyUsd: yearlyUsd.documentId, yearlyEur: yearlyEur.documentId },
  };
}
