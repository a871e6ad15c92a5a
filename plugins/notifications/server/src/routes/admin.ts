/**
 * Served under /notifications for the admin panel (admin JWT), guarded by the RBAC actions this
 * plugin registers (register.ts): reading the outbox, and resending a message.
 */
import { adminRoutes, route } from '@kp/platform';
import { rowIdSchema } from '@kp/platform';
import { z } from 'zod';
import { eraseResponse, exportResponse } from './schemas';
import { outboxListResponse, outboxMessageResponse, outboxParams, outboxQuery, previewParams, previewQuery, previewResponse, resendResponse, statusResponse } from './schemas';

export const ADMIN_ACTIONS = {
  read: 'plugin::notifications.outbox.read',
  resend: 'plugin::notifications.outbox.resend',
  accounts: 'plugin::notifications.accounts.manage',
} as const;

const can = (action: string) => ({ name: 'admin::hasPermissions', config: { actions: [action] } });
const READ = { policies: ['admin::isAuthenticatedAdmin', can(ADMIN_ACTIONS.read)] };
const NO_TOKEN = { 401: 'without an admin JWT', 403: 'without Read the outbox (plugin::notifications.outbox.read)' } as const;

export const status = route({
  method: 'GET',
  path: '/status',
  handler: 'outbox.status',
  config: READ,
  summary: 'How e-mail leaves the platform (SMTP, or captured and not delivered) and the outbox’s counts per state',
  response: statusResponse,
  errors: NO_TOKEN,
  examples: [{ name: 'Without an admin token', as: 'anonymous', status: 401 }],
});

export const list = route({
  method: 'GET',
  path: '/outbox',
  handler: 'outbox.find',
  config: READ,
  summary: 'Messages, newest first, optionally of one state or recipient (Outbox page)',
  request: { query: outboxQuery },
  response: outboxListResponse,
  errors: { 400: 'invalid page, pageSize or state', ...NO_TOKEN },
  examples: [{ name: 'Without an admin token', as: 'anonymous', query: { state: 'failed' }, status: 401 }],
});

export const findOne = route({
  method: 'GET',
  path: '/outbox/:id',
  handler: 'outbox.findOne',
  config: READ,
  summary: 'One message with its text and HTML bodies, as sent',
  request: { params: outboxParams },
  response: outboxMessageResponse,
  errors: { 400: 'malformed id', ...NO_TOKEN, 404: 'no such message' },
  examples: [{ name: 'Without an admin token', as: 'anonymous', params: { id: '1' }, status: 401 }],
});

export const resend = route({
  method: 'POST',
  path: '/outbox/:id/resend',
  handler: 'outbox.resend',
  config: { policies: ['admin::isAuthenticatedAdmin', can(ADMIN_ACTIONS.resend)] },
  summary: 'Queue a message again (attempts reset); the worker sends it',
  request: { params: outboxParams },
  response: resendResponse,
  status: 202,
  errors: { 400: 'malformed id', 401: 'without an admin JWT', 403: 'without Resend messages (plugin::notifications.outbox.resend)', 404: 'no such message', 409: 'e-mail is captured (SMTP_HOST is not set): nothing can be delivered' },
  examples: [{ name: 'Without an admin token', as: 'anonymous', params: { id: '1' }, status: 401 }],
});

export const preview = route({
  method: 'GET',
  path: '/templates/:template/preview',
  handler: 'outbox.preview',
  config: READ,
  summary: 'A template rendered with sample data, in en or zh-Hans',
  request: { params: previewParams, query: previewQuery },
  response: previewResponse,
  errors: { 400: 'unknown template or locale', ...NO_TOKEN },
  examples: [{ name: 'Without an admin token', as: 'anonymous', params: { template: 'checkout.receipt' }, status: 401 }],
});

const ACCOUNTS = { policies: ['admin::isAuthenticatedAdmin', can(ADMIN_ACTIONS.accounts)] };
const userParams = z.object({ userId: rowIdSchema });
const ACCOUNT_ERRORS = { 400: 'malformed userId', 401: 'without an admin JWT', 403: 'without Export and erase accounts (plugin::notifications.accounts.manage)', 404: 'no such user' } as const;

export const exportAccount = route({
  method: 'GET',
  path: '/accounts/:userId/export',
  handler: 'accounts.export',
  config: ACCOUNTS,
  summary: 'A support request: everything the platform holds about one user (the same document as GET /api/me/export)',
  request: { params: userParams },
  response: exportResponse,
  errors: ACCOUNT_ERRORS,
  examples: [{ name: 'Without an admin token', as: 'anonymous', params: { userId: '1' }, status: 401 }],
});

export const eraseAccount = route({
  method: 'DELETE',
  path: '/accounts/:userId',
  handler: 'accounts.erase',
  config: ACCOUNTS,
  summary: 'A support request: erase one user’s account and personal data (the same erasure as DELETE /api/me)',
  request: { params: userParams },
  response: eraseResponse,
  errors: ACCOUNT_ERRORS,
  examples: [{ name: 'Without an admin token', as: 'anonymous', params: { userId: '1' }, status: 401 }],
});

export default adminRoutes('notifications', [status, list, findOne, resend, preview, exportAccount, eraseAccount]);
