import type { Core } from '@strapi/strapi';
import { secretList } from '../src/lib/security/secrets';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => ({
  // Loopback unless told otherwise: a demo or a development checkout is not for the network.
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  proxy: env.bool('IS_PROXIED', false),
  app: {
    keys: secretList(env, 'APP_KEYS'),
  },
  webhooks: {
    populateRelations: env.bool('WEBHOOKS_POPULATE_RELATIONS', false),
  },
  logger: {
    updates: { enabled: false },
    startup: { enabled: env.bool('STARTUP_MESSAGE', true) },
  },
});

export default config;
