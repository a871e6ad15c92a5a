/**
 * Editor routes, served under /review in the admin API. Each needs an admin session and the RBAC
 * action registered in register.ts: reading the queue and each decision are separate permissions.
 */
import { ADMIN_ACTIONS } from '../constants';

const guard = (action: string) => ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }];

export default {
  type: 'admin' as const,
  routes: [
    { method: 'GET', path: '/submissions', handler: 'editor.queue', config: { policies: guard(ADMIN_ACTIONS.read) } },
    { method: 'GET', path: '/submissions/:documentId', handler: 'editor.detail', config: { policies: guard(ADMIN_ACTIONS.read) } },
    { method: 'POST', path: '/submissions/:documentId/approve', handler: 'editor.approve', config: { policies: guard(ADMIN_ACTIONS.approve) } },
    {
      method: 'POST',
      path: '/submissions/:documentId/request-changes',
      handler: 'editor.requestChanges',
      config: { policies: guard(ADMIN_ACTIONS.requestChanges) },
    },
    { method: 'POST', path: '/submissions/:documentId/assign', handler: 'editor.assign', config: { policies: guard(ADMIN_ACTIONS.assign) } },
  ],
};
