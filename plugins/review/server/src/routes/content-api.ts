/**
 * Instructor routes, served under /api/review. None is `auth: false`: users-permissions checks the
 * caller's role holds `plugin::review.instructor.<action>` (granted to the instructor role only, see
 * config.ts), so learners and the public get 403 before any handler runs.
 */
const routes = [
  { method: 'GET', path: '/health', handler: 'health.check', config: { auth: false as const, policies: [] } },
  { method: 'GET', path: '/courses', handler: 'instructor.listCourses', config: { policies: [] } },
  { method: 'GET', path: '/courses/:documentId', handler: 'instructor.getCourse', config: { policies: [] } },
  { method: 'POST', path: '/courses/:documentId/submit', handler: 'instructor.submit', config: { policies: [] } },
  { method: 'POST', path: '/courses/:documentId/withdraw', handler: 'instructor.withdraw', config: { policies: [] } },
  { method: 'GET', path: '/courses/:documentId/history', handler: 'instructor.history', config: { policies: [] } },
  { method: 'POST', path: '/media', handler: 'instructor.uploadMedia', config: { policies: [] } },
] as const;

export default {
  type: 'content-api' as const,
  routes: routes.map((r) => ({ ...r, config: { ...r.config, policies: [...r.config.policies] } })),
};
