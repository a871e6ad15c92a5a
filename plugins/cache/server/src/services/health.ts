import type { Core } from '@strapi/strapi';
import { checkDatabase, pluginHealth, runCheck } from '@kp/platform';
import { getService, pluginConfig } from '../utils';

/**
 * The kernel's health service. The catalogue store is checked with one round trip (Redis `PING`;
 * memory always answers). An unreachable store is `degraded`, not `down`: the middleware then
 * computes every response as if the cache were off, so reads keep working, only slower.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  status() {
    const catalogue = getService(strapi, 'catalogue');
    const store = catalogue.storeName();
    const storeCheck = runCheck('store', async () => {
      if (store === 'off') return { status: 'ok', detail: 'catalogue cache off (CATALOGUE_CACHE=false): every read is computed' };
      try {
        await catalogue.ping();
      } catch (error) {
        return { status: 'degraded', detail: `${store} store unreachable, reads are computed uncached: ${(error as Error).message}` };
      }
      return { status: 'ok', detail: store === 'redis' ? 'Redis (shared by every instance)' : 'this process’s memory (bounded)' };
    });
    return pluginHealth('cache', [checkDatabase(strapi), storeCheck], {
      store,
      entries: catalogue.size(),
      principalTtlSeconds: pluginConfig(strapi, 'principalTtlSeconds'),
    });
  },
});
