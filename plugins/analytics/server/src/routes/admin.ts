/**
 * Served under /analytics for the admin panel (admin JWT), each page behind its own RBAC action
 * (register.ts registers them; bootstrap.ts grants them once to the Editor role).
 */
import { adminRoutes, route } from '@kp/platform';
import { ADMIN_ACTIONS } from '../constants';
import { adminReportQuery, funnelResponse, learningResponse, overviewResponse, reviewResponse, salesResponse } from './schemas';

const can = (action: string) => ({ name: 'admin::hasPermissions', config: { actions: [action] } });
const guarded = (action: string) => ({ policies: ['admin::isAuthenticatedAdmin', can(action)] });
const errors = (action: string) => ({
  400: 'invalid range (dates, preset, granularity, too many buckets), unknown time zone, malformed filter',
  401: 'without an admin JWT',
  403: `without ${action}`,
});
const anonymous = [{ name: 'Without an admin token', as: 'anonymous' as const, query: { preset: '30d' }, status: 401 }];

export const sales = route({
  method: 'GET',
  path: '/sales',
  handler: 'admin.sales',
  config: guarded(ADMIN_ACTIONS.sales),
  summary: 'Sales: gross, refunds, disputes and net per currency, by time and by course; subscriptions, churn and MRR',
  request: { query: adminReportQuery },
  response: salesResponse,
  errors: errors(ADMIN_ACTIONS.sales),
  examples: anonymous,
});

export const funnel = route({
  method: 'GET',
  path: '/funnel',
  handler: 'admin.funnel',
  config: guarded(ADMIN_ACTIONS.funnel),
  summary: 'Checkout funnel: sessions started → completed → paid → refunded, abandonment and failures',
  request: { query: adminReportQuery },
  response: funnelResponse,
  errors: errors(ADMIN_ACTIONS.funnel),
  examples: anonymous,
});

export const learning = route({
  method: 'GET',
  path: '/learning',
  handler: 'admin.learning',
  config: guarded(ADMIN_ACTIONS.learning),
  summary: 'Learning: enrolments, started, completed, certificates, median time to complete, chapter drop-off',
  request: { query: adminReportQuery },
  response: learningResponse,
  errors: errors(ADMIN_ACTIONS.learning),
  examples: anonymous,
});

export const review = route({
  method: 'GET',
  path: '/review',
  handler: 'admin.review',
  config: guarded(ADMIN_ACTIONS.review),
  summary: 'Catalogue review: queue, submissions, approvals, changes requested, time in review per instructor',
  request: { query: adminReportQuery },
  response: reviewResponse,
  errors: errors(ADMIN_ACTIONS.review),
  examples: anonymous,
});

export const overview = route({
  method: 'GET',
  path: '/overview',
  handler: 'admin.overview',
  config: guarded(ADMIN_ACTIONS.overview),
  summary: 'The homepage widgets’ figures: revenue against the previous period, orders, subscriptions, conversion, review queue, learning',
  request: { query: adminReportQuery },
  response: overviewResponse,
  errors: errors(ADMIN_ACTIONS.overview),
  examples: anonymous,
});

export default adminRoutes('analytics', [overview, sales, funnel, learning, review]);
