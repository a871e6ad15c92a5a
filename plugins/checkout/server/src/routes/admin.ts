import type { Core } from '@strapi/strapi';

/** RBAC actions this plugin registers (see register.ts); editors get them from a super admin. */
export const ADMIN_ACTIONS = {
  read: 'plugin::checkout.orders.read',
  refund: 'plugin::checkout.orders.refund',
} as const;

const can = (action: string) => ({ name: 'admin::hasPermissions', config: { actions: [action] } });

/** Served under /checkout for the admin panel (admin JWT). */
export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/orders', handler: 'admin-orders.find', config: { policies: ['admin::isAuthenticatedAdmin', can(ADMIN_ACTIONS.read)] } },
    {
      method: 'POST',
      path: '/orders/:id/refund',
      handler: 'admin-orders.refund',
      config: { policies: ['admin::isAuthenticatedAdmin', can(ADMIN_ACTIONS.refund)] },
    },
  ],
} satisfies Core.RouterInput;
