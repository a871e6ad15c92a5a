import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { z } from 'zod';
import { createPortalInput, createSessionInput } from '../domain/purchase';
import type { CheckoutRefusal } from '../services/checkout';
import { getService } from '../utils';
import { sendError } from './errors';
import { answerStripeFailure } from './stripe-failure';

interface AuthUser {
  id: number;
  documentId: string;
  email: string;
  username?: string;
}

const listQuery = z
  .object({
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();

function issues(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
}

/** One answer per refusal reason; the `never` default makes a new reason a compile error here. */
function refuse(ctx: Context, refusal: CheckoutRefusal): void {
  switch (refusal.reason) {
    case 'invalid-return-url':
      return sendError(ctx, 400, 'ValidationError', `${refusal.field} is not an allowed return URL: ${refusal.detail}`, { field: refusal.field });
    case 'not-found':
      return sendError(ctx, 404, 'NotFoundError', `No published ${refusal.what} with this id.`, { reason: refusal.reason });
    case 'free-course':
      return sendError(ctx, 400, 'ValidationError', 'This course is free: there is nothing to buy.', { reason: refusal.reason });
    case 'subscription-only':
      return sendError(ctx, 400, 'ValidationError', 'This course is sold only through a subscription plan.', { reason: refusal.reason });
    case 'already-has-access':
      return sendError(ctx, 409, 'ConflictError', 'You already have access to this course.', { reason: refusal.reason, via: refusal.via });
    case 'already-subscribed':
      return sendError(ctx, 409, 'ConflictError', 'You already subscribe to this plan: manage it in the customer portal.', { reason: refusal.reason });
    case 'not-purchasable':
      return sendError(ctx, 409, 'ConflictError', 'This item cannot be bought right now.', { reason: refusal.reason, detail: refusal.detail });
    case 'no-customer':
      return sendError(ctx, 409, 'ConflictError', 'No billing account yet: it is created with your first purchase.', { reason: refusal.reason });
    default: {
      const unreachable: never = refusal;
      throw new Error(`unhandled refusal ${JSON.stringify(unreachable)}`);
    }
  }
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST /api/checkout/sessions → 201 `{ url, orderId }`. */
  async createSession(ctx: Context) {
    const user = ctx.state.user as AuthUser;
    const input = createSessionInput.safeParse(ctx.request.body ?? {});
    if (!input.success) return sendError(ctx, 400, 'ValidationError', 'Invalid checkout request.', { errors: issues(input.error) });
    try {
      const result = await getService(strapi, 'checkout').createSession(user, input.data);
      if (!result.ok) return refuse(ctx, result.refusal);
      ctx.status = 201;
      ctx.body = result.value;
    } catch (error) {
      answerStripeFailure(strapi, ctx, error);
    }
  },

  /** POST /api/checkout/portal → `{ url }` of a Customer Portal session. */
  async createPortal(ctx: Context) {
    const user = ctx.state.user as AuthUser;
    const input = createPortalInput.safeParse(ctx.request.body ?? {});
    if (!input.success) return sendError(ctx, 400, 'ValidationError', 'Invalid portal request.', { errors: issues(input.error) });
    try {
      const result = await getService(strapi, 'checkout').createPortal(user, input.data.returnUrl);
      if (!result.ok) return refuse(ctx, result.refusal);
      ctx.body = result.value;
    } catch (error) {
      answerStripeFailure(strapi, ctx, error);
    }
  },

  /** GET /api/checkout/orders: the caller's orders, newest first. */
  async listOrders(ctx: Context) {
    const user = ctx.state.user as AuthUser;
    const query = listQuery.safeParse(ctx.query);
    if (!query.success) return sendError(ctx, 400, 'ValidationError', 'Invalid query.', { errors: issues(query.error) });
    const { page, pageSize } = query.data;
    const { results, total } = await getService(strapi, 'checkout').listOrders(user.id, { limit: pageSize, offset: (page - 1) * pageSize });
    ctx.body = { data: results, meta: { pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } } };
  },

  /** GET /api/checkout/orders/:id: one of the caller's orders (a success page polls it). */
  async findOrder(ctx: Context) {
    const user = ctx.state.user as AuthUser;
    const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).safeParse(ctx.params.id);
    if (!id.success) return sendError(ctx, 404, 'NotFoundError', 'No such order.');
    const order = await getService(strapi, 'checkout').findOrder(user.id, id.data);
    if (!order) return sendError(ctx, 404, 'NotFoundError', 'No such order.');
    ctx.body = { data: order };
  },
});
