/**
 * Orders as editors see them in the admin panel, and the refund they can start. A refund only
 * asks Stripe; the order turns `refunded` and access is revoked when Stripe's `charge.refunded`
 * event arrives, the same path as a refund made in the Stripe Dashboard.
 */
import type { Core } from '@strapi/strapi';
import type { AdminOrder, AdminOrdersResponse, DisputeStatus, OrderStatus } from '@kp/platform';
import { ORDER_UID } from '../content-types';
import { formatAmount } from '../domain/money';
import { ordersCsv } from '../domain/orders-csv';

/** The Orders page's filters (validated by the route). */
export interface OrderFilter {
  status?: OrderStatus;
  q?: string;
  from?: Date;
  to?: Date;
}

/** Most orders one CSV export writes. */
export const MAX_EXPORT = 50_000;

/** A `to` given as a date alone ("2026-12-31") means up to the end of that day. */
function endOf(to: Date, raw?: string): Date {
  return raw && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? new Date(to.getTime() + 86_400_000) : to;
}

/** The Query Engine `where` of a filter. */
export function whereOf(filter: OrderFilter, rawTo?: string): Record<string, unknown> {
  const and: Array<Record<string, unknown>> = [];
  if (filter.status) and.push({ state: filter.status });
  if (filter.from || filter.to) {
    and.push({ createdAt: { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: endOf(filter.to, rawTo) } : {}) } });
  }
  if (filter.q) {
    const q = filter.q;
    and.push({
      $or: [{ documentId: q }, { itemTitle: { $containsi: q } }, { user: { email: { $containsi: q } } }, { user: { username: { $containsi: q } } }],
    });
  }
  return and.length ? { $and: and } : {};
}
import { getService } from '../utils';

interface Row {
  documentId: string;
  state: OrderStatus;
  kind: 'course' | 'plan';
  itemTitle: string | null;
  courseDocumentId: string | null;
  planDocumentId: string | null;
  user?: { id: number; email: string | null; username: string | null } | null;
  amount: number;
  currency: string;
  amountPaid: number | null;
  amountRefunded: number | null;
  checkoutSessionId: string | null;
  paymentIntentId: string | null;
  disputeStatus: DisputeStatus | null;
  refundRequestedAt: string | Date | null;
  refundRequestedBy: string | null;
  refundId: string | null;
  createdAt: string | Date;
  paidAt: string | Date | null;
  id: number;
}

const iso = (v: string | Date | null | undefined) => (v ? new Date(v).toISOString() : null);

/** Only a paid one-off purchase with a PaymentIntent can be refunded from here. */
function refundability(row: Row): { ok: true } | { ok: false; detail: string } {
  if (row.kind !== 'course') return { ok: false, detail: 'subscriptions are refunded and canceled in the Stripe Dashboard' };
  if (row.state !== 'paid') return { ok: false, detail: `the order is ${row.state}` };
  if (!row.paymentIntentId) return { ok: false, detail: 'nothing was charged (free through a promotion code)' };
  return { ok: true };
}

/** An order as the admin panel shows it: the contract's shape, so server and page cannot drift. */
function toView(row: Row): AdminOrder {
  return {
    id: row.documentId,
    status: row.state,
    kind: row.kind,
    title: row.itemTitle,
    course: row.courseDocumentId,
    plan: row.planDocumentId,
    user: row.user ? { id: row.user.id, email: row.user.email ?? null, username: row.user.username ?? null } : null,
    amount: row.amount,
    currency: row.currency,
    display: formatAmount(row.amount, row.currency),
    amountPaid: row.amountPaid,
    amountRefunded: row.amountRefunded ?? 0,
    refundedDisplay: formatAmount(row.amountRefunded ?? 0, row.currency),
    checkoutSessionId: row.checkoutSessionId,
    paymentIntentId: row.paymentIntentId,
    disputeStatus: row.disputeStatus,
    refundRequestedAt: iso(row.refundRequestedAt),
    refundRequestedBy: row.refundRequestedBy,
    createdAt: iso(row.createdAt) ?? '',
    paidAt: iso(row.paidAt),
    refundable: refundability(row).ok && !row.refundId,
  };
}

export type RefundResult =
  | { ok: true; refundId: string; status: string | null; alreadyRequested: boolean }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'not-refundable'; detail: string };

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const orders = () => strapi.db.query(ORDER_UID);
  const populate = { user: { select: ['id', 'email', 'username'] } };

  return {
    /** One page of orders, newest first, filtered (status, search, creation time; validated by the route). */
    async list(options: { page: number; pageSize: number } & OrderFilter, rawTo?: string): Promise<AdminOrdersResponse> {
      const where = whereOf(options, rawTo);
      const [rows, total] = await Promise.all([
        orders().findMany({
          where,
          populate,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          limit: options.pageSize,
          offset: (options.page - 1) * options.pageSize,
        }),
        orders().count({ where }),
      ]);
      const count = Number(total);
      return {
        results: (rows as Row[]).map(toView),
        pagination: { page: options.page, pageSize: options.pageSize, total: count, pageCount: Math.ceil(count / options.pageSize) },
      };
    },

    /** Every order of a filter (newest first, at most MAX_EXPORT) as CSV, read a page at a time. */
    async exportCsv(filter: OrderFilter, rawTo?: string): Promise<{ csv: string; count: number; truncated: boolean }> {
      const where = whereOf(filter, rawTo);
      const views: AdminOrder[] = [];
      const PAGE = 1000;
      for (let offset = 0; offset < MAX_EXPORT; offset += PAGE) {
        const rows = (await orders().findMany({ where, populate, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: PAGE, offset })) as Row[];
        for (const row of rows) views.push(toView(row));
        if (rows.length < PAGE) return { csv: ordersCsv(views), count: views.length, truncated: false };
      }
      return { csv: ordersCsv(views), count: views.length, truncated: true };
    },

    async refund(documentId: string, admin: { id: number; email?: string | null }): Promise<RefundResult> {
      const row = (await orders().findOne({ where: { documentId }, populate })) as Row | null;
      if (!row) return { ok: false, reason: 'not-found' };
      const check = refundability(row);
      if (!check.ok) return { ok: false, reason: 'not-refundable', detail: check.detail };
      const requestedBy = admin.email ?? `admin #${admin.id}`;
      // Stripe's idempotency key (per order) makes a repeated click return the same refund.
      const refund = await getService(strapi, 'stripe-api').createRefund({
        paymentIntentId: row.paymentIntentId as string,
        orderId: row.documentId,
        requestedBy,
      });
      const alreadyRequested = row.refundId === refund.id;
      if (!alreadyRequested) {
        await orders().update({
          where: { id: row.id },
          data: { refundId: refund.id, refundRequestedAt: new Date(), refundRequestedBy: requestedBy.slice(0, 255) },
        });
      }
      strapi.log.info(`[checkout] refund ${refund.id} requested for order ${row.documentId} by ${requestedBy}`);
      return { ok: true, refundId: refund.id, status: refund.status, alreadyRequested };
    },
  };
};
