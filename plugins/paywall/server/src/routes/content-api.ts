/**
 * Content-API routes, served under /api/paywall. Authorisation: users-permissions grants the
 * actions declared in config.ts (`rolePermissions`) to each role; the handlers then decide on
 * access to content themselves.
 */
const routes = {
  type: 'content-api' as const,
  routes: [
    {
      method: 'GET',
      path: '/health',
      handler: 'health.check',
      config: { auth: false as const, policies: [] },
    },
    {
      method: 'GET',
      path: '/me/entitlements',
      handler: 'me.entitlements',
      config: { policies: [] },
    },
    {
      method: 'GET',
      path: '/courses/:documentId/access',
      handler: 'access.course',
      config: { policies: [] },
    },
    {
      method: 'GET',
      path: '/media/:fileId',
      handler: 'media.show',
      config: { policies: [] },
    },
  ],
};

export default routes;
