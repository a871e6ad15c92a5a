/**
 * Telling every instance of the platform (this one included) that something it may keep in memory
 * changed: `broadcast(strapi, channel, payload)` and `onBroadcast(strapi, channel, handler)`,
 * checked against `PlatformBroadcasts` (contracts/broadcast.ts).
 *
 * This instance's handlers always get the message from here, on the next tick, whatever carries
 * it further; a transport carries it to the *other* instances (Redis pub/sub, PostgreSQL
 * `LISTEN/NOTIFY`: broadcast-transports.ts, chosen once at boot by scale-out.ts) and drops its own
 * echo. Without another instance the transport is `local` and carries nothing. Handlers never see
 * which transport carried a message. A transport that lost its connection and got it back
 * delivers `platform.resync` to this instance: messages may have been missed in between, so a
 * holder of state re-reads it.
 */
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { PlatformBroadcastChannel, PlatformBroadcasts } from './contracts/broadcast';
import type { DependencyCheck, HealthStatus } from './health';
import { platformCounter } from './metrics';

export type BroadcastHandler = (payload: unknown) => void | Promise<void>;

/** What travels between instances: the sender's id (to drop one's own echo), the channel, the payload. */
export interface BroadcastEnvelope {
  origin: string;
  channel: string;
  payload: unknown;
}

/** What a transport hands received messages to. */
export interface BroadcastSink {
  /** This instance's id: envelopes with it are its own echo and are dropped. */
  readonly origin: string;
  /** A message from the wire (already parsed); its shape is checked here. */
  receive(envelope: unknown): void;
  /** The connection came back after a loss: messages may have been missed. */
  resync(reason: string): void;
}

/** Carries a message to every other instance. */
export interface BroadcastTransport {
  readonly name: 'local' | 'redis' | 'postgres';
  publish(envelope: BroadcastEnvelope): Promise<void>;
  /** For the health check: is it connected (ok) or reconnecting (degraded)? */
  state(): { status: HealthStatus; detail: string };
  close(): Promise<void>;
}

interface BroadcastState {
  origin: string;
  handlers: Map<string, Set<BroadcastHandler>>;
  transport: BroadcastTransport;
}

const STATE = Symbol.for('platform.broadcast');

function state(strapi: Core.Strapi): BroadcastState {
  const holder = strapi as unknown as { [STATE]?: BroadcastState };
  holder[STATE] ??= { origin: randomUUID(), handlers: new Map(), transport: localTransport() };
  return holder[STATE];
}

/** One instance only: nothing to carry (this instance's handlers get every message from `broadcast`). */
export function localTransport(): BroadcastTransport {
  return {
    name: 'local',
    async publish() {},
    state: () => ({ status: 'ok', detail: 'in process (one instance)' }),
    async close() {},
  };
}

function messages(strapi: Core.Strapi) {
  return platformCounter<'channel' | 'event' | 'transport'>(strapi, {
    name: 'kp_broadcast_messages_total',
    help: 'Broadcast messages by channel: published by this instance, received from other instances, publish_failed (the transport refused; receivers fall back on their TTLs)',
    labelNames: ['channel', 'event', 'transport'],
  });
}

/** Hands a message to this instance's handlers; what a handler throws is logged. */
export function deliver(strapi: Core.Strapi, channel: string, payload: unknown): void {
  for (const handler of state(strapi).handlers.get(channel) ?? []) {
    Promise.resolve()
      .then(() => handler(payload))
      .catch((err: unknown) => strapi.log.error(`[platform] a ${channel} broadcast handler failed: ${err instanceof Error ? err.message : String(err)}`));
  }
}

/** The sink a transport of this app hands what it receives to. */
export function broadcastSink(strapi: Core.Strapi): BroadcastSink {
  const s = state(strapi);
  return {
    origin: s.origin,
    receive(envelope) {
      const e = envelope as Partial<BroadcastEnvelope> | null;
      if (!e || typeof e !== 'object' || typeof e.origin !== 'string' || typeof e.channel !== 'string') {
        strapi.log.warn('[platform] a broadcast message without origin or channel was dropped');
        return;
      }
      if (e.origin === s.origin) return;
      messages(strapi).inc({ channel: e.channel, event: 'received', transport: s.transport.name });
      deliver(strapi, e.channel, e.payload ?? null);
    },
    resync(reason) {
      const payload: PlatformBroadcasts['platform.resync'] = { transport: s.transport.name, reason };
      strapi.log.info(`[platform] broadcast ${s.transport.name}: ${reason}; holders of state re-read it`);
      deliver(strapi, 'platform.resync', payload);
    },
  };
}

/** Replaces the transport (closing the previous one). */
export async function setBroadcastTransport(strapi: Core.Strapi, transport: BroadcastTransport): Promise<void> {
  const s = state(strapi);
  const previous = s.transport;
  s.transport = transport;
  if (previous !== transport) await previous.close();
}

export function broadcastTransportName(strapi: Core.Strapi): BroadcastTransport['name'] {
  return state(strapi).transport.name;
}

/** This instance's id on the broadcast (the `origin` of what it sends). */
export function broadcastOrigin(strapi: Core.Strapi): string {
  return state(strapi).origin;
}

/** The transport and whether it is connected, as a health check. */
export function checkBroadcast(strapi: Core.Strapi): DependencyCheck {
  const t = state(strapi).transport;
  const { status, detail } = t.state();
  return { name: 'broadcast', status, detail: `${t.name}: ${detail}` };
}

/** Closes the transport and goes back to `local` (destroy). */
export async function closeBroadcast(strapi: Core.Strapi): Promise<void> {
  await setBroadcastTransport(strapi, localTransport());
}

/**
 * Tells every instance. Call it after the change committed. A transport failure is logged and
 * swallowed: the caller's change stands, this instance's handlers still get the message, and the
 * other instances fall back on their TTLs.
 */
export async function broadcast<C extends PlatformBroadcastChannel>(strapi: Core.Strapi, channel: C, payload: PlatformBroadcasts[C]): Promise<void> {
  const s = state(strapi);
  const copy: unknown = JSON.parse(JSON.stringify(payload ?? null));
  setImmediate(() => deliver(strapi, channel, copy));
  const transport = s.transport;
  if (transport.name === 'local') {
    messages(strapi).inc({ channel, event: 'published', transport: 'local' });
    return;
  }
  try {
    await transport.publish({ origin: s.origin, channel, payload: copy });
    messages(strapi).inc({ channel, event: 'published', transport: transport.name });
  } catch (err) {
    messages(strapi).inc({ channel, event: 'publish_failed', transport: transport.name });
    strapi.log.error(`[platform] broadcasting ${channel} over ${transport.name} failed: ${err instanceof Error ? err.message : String(err)}`);
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
