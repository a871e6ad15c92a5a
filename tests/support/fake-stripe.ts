/**
 * A loopback Stripe for the test suite: a real HTTP server on 127.0.0.1 that speaks Stripe's
 * wire format for the calls the checkout plugin makes (form-encoded requests in, Stripe-shaped
 * JSON out, Stripe's error envelope, idempotency keys honoured), records every request so tests
 * can assert what was sent, and plays Stripe's side of a payment (`paySession`) to build the
 * objects that webhook events then carry. The real `stripe` SDK is pointed at it with
 * STRIPE_API_BASE (host/port/protocol options).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { catalogueRoutes } from './fake-stripe-catalogue';

export type StripeObject = Record<string, unknown> & { id: string; object: string };

export interface RecordedRequest {
  method: string;
  path: string;
  /** Form body, decoded into nested objects/arrays like Stripe's API does. */
  form: Record<string, unknown>;
  idempotencyKey: string | null;
  stripeVersion: string | null;
  authorization: string | null;
}

interface InjectedFailure {
  method: string;
  pathPrefix: string;
  status: number;
  error: { type: string; message: string; code?: string };
  remaining: number;
}

/** What a route module sees of the fake: its stores, and helpers to mint ids and errors. */
export interface FakeStripeState {
  customers: Map<string, StripeObject>;
  sessions: Map<string, StripeObject>;
  subscriptions: Map<string, StripeObject>;
  refunds: Map<string, StripeObject>;
  paymentIntents: Map<string, StripeObject>;
  /** Free-form stores of route modules (products, prices, coupons…), one Map per name. */
  store(name: string): Map<string, StripeObject>;
  id(prefix: string): string;
  now(): number;
}

/**
 * One area of Stripe's API (products and prices, coupons…): answers `method path` or returns
 * undefined to let the next route try. Modules live beside this file (`fake-stripe-*.ts`) and are
 * listed in `ROUTE_MODULES`.
 */
export type FakeStripeRoute = (method: string, path: string, form: Record<string, unknown>, state: FakeStripeState) => { status: number; body: unknown } | undefined;

/** The route modules every fake serves, in order, after the core routes below. */
const ROUTE_MODULES: FakeStripeRoute[] = [catalogueRoutes];

/** Unix seconds `count` intervals after `start` (calendar months, like Stripe's billing anchor). */
export function addPeriod(start: number, interval: string, count: number): number {
  const d = new Date(start * 1000);
  if (interval === 'year') d.setUTCFullYear(d.getUTCFullYear() + count);
  else if (interval === 'month') d.setUTCMonth(d.getUTCMonth() + count);
  else if (interval === 'week') d.setUTCDate(d.getUTCDate() + 7 * count);
  else d.setUTCDate(d.getUTCDate() + count);
  return Math.floor(d.getTime() / 1000);
}

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Decodes `a[b][0][c]=v` pairs into nested objects and arrays (Stripe's form encoding). */
export function decodeStripeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  if (!body) return root;
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
    const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    const head = rawKey.split('[')[0] ?? rawKey;
    const path = [head, ...[...rawKey.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '')];
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!;
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(path[i + 1]!);
      const k: string | number = Array.isArray(node) ? Number(key) : key;
      const container = node as Record<string | number, unknown>;
      if (last) {
        container[k] = value;
      } else {
        if (container[k] === undefined) container[k] = nextIsIndex ? [] : {};
        node = container[k] as Record<string, unknown> | unknown[];
      }
    }
  }
  return root;
}

function stripeError(res: http.ServerResponse, status: number, error: { type: string; message: string; code?: string; param?: string }, noRetry = false): void {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': id('req') };
  if (noRetry) headers['stripe-should-retry'] = 'false';
  res.writeHead(status, headers);
  res.end(JSON.stringify({ error }));
}

export interface FakeStripe {
  /** http://127.0.0.1:<port>, for STRIPE_API_BASE. */
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  customers: Map<string, StripeObject>;
  sessions: Map<string, StripeObject>;
  subscriptions: Map<string, StripeObject>;
  refunds: Map<string, StripeObject>;
  portalSessions: Map<string, StripeObject>;
  /** Requests to `method path` (path without /v1), optionally only those since index `from`. */
  calls(method: string, path: string | RegExp, from?: number): RecordedRequest[];
  /** The next `times` calls matching method and path prefix answer this Stripe error (no SDK retry). */
  failNext(method: string, pathPrefix: string, status: number, error: { type: string; message: string; code?: string }, times?: number): void;
  /**
   * Plays Stripe's side of a learner paying a session: marks it complete, creates the PaymentIntent
   * (payment mode) or the subscription (subscription mode). Returns the session as events carry it.
   */
  paySession(sessionId: string, options?: { paymentStatus?: 'paid' | 'unpaid' | 'no_payment_required'; amountTotal?: number }): StripeObject;
  /** Replaces fields of a stored subscription (what `GET /v1/subscriptions/:id` then answers). */
  updateSubscription(subscriptionId: string, patch: Record<string, unknown>): StripeObject;
  /** A Stripe subscription object (for events and re-reads), stored in the fake. */
  createSubscription(input: { customer: string; priceId: string; metadata: Record<string, string>; status?: string; periodEnd?: number; trialDays?: number }): StripeObject;
  /** The stores and helpers route modules use (see FakeStripeRoute). */
  state: FakeStripeState;
  /**
   * Serves Stripe's hosted pages from this server (scripts/lib/demo-checkout.ts): from now on a
   * session's `url` is `<url>/c/pay/<id>` and every request outside `/v1/` goes to `handler`.
   */
  serveCheckoutPages(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): void;
  close(): Promise<void>;
}

/** Starts the fake on a free loopback port. `apiKey` is the only secret key it accepts. */
export async function startFakeStripe(options: { apiKey?: string } = {}): Promise<FakeStripe> {
  const apiKey = options.apiKey ?? `sk_test_fake_${randomBytes(8).toString('hex')}`;
  const requests: RecordedRequest[] = [];
  const customers = new Map<string, StripeObject>();
  const sessions = new Map<string, StripeObject>();
  const subscriptions = new Map<string, StripeObject>();
  const refunds = new Map<string, StripeObject>();
  const portalSessions = new Map<string, StripeObject>();
  const paymentIntents = new Map<string, StripeObject>();
  const failures: InjectedFailure[] = [];
  /** Stripe's idempotency: same key (per path) → same answer; different parameters → error. */
  const idempotent = new Map<string, { body: string; status: number; response: string }>();
  const stores = new Map<string, Map<string, StripeObject>>();
  let pages: ((req: http.IncomingMessage, res: http.ServerResponse, body: string) => void) | null = null;
  let ownUrl = '';
  const state: FakeStripeState = {
    customers,
    sessions,
    subscriptions,
    refunds,
    paymentIntents,
    store(name) {
      let m = stores.get(name);
      if (!m) stores.set(name, (m = new Map()));
      return m;
    },
    id,
    now: nowSeconds,
  };

  function createSubscription(input: { customer: string; priceId: string; metadata: Record<string, string>; status?: string; periodEnd?: number; trialDays?: number }): StripeObject {
    const start = nowSeconds();
    // The period of a catalogue Price (interval × interval_count), else a month; a trial first.
    const stored = state.store('prices').get(input.priceId);
    const recurring = (stored?.recurring as { interval: string; interval_count: number } | null | undefined) ?? { interval: 'month', interval_count: 1 };
    const trialEnd = input.trialDays ? start + input.trialDays * 86400 : null;
    const periodEnd = input.periodEnd ?? trialEnd ?? addPeriod(start, recurring.interval, recurring.interval_count);
    const sub: StripeObject = {
      id: id('sub'),
      object: 'subscription',
      status: input.status ?? (trialEnd ? 'trialing' : 'active'),
      customer: input.customer,
      trial_start: trialEnd ? start : null,
      trial_end: trialEnd,
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      ended_at: null,
      created: start,
      livemode: false,
      metadata: input.metadata,
      items: {
        object: 'list',
        data: [
          {
            id: id('si'),
            object: 'subscription_item',
            current_period_start: start,
            current_period_end: periodEnd,
            price: { id: input.priceId, object: 'price', recurring },
            quantity: 1,
          },
        ],
      },
    };
    subscriptions.set(sub.id, sub);
    return sub;
  }

  function route(method: string, path: string, form: Record<string, unknown>): { status: number; body: unknown } {
    const meta = (form.metadata as Record<string, string> | undefined) ?? {};
    if (method === 'POST' && path === '/customers') {
      const customer: StripeObject = { id: id('cus'), object: 'customer', email: form.email ?? null, name: form.name ?? null, metadata: meta, livemode: false, created: nowSeconds() };
      customers.set(customer.id, customer);
      return { status: 200, body: customer };
    }
    if (method === 'POST' && path === '/checkout/sessions') {
      const mode = String(form.mode ?? '');
      const lineItems = (form.line_items as Array<Record<string, unknown>> | undefined) ?? [];
      if (!['payment', 'subscription'].includes(mode) || lineItems.length === 0) {
        return { status: 400, body: { error: { type: 'invalid_request_error', message: 'mode and line_items are required', param: 'mode' } } };
      }
      if (form.customer && !customers.has(String(form.customer))) {
        return { status: 400, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such customer: '${String(form.customer)}'`, param: 'customer' } } };
      }
      const first = lineItems[0] ?? {};
      const priceData = first.price_data as Record<string, unknown> | undefined;
      if (mode === 'subscription' && !String(first.price ?? '').startsWith('price_')) {
        return { status: 400, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such price: '${String(first.price)}'`, param: 'line_items[0][price]' } } };
      }
      // A Price of the catalogue (fake-stripe-catalogue.ts) prices the session like price_data does.
      const storedPrice = first.price ? state.store('prices').get(String(first.price)) : undefined;
      if (first.price && !storedPrice) {
        return { status: 400, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such price: '${String(first.price)}'`, param: 'line_items[0][price]' } } };
      }
      if (storedPrice && !storedPrice.active) {
        return { status: 400, body: { error: { type: 'invalid_request_error', message: `The price specified is inactive. This field only accepts active prices.`, param: 'line_items[0][price]' } } };
      }
      if (form.discounts && form.allow_promotion_codes !== undefined) {
        return { status: 400, body: { error: { type: 'invalid_request_error', message: 'You may only specify one of these parameters: allow_promotion_codes, discounts.', param: 'discounts' } } };
      }
      const unitAmount = priceData ? Number(priceData.unit_amount) : storedPrice ? Number(storedPrice.unit_amount) : null;
      const amount = unitAmount === null ? null : unitAmount * Number(first.quantity ?? 1);
      const sid = id('cs');
      const session: StripeObject = {
        id: sid,
        object: 'checkout.session',
        mode,
        status: 'open',
        payment_status: 'unpaid',
        url: pages ? `${ownUrl}/c/pay/${sid}` : `https://checkout.stripe.test/c/pay/${sid}`,
        customer: form.customer ?? null,
        client_reference_id: form.client_reference_id ?? null,
        metadata: meta,
        success_url: form.success_url ?? null,
        cancel_url: form.cancel_url ?? null,
        allow_promotion_codes: form.allow_promotion_codes === 'true',
        locale: form.locale ?? null,
        currency: priceData ? String(priceData.currency) : storedPrice ? String(storedPrice.currency) : 'usd',
        amount_total: amount,
        amount_subtotal: amount,
        payment_intent: null,
        subscription: null,
        invoice: null,
        created: nowSeconds(),
        expires_at: nowSeconds() + 24 * 3600,
        livemode: false,
        // Kept for paySession: what Stripe would copy onto the PaymentIntent / subscription.
        _line_items: lineItems,
        _payment_intent_data: form.payment_intent_data ?? null,
        _subscription_data: form.subscription_data ?? null,
      };
      sessions.set(sid, session);
      return { status: 200, body: publicObject(session) };
    }
    const expire = path.match(/^\/checkout\/sessions\/([^/]+)\/expire$/);
    if (method === 'POST' && expire) {
      const session = sessions.get(expire[1]!);
      if (!session) return { status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such checkout.session' } } };
      if (session.status !== 'open') {
        return { status: 400, body: { error: { type: 'invalid_request_error', message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(session.status)}".` } } };
      }
      session.status = 'expired';
      return { status: 200, body: publicObject(session) };
    }
    if (method === 'POST' && path === '/billing_portal/sessions') {
      if (!customers.has(String(form.customer))) {
        return { status: 400, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such customer: '${String(form.customer)}'` } } };
      }
      const portal: StripeObject = { id: id('bps'), object: 'billing_portal.session', customer: form.customer, return_url: form.return_url ?? null, url: `https://billing.stripe.test/p/session/${randomBytes(8).toString('hex')}`, livemode: false, created: nowSeconds() };
      portalSessions.set(portal.id, portal);
      return { status: 200, body: portal };
    }
    if (method === 'POST' && path === '/refunds') {
      const pi = paymentIntents.get(String(form.payment_intent ?? ''));
      if (!pi) return { status: 400, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such payment_intent: '${String(form.payment_intent)}'`, param: 'payment_intent' } } };
      const refund: StripeObject = { id: id('re'), object: 'refund', amount: pi.amount, currency: pi.currency, payment_intent: pi.id, charge: pi.latest_charge, status: 'succeeded', reason: form.reason ?? null, metadata: meta, created: nowSeconds() };
      refunds.set(refund.id, refund);
      return { status: 200, body: refund };
    }
    const sub = path.match(/^\/subscriptions\/([^/]+)$/);
    if (method === 'GET' && sub) {
      const s = subscriptions.get(sub[1]!);
      if (!s) return { status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such subscription: '${sub[1]}'` } } };
      return { status: 200, body: s };
    }
    for (const module of ROUTE_MODULES) {
      const answer = module(method, path, form, state);
      if (answer) return answer;
    }
    return { status: 404, body: { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: /v1${path}).` } } };
  }

  /** Without our private bookkeeping fields. */
  function publicObject(o: StripeObject): StripeObject {
    return Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('_'))) as StripeObject;
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (pages && !url.pathname.startsWith('/v1/')) return pages(req, res, raw);
      const method = req.method ?? 'GET';
      const path = url.pathname.replace(/^\/v1/, '');
      const form = decodeStripeForm(method === 'GET' ? url.search.slice(1) : raw);
      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
      };
      const recorded: RecordedRequest = {
        method,
        path,
        form,
        idempotencyKey: header('idempotency-key'),
        stripeVersion: header('stripe-version'),
        authorization: header('authorization'),
      };
      requests.push(recorded);

      if (recorded.authorization !== `Bearer ${apiKey}`) {
        return stripeError(res, 401, { type: 'invalid_request_error', message: 'Invalid API Key provided.' }, true);
      }
      if (!url.pathname.startsWith('/v1/')) return stripeError(res, 404, { type: 'invalid_request_error', message: 'Not found' }, true);
      const failure = failures.find((f) => f.remaining > 0 && f.method === method && path.startsWith(f.pathPrefix));
      if (failure) {
        failure.remaining--;
        return stripeError(res, failure.status, failure.error, true);
      }
      const key = recorded.idempotencyKey ? `${method} ${path} ${recorded.idempotencyKey}` : null;
      if (key && idempotent.has(key)) {
        const seen = idempotent.get(key)!;
        if (seen.body !== raw) {
          return stripeError(res, 400, { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' }, true);
        }
        res.writeHead(seen.status, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
        return res.end(seen.response);
      }
      const { status, body } = route(method, path, form);
      const response = JSON.stringify(body);
      if (key && status < 500) idempotent.set(key, { body: raw, status, response });
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req'), ...(status >= 400 ? { 'stripe-should-retry': 'false' } : {}) });
      res.end(response);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  ownUrl = `http://127.0.0.1:${port}`;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    customers,
    sessions,
    subscriptions,
    refunds,
    portalSessions,
    calls(method, path, from = 0) {
      return requests.slice(from).filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
    },
    failNext(method, pathPrefix, status, error, times = 1) {
      failures.push({ method, pathPrefix, status, error, remaining: times });
    },
    paySession(sessionId, options = {}) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`fake Stripe: no session ${sessionId}`);
      const paymentStatus = options.paymentStatus ?? 'paid';
      session.status = 'complete';
      session.payment_status = paymentStatus;
      if (options.amountTotal !== undefined) session.amount_total = options.amountTotal;
      if (session.mode === 'payment' && paymentStatus !== 'no_payment_required') {
        const piData = (session._payment_intent_data as Record<string, unknown> | null) ?? {};
        const pi: StripeObject = {
          id: id('pi'),
          object: 'payment_intent',
          amount: session.amount_total,
          currency: session.currency,
          status: paymentStatus === 'paid' ? 'succeeded' : 'processing',
          metadata: (piData.metadata as Record<string, string> | undefined) ?? {},
          latest_charge: id('ch'),
        };
        paymentIntents.set(pi.id, pi);
        session.payment_intent = pi.id;
      }
      if (session.mode === 'subscription') {
        const subData = (session._subscription_data as Record<string, unknown> | null) ?? {};
        const items = session._line_items as Array<Record<string, unknown>>;
        const sub = createSubscription({
          customer: String(session.customer),
          priceId: String(items[0]?.price ?? ''),
          metadata: (subData.metadata as Record<string, string> | undefined) ?? {},
          trialDays: subData.trial_period_days ? Number(subData.trial_period_days) : undefined,
        });
        session.subscription = sub.id;
        session.invoice = id('in');
      }
      return publicObject(session);
    },
    updateSubscription(subscriptionId, patch) {
      const sub = subscriptions.get(subscriptionId);
      if (!sub) throw new Error(`fake Stripe: no subscription ${subscriptionId}`);
      Object.assign(sub, patch);
      return sub;
    },
    createSubscription,
    state,
    serveCheckoutPages(handler) {
      pages = handler;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

/** The charge of a paid session's PaymentIntent, as `charge.refunded` carries it (PaymentIntent metadata copied). */
export function chargeFor(session: StripeObject, amountRefunded: number): StripeObject {
  const amount = Number(session.amount_total);
  return {
    id: `ch_for_${String(session.payment_intent)}`,
    object: 'charge',
    amount,
    amount_captured: amount,
    amount_refunded: amountRefunded,
    refunded: amountRefunded >= amount,
    currency: String(session.currency),
    payment_intent: session.payment_intent,
    metadata: (session.metadata as Record<string, string> | undefined) ?? {},
    status: 'succeeded',
  };
}
