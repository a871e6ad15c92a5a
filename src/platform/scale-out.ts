/**
 * The one place that chooses how instances of the app agree (called by the app's register and
 * destroy in src/index.ts):
 *
 * | setting | broadcast (broadcast.ts) | rate limits (rate-limit.ts) |
 * | --- | --- | --- |
 * | `REDIS_URL` set | Redis pub/sub on `<prefix>broadcast` | Redis (`<prefix>rl:…` keys) |
 * | PostgreSQL, no `REDIS_URL` | `LISTEN/NOTIFY` on `<prefix>broadcast` (a dedicated connection) | the table `kp_rate_limits` |
 * | SQLite, no `REDIS_URL` | in process (one instance) | in memory |
 *
 * `BROADCAST_TRANSPORT=local|redis|postgres` forces the broadcast transport (`auto`, the default,
 * follows the table); `BROADCAST_PREFIX` names the channel and keys (redis.ts, `platformPrefix`).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { ClientConfig } from 'pg';
import { broadcastSink, closeBroadcast, setBroadcastTransport, type BroadcastTransport } from './broadcast';
import { postgresTransport, redisTransport, type TransportLog } from './broadcast-transports';
import { closeRateLimits } from './rate-limit';
import { closePlatformRedis, describeRedisUrl, extraRedisConnection, platformPrefix, platformRedis, redisReady, redisUrl } from './redis';

export type TransportChoice = BroadcastTransport['name'];

const CHOICES = ['auto', 'local', 'redis', 'postgres'] as const;

/** Which transport the settings ask for (pure: `choose({ setting, redis, dialect })`). */
export function chooseTransport(input: { setting: string | undefined; redis: boolean; dialect: string }): TransportChoice {
  const setting = (input.setting ?? '').trim() || 'auto';
  if (!(CHOICES as readonly string[]).includes(setting)) {
    throw new Error(`BROADCAST_TRANSPORT must be one of ${CHOICES.join(', ')} (got "${setting}")`);
  }
  if (setting === 'redis' && !input.redis) throw new Error('BROADCAST_TRANSPORT=redis needs REDIS_URL');
  if (setting === 'postgres' && input.dialect !== 'postgres') throw new Error('BROADCAST_TRANSPORT=postgres needs DATABASE_CLIENT=postgres');
  if (setting !== 'auto') return setting as TransportChoice;
  if (input.redis) return 'redis';
  return input.dialect === 'postgres' ? 'postgres' : 'local';
}

function listenerConnection(strapi: Core.Strapi): ClientConfig {
  const connection = { ...((strapi.config.get('database.connection.connection') ?? {}) as Record<string, unknown>) };
  delete connection.schema; // Strapi's, not node-postgres'
  return connection as ClientConfig;
}

/**
 * Opens the broadcast transport and the Redis connection the settings ask for. Never blocks a boot
 * for long: Redis down or the listener failing is logged, retried in the background and reported
 * by the operations plugin's platform health.
 */
export async function startScaleOut(strapi: Core.Strapi): Promise<TransportChoice> {
  const dialect = String((strapi.config.get('database.connection') as { client?: string } | undefined)?.client ?? 'sqlite');
  const choice = chooseTransport({ setting: process.env.BROADCAST_TRANSPORT, redis: redisUrl() !== null, dialect });
  const prefix = platformPrefix(strapi);
  const channel = `${prefix}broadcast`;
  const log: TransportLog = { info: (m) => strapi.log.info(m), warn: (m) => strapi.log.warn(m) };
  const redis = platformRedis(strapi);
  if (redis && !(await redisReady(redis, 2000))) {
    strapi.log.warn(`[platform] Redis at ${describeRedisUrl(redisUrl()!)} does not answer yet: rate limits count per instance until it does`);
  }
  const sink = broadcastSink(strapi);
  if (choice === 'redis') {
    const subscriber = extraRedisConnection(strapi, 'broadcast', { maxRetriesPerRequest: null });
    await setBroadcastTransport(strapi, await redisTransport({ publisher: redis!, subscriber, channel, sink, log }));
  } else if (choice === 'postgres') {
    const notify = async (name: string, payload: string) => {
      // The pool, outside any transaction: broadcasts are sent after the change committed.
      await (strapi.db.connection as unknown as Knex).raw('select pg_notify(?, ?)', [name, payload]);
    };
    await setBroadcastTransport(strapi, await postgresTransport({ connection: listenerConnection(strapi), channel, notify, sink, log }));
  }
  strapi.log.info(`[platform] broadcast: ${choice}${choice === 'local' ? '' : ` (${channel})`}; rate limits: ${redis ? 'redis' : dialect === 'postgres' ? 'postgres' : 'memory'}`);
  return choice;
}

/** Closes the transport and every Redis connection (the app's destroy). */
export async function stopScaleOut(strapi: Core.Strapi): Promise<void> {
  await closeBroadcast(strapi);
  closeRateLimits(strapi);
  await closePlatformRedis(strapi);
}
