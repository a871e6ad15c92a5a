/**
 * Helpers for the checkout suite and the webhook benchmark: the Stripe env for a boot against the
 * loopback fake, a plan, the HTTP checkout a learner starts, and row counts to assert effects.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { TestApp } from './strapi';
import type { TestUser } from './builders';
import type { FakeStripe, StripeObject } from './fake-stripe';

export const ORDER_UID = 'plugin::checkout.order';
export const WEBHOOK_EVENT_UID = 'plugin::checkout.webhook-event';
export const STRIPE_CUSTOMER_UID = 'plugin::checkout.stripe-customer';
export const SUBSCRIPTION_UID = 'api::subscription.subscription';
export const ENTITLEMENT_UID = 'plugin::paywall.entitlement';

export const ALLOWED_ORIGINS = 'http://localhost:1337,https://shop.example';
export const RETURN = { successUrl: 'https://shop.example/thanks?session_id={CHECKOUT_SESSION_ID}', cancelUrl: 'https://shop.example/cancel' };

/** Environment for a boot whose Stripe is the loopback fake. */
export function stripeEnv(fake: FakeStripe, webhookSecret: string): Record<string, string> {
  return {
    STRIPE_SECRET_KEY: fake.apiKey,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_API_BASE: fake.url,
    CHECKOUT_ALLOWED_ORIGINS: ALLOWED_ORIGINS,
  };
}

export const newWebhookSecret = () => `whsec_test_${randomBytes(16).toString('hex')}`;

export interface OrderRow {
  id: number;
  documentId: string;
  /** The order status (attribute `state`). */
  state: string;
  kind: string;
  checkoutSessionId: string | null;
  paymentIntentId: string | null;
  amount: number;
  currency: string;
  amountPaid: number | null;
  amountRefunded: number | null;
  disputeStatus: string | null;
  refundId: string | null;
  stripeSubscriptionId: string | null;
  paidAt: string | null;
}

export async function orderRow(app: TestApp, documentId: string): Promise<OrderRow> {
  const row = (await app.strapi.db.query(ORDER_UID).findOne({ where: { documentId } })) as OrderRow | null;
  if (!row) throw new Error(`no order ${documentId}`);
  return row;
}

/** A plan sold through Stripe (all-access unless courses are given); its Stripe Price is created by the platform. */
export async function createPlan(
  app: TestApp,
  options: { courses?: string[]; price?: number; interval?: 'month' | 'quarter' | 'year'; trialDays?: number; currency?: string } = {}
): Promise<{ documentId: string }> {
  const slug = `plan-${randomBytes(4).toString('hex')}`;
  const plan = await app.strapi.documents('api::plan.plan').create({
    locale: 'en',
    data: {
      name: `Plan ${slug}`,
      slug,
      interval: options.interval ?? 'month',
      price: options.price ?? 900,
      currency: options.currency ?? 'usd',
      trialDays: options.trialDays ?? 0,
      allAccess: !options.courses,
      ...(options.courses ? { courses: options.courses } : {}),
    } as never,
  });
  return { documentId: plan.documentId };
}

export const CATALOGUE_ITEM_UID = 'plugin::checkout.catalogue-item';
export const STRIPE_PRICE_UID = 'plugin::checkout.stripe-price';

/** The catalogue row of a course or plan (what editors see in "Stripe catalogue"). */
export async function catalogueRow(app: TestApp, kind: 'course' | 'plan', documentId: string): Promise<{ stripeProductId: string | null; stripePriceId: string | null; amount: number | null; syncState: string; syncError: string | null } | null> {
  return (await app.strapi.db.query(CATALOGUE_ITEM_UID as never).findOne({ where: { itemKey: `${kind}:${documentId}` } })) as never;
}

/** The Stripe Price a course or plan is sold at now. */
export async function activePriceId(app: TestApp, kind: 'course' | 'plan', documentId: string): Promise<string> {
  const row = await catalogueRow(app, kind, documentId);
  if (!row?.stripePriceId) throw new Error(`${kind} ${documentId} has no Stripe price: ${JSON.stringify(row)}`);
  return row.stripePriceId;
}

export interface StartedCheckout {
  orderId: string;
  url: string;
  sessionId: string;
}

/** POST /api/checkout/sessions as the learner; throws unless 201. */
export async function startCheckout(app: TestApp, user: TestUser, item: { course: string } | { plan: string }, extra: Record<string, unknown> = {}): Promise<StartedCheckout> {
  const res = await app.http().post('/api/checkout/sessions').set('Authorization', user.auth).send({ ...item, ...RETURN, ...extra });
  if (res.status !== 201) throw new Error(`checkout failed: ${res.status} ${JSON.stringify(res.body)}`);
  const order = await orderRow(app, res.body.orderId);
  if (!order.checkoutSessionId) throw new Error('order without session');
  return { orderId: res.body.orderId, url: res.body.url, sessionId: order.checkoutSessionId };
}

/** Row counts that webhook tests compare before and after. */
export async function counts(app: TestApp): Promise<Record<string, number>> {
  const q = (uid: string, where: Record<string, unknown> = {}) => app.strapi.db.query(uid as never).count({ where });
  const [events, orders, paid, refunded, subscriptions, entitlements, active] = await Promise.all([
    q(WEBHOOK_EVENT_UID),
    q(ORDER_UID),
    q(ORDER_UID, { state: 'paid' }),
    q(ORDER_UID, { state: 'refunded' }),
    q(SUBSCRIPTION_UID),
    q(ENTITLEMENT_UID),
    q(ENTITLEMENT_UID, { state: 'active' }),
  ]);
  return { events, orders, paid, refunded, subscriptions, entitlements, active };
}

/** Entitlements as the learner sees them. */
export async function myEntitlements(app: TestApp, user: TestUser): Promise<Array<{ course: { documentId: string } | null; plan: { documentId: string } | null; source: string; status: string; validUntil: string | null }>> {
  const res = await app.http().get('/api/paywall/me/entitlements').set('Authorization', user.auth);
  if (res.status !== 200) throw new Error(`entitlements: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

/** A chapter as the learner reads it: `body` when unlocked, `locked: true` otherwise. */
export async function readChapter(app: TestApp, user: TestUser, chapterDocumentId: string): Promise<{ locked: boolean; body: string | null }> {
  const res = await app.http().get(`/api/chapters/${chapterDocumentId}`).set('Authorization', user.auth);
  if (res.status !== 200) throw new Error(`chapter: ${res.status} ${JSON.stringify(res.body)}`);
  const data = res.body.data as { locked?: boolean; body?: string | null };
  return { locked: Boolean(data.locked), body: data.body ?? null };
}

export type { StripeObject };

export interface ChildInstance {
  url: string;
  stop(): Promise<void>;
  /** kill -9: no shutdown, open transactions left for the database to roll back. */
  kill(): void;
}

/** Starts a second Strapi process on the same database (see checkout-instance.ts). */
export async function startChildInstance(env: Record<string, string>, port: number, timeoutMs = 180_000): Promise<ChildInstance> {
  const root = path.resolve(__dirname, '..', '..');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join('tests', 'support', 'checkout-instance.ts')], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', STARTUP_MESSAGE: 'false', NODE_ENV: 'test', QUIET_DEV_SECRETS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    // A child that has not started in time is killed: left running, it would apply events behind the test's back.
    const timer = setTimeout(() => {
      child.removeAllListeners('exit');
      child.kill('SIGKILL');
      reject(new Error(`second instance did not start in ${timeoutMs / 1000} s (a loaded machine boots slowly): ${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`second instance exited (${code}): ${stderr.slice(-2000)}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    kill: () => {
      child.removeAllListeners('exit');
      child.kill('SIGKILL');
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** A stored webhook event (the inbox row), by Stripe event id. */
export interface InboxRow {
  id: number;
  eventId: string;
  type: string;
  state: 'pending' | 'done' | 'dead' | null;
  attempts: number;
  outcome: string | null;
  lastError: string | null;
  orderingKey: string | null;
  requestId: string | null;
  payload: string | null;
  processedAt: string | null;
}

export async function inboxRow(app: TestApp, eventId: string): Promise<InboxRow | null> {
  return (await app.strapi.db.query(WEBHOOK_EVENT_UID as never).findOne({ where: { eventId } })) as InboxRow | null;
}

/** The checkout plugin's inbox worker of this app (start, stop, drain). */
export function inboxWorker(app: TestApp): { start(): boolean; stop(): Promise<void>; drain(timeoutMs?: number): Promise<void>; running(): boolean } {
  return app.strapi.plugin('checkout').service('inbox-worker') as never;
}

/** Waits until no webhook event is due in the inbox (applied by this instance or another). */
export async function drainWebhooks(app: TestApp, timeoutMs = 30_000): Promise<void> {
  await inboxWorker(app).drain(timeoutMs);
}
