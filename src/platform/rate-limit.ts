/**
 * Rate limits that hold across instances, on `rate-limiter-flexible`:
 * - `REDIS_URL` set → `RateLimiterRedis` (one atomic Lua script per hit);
 * - else on PostgreSQL → `RateLimiterPostgres` (one upsert per hit in the table `kp_rate_limits`,
 *   which it creates; several instances on one database share it);
 * - else (SQLite, one instance) → `RateLimiterMemory`.
 * A store that fails (Redis down, a database error) falls back to an in-memory limiter of the
 * same size for this instance (the library's insurance limiter): a request is never refused or
 * failed because the counter's store is unavailable.
 *
 * `platformRateLimiter(strapi, { name, points, durationSeconds })` gives the limiter (one per name
 * and size per app); `limiter.enforce(ctx, key, message)` answers 429 with `Retry-After`.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { Knex } from 'knex';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { httpError } from './http';
import { platformPrefix, platformRedis } from './redis';
import { platformCounter } from './metrics';

export interface RateLimitSpec {
  /** Names the counters (`recommender-events`, `auth`…); part of every key. */
  name: string;
  /** Hits allowed per window. */
  points: number;
  durationSeconds: number;
}

export type RateLimitStore = 'redis' | 'postgres' | 'memory';

export type RateLimitDecision =
  | { allowed: true; consumed: number; remaining: number; resetMs: number }
  | { allowed: false; consumed: number; retryAfterMs: number };

export interface PlatformRateLimiter {
  readonly spec: RateLimitSpec;
  readonly store: RateLimitStore;
  /** Counts `weight` hits for `key` (a learner id, an address…). */
  consume(key: string, weight?: number): Promise<RateLimitDecision>;
  /** Gives back `weight` hits (a request that should not have counted). */
  reward(key: string, weight?: number): Promise<void>;
  /**
   * Counts one hit; over the limit, sets `Retry-After` on `ctx` and throws a 429 whose message is
   * `message(retryAfterSeconds)`.
   */
  enforce(ctx: Context, key: string, message: (retryAfterSeconds: number) => string): Promise<void>;
}

export const RATE_LIMIT_TABLE = 'kp_rate_limits';

interface RateLimitState {
  limiters: Map<string, PlatformRateLimiter>;
  /** On PostgreSQL: the table exists (created once per app by the first limiter). */
  table: Promise<void> | null;
  sweeper: NodeJS.Timeout | null;
}

const STATE = Symbol.for('platform.rate-limit');

function state(strapi: Core.Strapi): RateLimitState {
  const holder = strapi as unknown as { [STATE]?: RateLimitState };
  holder[STATE] ??= { limiters: new Map(), table: null, sweeper: null };
  return holder[STATE];
}

/** Which store the limiters of this app use (see the top of this file). */
export function rateLimitStore(strapi: Core.Strapi): RateLimitStore {
  if (platformRedis(strapi)) return 'redis';
  const client = (strapi.config.get('database.connection') as { client?: string } | undefined)?.client;
  return client === 'postgres' ? 'postgres' : 'memory';
}

function pgSchema(strapi: Core.Strapi): string {
  const schema = (strapi.config.get('database.connection.connection') as { schema?: unknown } | undefined)?.schema;
  return typeof schema === 'string' && schema ? schema : 'public';
}

const SWEEP_MS = 10 * 60_000;

function postgresLimiter(strapi: Core.Strapi, options: ConstructorParameters<typeof RateLimiterPostgres>[0]): { limiter: RateLimiterPostgres; ready: Promise<void> } {
  const s = state(strapi);
  let limiter!: RateLimiterPostgres;
  // The library creates its table (CREATE TABLE IF NOT EXISTS; a concurrent creation by another
  // instance is tolerated) and reports through the callback.
  const ready = new Promise<void>((resolve, reject) => {
    limiter = new RateLimiterPostgres({ ...options, tableCreated: false }, (error?: Error) => (error ? reject(error) : resolve()));
  });
  s.table ??= ready.then(() => {
    // Expired rows are deleted here, every 10 minutes, rather than by a timer per limiter.
    s.sweeper = setInterval(() => {
      const knex = strapi.db.connection as unknown as Knex;
      knex
        .withSchema(pgSchema(strapi))
        .table(RATE_LIMIT_TABLE)
        .where('expire', '<', Date.now() - 60_000)
        .delete()
        .catch((error: Error) => strapi.log.warn(`[platform] clearing expired rate-limit rows failed: ${error.message}`));
    }, SWEEP_MS);
    s.sweeper.unref();
  });
  return { limiter, ready };
}

function hits(strapi: Core.Strapi) {
  return platformCounter<'limit' | 'outcome'>(strapi, {
    name: 'kp_rate_limit_hits_total',
    help: 'Requests counted by a rate limit: allowed or limited (answered 429)',
    labelNames: ['limit', 'outcome'],
  });
}

/** The limiter `spec` on this app's store (the same object when asked again with the same spec). */
export function platformRateLimiter(strapi: Core.Strapi, spec: RateLimitSpec): PlatformRateLimiter {
  if (!/^[a-z0-9-]+$/.test(spec.name)) throw new Error(`rate limit name "${spec.name}": lower-case letters, digits and - only`);
  if (!Number.isInteger(spec.points) || spec.points < 1) throw new Error(`rate limit ${spec.name}: points must be a positive integer`);
  if (!Number.isInteger(spec.durationSeconds) || spec.durationSeconds < 1) throw new Error(`rate limit ${spec.name}: durationSeconds must be a positive integer`);
  const s = state(strapi);
  const id = `${spec.name}:${spec.points}:${spec.durationSeconds}`;
  const existing = s.limiters.get(id);
  if (existing) return existing;

  const store = rateLimitStore(strapi);
  const keyPrefix = `${platformPrefix(strapi)}rl:${id}`;
  const base = { keyPrefix, points: spec.points, duration: spec.durationSeconds };
  const insuranceLimiter = new RateLimiterMemory(base);
  let limiter: RateLimiterAbstract;
  let ready: Promise<void> = Promise.resolve();
  if (store === 'redis') {
    limiter = new RateLimiterRedis({ ...base, storeClient: platformRedis(strapi), rejectIfRedisNotReady: true, insuranceLimiter });
  } else if (store === 'postgres') {
    const made = postgresLimiter(strapi, {
      ...base,
      storeClient: strapi.db.connection,
      storeType: 'knex',
      tableName: RATE_LIMIT_TABLE,
      schemaName: pgSchema(strapi),
      clearExpiredByTimeout: false,
      insuranceLimiter,
    });
    limiter = made.limiter;
    ready = made.ready.catch((error: Error) => {
      strapi.log.error(`[platform] the rate-limit table ${RATE_LIMIT_TABLE} could not be created (${error.message}): ${spec.name} is counted per instance`);
      limiter = insuranceLimiter;
    });
  } else {
    limiter = insuranceLimiter;
  }

  const consume = async (key: string, weight = 1): Promise<RateLimitDecision> => {
    await ready;
    try {
      const res = await limiter.consume(key, weight);
      return { allowed: true, consumed: res.consumedPoints, remaining: res.remainingPoints, resetMs: res.msBeforeNext };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, consumed: rejection.consumedPoints, retryAfterMs: rejection.msBeforeNext };
      // Neither the store nor the insurance answered: let the request through, say so.
      strapi.log.error(`[platform] rate limit ${spec.name} failed (${rejection instanceof Error ? rejection.message : String(rejection)}): request allowed`);
      return { allowed: true, consumed: 0, remaining: spec.points, resetMs: 0 };
    }
  };

  const made: PlatformRateLimiter = {
    spec,
    store,
    consume,
    async reward(key, weight = 1) {
      await ready;
      await limiter.reward(key, weight).catch(() => undefined);
    },
    async enforce(ctx, key, message) {
      const decision = await consume(key);
      hits(strapi).inc({ limit: spec.name, outcome: decision.allowed ? 'allowed' : 'limited' });
      if (decision.allowed) return;
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      ctx.set('Retry-After', String(seconds));
      throw httpError(429, message(seconds), { retryAfterSeconds: seconds, limit: spec.points, windowSeconds: spec.durationSeconds });
    },
  };
  s.limiters.set(id, made);
  return made;
}

/** Stops the sweeper of expired rows and forgets the limiters (destroy). */
export function closeRateLimits(strapi: Core.Strapi): void {
  const s = state(strapi);
  if (s.sweeper) clearInterval(s.sweeper);
  s.sweeper = null;
  s.limiters.clear();
  s.table = null;
}
