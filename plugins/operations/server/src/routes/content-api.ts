/**
 * `/api/operations/health`: every plugin's dependency checks in one answer. Public like each
 * plugin's own health route: it names dependencies and their state, never a secret or a host.
 * (`/metrics` is not a content-API route: the http middleware serves it, token-protected.)
 */
import { contentApiRoutes, healthRoute, healthResponseSchema, route } from '@kp/platform';
import { z } from 'zod';

export const health = healthRoute('Whether the operations plugin is up (its database check)');

export const platformHealth = route({
  method: 'GET',
  path: '/platform-health',
  handler: 'health.platform',
  config: { auth: false, policies: [] },
  summary: 'Health of every plugin: its dependency checks (database, Stripe configuration, recommender index…) and the worst status',
  response: z.object({
    status: z.enum(['ok', 'degraded', 'down']).meta({ description: 'the worst plugin status' }),
    plugins: z.array(healthResponseSchema.loose()),
  }),
  examples: [{ name: 'every plugin', as: 'anonymous', status: 200 }],
});

export default contentApiRoutes('operations', [health, platformHealth]);
