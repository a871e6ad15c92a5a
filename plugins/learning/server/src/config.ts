import { z } from 'zod';
import { configValidator, localeSchema, rolePermissionsSchema, type RolePermissions } from '@kp/platform';

export interface PluginConfig {
  /** users-permissions actions this plugin's routes need, granted by the app's bootstrap. */
  rolePermissions: RolePermissions;
  /** Locales a learner may read in (the i18n locales of the catalogue); the first is the default. */
  locales: string[];
  /**
   * A TTF/OTF font with Simplified Chinese glyphs for certificate PDFs. Empty: the regular weight
   * of the npm package `@embedpdf/fonts-sc` (Noto Sans SC, a dependency of the app).
   * Env: LEARNING_CJK_FONT (and LEARNING_CJK_FONT_BOLD).
   */
  cjkFontPath: string;
  cjkBoldFontPath: string;
  /** The issuer printed on certificates. Env: PLATFORM_NAME. */
  platformName: string;
  /** Public base URL printed under the code (verification link). Env: PUBLIC_URL, else server.url. */
  publicUrl: string;
}

const LEARNER_ACTIONS = [
  'plugin::learning.progress.record',
  'plugin::learning.progress.course',
  'plugin::learning.progress.me',
  'plugin::learning.certificates.me',
];
/** Verification is public by design: the unguessable code is the capability. */
const VERIFY_ACTIONS = ['plugin::learning.certificates.verify', 'plugin::learning.certificates.pdf'];

const schema = z.object({
  rolePermissions: rolePermissionsSchema,
  locales: z.array(localeSchema).min(1),
  cjkFontPath: z.string(),
  cjkBoldFontPath: z.string(),
  platformName: z.string().min(1).max(80),
  publicUrl: z.string(),
});

export default {
  default: (): PluginConfig => ({
    rolePermissions: {
      public: [...VERIFY_ACTIONS],
      authenticated: [...LEARNER_ACTIONS, ...VERIFY_ACTIONS],
      instructor: [...LEARNER_ACTIONS, ...VERIFY_ACTIONS],
    },
    locales: ['en', 'zh-Hans'],
    cjkFontPath: process.env.LEARNING_CJK_FONT ?? '',
    cjkBoldFontPath: process.env.LEARNING_CJK_FONT_BOLD ?? '',
    platformName: process.env.PLATFORM_NAME ?? 'Knowledge Platform',
    publicUrl: process.env.PUBLIC_URL ?? '',
  }),
  validator: configValidator('learning', schema),
};
