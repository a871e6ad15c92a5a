import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async status() {
    const capturing = getService(strapi, 'outbox').capturing();
    return { plugin: 'notifications', status: 'ok' as const, details: { delivery: capturing ? 'capture' : 'smtp' } };
  },
});
