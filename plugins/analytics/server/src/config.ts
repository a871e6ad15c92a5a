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
  /** When the behaviour models retrain in the background (a strapi.cron rule); '' turns it off. Env: ANALYTICS_BEHAVIOUR_CRON (default '30 3 * * *', 03:30 daily). */
  behaviourCron: string;
  /** Days ahead the churn and propensity models predict. Env: ANALYTICS_BEHAVIOUR_HORIZON_DAYS (default 14). */
  behaviourHorizonDays: number;
  /** A learner counts as active (churn population, at-risk list) with an interaction in this many days before the cut-off. Env: ANALYTICS_BEHAVIOUR_ACTIVE_DAYS (default 60). */
  behaviourActiveDays: number;
  /** How long (ms) the scores of one model version are reused before the features are read again. Env: ANALYTICS_BEHAVIOUR_SCORE_TTL_MS (default 600000). */
  behaviourScoreTtlMs: number;
  /** Learner segments (k of k-means). Env: ANALYTICS_BEHAVIOUR_SEGMENTS (default 4). */
  behaviourSegments: number;
  /** Train in a forked child process with its own database connection (keeps the training's memory out of Strapi's process); false trains in process. Env: ANALYTICS_BEHAVIOUR_TRAIN_IN_CHILD (default true). */
  behaviourTrainInChild: boolean;
}

const INSTRUCTOR_ACTIONS = ['plugin::analytics.instructor.sales', 'plugin::analytics.instructor.learning', 'plugin::analytics.instructor.atRisk'];

const schema = z.object({
  rolePermissions: rolePermissionsSchema,
  timeZone: z.string().refine(isTimeZone, { message: 'ANALYTICS_TIME_ZONE must be an IANA time zone such as Europe/Berlin' }),
  defaultDays: z.number().int().min(1).max(3660),
  maxBuckets: z.number().int().min(1).max(5000),
  orderRollup: z.boolean(),
  rollupIntervalMs: z.number().int().min(0),
  behaviourCron: z.string().max(100),
  behaviourHorizonDays: z.number().int().min(1).max(365),
  behaviourActiveDays: z.number().int().min(1).max(3650),
  behaviourScoreTtlMs: z.number().int().min(0),
  behaviourSegments: z.number().int().min(1).max(20),
  behaviourTrainInChild: z.boolean(),
});

export default {
  default: (): PluginConfig => ({
    rolePermissions: { public: [], authenticated: [], instructor: [...INSTRUCTOR_ACTIONS] },
    timeZone: process.env.ANALYTICS_TIME_ZONE || 'UTC',
    defaultDays: envNumber('ANALYTICS_DEFAULT_DAYS', 30),
    maxBuckets: envNumber('ANALYTICS_MAX_BUCKETS', 400),
    orderRollup: envFlag('ANALYTICS_ORDER_ROLLUP', true),
    rollupIntervalMs: envNumber('ANALYTICS_ROLLUP_INTERVAL_MS', 60_000),
    behaviourCron: process.env.ANALYTICS_BEHAVIOUR_CRON ?? '30 3 * * *',
    behaviourHorizonDays: envNumber('ANALYTICS_BEHAVIOUR_HORIZON_DAYS', 14),
    behaviourActiveDays: envNumber('ANALYTICS_BEHAVIOUR_ACTIVE_DAYS', 60),
    behaviourScoreTtlMs: envNumber('ANALYTICS_BEHAVIOUR_SCORE_TTL_MS', 600_000),
    behaviourSegments: envNumber('ANALYTICS_BEHAVIOUR_SEGMENTS', 4),
    behaviourTrainInChild: envFlag('ANALYTICS_BEHAVIOUR_TRAIN_IN_CHILD', true),
  }),
  validator: configValidator('analytics', schema),
};
