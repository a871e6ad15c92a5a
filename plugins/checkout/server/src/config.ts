import { configReader, configValidator, rolePermissionsSchema, type RolePermissions } from '@kp/platform';
import { z } from 'zod';
import { defaultAllowedOrigins, parseAllowedOrigins } from './domain/return-urls';

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

/** The webhook inbox's worker (services/inbox-worker.ts), read from the environment at boot. */
export interface InboxSettings {
  /** `CHECKOUT_INBOX_WORKER`: whether this instance applies events (false: it only receives them). */
  worker: boolean;
  /** `CHECKOUT_INBOX_POLL_MS`: how often an idle worker looks for events (received by another instance, or due for a retry). */
  pollMs: number;
  /** `CHECKOUT_INBOX_CONCURRENCY`: events applied at once by this instance, each of another Stripe object (PostgreSQL; SQLite applies one at a time). */
  concurrency: number;
  /** `CHECKOUT_INBOX_MAX_ATTEMPTS`: attempts before an event is dead-lettered. */
  maxAttempts: number;
  /** `CHECKOUT_INBOX_RETRY_BASE_MS`: delay after the first failure, doubled after each further one… */
  retryBaseMs: number;
  /** `CHECKOUT_INBOX_RETRY_MAX_MS`: …up to this. */
  retryMaxMs: number;
}

export interface PluginConfig {
  /** users-permissions actions this plugin's routes need, granted by the app's bootstrap. */
  rolePermissions: RolePermissions;
  stripe: StripeSettings;
  inbox: InboxSettings;
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
  'plugin::checkout.coupons.validate',
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
  inbox: z.object({
    worker: z.boolean(),
    pollMs: z.number().int().min(10, 'CHECKOUT_INBOX_POLL_MS must be at least 10').max(600_000),
    concurrency: z.number().int().min(1, 'CHECKOUT_INBOX_CONCURRENCY must be at least 1').max(64),
    maxAttempts: z.number().int().min(1, 'CHECKOUT_INBOX_MAX_ATTEMPTS must be at least 1').max(100),
    retryBaseMs: z.number().int().min(1).max(3_600_000),
    retryMaxMs: z.number().int().min(1).max(86_400_000),
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
      allowedOrigins: parseAllowedOrigins(env('CHECKOUT_ALLOWED_ORIGINS', '') || defaultAllowedOrigins(env('PUBLIC_URL', '') ?? '', env.int('PORT', 1337) ?? 1337)),
      webhookTolerance: env.int('STRIPE_WEBHOOK_TOLERANCE', 300) ?? 300,
      timeoutMs: env.int('STRIPE_TIMEOUT_MS', 20_000) ?? 20_000,
    },
    inbox: {
      worker: !/^(false|0|no|off)$/i.test((env('CHECKOUT_INBOX_WORKER', 'true') ?? 'true').trim()),
      pollMs: env.int('CHECKOUT_INBOX_POLL_MS', 1000) ?? 1000,
      concurrency: env.int('CHECKOUT_INBOX_CONCURRENCY', 4) ?? 4,
      maxAttempts: env.int('CHECKOUT_INBOX_MAX_ATTEMPTS', 10) ?? 10,
      retryBaseMs: env.int('CHECKOUT_INBOX_RETRY_BASE_MS', 2000) ?? 2000,
      retryMaxMs: env.int('CHECKOUT_INBOX_RETRY_MAX_MS', 3_600_000) ?? 3_600_000,
    },
  }),
  validator: configValidator('checkout', schema),
};

/** This plugin's configuration, typed: `readConfig(strapi, 'stripe')`. */
export const readConfig = configReader<PluginConfig>('checkout');
