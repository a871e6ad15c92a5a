/**
 * Stripe-shaped webhook events for the checkout tests and benchmark, signed with the SDK's own
 * test-header helper and the configured secret, and posted like Stripe posts them.
 */
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import type request from 'supertest';
import type { TestApp } from './strapi';
import type { StripeObject } from './fake-stripe';

export interface StripeEventJson {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
  data: { object: Record<string, unknown> };
}

/** An event envelope around `object`; `created` (unix seconds) defaults to now. */
export function stripeEvent(type: string, object: StripeObject | Record<string, unknown>, options: { id?: string; created?: number } = {}): StripeEventJson {
  return {
    id: options.id ?? `evt_test_${randomBytes(12).toString('hex')}`,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: options.created ?? Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object: JSON.parse(JSON.stringify(object)) as Record<string, unknown> },
  };
}

/** The `Stripe-Signature` header Stripe would send for this exact payload. */
export function signatureHeader(payload: string, secret: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp ? { timestamp } : {}) });
}

export interface PostOptions {
  secret: string;
  /** Override the header (null: send none). */
  header?: string | null;
  contentType?: string;
}

/** Posts an event (or a raw payload string) to the webhook as Stripe does. */
export function postWebhook(app: TestApp, event: StripeEventJson | string, options: PostOptions): request.Test {
  const payload = typeof event === 'string' ? event : JSON.stringify(event);
  const header = options.header === undefined ? signatureHeader(payload, options.secret) : options.header;
  let req = app
    .http()
    .post('/api/checkout/webhook')
    .set('content-type', options.contentType ?? 'application/json; charset=utf-8')
    .set('user-agent', 'Stripe/1.0 (+https://stripe.com/docs/webhooks)');
  if (header !== null) req = req.set('stripe-signature', header);
  return req.send(payload);
}
