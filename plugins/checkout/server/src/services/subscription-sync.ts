/**
 * A Stripe subscription snapshot mirrored into `api::subscription.subscription` and into access,
 * inside the webhook's transaction. The row is created once whoever comes first (several events
 * about a new subscription arrive together), then locked; domain/subscriptions.ts decides whether
 * the snapshot replaces what is stored (an older one is dropped) and which entitlement writes
 * follow. Plain functions over `strapi` and the transaction (not a Strapi service).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { PLAN_UID, SUBSCRIPTION_UID, USER_UID, announce, insertIgnoringConflict, lockRowId, requireNeighbour, selectRow } from '@kp/platform';
import {
  decideSubscriptionUpdate,
  isForeignSubscription,
  subscriptionEffects,
  type SubscriptionRowState,
  type SubscriptionSnapshot,
} from '../domain/subscriptions';
import { getService } from '../utils';
import type { Outcome } from './webhooks';

/** Hints about who and what a subscription belongs to, from the order that started it. */
export interface SubscriptionHints {
  userId?: number | null;
  planDocumentId?: string | null;
}

interface SubscriptionRow {
  id: number;
  status: SubscriptionRowState['status'];
  currentPeriodEnd: string | Date | null;
  cancelAtPeriodEnd: boolean | null;
  stripeUpdatedAt: string | number | null;
  user?: { id: number } | null;
  plan?: { documentId: string } | null;
}

function subscriptionState(row: SubscriptionRow): SubscriptionRowState {
  return {
    status: row.status,
    currentPeriodEnd: row.currentPeriodEnd ? Math.floor(new Date(row.currentPeriodEnd).getTime() / 1000) : null,
    cancelAtPeriodEnd: Boolean(row.cancelAtPeriodEnd),
    stripeUpdatedAt: row.stripeUpdatedAt === null || row.stripeUpdatedAt === undefined ? null : Number(row.stripeUpdatedAt),
  };
}

async function resolveUserId(strapi: Core.Strapi, snapshot: SubscriptionSnapshot, hints: SubscriptionHints): Promise<number | null> {
  if (hints.userId) return hints.userId;
  if (snapshot.metadata.userId) {
    const user = await strapi.db.query(USER_UID).findOne({ where: { id: snapshot.metadata.userId }, select: ['id'] });
    if (user) return snapshot.metadata.userId;
  }
  if (snapshot.customerId) return getService(strapi, 'customers').findUserIdByCustomer(snapshot.customerId);
  return null;
}

async function resolvePlanDocumentId(strapi: Core.Strapi, snapshot: SubscriptionSnapshot, hints: SubscriptionHints): Promise<string | null> {
  // The price is the truth after a plan switch in the Customer Portal; metadata is what was bought.
  // Every Price the catalogue ever created for a plan is kept: an archived one still names its plan.
  if (snapshot.priceId) {
    const plan = await getService(strapi, 'catalogue').planForStripePrice(snapshot.priceId);
    if (plan) return plan;
  }
  return hints.planDocumentId ?? snapshot.metadata.planDocumentId ?? null;
}

async function planRowId(strapi: Core.Strapi, planDocumentId: string): Promise<number | null> {
  const rows = (await strapi.db.query(PLAN_UID).findMany({ where: { documentId: planDocumentId }, select: ['id', 'locale'] })) as Array<{ id: number; locale: string | null }>;
  return (rows.find((r) => r.locale === 'en') ?? rows[0])?.id ?? null;
}

/** Mirrors a subscription snapshot into `api::subscription.subscription` and access. */
export async function syncSubscription(
  strapi: Core.Strapi,
  trx: Knex.Transaction,
  snapshot: SubscriptionSnapshot,
  hints: SubscriptionHints,
  now: Date
): Promise<Outcome> {
  // One after the other: inside a transaction both run on the same connection, where parallel
  // queries only queue (and pg deprecates issuing them).
  const userId = await resolveUserId(strapi, snapshot, hints);
  const planDocumentId = await resolvePlanDocumentId(strapi, snapshot, hints);
  if (userId === null && planDocumentId === null) {
    const stored = await selectRow(strapi, SUBSCRIPTION_UID, { attribute: 'stripeSubscriptionId', value: snapshot.id }, ['id'], { trx });
    if (isForeignSubscription({ stored: stored !== null, userId, planDocumentId })) {
      return { code: 'ignored', detail: `subscription ${snapshot.id}: unknown customer ${snapshot.customerId ?? '(none)'} and price ${snapshot.priceId ?? '(none)'}` };
    }
  }
  // Several events about a new subscription arrive together (session completed, subscription
  // created, invoice paid): the row is created once, whoever comes first, then locked.
  const insertedId = await insertIgnoringConflict(
    strapi,
    SUBSCRIPTION_UID,
    { stripeSubscriptionId: snapshot.id, status: 'incomplete', cancelAtPeriodEnd: false, stripeCustomerId: snapshot.customerId },
    'stripeSubscriptionId',
    now,
    trx
  );
  const id = await lockRowId(strapi, SUBSCRIPTION_UID, 'stripeSubscriptionId', snapshot.id, trx);
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
    const planId = await planRowId(strapi, planDocumentId);
    if (planId !== null) data.plan = planId;
  }
  await strapi.db.query(SUBSCRIPTION_UID).update({ where: { id }, data });
  if (decision.apply && (current?.status !== state.status || current.cancelAtPeriodEnd !== state.cancelAtPeriodEnd)) {
    await announce(strapi, 'checkout.subscription', {
      stripeSubscriptionId: snapshot.id,
      userId: effectiveUser,
      planDocumentId: effectivePlan,
      from: current?.status ?? null,
      to: state.status,
      previousCancelAtPeriodEnd: current?.cancelAtPeriodEnd ?? null,
      cancelAtPeriodEnd: state.cancelAtPeriodEnd,
      currentPeriodEnd: state.currentPeriodEnd === null ? null : new Date(state.currentPeriodEnd * 1000).toISOString(),
      at: now.toISOString(),
    });
  }

  if (effectiveUser === null) return { code: 'subscription-unlinked', detail: `${state.status}: no user for ${snapshot.customerId ?? 'no customer'}` };
  const { entitlements } = requireNeighbour(strapi, 'paywall', 'Checkout cannot change access');
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
