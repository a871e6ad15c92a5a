/**
 * Content-API routes: the caller's profile at /api/me/profile (`prefix: ''`), and health. The
 * profile routes need a logged-in role (declared in config.ts, granted by the app's matrix).
 */
import { contentApiRoutes, healthRoute, route } from '@kp/platform';
import { eraseBody, eraseResponse, exportResponse, profileBody, profileResponse } from './schemas';

const AT_ROOT = { prefix: '', policies: [] };
const LEARNER_ONLY = { 401: 'The token is missing, invalid or expired', 403: 'Anonymous callers' } as const;

export const health = healthRoute('Whether the notifications plugin is up, and whether e-mail is delivered or captured');

export const me = route({
  method: 'GET',
  path: '/me/profile',
  handler: 'profile.me',
  config: AT_ROOT,
  summary: 'The caller’s profile: address, display name, preferred language (the language of their e-mails)',
  response: profileResponse,
  errors: LEARNER_ONLY,
  examples: [
    { name: 'the learner’s profile', as: 'learner', status: 200 },
    { name: 'anonymous', as: 'anonymous', status: 403 },
  ],
});

export const update = route({
  method: 'PUT',
  path: '/me/profile',
  handler: 'profile.update',
  config: AT_ROOT,
  summary: 'Change the caller’s display name and/or preferred language',
  request: { body: profileBody },
  response: profileResponse,
  errors: { 400: 'Unknown field, empty body, a language other than en or zh-Hans', ...LEARNER_ONLY },
  examples: [
    { name: 'e-mails in Chinese', as: 'learner', body: { preferredLanguage: 'zh-Hans', displayName: 'Lin' }, status: 200 },
    { name: 'an unsupported language', as: 'learner', body: { preferredLanguage: 'fr' }, status: 400 },
    { name: 'nothing to change', as: 'learner', body: {}, status: 400 },
    { name: 'anonymous', as: 'anonymous', body: { preferredLanguage: 'en' }, status: 403 },
  ],
});

export const exportMine = route({
  method: 'GET',
  path: '/me/export',
  handler: 'me.export',
  config: AT_ROOT,
  summary: 'Everything the platform holds about the caller, as one JSON document (a download)',
  description: 'The account without its secrets, the profile, orders, subscriptions, Stripe customer links, entitlements, progress, certificates, interactions, review submissions, instructor profiles and messages.',
  response: exportResponse,
  errors: LEARNER_ONLY,
  examples: [
    { name: 'the learner’s data', as: 'learner', status: 200 },
    { name: 'anonymous', as: 'anonymous', status: 403 },
  ],
});

export const eraseMine = route({
  method: 'DELETE',
  path: '/me',
  handler: 'me.erase',
  config: AT_ROOT,
  summary: 'Erase the caller’s account and personal data, confirmed by the password',
  description:
    'In one transaction: progress, interactions, entitlements, the Stripe customer link, profile and messages are deleted; orders and subscriptions stay as anonymised accounting records; certificates are revoked and lose the name; then the account goes. The token stops working.',
  request: { body: eraseBody },
  response: eraseResponse,
  errors: { 400: 'No password, or the wrong one', ...LEARNER_ONLY },
  examples: [
    { name: 'the wrong password', as: 'learner', body: { password: 'not-the-password' }, status: 400 },
    { name: 'no password', as: 'learner', body: {}, status: 400 },
    { name: 'anonymous', as: 'anonymous', body: { password: 'x' }, status: 403 },
  ],
});

export default contentApiRoutes('notifications', [health, me, update, exportMine, eraseMine]);
