/**
 * The transports of the kernel broadcast between instances (broadcast.ts): Redis pub/sub and
 * PostgreSQL `LISTEN/NOTIFY`. Each carries JSON envelopes `{ origin, channel, payload }` on one
 * channel per app (`<prefix>broadcast`), hands what it hears to the sink (which drops this
 * instance's own echo), reconnects for ever after a loss and then tells the sink to resync.
 */
import type Redis from 'ioredis';
import { Client, type ClientConfig, type Notification } from 'pg';
import type { BroadcastEnvelope, BroadcastSink, BroadcastTransport } from './broadcast';

export interface TransportLog {
  info(message: string): void;
  warn(message: string): void;
}

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
export const MAX_NOTIFY_BYTES = 7999;

function parse(text: string, log: TransportLog): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    log.warn(`[platform] a broadcast message that is not JSON was dropped (${text.slice(0, 80)})`);
    return null;
  }
}

/**
 * Redis pub/sub: `publisher` (the shared command connection) publishes, `subscriber` (a connection
 * of its own: a subscribed connection sends no commands) listens; ioredis reconnects and
 * subscribes again by itself.
 */
export async function redisTransport(options: {
  publisher: Redis;
  subscriber: Redis;
  channel: string;
  sink: BroadcastSink;
  log: TransportLog;
}): Promise<BroadcastTransport> {
  const { publisher, subscriber, channel, sink, log } = options;
  let wasReady = false;
  let lost = false;
  subscriber.on('message', (ch: string, text: string) => {
    if (ch === channel) sink.receive(parse(text, log));
  });
  subscriber.on('ready', () => {
    if (lost) sink.resync('Redis subscription restored');
    lost = false;
    wasReady = true;
  });
  subscriber.on('close', () => {
    if (wasReady) lost = true;
  });
  // Subscribing waits for the connection; it is not awaited past a short delay, so that a boot
  // with Redis down goes on (the subscription happens once Redis answers).
  const subscribed = subscriber.subscribe(channel).then(
    () => true,
    (error: Error) => {
      log.warn(`[platform] subscribing to ${channel} failed for now (${error.message}); retried on reconnection`);
      return false;
    }
  );
  await Promise.race([subscribed, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  return {
    name: 'redis',
    async publish(envelope: BroadcastEnvelope) {
      await publisher.publish(channel, JSON.stringify(envelope));
    },
    state() {
      if (subscriber.status === 'ready' && publisher.status === 'ready') return { status: 'ok', detail: `channel ${channel}` };
      return {
        status: 'degraded',
        detail: `Redis connection ${subscriber.status === 'ready' ? 'for publishing' : 'of the subscriber'} is ${subscriber.status === 'ready' ? publisher.status : subscriber.status}: other instances miss changes until it returns`,
      };
    },
    async close() {
      try {
        if (subscriber.status === 'ready') await subscriber.quit();
        else subscriber.disconnect();
      } catch {
        subscriber.disconnect();
      }
    },
  };
}

/** `"name"` with inner quotes doubled: a PostgreSQL identifier, whatever it holds. */
const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * PostgreSQL `LISTEN/NOTIFY`: a dedicated connection (`connection`, outside the pool: a pooled
 * connection is shared and would lose the LISTEN) listens on `channel`; `notify` sends through the
 * pool, so publishing works while the listener reconnects. The listener reconnects after an error
 * or a closed connection (100 ms, doubling, at most 5 s apart), then resyncs.
 */
export async function postgresTransport(options: {
  connection: ClientConfig;
  channel: string;
  notify: (channel: string, payload: string) => Promise<void>;
  sink: BroadcastSink;
  log: TransportLog;
}): Promise<BroadcastTransport> {
  const { connection, channel, notify, sink, log } = options;
  if (Buffer.byteLength(channel) > 63) throw new Error(`PostgreSQL notification channel "${channel}" is longer than 63 bytes: shorten BROADCAST_PREFIX`);
  let client: Client | null = null;
  let listening = false;
  let everListened = false;
  let closed = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;
  let lastError = '';

  const onNotification = (message: Notification) => {
    if (message.channel === channel && message.payload !== undefined) sink.receive(parse(message.payload, log));
  };

  function lose(which: Client, reason: string): void {
    if (which !== client) return;
    client = null;
    listening = false;
    which.removeAllListeners('notification');
    which.end().catch(() => undefined);
    if (closed) return;
    if (reason !== lastError) log.warn(`[platform] broadcast listener (PostgreSQL LISTEN ${channel}) lost: ${reason}; reconnecting`);
    lastError = reason;
    schedule();
  }

  function schedule(): void {
    if (closed || timer) return;
    const delay = Math.min(5000, 100 * 2 ** Math.min(attempt, 6));
    attempt += 1;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, delay);
    timer.unref();
  }

  async function connect(): Promise<boolean> {
    if (closed) return false;
    const next = new Client({ ...connection, keepAlive: true, application_name: 'kp-broadcast' });
    client = next;
    next.on('error', (error: Error) => lose(next, error.message));
    next.on('end', () => lose(next, 'connection closed'));
    next.on('notification', onNotification);
    try {
      await next.connect();
      await next.query(`LISTEN ${quoteIdentifier(channel)}`);
      if (closed || client !== next) {
        await next.end().catch(() => undefined);
        return false;
      }
      listening = true;
      attempt = 0;
      if (everListened) sink.resync('PostgreSQL LISTEN restored');
      else if (lastError) log.info(`[platform] broadcast listener (PostgreSQL LISTEN ${channel}) connected`);
      everListened = true;
      lastError = '';
      return true;
    } catch (error) {
      lose(next, (error as Error).message);
      return false;
    }
  }

  await connect();
  return {
    name: 'postgres',
    async publish(envelope: BroadcastEnvelope) {
      const text = JSON.stringify(envelope);
      if (Buffer.byteLength(text) > MAX_NOTIFY_BYTES) {
        throw new Error(`payload of ${Buffer.byteLength(text)} bytes on ${envelope.channel}: NOTIFY takes under 8000 (send ids, not documents)`);
      }
      await notify(channel, text);
    },
    state() {
      return listening
        ? { status: 'ok', detail: `LISTEN ${channel}` }
        : { status: 'degraded', detail: `LISTEN ${channel} not connected (${lastError || 'connecting'}): changes from other instances are missed until it returns` };
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const c = client;
      client = null;
      listening = false;
      if (c) {
        c.removeAllListeners('notification');
        await c.end().catch(() => undefined);
      }
    },
  };
}
