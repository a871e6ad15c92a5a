/**
 * Telling every instance of the platform (this one included) that something it may keep in memory
 * changed: `broadcast(strapi, channel, payload)` and `onBroadcast(strapi, channel, handler)`,
 * checked against `PlatformBroadcasts` (contracts/broadcast.ts).
 *
 * Transport: in this process only (one instance, the embedded default). The transport is chosen
 * once per Strapi instance by `setBroadcastTransport` (cross-instance transports replace it at
 * bootstrap); handlers never see which one carries the message.
 */
import type { Core } from '@strapi/strapi';
import type { PlatformBroadcastChannel, PlatformBroadcasts } from './contracts/broadcast';

export type BroadcastHandler = (payload: unknown) => void | Promise<void>;

/** Carries a message to every instance, this one included, which then calls `deliver`. */
export interface BroadcastTransport {
  readonly name: string;
  publish(channel: string, payload: unknown): Promise<void>;
  close(): Promise<void>;
}

interface BroadcastState {
  handlers: Map<string, Set<BroadcastHandler>>;
  transport: BroadcastTransport;
}

const STATE = Symbol.for('platform.broadcast');

function state(strapi: Core.Strapi): BroadcastState {
  const holder = strapi as unknown as { [STATE]?: BroadcastState };
  if (!holder[STATE]) {
    const s: BroadcastState = { handlers: new Map(), transport: undefined as unknown as BroadcastTransport };
    s.transport = localTransport((channel, payload) => deliver(strapi, channel, payload));
    holder[STATE] = s;
  }
  return holder[STATE];
}

/** The transport that only reaches this process (delivered on the next tick, like a network one). */
export function localTransport(onMessage: (channel: string, payload: unknown) => void): BroadcastTransport {
  return {
    name: 'local',
    async publish(channel, payload) {
      const copy: unknown = JSON.parse(JSON.stringify(payload ?? null));
      setImmediate(() => onMessage(channel, copy));
    },
    async close() {},
  };
}

/** Hands a received message to this instance's handlers; what a handler throws is logged. */
export function deliver(strapi: Core.Strapi, channel: string, payload: unknown): void {
  for (const handler of state(strapi).handlers.get(channel) ?? []) {
    Promise.resolve()
      .then(() => handler(payload))
      .catch((err: unknown) => strapi.log.error(`[platform] a ${channel} broadcast handler failed: ${err instanceof Error ? err.message : String(err)}`));
  }
}

/** Replaces the transport (closing the previous one). */
export async function setBroadcastTransport(strapi: Core.Strapi, transport: BroadcastTransport): Promise<void> {
  const s = state(strapi);
  const previous = s.transport;
  s.transport = transport;
  if (previous !== transport) await previous.close();
}

export function broadcastTransportName(strapi: Core.Strapi): string {
  return state(strapi).transport.name;
}

/**
 * Tells every instance. Call it after the change committed. A transport failure is logged and
 * swallowed: the caller's change stands, and receivers fall back on their TTLs.
 */
export async function broadcast<C extends PlatformBroadcastChannel>(strapi: Core.Strapi, channel: C, payload: PlatformBroadcasts[C]): Promise<void> {
  try {
    await state(strapi).transport.publish(channel, payload);
  } catch (err) {
    strapi.log.error(`[platform] broadcasting ${channel} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Listens to `channel` from every instance (this one included); returns the function that stops. */
export function onBroadcast<C extends PlatformBroadcastChannel>(strapi: Core.Strapi, channel: C, handler: (payload: PlatformBroadcasts[C]) => void | Promise<void>): () => void {
  const s = state(strapi);
  let set = s.handlers.get(channel);
  if (!set) s.handlers.set(channel, (set = new Set()));
  const entry = handler as BroadcastHandler;
  set.add(entry);
  return () => void set.delete(entry);
}
