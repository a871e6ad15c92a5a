import { configReader, configValidator, rolePermissionsSchema, type RolePermissions } from '@kp/platform';
import { z } from 'zod';
import { parseAllowedOrigins } from './domain/return-urls';

/** Stripe settings, read from the environment once at boot. Empty strings mean "not set". */
export interface StripeSettings {
  /** `STRIPE_SECRET_KEY` (sk_live_… / sk_test_… / rk_…): without it every checkout route answers 503. */
  secretKey: string;
  /** `STRIPE_WEBHOOK_SECRET` (whsec_…): without it the webhook answers 503 and Stripe retries. */
  webhookSecret: string;
  /** `STRIPE_API_BASE`: another API origin, e.g. http://127.0.0.1:12111 for a loopback fake in tests. */
  apiBase: string;
  /** `CHECKOUT_ALLOWED_ORIGINS`: origins a success/cancel/return URL may point to. */
  allowedOrigins: string[];
  /** Seconds a signed webhook stays acceptable (replay window), `STRIPE_WEBHOOK_TOLERANCE`. */
  webhookTolerance: number;
  /** Stripe API request timeout in ms (`STRIPE_TIMEOUT_MS`): a slow Stripe must not hold a request forever. */
  timeoutMs: number;
}

export interface PluginConfig {
  /** users-permissions actions this plugin's routes need, granted by the app's bootstrap. */
  rolePermissions: RolePermissions;
  stripe: StripeSettings;
}

type Env = ((key: string, fallback?: string) => string | undefined) & {
  int: (key: string, fallback?: number) => number | undefined;
};

/** Actions of this plugin's content-API routes (controller `checkout`). */
const LEARNER_ACTIONS = [
  'plugin::checkout.checkout.createSession',
  'plugin::checkout.checkout.createPortal',
  'plugin::checkout.checkout.listOrders',
  'plugin::checkout.checkout.findOrder',
  'plugin::checkout.commerce.claimGift',
];
/** Anyone may see the bundles on sale (routes/commerce.ts). */
const CATALOGUE_ACTIONS = ['plugin::checkout.commerce.listBundles'];

const schema = z.object({
  rolePermissions: rolePermissionsSchema,
  stripe: z.object({
    secretKey: z.string(),
    webhookSecret: z.string(),
    apiBase: z.string().refine((v) => v === '' || /^https?:\/\/[^/]+\/?$/.test(v), {
      message: 'STRIPE_API_BASE must be an origin such as http://127.0.0.1:12111',
    }),
    allowedOrigins: z.array(z.string()).min(1, 'CHECKOUT_ALLOWED_ORIGINS needs at least one origin'),
    webhookTolerance: z.number().int().min(1).max(3600),
    timeoutMs: z.number().int().min(100).max(120_000),
  }),
});

export default {
  default: ({ env }: { env: Env }): PluginConfig => ({
    rolePermissions: {
      public: CATALOGUE_ACTIONS,
      authenticated: [...LEARNER_ACTIONS, ...CATALOGUE_ACTIONS],
      // Instructors are learners too: they buy other instructors' courses.
      instructor: [...LEARNER_ACTIONS, ...CATALOGUE_ACTIONS],
    },
    stripe: {
      secretKey: (env('STRIPE_SECRET_KEY', '') ?? '').trim(),
      webhookSecret: (env('STRIPE_WEBHOOK_SECRET', '') ?? '').trim(),
      apiBase: (env('STRIPE_API_BASE', '') ?? '').trim(),
      // A typo here fails the boot with the offending entry named, rather than refusing every checkout.
      allowedOrigins: parseAllowedOrigins(env('CHECKOUT_ALLOWED_ORIGINS', 'http://localhost:1337') ?? ''),
      webhookTolerance: env.int('STRIPE_WEBHOOK_TOLERANCE', 300) ?? 300,
      timeoutMs: env.int('STRIPE_TIMEOUT_MS', 20_000) ?? 20_000,
    },
  }),
  validator: configValidator('checkout', schema),
};

/** This plugin's configuration, typed: `readConfig(strapi, 'stripe')`. */
export const readConfig = configReader<PluginConfig>('checkout');
