/**
 * Health of a plugin, from the dependencies it needs: each check says `ok`, `degraded` (works, but
 * something an operator should fix — Stripe not configured, the recommender index not built yet)
 * or `down` (requests that need it fail). A plugin's status is the worst of its checks. Every
 * plugin's `GET /api/<plugin>/health` answers with `pluginHealth(...)`; the operations plugin
 * gathers them into one answer and into the metrics.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { definedRoutes } from './routes';

export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface DependencyCheck {
  /** What was checked: `database`, `stripe`, `storage`, `index`, `redis`… */
  name: string;
  status: HealthStatus;
  /** One sentence for an operator; never a secret. */
  detail?: string;
  /** How long the check took, when it talked to something. */
  latencyMs?: number;
}

export interface PluginHealth {
  plugin: string;
  status: HealthStatus;
  details: { checks: DependencyCheck[] } & Record<string, unknown>;
}

const RANK: Record<HealthStatus, number> = { ok: 0, degraded: 1, down: 2 };

/** The worst status of `checks` (`ok` when there is none). */
export function worstStatus(checks: ReadonlyArray<{ status: HealthStatus }>): HealthStatus {
  let worst: HealthStatus = 'ok';
  for (const c of checks) if (RANK[c.status] > RANK[worst]) worst = c.status;
  return worst;
}

/** Runs `check`, turning a throw or a timeout into a `down` answer naming the error. */
export async function runCheck(name: string, check: () => Promise<Omit<DependencyCheck, 'name'>>, timeoutMs = 2000): Promise<DependencyCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { name, latencyMs: Math.round((performance.now() - started) * 10) / 10, ...result };
  } catch (error) {
    return { name, status: 'down', detail: error instanceof Error ? error.message : String(error), latencyMs: Math.round(performance.now() - started) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** One round trip to the database (`select 1`) on a pool connection. */
export function checkDatabase(strapi: Core.Strapi): Promise<DependencyCheck> {
  return runCheck('database', async () => {
    await (strapi.db.connection as unknown as Knex).raw('select 1');
    return { status: 'ok', detail: strapi.db.dialect.client };
  });
}

/** A plugin's health answer: its checks, the worst of them, and anything else it reports. */
export async function pluginHealth(
  plugin: string,
  checks: ReadonlyArray<Promise<DependencyCheck> | DependencyCheck>,
  extra: Record<string, unknown> = {}
): Promise<PluginHealth> {
  const done = await Promise.all(checks);
  return { plugin, status: worstStatus(done), details: { ...extra, checks: done } };
}

/** What every plugin with the kernel's health route provides as its `health` service. */
export interface HealthService {
  status(): Promise<PluginHealth>;
}

/**
 * The controller of the kernel's health route (`healthRoute`, handler `health.check`): the
 * plugin's `health` service answers. A plugin's `controllers/health.ts` is `healthController('<name>')`.
 */
export function healthController(plugin: string) {
  return ({ strapi }: { strapi: Core.Strapi }) => ({
    async check(ctx: { body: unknown }): Promise<void> {
      const service = strapi.plugin(plugin).service('health') as HealthService;
      ctx.body = await service.status();
    },
  });
}

/** Each loaded plugin that defines the kernel's `GET /health` route (`healthRoute`), with its health service. */
export function healthServices(strapi: Core.Strapi): Array<{ plugin: string; service: HealthService }> {
  const plugins = new Set(definedRoutes().filter((r) => r.type === 'content-api' && r.spec.handler === 'health.check').map((r) => r.plugin));
  const out: Array<{ plugin: string; service: HealthService }> = [];
  for (const plugin of [...plugins].sort()) {
    const service = (strapi.plugin(plugin) as { service(n: string): unknown } | undefined)?.service('health') as HealthService | undefined;
    if (service && typeof service.status === 'function') out.push({ plugin, service });
  }
  return out;
}

/** The request id of work that continues a request outside it (a webhook applied by the inbox worker). */
const carriedRequestId = new AsyncLocalStorage<string>();

/**
 * Runs `fn` with `requestId` as the current request id (outside any HTTP request): the checkout
 * inbox worker applies an event under the id of the request that received it.
 */
export function runWithRequestId<T>(requestId: string | null | undefined, fn: () => T): T {
  return requestId ? carriedRequestId.run(requestId, fn) : fn();
}

/**
 * The id of the HTTP request being served (the operations plugin's `X-Request-Id`), or the one
 * carried by `runWithRequestId`, for log lines written deep inside a service: a webhook's receipt
 * and its effects carry the same id.
 */
export function currentRequestId(strapi: Core.Strapi): string | undefined {
  const carried = carriedRequestId.getStore();
  if (carried) return carried;
  const ctx = strapi.requestContext.get() as { state?: { requestId?: unknown } } | undefined;
  return typeof ctx?.state?.requestId === 'string' ? ctx.state.requestId : undefined;
}
