import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { assertNever, httpError, inputOf } from '@kp/platform';
import { createPortal, createSession, findOrder, listOrders } from '../routes/content-api';
import type { CheckoutRefusal } from '../services/checkout';
import { getService } from '../utils';
import { throwStripeFailure } from './stripe-failure';
import { codeRefusalError, unsupportedCurrencyError } from './coupons';

interface AuthUser {
  id: number;
  documentId: string;
  email: string;
  username?: string;
}

/** One answer per refusal reason; a new reason does not compile until it has one. */
function refusal(refusal: CheckoutRefusal): Error {
  switch (refusal.reason) {
    case 'invalid-return-url':
      return httpError(400, `${refusal.field} is not an allowed return URL: ${refusal.detail}`, { field: refusal.field });
    case 'not-found':
      return httpError(404, `No published ${refusal.what} with this id.`, { reason: refusal.reason });
    case 'gift-to-self':
      return httpError(400, 'giftEmail is your own address: buy it without giftEmail to get it yourself.', { reason: refusal.reason, field: 'giftEmail' });
    case 'free-course':
      return httpError(400, 'This course is free: there is nothing to buy.', { reason: refusal.reason });
    case 'subscription-only':
      return httpError(400, 'This course is sold only through a subscription plan.', { reason: refusal.reason });
    case 'already-has-access':
      return httpError(409, 'You already have access to this course.', { reason: refusal.reason, via: refusal.via });
    case 'already-subscribed':
      return httpError(409, 'You already subscribe to this plan: manage it in the customer portal.', { reason: refusal.reason });
    case 'not-purchasable':
      return httpError(409, 'This item cannot be bought right now.', { reason: refusal.reason, detail: refusal.detail });
    case 'no-customer':
      return httpError(409, 'No billing account yet: it is created with your first purchase.', { reason: refusal.reason });
    case 'code-refused':
      return codeRefusalError(refusal.refusal);
    case 'unsupported-currency':
      return unsupportedCurrencyError(refusal.requested, refusal.offered);
    default:
      return assertNever(refusal, 'checkout refusal');
  }
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST /api/checkout/sessions → 201 `{ url, orderId }`. */
  async createSession(ctx: Context) {
    const user = ctx.state.user as AuthUser;
    const { body } = inputOf(ctx, createSession);
    const result = await getService(strapi, 'checkout').createSession(user, body).catch((error: unknown) => throwStripeFailure(strapi, error));
    if (!result.ok) throw refusal(result.refusal);
    ctx.status = 201;
    ctx.body = result.value;
  },

  /** POST /api/checkout/portal → `{ url }` of a Customer Portal session. */
  async createPortal(ctx: Context) {
    const user = ctx.state.user as AuthUser;
    const { body } = inputOf(ctx, createPortal);
    const result = await getService(strapi, 'checkout').createPortal(user, body.returnUrl).catch((error: unknown) => throwStripeFailure(strapi, error));
    if (!result.ok) throw refusal(result.refusal);
    ctx.body = result.value;
  },

  /** GET /api/checkout/orders: the caller's orders, newest first. */
  async listOrders(ctx: Context) {
    const user = ctx.state.user as AuthUser;
    const { page, pageSize } = inputOf(ctx, listOrders).query;
    const { results, total } = await getService(strapi, 'checkout').listOrders(user.id, { limit: pageSize, offset: (page - 1) * pageSize });
    ctx.body = { data: results, meta: { pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } } };
  },

  /** GET /api/checkout/orders/:id: one of the caller's orders (a success page polls it). */
  async findOrder(ctx: Context) {
    const user = ctx.state.user as AuthUser;
    const { id } = inputOf(ctx, findOrder).params;
    const order = await getService(strapi, 'checkout').findOrder(user.id, id);
    if (!order) throw httpError(404, 'No such order.');
    ctx.body = { data: order };
  },
});
