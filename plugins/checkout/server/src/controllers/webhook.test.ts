/**
 * The webhook controller and the Stripe-configured middleware, each called with a small
 * hand-built `strapi`: the real stripe-api service (signature checks by the SDK), a recording
 * stand-in for the inbox service. What must hold before any database is involved.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import stripeApi from '../services/stripe-api';
import settings from '../services/settings';
import webhookController from './webhook';
import { requireStripe } from '../middlewares/stripe-configured';
import type { StripeSettings } from '../config';

const SECRET = 'whsec_unit_test_secret';
const UNPARSED = Symbol.for('unparsedBody');

type HandleResult = { status: 'accepted'; eventId: string; type: string } | { status: 'rejected'; reason: 'malformed-event'; detail: string };

function fakeStrapi(config: Partial<StripeSettings>, handle: (event: unknown) => Promise<HandleResult>) {
  const stripe: StripeSettings = { secretKey: 'sk_test_x', webhookSecret: SECRET, apiBase: '', allowedOrigins: ['http://localhost:1337'], webhookTolerance: 300, timeoutMs: 1000, ...config };
  const calls: unknown[] = [];
  const logs: string[] = [];
  // eslint-disable-next-line prefer-const
  let services: Record<string, unknown>;
  const strapi = {
    plugin: () => ({ config: () => stripe, service: (name: string) => services[name] }),
    log: { warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m), info: () => undefined, debug: () => undefined },
  } as never;
  services = {
    'stripe-api': stripeApi({ strapi }),
    settings: settings({ strapi }),
    inbox: { receive: async (raw: string, e: unknown) => (calls.push({ raw, event: e }), handle(e)) },
  };
  return { strapi, calls, logs };
}

function ctx(body: unknown, headers: Record<string, string> = {}) {
  const c = {
    status: 404,
    body: undefined as unknown,
    headers: {} as Record<string, string>,
    request: { body },
    get: (h: string) => headers[h.toLowerCase()] ?? '',
    set: (k: string, v: string) => (c.headers[k] = v),
  };
  return c;
}

/** What koa-body leaves for a JSON request with `includeUnparsed: true`. */
function parsed(raw: string): Record<string | symbol, unknown> {
  const body = JSON.parse(raw) as Record<string | symbol, unknown>;
  body[UNPARSED] = raw;
  return body;
}

const event = { id: 'evt_unit', object: 'event', type: 'payout.paid', created: 1, livemode: false, data: { object: { id: 'po_1' } } };
const raw = JSON.stringify(event);
const sign = (payload: string, secret = SECRET) => Stripe.webhooks.generateTestHeaderString({ payload, secret });
const processed = async (): Promise<HandleResult> => ({ status: 'accepted', eventId: 'evt_unit', type: 'payout.paid' });

describe('webhook controller', () => {
  test('a verified delivery reaches the inbox with the raw bytes and the parsed event, and answers 200', async () => {
    const { strapi, calls } = fakeStrapi({}, processed);
    const c = ctx(parsed(raw), { 'stripe-signature': sign(raw) });
    await webhookController({ strapi }).handle(c as never);
    assert.equal(c.status, 200);
    assert.deepEqual(c.body, { received: true, duplicate: false, eventId: 'evt_unit', state: 'pending' });
    assert.deepEqual(calls, [{ raw, event }]);
  });

  const refused: Array<[string, () => ReturnType<typeof ctx>, number, string]> = [
    ['no signature header', () => ctx(parsed(raw)), 400, 'missing-signature'],
    ['signed with another secret', () => ctx(parsed(raw), { 'stripe-signature': sign(raw, 'whsec_other') }), 400, 'bad-signature'],
    ['bytes changed after signing', () => ctx(parsed(raw.replace('payout', 'charge')), { 'stripe-signature': sign(raw) }), 400, 'bad-signature'],
    ['no body at all', () => ctx(undefined, { 'stripe-signature': sign(raw) }), 400, 'malformed-payload'],
  ];
  for (const [name, make, status, reason] of refused) {
    test(`${name} → ${status} ${reason}, service never called`, async () => {
      const { strapi, calls } = fakeStrapi({}, processed);
      const c = make();
      await webhookController({ strapi }).handle(c as never);
      assert.equal(c.status, status);
      assert.equal((c.body as { error: { details: { reason: string } } }).error.details.reason, reason);
      assert.equal(calls.length, 0);
    });
  }

  test('JSON parsed without its raw bytes (body middleware misconfigured) → 500 and a log line saying so', async () => {
    const { strapi, calls, logs } = fakeStrapi({}, processed);
    const c = ctx(JSON.parse(raw), { 'stripe-signature': sign(raw) });
    await webhookController({ strapi }).handle(c as never);
    assert.equal(c.status, 500);
    assert.equal(calls.length, 0);
    assert.match(logs.join('\n'), /includeUnparsed/);
  });

  test('rotating secrets: any of the comma-separated secrets verifies', async () => {
    const { strapi } = fakeStrapi({ webhookSecret: `whsec_old, ${SECRET}` }, processed);
    const c = ctx(parsed(raw), { 'stripe-signature': sign(raw) });
    await webhookController({ strapi }).handle(c as never);
    assert.equal(c.status, 200);
  });

  test('the event cannot be stored → 500 so that Stripe retries', async () => {
    const { strapi, logs } = fakeStrapi({}, async () => {
      throw new Error('database unavailable');
    });
    const c = ctx(parsed(raw), { 'stripe-signature': sign(raw) });
    await webhookController({ strapi }).handle(c as never);
    assert.equal(c.status, 500);
    assert.match(logs.join('\n'), /evt_unit.*database unavailable/s);
  });

  test('a signed but malformed event → 400', async () => {
    const { strapi } = fakeStrapi({}, async () => ({ status: 'rejected', reason: 'malformed-event', detail: 'x' }));
    const c = ctx(parsed(raw), { 'stripe-signature': sign(raw) });
    await webhookController({ strapi }).handle(c as never);
    assert.equal(c.status, 400);
  });
});

describe('stripe-configured middleware', () => {
  const table: Array<[string, Partial<StripeSettings>, 'checkout' | 'webhook', number, string[]]> = [
    ['checkout without a key', { secretKey: '' }, 'checkout', 503, ['STRIPE_SECRET_KEY']],
    ['checkout with a key', {}, 'checkout', 200, []],
    ['webhook without its secret', { webhookSecret: '' }, 'webhook', 503, ['STRIPE_WEBHOOK_SECRET']],
    ['webhook with nothing', { secretKey: '', webhookSecret: '' }, 'webhook', 503, ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']],
  ];
  for (const [name, config, purpose, status, missing] of table) {
    test(`${name} → ${status}`, async () => {
      const { strapi } = fakeStrapi(config, processed);
      const c = ctx(undefined);
      let reached = false;
      await requireStripe(purpose)(undefined, { strapi })(c as never, async () => {
        reached = true;
        c.status = 200;
      });
      assert.equal(c.status, status);
      assert.equal(reached, status === 200);
      if (status === 503) {
        const body = c.body as { error: { message: string; details: { missing: string[]; operator: string } } };
        assert.deepEqual(body.error.details.missing, missing);
        // A shopper reads that payments are off; the operator's detail is in the details (and the log).
        assert.equal(body.error.message, 'Payments are not available right now.');
        for (const m of missing) assert.match(body.error.details.operator, new RegExp(m));
        for (const m of missing) assert.doesNotMatch(body.error.message, new RegExp(m));
      }
    });
  }
});
