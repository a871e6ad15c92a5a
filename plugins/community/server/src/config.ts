import { z } from 'zod';
import { configValidator, envFlag, envNumber, rolePermissionsSchema, type RolePermissions } from '@kp/platform';

export interface PluginConfig {
  /** users-permissions actions this plugin's routes need, granted by the app's bootstrap. */
  rolePermissions: RolePermissions;
  /** Chapters a learner completes before rating a course. Env: COMMUNITY_MIN_CHAPTERS (default 1). */
  minChaptersToRate: number;
  /** Posts (reviews, questions, answers) one learner may create per window. Env: COMMUNITY_POST_LIMIT (default 20; 0 = no limit). */
  postLimit: number;
  /** The window of that limit, in seconds. Env: COMMUNITY_POST_WINDOW_SECONDS (default 3600). */
  postWindowSeconds: number;
  /**
   * How long (seconds) a course's rating may be served from this process's memory; this
   * process's own writes refresh it at once. Env: COMMUNITY_RATING_CACHE_SECONDS (default 5; 0: none).
   */
  ratingCacheSeconds: number;
  /**
   * Benchmarks only: course responses go without `rating`, to measure what it costs. Refused when
   * NODE_ENV=production. Env: COMMUNITY_MEASUREMENT_ONLY_NO_RATING.
   */
  measurementOnlyNoRating: boolean;
}

const PUBLIC_READS = ['plugin::community.reviews.list', 'plugin::community.ratings.courses', 'plugin::community.questions.list', 'plugin::community.questions.findOne'];
const LEARNER_WRITES = [
  'plugin::community.reviews.mine',
  'plugin::community.reviews.create',
  'plugin::community.reviews.update',
  'plugin::community.reviews.remove',
  'plugin::community.reviews.reply',
  'plugin::community.questions.create',
  'plugin::community.questions.answer',
  'plugin::community.questions.accept',
  'plugin::community.reports.create',
  'plugin::community.me.posts',
];

const schema = z.object({
  rolePermissions: rolePermissionsSchema,
  minChaptersToRate: z.number().int().min(0).max(1000),
  postLimit: z.number().int().min(0).max(100000),
  postWindowSeconds: z.number().int().min(1).max(7 * 24 * 3600),
  ratingCacheSeconds: z.number().int().min(0).max(3600),
  measurementOnlyNoRating: z.boolean(),
});

export default {
  default: (): PluginConfig => ({
    rolePermissions: {
      public: [...PUBLIC_READS],
      authenticated: [...PUBLIC_READS, ...LEARNER_WRITES],
      instructor: [...PUBLIC_READS, ...LEARNER_WRITES, 'plugin::community.questions.unanswered'],
    },
    minChaptersToRate: envNumber('COMMUNITY_MIN_CHAPTERS', 1),
    postLimit: envNumber('COMMUNITY_POST_LIMIT', 20),
    postWindowSeconds: envNumber('COMMUNITY_POST_WINDOW_SECONDS', 3600),
    ratingCacheSeconds: envNumber('COMMUNITY_RATING_CACHE_SECONDS', 5),
    measurementOnlyNoRating: envFlag('COMMUNITY_MEASUREMENT_ONLY_NO_RATING'),
  }),
  validator: configValidator('community', schema),
};
