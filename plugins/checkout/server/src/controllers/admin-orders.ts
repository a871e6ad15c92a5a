import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { z } from 'zod';
import { ORDER_STATUSES } from '../domain/orders';
import { getService } from '../utils';
import { sendError } from './errors';
import { answerStripeFailure } from './stripe-failure';

const listQuery = z
  .object({
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
    status: z.enum(ORDER_STATUSES).optional(),
  })
  .strict();

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /checkout/orders (admin): orders, newest first, optionally by status. */
  async find(ctx: Context) {
    const query = listQuery.safeParse(ctx.query);
    if (!query.success) {
      return sendError(ctx, 400, 'ValidationError', 'Invalid query.', { errors: query.error.issues.map((i) => i.message) });
    }
    ctx.body = await getService(strapi, 'admin-orders').list(query.data);
  },

  /** POST /checkout/orders/:id/refund (admin, `plugin::checkout.orders.refund`). */
  async refund(ctx: Context) {
    const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).safeParse(ctx.params.id);
    if (!id.success) return sendError(ctx, 404, 'NotFoundError', 'No such order.');
    const admin = ctx.state.user as { id: number; email?: string | null };
    try {
      const result = await getService(strapi, 'admin-orders').refund(id.data, admin);
      if (!result.ok) {
        if (result.reason === 'not-found') return sendError(ctx, 404, 'NotFoundError', 'No such order.');
        return sendError(ctx, 409, 'ConflictError', `This order cannot be refunded: ${result.detail}.`, { reason: result.reason });
      }
      ctx.status = 202; // accepted: access is revoked when Stripe's charge.refunded event arrives
      ctx.body = { data: { refundId: result.refundId, status: result.status, alreadyRequested: result.alreadyRequested } };
    } catch (error) {
      answerStripeFailure(strapi, ctx, error);
    }
  },
});
