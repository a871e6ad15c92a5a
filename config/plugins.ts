import type { Core } from '@strapi/strapi';
import { secret } from '../src/lib/security/secrets';

const allowedMediaTypes = [
  'image/*',
  'video/*',
  'audio/*',
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.*',
  'text/plain',
  'text/csv',
  'text/markdown',
  'application/zip',
];

const deniedTypes = [
  'image/svg+xml',
  'application/vnd.microsoft.portable-executable',
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/x-executable',
  'application/x-dosexec',
  'application/x-sh',
  'text/x-shellscript',
  'application/x-mach-binary',
];

/** Local uploads by default; UPLOAD_PROVIDER=aws-s3 for S3 or any S3-compatible store. */
function uploadProvider(env: Core.Config.Shared.ConfigParams['env']) {
  const provider = env('UPLOAD_PROVIDER', 'local');
  if (provider === 'local') return { sizeLimit: env.int('UPLOAD_SIZE_LIMIT', 200 * 1024 * 1024) };
  if (provider !== 'aws-s3') {
    throw new Error(`Unsupported UPLOAD_PROVIDER "${provider}": use "local" (default) or "aws-s3".`);
  }
  const bucket = env('S3_BUCKET', '');
  if (!bucket) throw new Error('UPLOAD_PROVIDER=aws-s3 needs S3_BUCKET (the bucket name).');
  const endpoint = env('S3_ENDPOINT', '');
  return {
    provider: 'aws-s3',
    sizeLimit: env.int('UPLOAD_SIZE_LIMIT', 200 * 1024 * 1024),
    providerOptions: {
      baseUrl: env('S3_PUBLIC_URL', undefined),
      rootPath: env('S3_ROOT_PATH', undefined),
      s3Options: {
        credentials: {
          accessKeyId: env('S3_ACCESS_KEY_ID', ''),
          secretAccessKey: env('S3_SECRET_ACCESS_KEY', ''),
        },
        region: env('S3_REGION', 'us-east-1'),
        ...(endpoint ? { endpoint } : {}),
        forcePathStyle: env.bool('S3_FORCE_PATH_STYLE', Boolean(endpoint)),
        params: {
          Bucket: bucket,
          ACL: env('S3_ACL', 'private'),
          signedUrlExpires: env.int('S3_SIGNED_URL_EXPIRES', 15 * 60),
        },
      },
    },
    actionOptions: { upload: {}, uploadStream: {}, delete: {} },
  };
}

/**
 * Strapi's email plugin: the official nodemailer provider when SMTP_HOST is set. Without it the
 * notifications plugin captures every message in its outbox (admin Outbox page) and none is sent;
 * EMAIL_REQUIRED=true refuses to boot instead (plugins/notifications).
 */
function emailProvider(env: Core.Config.Shared.ConfigParams['env']) {
  const host = env('SMTP_HOST', '');
  const from = env('EMAIL_FROM', 'Knowledge Platform <no-reply@localhost>');
  const replyTo = env('EMAIL_REPLY_TO', '') || undefined;
  if (!host) return { settings: { defaultFrom: from, defaultReplyTo: replyTo } };
  const user = env('SMTP_USER', '');
  return {
    provider: 'nodemailer',
    providerOptions: {
      host,
      port: env.int('SMTP_PORT', 587),
      secure: env.bool('SMTP_SECURE', false),
      ...(user ? { auth: { user, pass: env('SMTP_PASSWORD', '') } } : {}),
    },
    settings: { defaultFrom: from, defaultReplyTo: replyTo },
  };
}

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Plugin => ({
  'users-permissions': {
    config: {
      jwtSecret: secret(env, 'JWT_SECRET'),
      jwt: { expiresIn: env('JWT_EXPIRES_IN', '7d') },
      register: { allowedFields: [] },
      ratelimit: { enabled: env.bool('AUTH_RATELIMIT', true) },
    },
  },
  email: { config: emailProvider(env) },
  upload: {
    config: {
      ...uploadProvider(env),
      security: {
        allowedTypes: allowedMediaTypes,
        deniedTypes,
      },
    },
  },
  paywall: { enabled: true, resolve: './plugins/paywall' },
  checkout: { enabled: true, resolve: './plugins/checkout' },
  review: { enabled: true, resolve: './plugins/review' },
  recommender: { enabled: true, resolve: './plugins/recommender' },
  learning: { enabled: true, resolve: './plugins/learning' },
  operations: { enabled: true, resolve: './plugins/operations' },
  analytics: { enabled: true, resolve: './plugins/analytics' },
  community: { enabled: true, resolve: './plugins/community' },
  notifications: { enabled: true, resolve: './plugins/notifications' },
  cache: { enabled: true, resolve: './plugins/cache' },
});

export default config;
