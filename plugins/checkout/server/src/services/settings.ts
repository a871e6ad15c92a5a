import type { Core } from '@strapi/strapi';
import { checkDatabase, pluginHealth, runCheck, type DependencyCheck } from '@kp/platform';
import { readConfig, type StripeSettings } from '../config';
import type { InboxStats } from './inbox';
import { getService } from '../utils';

export type Readiness = { ready: true } | { ready: false; missing: string[] };

/** Which environment settings a route needs, and which of them are missing. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const stripe = (): StripeSettings => readConfig(strapi, 'stripe');

  return {
    stripe,

    /** `checkout`: sessions, portal, orders; `webhook`: also the signing secret. */
    readiness(purpose: 'checkout' | 'webhook'): Readiness {
      const s = stripe();
      const missing: string[] = [];
      if (!s.secretKey) missing.push('STRIPE_SECRET_KEY');
      if (purpose === 'webhook' && !s.webhookSecret) missing.push('STRIPE_WEBHOOK_SECRET');
      return missing.length ? { ready: false, missing } : { ready: true };
    },

    allowedOrigins(): string[] {
      return stripe().allowedOrigins;
    },

    /** Health: the database, whether Stripe is configured (never the secrets themselves), and the webhook inbox (degraded while dead letters exist). */
    async status() {
      const s = stripe();
      const missing = [...(s.secretKey ? [] : ['STRIPE_SECRET_KEY']), ...(s.webhookSecret ? [] : ['STRIPE_WEBHOOK_SECRET'])];
      const stripeCheck: DependencyCheck = missing.length
        ? { name: 'stripe', status: 'degraded', detail: `${missing.join(' and ')} not set: ${s.secretKey ? 'webhooks are refused' : 'checkout answers 503'}` }
        : { name: 'stripe', status: 'ok', detail: 'configured (the API is not called by a health check)' };
      let stats: InboxStats | null = null;
      const inboxCheck = runCheck('inbox', async () => {
        stats = await getService(strapi, 'inbox').stats();
        const age = Math.round(stats.oldestPendingSeconds);
        if (stats.dead > 0) return { status: 'degraded', detail: `${stats.dead} dead-lettered Stripe event${stats.dead === 1 ? '' : 's'}: retry from Orders → Webhook events; ${stats.pending} pending` };
        return { status: 'ok', detail: `${stats.pending} pending${stats.pending ? `, oldest ${age} s` : ''}, no dead letters` };
      });
      const health = await pluginHealth('checkout', [checkDatabase(strapi), stripeCheck, inboxCheck]);
      const inbox = stats as InboxStats | null;
      return {
        ...health,
        inbox: inbox ? { ...inbox, worker: getService(strapi, 'inbox-worker').running() } : null,
        stripe: {
          configured: Boolean(s.secretKey),
          webhookConfigured: Boolean(s.webhookSecret),
          mode: s.secretKey.startsWith('sk_live_') || s.secretKey.startsWith('rk_live_') ? ('live' as const) : s.secretKey ? ('test' as const) : ('off' as const),
          apiBaseOverridden: Boolean(s.apiBase),
        },
      };
    },
  };
};
