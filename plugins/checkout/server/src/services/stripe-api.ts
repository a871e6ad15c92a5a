/**
 * The one module that imports the Stripe SDK, so that everything else in the plugin sees plain
 * objects (and is tested with them): requests described in our words, answers reduced to the ids
 * and URLs we keep, and Stripe's errors mapped to `StripeApiError` with a kind the controllers can
 * answer from.
 */
import Stripe from 'stripe';
import type { Core } from '@strapi/strapi';
import { readConfig, type StripeSettings } from '../config';

/** Why the Stripe API could not be used; `retryable` failures answer 502/503, the others 4xx/409. */
export class StripeApiError extends Error {
  constructor(
    readonly kind: 'not-configured' | 'invalid-request' | 'authentication' | 'rate-limit' | 'unavailable' | 'card' | 'unknown',
    message: string,
    readonly stripeCode: string | null = null,
    readonly statusCode: number | null = null
  ) {
    super(message);
    this.name = 'StripeApiError';
  }
}

/** A webhook that failed verification: missing header, bad signature, wrong secret, too old, or not JSON. */
export class WebhookVerificationError extends Error {
  constructor(readonly reason: 'missing-signature' | 'bad-signature' | 'malformed-payload', message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

export type CheckoutItem =
  | { kind: 'course'; courseDocumentId: string; name: string; amount: number; currency: string }
  | { kind: 'plan'; planDocumentId: string; priceId: string };

export interface CheckoutSessionRequest {
  orderId: string;
  userId: number;
  customerId: string;
  item: CheckoutItem;
  successUrl: string;
  cancelUrl: string;
  locale: 'en' | 'zh' | 'auto';
}

export interface CreatedCheckoutSession {
  id: string;
  url: string;
  /** Unix seconds. */
  expiresAt: number;
}

/** Parses STRIPE_API_BASE into the SDK's host/port/protocol options. */
export function apiBaseOptions(apiBase: string): { host?: string; port?: number; protocol?: 'http' | 'https' } {
  if (!apiBase) return {};
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443, protocol };
}

function toApiError(error: unknown): StripeApiError {
  if (error instanceof StripeApiError) return error;
  if (error instanceof Stripe.errors.StripeError) {
    const code = error.code ?? null;
    const status = error.statusCode ?? null;
    if (error instanceof Stripe.errors.StripeCardError) return new StripeApiError('card', error.message, code, status);
    if (error instanceof Stripe.errors.StripeInvalidRequestError) return new StripeApiError('invalid-request', error.message, code, status);
    if (error instanceof Stripe.errors.StripeAuthenticationError || error instanceof Stripe.errors.StripePermissionError) {
      return new StripeApiError('authentication', error.message, code, status);
    }
    if (error instanceof Stripe.errors.StripeRateLimitError) return new StripeApiError('rate-limit', error.message, code, status);
    if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError) {
      return new StripeApiError('unavailable', error.message, code, status);
    }
    return new StripeApiError('unknown', error.message, code, status);
  }
  return new StripeApiError('unknown', error instanceof Error ? error.message : String(error));
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toApiError(error);
  }
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let client: Stripe | null = null;

  const settings = (): StripeSettings => readConfig(strapi, 'stripe');

  function stripe(): Stripe {
    if (client) return client;
    const s = settings();
    if (!s.secretKey) throw new StripeApiError('not-configured', 'STRIPE_SECRET_KEY is not set');
    client = new Stripe(s.secretKey, {
      // Pinned: webhook payload shapes (and our parsers in domain/events.ts) follow this version.
      apiVersion: Stripe.API_VERSION,
      maxNetworkRetries: 2,
      timeout: s.timeoutMs,
      telemetry: false,
      appInfo: { name: 'knowledge-platform-checkout' },
      ...apiBaseOptions(s.apiBase),
    });
    return client;
  }

  return {
    /** The API version requests are made with; the webhook endpoint must be set to the same. */
    apiVersion(): string {
      return Stripe.API_VERSION;
    },

    /** `generation`: how many of the learner's customers were deleted at Stripe (a new key for a new customer). */
    async createCustomer(input: { userId: number; userDocumentId: string; email: string; name?: string; generation?: number }): Promise<{ id: string; livemode: boolean }> {
      const customer = await call(() =>
        stripe().customers.create(
          { email: input.email, name: input.name, metadata: { userId: String(input.userId), userDocumentId: input.userDocumentId } },
          // Two concurrent first checkouts of one learner get the same customer from Stripe. Keyed by
          // documentId (random), not the numeric id that a reset development database hands out again.
          // After a deletion (customer.deleted) the same key would give the deleted customer back for 24 h.
          { idempotencyKey: `customer-for-user-${input.userDocumentId}${input.generation ? `-${input.generation}` : ''}` }
        )
      );
      return { id: customer.id, livemode: customer.livemode };
    },

    async createCheckoutSession(req: CheckoutSessionRequest): Promise<CreatedCheckoutSession> {
      const item = req.item;
      const metadata: Record<string, string> = { orderId: req.orderId, userId: String(req.userId) };
      if (item.kind === 'course') metadata.courseDocumentId = item.courseDocumentId;
      else metadata.planDocumentId = item.planDocumentId;

      const params: Stripe.Checkout.SessionCreateParams =
        item.kind === 'course'
          ? {
              mode: 'payment',
              line_items: [
                {
                  quantity: 1,
                  price_data: {
                    currency: item.currency,
                    // Integer minor units as stored; JPY is already whole yen.
                    unit_amount: item.amount,
                    product_data: { name: item.name, metadata: { courseDocumentId: item.courseDocumentId } },
                  },
                },
              ],
              // Charges inherit this: a refund or dispute finds its order even before the completion event.
              payment_intent_data: { metadata },
            }
          : {
              mode: 'subscription',
              line_items: [{ price: item.priceId, quantity: 1 }],
              // Subscription events then carry the learner and plan, whatever order they arrive in.
              subscription_data: { metadata },
            };

      const session = await call(() =>
        stripe().checkout.sessions.create(
          {
            ...params,
            customer: req.customerId,
            client_reference_id: req.orderId,
            metadata,
            allow_promotion_codes: true,
            success_url: req.successUrl,
            cancel_url: req.cancelUrl,
            locale: req.locale,
          },
          { idempotencyKey: `checkout-session-${req.orderId}` }
        )
      );
      if (!session.url) throw new StripeApiError('unknown', 'Stripe returned a Checkout Session without a URL');
      return { id: session.id, url: session.url, expiresAt: session.expires_at };
    },

    /** Closes an open session so that an older checkout tab cannot be paid as well. */
    async expireCheckoutSession(sessionId: string): Promise<void> {
      await call(() => stripe().checkout.sessions.expire(sessionId));
    },

    async createPortalSession(input: { customerId: string; returnUrl: string }): Promise<{ url: string }> {
      const session = await call(() =>
        stripe().billingPortal.sessions.create({ customer: input.customerId, return_url: input.returnUrl })
      );
      return { url: session.url };
    },

    async createRefund(input: { paymentIntentId: string; orderId: string; requestedBy: string }): Promise<{ id: string; status: string | null; amount: number }> {
      const refund = await call(() =>
        stripe().refunds.create(
          {
            payment_intent: input.paymentIntentId,
            reason: 'requested_by_customer',
            metadata: { orderId: input.orderId, requestedBy: input.requestedBy },
          },
          // A double click in the admin panel refunds once.
          { idempotencyKey: `refund-order-${input.orderId}` }
        )
      );
      return { id: refund.id, status: refund.status, amount: refund.amount };
    },

    /** The subscription as Stripe holds it now, as the raw object (domain/events.ts reads it). */
    async retrieveSubscription(subscriptionId: string): Promise<unknown> {
      const sub = await call(() => stripe().subscriptions.retrieve(subscriptionId));
      return JSON.parse(JSON.stringify(sub)) as unknown;
    },

    /**
     * Verifies `Stripe-Signature` over the raw body with the webhook secret (or any of several,
     * comma-separated, while rotating secrets) and returns the parsed event JSON.
     */
    verifyWebhook(rawBody: string | Buffer, signature: string | undefined): unknown {
      const s = settings();
      if (!signature) throw new WebhookVerificationError('missing-signature', 'missing Stripe-Signature header');
      const secrets = s.webhookSecret.split(',').map((x) => x.trim()).filter(Boolean);
      let lastError: unknown = null;
      for (const secret of secrets) {
        try {
          return Stripe.webhooks.constructEvent(rawBody, signature, secret, s.webhookTolerance) as unknown;
        } catch (error) {
          if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
            lastError = error;
            continue;
          }
          // The signature matched but the body is not JSON.
          throw new WebhookVerificationError('malformed-payload', 'the signed payload is not valid JSON');
        }
      }
      const detail = lastError instanceof Error ? lastError.message : 'no webhook secret configured';
      throw new WebhookVerificationError('bad-signature', `signature verification failed: ${detail}`);
    },
  };
};
