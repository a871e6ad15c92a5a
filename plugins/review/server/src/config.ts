import { z } from 'zod';
import { configReader, configValidator, rolePermissionsSchema, type RolePermissions } from '@kp/platform';
import { CHECK_IDS, CURRENCIES, DEFAULT_CHECKS_CONFIG, compilePatterns, type ChecksConfig } from './domain/checks';

export interface PluginConfig {
  /** users-permissions actions this plugin's routes need, granted by the app's bootstrap. */
  rolePermissions: RolePermissions;
  /** Submission checklist: thresholds and which checks block a submission. */
  checks: ChecksConfig;
  /** Minimum length of an editor's request-changes comment (after trimming). */
  minCommentLength: number;
  /** Largest page the review queue answers. */
  maxPageSize: number;
}

const INSTRUCTOR_ACTIONS = [
  // Authoring through the core REST routes: the plugin's Document Service middleware forces
  // drafts, sets the owner and refuses other instructors' documents.
  'api::course.course.create',
  'api::course.course.update',
  'api::course.course.delete',
  'api::chapter.chapter.create',
  'api::chapter.chapter.update',
  'api::chapter.chapter.delete',
  // The plugin's own routes (controller `instructor`).
  'plugin::review.instructor.listCourses',
  'plugin::review.instructor.getCourse',
  'plugin::review.instructor.submit',
  'plugin::review.instructor.withdraw',
  'plugin::review.instructor.history',
  'plugin::review.instructor.uploadMedia',
];

const levelSchema = z.enum(['required', 'recommended', 'off']);
const patternSchema = z.string().min(1).refine(
  (p) => {
    try {
      compilePatterns([p]);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' }
);

const configSchema = z.object({
  rolePermissions: rolePermissionsSchema,
  checks: z.object({
    titleMinLength: z.number().int().min(1).max(200),
    summaryMinLength: z.number().int().min(0).max(600),
    descriptionMinLength: z.number().int().min(0).max(100000),
    minChapters: z.number().int().min(0).max(1000),
    minPrice: z.object(Object.fromEntries(CURRENCIES.map((c) => [c, z.number().int().min(0)])) as Record<(typeof CURRENCIES)[number], z.ZodNumber>),
    selfPromotionPatterns: z.array(patternSchema),
    levels: z.object(Object.fromEntries(CHECK_IDS.map((id) => [id, levelSchema])) as Record<(typeof CHECK_IDS)[number], typeof levelSchema>),
  }),
  minCommentLength: z.number().int().min(1).max(1000),
  maxPageSize: z.number().int().min(1).max(500),
});

export default {
  default: (): PluginConfig => ({
    rolePermissions: { public: [], authenticated: [], instructor: [...INSTRUCTOR_ACTIONS] },
    checks: structuredClone(DEFAULT_CHECKS_CONFIG),
    minCommentLength: 10,
    maxPageSize: 100,
  }),
  /** Refuses to boot on a bad setting (an invalid self-promotion pattern, a negative threshold). */
  validator: configValidator('review', configSchema),
};

/** Reads one key of this plugin's configuration: `reviewConfig(strapi, 'checks')`. */
export const reviewConfig = configReader<PluginConfig>('review');
