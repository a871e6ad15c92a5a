/**
 * The one module that imports the Stripe SDK, so that everything else in the plugin sees plain
 * objects (and is tested with them): requests described in our words, answers reduced to the ids
 * and URLs we keep, and Stripe's errors mapped to `StripeApiError` with a kind the controllers can
 * answer from.
 */
import Stripe from 'stripe';
import type { Core } from '@strapi/strapi';
import { readConfig, type StripeSettings } from '../config';
import { priceIdempotencyKey, type Recurring } from '../domain/catalogue';

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

/** What a session sells: a Price the catalogue created (services/catalogue.ts), never a client's. */
export type CheckoutItem =
  | { kind: 'course'; courseDocumentId: string; priceId: string }
  | { kind: 'plan'; planDocumentId: string; priceId: string; trialDays: number | null }
  /** A bundle of courses sold once at one price (inline `price_data`: bundles have no catalogue Price). */
  | { kind: 'bundle'; bundleDocumentId: string; name: string; amount: number; currency: string };

/** A Price to create (amount in minor units; `recurring` for plans). */
export interface PriceRequest {
  productId: string;
  amount: number;
  currency: string;
  recurring: Recurring | null;
  metadata: Record<string, string>;
}

/** A Coupon and its Promotion Code, as the editor defined them (domain/coupons.ts checked the terms). */
export interface CouponRequest {
  couponDocumentId: string;
  name: string;
  code: string;
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  duration: 'once' | 'repeating' | 'forever';
  durationInMonths: number | null;
  /** Unix seconds. */
  expiresAt: number | null;
  maxRedemptions: number | null;
  /** Stripe Products the coupon is restricted to (empty: any). */
  productIds: string[];
  active: boolean;
}

export interface CheckoutSessionRequest {
  orderId: string;
  userId: number;
  customerId: string;
  item: CheckoutItem;
  successUrl: string;
  cancelUrl: string;
  locale: 'en' | 'zh' | 'auto';
  /** A promotion code the learner entered and we checked (services/coupons.ts): applied instead of the code field. */
  promotionCodeId?: string | null;
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
      else if (item.kind === 'bundle') metadata.bundleDocumentId = item.bundleDocumentId;
      else metadata.planDocumentId = item.planDocumentId;

      const params: Stripe.Checkout.SessionCreateParams =
        item.kind !== 'plan'
          ? {
              mode: 'payment',
              line_items:
                item.kind === 'course'
                  ? [{ price: item.priceId, quantity: 1 }]
                  : [
                      {
                        quantity: 1,
                        price_data: {
                          currency: item.currency,
                          // Integer minor units as stored; JPY is already whole yen.
                          unit_amount: item.amount,
                          product_data: { name: item.name, metadata: { bundleDocumentId: item.bundleDocumentId } },
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
              subscription_data: { metadata, ...(item.trialDays ? { trial_period_days: item.trialDays } : {}) },
            };

      // Stripe refuses `allow_promotion_codes` together with `discounts`: a code checked here is
      // applied; without one, the learner may still type one on Stripe's page.
      const discounts: Pick<Stripe.Checkout.SessionCreateParams, 'discounts' | 'allow_promotion_codes'> = req.promotionCodeId
        ? { discounts: [{ promotion_code: req.promotionCodeId }] }
        : { allow_promotion_codes: true };
      const session = await call(() =>
        stripe().checkout.sessions.create(
          {
            ...params,
            customer: req.customerId,
            client_reference_id: req.orderId,
            metadata,
            ...discounts,
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

    /** The Product a course or plan is sold as; keyed by the item so that a retry finds the same one. */
    async createProduct(input: { itemKey: string; name: string; metadata: Record<string, string> }): Promise<{ id: string }> {
      const product = await call(() =>
        stripe().products.create({ name: input.name.slice(0, 250) || input.itemKey, metadata: { itemKey: input.itemKey, ...input.metadata } }, { idempotencyKey: `product-${input.itemKey}` })
      );
      return { id: product.id };
    },

    /** Keeps the Product's name (what Checkout and invoices show) in step with the title. */
    async renameProduct(productId: string, name: string): Promise<void> {
      await call(() => stripe().products.update(productId, { name: name.slice(0, 250) }));
    },

    /** A new Price; the same terms for the same Product within Stripe's idempotency window give the same Price. */
    async createPrice(input: PriceRequest): Promise<{ id: string }> {
      const price = await call(() =>
        stripe().prices.create(
          {
            product: input.productId,
            currency: input.currency,
            unit_amount: input.amount,
            ...(input.recurring ? { recurring: { interval: input.recurring.interval, interval_count: input.recurring.intervalCount } } : {}),
            metadata: input.metadata,
          },
          { idempotencyKey: priceIdempotencyKey(input.productId, { amount: input.amount, currency: input.currency, recurring: input.recurring }) }
        )
      );
      return { id: price.id };
    },

    /** Archives (false) or reactivates (true) a Price; subscriptions on it keep renewing either way. */
    async setPriceActive(priceId: string, active: boolean): Promise<void> {
      await call(() => stripe().prices.update(priceId, { active }));
    },

    /** Creates the Coupon and its Promotion Code (each keyed by the coupon record, so a retry creates neither twice). */
    async createCoupon(input: CouponRequest): Promise<{ couponId: string; promotionCodeId: string }> {
      const coupon = await call(() =>
        stripe().coupons.create(
          {
            name: input.name.slice(0, 40),
            ...(input.percentOff !== null ? { percent_off: input.percentOff } : { amount_off: input.amountOff ?? 0, currency: input.currency ?? undefined }),
            duration: input.duration,
            ...(input.duration === 'repeating' && input.durationInMonths ? { duration_in_months: input.durationInMonths } : {}),
            ...(input.expiresAt ? { redeem_by: input.expiresAt } : {}),
            ...(input.maxRedemptions ? { max_redemptions: input.maxRedemptions } : {}),
            ...(input.productIds.length ? { applies_to: { products: input.productIds } } : {}),
            metadata: { couponDocumentId: input.couponDocumentId },
          },
          { idempotencyKey: `coupon-${input.couponDocumentId}` }
        )
      );
      const code = await call(() =>
        stripe().promotionCodes.create(
          {
            promotion: { type: 'coupon', coupon: coupon.id },
            code: input.code,
            active: input.active,
            ...(input.expiresAt ? { expires_at: input.expiresAt } : {}),
            ...(input.maxRedemptions ? { max_redemptions: input.maxRedemptions } : {}),
            metadata: { couponDocumentId: input.couponDocumentId },
          },
          { idempotencyKey: `promotion-code-${input.couponDocumentId}` }
        )
      );
      return { couponId: coupon.id, promotionCodeId: code.id };
    },

    async setPromotionCodeActive(promotionCodeId: string, active: boolean): Promise<void> {
      await call(() => stripe().promotionCodes.update(promotionCodeId, { active }));
    },

    /** Stripe's redemption count and state of a promotion code. */
    async retrievePromotionCode(promotionCodeId: string): Promise<{ timesRedeemed: number; active: boolean }> {
      const code = await call(() => stripe().promotionCodes.retrieve(promotionCodeId));
      return { timesRedeemed: code.times_redeemed, active: code.active };
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
