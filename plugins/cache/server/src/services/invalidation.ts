/**
 * Drops what a write makes stale, once the write has committed, on every instance.
 *
 * - Writes: one database lifecycle subscriber (`strapi.db.lifecycles.subscribe`) on the catalogue
 *   types, files, locales, users, roles, permissions and the core store. Document Service writes
 *   (Content Manager, REST, the review plugin's publication) and Query Engine writes all pass
 *   through it; what goes stale is decided by `staleAfter` (domain/invalidation.ts). The drop
 *   happens at once and again when the write's transaction commits (a read between the two may
 *   have stored what it read before the commit; the generation of the store makes sure nothing
 *   read before the last drop is served); outside a transaction the statement has already
 *   committed. The local drops are synchronous, so the writer's acknowledgement never goes out
 *   before them.
 * - Ratings: `community.rating` (after the review's commit) drops the catalogue, and again once
 *   the community plugin's per-process rating cache (`COMMUNITY_RATING_CACHE_SECONDS`) has expired
 *   everywhere, so no instance stores a response with a rating its own cache still held.
 * - Other instances: each drop is broadcast (`cache.catalogue`, `cache.principals`; kernel
 *   broadcast), batched per tick; a receiver drops locally and ignores what it sent itself.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { onBroadcast, onEvent, rawConnection, transactionHooks } from '@kp/platform';
import { isNothing, mergeStale, staleAfter, WATCHED_MODELS, WRITE_ACTIONS, type Stale, type WriteAction } from '../domain/invalidation';
import { getService, instanceId } from '../utils';

/** Seconds the community plugin may serve a course's rating from one process's memory. */
function ratingCacheSeconds(strapi: Core.Strapi): number {
  const v = Number(strapi.config.get('plugin::community.ratingCacheSeconds', 5));
  return Number.isFinite(v) && v >= 0 ? v : 5;
}

export function installInvalidation(strapi: Core.Strapi): () => void {
  const me = instanceId(strapi);
  let pending: Stale | null = null;
  let pendingReason = '';
  let timers: NodeJS.Timeout[] = [];

  /** Local drops now; the broadcast to the others once per tick. */
  function apply(stale: Stale, reason: string): void {
    if (isNothing(stale)) return;
    const catalogue = getService(strapi, 'catalogue');
    const principals = getService(strapi, 'principals');
    if (stale.catalogue) void catalogue.dropHere('local');
    if (stale.principals === 'all' || stale.principals.length > 0) principals.dropHere(stale.principals);
    const first = pending === null;
    pending = pending ? mergeStale(pending, stale) : stale;
    pendingReason = pendingReason || reason;
    if (!first) return;
    setImmediate(() => {
      const s = pending;
      const why = pendingReason;
      pending = null;
      pendingReason = '';
      if (!s) return;
      if (s.catalogue) void catalogue.broadcastDrop(why);
      if (s.principals === 'all' || s.principals.length > 0) void principals.broadcastDrop(s.principals, why);
    });
  }

  const onWrite = (action: WriteAction) => (event: { model: { uid: string }; result?: unknown; params?: unknown }) => {
    const stale = staleAfter({ model: event.model.uid, action, result: event.result, params: event.params });
    if (isNothing(stale)) return;
    const reason = `${event.model.uid} ${action.replace(/^after/, '').toLowerCase()}`;
    // Now, and again once the transaction has committed (a read that ran in between may have
    // stored what it read before the commit). Strapi's commit callbacks are not run when knex has
    // already completed the transaction, and then run at some later commit; the transaction's own
    // completion promise is the second signal, whichever comes first.
    apply(stale, reason);
    const hooks = transactionHooks();
    const conn = rawConnection(strapi) as Knex | Knex.Transaction;
    if (hooks) hooks.onCommit(() => apply(stale, reason));
    if ((conn as Knex.Transaction).isTransaction) {
      (conn as Knex.Transaction).executionPromise.then(
        () => apply(stale, reason),
        () => undefined
      );
    }
  };
  const subscriber: Record<string, unknown> = { models: [...WATCHED_MODELS] };
  for (const action of WRITE_ACTIONS) subscriber[action] = onWrite(action);
  const unsubscribe = strapi.db.lifecycles.subscribe(subscriber as Parameters<Core.Strapi['db']['lifecycles']['subscribe']>[0]);

  const stopRating = onEvent(strapi, 'community.rating', () => {
    apply({ catalogue: true, principals: [] }, 'community.rating');
    const t = setTimeout(() => {
      timers = timers.filter((x) => x !== t);
      apply({ catalogue: true, principals: [] }, 'community.rating (rating caches expired)');
    }, (ratingCacheSeconds(strapi) + 1) * 1000);
    t.unref();
    timers.push(t);
  });

  const stopCatalogue = onBroadcast(strapi, 'cache.catalogue', async ({ from }) => {
    if (from === me) return;
    await getService(strapi, 'catalogue').dropHere('remote');
  });
  const stopPrincipals = onBroadcast(strapi, 'cache.principals', ({ from, userIds, all }) => {
    if (from === me) return;
    getService(strapi, 'principals').dropHere(all ? 'all' : userIds);
  });

  // The transport got its connection back: drops sent meanwhile by other instances may be lost.
  const stopResync = onBroadcast(strapi, 'platform.resync', async () => {
    await getService(strapi, 'catalogue').dropHere('remote');
    getService(strapi, 'principals').dropHere('all');
  });

  return () => {
    unsubscribe();
    stopRating();
    stopCatalogue();
    stopPrincipals();
    stopResync();
    for (const t of timers) clearTimeout(t);
    timers = [];
  };
}
