/**
 * The webhook's handlers for disputes before their order is known, failed refunds, deleted
 * customers and renewal invoices that need the learner. Plain functions over `strapi` and the
 * webhook's transaction (like order-store.ts and subscription-sync.ts); webhooks.ts decides when
 * each runs and hands in how an order event is applied (`ApplyToOrder`: the row, access, the
 * announcement), so the order state machine stays in one place.
 *
 * Two facts are kept on the stored events themselves (`checkout_webhook_events`, indexed on
 * `object_id` and `detail`), so that no column is added for them:
 *   - a held dispute: outcome `dispute-held:<opened|won|lost>`, detail the PaymentIntent;
 *   - an applied refund failure: outcome `refund-failed`, object id the refund, detail the charge;
 *   - a dropped customer: outcome `customer-dropped`, detail `user <id>` (the learner's next customer
 *     needs a new idempotency key).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { SUBSCRIPTION_UID, announce, updateRow } from '@kp/platform';
import { STRIPE_CUSTOMER_UID, WEBHOOK_EVENT_UID } from '../content-types';
import { APPLIED_DISPUTE_OUTCOME, HELD_DISPUTE_PREFIX, heldDisputeEvent, heldDisputeOutcome } from '../domain/dispute-hold';
import type { EventEnvelope, InvoiceNotice, StripeFact } from '../domain/events';
import type { OrderEvent } from '../domain/orders';
import { getService } from '../utils';
import { droppedCustomerDetail } from './customers';
import { lockOrder, type OrderRow } from './order-store';
import type { Outcome } from './webhooks';

/** Applies an order event as if `envelope` had caused it (webhooks.ts's applyOrderEvent). */
export type ApplyToOrder = (order: OrderRow, event: OrderEvent, envelope: EventEnvelope) => Promise<Outcome>;

type Fact<K extends StripeFact['kind']> = Extract<StripeFact, { kind: K }>;

export const REFUND_FAILED_OUTCOME = 'refund-failed';

/**
 * A dispute: its order by PaymentIntent, else by the order id in metadata (like refunds). When
 * neither finds it, the event is held under its PaymentIntent until the session's event
 * records that PaymentIntent on an order (applyHeldDisputes).
 */
export async function applyDispute(strapi: Core.Strapi, trx: Knex.Transaction, fact: Fact<'dispute'>, envelope: EventEnvelope, apply: ApplyToOrder): Promise<Outcome> {
  const order = (await lockOrder(strapi, trx, 'paymentIntentId', fact.paymentIntentId)) ?? (await lockOrder(strapi, trx, 'documentId', fact.orderId));
  if (!order) {
    if (!fact.paymentIntentId) return { code: 'unknown-order', detail: fact.chargeId ?? fact.disputeId };
    const event = fact.orderEvent;
    if (event.type !== 'dispute-opened' && event.type !== 'dispute-closed') return { code: 'unknown-order', detail: fact.paymentIntentId };
    return { code: heldDisputeOutcome(event), detail: fact.paymentIntentId };
  }
  if (order.paymentIntentId && fact.paymentIntentId && order.paymentIntentId !== fact.paymentIntentId) {
    return { code: 'payment-mismatch', detail: `${fact.paymentIntentId} is not ${order.documentId}'s payment` };
  }
  return apply(order, fact.orderEvent, envelope);
}

/**
 * Once an order's PaymentIntent is known (its session's event), the disputes held for it are
 * applied in Stripe's order, each as the event that brought it; each is then marked applied.
 * Returns what was applied, or null when nothing was held.
 */
export async function applyHeldDisputes(
  strapi: Core.Strapi,
  trx: Knex.Transaction,
  orderDocumentId: string,
  paymentIntentId: string | null,
  apply: ApplyToOrder,
  now: Date
): Promise<string | null> {
  if (!paymentIntentId) return null;
  const held = (await strapi.db.query(WEBHOOK_EVENT_UID).findMany({
    where: { detail: paymentIntentId, outcome: { $startsWith: HELD_DISPUTE_PREFIX } },
    select: ['id', 'eventId', 'type', 'created', 'livemode', 'objectId', 'outcome'],
    orderBy: [{ created: 'asc' }, { id: 'asc' }],
  })) as Array<{ id: number; eventId: string; type: string; created: string | number; livemode: boolean | null; objectId: string | null; outcome: string }>;
  if (held.length === 0) return null;
  const applied: string[] = [];
  for (const row of held) {
    const event = heldDisputeEvent(row.outcome);
    if (!event) continue;
    // Locked again: the previous application changed the row.
    const order = await lockOrder(strapi, trx, 'documentId', orderDocumentId);
    if (!order) break;
    const envelope: EventEnvelope = { id: row.eventId, type: row.type, created: Number(row.created), livemode: Boolean(row.livemode), objectId: row.objectId ?? '' };
    const outcome = await apply(order, event, envelope);
    await updateRow(strapi, WEBHOOK_EVENT_UID, row.id, { outcome: APPLIED_DISPUTE_OUTCOME, detail: `order ${orderDocumentId}: ${outcome.code}`.slice(0, 255) }, now, trx);
    applied.push(`${row.type} ${outcome.code}`);
  }
  return applied.length ? `held disputes applied: ${applied.join(', ')}` : null;
}

/**
 * A refund changed state. Only a failure acts: the refunded amount comes back to the order (and
 * access, when the order had been refunded in full), once per refund — Stripe sends both
 * `charge.refund.updated` and `refund.failed` for one failure.
 */
export async function applyRefund(strapi: Core.Strapi, trx: Knex.Transaction, fact: Fact<'refund'>, envelope: EventEnvelope, apply: ApplyToOrder): Promise<Outcome> {
  if (!fact.failed) return { code: 'acknowledged', detail: `refund ${fact.refundId} ${fact.status ?? 'updated'}: charge.refunded applies refunds` };
  const order = (await lockOrder(strapi, trx, 'paymentIntentId', fact.paymentIntentId)) ?? (await lockOrder(strapi, trx, 'documentId', fact.orderId));
  if (!order) return { code: 'unknown-order', detail: fact.paymentIntentId ?? fact.refundId };
  // The failure is recorded under the charge it belongs to (see refundFailedAfter).
  const recorded: Outcome = { code: REFUND_FAILED_OUTCOME, detail: fact.chargeId ?? fact.paymentIntentId ?? order.documentId };
  // The order is locked: a concurrent delivery of the other event for this refund waits here, then sees this one.
  const seen = await strapi.db.query(WEBHOOK_EVENT_UID).count({ where: { objectId: fact.refundId, outcome: REFUND_FAILED_OUTCOME } });
  if (Number(seen) > 0) return recorded;
  await apply(order, { type: 'refund-failed', refundAmount: fact.amount }, envelope);
  return recorded;
}

/**
 * Whether a refund failure on this charge was applied from an event newer than `created`: a
 * `charge.refunded` older than it still counts the failed refund and must not be applied.
 */
export async function refundFailedAfter(strapi: Core.Strapi, chargeId: string, created: number): Promise<boolean> {
  const n = await strapi.db.query(WEBHOOK_EVENT_UID).count({ where: { detail: chargeId, outcome: REFUND_FAILED_OUTCOME, created: { $gt: created } } });
  return Number(n) > 0;
}

/** A customer deleted at Stripe: its stored id goes, so the learner's next checkout creates a new customer. */
export async function dropCustomer(strapi: Core.Strapi, fact: Fact<'customer-deleted'>): Promise<Outcome> {
  const row = (await strapi.db.query(STRIPE_CUSTOMER_UID).findOne({ where: { stripeCustomerId: fact.customerId }, select: ['id', 'userKey'] })) as { id: number; userKey: string } | null;
  if (!row) return { code: 'unknown-customer', detail: fact.customerId };
  await strapi.db.query(STRIPE_CUSTOMER_UID).delete({ where: { id: row.id } });
  // Recorded under the learner: their next customer is created with a new idempotency key (customers.ts).
  return { code: 'customer-dropped', detail: droppedCustomerDetail(row.userKey) };
}

/**
 * Tells the platform (`checkout.invoice`, in this transaction) that a subscription's invoice needs
 * the learner: the notifications plugin writes the message with the hosted invoice link. Only for
 * a subscription of a learner of ours; its access was synchronised just before.
 */
export async function announceInvoiceNotice(strapi: Core.Strapi, notice: InvoiceNotice, subscriptionId: string, envelope: EventEnvelope): Promise<boolean> {
  const row = (await strapi.db.query(SUBSCRIPTION_UID).findOne({
    where: { stripeSubscriptionId: subscriptionId },
    select: ['status'],
    populate: { user: { select: ['id'] }, plan: { select: ['documentId'] } },
  })) as { status: string; user?: { id: number } | null; plan?: { documentId: string } | null } | null;
  const userId = row?.user?.id ?? (notice.customerId ? await getService(strapi, 'customers').findUserIdByCustomer(notice.customerId) : null);
  if (userId === null) return false;
  await announce(strapi, 'checkout.invoice', {
    kind: notice.kind,
    invoiceId: notice.invoiceId,
    stripeSubscriptionId: subscriptionId,
    userId,
    planDocumentId: row?.plan?.documentId ?? null,
    subscriptionStatus: row?.status ?? null,
    hostedInvoiceUrl: notice.hostedInvoiceUrl,
    amountDue: notice.amountDue,
    currency: notice.currency,
    billingReason: notice.billingReason,
    attemptCount: notice.attemptCount,
    nextPaymentAttempt: notice.nextPaymentAttempt === null ? null : new Date(notice.nextPaymentAttempt * 1000).toISOString(),
    at: new Date(envelope.created * 1000).toISOString(),
  });
  return true;
}
