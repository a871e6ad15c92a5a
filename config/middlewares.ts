import type { Core } from '@strapi/strapi';
import { allowedOrigins } from '../src/lib/security/origins';

/**
 * Media may come from an S3-compatible store: its origin must be allowed for images and video
 * in the Content-Security-Policy, or covers and videos would not render in the admin panel and
 * the storefront.
 */
function mediaOrigins(env: Core.Config.Shared.ConfigParams['env']): string[] {
  if (env('UPLOAD_PROVIDER', 'local') !== 'aws-s3') return [];
  const origins = new Set<string>();
  for (const url of [env('S3_PUBLIC_URL', ''), env('S3_ENDPOINT', '')]) {
    try {
      if (url) origins.add(new URL(url).origin);
    } catch {
      /* not a URL: nothing to allow */
    }
  }
  const bucket = env('S3_BUCKET', '');
  const region = env('S3_REGION', 'us-east-1');
  if (bucket && !env('S3_ENDPOINT', '')) {
    origins.add(`https://${bucket}.s3.${region}.amazonaws.com`);
    origins.add(`https://s3.${region}.amazonaws.com`);
  }
  return [...origins];
}

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Middlewares => {
  const media = mediaOrigins(env);
  return [
    // Request id, /metrics (token), latency histogram and the request log line (replaces strapi::logger).
    'plugin::operations.http',
    'strapi::errors',
    {
      name: 'strapi::security',
      config: {
        contentSecurityPolicy: {
          useDefaults: true,
          directives: {
            'connect-src': ["'self'", 'https:'],
            'img-src': ["'self'", 'data:', 'blob:', 'market-assets.strapi.io', ...media],
            'media-src': ["'self'", 'data:', 'blob:', ...media],
            upgradeInsecureRequests: null,
          },
        },
      },
    },
    // Credentials only for listed origins (default: the server's own); others get no CORS headers.
    {
      name: 'strapi::cors',
      config: { origin: allowedOrigins({ corsOrigins: env('CORS_ORIGINS', ''), publicUrl: env('PUBLIC_URL', ''), port: env.int('PORT', 1337) }) },
    },
    'strapi::poweredBy',
    'strapi::query',
    'global::draft-guard',
    // Anonymous reads of the published catalogue from the cache (plugins/cache); after the draft
    // guard, before the body parser and the router (a hit skips both).
    'plugin::cache.catalogue',
    // includeUnparsed: the checkout webhook verifies Stripe's signature over the raw bytes.
    // DELETE bodies are parsed too: `DELETE /api/me` is confirmed by the password in its body.
    { name: 'strapi::body', config: { includeUnparsed: true, parsedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'] } },
    'strapi::session',
    { name: 'strapi::favicon', config: { path: 'public/favicon.png' } },
    'global::storefront-root',
    'strapi::public',
  ];
};

export default config;
