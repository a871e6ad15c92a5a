/** Emitting and listening to the platform's events (see contracts/events.ts) over Strapi's event hub. */
import type { Core } from '@strapi/strapi';
import type { PlatformEventName, PlatformEvents } from './contracts/events';

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

/** Listens to `name`; returns the function that stops listening. */
export function onEvent<N extends PlatformEventName>(strapi: Core.Strapi, name: N, listener: (payload: PlatformEvents[N]) => void | Promise<void>): () => void {
  const wrapped = async (payload: unknown): Promise<void> => {
    await listener(payload as PlatformEvents[N]);
  };
  return strapi.eventHub.on(name, wrapped);
}
