import { z } from 'zod';
import { configValidator, envFlag, envNumber, rolePermissionsSchema, type RolePermissions } from '@kp/platform';
import { isTimeZone } from './domain/periods';

export interface PluginConfig {
  /** users-permissions actions this plugin's routes need, granted by the app's bootstrap. */
  rolePermissions: RolePermissions;
  /** The IANA zone reports are bucketed in unless a request names its own. Env: ANALYTICS_TIME_ZONE. */
  timeZone: string;
  /** Days a report covers when the request names no range. Env: ANALYTICS_DEFAULT_DAYS. */
  defaultDays: number;
  /** The most buckets one report may have (day buckets over years are refused). Env: ANALYTICS_MAX_BUCKETS. */
  maxBuckets: number;
  /** Whether the sales, funnel and overview reports read the daily order rollup (in `timeZone`). Env: ANALYTICS_ORDER_ROLLUP (default true). */
  orderRollup: boolean;
  /** How often (ms) each instance folds new order changes into the rollup in the background; 0: only when a report asks. Env: ANALYTICS_ROLLUP_INTERVAL_MS (default 60000). */
  rollupIntervalMs: number;
}

const INSTRUCTOR_ACTIONS = ['plugin::analytics.instructor.sales', 'plugin::analytics.instructor.learning'];

const schema = z.object({
  rolePermissions: rolePermissionsSchema,
  timeZone: z.string().refine(isTimeZone, { message: 'ANALYTICS_TIME_ZONE must be an IANA time zone such as Europe/Berlin' }),
  defaultDays: z.number().int().min(1).max(3660),
  maxBuckets: z.number().int().min(1).max(5000),
  orderRollup: z.boolean(),
  rollupIntervalMs: z.number().int().min(0),
});

export default {
  default: (): PluginConfig => ({
    rolePermissions: { public: [], authenticated: [], instructor: [...INSTRUCTOR_ACTIONS] },
    timeZone: process.env.ANALYTICS_TIME_ZONE || 'UTC',
    defaultDays: envNumber('ANALYTICS_DEFAULT_DAYS', 30),
    maxBuckets: envNumber('ANALYTICS_MAX_BUCKETS', 400),
    orderRollup: envFlag('ANALYTICS_ORDER_ROLLUP', true),
    rollupIntervalMs: envNumber('ANALYTICS_ROLLUP_INTERVAL_MS', 60_000),
  }),
  validator: configValidator('analytics', schema),
};
