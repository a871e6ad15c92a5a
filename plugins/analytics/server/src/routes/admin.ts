/**
 * Served under /analytics for the admin panel (admin JWT), each page behind its own RBAC action
 * (register.ts registers them; bootstrap.ts grants them once to the Editor role).
 */
import { adminRoutes, route } from '@kp/platform';
import { ADMIN_ACTIONS } from '../constants';
import {
  adminReportQuery,
  behaviourAtRiskResponse,
  behaviourBuyersQuery,
  behaviourBuyersResponse,
  behaviourCheckoutQuery,
  behaviourCheckoutResponse,
  behaviourListQuery,
  behaviourSegmentsResponse,
  behaviourStatusResponse,
  funnelResponse,
  learningResponse,
  overviewResponse,
  reviewResponse,
  salesResponse,
} from './schemas';

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

const behaviourErrors = (action: string) => ({ 400: 'a malformed limit, days or course id', 401: 'without an admin JWT', 403: `without ${action}` });
const noToken = [{ name: 'Without an admin token', as: 'anonymous' as const, status: 401 }];

export const behaviourStatus = route({
  method: 'GET',
  path: '/behaviour/status',
  handler: 'behaviour.status',
  config: guarded(ADMIN_ACTIONS.behaviour),
  summary: 'Behaviour models: the training in progress or last run (state, step, progress, error), and each stored model’s version, window, features and held-out figures',
  response: behaviourStatusResponse,
  errors: behaviourErrors(ADMIN_ACTIONS.behaviour),
  examples: noToken,
});

export const behaviourRetrain = route({
  method: 'POST',
  path: '/behaviour/retrain',
  handler: 'behaviour.retrain',
  config: guarded(ADMIN_ACTIONS.behaviourTrain),
  summary: 'Retrain the churn and propensity models and the segments now, in the background',
  description: 'Accepted, not done: follow GET /behaviour/status. A training already running on this instance is not started twice. A failed training keeps the previous models.',
  response: behaviourStatusResponse,
  status: 202,
  errors: behaviourErrors(ADMIN_ACTIONS.behaviourTrain),
  examples: noToken,
});

export const behaviourAtRisk = route({
  method: 'GET',
  path: '/behaviour/at-risk',
  handler: 'behaviour.atRisk',
  config: guarded(ADMIN_ACTIONS.behaviour),
  summary: 'Active learners by churn risk, with the reason in words (the tree path or the largest contributions)',
  request: { query: behaviourListQuery },
  response: behaviourAtRiskResponse,
  errors: behaviourErrors(ADMIN_ACTIONS.behaviour),
  examples: noToken,
});

export const behaviourBuyers = route({
  method: 'GET',
  path: '/behaviour/likely-buyers',
  handler: 'behaviour.likelyBuyers',
  config: guarded(ADMIN_ACTIONS.behaviour),
  summary: 'Per course, learners who showed interest and have not bought it, by purchase propensity',
  request: { query: behaviourBuyersQuery },
  response: behaviourBuyersResponse,
  errors: behaviourErrors(ADMIN_ACTIONS.behaviour),
  examples: noToken,
});

export const behaviourSegments = route({
  method: 'GET',
  path: '/behaviour/segments',
  handler: 'behaviour.segments',
  config: guarded(ADMIN_ACTIONS.behaviour),
  summary: 'Learner segments (k-means over the behaviour features) with sizes and the features that set each apart',
  response: behaviourSegmentsResponse,
  errors: behaviourErrors(ADMIN_ACTIONS.behaviour),
  examples: noToken,
});

export const behaviourCheckout = route({
  method: 'GET',
  path: '/behaviour/checkout-success',
  handler: 'behaviour.checkout',
  config: guarded(ADMIN_ACTIONS.behaviour),
  summary: 'Checkout success: observed paid rate of started sessions by course, currency, price band and returning vs new buyer; a probability per open session',
  request: { query: behaviourCheckoutQuery },
  response: behaviourCheckoutResponse,
  errors: behaviourErrors(ADMIN_ACTIONS.behaviour),
  examples: noToken,
});

export default adminRoutes('analytics', [overview, sales, funnel, learning, review, behaviourStatus, behaviourRetrain, behaviourAtRisk, behaviourBuyers, behaviourSegments, behaviourCheckout]);
