/**
 * Redis, when `REDIS_URL` is set: one shared command connection per Strapi instance
 * (`platformRedis`), the prefix of every channel and key the app uses in it (`platformPrefix`), and
 * its health check (`checkRedis`). Without `REDIS_URL` nothing here connects and `platformRedis`
 * answers null: the platform then runs on PostgreSQL `LISTEN/NOTIFY` and the database (several
 * instances) or in process (one instance on SQLite). See scale-out.ts.
 */
import type { Core } from '@strapi/strapi';
import Redis, { type RedisOptions } from 'ioredis';
import { fnv1a } from './random';
import { runCheck, type DependencyCheck } from './health';

interface RedisState {
  client: Redis | null;
  /** Connections the app opened besides the command one (the broadcast subscriber), closed with it. */
  extra: Set<Redis>;
}

const STATE = Symbol.for('platform.redis');

/** The configured Redis URL, or null (unset or blank). */
export function redisUrl(): string | null {
  const raw = process.env.REDIS_URL?.trim();
  return raw ? raw : null;
}

/** What the URL names, for logs and health: host, port and db index, never a password. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    const db = u.pathname.replace(/^\//, '');
    return `${u.hostname}:${u.port || '6379'}${db ? `/${db}` : ''}`;
  } catch {
    return 'REDIS_URL (not a URL)';
  }
}

function state(strapi: Core.Strapi): RedisState {
  const holder = strapi as unknown as { [STATE]?: RedisState };
  holder[STATE] ??= { client: null, extra: new Set() };
  return holder[STATE];
}

/** Logs a connection's errors once per change of state (ioredis reports every failed retry). */
function logErrors(strapi: Core.Strapi, client: Redis, role: string, url: string): void {
  let lastMessage = '';
  client.on('error', (error: Error) => {
    if (error.message === lastMessage) return;
    lastMessage = error.message;
    strapi.log.warn(`[platform] Redis (${role}, ${describeRedisUrl(url)}): ${error.message}`);
  });
  client.on('ready', () => {
    if (lastMessage) strapi.log.info(`[platform] Redis (${role}, ${describeRedisUrl(url)}) connected again`);
    lastMessage = '';
  });
}

/**
 * Options of every connection: reconnect for ever (at most 2 s apart); a command fails after one
 * failed reconnection instead of waiting for ever, so a request that needs Redis falls back
 * (rate limits) or logs (broadcast) rather than hangs.
 */
const OPTIONS: RedisOptions = {
  connectTimeout: 2000,
  maxRetriesPerRequest: 1,
  retryStrategy: (attempt: number) => Math.min(100 * attempt, 2000),
};

/** The shared command connection of this app, or null without `REDIS_URL` (opened on first use). */
export function platformRedis(strapi: Core.Strapi): Redis | null {
  const url = redisUrl();
  if (!url) return null;
  const s = state(strapi);
  if (!s.client) {
    s.client = new Redis(url, { ...OPTIONS, connectionName: 'kp-commands' });
    logErrors(strapi, s.client, 'commands', url);
  }
  return s.client;
}

/** Another connection to the same Redis (a subscriber cannot send commands), closed with the app's. */
export function extraRedisConnection(strapi: Core.Strapi, role: string, options: RedisOptions = {}): Redis {
  const url = redisUrl();
  if (!url) throw new Error(`[platform] ${role}: REDIS_URL is not set`);
  const client = new Redis(url, { ...OPTIONS, connectionName: `kp-${role}`, ...options });
  logErrors(strapi, client, role, url);
  state(strapi).extra.add(client);
  return client;
}

/** Waits until `client` is ready, at most `ms`; says whether it is. */
export function redisReady(client: Redis, ms: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    timer.unref();
    client.on('ready', onReady);
  });
}

/** Closes every Redis connection of this app (destroy). */
export async function closePlatformRedis(strapi: Core.Strapi): Promise<void> {
  const s = state(strapi);
  const all = [...s.extra, ...(s.client ? [s.client] : [])];
  s.extra.clear();
  s.client = null;
  await Promise.all(
    all.map(async (client) => {
      try {
        if (client.status === 'ready') await client.quit();
        else client.disconnect();
      } catch {
        client.disconnect();
      }
    })
  );
}

/** The longest prefix accepted: PostgreSQL channel names are at most 63 bytes (`<prefix>broadcast`). */
export const MAX_PREFIX_LENGTH = 48;

/**
 * The prefix of every Redis channel and key of this app, and of its PostgreSQL notification
 * channel: `BROADCAST_PREFIX`, else derived from the database, so that apps and test runs on one
 * Redis never hear each other: `kp:<database>:` on PostgreSQL (`kp:<database>.<schema>:` outside
 * `public`), `kp:sqlite-<hash of the file path>:` on SQLite.
 */
export function platformPrefix(strapi: Core.Strapi): string {
  const explicit = process.env.BROADCAST_PREFIX?.trim();
  if (explicit) {
    if (explicit.length > MAX_PREFIX_LENGTH || !/^[A-Za-z0-9:._-]+$/.test(explicit)) {
      throw new Error(`BROADCAST_PREFIX must be 1–${MAX_PREFIX_LENGTH} characters of letters, digits and : . _ - (got "${explicit}")`);
    }
    return explicit;
  }
  const connection = (strapi.config.get('database.connection') ?? {}) as { client?: string; connection?: Record<string, unknown> };
  const conn = connection.connection ?? {};
  let identity: string;
  if (connection.client === 'postgres') {
    let database = typeof conn.database === 'string' ? conn.database : 'strapi';
    if (typeof conn.connectionString === 'string' && conn.connectionString) {
      try {
        database = decodeURIComponent(new URL(conn.connectionString).pathname.replace(/^\//, '')) || database;
      } catch {
        /* not a URL: keep the parts */
      }
    }
    const schema = typeof conn.schema === 'string' && conn.schema !== 'public' ? `.${conn.schema}` : '';
    identity = `${database}${schema}`.replace(/[^A-Za-z0-9._-]/g, '_');
  } else {
    identity = `sqlite-${fnv1a(String(conn.filename ?? '')).toString(36)}`;
  }
  const prefix = `kp:${identity}:`;
  return prefix.length <= MAX_PREFIX_LENGTH ? prefix : `kp:${identity.slice(0, 30)}-${fnv1a(identity).toString(36)}:`;
}

/** `PING` on the command connection: ok, or degraded (the platform falls back; see scale-out.ts). */
export function checkRedis(strapi: Core.Strapi): Promise<DependencyCheck> {
  const url = redisUrl();
  if (!url) return Promise.resolve({ name: 'redis', status: 'ok', detail: 'not configured (REDIS_URL unset)' });
  const where = describeRedisUrl(url);
  return runCheck('redis', async () => {
    const client = platformRedis(strapi)!;
    if (client.status !== 'ready') {
      return { status: 'degraded', detail: `${where} unreachable (${client.status}): rate limits are per instance, broadcasts from this instance are lost until it returns` };
    }
    const started = performance.now();
    const answer = await client.ping();
    const ms = performance.now() - started;
    if (answer !== 'PONG') return { status: 'degraded', detail: `${where} answered PING with ${answer}` };
    return ms > 250 ? { status: 'degraded', detail: `${where} slow: PING took ${Math.round(ms)} ms` } : { status: 'ok', detail: where };
  }).then((check) =>
    // A timeout or an error of the PING is not an outage of the platform: it falls back.
    check.status === 'down' ? { ...check, status: 'degraded', detail: `${where}: ${check.detail ?? 'no answer'} (rate limits fall back to per instance)` } : check
  );
}
