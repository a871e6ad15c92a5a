import type { Core } from '@strapi/strapi';

const needsStripe = 'plugin::checkout.stripe-configured';

/** Served under /api/checkout. Learner routes need a users-permissions JWT (see config.ts for the role grants). */
export default {
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/health', handler: 'health.check', config: { auth: false, policies: [] } },
    { method: 'POST', path: '/sessions', handler: 'checkout.createSession', config: { policies: [], middlewares: [needsStripe] } },
    { method: 'POST', path: '/portal', handler: 'checkout.createPortal', config: { policies: [], middlewares: [needsStripe] } },
    { method: 'GET', path: '/orders', handler: 'checkout.listOrders', config: { policies: [], middlewares: [needsStripe] } },
    { method: 'GET', path: '/orders/:id', handler: 'checkout.findOrder', config: { policies: [], middlewares: [needsStripe] } },
    {
      // Stripe calls this: no user, the signature is the authentication.
      method: 'POST',
      path: '/webhook',
      handler: 'webhook.handle',
      config: { auth: false, policies: [], middlewares: ['plugin::checkout.webhook-configured'] },
    },
  ],
} satisfies Core.RouterInput;
