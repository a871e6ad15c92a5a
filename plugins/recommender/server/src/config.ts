import { configReader, configValidator, envNumber, rolePermissionsSchema, type RolePermissions } from '@kp/platform';
import { z } from 'zod';
import { DEFAULT_ENGINE_CONFIG, engineConfigSchema, type EngineConfig } from './domain/config';

export interface PluginConfig {
  /** users-permissions actions this plugin's routes need, granted by the app's bootstrap. */
  rolePermissions: RolePermissions;
  /**
   * The engine: field weights, interaction weights, half-lives, the blend, co-occurrence and
   * segment settings. The defaults are what `npm run eval:recommender` chose (plugin README).
   */
  engine: EngineConfig;
  /** A learner's latest interactions read per request to build their profile. */
  historyLimit: number;
  /** Popularity and co-occurrence are recomputed from the interactions table this often (0: never). */
  statsRefreshSeconds: number;
  /** At most this many (latest) interactions feed popularity and co-occurrence: bounds memory. */
  maxStatsInteractions: number;
  /** `POST /api/recommendations/events`: at most `max` per learner per window (per instance). */
  eventsRateLimit: { max: number; windowSeconds: number };
  /** Give the admin panel's Editor role the index actions once, on first boot. */
  grantEditorRole: boolean;
  /** Learner ratings (community) a course needs before a reason cites them, "rated 4.8 by 120 learners" (0: never). */
  ratedReasonMinCount: number;
}

const FIND = 'plugin::recommender.recommendations.find';
const SIMILAR = 'plugin::recommender.recommendations.similar';
const EVENTS = 'plugin::recommender.events.create';
const LIKE_STATE = 'plugin::recommender.events.likeState';
const UNLIKE = 'plugin::recommender.events.unlike';

const configSchema = z.object({
  rolePermissions: rolePermissionsSchema,
  engine: engineConfigSchema,
  historyLimit: z.number().int().min(1).max(10_000),
  statsRefreshSeconds: z.number().int().min(0),
  maxStatsInteractions: z.number().int().min(1),
  eventsRateLimit: z.object({ max: z.number().int().min(1), windowSeconds: z.number().int().min(1) }),
  grantEditorRole: z.boolean(),
  ratedReasonMinCount: z.number().int().min(0),
});

/** This plugin's settings, typed: `pluginConfig(strapi, 'historyLimit')`. */
export const pluginConfig = configReader<PluginConfig>('recommender');

export default {
  default: (): PluginConfig => ({
    rolePermissions: {
      // Anonymous callers get cold-start lists and similar courses; learners also record events.
      public: [FIND, SIMILAR],
      authenticated: [FIND, SIMILAR, EVENTS, LIKE_STATE, UNLIKE],
      instructor: [FIND, SIMILAR, EVENTS, LIKE_STATE, UNLIKE],
    },
    engine: DEFAULT_ENGINE_CONFIG,
    historyLimit: 500,
    statsRefreshSeconds: envNumber('RECOMMENDER_STATS_REFRESH_SECONDS', 300),
    maxStatsInteractions: 500_000,
    eventsRateLimit: { max: envNumber('RECOMMENDER_EVENTS_PER_MINUTE', 60), windowSeconds: 60 },
    grantEditorRole: true,
    ratedReasonMinCount: envNumber('RECOMMENDER_RATED_REASON_MIN_COUNT', 5),
  }),
  validator: configValidator('recommender', configSchema),
};
