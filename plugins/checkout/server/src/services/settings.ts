import type { Core } from '@strapi/strapi';
import { readConfig, type StripeSettings } from '../config';

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

    /** Health summary: configured or not, never the secrets themselves. */
    status() {
      const s = stripe();
      return {
        plugin: 'checkout',
        status: 'ok' as const,
        stripe: {
          configured: Boolean(s.secretKey),
          webhookConfigured: Boolean(s.webhookSecret),
          mode: s.secretKey.startsWith('sk_live_') || s.secretKey.startsWith('rk_live_') ? 'live' : s.secretKey ? 'test' : 'off',
          apiBaseOverridden: Boolean(s.apiBase),
        },
      };
    },
  };
};
