/**
 * Where cached catalogue responses live: this process's memory (lru-cache, bounded in bytes) or
 * Redis (ioredis) when `REDIS_URL` is set, shared by every instance.
 *
 * Both work by generation. Every entry carries the generation it was computed under, read BEFORE
 * the request read the database; dropping the namespace moves the generation on. An entry is
 * served only when its generation is the current one, so a response computed from data read
 * before a change committed can never be served after the change has dropped the namespace, even
 * when it is stored afterwards. In Redis the generation is one counter (`INCR` drops the namespace
 * for every instance at once) read with the entry in one `MGET`; old generations' entries expire
 * with their TTL. Each (re)connection to Redis drops the namespace once, since a drop may have
 * failed while Redis was unreachable.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { Redis } from 'ioredis';

export interface CachedResponse {
  status: number;
  type: string;
  body: string;
}

export interface Lookup {
  /** The generation now (null: the store could not be read; nothing is stored then). */
  generation: string | null;
  entry: CachedResponse | null;
}

export interface CatalogueStore {
  readonly name: 'memory' | 'redis';
  lookup(key: string): Promise<Lookup>;
  /** Stores `entry` as computed under `generation` (ignored when the namespace moved on since). */
  save(key: string, generation: string, entry: CachedResponse): Promise<void>;
  /** Drops every entry (moves the generation on). */
  dropAll(): Promise<void>;
  /** Another instance dropped the namespace (memory: drop here too; Redis: already done). */
  droppedElsewhere(): void;
  /** Entries held (memory) or null when unknown (Redis). */
  size(): number | null;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  ttlMs: number;
  maxBytes: number;
}

interface MemoryEntry {
  generation: number;
  entry: CachedResponse;
}

export function memoryStore(options: StoreOptions): CatalogueStore {
  let generation = 0;
  const lru = new LRUCache<string, MemoryEntry>({
    maxSize: options.maxBytes,
    sizeCalculation: (v, k) => Math.max(1, Buffer.byteLength(v.entry.body) + k.length),
    ttl: options.ttlMs,
  });
  const drop = () => {
    generation += 1;
    lru.clear();
  };
  return {
    name: 'memory',
    async lookup(key) {
      const hit = lru.get(key);
      return { generation: String(generation), entry: hit && hit.generation === generation ? hit.entry : null };
    },
    async save(key, gen, entry) {
      if (gen !== String(generation)) return;
      lru.set(key, { generation, entry });
    },
    async dropAll() {
      drop();
    },
    droppedElsewhere: drop,
    size: () => lru.size,
    async ping() {},
    async close() {
      lru.clear();
    },
  };
}

export interface RedisStoreOptions extends StoreOptions {
  url: string;
  /** Prefix of every key this store writes (several apps or test runs may share one Redis). */
  prefix: string;
  onError(err: Error): void;
}

export function redisStore(options: RedisStoreOptions): CatalogueStore {
  const redis = new Redis(options.url, {
    keyPrefix: options.prefix,
    // A request never waits for a Redis that is away: commands fail at once and the read goes uncached.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    lazyConnect: false,
  });
  redis.on('error', (err: Error) => options.onError(err));
  const GEN = 'catalogue:gen';
  // A drop that failed while Redis was away would leave stale entries behind: every (re)connection
  // drops the namespace once.
  redis.on('ready', () => {
    redis.incr(GEN).catch((err: Error) => options.onError(err));
  });
  const entryKey = (key: string) => `catalogue:e:${createHash('sha256').update(key).digest('base64url')}`;
  const ready = () => redis.status === 'ready';
  return {
    name: 'redis',
    async lookup(key) {
      if (!ready()) return { generation: null, entry: null };
      const [gen, raw] = await redis.mget(GEN, entryKey(key));
      const generation = gen ?? '0';
      if (!raw) return { generation, entry: null };
      const stored = JSON.parse(raw) as { g: string; e: CachedResponse };
      return { generation, entry: stored.g === generation ? stored.e : null };
    },
    async save(key, generation, entry) {
      if (!ready()) return;
      await redis.set(entryKey(key), JSON.stringify({ g: generation, e: entry }), 'PX', options.ttlMs);
    },
    async dropAll() {
      await redis.incr(GEN);
    },
    droppedElsewhere() {},
    size: () => null,
    async ping() {
      await redis.ping();
    },
    async close() {
      redis.disconnect();
    },
  };
}
