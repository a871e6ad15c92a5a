import type { Core } from '@strapi/strapi';
import config from './config';
import controllers from './controllers';
import middlewares from './middlewares';
import routes from './routes';
import services from './services';
import { installAuthShortcuts } from './services/auth-shortcuts';
import { installInvalidation } from './services/invalidation';
import { getService, pluginConfig } from './utils';

const stops = new WeakMap<object, () => void>();

export default {
  config,
  controllers,
  middlewares,
  routes,
  services,
  register({ strapi }: { strapi: Core.Strapi }) {
    if (pluginConfig(strapi, 'principalTtlSeconds') > 0) installAuthShortcuts(strapi);
  },
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await getService(strapi, 'catalogue').init();
    stops.set(strapi, installInvalidation(strapi));
    const c = getService(strapi, 'catalogue');
    strapi.log.info(`[cache] catalogue cache: ${c.storeName()}; principal cache TTL ${strapi.plugin('cache').config('principalTtlSeconds')} s`);
  },
  async destroy({ strapi }: { strapi: Core.Strapi }) {
    stops.get(strapi)?.();
    await getService(strapi, 'catalogue').close();
  },
};
