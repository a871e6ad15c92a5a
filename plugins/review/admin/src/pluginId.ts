export const PLUGIN_ID = 'review';

/** Admin RBAC actions, as registered by the server (server/src/register.ts). */
export const PERMISSIONS = {
  read: [{ action: 'plugin::review.read', subject: null }],
  all: [
    { action: 'plugin::review.read', subject: null },
    { action: 'plugin::review.approve', subject: null },
    { action: 'plugin::review.request-changes', subject: null },
    { action: 'plugin::review.assign', subject: null },
  ],
};

/** `review.<key>`: the prefix every translation key of this plugin carries. */
export const t = (key: string) => `${PLUGIN_ID}.${key}`;
