/**
 * users-permissions' auth rate limit (login, register, forgot/reset password…) and the admin
 * panel's login limit counted by the
 * kernel's shared rate limits instead of its per-process memory: users-permissions runs
 * koa2-ratelimit, whose config takes a `store` (`plugin::users-permissions.ratelimit.store`); this
 * store hands every hit to `platformRateLimiter` (Redis, PostgreSQL or memory: src/platform/rate-limit.ts),
 * so N instances allow the limit, not N× it. Its keys stay users-permissions' own (path, address
 * and, on some routes, the e-mail), and its sizes too (`ratelimit.max` per `ratelimit.interval`,
 * default 5 per 5 minutes).
 *
 * koa2-ratelimit answers a limited request with a bare "Too many requests" and no `Retry-After`:
 * `authRetryAfter` (an app middleware) adds the header and names the limit in the message.
 */
import { createRequire } from 'node:module';
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { platformRateLimiter, type PlatformRateLimiter } from '@kp/platform';

interface KoaRateLimitOptions {
  interval: number;
  max: number;
}

type StoreBase = new () => object;

/** koa2-ratelimit as users-permissions loads it (its `instanceof Store` check needs that very class). */
function koaRateLimitStore(owner: string): StoreBase {
  const fromOwner = createRequire(require.resolve(`${owner}/package.json`));
  return (fromOwner('koa2-ratelimit') as { Stores: { Store: StoreBase } }).Stores.Store;
}

/** A koa2-ratelimit store over the kernel limiter `name`, of the koa2-ratelimit that `owner` loads. */
export function sharedAuthStore(strapi: Core.Strapi, name = 'auth', owner = '@strapi/plugin-users-permissions'): object {
  const Store = koaRateLimitStore(owner);
  const limiter = (options: KoaRateLimitOptions): PlatformRateLimiter =>
    platformRateLimiter(strapi, { name, points: Math.max(1, Math.floor(options.max)), durationSeconds: Math.max(1, Math.ceil(options.interval / 1000)) });

  class SharedStore extends Store {
    async incr(key: string, options: KoaRateLimitOptions, weight: number): Promise<{ counter: number; dateEnd: number }> {
      const decision = await limiter(options).consume(key, weight);
      const ms = decision.allowed ? decision.resetMs : decision.retryAfterMs;
      return { counter: decision.consumed, dateEnd: Date.now() + ms };
    }

    async decrement(key: string, options: KoaRateLimitOptions, weight: number): Promise<void> {
      await limiter(options).reward(key, weight);
    }

    saveAbuse(): void {}
  }
  return new SharedStore();
}

/**
 * Points users-permissions' rate limit, and the admin panel's login limit (`admin.rateLimit`, the
 * same koa2-ratelimit), at the shared store (app register).
 */
export function shareAuthRateLimit(strapi: Core.Strapi): void {
  const current = (strapi.config.get('plugin::users-permissions.ratelimit') ?? {}) as Record<string, unknown>;
  strapi.config.set('plugin::users-permissions.ratelimit', { ...current, store: sharedAuthStore(strapi) });
  const admin = (strapi.config.get('admin.rateLimit') ?? {}) as Record<string, unknown>;
  strapi.config.set('admin.rateLimit', { ...admin, store: sharedAuthStore(strapi, 'admin-auth', '@strapi/admin') });
}

/** Adds `Retry-After` and a message naming the limit to users-permissions' 429 answers. */
export function authRetryAfter() {
  return async (ctx: Context, next: Next): Promise<void> => {
    await next();
    const rate = ctx.state.rateLimit as { limit?: number; reset?: number } | undefined;
    if (ctx.status !== 429 || !rate || typeof rate.reset !== 'number') return;
    const seconds = Math.max(1, Math.ceil(rate.reset - Date.now() / 1000));
    if (!ctx.response.get('Retry-After')) ctx.set('Retry-After', String(seconds));
    const body = ctx.body as { error?: { name?: string; message?: string; details?: Record<string, unknown> } } | undefined;
    if (body?.error?.name === 'RateLimitError') {
      body.error.message = `Too many attempts on ${ctx.path} from this address (at most ${rate.limit ?? 5} per window). Try again in ${seconds} s.`;
      body.error.details = { ...(body.error.details ?? {}), retryAfterSeconds: seconds };
    }
  };
}
