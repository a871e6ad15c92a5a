/**
 * Content-API routes. `prefix: ''` serves them at /api/recommendations… instead of
 * /api/recommender/…. None is `auth: false`: users-permissions must read the JWT so that a
 * learner gets a personal list; the actions are granted to roles in config.ts (`rolePermissions`).
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
      path: '/recommendations',
      handler: 'recommendations.find',
      config: { prefix: '', policies: [] },
    },
    {
      method: 'GET',
      path: '/recommendations/courses/:documentId/similar',
      handler: 'recommendations.similar',
      config: { prefix: '', policies: [] },
    },
    {
      method: 'POST',
      path: '/recommendations/events',
      handler: 'events.create',
      config: { prefix: '', policies: [] },
    },
  ],
};

export default routes;
