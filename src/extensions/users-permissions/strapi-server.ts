import type { Core } from '@strapi/strapi';
import { hardenAuthController, type AuthController } from '../../lib/security/account-recovery';

type ControllerFactory = (deps: { strapi: Core.Strapi }) => AuthController;

interface AuthStrategy {
  name: string;
  authenticate(ctx: unknown): Promise<unknown>;
  verify?(auth: unknown, config: unknown): unknown;
}

interface AuthRegistry {
  register(type: string, strategy: AuthStrategy): unknown;
}

interface PrincipalCache {
  authenticate(ctx: unknown, original: (ctx: unknown) => Promise<unknown>): Promise<unknown>;
}

/**
 * users-permissions' content-API strategy, with its `authenticate` handed to the cache plugin's
 * principal cache (plugins/cache: user, role and ability kept per instance, dropped on every
 * change) when that plugin is loaded. The strategy keeps its name and `verify`; the plugin's own
 * `authenticate` is what the cache falls back on.
 */
function cachedStrategy(strapi: Core.Strapi, strategy: AuthStrategy): AuthStrategy {
  const original = strategy.authenticate.bind(strategy);
  return {
    ...strategy,
    name: strategy.name,
    authenticate(ctx: unknown) {
      const cache = strapi.plugin('cache')?.service('principals') as PrincipalCache | undefined;
      return cache ? cache.authenticate(ctx, original) : original(ctx);
    },
  };
}

/**
 * users-permissions, extended: its auth routes answer the same for known and unknown accounts,
 * and none fails on a path spelling (src/lib/security/account-recovery.ts); its content-API
 * strategy reads principals through the cache plugin. Its code is wrapped, not copied.
 */
export default (plugin: { controllers: Record<string, ControllerFactory>; register: (deps: { strapi: Core.Strapi }) => unknown }) => {
  const original = plugin.controllers.auth!;
  plugin.controllers.auth = ({ strapi }) => hardenAuthController(strapi, original({ strapi }));

  const register = plugin.register;
  plugin.register = ({ strapi }) => {
    // The plugin registers its strategy in its register(): the registration is intercepted for
    // that one call so that the registry holds the wrapped strategy.
    const auth = strapi.get('auth') as AuthRegistry;
    const registerStrategy = auth.register;
    auth.register = function (type, strategy) {
      const s = type === 'content-api' && strategy.name === 'users-permissions' ? cachedStrategy(strapi, strategy) : strategy;
      return registerStrategy.call(this, type, s);
    };
    try {
      return register({ strapi });
    } finally {
      auth.register = registerStrategy;
    }
  };
  return plugin;
};
