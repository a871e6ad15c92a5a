/**
 * Orders as the webhooks read and write them: the row locked and mapped to the state machine's
 * input (domain/orders.ts), and a decision mapped back to the columns it changes. Plain functions
 * over `strapi` and the webhook's transaction (not a Strapi service), one indexed statement each
 * through the kernel's db toolkit: the Query Engine's findOne costs several times more on a path
 * that runs once per event.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { relatedId, selectRow, updateRow, type OrderKind, type RowValue } from '@kp/platform';
import { ORDER_UID } from '../content-types';
import type { OrderState } from '../domain/orders';

/** The order columns a webhook reads (and locks), with the owner. */
export interface OrderRow {
  id: number;
  documentId: string;
  kind: OrderKind;
  /** The order status (attribute `state`, see the schema). */
  state: OrderState['status'];
  paymentIntentId: string | null;
  amountPaid: number | null;
  amountRefunded: number | null;
  disputeStatus: OrderState['disputeStatus'];
  checkoutSessionId: string | null;
  courseDocumentId: string | null;
  planDocumentId: string | null;
  stripeSubscriptionId: string | null;
  currency: string;
  userId: number | null;
  bundleDocumentId: string | null;
  /** A bundle's courses when it was bought (raw JSON column; domain/bundles.ts `orderCourses` reads it). */
  courseDocumentIds: unknown;
  /** Set when the order is a gift: the recipient's address. */
  giftRecipientEmail: string | null;
  itemTitle: string | null;
  checkoutLocale: string | null;
}

const ORDER_COLUMNS = [
  'id',
  'documentId',
  'kind',
  'state',
  'paymentIntentId',
  'amountPaid',
  'amountRefunded',
  'disputeStatus',
  'checkoutSessionId',
  'courseDocumentId',
  'planDocumentId',
  'stripeSubscriptionId',
  'currency',
  'bundleDocumentId',
  'courseDocumentIds',
  'giftRecipientEmail',
  'itemTitle',
  'checkoutLocale',
] as const;

/** The ids an event can name its order by. */
export type OrderKey = 'checkoutSessionId' | 'paymentIntentId' | 'documentId';

/** The order whose `attribute` is `value`, locked until the transaction ends; null when there is none. */
export async function lockOrder(strapi: Core.Strapi, trx: Knex.Transaction, attribute: OrderKey, value: string | null): Promise<OrderRow | null> {
  if (!value) return null;
  const row = await selectRow(strapi, ORDER_UID, { attribute, value }, ORDER_COLUMNS, { forUpdate: true, trx });
  if (!row) return null;
  const id = Number(row.id);
  const userId = await relatedId(strapi, ORDER_UID, id, 'user', trx);
  return {
    id,
    documentId: String(row.documentId),
    kind: row.kind as OrderRow['kind'],
    state: row.state as OrderRow['state'],
    paymentIntentId: (row.paymentIntentId as string | null) ?? null,
    amountPaid: row.amountPaid === null ? null : Number(row.amountPaid),
    amountRefunded: Number(row.amountRefunded ?? 0),
    disputeStatus: (row.disputeStatus as OrderRow['disputeStatus']) ?? null,
    checkoutSessionId: (row.checkoutSessionId as string | null) ?? null,
    courseDocumentId: (row.courseDocumentId as string | null) ?? null,
    planDocumentId: (row.planDocumentId as string | null) ?? null,
    stripeSubscriptionId: (row.stripeSubscriptionId as string | null) ?? null,
    currency: String(row.currency ?? ''),
    userId,
    bundleDocumentId: (row.bundleDocumentId as string | null) ?? null,
    courseDocumentIds: typeof row.courseDocumentIds === 'string' ? (JSON.parse(row.courseDocumentIds) as unknown) : row.courseDocumentIds,
    giftRecipientEmail: (row.giftRecipientEmail as string | null) ?? null,
    itemTitle: (row.itemTitle as string | null) ?? null,
    checkoutLocale: (row.checkoutLocale as string | null) ?? null,
  };
}

/** The part of a row the state machine decides on. */
export function orderState(row: OrderRow): OrderState {
  return {
    status: row.state,
    paymentIntentId: row.paymentIntentId ?? null,
    amountPaid: row.amountPaid ?? null,
    amountRefunded: row.amountRefunded ?? 0,
    disputeStatus: row.disputeStatus ?? null,
  };
}

/** The columns a transition writes: the new state, the event that caused it, and when the order was paid or closed. */
export function orderChanges(order: OrderRow, next: OrderState, event: { type: string; at: Date }): Record<string, RowValue> {
  const data: Record<string, RowValue> = {
    state: next.status,
    paymentIntentId: next.paymentIntentId,
    amountPaid: next.amountPaid,
    amountRefunded: next.amountRefunded,
    disputeStatus: next.disputeStatus,
    lastEventType: event.type,
    lastEventAt: event.at,
  };
  // Paid when the money is first recorded (a dispute may have overtaken the payment event), not again
  // when a won dispute or a failed refund makes the order paid once more.
  const firstPayment = order.amountPaid === null && next.amountPaid !== null;
  if (firstPayment || (next.status === 'paid' && (order.state === 'pending' || order.state === 'failed' || order.state === 'expired'))) data.paidAt = event.at;
  // A refund that failed reopens the order.
  if (next.status === 'paid' && order.state === 'refunded') data.closedAt = null;
  if (next.status === 'refunded' || next.status === 'expired' || next.status === 'failed') data.closedAt = event.at;
  return data;
}

/** Writes columns of an order (and `updatedAt`). */
export async function writeOrder(strapi: Core.Strapi, trx: Knex.Transaction, id: number, data: Record<string, RowValue>, now: Date): Promise<void> {
  await updateRow(strapi, ORDER_UID, id, data, now, trx);
}
