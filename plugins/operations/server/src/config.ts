import { z } from 'zod';
import { configValidator, envNumber, rolePermissionsSchema, type RolePermissions } from '@kp/platform';

export interface PluginConfig {
  /** users-permissions actions this plugin's routes need (none: health is open, metrics are not a content-API route). */
  rolePermissions: RolePermissions;
  /** Bearer token that opens `GET /metrics` on the public port. Env: METRICS_TOKEN. Empty: closed there. */
  metricsToken: string;
  /** An internal port serving `GET /metrics` without a token. Env: METRICS_PORT. 0: none. */
  metricsPort: number;
  /** Interface of that port. Env: METRICS_HOST (default 127.0.0.1). */
  metricsHost: string;
}

const schema = z.object({
  rolePermissions: rolePermissionsSchema,
  metricsToken: z.string().refine((t) => t === '' || t.length >= 16, 'METRICS_TOKEN must be at least 16 characters'),
  metricsPort: z.number().int().min(0).max(65535),
  metricsHost: z.string().min(1),
});

export default {
  default: (): PluginConfig => ({
    rolePermissions: { public: [], authenticated: [], instructor: [] },
    metricsToken: process.env.METRICS_TOKEN ?? '',
    metricsPort: envNumber('METRICS_PORT', 0),
    metricsHost: process.env.METRICS_HOST ?? '127.0.0.1',
  }),
  validator: configValidator('operations', schema),
};
