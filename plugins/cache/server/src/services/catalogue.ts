/**
 * The catalogue cache: anonymous reads of the published catalogue, answered from a store
 * (catalogue-store.ts) under the normalised query (domain/catalogue-key.ts), dropped as a whole
 * on any change of what it holds (services/invalidation.ts) on every instance.
 */
import type { Core } from '@strapi/strapi';
import { broadcast, platformCounter, platformGauge } from '@kp/platform';
import { catalogueKey, type KeyDecision, type KeyDefaults } from '../domain/catalogue-key';
import { memoryStore, redisStore, type CachedResponse, type CatalogueStore, type Lookup } from './catalogue-store';
import { instanceId, pluginConfig } from '../utils';

export type CacheOutcome = 'hit' | 'miss' | 'bypass' | 'error';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let store: CatalogueStore | null = null;
  let defaults: KeyDefaults = { prefix: '/api', defaultLocale: 'en', defaultPageSize: 25 };
  let lastErrorLog = 0;
  const requests = platformCounter(strapi, {
    name: 'kp_cache_catalogue_requests_total',
    help: 'Catalogue reads by cache outcome: hit, miss (looked up, answered by Strapi), bypass (not cacheable: a user, a draft parameter, another route), error (the store failed)',
    labelNames: ['outcome'],
  });
  const drops = platformCounter(strapi, {
    name: 'kp_cache_catalogue_drops_total',
    help: 'Times the whole catalogue namespace was dropped, by where the change happened',
    labelNames: ['origin'],
  });
  platformGauge(strapi, {
    name: 'kp_cache_catalogue_entries',
    help: 'Entries in this instance’s memory catalogue cache (absent with Redis)',
    collect() {
      const n = store?.size();
      if (typeof n === 'number') this.set(n);
    },
  });

  function logError(what: string, err: unknown): void {
    // At most one line per 10 s: a Redis that is away would otherwise log on every request.
    const now = Date.now();
    if (now - lastErrorLog < 10_000) return;
    lastErrorLog = now;
    strapi.log.warn(`[cache] catalogue ${what} failed (the read goes uncached): ${err instanceof Error ? err.message : String(err)}`);
  }

  async function refreshDefaults(): Promise<void> {
    const prefix = String(strapi.config.get('api.rest.prefix', '/api')).replace(/\/+$/, '') || '/api';
    const defaultPageSize = Number(strapi.config.get('api.rest.defaultLimit', 25)) || 25;
    let defaultLocale = defaults.defaultLocale;
    try {
      const locales = strapi.plugin('i18n')?.service('locales') as { getDefaultLocale(): Promise<string | null> } | undefined;
      defaultLocale = (await locales?.getDefaultLocale()) ?? defaultLocale;
    } catch (err) {
      strapi.log.warn(`[cache] could not read the default locale: ${err instanceof Error ? err.message : String(err)}`);
    }
    defaults = { prefix, defaultLocale, defaultPageSize };
  }

  return {
    enabled(): boolean {
      return store !== null;
    },

    storeName(): 'memory' | 'redis' | 'off' {
      return store?.name ?? 'off';
    },

    async init(): Promise<void> {
      if (!pluginConfig(strapi, 'catalogueEnabled')) return;
      await refreshDefaults();
      const ttlMs = pluginConfig(strapi, 'catalogueTtlSeconds') * 1000;
      const maxBytes = pluginConfig(strapi, 'catalogueMaxBytes');
      const url = pluginConfig(strapi, 'redisUrl');
      store = url
        ? redisStore({ url, prefix: pluginConfig(strapi, 'redisPrefix'), ttlMs, maxBytes, onError: (err) => logError('Redis', err) })
        : memoryStore({ ttlMs, maxBytes });
    },

    async close(): Promise<void> {
      const s = store;
      store = null;
      await s?.close();
    },

    decide(req: Parameters<typeof catalogueKey>[0]): KeyDecision {
      return catalogueKey(req, defaults);
    },

    count(outcome: CacheOutcome): void {
      requests.inc({ outcome });
    },

    async lookup(key: string): Promise<Lookup> {
      if (!store) return { generation: null, entry: null };
      try {
        return await store.lookup(key);
      } catch (err) {
        logError('lookup', err);
        return { generation: null, entry: null };
      }
    },

    /** Stores an anonymous 200 response; never throws, never waits for the store. */
    save(key: string, generation: string, entry: CachedResponse): void {
      if (!store) return;
      if (Buffer.byteLength(entry.body) > pluginConfig(strapi, 'catalogueMaxEntryBytes')) return;
      store.save(key, generation, entry).catch((err: unknown) => logError('save', err));
    },

    /** Drops this store's namespace (for every instance when the store is Redis). */
    async dropHere(origin: 'local' | 'remote'): Promise<void> {
      if (!store) return;
      drops.inc({ origin });
      try {
        if (origin === 'remote') store.droppedElsewhere();
        else await store.dropAll();
      } catch (err) {
        logError('drop', err);
      }
      // The default locale may be what changed.
      await refreshDefaults();
    },

    /** Tells the other instances to drop theirs (after `dropHere('local')`). */
    async broadcastDrop(reason: string): Promise<void> {
      await broadcast(strapi, 'cache.catalogue', { from: instanceId(strapi), reason });
    },

    async ping(): Promise<void> {
      await store?.ping();
    },

    /** Entries held (memory store), null when unknown (Redis) or off. */
    size(): number | null {
      return store?.size() ?? null;
    },
  };
};
