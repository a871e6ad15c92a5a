/**
 * Stripe webhooks, applied exactly once from the inbox (inbox.ts stores each verified event;
 * inbox-worker.ts picks them). For each stored event:
 *   1. reads that need the network (re-reading a subscription) happen before any transaction;
 *   2. one transaction claims the event's row (`FOR UPDATE SKIP LOCKED` on PostgreSQL, still
 *      `pending`; SQLite runs one transaction at a time), applies its effects — rows a concurrent
 *      event could touch are locked (`FOR UPDATE`) and their state handed to the pure decisions in
 *      domain/, which turn a replay or an older event into "no change" — and marks the row `done`;
 *   3. after the commit, follow-up work (recommender signals) runs in its own try/catch.
 * An event another worker holds is skipped; a failure rolls back the effects with the claim, and
 * the worker records the attempt (retry later, or dead letters). An instance that dies mid-apply
 * leaves its transaction to be rolled back by the database: the row is pending again.
 *
 * Orders are read and written through order-store.ts, subscriptions synchronised by
 * subscription-sync.ts; this file decides which of them an event touches, and in what order.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { announce, assertNever, currentRequestId, isPostgres, modelNames, neighbour, qualifiedTable, requireNeighbour, updateRow, type InteractionInput, type RowValue } from '@kp/platform';
import { WEBHOOK_EVENT_UID } from '../content-types';
import { parseStripeEvent, toSubscriptionSnapshot, type EventEnvelope, type StripeFact } from '../domain/events';
import { decideOrder, type OrderEvent } from '../domain/orders';
import { orderCourses } from '../domain/bundles';
import type { SubscriptionSnapshot } from '../domain/subscriptions';
import { getService } from '../utils';
import type { InboxEvent } from './inbox';
import { lockOrder, orderChanges, orderState, writeOrder, type OrderRow } from './order-store';
import { syncSubscription } from './subscription-sync';
import { applyTrialWillEnd } from './trial-events';
import { announceInvoiceNotice, applyDispute, applyHeldDisputes, applyRefund, dropCustomer, refundFailedAfter, type ApplyToOrder } from './event-handlers';

/** What applying one stored event did: applied (and marked done), or skipped (another worker holds it, or it is no longer pending). */
export type ApplyResult = { status: 'applied'; eventId: string; type: string; outcome: string } | { status: 'skipped'; eventId: string };

/** What applying an event did, stored on the event row. */
export interface Outcome {
  /** Short machine-readable result (`order-paid`, `unknown-order`...). */
  code: string;
  detail?: string;
}

/** Work that runs after the commit and may fail without failing the webhook. */
type FollowUp = { label: string; run: () => Promise<void> };

const SKIPPED = Symbol('skipped');

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const log = strapi.log;

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

  /** Recommender signals after the commit; the recommender is optional. */
  function signal(followUps: FollowUp[], input: InteractionInput): void {
    followUps.push({
      label: `recommender ${input.kind} ${input.courseDocumentId}`,
      run: async () => {
        const interactions = neighbour(strapi, 'recommender')?.interactions;
        if (interactions) await interactions.record(input);
      },
    });
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
      if (Object.keys(extra).length) await writeOrder(strapi, trx, order.id, extra, now);
      return { code: `order-unchanged`, detail: decision.reason };
    }
    const next = decision.next;
    await writeOrder(strapi, trx, order.id, { ...extra, ...orderChanges(order, next, { type: envelope.type, at }) }, now);
    await announce(strapi, 'checkout.order', {
      orderDocumentId: order.documentId,
      userId: order.userId,
      kind: order.kind,
      courseDocumentId: order.courseDocumentId,
      planDocumentId: order.planDocumentId,
      bundleDocumentId: order.bundleDocumentId,
      courseDocumentIds: orderCourses(order),
      itemTitle: order.itemTitle,
      giftRecipientEmail: order.giftRecipientEmail,
      from: order.state,
      to: next.status,
      amountPaid: next.amountPaid,
      amountRefunded: next.amountRefunded,
      currency: order.currency,
      cause: envelope.type,
      at: at.toISOString(),
    });

    const userId = order.userId;
    const access = decision.access;
    // Plan orders give access through their subscription (synchronised separately), not a purchase.
    // A course order opens its course, a bundle order each course it was bought with (one
    // entitlement per course, all with the session as sourceRef: one revoke ends them all).
    const courses = orderCourses(order);
    if (order.giftRecipientEmail && courses.length > 0 && access.kind !== 'none') {
      // A gift opens nothing for its buyer: paying issues the claim code, a refund ends the gift.
      const effect = await getService(strapi, 'gifts').onOrderAccess(
        trx,
        { documentId: order.documentId, userId, recipientEmail: order.giftRecipientEmail, courseDocumentIds: courses, title: order.itemTitle ?? '', locale: order.checkoutLocale },
        access.kind,
        access.kind === 'revoke' ? access.reason : 'refunded',
        at
      );
      return { code: `order-${next.status}`, detail: `${decision.transition}; gift ${effect.action}` };
    }
    if (courses.length > 0 && order.checkoutSessionId) {
      const { entitlements } = requireNeighbour(strapi, 'paywall', 'Checkout cannot change access');
      if (access.kind === 'grant' && userId !== null) {
        for (const courseDocumentId of courses) {
          await entitlements.grant({
            userId,
            courseDocumentId,
            source: 'purchase',
            sourceRef: order.checkoutSessionId,
            notes: `order ${order.documentId}`,
          });
          signal(followUps, { userId, courseDocumentId, kind: 'purchase', at });
        }
      } else if (access.kind === 'revoke') {
        await entitlements.revoke({ source: 'purchase', sourceRef: order.checkoutSessionId, reason: access.reason, notes: `order ${order.documentId}: ${envelope.type}` });
        if (userId !== null) for (const courseDocumentId of courses) signal(followUps, { userId, courseDocumentId, kind: 'refund', at });
      }
    }
    return { code: `order-${next.status}`, detail: decision.transition };
  }

  async function apply(trx: Knex.Transaction, envelope: EventEnvelope, fact: StripeFact, prefetched: SubscriptionSnapshot | null, followUps: FollowUp[], now: Date): Promise<Outcome> {
    const applyTo: ApplyToOrder = (order, event, cause) => applyOrderEvent(trx, order, event, cause, followUps, now);
    switch (fact.kind) {
      case 'checkout-session': {
        const s = fact.session;
        const order = (await lockOrder(strapi, trx, 'checkoutSessionId', s.sessionId)) ?? (await lockOrder(strapi, trx, 'documentId', s.orderId));
        // A session we did not create (a Payment Link, another app on the same account): not ours.
        if (!order) return { code: 'unknown-order', detail: s.sessionId };
        if (order.checkoutSessionId && order.checkoutSessionId !== s.sessionId) return { code: 'session-mismatch', detail: s.sessionId };
        const extra: Record<string, RowValue> = {};
        if (!order.checkoutSessionId) extra.checkoutSessionId = s.sessionId;
        if (s.subscriptionId && order.stripeSubscriptionId !== s.subscriptionId) extra.stripeSubscriptionId = s.subscriptionId;
        let outcome = await applyOrderEvent(trx, order, fact.orderEvent, envelope, followUps, now, extra);
        // Disputes that arrived before this order's PaymentIntent was known.
        const held = await applyHeldDisputes(strapi, trx, order.documentId, s.paymentIntentId ?? order.paymentIntentId, applyTo, now);
        if (held) outcome = { code: outcome.code, detail: `${outcome.detail ?? ''}; ${held}` };
        if (order.kind === 'plan' && prefetched) {
          const sub = await syncSubscription(strapi, trx, prefetched, { userId: order.userId, planDocumentId: order.planDocumentId }, now);
          return { code: outcome.code, detail: `${outcome.detail ?? ''}; ${sub.code}` };
        }
        return outcome;
      }
      case 'subscription':
        return syncSubscription(strapi, trx, fact.snapshot, {}, now);
      case 'trial-will-end':
        return applyTrialWillEnd(strapi, trx, fact, now);
      case 'invoice': {
        if (!fact.subscriptionId || !prefetched) return { code: 'ignored', detail: 'invoice without subscription' };
        const synced = await syncSubscription(strapi, trx, prefetched, {}, now);
        if (fact.notice && synced.code !== 'ignored' && (await announceInvoiceNotice(strapi, fact.notice, fact.subscriptionId, envelope))) {
          return { code: synced.code, detail: `${synced.detail ? `${synced.detail}; ` : ''}learner told: ${fact.notice.kind}` };
        }
        return synced;
      }
      case 'charge': {
        const order = (await lockOrder(strapi, trx, 'paymentIntentId', fact.paymentIntentId)) ?? (await lockOrder(strapi, trx, 'documentId', fact.orderId));
        if (!order) return { code: 'unknown-order', detail: fact.paymentIntentId ?? fact.chargeId };
        // Older than a refund failure on this charge: its total still counts the refund that failed.
        if (await refundFailedAfter(strapi, fact.chargeId, envelope.created)) return { code: 'order-unchanged', detail: 'superseded by a later refund failure' };
        return applyOrderEvent(trx, order, fact.orderEvent, envelope, followUps, now);
      }
      case 'dispute':
        return applyDispute(strapi, trx, fact, envelope, applyTo);
      case 'refund':
        return applyRefund(strapi, trx, fact, envelope, applyTo);
      case 'customer-deleted':
        return dropCustomer(strapi, fact);
      case 'acknowledged':
        return { code: 'acknowledged', detail: fact.reason };
      case 'unhandled':
        return { code: 'ignored', detail: 'event type not handled' };
      default:
        return assertNever(fact, 'Stripe fact');
    }
  }

  return {
    /**
     * Applies one stored event (inbox-worker.ts): its effects and `state = done` commit together.
     * Throws when payment-critical work fails (nothing is kept; the worker records the attempt).
     */
    async applyInboxEvent(event: InboxEvent): Promise<ApplyResult> {
      const parsed = parseStripeEvent(JSON.parse(event.payload) as unknown);
      if (!parsed.ok) throw new Error(`stored event ${event.eventId} is malformed: ${parsed.detail}`);
      const { envelope, fact } = parsed;
      const prefetched = await prefetch(envelope, fact);

      const followUps: FollowUp[] = [];
      const now = new Date();
      const result = await strapi.db.transaction(async ({ trx }) => {
        const n = modelNames(strapi, WEBHOOK_EVENT_UID);
        let claim = trx(qualifiedTable(strapi, n.table)).select('id').where('id', event.id).where(n.col('state'), 'pending').first();
        if (isPostgres(strapi)) claim = claim.forUpdate().skipLocked();
        if (!(await claim)) return SKIPPED;
        const outcome = await apply(trx, envelope, fact, prefetched, followUps, now);
        await updateRow(
          strapi,
          WEBHOOK_EVENT_UID,
          event.id,
          { state: 'done', attempts: event.attempts + 1, outcome: outcome.code.slice(0, 64), detail: outcome.detail ? outcome.detail.slice(0, 255) : null, processedAt: now, nextAttemptAt: null, lastError: null },
          now,
          trx
        );
        return outcome;
      });
      if (result === SKIPPED) return { status: 'skipped', eventId: envelope.id };

      // After the commit: nothing here may fail the event.
      for (const followUp of followUps) {
        try {
          await followUp.run();
        } catch (error) {
          log.warn(`[checkout] follow-up "${followUp.label}" after ${envelope.id} failed: ${(error as Error).message}`, { requestId: currentRequestId(strapi), eventId: envelope.id });
        }
      }
      const requestId = currentRequestId(strapi);
      log.info(`[checkout] applied ${envelope.type} ${envelope.id}: ${result.code}${result.detail ? ` (${result.detail})` : ''}${requestId ? ` [${requestId}]` : ''}`, {
        requestId,
        eventId: envelope.id,
        outcome: result.code,
        phase: 'applied',
      });
      return { status: 'applied', eventId: envelope.id, type: envelope.type, outcome: result.code };
    },
  };
};
