/**
 * The app's Prometheus registry (the kernel's, to which plugins add their own metrics) with what
 * this plugin measures itself: HTTP latency by route and status, the database pool, the health of
 * every plugin, and Node's process metrics.
 */
import type { Core } from '@strapi/strapi';
import { collectDefaultMetrics } from 'prom-client';
import { healthServices, metricsRegistry, platformGauge, platformHistogram, type HealthStatus } from '@kp/platform';

const HEALTH_VALUE: Record<HealthStatus, number> = { ok: 0, degraded: 1, down: 2 };

/** knex's pool (tarn): counts of connections in use, idle, and acquisitions waiting. */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  max?: number;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const registry = metricsRegistry(strapi);
  let started = false;

  const http = platformHistogram(strapi, {
    name: 'kp_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });

  function start(): void {
    if (started) return;
    started = true;
    collectDefaultMetrics({ register: registry, prefix: 'kp_' });
    platformGauge(strapi, {
      name: 'kp_db_pool_connections',
      help: 'Database pool connections: in use, idle, and requests waiting for one',
      labelNames: ['state'],
      collect() {
        const pool = (strapi.db.connection as unknown as { client?: { pool?: TarnPool } }).client?.pool;
        if (!pool) return;
        this.set({ state: 'used' }, pool.numUsed());
        this.set({ state: 'free' }, pool.numFree());
        this.set({ state: 'pending' }, pool.numPendingAcquires());
      },
    });
    platformGauge(strapi, {
      name: 'kp_plugin_health',
      help: 'Health of each plugin from its dependency checks: 0 ok, 1 degraded, 2 down',
      labelNames: ['plugin'],
      async collect() {
        const answers = await Promise.all(healthServices(strapi).map(async ({ plugin, service }) => ({ plugin, health: await service.status() })));
        for (const { plugin, health } of answers) this.set({ plugin }, HEALTH_VALUE[health.status]);
      },
    });
  }

  return {
    start,
    observe(method: string, route: string, status: number, seconds: number): void {
      http.observe({ method, route, status: String(status) }, seconds);
    },
    async exposition(): Promise<{ contentType: string; body: string }> {
      start();
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
};
