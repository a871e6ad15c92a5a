export const PLUGIN_ID = 'community';

/** Admin RBAC actions, as registered by the server (server/src/register.ts). */
export const PERMISSIONS = {
  read: [{ action: 'plugin::community.read', subject: null }],
  all: [
    { action: 'plugin::community.read', subject: null },
    { action: 'plugin::community.moderate', subject: null },
  ],
};

/** `community.<key>`: the prefix every translation key of this plugin carries. */
export const t = (key: string) => `${PLUGIN_ID}.${key}`;
