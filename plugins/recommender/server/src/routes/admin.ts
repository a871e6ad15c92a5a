/** Admin-panel routes, served under /recommender, each behind an RBAC action (register.ts). */
import { adminRoutes, route } from '@kp/platform';
import { z } from 'zod';
import { indexStatusSchema, rebuildResponseSchema } from './schemas';

export const INDEX_READ = 'plugin::recommender.index.read';
export const INDEX_REBUILD = 'plugin::recommender.index.rebuild';

const policies = (action: string) => ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }];
const refusals = (action: string) => ({ 401: 'without an admin token', 403: `the admin's roles lack ${action}` });
const withoutToken = [{ name: 'without an admin token', as: 'anonymous' as const, status: 401 }];

export const statusRoute = route({
  method: 'GET',
  path: '/index',
  handler: 'index-admin.status',
  config: { policies: policies(INDEX_READ) },
  summary: "This instance's recommendation index: state, size, memory, last build per phase",
  response: z.strictObject({ data: indexStatusSchema }),
  errors: refusals(INDEX_READ),
  examples: withoutToken,
});

export const rebuildRoute = route({
  method: 'POST',
  path: '/index/rebuild',
  handler: 'index-admin.rebuild',
  config: { policies: policies(INDEX_REBUILD) },
  summary: 'Rebuilds the index in the background (202); a running build is not started twice',
  status: 202,
  response: rebuildResponseSchema,
  errors: refusals(INDEX_REBUILD),
  examples: withoutToken,
});

export default adminRoutes('recommender', [statusRoute, rebuildRoute]);
