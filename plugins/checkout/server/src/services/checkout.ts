/**
 * What a learner does: start a Checkout Session for a course or a plan, open the Customer Portal,
 * read their own orders. Decisions come from domain/purchase.ts; this adapter gathers facts,
 * writes the order, and talks to Stripe through the stripe-api service.
 */
import type { Core } from '@strapi/strapi';
import { COURSE_UID, PLAN_UID, SUBSCRIPTION_UID, requireNeighbour, type AccessDecision, type AllowedVia, type OrderKind, type OrderStatus } from '@kp/platform';
import { ORDER_UID } from '../content-types';
import { decideBundlePurchase, orderCourses } from '../domain/bundles';
import { decideCoursePurchase, decidePlanPurchase, stripeCheckoutLocale, type CourseFacts, type PlanFacts } from '../domain/purchase';
import { checkReturnUrl } from '../domain/return-urls';
import type { CreateSessionInput, OrderView } from '../routes/schemas';
import { getService } from '../utils';
import type { CustomerOwner } from './customers';
import { inCurrency, type SellableItem } from './catalogue';
import { offeredPrices, pickPrice } from '../domain/currencies';
import type { Currency } from '../domain/money';
import type { CheckedCode, CodeRefusal } from './coupons';
import type { CheckoutItem } from './stripe-api';
import type { GiftView } from './gifts';

const DEFAULT_LOCALE = 'en';
/** Pending sessions younger than Stripe's 24 h lifetime may still be paid: expire them on a new attempt. */
const SESSION_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Why a checkout cannot start; the controller maps each to an HTTP answer. */
export type CheckoutRefusal =
  | { reason: 'invalid-return-url'; field: 'successUrl' | 'cancelUrl' | 'returnUrl'; detail: string }
  | { reason: 'not-found'; what: 'course' | 'plan' | 'bundle' }
  | { reason: 'gift-to-self' }
  | { reason: 'free-course' }
  | { reason: 'subscription-only' }
  | { reason: 'already-has-access'; via: AllowedVia }
  | { reason: 'already-subscribed' }
  | { reason: 'not-purchasable'; detail: string }
  | { reason: 'no-customer' }
  | { reason: 'unsupported-currency'; requested: string; offered: Currency[] }
  | { reason: 'code-refused'; refusal: CodeRefusal };

export type CheckoutResult<T> = { ok: true; value: T } | { ok: false; refusal: CheckoutRefusal };

interface OrderRow {
  id: number;
  documentId: string;
  state: OrderStatus;
  kind: OrderKind;
  courseDocumentId: string | null;
  planDocumentId: string | null;
  bundleDocumentId?: string | null;
  courseDocumentIds?: unknown;
  itemTitle: string | null;
  amount: number;
  currency: string;
  amountPaid: number | null;
  amountRefunded: number | null;
  checkoutSessionId: string | null;
  createdAt: string | Date;
  paidAt: string | Date | null;
}

function iso(value: string | Date | null): string | null {
  if (value === null || value === undefined) return null;
  return new Date(value).toISOString();
}

/** An order as its owner sees it (the route's response schema). */
export function toOrderView(row: OrderRow, gift: GiftView | null = null): OrderView {
  return {
    id: row.documentId,
    status: row.state,
    kind: row.kind,
    course: row.courseDocumentId ?? null,
    plan: row.planDocumentId ?? null,
    bundle: row.bundleDocumentId ?? null,
    courses: orderCourses({ kind: row.kind, courseDocumentId: row.courseDocumentId, courseDocumentIds: row.courseDocumentIds ?? null }),
    gift,
    title: row.itemTitle ?? null,
    amount: row.amount,
    currency: row.currency,
    amountPaid: row.amountPaid ?? null,
    amountRefunded: row.amountRefunded ?? 0,
    createdAt: iso(row.createdAt) ?? '',
    paidAt: iso(row.paidAt),
  };
}

/** Of a document's rows (one per locale), the one in `locale`, else the default locale, else any. */
function pickLocale<T extends { locale?: string | null }>(rows: T[], locale: string | undefined): T | null {
  return rows.find((r) => r.locale === locale) ?? rows.find((r) => r.locale === DEFAULT_LOCALE) ?? rows[0] ?? null;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const orders = () => strapi.db.query(ORDER_UID);

  function checkUrls(input: Record<string, string>): CheckoutRefusal | null {
    const allowed = getService(strapi, 'settings').allowedOrigins();
    for (const [field, url] of Object.entries(input)) {
      const check = checkReturnUrl(url, allowed);
      if (!check.ok) {
        return {
          reason: 'invalid-return-url',
          field: field as 'successUrl' | 'cancelUrl' | 'returnUrl',
          detail: check.reason === 'origin-not-allowed' ? `origin not in CHECKOUT_ALLOWED_ORIGINS (${allowed.join(', ')})` : check.reason,
        };
      }
    }
    return null;
  }

  async function publishedCourse(documentId: string, locale: string | undefined): Promise<CourseFacts | null> {
    // Published rows only: a draft (or unpublished) course is not for sale, whatever the client knows of it.
    const rows = (await strapi.db.query(COURSE_UID).findMany({
      where: { documentId, publishedAt: { $notNull: true } },
      select: ['documentId', 'title', 'access', 'price', 'currency', 'locale'],
      populate: { extraPrices: { select: ['currency', 'amount'] } },
    })) as Array<CourseFacts & { locale: string; extraPrices?: Array<{ currency: string; amount: number }> | null }>;
    return pickLocale(rows, locale);
  }

  async function plan(documentId: string, locale: string | undefined): Promise<PlanFacts | null> {
    const rows = (await strapi.db.query(PLAN_UID).findMany({
      where: { documentId },
      select: ['documentId', 'name', 'price', 'currency', 'interval', 'trialDays', 'locale'],
    })) as Array<PlanFacts & { locale: string }>;
    return pickLocale(rows, locale);
  }

  async function subscriptionStatuses(userId: number, planDocumentId: string): Promise<string[]> {
    const rows = (await strapi.db.query(SUBSCRIPTION_UID).findMany({
      where: { user: { id: userId }, plan: { documentId: planDocumentId } },
      select: ['status'],
    })) as Array<{ status: string }>;
    return rows.map((r) => r.status);
  }

  /**
   * Closes this learner's other open sessions for the same item, so that two checkout tabs cannot
   * both be paid. Best effort: Stripe's `checkout.session.expired` event then marks those orders.
   */
  async function expireOlderSessions(userId: number, item: { courseDocumentId?: string; planDocumentId?: string; bundleDocumentId?: string; giftRecipientEmail: string | null }): Promise<void> {
    const since = new Date(Date.now() - SESSION_LIFETIME_MS);
    const open = (await orders().findMany({
      where: { user: { id: userId }, state: 'pending', checkoutSessionId: { $notNull: true }, createdAt: { $gt: since }, ...item },
      select: ['checkoutSessionId'],
      limit: 10,
    })) as Array<{ checkoutSessionId: string }>;
    for (const o of open) {
      try {
        await getService(strapi, 'stripe-api').expireCheckoutSession(o.checkoutSessionId);
      } catch (error) {
        // Already completed or expired at Stripe: its own event settles the order.
        strapi.log.debug(`[checkout] could not expire ${o.checkoutSessionId}: ${(error as Error).message}`);
      }
    }
  }

  /**
   * The Stripe Price to sell at (created or rotated now if the catalogue is behind the saved
   * price) and the promotion code, checked for this item. Stripe errors propagate (502/503).
   */
  async function priceOf(kind: 'course' | 'plan', documentId: string, code: string | undefined, currency?: string): Promise<CheckoutResult<{ priceId: string; promotion: CheckedCode | null }>> {
    const catalogue = getService(strapi, 'catalogue');
    const item: SellableItem | null = await catalogue.sellable(kind, documentId);
    // In the currency picked for the learner (a coupon's amount_off is then checked against it).
    const sellable = item && currency ? inCurrency(item, currency) : item;
    if (!sellable) return { ok: false, refusal: { reason: 'not-purchasable', detail: `the ${kind} has no price${currency ? ` in ${currency}` : ''}` } };
    let promotion: CheckedCode | null = null;
    if (code) {
      const checked = await getService(strapi, 'coupons').check(code, sellable);
      if (!checked.ok) return { ok: false, refusal: { reason: 'code-refused', refusal: checked.refusal } };
      promotion = checked.value;
    }
    return { ok: true, value: { priceId: await catalogue.priceFor(sellable), promotion } };
  }

  return {
    async createSession(user: CustomerOwner, input: CreateSessionInput): Promise<CheckoutResult<{ url: string; orderId: string }>> {
      const badUrl = checkUrls({ successUrl: input.successUrl, cancelUrl: input.cancelUrl });
      if (badUrl) return { ok: false, refusal: badUrl };

      const giftEmail = input.giftEmail ? input.giftEmail.trim().toLowerCase() : null;
      if (giftEmail && giftEmail === user.email.trim().toLowerCase()) return { ok: false, refusal: { reason: 'gift-to-self' } };

      let item: CheckoutItem;
      let order: { amount: number; currency: string; title: string; courseDocumentIds: string[] | null };
      let promotion: CheckedCode | null = null;
      if (input.bundle) {
        // Coupons are restricted to courses and plans (domain/coupons.ts): a code never silently drops.
        if (input.promotionCode) return { ok: false, refusal: { reason: 'not-purchasable', detail: 'promotion codes apply to courses and plans, not to bundles' } };
        const bundles = getService(strapi, 'bundles');
        const facts = await bundles.facts(input.bundle);
        // A gift's buyer may own the courses: the recipient gets them.
        const decision = decideBundlePurchase(facts, facts && !giftEmail ? await bundles.owned(user.id, facts.courseDocumentIds) : null);
        if (!decision.ok) {
          switch (decision.reason) {
            case 'not-found':
              return { ok: false, refusal: { reason: 'not-found', what: 'bundle' } };
            case 'already-has-access':
              return { ok: false, refusal: { reason: 'already-has-access', via: decision.via } };
            case 'not-purchasable':
              return { ok: false, refusal: { reason: 'not-purchasable', detail: decision.detail } };
            default: {
              const unreachable: never = decision;
              throw new Error(`unhandled refusal ${JSON.stringify(unreachable)}`);
            }
          }
        }
        item = { kind: 'bundle', bundleDocumentId: input.bundle, name: decision.title, amount: decision.amount, currency: decision.currency };
        order = { amount: decision.amount, currency: decision.currency, title: decision.title, courseDocumentIds: decision.courseDocumentIds };
      } else if (input.course) {
        const course = await publishedCourse(input.course, input.locale);
        const noAccess: AccessDecision = { allowed: false, reason: 'no-entitlement' };
        // For a gift, what the buyer already has does not matter.
        const access: AccessDecision = !course
          ? { allowed: false, reason: 'not-found' }
          : giftEmail
            ? noAccess
            : await requireNeighbour(strapi, 'paywall', 'Checkout cannot tell what the learner already has').access.decideCourse({ id: user.id }, course.documentId);
        const decision = decideCoursePurchase(course, access);
        if (!decision.ok) {
          switch (decision.reason) {
            case 'not-found':
              return { ok: false, refusal: { reason: 'not-found', what: 'course' } };
            case 'already-has-access':
              return { ok: false, refusal: { reason: 'already-has-access', via: decision.via } };
            case 'not-purchasable':
              return { ok: false, refusal: { reason: 'not-purchasable', detail: decision.detail } };
            case 'free-course':
            case 'subscription-only':
              return { ok: false, refusal: { reason: decision.reason } };
            default: {
              const unreachable: never = decision;
              throw new Error(`unhandled refusal ${JSON.stringify(unreachable)}`);
            }
          }
        }
        // The currency charged: the one the frontend asked for (and showed), else the default — never
        // guessed from the language here, so the price a frontend shows from REST is the price charged.
        const pick = pickPrice(offeredPrices(course as NonNullable<typeof course>), { requested: input.currency ?? null });
        if (!pick.ok) return { ok: false, refusal: { reason: 'unsupported-currency', requested: pick.requested, offered: pick.offered } };
        const priced = await priceOf('course', input.course, input.promotionCode, pick.price.currency);
        if (!priced.ok) return priced;
        item = { kind: 'course', courseDocumentId: input.course, priceId: priced.value.priceId };
        order = { amount: pick.price.amount, currency: pick.price.currency, title: decision.title, courseDocumentIds: null };
        promotion = priced.value.promotion;
      } else {
        const planDocumentId = input.plan as string;
        const p = await plan(planDocumentId, input.locale);
        const decision = decidePlanPurchase(p, p ? await subscriptionStatuses(user.id, planDocumentId) : []);
        if (!decision.ok) {
          switch (decision.reason) {
            case 'not-found':
              return { ok: false, refusal: { reason: 'not-found', what: 'plan' } };
            case 'already-subscribed':
              return { ok: false, refusal: { reason: 'already-subscribed' } };
            case 'not-purchasable':
              return { ok: false, refusal: { reason: 'not-purchasable', detail: decision.detail } };
            default: {
              const unreachable: never = decision;
              throw new Error(`unhandled refusal ${JSON.stringify(unreachable)}`);
            }
          }
        }
        const priced = await priceOf('plan', planDocumentId, input.promotionCode);
        if (!priced.ok) return priced;
        item = { kind: 'plan', planDocumentId, priceId: priced.value.priceId, trialDays: decision.trialDays };
        order = { amount: decision.amount, currency: decision.currency, title: decision.title, courseDocumentIds: null };
        promotion = priced.value.promotion;
      }

      const customerId = await getService(strapi, 'customers').ensureCustomer(user);
      await expireOlderSessions(user.id, {
        ...(item.kind === 'course' ? { courseDocumentId: item.courseDocumentId } : item.kind === 'bundle' ? { bundleDocumentId: item.bundleDocumentId } : { planDocumentId: item.planDocumentId }),
        // Gifts of one course to two friends are two purchases; the same gift twice is one.
        giftRecipientEmail: giftEmail,
      });

      const created = (await orders().create({
        data: {
          state: 'pending',
          kind: item.kind,
          user: user.id,
          courseDocumentId: item.kind === 'course' ? item.courseDocumentId : null,
          planDocumentId: item.kind === 'plan' ? item.planDocumentId : null,
          bundleDocumentId: item.kind === 'bundle' ? item.bundleDocumentId : null,
          courseDocumentIds: order.courseDocumentIds,
          giftRecipientEmail: giftEmail,
          itemTitle: order.title.slice(0, 255),
          amount: order.amount,
          currency: order.currency,
          amountRefunded: 0,
          stripeCustomerId: customerId,
          checkoutLocale: input.locale ?? null,
          promotionCode: promotion?.code ?? null,
        },
      })) as { id: number; documentId: string };

      let session;
      try {
        session = await getService(strapi, 'stripe-api').createCheckoutSession({
          orderId: created.documentId,
          userId: user.id,
          customerId,
          item,
          successUrl: input.successUrl,
          cancelUrl: input.cancelUrl,
          locale: stripeCheckoutLocale(input.locale),
          promotionCodeId: promotion?.promotionCodeId ?? null,
        });
      } catch (error) {
        // No session, no order: nothing half-made is left behind for the learner or the editors.
        await orders().delete({ where: { id: created.id } });
        throw error;
      }
      await orders().update({
        where: { id: created.id },
        data: { checkoutSessionId: session.id, expiresAt: new Date(session.expiresAt * 1000) },
      });
      return { ok: true, value: { url: session.url, orderId: created.documentId } };
    },

    async createPortal(user: { id: number }, returnUrl: string): Promise<CheckoutResult<{ url: string }>> {
      const badUrl = checkUrls({ returnUrl });
      if (badUrl) return { ok: false, refusal: badUrl };
      const customerId = await getService(strapi, 'customers').findCustomerId(user.id);
      if (!customerId) return { ok: false, refusal: { reason: 'no-customer' } };
      const portal = await getService(strapi, 'stripe-api').createPortalSession({ customerId, returnUrl });
      return { ok: true, value: { url: portal.url } };
    },

    async listOrders(userId: number, options: { limit: number; offset: number }): Promise<{ results: OrderView[]; total: number }> {
      const where = { user: { id: userId } };
      const [rows, total] = await Promise.all([
        orders().findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: options.limit, offset: options.offset }),
        orders().count({ where }),
      ]);
      const gifts = await getService(strapi, 'gifts').forOrders((rows as OrderRow[]).map((r) => r.documentId));
      return { results: (rows as OrderRow[]).map((r) => toOrderView(r, gifts.get(r.documentId) ?? null)), total: Number(total) };
    },

    /** One of the learner's orders; another learner's order is "not found", never "forbidden". */
    async findOrder(userId: number, documentId: string): Promise<OrderView | null> {
      const row = (await orders().findOne({ where: { documentId, user: { id: userId } } })) as OrderRow | null;
      if (!row) return null;
      const gifts = await getService(strapi, 'gifts').forOrders([row.documentId]);
      return toOrderView(row, gifts.get(row.documentId) ?? null);
    },
  };
};
