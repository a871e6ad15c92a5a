/**
 * Documented requests of the routes the app itself defines or configures (the catalogue's core
 * routes, users-permissions' login). Plugin routes carry theirs in their route definitions. The
 * OpenAPI test sends every example to a running server and checks the answer against the
 * document. String values starting with `$` are fixtures the test resolves (`$course`: a
 * published paid course's documentId, `$chapter`, `$learnerEmail`, …).
 */
import type { RouteExample } from '@kp/platform';

export const APP_EXAMPLES: Record<string, RouteExample[]> = {
  'GET /courses': [
    { name: 'catalogue page with relations and chapter outline', as: 'anonymous', status: 200, query: { 'populate[instructor]': 'true', 'populate[tags]': 'true', 'populate[category]': 'true', 'populate[chapters][fields][0]': 'title', 'populate[chapters][fields][1]': 'position', 'populate[chapters][fields][2]': 'isPreview', 'pagination[pageSize]': '10' } },
    { name: 'in Chinese, filtered by access', as: 'anonymous', status: 200, query: { locale: 'zh-Hans', 'filters[access][$eq]': 'paid' } },
    { name: 'a filter on gated content is refused (no oracle)', as: 'anonymous', status: 400, query: { 'filters[chapters][body][$contains]': 'secret' } },
    { name: 'drafts are refused', as: 'anonymous', status: 403, query: { status: 'draft' } },
  ],
  'GET /courses/{id}': [
    { name: 'one course with its chapters (locked ones without content)', as: 'anonymous', status: 200, params: { id: '$course' }, query: { populate: 'chapters' } },
    { name: 'the same for a learner who bought it', as: 'learner', status: 200, params: { id: '$course' }, query: { populate: 'chapters' } },
  ],
  'GET /chapters': [{ name: 'the chapters of a course, in order', as: 'anonymous', status: 200, query: { 'filters[course][documentId][$eq]': '$course', sort: 'position' } }],
  'GET /chapters/{id}': [{ name: 'a locked chapter: same shape, no content', as: 'anonymous', status: 200, params: { id: '$chapter' } }],
  'GET /tags': [{ name: 'all tags', as: 'anonymous', status: 200 }],
  'GET /categories': [{ name: 'all categories', as: 'anonymous', status: 200 }],
  'GET /instructors': [{ name: 'instructors with their avatars', as: 'anonymous', status: 200, query: { populate: 'avatar' } }],
  'GET /plans': [{ name: 'subscription plans', as: 'anonymous', status: 200 }],
  'POST /auth/local': [
    { name: 'log in', as: 'anonymous', status: 200, body: { identifier: '$learnerEmail', password: '$learnerPassword' } },
    { name: 'wrong password', as: 'anonymous', status: 400, body: { identifier: '$learnerEmail', password: 'not-the-password' } },
  ],
  'GET /users/me': [{ name: 'the logged-in account', as: 'learner', status: 200 }],
};
