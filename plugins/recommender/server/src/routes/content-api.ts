/**
 * Content-API routes. `prefix: ''` serves the lists at /api/recommendations… instead of
 * /api/recommender/…. None but health is `auth: false`: users-permissions must read the JWT so
 * that a learner gets a personal list; the actions are granted to roles in config.ts
 * (`rolePermissions`).
 */
import { contentApiRoutes, documentIdSchema, limitSchema, localeSchema, route, healthRoute as platformHealthRoute } from '@kp/platform';
import { z } from 'zod';
import { eventResponseSchema, likeStateSchema, recommendationListSchema } from './schemas';

/** Results per list when `limit` is not given, and the most a caller may ask for. */
export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 50;

const listQuery = z.strictObject({
  limit: limitSchema(MAX_LIMIT, DEFAULT_LIMIT),
  locale: localeSchema
    .optional()
    .meta({ description: "One of the platform's locales (default: the default locale); each course comes in it when published in it", example: 'zh-Hans' }),
});

const listErrors = {
  400: '`limit` not a whole number in 1–50, an unknown or malformed `locale`, or any other query parameter',
  403: '`status=draft` (the platform refuses drafts to the public)',
} as const;

export const healthRoute = platformHealthRoute('Whether the recommender is up');

export const findRoute = route({
  method: 'GET',
  path: '/recommendations',
  handler: 'recommendations.find',
  config: { prefix: '', policies: [] },
  summary: 'Recommended courses: personal with a learner’s JWT, popular across the catalogue (cold start) without',
  description:
    'A personal list leaves out what the learner has (bought, in progress, completed, entitled to) and what they refunded. Never a draft, an unpublished course or chapter content.',
  request: { query: listQuery },
  response: recommendationListSchema,
  errors: listErrors,
  examples: [
    { name: 'cold start for an anonymous visitor', as: 'anonymous', query: { limit: '3' }, status: 200 },
    { name: 'a learner’s list', as: 'learner', query: { limit: '5', locale: 'en' }, status: 200 },
  ],
});

export const similarRoute = route({
  method: 'GET',
  path: '/recommendations/courses/:documentId/similar',
  handler: 'recommendations.similar',
  config: { prefix: '', policies: [] },
  summary: 'Courses like a published course: shared terms and “learners who took it also took”',
  request: { params: z.object({ documentId: documentIdSchema }), query: listQuery },
  response: recommendationListSchema,
  errors: { ...listErrors, 404: 'no published course has this documentId (unknown, draft or unpublished)' },
  examples: [
    { name: 'similar to a course', as: 'anonymous', params: { documentId: '$course' }, query: { limit: '5' }, status: 200 },
    { name: 'a draft is not found', as: 'anonymous', params: { documentId: '$draftCourse' }, status: 404 },
    { name: 'an unknown course', as: 'anonymous', params: { documentId: 'doesnotexist123' }, status: 404 },
  ],
});

export const eventsRoute = route({
  method: 'POST',
  path: '/recommendations/events',
  handler: 'events.create',
  config: { prefix: '', policies: [] },
  summary: 'A learner records that they viewed or liked a published course',
  description:
    'Purchases, refunds and progress are recorded by the platform itself (checkout, learning), never by a client. A like is kept once per learner and course: liking again changes nothing (answered the same), `DELETE /api/recommendations/likes/:documentId` takes it back. Rate-limited per learner (`eventsRateLimit`), across every instance (the kernel shared rate limits: Redis, PostgreSQL, or memory on SQLite).',
  request: {
    // Purchases, refunds and progress are not accepted from a client: it could otherwise claim to own courses.
    body: z.strictObject({
      courseDocumentId: documentIdSchema,
      kind: z.enum(['view', 'like'], { error: 'must be "view" or "like"' }),
    }),
  },
  status: 201,
  response: eventResponseSchema,
  errors: {
    400: 'another `kind`, a malformed `courseDocumentId`, a missing or an extra field',
    403: 'without a learner’s JWT',
    404: 'no published course has this documentId',
    429: 'too many events from this learner (`Retry-After` says when to retry)',
  },
  examples: [
    { name: 'a learner likes a course', as: 'learner', body: { courseDocumentId: '$course', kind: 'like' }, status: 201 },
    { name: 'anonymous', as: 'anonymous', body: { courseDocumentId: '$course', kind: 'view' }, status: 403 },
  ],
});

const likeParams = z.object({ documentId: documentIdSchema });

export const likeStateRoute = route({
  method: 'GET',
  path: '/recommendations/likes/:documentId',
  handler: 'events.likeState',
  config: { prefix: '', policies: [] },
  summary: 'Whether the caller likes a course (the storefront’s like button state)',
  request: { params: likeParams },
  response: likeStateSchema,
  errors: { 400: 'a malformed documentId', 403: 'without a learner’s JWT' },
  examples: [
    { name: 'a learner reads the state', as: 'learner', params: { documentId: '$course' }, status: 200 },
    { name: 'anonymous', as: 'anonymous', params: { documentId: '$course' }, status: 403 },
  ],
});

export const unlikeRoute = route({
  method: 'DELETE',
  path: '/recommendations/likes/:documentId',
  handler: 'events.unlike',
  config: { prefix: '', policies: [] },
  summary: 'The caller takes back their like of a course (idempotent: unliking what is not liked answers the same)',
  request: { params: likeParams },
  response: likeStateSchema,
  errors: { 400: 'a malformed documentId', 403: 'without a learner’s JWT' },
  examples: [
    { name: 'a learner unlikes a course', as: 'learner', params: { documentId: '$course' }, status: 200 },
    { name: 'anonymous', as: 'anonymous', params: { documentId: '$course' }, status: 403 },
  ],
});

export default contentApiRoutes('recommender', [healthRoute, findRoute, similarRoute, eventsRoute, likeStateRoute, unlikeRoute]);
