export const PLUGIN_ID = 'notifications';

/** Admin RBAC actions, as registered by the server (server/src/register.ts). */
export const PERMISSIONS = {
  read: [{ action: 'plugin::notifications.outbox.read', subject: null }],
  all: [
    { action: 'plugin::notifications.outbox.read', subject: null },
    { action: 'plugin::notifications.outbox.resend', subject: null },
    { action: 'plugin::notifications.accounts.manage', subject: null },
  ],
};

/** `notifications.<key>`: the prefix every translation key of this plugin carries. */
export const t = (key: string) => `${PLUGIN_ID}.${key}`;
