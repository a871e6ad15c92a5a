/** Emitting and listening to the platform's events (see contracts/events.ts) over Strapi's event hub. */
import type { Core } from '@strapi/strapi';
import type { PlatformEventName, PlatformEvents } from './contracts/events';
import { transactionHooks, withSavepoint } from './db';

/**
 * Announces `name` with its payload. Call it after the change has committed (an `onCommit`, or
 * after the transaction returned): listeners run asynchronously, and whatever they throw is
 * logged, never returned to the caller.
 */
export function emitEvent<N extends PlatformEventName>(strapi: Core.Strapi, name: N, payload: PlatformEvents[N]): void {
  try {
    Promise.resolve(strapi.eventHub.emit(name, payload)).catch((err: unknown) =>
      strapi.log.error(`[platform] a ${name} listener failed: ${err instanceof Error ? err.message : String(err)}`)
    );
  } catch (err) {
    strapi.log.error(`[platform] emitting ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Listens to `name` after the change committed; returns the function that stops listening. */
export function onEvent<N extends PlatformEventName>(strapi: Core.Strapi, name: N, listener: (payload: PlatformEvents[N]) => void | Promise<void>): () => void {
  const wrapped = async (payload: unknown): Promise<void> => {
    await listener(payload as PlatformEvents[N]);
  };
  return strapi.eventHub.on(name, wrapped);
}

type TransactionalListener = (payload: never) => Promise<void>;

// Kept on the Strapi instance: a test that loads the kernel from its sources must reach the
// listeners the compiled copy registered.
const IN_TRANSACTION = Symbol.for('platform.events.in-transaction');
function transactionalListeners(strapi: Core.Strapi): Map<string, Set<TransactionalListener>> {
  const holder = strapi as unknown as { [IN_TRANSACTION]?: Map<string, Set<TransactionalListener>> };
  return (holder[IN_TRANSACTION] ??= new Map());
}

/**
 * Listens to `name` inside the transaction of the change that causes it: what the listener writes
 * commits or rolls back with that change (an outbox row, never a network call). Each listener
 * runs under a savepoint; what it throws is logged and leaves the caller's transaction usable.
 * Returns the function that stops listening.
 */
export function onEventInTransaction<N extends PlatformEventName>(strapi: Core.Strapi, name: N, listener: (payload: PlatformEvents[N]) => Promise<void>): () => void {
  const map = transactionalListeners(strapi);
  let set = map.get(name);
  if (!set) map.set(name, (set = new Set()));
  const entry = listener as TransactionalListener;
  set.add(entry);
  return () => void set.delete(entry);
}

/**
 * Announces `name` from inside the transaction of the change (or after it, outside any): the
 * in-transaction listeners run now, in that transaction, and the `onEvent` listeners get the
 * event once it commits (never when it rolls back).
 */
export async function announce<N extends PlatformEventName>(strapi: Core.Strapi, name: N, payload: PlatformEvents[N]): Promise<void> {
  for (const listener of transactionalListeners(strapi).get(name) ?? []) {
    try {
      await withSavepoint(strapi, () => (listener as (p: PlatformEvents[N]) => Promise<void>)(payload));
    } catch (err) {
      strapi.log.error(`[platform] an in-transaction ${name} listener failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const hooks = transactionHooks();
  if (hooks) hooks.onCommit(() => emitEvent(strapi, name, payload));
  else emitEvent(strapi, name, payload);
}
