/** Admin-panel routes, served under /recommender, each behind an RBAC action (register.ts). */
export const INDEX_READ = 'plugin::recommender.index.read';
export const INDEX_REBUILD = 'plugin::recommender.index.rebuild';

const policies = (action: string) => ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }];

const routes = {
  type: 'admin' as const,
  routes: [
    {
      method: 'GET',
      path: '/index',
      handler: 'index-admin.status',
      config: { policies: policies(INDEX_READ) },
    },
    {
      method: 'POST',
      path: '/index/rebuild',
      handler: 'index-admin.rebuild',
      config: { policies: policies(INDEX_REBUILD) },
    },
  ],
};

export default routes;
