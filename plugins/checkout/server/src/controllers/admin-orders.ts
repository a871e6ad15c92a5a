import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { httpError, inputOf } from '@kp/platform';
import { exportAdminOrders, listAdminOrders, refundOrder } from '../routes/admin';
import { getService } from '../utils';
import { throwStripeFailure } from './stripe-failure';

/** The `to` filter as written (a date alone means the whole day). */
const rawTo = (ctx: Context): string | undefined => (typeof ctx.query.to === 'string' ? ctx.query.to : undefined);

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /checkout/orders (admin): orders, newest first, filtered by status, search and creation time. */
  async find(ctx: Context) {
    ctx.body = await getService(strapi, 'admin-orders').list(inputOf(ctx, listAdminOrders).query, rawTo(ctx));
  },

  /** GET /checkout/orders/export (admin): the same filters, every matching order as a CSV file. */
  async exportCsv(ctx: Context) {
    const { csv, count, truncated } = await getService(strapi, 'admin-orders').exportCsv(inputOf(ctx, exportAdminOrders).query, rawTo(ctx));
    ctx.set('Content-Type', 'text/csv; charset=utf-8');
    ctx.set('Content-Disposition', `attachment; filename="orders-${new Date().toISOString().slice(0, 10)}.csv"`);
    ctx.set('X-Total-Count', String(count));
    if (truncated) ctx.set('X-Truncated', 'true');
    ctx.body = csv;
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
