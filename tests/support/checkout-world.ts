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

/** A plan sold through Stripe (all-access unless courses are given). */
export async function createPlan(app: TestApp, options: { courses?: string[]; stripePriceId?: string | null; price?: number } = {}): Promise<{ documentId: string; stripePriceId: string | null }> {
  const slug = `plan-${randomBytes(4).toString('hex')}`;
  const stripePriceId = options.stripePriceId === undefined ? `price_test_${randomBytes(6).toString('hex')}` : options.stripePriceId;
  const plan = await app.strapi.documents('api::plan.plan').create({
    locale: 'en',
    data: {
      name: `Plan ${slug}`,
      slug,
      interval: 'month',
      price: options.price ?? 900,
      currency: 'usd',
      stripePriceId,
      allAccess: !options.courses,
      ...(options.courses ? { courses: options.courses } : {}),
    } as never,
  });
  return { documentId: plan.documentId, stripePriceId };
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
}

/** Starts a second Strapi process on the same database (see checkout-instance.ts). */
export async function startChildInstance(env: Record<string, string>, port: number, timeoutMs = 90_000): Promise<ChildInstance> {
  const root = path.resolve(__dirname, '..', '..');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join('tests', 'support', 'checkout-instance.ts')], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', STARTUP_MESSAGE: 'false', NODE_ENV: 'test', QUIET_DEV_SECRETS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`second instance did not start in ${timeoutMs / 1000} s: ${stderr.slice(-2000)}`)), timeoutMs);
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
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
