/**
 * `customer.subscription.trial_will_end` (Stripe sends it three days before a trial ends, or at
 * once for a shorter trial): the snapshot it carries is mirrored like any subscription event (so
 * access during `trialing` stays in step), and `checkout.trial-ending` is announced in the same
 * transaction for whoever tells the learner that the first charge is coming. What happens at the
 * end of the trial comes with Stripe's next events: `customer.subscription.updated` to `active`
 * (converted, `invoice.paid` extends the period) or to `canceled` / `paused` (access ends).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { announce } from '@kp/platform';
import type { SubscriptionSnapshot } from '../domain/subscriptions';
import { getService } from '../utils';
import { syncSubscription } from './subscription-sync';
import type { Outcome } from './webhooks';

export async function applyTrialWillEnd(
  strapi: Core.Strapi,
  trx: Knex.Transaction,
  fact: { snapshot: SubscriptionSnapshot; trialEnd: number | null },
  now: Date
): Promise<Outcome> {
  const synced = await syncSubscription(strapi, trx, fact.snapshot, {}, now);
  const userId = fact.snapshot.metadata.userId ?? (fact.snapshot.customerId ? await getService(strapi, 'customers').findUserIdByCustomer(fact.snapshot.customerId) : null);
  const planDocumentId = (fact.snapshot.priceId ? await getService(strapi, 'catalogue').planForStripePrice(fact.snapshot.priceId) : null) ?? fact.snapshot.metadata.planDocumentId;
  const trialEnd = fact.trialEnd === null ? null : new Date(fact.trialEnd * 1000).toISOString();
  await announce(strapi, 'checkout.trial-ending', {
    stripeSubscriptionId: fact.snapshot.id,
    userId,
    planDocumentId,
    trialEnd,
    cancelAtPeriodEnd: fact.snapshot.cancelAtPeriodEnd,
    at: now.toISOString(),
  });
  return { code: 'trial-will-end', detail: `trial ends ${trialEnd ?? 'unknown'}; ${synced.code}` };
}
