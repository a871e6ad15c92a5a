/**
 * Content-API routes, as data with their schemas. `prefix: ''` puts them at /api/progress… and
 * /api/certificates… instead of /api/learning/…: progress and certificates are what a frontend
 * names, not the plugin. None is `auth: false` except health: the learner's routes need
 * `ctx.state.user`, and verification goes through the role permissions declared in config.ts
 * (public and every logged-in role), so an administrator can close it.
 */
import { contentApiRoutes, documentIdSchema, route, healthRoute } from '@kp/platform';
import { z } from 'zod';
import {
  certificateCodeSchema,
  courseResponseSchema,
  localeQuerySchema,
  myCertificatesResponseSchema,
  overviewResponseSchema,
  pdfResponseSchema,
  recordBodySchema,
  recordResponseSchema,
  verifyResponseSchema,
} from './schemas';

const AT_ROOT = { prefix: '', policies: [] };

const LEARNER_ONLY = {
  401: 'The token is missing, invalid or expired',
  403: 'The caller’s role may not use this route (anonymous callers)',
} as const;

const UNKNOWN_ID = 'doesnotexist0000000000000';
const UNKNOWN_CODE = 'AAAAAAAAAAAAAAAAAAAAAAAA';

export const health = healthRoute('Whether the learning plugin is up');

export const record = route({
  method: 'POST',
  path: '/progress',
  handler: 'progress.record',
  config: AT_ROOT,
  summary: 'Record or clear the completion of a chapter, and/or a reading position',
  description:
    'The learner is the caller, never an input. Recording needs read access to the chapter (the paywall decides: previews, free courses, entitlements, the course’s instructor). The report that completes a course the learner is entitled to issues its certificate, once. Repeating a report is idempotent.',
  request: { query: localeQuerySchema, body: recordBodySchema },
  response: recordResponseSchema,
  errors: {
    400: 'Malformed body, unknown field, unsupported locale',
    ...LEARNER_ONLY,
    403: 'The chapter is locked for this learner (details.reason: no-entitlement, expired, revoked); anonymous callers',
    404: 'Unknown, unpublished or draft chapter',
    503: 'The paywall plugin is missing: nothing is recorded',
  },
  examples: [
    { name: 'complete a preview chapter', as: 'learner', body: { chapter: '$previewChapter', completed: true }, status: 200 },
    { name: 'report a reading position', as: 'learner', body: { chapter: '$previewChapter', position: 734 }, status: 200 },
    { name: 'neither completed nor position', as: 'learner', body: { chapter: '$previewChapter' }, status: 400 },
    { name: 'an unsupported locale', as: 'learner', body: { chapter: '$previewChapter', completed: true, locale: 'fr' }, status: 400 },
    { name: 'an unknown chapter', as: 'learner', body: { chapter: UNKNOWN_ID, completed: true }, status: 404 },
    { name: 'anonymous', as: 'anonymous', body: { chapter: '$previewChapter', completed: true }, status: 403 },
  ],
});

export const overview = route({
  method: 'GET',
  path: '/progress/me',
  handler: 'progress.me',
  config: AT_ROOT,
  summary: 'Continue learning: every course the learner started, most recent activity first',
  request: { query: localeQuerySchema },
  response: overviewResponseSchema,
  errors: { 400: 'Unsupported locale', ...LEARNER_ONLY },
  examples: [
    { name: 'the learner’s courses', as: 'learner', status: 200 },
    { name: 'in Chinese', as: 'learner', query: { locale: 'zh-Hans' }, status: 200 },
    { name: 'anonymous', as: 'anonymous', status: 403 },
  ],
});

export const course = route({
  method: 'GET',
  path: '/progress/courses/:documentId',
  handler: 'progress.course',
  config: AT_ROOT,
  summary: 'One course chapter by chapter for the learner: state, percentage, next chapter, certificate',
  request: {
    params: z.object({ documentId: documentIdSchema.meta({ description: 'documentId of the course', example: 'k3m9x0c2v5b8n1q4w7e6r5t4' }) }),
    query: localeQuerySchema,
  },
  response: courseResponseSchema,
  errors: { 400: 'Malformed documentId, unsupported locale', ...LEARNER_ONLY, 404: 'Unknown or unpublished course' },
  examples: [
    { name: 'a course', as: 'learner', params: { documentId: '$course' }, status: 200 },
    { name: 'titles in Chinese', as: 'learner', params: { documentId: '$course' }, query: { locale: 'zh-Hans' }, status: 200 },
    { name: 'an unsupported locale', as: 'learner', params: { documentId: '$course' }, query: { locale: 'fr' }, status: 400 },
    { name: 'a draft course', as: 'learner', params: { documentId: '$draftCourse' }, status: 404 },
  ],
});

export const myCertificates = route({
  method: 'GET',
  path: '/certificates/me',
  handler: 'certificates.me',
  config: AT_ROOT,
  summary: 'The learner’s certificates, revocation reasons included',
  response: myCertificatesResponseSchema,
  errors: LEARNER_ONLY,
  examples: [
    { name: 'the learner’s certificates', as: 'learner', status: 200 },
    { name: 'anonymous', as: 'anonymous', status: 403 },
  ],
});

export const verify = route({
  method: 'GET',
  path: '/certificates/:code',
  handler: 'certificates.verify',
  config: AT_ROOT,
  summary: 'Verify a certificate: the facts printed on it and whether it stands',
  description: 'Public: the unguessable code is the capability. Never names the learner’s account, e-mail or the reason of a revocation.',
  request: { params: z.object({ code: certificateCodeSchema }) },
  response: verifyResponseSchema,
  errors: { 400: 'Malformed code', 404: 'No certificate has this code' },
  examples: [
    { name: 'a certificate', as: 'anonymous', params: { code: '$certificate' }, status: 200 },
    { name: 'an unknown code', as: 'anonymous', params: { code: UNKNOWN_CODE }, status: 404 },
  ],
});

export const pdf = route({
  method: 'GET',
  path: '/certificates/:code/pdf',
  handler: 'certificates.pdf',
  config: AT_ROOT,
  summary: 'The certificate as a one-page A4 PDF',
  request: { params: z.object({ code: certificateCodeSchema }), query: localeQuerySchema },
  response: pdfResponseSchema,
  produces: 'application/pdf',
  errors: {
    400: 'Malformed code, unsupported locale',
    404: 'No certificate has this code',
    410: 'The certificate was revoked: it can be verified, not printed',
    503: 'No font with Chinese glyphs was found for a zh-Hans certificate (the message names the fix)',
  },
  examples: [
    { name: 'in its own language', as: 'anonymous', params: { code: '$certificate' }, status: 200 },
    { name: 'with Chinese labels', as: 'anonymous', params: { code: '$certificate' }, query: { locale: 'zh-Hans' }, status: 200 },
    { name: 'an unsupported locale', as: 'anonymous', params: { code: '$certificate' }, query: { locale: 'fr' }, status: 400 },
  ],
});

export default contentApiRoutes('learning', [health, record, overview, course, myCertificates, verify, pdf]);
