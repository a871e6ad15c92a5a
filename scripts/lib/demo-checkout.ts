/**
 * Stripe's hosted Checkout page for `npm run demo` without a Stripe key: the loopback Stripe of the
 * tests (tests/support/fake-stripe.ts) answers the platform's API calls, and this module serves the
 * page a learner is sent to — what the session costs, a "Pay" and a "Cancel" button. Paying plays
 * Stripe's side (the fake's `paySession`), posts the signed events Stripe would send to the
 * platform's webhook, then sends the browser to the session's success URL; cancelling expires the
 * session and goes back to its cancel URL. Development only: scripts/run.js refuses the demo in
 * production, and no real card is ever asked for.
 */
import type http from 'node:http';
import type { FakeStripe, StripeObject } from '../../tests/support/fake-stripe';
import { signatureHeader, stripeEvent } from '../../tests/support/checkout-events';

export interface DemoCheckoutOptions {
  /** The platform's webhook, e.g. http://127.0.0.1:1337/api/checkout/webhook */
  webhookUrl: string;
  webhookSecret: string;
  log?: (line: string) => void;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** "19.99 USD" / "2,000 JPY": minor units by Intl's digits for the currency. */
export function displayAmount(amount: number | null, currency: string): string {
  if (amount === null) return '—';
  const code = currency.toUpperCase();
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  return `${(amount / 10 ** digits).toFixed(digits)} ${code}`;
}

/** The name of what is bought: the inline product's, or the catalogue Price's Product. */
function lineTitle(fake: FakeStripe, session: StripeObject): string {
  const items = (session._line_items as Array<Record<string, unknown>> | undefined) ?? [];
  const data = items[0]?.price_data as { product_data?: { name?: string } } | undefined;
  const price = items[0]?.price ? fake.state.store('prices').get(String(items[0].price)) : undefined;
  const product = price ? fake.state.store('products').get(String(price.product)) : undefined;
  return data?.product_data?.name ?? (product?.name as string | undefined) ?? (session.mode === 'subscription' ? 'Subscription' : 'Course');
}

/** The session as Stripe's events carry it (without the fake's bookkeeping fields). */
const publicSession = (session: StripeObject): StripeObject =>
  Object.fromEntries(Object.entries(session).filter(([k]) => !k.startsWith('_'))) as StripeObject;

function page(fake: FakeStripe, session: StripeObject): string {
  const open = session.status === 'open';
  const title = escapeHtml(lineTitle(fake, session));
  const amount = escapeHtml(displayAmount(session.amount_total === null ? null : Number(session.amount_total), String(session.currency)));
  const action = `/c/pay/${encodeURIComponent(session.id)}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo checkout — ${title}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,">
<style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#212134}
.card{border:1px solid #dcdce4;border-radius:8px;padding:1.5rem}button{font:inherit;padding:.6rem 1.2rem;margin-right:.5rem;border-radius:4px;border:1px solid #4945ff;cursor:pointer}
.pay{background:#4945ff;color:#fff}.cancel{background:#fff;color:#4945ff}.note{color:#666687;font-size:.9rem}</style></head>
<body><div class="card"><p class="note">Demo payment — no card is charged. Set STRIPE_SECRET_KEY to use Stripe.</p>
<h1>${title}</h1><p data-testid="amount">${amount}${session.mode === 'subscription' ? ' per period' : ''}</p>
${open
    ? `<form method="post" action="${action}"><button class="pay" name="outcome" value="pay">Pay ${amount}</button><button class="cancel" name="outcome" value="cancel">Cancel</button></form>`
    : `<p>This checkout is ${escapeHtml(String(session.status))}.</p>`}
</div></body></html>`;
}

/** Stripe's `{CHECKOUT_SESSION_ID}` placeholder, as Stripe fills it in the success URL. */
export function fillSessionId(url: string, sessionId: string): string {
  return url.split('{CHECKOUT_SESSION_ID}').join(encodeURIComponent(sessionId));
}

/** Serves the hosted checkout page from `fake` and delivers its events to the platform. */
export function serveDemoCheckout(fake: FakeStripe, options: DemoCheckoutOptions): void {
  const log = options.log ?? (() => undefined);

  async function deliver(type: string, object: StripeObject): Promise<void> {
    const payload = JSON.stringify(stripeEvent(type, object));
    // Stripe retries a failed delivery; so does the demo, a few times, while the platform starts.
    for (let attempt = 1; attempt <= 5; attempt++) {
      try {
        const res = await fetch(options.webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': signatureHeader(payload, options.webhookSecret) },
          body: payload,
        });
        log(`demo Stripe → ${type} → ${res.status}`);
        if (res.status < 500) return;
      } catch (err) {
        log(`demo Stripe → ${type} → ${(err as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, attempt * 500));
    }
  }

  fake.serveCheckoutPages((req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Session ids are [A-Za-z0-9_]: anything else (a malformed %-escape included) is simply not one.
    const match = url.pathname.match(/^\/c\/pay\/([A-Za-z0-9_]+)$/);
    const session = match ? fake.sessions.get(match[1]!) : undefined;
    if (!session) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end('No such checkout session.');
    }
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return res.end(page(fake, session));
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST' });
      return res.end();
    }
    if (session.status !== 'open') {
      res.writeHead(409, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page(fake, session));
    }
    const outcome = new URLSearchParams(body).get('outcome');
    const settle = async (): Promise<void> => {
      if (outcome === 'pay') {
        const paid = fake.paySession(session.id);
        if (paid.subscription) {
          const sub = fake.subscriptions.get(String(paid.subscription));
          if (sub) await deliver('customer.subscription.created', sub);
        }
        await deliver('checkout.session.completed', paid);
        res.writeHead(303, { location: fillSessionId(String(session.success_url ?? '/'), session.id) });
        res.end();
        return;
      }
      session.status = 'expired';
      await deliver('checkout.session.expired', publicSession(session));
      res.writeHead(303, { location: String(session.cancel_url ?? '/') });
      res.end();
    };
    // A failure here answers 500 on the demo page instead of ending the demo process.
    settle().catch((err: unknown) => {
      log(`demo Stripe: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The demo payment failed; see the server log.');
    });
  });
}
