/**
 * Instructors' own figures at /api/analytics/me/…: the courses of the caller's instructor profile,
 * never another's (a `course` filter outside them is a 404). Only the instructor role holds these
 * actions (config.ts, src/lib/security/route-permissions.ts): learners and anonymous callers get 403.
 */
import { contentApiRoutes, healthRoute, route } from '@kp/platform';
import { instructorAtRiskQuery, instructorAtRiskResponse, instructorLearningResponse, instructorReportQuery, instructorSalesResponse } from './schemas';

const REFUSALS = {
  400: 'invalid range, granularity, time zone or course id',
  401: 'The token is missing, invalid or expired',
  403: 'not an instructor (learners, anonymous callers), or no instructor profile',
  404: 'the course filter names a course that is not the caller’s',
} as const;

export const health = healthRoute('Whether the analytics plugin is up');

export const mySales = route({
  method: 'GET',
  path: '/me/sales',
  handler: 'instructor.sales',
  config: { policies: [] },
  summary: 'An instructor’s sales: gross, refunds, disputes and net per currency, by period and by own course',
  request: { query: instructorReportQuery },
  response: instructorSalesResponse,
  errors: REFUSALS,
  examples: [
    { name: 'the last 30 days', as: 'instructor', query: { preset: '30d' }, status: 200 },
    { name: 'by month this year', as: 'instructor', query: { preset: 'ytd', granularity: 'month' }, status: 200 },
    { name: 'a bad granularity', as: 'instructor', query: { granularity: 'hour' }, status: 400 },
    { name: 'a learner', as: 'learner', status: 403 },
    { name: 'anonymous', as: 'anonymous', status: 403 },
  ],
});

export const myLearning = route({
  method: 'GET',
  path: '/me/learning',
  handler: 'instructor.learning',
  config: { policies: [] },
  summary: 'An instructor’s learners: enrolments, started, completed, certificates, chapter drop-off of own courses',
  request: { query: instructorReportQuery },
  response: instructorLearningResponse,
  errors: REFUSALS,
  examples: [
    { name: 'the last 30 days', as: 'instructor', query: { preset: '30d' }, status: 200 },
    { name: 'a custom range without its end', as: 'instructor', query: { preset: 'custom', from: '2026-01-01' }, status: 400 },
    { name: 'a learner', as: 'learner', status: 403 },
  ],
});

export const myAtRisk = route({
  method: 'GET',
  path: '/me/at-risk',
  handler: 'instructor.atRisk',
  config: { policies: [] },
  summary: 'Learners of the instructor’s own courses by churn risk: username, progress in the course and the reason (never an e-mail)',
  request: { query: instructorAtRiskQuery },
  response: instructorAtRiskResponse,
  errors: { 400: 'a malformed limit', 401: REFUSALS[401], 403: REFUSALS[403] },
  examples: [
    { name: 'the riskiest 20', as: 'instructor', query: { limit: '20' }, status: 200 },
    { name: 'a bad limit', as: 'instructor', query: { limit: '0' }, status: 400 },
    { name: 'a learner', as: 'learner', status: 403 },
    { name: 'anonymous', as: 'anonymous', status: 403 },
  ],
});

export default contentApiRoutes('analytics', [health, mySales, myLearning, myAtRisk]);
