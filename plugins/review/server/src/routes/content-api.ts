/**
 * Instructor routes, served under /api/review. None but health is `auth: false`: users-permissions
 * checks that the caller's role holds `plugin::review.instructor.<action>` (granted to the
 * instructor role only, see config.ts), so learners and the public get 403 before any handler or
 * input validation runs.
 */
import { contentApiRoutes, route, healthRoute } from '@kp/platform';
import {
  courseParams,
  courseQuery,
  instructorHistoryResponse,
  mediaBody,
  mediaUploadResponse,
  myCoursesResponse,
  ownCourseResponse,
  transitionResponse,
} from './schemas';

const NO_SUCH = { documentId: 'doesnotexist000000000000' };

/** Refusals every instructor route shares. */
const INSTRUCTOR_ERRORS = {
  403: 'Not an instructor (learners, the public), or an instructor account not linked to a profile yet',
} as const;

export const health = healthRoute('Health of the review plugin');

export const listCourses = route({
  method: 'GET',
  path: '/courses',
  handler: 'instructor.listCourses',
  config: { policies: [] },
  summary: "The caller's courses, each with its review state",
  description: 'Titles per locale, draft and published locales, whether it is live, the review state, the last comment and the actions allowed.',
  response: myCoursesResponse,
  errors: INSTRUCTOR_ERRORS,
  examples: [
    { name: 'my courses', as: 'instructor', status: 200 },
    { name: 'a learner', as: 'learner', status: 403 },
    { name: 'the public', as: 'anonymous', status: 403 },
  ],
});

export const getCourse = route({
  method: 'GET',
  path: '/courses/:documentId',
  handler: 'instructor.getCourse',
  config: { policies: [] },
  summary: "One of the caller's courses: its draft in a locale, with draft chapters (bodies included)",
  request: { params: courseParams, query: courseQuery },
  response: ownCourseResponse,
  errors: {
    ...INSTRUCTOR_ERRORS,
    400: 'A malformed documentId or locale, or a locale the platform does not have (the same answer as on writes)',
    404: 'Not one of your courses, or no draft in that locale',
  },
  examples: [
    { name: 'my draft', params: { documentId: '$draftCourse' }, as: 'instructor', status: 200 },
    { name: 'my draft in English', params: { documentId: '$draftCourse' }, query: { locale: 'en' }, as: 'instructor', status: 200 },
    { name: 'a malformed locale', params: { documentId: '$draftCourse' }, query: { locale: 'not a locale' }, as: 'instructor', status: 400 },
    { name: 'an unknown locale', params: { documentId: '$draftCourse' }, query: { locale: 'xx' }, as: 'instructor', status: 400 },
    { name: 'not mine', params: NO_SUCH, as: 'instructor', status: 404 },
    { name: 'a learner', params: { documentId: '$draftCourse' }, as: 'learner', status: 403 },
  ],
});

export const submit = route({
  method: 'POST',
  path: '/courses/:documentId/submit',
  handler: 'instructor.submit',
  config: { policies: [] },
  summary: 'Submit a course for review',
  description:
    'Runs the checklist on the draft of every locale approval will publish (the default locale and each locale with a draft), including every constraint publication enforces. A failing required check refuses with every check in `error.details.checks` and changes nothing; otherwise the course is `in_review` and locked for its instructor. Submitting what is in review answers 200 with `changed: false`.',
  request: { params: courseParams },
  response: transitionResponse,
  errors: {
    ...INSTRUCTOR_ERRORS,
    400: 'A malformed documentId',
    404: 'Not one of your courses',
    409: 'Not submittable from its state (approved), or another request moved it first',
    422: 'A required check failed (`error.details.checks` lists every check)',
  },
  examples: [
    { name: 'not mine', params: NO_SUCH, as: 'instructor', status: 404 },
    { name: 'a malformed documentId', params: { documentId: 'not!an!id' }, as: 'instructor', status: 400 },
    { name: 'a learner', params: { documentId: '$draftCourse' }, as: 'learner', status: 403 },
  ],
});

export const withdraw = route({
  method: 'POST',
  path: '/courses/:documentId/withdraw',
  handler: 'instructor.withdraw',
  config: { policies: [] },
  summary: 'Take a submission back to draft, to edit it again',
  description: 'Withdrawing a course that is not in review (a draft) answers 200 with `changed: false`.',
  request: { params: courseParams },
  response: transitionResponse,
  errors: { ...INSTRUCTOR_ERRORS, 400: 'A malformed documentId', 404: 'Not one of your courses', 409: 'Sent back for changes or approved, or another request moved it first' },
  examples: [
    { name: 'a draft stays a draft', params: { documentId: '$draftCourse' }, as: 'instructor', status: 200 },
    { name: 'not mine', params: NO_SUCH, as: 'instructor', status: 404 },
  ],
});

export const history = route({
  method: 'GET',
  path: '/courses/:documentId/history',
  handler: 'instructor.history',
  config: { policies: [] },
  summary: "A course's audit trail, oldest first",
  request: { params: courseParams },
  response: instructorHistoryResponse,
  errors: { ...INSTRUCTOR_ERRORS, 400: 'A malformed documentId', 404: 'Not one of your courses' },
  examples: [
    { name: 'my course', params: { documentId: '$draftCourse' }, as: 'instructor', status: 200 },
    { name: 'not mine', params: NO_SUCH, as: 'instructor', status: 404 },
  ],
});

export const uploadMedia = route({
  method: 'POST',
  path: '/media',
  handler: 'instructor.uploadMedia',
  config: { policies: [] },
  summary: "Upload a course's cover or a chapter's video or attachment",
  description:
    'Multipart: `field`, `documentId` and one file in `files`. The target must be yours and not in review; the file is linked to the draft only. Media are never set by file id through the core routes.',
  request: { body: mediaBody, bodyType: 'multipart/form-data' },
  response: mediaUploadResponse,
  errors: {
    403: 'Not an instructor, no profile, or the course or chapter is not yours',
    400: 'An unknown field, not exactly one file, or a file of the wrong type (a cover must be an image, a video a video)',
    404: 'No such course or chapter',
    409: 'The course is in review',
  },
  examples: [
    { name: 'an unknown field', body: { field: 'poster', documentId: '$draftCourse' }, as: 'instructor', status: 400 },
    { name: 'a learner', body: { field: 'cover', documentId: '$draftCourse' }, as: 'learner', status: 403 },
  ],
});

export default contentApiRoutes('review', [health, listCourses, getCourse, submit, withdraw, history, uploadMedia]);
