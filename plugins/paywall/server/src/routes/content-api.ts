/**
 * Content-API routes, as data with their schemas, served under /api/paywall. Authorisation:
 * users-permissions grants the actions declared in config.ts (`rolePermissions`) to each role; the
 * handlers then decide on access to content themselves.
 */
import { contentApiRoutes, route, healthRoute } from '@kp/platform';
import {
  accessResponseSchema,
  courseParamsSchema,
  entitlementsResponseSchema,
  localeQuerySchema,
  mediaParamsSchema,
  mediaQuerySchema,
  mediaResponseSchema,
} from './schemas';

const UNKNOWN_ID = 'doesnotexist0000000000000';

export const health = healthRoute('Whether the paywall plugin is up');

export const entitlements = route({
  method: 'GET',
  path: '/me/entitlements',
  handler: 'me.entitlements',
  config: { policies: [] },
  summary: 'The caller’s access that is valid now (purchases, subscriptions, grants), with its validity',
  description: 'Payment references and editors’ notes stay on the server.',
  response: entitlementsResponseSchema,
  errors: { 401: 'The token is missing, invalid or expired', 403: 'Anonymous callers' },
  examples: [
    { name: 'the learner’s entitlements', as: 'learner', status: 200 },
    { name: 'anonymous', as: 'anonymous', status: 403 },
  ],
});

export const access = route({
  method: 'GET',
  path: '/courses/:documentId/access',
  handler: 'access.course',
  config: { policies: [] },
  summary: 'Whether the caller may read a course, why (or why not), and which chapters are unlocked',
  request: { params: courseParamsSchema, query: localeQuerySchema },
  response: accessResponseSchema,
  errors: { 400: 'Malformed documentId or locale', 404: 'Unknown course, or a course that has only a draft' },
  examples: [
    { name: 'a course the learner was granted', as: 'learner', params: { documentId: '$course' }, status: 200 },
    { name: 'a paid course, anonymously', as: 'anonymous', params: { documentId: '$course' }, status: 200 },
    { name: 'chapter titles in Chinese', as: 'anonymous', params: { documentId: '$course' }, query: { locale: 'zh-Hans' }, status: 200 },
    { name: 'a malformed locale', as: 'anonymous', params: { documentId: '$course' }, query: { locale: 'not a locale' }, status: 400 },
    { name: 'a draft course', as: 'learner', params: { documentId: '$draftCourse' }, status: 404 },
    { name: 'an unknown course', as: 'anonymous', params: { documentId: UNKNOWN_ID }, status: 404 },
  ],
});

export const media = route({
  method: 'GET',
  path: '/media/:fileId',
  handler: 'media.show',
  config: { policies: [] },
  summary: 'A chapter’s video or attachment, after the access check',
  description:
    'Readers are identified by the signed link that readable chapters carry (u, e, s) or by their bearer token; editors by the links admin-panel answers carry (a, e, s). Local storage: the bytes, streamed from private storage, with Range support. S3: a 302 to a pre-signed URL that expires within minutes. Free and preview media are served to anyone.',
  request: { params: mediaParamsSchema, query: mediaQuerySchema },
  response: mediaResponseSchema,
  produces: 'application/octet-stream',
  errors: {
    400: 'Malformed fileId or format',
    401: 'Anonymous caller and a gated file',
    403: 'The file belongs to a chapter the caller has not unlocked (or whose access expired or was revoked); a tampered or expired link',
    404: 'Unknown file, a file of no published chapter, or an unknown format',
  },
  examples: [
    { name: 'a gated video, for a learner with access', as: 'learner', params: { fileId: '$file' }, status: 200 },
    { name: 'a gated video, anonymously', as: 'anonymous', params: { fileId: '$file' }, status: 401 },
    { name: 'a gated video, for the course’s instructor', as: 'instructor', params: { fileId: '$file' }, status: 200 },
    { name: 'a malformed format', as: 'learner', params: { fileId: '$file' }, query: { format: '../small' }, status: 400 },
    { name: 'a malformed id', as: 'anonymous', params: { fileId: 'abc' }, status: 400 },
  ],
});

export default contentApiRoutes('paywall', [health, entitlements, access, media]);
