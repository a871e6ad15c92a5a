/**
 * Content-API routes. `prefix: ''` puts them at /api/progress… and /api/certificates… instead
 * of /api/learning/… (the paths the issue specifies). None is `auth: false` except health: the
 * learner's routes need `ctx.state.user`, and verification goes through the role permissions
 * declared in config.ts (public and every logged-in role), so an administrator can close it.
 */
const routes = [
  { method: 'GET', path: '/health', handler: 'health.check', config: { auth: false as const, policies: [] } },
  { method: 'POST', path: '/progress', handler: 'progress.record', config: { prefix: '', policies: [] } },
  { method: 'GET', path: '/progress/me', handler: 'progress.me', config: { prefix: '', policies: [] } },
  { method: 'GET', path: '/progress/courses/:documentId', handler: 'progress.course', config: { prefix: '', policies: [] } },
  { method: 'GET', path: '/certificates/me', handler: 'certificates.me', config: { prefix: '', policies: [] } },
  { method: 'GET', path: '/certificates/:code', handler: 'certificates.verify', config: { prefix: '', policies: [] } },
  { method: 'GET', path: '/certificates/:code/pdf', handler: 'certificates.pdf', config: { prefix: '', policies: [] } },
];

export default {
  type: 'content-api' as const,
  routes,
};
