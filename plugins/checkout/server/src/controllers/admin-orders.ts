import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { httpError, inputOf } from '@kp/platform';
import { listAdminOrders, refundOrder } from '../routes/admin';
import { getService } from '../utils';
import { throwStripeFailure } from './stripe-failure';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /checkout/orders (admin): orders, newest first, optionally by status. */
  async find(ctx: Context) {
    ctx.body = await getService(strapi, 'admin-orders').list(inputOf(ctx, listAdminOrders).query);
  },

  /** POST /checkout/orders/:id/refund (admin, `plugin::checkout.orders.refund`). */
  async refund(ctx: Context) {
    const { id } = inputOf(ctx, refundOrder).params;
    const admin = ctx.state.user as { id: number; email?: string | null };
    const result = await getService(strapi, 'admin-orders').refund(id, admin).catch((error: unknown) => throwStripeFailure(strapi, error));
    if (!result.ok) {
      if (result.reason === 'not-found') throw httpError(404, 'No such order.');
      throw httpError(409, `This order cannot be refunded: ${result.detail}.`, { reason: result.reason });
    }
    ctx.status = 202; // accepted: access is revoked when Stripe's charge.refunded event arrives
    ctx.body = { data: { refundId: result.refundId, status: result.status, alreadyRequested: result.alreadyRequested } };
  },
});
