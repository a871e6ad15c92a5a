import { z } from 'zod';
import { configValidator, envFlag, envNumber, rolePermissionsSchema, type RolePermissions } from '@kp/platform';

export interface PluginConfig {
  /** users-permissions actions this plugin's routes need, granted by the app's bootstrap. */
  rolePermissions: RolePermissions;
  /** SMTP server; empty: capture. Env: SMTP_HOST (port, secure, user, password: config/plugins.ts hands them to the email provider). */
  smtpHost: string;
  smtpPort: number;
  smtpSecure: boolean;
  /** Refuse to boot without SMTP. Env: EMAIL_REQUIRED. */
  emailRequired: boolean;
  /** From and Reply-To of every message. Env: EMAIL_FROM, EMAIL_REPLY_TO. */
  from: string;
  replyTo: string;
  /** Public base URL of the storefront for links in messages. Env: PUBLIC_URL, else the server's URL. */
  publicUrl: string;
  /** Registration needs a confirmed address. Env: EMAIL_CONFIRMATION (default off: the demo leaves it off). */
  emailConfirmation: boolean;
  /**
   * Where a new submission in the review queue is announced when it has no assignee (a shared
   * editors' mailbox); empty: only assignees hear of submissions. Env: NOTIFICATIONS_EDITOR_EMAIL.
   */
  editorEmail: string;
  /** The outbox worker: whether it runs in this process, how often it looks, how many rows it claims at once. */
  worker: {
    enabled: boolean;
    intervalMs: number;
    batchSize: number;
    /** How long a claimed row is held before another worker may take it over (a crash between claim and send). */
    leaseMs: number;
    maxAttempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
    /** Longest time one SMTP send may take before it counts as failed. */
    sendTimeoutMs: number;
  };
}

/** The learner's own profile (display name, preferred language) and own data (export, erase). */
const PROFILE_ACTIONS = ['plugin::notifications.profile.me', 'plugin::notifications.profile.update', 'plugin::notifications.me.export', 'plugin::notifications.me.erase'];

const schema = z.object({
  rolePermissions: rolePermissionsSchema,
  smtpHost: z.string(),
  smtpPort: z.number().int().min(1).max(65535),
  smtpSecure: z.boolean(),
  emailRequired: z.boolean(),
  from: z.string().min(3),
  replyTo: z.string(),
  publicUrl: z.string(),
  emailConfirmation: z.boolean(),
  editorEmail: z.union([z.literal(''), z.string().trim().toLowerCase().email('NOTIFICATIONS_EDITOR_EMAIL must be an e-mail address')]),
  worker: z.object({
    enabled: z.boolean(),
    intervalMs: z.number().int().min(10),
    batchSize: z.number().int().min(1).max(500),
    leaseMs: z.number().int().min(1000),
    maxAttempts: z.number().int().min(1).max(50),
    baseDelayMs: z.number().int().min(1),
    maxDelayMs: z.number().int().min(1),
    sendTimeoutMs: z.number().int().min(100),
  }).refine((w) => w.leaseMs > w.sendTimeoutMs, { message: 'NOTIFICATIONS_LEASE_MS must be longer than NOTIFICATIONS_SEND_TIMEOUT_MS (a send must end before another worker may take its row)', path: ['leaseMs'] }),
});

export default {
  default: (): PluginConfig => ({
    rolePermissions: { public: [], authenticated: [...PROFILE_ACTIONS], instructor: [...PROFILE_ACTIONS] },
    smtpHost: process.env.SMTP_HOST ?? '',
    smtpPort: envNumber('SMTP_PORT', 587),
    smtpSecure: envFlag('SMTP_SECURE', false),
    emailRequired: envFlag('EMAIL_REQUIRED', false),
    from: process.env.EMAIL_FROM || 'Knowledge Platform <no-reply@localhost>',
    replyTo: process.env.EMAIL_REPLY_TO ?? '',
    publicUrl: process.env.PUBLIC_URL ?? '',
    emailConfirmation: envFlag('EMAIL_CONFIRMATION', false),
    editorEmail: (process.env.NOTIFICATIONS_EDITOR_EMAIL ?? '').trim(),
    worker: {
      enabled: envFlag('NOTIFICATIONS_WORKER', true),
      intervalMs: envNumber('NOTIFICATIONS_WORKER_INTERVAL_MS', 2000),
      batchSize: envNumber('NOTIFICATIONS_BATCH_SIZE', 20),
      leaseMs: envNumber('NOTIFICATIONS_LEASE_MS', 60_000),
      maxAttempts: envNumber('NOTIFICATIONS_MAX_ATTEMPTS', 8),
      baseDelayMs: envNumber('NOTIFICATIONS_RETRY_BASE_MS', 30_000),
      maxDelayMs: envNumber('NOTIFICATIONS_RETRY_MAX_MS', 6 * 60 * 60 * 1000),
      sendTimeoutMs: envNumber('NOTIFICATIONS_SEND_TIMEOUT_MS', 15_000),
    },
  }),
  validator: configValidator('notifications', schema),
};
