import type { Core } from '@strapi/strapi';
import { onEvent, transactionHooks } from '@kp/platform';
import { ENTITLEMENT_UID } from './constants';
import { getService } from './utils';

type Where = Record<string, unknown>;
interface LifecycleEvent {
  model?: { uid?: string };
  params?: { where?: Where; data?: Record<string, unknown> };
  result?: { id?: number } | null;
}

/**
 * Refunds: the paywall revokes an entitlement (checkout's refund and dispute events end there)
 * with one Query Engine update. After that transaction commits, the reviews of the learners it
 * concerned are re-checked against the paywall's decision: a review whose author's access is now
 * `revoked` is marked `refunded` and leaves the average (see README, "Refunds").
 */
function watchRevocations(strapi: Core.Strapi): void {
  const reconcile = async (where: Where | undefined) => {
    if (!where) return;
    const rows = (await strapi.db.query(ENTITLEMENT_UID).findMany({ where, select: ['id'], populate: { user: { select: ['id'] } } })) as Array<{ user?: { id: number } | null }>;
    const users = [...new Set(rows.map((r) => r.user?.id).filter((id): id is number => typeof id === 'number'))];
    const run = () => {
      void (async () => {
        for (const userId of users) {
          try {
            await getService(strapi, 'reviews').reconcileRefunds(userId);
          } catch (error) {
            strapi.log.warn(`[community] refund check of user ${userId} failed: ${(error as Error).message}`);
          }
        }
      })();
    };
    const hooks = transactionHooks();
    if (hooks) hooks.onCommit(run);
    else run();
  };
  strapi.db.lifecycles.subscribe({
    models: [ENTITLEMENT_UID],
    async afterUpdateMany(event: LifecycleEvent) {
      if (event.params?.data?.state !== 'revoked') return;
      // Revoked rows no longer match a `state != revoked` condition: look them up by the rest.
      const { state: _state, ...rest } = event.params.where ?? {};
      await reconcile(rest).catch((error: Error) => strapi.log.warn(`[community] refund check failed: ${error.message}`));
    },
    async afterUpdate(event: LifecycleEvent) {
      if (event.params?.data?.state !== 'revoked' || typeof event.result?.id !== 'number') return;
      await reconcile({ id: event.result.id }).catch((error: Error) => strapi.log.warn(`[community] refund check failed: ${error.message}`));
    },
  } as never);
}

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  watchRevocations(strapi);
  // A good rating tells the recommender (its interactions contract); a listener never fails the write.
  onEvent(strapi, 'community.rating', async (e) => {
    if ((e.action === 'created' || e.action === 'updated') && e.counted && e.stars !== null) {
      await getService(strapi, 'platform').ratingSignal(e.userId, e.courseDocumentId, e.stars, new Date(e.at));
    }
  });
};
