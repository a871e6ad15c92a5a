import { z } from 'zod';
import { configReader, configValidator, envFlag, envNumber, rolePermissionsSchema, type RolePermissions } from '@kp/platform';

export interface PluginConfig {
  /** users-permissions actions this plugin's routes need, granted by the app's bootstrap. */
  rolePermissions: RolePermissions;
  /** How long a `past_due` subscription keeps access after payment trouble began (0: none). */
  pastDueGraceHours: number;
  /**
   * Lifetime of the signed media-route links put in readable chapters, in seconds. Long enough to
   * watch a video (each request re-checks access, so a revocation still applies at once). The
   * pre-signed S3 URLs the route redirects to live S3_SIGNED_URL_EXPIRES (upload config).
   */
  mediaLinkTtlSeconds: number;
  /**
   * BENCHMARK ONLY: serve chapters ungated so that `npm run bench:paywall` can measure what the
   * gate costs. Refused (the app does not boot) when NODE_ENV=production. Set through
   * PAYWALL_MEASUREMENT_ONLY_UNGATED=true.
   */
  measurementOnlyUngated: boolean;
  /**
   * Where the local upload provider's chapter videos and attachments are kept: a directory the
   * static server does not serve (relative paths are resolved from the app's root). Set through
   * PAYWALL_PRIVATE_UPLOADS_DIR; the app refuses to boot when it lies inside the public directory.
   */
  privateUploadsDir: string;
  /**
   * TESTS ONLY: the paywall's "now" (an ISO time) instead of the system clock, so that suites can
   * watch drip-released chapters open on their day. Null: the clock. Set through PAYWALL_TEST_NOW,
   * or at run time by a test with `strapi.config.set('plugin::paywall.testNow', iso)`; refused at
   * boot and ignored when NODE_ENV=production.
   */
  testNow: string | null;
}

const MEDIA = 'plugin::paywall.media.show';
const ACCESS = 'plugin::paywall.access.course';
const ME = 'plugin::paywall.me.entitlements';

const configSchema = z.object({
  rolePermissions: rolePermissionsSchema,
  pastDueGraceHours: z.number().min(0).max(24 * 60),
  mediaLinkTtlSeconds: z.number().int().min(60).max(7 * 24 * 3600),
  measurementOnlyUngated: z.boolean(),
  privateUploadsDir: z.string().min(1),
  testNow: z.iso.datetime({ offset: true, error: 'PAYWALL_TEST_NOW must be an ISO time such as 2026-12-01T00:00:00Z' }).nullable(),
});

export default {
  default: (): PluginConfig => ({
    rolePermissions: {
      // Anonymous callers may read free and preview media, and ask why a course is locked.
      public: [MEDIA, ACCESS],
      authenticated: [MEDIA, ACCESS, ME],
      instructor: [MEDIA, ACCESS, ME],
    },
    pastDueGraceHours: envNumber('PAYWALL_PAST_DUE_GRACE_HOURS', 72),
    mediaLinkTtlSeconds: envNumber('PAYWALL_MEDIA_LINK_TTL_SECONDS', 6 * 3600),
    measurementOnlyUngated: envFlag('PAYWALL_MEASUREMENT_ONLY_UNGATED'),
    privateUploadsDir: process.env.PAYWALL_PRIVATE_UPLOADS_DIR || '.tmp/private-uploads',
    testNow: process.env.PAYWALL_TEST_NOW?.trim() || null,
  }),
  validator: configValidator('paywall', configSchema),
};

/** Typed reads of this plugin's settings: `paywallConfig(strapi, 'pastDueGraceHours')`. */
export const paywallConfig = configReader<PluginConfig>('paywall');
