/**
 * Editor routes, served under /community in the admin API. Each needs an admin session and an
 * RBAC action registered in register.ts: reading (`plugin::community.read`) and acting
 * (`plugin::community.moderate`) are separate permissions.
 */
import { adminRoutes, route } from '@kp/platform';
import { ADMIN_ACTIONS } from '../constants';
import { blockBody, blockResponse, eventsResponse, hideBody, itemsQuery, itemsResponse, moderateParams, moderateResponse, pageQuery, userParams } from './schemas';

const guard = (action: string) => ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }];

const EDITOR_ERRORS = {
  401: 'No admin session (content-API credentials never open these routes)',
  403: 'The admin role lacks this community permission',
} as const;

const anonymous = (params?: Record<string, string>) => ({ name: 'without an admin session', ...(params ? { params } : {}), as: 'anonymous' as const, status: 401 });

export const items = route({
  method: 'GET',
  path: '/moderation/items',
  handler: 'moderation.items',
  config: { policies: guard(ADMIN_ACTIONS.read) },
  summary: 'Reported (most reports first), recent or hidden reviews, questions and answers',
  description: '[RBAC: plugin::community.read]',
  request: { query: itemsQuery },
  response: itemsResponse,
  errors: { ...EDITOR_ERRORS, 400: 'Unknown filter or kind, page size out of range' },
  examples: [anonymous()],
});

export const hide = route({
  method: 'POST',
  path: '/moderation/:kind/:id/hide',
  handler: 'moderation.hide',
  config: { policies: guard(ADMIN_ACTIONS.moderate) },
  summary: 'Hide a post with a reason: it leaves the public API; its author still sees it, and why',
  description: 'Resolves the post’s open reports; a hidden review leaves its course’s rating in the same transaction. Audited. [RBAC: plugin::community.moderate]',
  request: { params: moderateParams, body: hideBody },
  response: moderateResponse,
  errors: { ...EDITOR_ERRORS, 400: 'No reason, unknown kind', 404: 'No post of this kind has this id' },
  examples: [anonymous({ kind: 'review', id: '1' })],
});

export const restore = route({
  method: 'POST',
  path: '/moderation/:kind/:id/restore',
  handler: 'moderation.restore',
  config: { policies: guard(ADMIN_ACTIONS.moderate) },
  summary: 'Restore a hidden post',
  description: 'Audited. [RBAC: plugin::community.moderate]',
  request: { params: moderateParams },
  response: moderateResponse,
  errors: { ...EDITOR_ERRORS, 400: 'Unknown kind', 404: 'No post of this kind has this id' },
  examples: [anonymous({ kind: 'review', id: '1' })],
});

export const block = route({
  method: 'POST',
  path: '/moderation/users/:userId/block',
  handler: 'moderation.block',
  config: { policies: guard(ADMIN_ACTIONS.moderate) },
  summary: 'Block a learner from posting reviews, questions and answers',
  description: 'What they posted stays as it is (hide it separately). Audited. [RBAC: plugin::community.moderate]',
  request: { params: userParams, body: blockBody },
  response: blockResponse,
  errors: { ...EDITOR_ERRORS, 400: 'Malformed user id, reason too long', 404: 'No user has this id' },
  examples: [anonymous({ userId: '1' })],
});

export const unblock = route({
  method: 'DELETE',
  path: '/moderation/users/:userId/block',
  handler: 'moderation.unblock',
  config: { policies: guard(ADMIN_ACTIONS.moderate) },
  summary: 'Let a blocked learner post again',
  description: 'Audited. [RBAC: plugin::community.moderate]',
  request: { params: userParams },
  response: blockResponse,
  errors: { ...EDITOR_ERRORS, 400: 'Malformed user id' },
  examples: [anonymous({ userId: '1' })],
});

export const events = route({
  method: 'GET',
  path: '/moderation/events',
  handler: 'moderation.events',
  config: { policies: guard(ADMIN_ACTIONS.read) },
  summary: 'The moderation audit trail, newest first',
  description: '[RBAC: plugin::community.read]',
  request: { query: pageQuery },
  response: eventsResponse,
  errors: EDITOR_ERRORS,
  examples: [anonymous()],
});

export default adminRoutes('community', [items, hide, restore, block, unblock, events]);
