export default {
  type: 'content-api' as const,
  routes: [
    {
      method: 'GET',
      path: '/health',
      handler: 'health.check',
      config: { auth: false as const, policies: [] },
    },
  ],
};
