import type { Core } from '@strapi/strapi';
import { checkDatabase, pluginHealth, type DependencyCheck } from '@kp/platform';
import { getService } from '../utils';

/**
 * The database, and delivery: without SMTP_HOST messages are captured in the outbox — what
 * development and the demo want, a problem in production (degraded, naming the variable).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  status() {
    const capturing = getService(strapi, 'outbox').capturing();
    const delivery: DependencyCheck = !capturing
      ? { name: 'smtp', status: 'ok', detail: 'messages are sent over SMTP (the server is not contacted by a health check)' }
      : process.env.NODE_ENV === 'production'
        ? { name: 'smtp', status: 'degraded', detail: 'SMTP_HOST is not set: messages are captured in the outbox, not delivered' }
        : { name: 'smtp', status: 'ok', detail: 'SMTP_HOST is not set: messages are captured in the outbox (development)' };
    return pluginHealth('notifications', [checkDatabase(strapi), delivery], { delivery: capturing ? 'capture' : 'smtp' });
  },
});
