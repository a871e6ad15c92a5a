export const PLUGIN_ID = 'checkout';

/** Admin RBAC actions, as registered by the server (server/src/register.ts). */
export const PERMISSIONS = {
  read: [{ action: 'plugin::checkout.orders.read', subject: null }],
  refund: [{ action: 'plugin::checkout.orders.refund', subject: null }],
  all: [
    { action: 'plugin::checkout.orders.read', subject: null },
    { action: 'plugin::checkout.orders.refund', subject: null },
  ],
  events: [{ action: 'plugin::checkout.webhook-events.retry', subject: null }],
};

/** `checkout.<key>`: the prefix every translation key of this plugin carries. */
export const t = (key: string) => `${PLUGIN_ID}.${key}`;
