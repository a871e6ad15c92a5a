/**
 * Stripe webhooks, applied exactly once. For each verified event:
 *   1. a cheap look-up answers a redelivery of an event already stored (no transaction);
 *   2. reads that need the network (re-reading a subscription) happen before any transaction;
 *   3. one transaction stores the event id (unique index, `ON CONFLICT DO NOTHING`) and applies
 *      its effects: rows a concurrent delivery could touch are locked (`FOR UPDATE`) and their
 *      state handed to the pure decisions in domain/, which turn a replay or an older event into
 *      "no change";
 *   4. after the commit, follow-up work (recommender signals) runs in its own try/catch.
 * A concurrent duplicate (another request, another server) waits on the unique index and then
 * finds the event stored: it changes nothing. A failure inside the transaction rolls back the
 * event id with the effects, so Stripe's retry applies it cleanly.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { ORDER_UID, SUBSCRIPTION_UID, WEBHOOK_EVENT_UID } from '../content-types';
import { paywall, recommender, type InteractionInput } from '../contracts';
import { parseStripeEvent, toSubscriptionSnapshot, type EventEnvelope, type StripeFact } from '../domain/events';
import { decideOrder, type OrderEvent, type OrderState } from '../domain/orders';
import {
  decideSubscriptionUpdate,
  subscriptionEffects,
  type SubscriptionRowState,
  type SubscriptionSnapshot,
} from '../domain/subscriptions';
import { getService } from '../utils';
import { columnName, insertIgnoringConflict, lockRowId, relatedId, selectRow, tableName, updateRow, type RowValue } from './store';

const PLAN_UID = 'api::plan.plan';
const USER_UID = 'plugin::users-permissions.user';

export type WebhookResult =
  | { status: 'processed'; eventId: string; type: string; outcome: string }
  | { status: 'duplicate'; eventId: string; type: string }
  | { status: 'rejected'; reason: 'malformed-event'; detail: string };

interface Outcome {
  /** Short machine-readable result stored on the event row (`order-paid`, `unknown-order`...). */
  code: string;
  detail?: string;
}

type FollowUp = { label: string; run: () => Promise<void> };

interface OrderRow {
  id: number;
  documentId: string;
  kind: 'course' | 'plan';
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
  userId: number | null;
}

/** The order columns a webhook reads (and locks). */
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
] as const;

interface SubscriptionRow {
  id: number;
  status: SubscriptionRowState['status'];
  currentPeriodEnd: string | Date | null;
  cancelAtPeriodEnd: boolean | null;
  stripeUpdatedAt: string | number | null;
  user?: { id: number } | null;
  plan?: { documentId: string } | null;
}

/** Hints about who and what a subscription belongs to, from the order that started it. */
interface SubscriptionHints {
  userId?: number | null;
  planDocumentId?: string | null;
}

const DUPLICATE = Symbol('duplicate');

function orderState(row: OrderRow): OrderState {
  return {
    status: row.state,
    paymentIntentId: row.paymentIntentId ?? null,
    amountPaid: row.amountPaid ?? null,
    amountRefunded: row.amountRefunded ?? 0,
    disputeStatus: row.disputeStatus ?? null,
  };
}

function subscriptionState(row: SubscriptionRow): SubscriptionRowState {
  return {
    status: row.status,
    currentPeriodEnd: row.currentPeriodEnd ? Math.floor(new Date(row.currentPeriodEnd).getTime() / 1000) : null,
    cancelAtPeriodEnd: Boolean(row.cancelAtPeriodEnd),
    stripeUpdatedAt: row.stripeUpdatedAt === null || row.stripeUpdatedAt === undefined ? null : Number(row.stripeUpdatedAt),
  };
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const log = strapi.log;

  /** The redelivery fast path: one indexed look-up, no transaction (the unique index stays the real guard). */
  async function alreadyStored(eventId: string): Promise<boolean> {
    const row: unknown = await strapi.db
      .connection(tableName(strapi, WEBHOOK_EVENT_UID))
      .where(columnName(strapi, WEBHOOK_EVENT_UID, 'eventId'), eventId)
      .first('id');
    return Boolean(row);
  }

  /** Network reads done before the transaction: the subscription as Stripe holds it now. */
  async function prefetch(envelope: EventEnvelope, fact: StripeFact): Promise<SubscriptionSnapshot | null> {
    let subscriptionId: string | null = null;
    if (fact.kind === 'invoice') subscriptionId = fact.subscriptionId;
    if (fact.kind === 'checkout-session' && fact.session.mode === 'subscription') subscriptionId = fact.session.subscriptionId;
    if (!subscriptionId) return null;
    const raw = await getService(strapi, 'stripe-api').retrieveSubscription(subscriptionId);
    // Stamped with the event's time, not ours: conservative, a later event still wins over it.
    const snap = toSubscriptionSnapshot(raw, envelope.created);
    if ('error' in snap) throw new Error(`subscription ${subscriptionId} from Stripe is malformed: ${snap.error}`);
    return snap;
  }

  async function lockOrder(trx: Knex.Transaction, attribute: 'checkoutSessionId' | 'paymentIntentId' | 'documentId', value: string | null): Promise<OrderRow | null> {
    if (!value) return null;
    const row = await selectRow(strapi, trx, ORDER_UID, attribute, value, ORDER_COLUMNS, { forUpdate: true });
    if (!row) return null;
    const id = Number(row.id);
    const userId = await relatedId(strapi, trx, ORDER_UID, id, 'user');
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
      userId,
    };
  }

  /** Applies an order decision: the row, then access. Returns the outcome. */
  async function applyOrderEvent(
    trx: Knex.Transaction,
    order: OrderRow,
    event: OrderEvent,
    envelope: EventEnvelope,
    followUps: FollowUp[],
    now: Date,
    extra: Record<string, RowValue> = {}
  ): Promise<Outcome> {
    const decision = decideOrder(orderState(order), event);
    const at = new Date(envelope.created * 1000);
    if (!decision.changed) {
      if (Object.keys(extra).length) await updateRow(strapi, trx, ORDER_UID, order.id, extra, now);
      return { code: `order-unchanged`, detail: decision.reason };
    }
    const next = decision.next;
    const data: Record<string, RowValue> = {
      ...extra,
      state: next.status,
      paymentIntentId: next.paymentIntentId,
      amountPaid: next.amountPaid,
      amountRefunded: next.amountRefunded,
      disputeStatus: next.disputeStatus,
      lastEventType: envelope.type,
      lastEventAt: at,
    };
    if (next.status === 'paid' && order.state !== 'paid') data.paidAt = at;
    if (['refunded', 'expired', 'failed'].includes(next.status)) data.closedAt = at;
    await updateRow(strapi, trx, ORDER_UID, order.id, data, now);

    const userId = order.userId;
    const access = decision.access;
    // Plan orders give access through their subscription (synchronised separately), not a purchase.
    if (order.kind === 'course' && order.courseDocumentId && order.checkoutSessionId) {
      const { entitlements } = paywall(strapi);
      const courseDocumentId = order.courseDocumentId;
      if (access.kind === 'grant' && userId !== null) {
        await entitlements.grant({
          userId,
          courseDocumentId,
          source: 'purchase',
          sourceRef: order.checkoutSessionId,
          notes: `order ${order.documentId}`,
        });
        signal(followUps, { userId, courseDocumentId, kind: 'purchase', at });
      } else if (access.kind === 'revoke') {
        await entitlements.revoke({ source: 'purchase', sourceRef: order.checkoutSessionId, reason: access.reason, notes: `order ${order.documentId}: ${envelope.type}` });
        if (userId !== null) signal(followUps, { userId, courseDocumentId, kind: 'refund', at });
      }
    }
    return { code: `order-${next.status}`, detail: decision.transition };
  }

  function signal(followUps: FollowUp[], input: InteractionInput): void {
    followUps.push({
      label: `recommender ${input.kind} ${input.courseDocumentId}`,
      run: async () => {
        const service = recommender(strapi);
        if (service) await service.record(input);
      },
    });
  }

  async function resolveUserId(snapshot: SubscriptionSnapshot, hints: SubscriptionHints): Promise<number | null> {
    if (hints.userId) return hints.userId;
    if (snapshot.metadata.userId) {
      const user = await strapi.db.query(USER_UID).findOne({ where: { id: snapshot.metadata.userId }, select: ['id'] });
      if (user) return snapshot.metadata.userId;
    }
    if (snapshot.customerId) return getService(strapi, 'customers').findUserIdByCustomer(snapshot.customerId);
    return null;
  }

  async function resolvePlanDocumentId(snapshot: SubscriptionSnapshot, hints: SubscriptionHints): Promise<string | null> {
    // The price is the truth after a plan switch in the Customer Portal; metadata is what was bought.
    if (snapshot.priceId) {
      const plan = (await strapi.db.query(PLAN_UID).findOne({ where: { stripePriceId: snapshot.priceId }, select: ['documentId'] })) as { documentId: string } | null;
      if (plan) return plan.documentId;
    }
    return hints.planDocumentId ?? snapshot.metadata.planDocumentId ?? null;
  }

  async function planRowId(planDocumentId: string): Promise<number | null> {
    const rows = (await strapi.db.query(PLAN_UID).findMany({ where: { documentId: planDocumentId }, select: ['id', 'locale'] })) as Array<{ id: number; locale: string | null }>;
    return (rows.find((r) => r.locale === 'en') ?? rows[0])?.id ?? null;
  }

  /** Mirrors a subscription snapshot into `api::subscription.subscription` and access. */
  async function syncSubscription(trx: Knex.Transaction, snapshot: SubscriptionSnapshot, hints: SubscriptionHints, now: Date): Promise<Outcome> {
    // One after the other: inside a transaction both run on the same connection, where parallel
    // queries only queue (and pg deprecates issuing them).
    const userId = await resolveUserId(snapshot, hints);
    const planDocumentId = await resolvePlanDocumentId(snapshot, hints);
    // Several events about a new subscription arrive together (session completed, subscription
    // created, invoice paid): the row is created once, whoever comes first, then locked.
    const insertedId = await insertIgnoringConflict(
      strapi,
      trx,
      SUBSCRIPTION_UID,
      { stripeSubscriptionId: snapshot.id, status: 'incomplete', cancelAtPeriodEnd: false, stripeCustomerId: snapshot.customerId },
      'stripeSubscriptionId',
      now
    );
    const id = await lockRowId(strapi, trx, SUBSCRIPTION_UID, 'stripeSubscriptionId', snapshot.id);
    if (id === null) throw new Error(`subscription ${snapshot.id} vanished after insert`);
    const row = (await strapi.db.query(SUBSCRIPTION_UID).findOne({
      where: { id },
      populate: { user: { select: ['id'] }, plan: { select: ['documentId'] } },
    })) as SubscriptionRow;

    const current = insertedId !== null ? null : subscriptionState(row);
    const decision = decideSubscriptionUpdate(current, snapshot);
    const previousPlan = row.plan?.documentId ?? null;
    const effectiveUser = userId ?? row.user?.id ?? null;
    const effectivePlan = planDocumentId ?? previousPlan;
    const relink = (userId !== null && userId !== (row.user?.id ?? null)) || (planDocumentId !== null && planDocumentId !== previousPlan);
    if (!decision.apply && !relink) return { code: 'subscription-unchanged', detail: decision.reason };

    const state = decision.apply ? decision.next : (current as SubscriptionRowState);
    const data: Record<string, unknown> = {};
    if (decision.apply) {
      Object.assign(data, {
        status: state.status,
        currentPeriodEnd: state.currentPeriodEnd === null ? null : new Date(state.currentPeriodEnd * 1000),
        cancelAtPeriodEnd: state.cancelAtPeriodEnd,
        stripeUpdatedAt: state.stripeUpdatedAt,
        stripeCustomerId: snapshot.customerId,
      });
    }
    if (userId !== null && userId !== (row.user?.id ?? null)) data.user = userId;
    if (planDocumentId !== null && planDocumentId !== previousPlan) {
      const planId = await planRowId(planDocumentId);
      if (planId !== null) data.plan = planId;
    }
    await strapi.db.query(SUBSCRIPTION_UID).update({ where: { id }, data });

    if (effectiveUser === null) return { code: 'subscription-unlinked', detail: `${state.status}: no user for ${snapshot.customerId ?? 'no customer'}` };
    const { entitlements } = paywall(strapi);
    for (const effect of subscriptionEffects({ previousPlanDocumentId: previousPlan, planDocumentId: effectivePlan, state })) {
      if (effect.kind === 'revoke') {
        await entitlements.revoke({ source: 'subscription', sourceRef: snapshot.id, reason: effect.reason, notes: `subscription ${state.status}` });
      } else {
        await entitlements.grant({
          userId: effectiveUser,
          planDocumentId: effect.planDocumentId,
          source: 'subscription',
          sourceRef: snapshot.id,
          status: effect.status,
          validUntil: effect.validUntil,
        });
      }
    }
    return { code: `subscription-${state.status}`, detail: decision.apply ? undefined : 'relinked' };
  }

  async function apply(trx: Knex.Transaction, envelope: EventEnvelope, fact: StripeFact, prefetched: SubscriptionSnapshot | null, followUps: FollowUp[], now: Date): Promise<Outcome> {
    switch (fact.kind) {
      case 'checkout-session': {
        const s = fact.session;
        const order = (await lockOrder(trx, 'checkoutSessionId', s.sessionId)) ?? (await lockOrder(trx, 'documentId', s.orderId));
        // A session we did not create (a Payment Link, another app on the same account): not ours.
        if (!order) return { code: 'unknown-order', detail: s.sessionId };
        if (order.checkoutSessionId && order.checkoutSessionId !== s.sessionId) return { code: 'session-mismatch', detail: s.sessionId };
        const extra: Record<string, RowValue> = {};
        if (!order.checkoutSessionId) extra.checkoutSessionId = s.sessionId;
        if (s.subscriptionId && order.stripeSubscriptionId !== s.subscriptionId) extra.stripeSubscriptionId = s.subscriptionId;
        const outcome = await applyOrderEvent(trx, order, fact.orderEvent, envelope, followUps, now, extra);
        if (order.kind === 'plan' && prefetched) {
          const sub = await syncSubscription(trx, prefetched, { userId: order.userId, planDocumentId: order.planDocumentId }, now);
          return { code: outcome.code, detail: `${outcome.detail ?? ''}; ${sub.code}` };
        }
        return outcome;
      }
      case 'subscription':
        return syncSubscription(trx, fact.snapshot, {}, now);
      case 'invoice': {
        if (!fact.subscriptionId || !prefetched) return { code: 'ignored', detail: 'invoice without subscription' };
        return syncSubscription(trx, prefetched, {}, now);
      }
      case 'charge': {
        const order = (await lockOrder(trx, 'paymentIntentId', fact.paymentIntentId)) ?? (await lockOrder(trx, 'documentId', fact.orderId));
        if (!order) return { code: 'unknown-order', detail: fact.paymentIntentId ?? fact.chargeId };
        return applyOrderEvent(trx, order, fact.orderEvent, envelope, followUps, now);
      }
      case 'dispute': {
        const order = await lockOrder(trx, 'paymentIntentId', fact.paymentIntentId);
        if (!order) return { code: 'unknown-order', detail: fact.paymentIntentId ?? fact.chargeId ?? fact.disputeId };
        return applyOrderEvent(trx, order, fact.orderEvent, envelope, followUps, now);
      }
      case 'unhandled':
        return { code: 'ignored', detail: 'event type not handled' };
      default: {
        const unreachable: never = fact;
        throw new Error(`unhandled fact ${JSON.stringify(unreachable)}`);
      }
    }
  }

  return {
    /** Applies one verified event (JSON as Stripe sent it). Throws when payment-critical work fails. */
    async handleEvent(json: unknown): Promise<WebhookResult> {
      const parsed = parseStripeEvent(json);
      if (!parsed.ok) return { status: 'rejected', reason: parsed.reason, detail: parsed.detail };
      const { envelope, fact } = parsed;

      if (await alreadyStored(envelope.id)) return { status: 'duplicate', eventId: envelope.id, type: envelope.type };
      const prefetched = await prefetch(envelope, fact);

      const followUps: FollowUp[] = [];
      const now = new Date();
      const result = await strapi.db.transaction(async ({ trx }) => {
        const eventRowId = await insertIgnoringConflict(
          strapi,
          trx,
          WEBHOOK_EVENT_UID,
          { eventId: envelope.id, type: envelope.type, created: envelope.created, livemode: envelope.livemode, objectId: envelope.objectId, outcome: 'processing', processedAt: now },
          'eventId',
          now
        );
        if (eventRowId === null) return DUPLICATE;
        const outcome = await apply(trx, envelope, fact, prefetched, followUps, now);
        await trx(tableName(strapi, WEBHOOK_EVENT_UID))
          .where('id', eventRowId)
          .update({
            [columnName(strapi, WEBHOOK_EVENT_UID, 'outcome')]: outcome.code.slice(0, 64),
            [columnName(strapi, WEBHOOK_EVENT_UID, 'detail')]: outcome.detail ? outcome.detail.slice(0, 255) : null,
          });
        return outcome;
      });
      if (result === DUPLICATE) return { status: 'duplicate', eventId: envelope.id, type: envelope.type };

      // After the commit: nothing here may fail the webhook (CONVENTIONS §12).
      for (const followUp of followUps) {
        try {
          await followUp.run();
        } catch (error) {
          log.warn(`[checkout] follow-up "${followUp.label}" after ${envelope.id} failed: ${(error as Error).message}`);
        }
      }
      log.info(`[checkout] ${envelope.type} ${envelope.id}: ${result.code}${result.detail ? ` (${result.detail})` : ''}`);
      return { status: 'processed', eventId: envelope.id, type: envelope.type, outcome: result.code };
    },
  };
};
