/**
 * Editor routes, served under /review in the admin API. Each needs an admin session and the RBAC
 * action registered in register.ts: reading the queue and each decision are separate permissions.
 */
import { adminRoutes, route } from '@kp/platform';
import { ADMIN_ACTIONS } from '../constants';
import { approveBody, courseParams, queueQuery, requestChangesBody, queueResponse, submissionDetailResponse, transitionResponse } from './schemas';

const guard = (action: string) => ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }];

/** Refusals every editor route shares. */
const EDITOR_ERRORS = {
  401: 'No admin session (content-API credentials never open these routes)',
  403: 'The admin role lacks this review permission',
} as const;

/** Content-API callers are refused before anything runs (examples cannot log in as an editor). */
const anonymous = (params?: Record<string, string>) => ({ name: 'without an admin session', ...(params ? { params } : {}), as: 'anonymous' as const, status: 401 });

export const queue = route({
  method: 'GET',
  path: '/submissions',
  handler: 'editor.queue',
  config: { policies: guard(ADMIN_ACTIONS.read) },
  summary: 'The review queue, filtered and paginated',
  description: 'Oldest submission first by default; `meta.instructors` lists the instructors for the filter. [RBAC: plugin::review.read]',
  request: { query: queueQuery },
  response: queueResponse,
  errors: { ...EDITOR_ERRORS, 400: 'An unknown state, a malformed date or documentId, a page size out of range' },
  examples: [anonymous()],
});

export const detail = route({
  method: 'GET',
  path: '/submissions/:documentId',
  handler: 'editor.detail',
  config: { policies: guard(ADMIN_ACTIONS.read) },
  summary: 'One submission: the course outline, its checks and its history with editor names',
  description: '[RBAC: plugin::review.read]',
  request: { params: courseParams },
  response: submissionDetailResponse,
  errors: { ...EDITOR_ERRORS, 400: 'A malformed documentId', 404: 'The course was never submitted' },
  examples: [anonymous({ documentId: '$draftCourse' })],
});

export const approve = route({
  method: 'POST',
  path: '/submissions/:documentId/approve',
  handler: 'editor.approve',
  config: { policies: guard(ADMIN_ACTIONS.approve) },
  summary: 'Approve: publishes the course and its chapters in every locale that has a draft',
  description: 'Recorded as the approving editor; approving what is approved answers 200 with `changed: false`. [RBAC: plugin::review.approve]',
  request: { params: courseParams, body: approveBody },
  response: transitionResponse,
  errors: { ...EDITOR_ERRORS, 400: 'A malformed documentId or comment', 404: 'No course has this documentId', 409: 'Not in review, or another request moved it first' },
  examples: [anonymous({ documentId: '$draftCourse' })],
});

export const requestChanges = route({
  method: 'POST',
  path: '/submissions/:documentId/request-changes',
  handler: 'editor.requestChanges',
  config: { policies: guard(ADMIN_ACTIONS.requestChanges) },
  summary: 'Send the course back to its instructor with a comment',
  description: '[RBAC: plugin::review.request-changes]',
  request: { params: courseParams, body: requestChangesBody },
  response: transitionResponse,
  errors: { ...EDITOR_ERRORS, 400: 'No comment, or one shorter than `minCommentLength`', 404: 'No course has this documentId', 409: 'Not in review, or another request moved it first' },
  examples: [anonymous({ documentId: '$draftCourse' })],
});

export const assign = route({
  method: 'POST',
  path: '/submissions/:documentId/assign',
  handler: 'editor.assign',
  config: { policies: guard(ADMIN_ACTIONS.assign) },
  summary: 'Assign a submission in review to the caller',
  description: 'Informative, not a lock; assigning it again answers 200 with `changed: false`. [RBAC: plugin::review.assign]',
  request: { params: courseParams },
  response: transitionResponse,
  errors: { ...EDITOR_ERRORS, 400: 'A malformed documentId', 404: 'No course has this documentId', 409: 'Not in review, or another request moved it first' },
  examples: [anonymous({ documentId: '$draftCourse' })],
});

export default adminRoutes('review', [queue, detail, approve, requestChanges, assign]);
