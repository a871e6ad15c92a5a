import type { Core } from '@strapi/strapi';
import { checkBroadcast, checkDatabase, checkRedis, healthServices, pluginHealth, worstStatus, type DependencyCheck, type PluginHealth } from '@kp/platform';

export interface PlatformHealth {
  status: PluginHealth['status'];
  plugins: PluginHealth[];
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * This plugin's own answer: the database it reads for the pool gauge, and how instances agree —
   * the broadcast transport (local, redis or postgres; degraded while reconnecting) and Redis
   * when `REDIS_URL` is set (degraded when it does not answer: rate limits then count per instance).
   */
  status(): Promise<PluginHealth> {
    return pluginHealth('operations', [checkDatabase(strapi), checkBroadcast(strapi), checkRedis(strapi)]);
  },

  /** Every plugin's health, run side by side; the platform is as healthy as its least healthy plugin. */
  async platform(): Promise<PlatformHealth> {
    const plugins = await Promise.all(
      healthServices(strapi).map(async ({ plugin, service }): Promise<PluginHealth> => {
        try {
          return await service.status();
        } catch (error) {
          const check: DependencyCheck = { name: 'health', status: 'down', detail: `the health check threw: ${(error as Error).message}` };
          return { plugin, status: 'down', details: { checks: [check] } };
        }
      })
    );
    return { status: worstStatus(plugins), plugins };
  },
});
