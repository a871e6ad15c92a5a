/**
 * Content-API routes, as data with their schemas, under /api/community. Reads are public (as the
 * role permissions in config.ts declare); writes need a users-permissions JWT, and every write
 * checks, in its service, who the caller is to the course (the paywall decides) and to the post.
 */
import { contentApiRoutes, healthRoute, route } from '@kp/platform';
import {
  acceptBody,
  answerBody,
  answerResponse,
  courseParams,
  coursesQuery,
  coursesResponse,
  createReviewBody,
  deletedResponse,
  mineResponse,
  myPostsResponse,
  pageQuery,
  questionBody,
  questionListQuery,
  questionListResponse,
  questionParams,
  questionResponse,
  replyBody,
  reportBody,
  reportResponse,
  reviewListQuery,
  reviewListResponse,
  reviewParams,
  reviewResponse,
  updateReviewBody,
} from './schemas';

const NO_POLICIES = { policies: [] };
const UNKNOWN_COURSE = 'doesnotexist0000000000000';

const LEARNER_ONLY = {
  401: 'The token is missing, invalid or expired',
  403: 'Anonymous callers (the role may not use this route)',
} as const;

export const health = healthRoute('Whether the community plugin is up (and the paywall it needs is installed)');

export const courses = route({
  method: 'GET',
  path: '/courses',
  handler: 'ratings.courses',
  config: NO_POLICIES,
  summary: 'Published courses ordered by rating (the catalogue’s rating sort), optionally filtered by a minimum average',
  description: 'Unrated courses come last. Each course carries the same `rating` object as /api/courses responses.',
  request: { query: coursesQuery },
  response: coursesResponse,
  errors: { 400: 'An unknown sort, a minRating outside 1–5, a page size out of range' },
  examples: [
    { name: 'best rated first', as: 'anonymous', status: 200 },
    { name: 'at least 4 stars, in Chinese', as: 'anonymous', query: { minRating: '4', locale: 'zh-Hans' }, status: 200 },
    { name: 'an unknown sort', as: 'anonymous', query: { sort: 'price:desc' }, status: 400 },
  ],
});

export const listReviews = route({
  method: 'GET',
  path: '/courses/:documentId/reviews',
  handler: 'reviews.list',
  config: NO_POLICIES,
  summary: 'A course’s visible reviews, paginated, with its rating',
  description: 'Hidden reviews are never listed; refunded ones are listed with `refunded: true` and do not count in the rating.',
  request: { params: courseParams, query: reviewListQuery },
  response: reviewListResponse,
  errors: { 400: 'Malformed documentId, unknown sort, page size out of range', 404: 'Unknown or unpublished course' },
  examples: [
    { name: 'newest first', as: 'anonymous', params: { documentId: '$course' }, status: 200 },
    { name: 'best first', as: 'anonymous', params: { documentId: '$course' }, query: { sort: 'highest', pageSize: '5' }, status: 200 },
    { name: 'an unknown course', as: 'anonymous', params: { documentId: UNKNOWN_COURSE }, status: 404 },
  ],
});

export const mine = route({
  method: 'GET',
  path: '/courses/:documentId/reviews/mine',
  handler: 'reviews.mine',
  config: NO_POLICIES,
  summary: 'The caller’s review of a course (hidden included, with the reason) and whether they may rate it',
  request: { params: courseParams },
  response: mineResponse,
  errors: { ...LEARNER_ONLY, 404: 'Unknown or unpublished course' },
  examples: [
    { name: 'a learner with access to the course', as: 'learner', params: { documentId: '$course' }, status: 200 },
    { name: 'anonymous', as: 'anonymous', params: { documentId: '$course' }, status: 403 },
  ],
});

export const createReview = route({
  method: 'POST',
  path: '/courses/:documentId/reviews',
  handler: 'reviews.create',
  config: NO_POLICIES,
  status: 201,
  summary: 'Rate a course: 1–5 stars and an optional plain text',
  description:
    'Only a reader of the course (owner, subscriber, grant, or a free course — the paywall decides) who completed at least `COMMUNITY_MIN_CHAPTERS` chapters; never its own instructor; one review per learner and course. The course’s rating is updated in the same transaction.',
  request: { params: courseParams, body: createReviewBody },
  response: reviewResponse,
  errors: {
    400: 'Stars missing or outside 1–5, text too long, unknown field',
    ...LEARNER_ONLY,
    403: 'No access to the course, not enough progress, the course’s own instructor, blocked by an editor, access revoked (details.reason); anonymous callers',
    404: 'Unknown or unpublished course',
    409: 'The learner already rated this course (details.reviewId), or posted the same text before',
    429: 'Too many posts in the window (COMMUNITY_POST_LIMIT)',
    503: 'The paywall plugin is missing',
  },
  examples: [
    { name: 'a learner who completed the (free) course', as: 'learner', params: { documentId: '$freeCourse' }, body: { stars: 5, text: 'Clear and thorough.' }, status: 201 },
    { name: 'the same learner again', as: 'learner', params: { documentId: '$freeCourse' }, body: { stars: 4 }, status: 409 },
    { name: 'stars out of range', as: 'learner', params: { documentId: '$course' }, body: { stars: 6 }, status: 400 },
    { name: 'the course’s own instructor', as: 'instructor', params: { documentId: '$course' }, body: { stars: 5 }, status: 403 },
    { name: 'anonymous', as: 'anonymous', params: { documentId: '$course' }, body: { stars: 4 }, status: 403 },
  ],
});

export const updateReview = route({
  method: 'PATCH',
  path: '/courses/:documentId/reviews/:id',
  handler: 'reviews.update',
  config: NO_POLICIES,
  summary: 'Edit one’s own review (stars and/or text)',
  request: { params: reviewParams, body: updateReviewBody },
  response: reviewResponse,
  errors: {
    400: 'Nothing to change, stars outside 1–5, text too long',
    ...LEARNER_ONLY,
    403: 'Another learner’s review; a refunded review; access revoked; blocked',
    404: 'No such review on this course (a hidden review of someone else included)',
    409: 'The same text was posted before',
  },
  examples: [
    { name: 'nothing to change', as: 'learner', params: { documentId: '$course', id: '1' }, body: {}, status: 400 },
    { name: 'no such review', as: 'learner', params: { documentId: '$course', id: '999999' }, body: { stars: 3 }, status: 404 },
  ],
});

export const removeReview = route({
  method: 'DELETE',
  path: '/courses/:documentId/reviews/:id',
  handler: 'reviews.remove',
  config: NO_POLICIES,
  summary: 'Delete one’s own review (the course’s rating is updated in the same transaction)',
  request: { params: reviewParams },
  response: deletedResponse,
  errors: { 400: 'Malformed id', ...LEARNER_ONLY, 403: 'Another learner’s review', 404: 'No such review on this course' },
  examples: [{ name: 'no such review', as: 'learner', params: { documentId: '$course', id: '999999' }, status: 404 }],
});

export const reply = route({
  method: 'POST',
  path: '/courses/:documentId/reviews/:id/reply',
  handler: 'reviews.reply',
  config: NO_POLICIES,
  summary: 'The course’s instructor sets (or replaces) the one public reply to a review',
  request: { params: reviewParams, body: replyBody },
  response: reviewResponse,
  errors: { 400: 'Empty or too long text', ...LEARNER_ONLY, 403: 'The caller is not the course’s instructor', 404: 'No visible review with this id on this course' },
  examples: [{ name: 'no such review', as: 'instructor', params: { documentId: '$course', id: '999999' }, body: { text: 'Thank you!' }, status: 404 }],
});

export const listQuestions = route({
  method: 'GET',
  path: '/courses/:documentId/questions',
  handler: 'questions.list',
  config: NO_POLICIES,
  summary: 'A course’s questions with their answers (one level of replies), newest first',
  description: 'A question on a chapter is listed only for callers who can read that chapter (the paywall decides); a `chapter` filter on a locked chapter answers an empty page.',
  request: { params: courseParams, query: questionListQuery },
  response: questionListResponse,
  errors: { 400: 'Malformed documentId or page', 404: 'Unknown or unpublished course' },
  examples: [
    { name: 'as anonymous: course-level and preview-chapter questions', as: 'anonymous', params: { documentId: '$course' }, status: 200 },
    { name: 'as a learner with access', as: 'learner', params: { documentId: '$course' }, query: { chapter: '$chapter' }, status: 200 },
    { name: 'an unknown course', as: 'anonymous', params: { documentId: UNKNOWN_COURSE }, status: 404 },
  ],
});

export const askQuestion = route({
  method: 'POST',
  path: '/courses/:documentId/questions',
  handler: 'questions.create',
  config: NO_POLICIES,
  status: 201,
  summary: 'Ask a question about a course, or about one of its chapters',
  request: { params: courseParams, body: questionBody },
  response: questionResponse,
  errors: {
    400: 'Text too short or too long, unknown field',
    ...LEARNER_ONLY,
    403: 'No access to the course or chapter; the course’s instructor; blocked (details.reason); anonymous callers',
    404: 'Unknown course, or a chapter not in this course',
    409: 'The same question was asked before by this learner',
    429: 'Too many posts in the window',
  },
  examples: [
    { name: 'too short', as: 'learner', params: { documentId: '$course' }, body: { text: 'hi' }, status: 400 },
    { name: 'the course’s instructor does not ask', as: 'instructor', params: { documentId: '$course' }, body: { text: 'What is covered?' }, status: 403 },
    { name: 'anonymous', as: 'anonymous', params: { documentId: '$course' }, body: { text: 'What is covered?' }, status: 403 },
  ],
});

export const getQuestion = route({
  method: 'GET',
  path: '/questions/:id',
  handler: 'questions.findOne',
  config: NO_POLICIES,
  summary: 'One question with its answers',
  description: 'A question on a chapter the caller cannot read answers 404, as an unknown one.',
  request: { params: questionParams },
  response: questionResponse,
  errors: { 400: 'Malformed id', 404: 'Unknown, hidden, or on a chapter the caller cannot read' },
  examples: [{ name: 'an unknown question', as: 'anonymous', params: { id: '999999' }, status: 404 }],
});

export const answer = route({
  method: 'POST',
  path: '/questions/:id/answers',
  handler: 'questions.answer',
  config: NO_POLICIES,
  status: 201,
  summary: 'Answer a question (or reply to a top-level answer with parentAnswerId)',
  description: 'The course’s instructor and learners who can read what the question is about may answer; the instructor’s answers are marked `byInstructor`.',
  request: { params: questionParams, body: answerBody },
  response: answerResponse,
  errors: {
    400: 'Text too short or too long; parentAnswerId not a top-level answer of this question',
    ...LEARNER_ONLY,
    403: 'No access to the course or chapter; blocked',
    404: 'Unknown question, or one the caller cannot see',
    409: 'The same answer was posted before by this caller',
    429: 'Too many posts in the window',
  },
  examples: [{ name: 'an unknown question', as: 'learner', params: { id: '999999' }, body: { text: 'Read chapter two.' }, status: 404 }],
});

export const accept = route({
  method: 'POST',
  path: '/questions/:id/accept',
  handler: 'questions.accept',
  config: NO_POLICIES,
  summary: 'The asker or the course’s instructor marks (or, with null, withdraws) the accepted answer',
  request: { params: questionParams, body: acceptBody },
  response: questionResponse,
  errors: { 400: 'answerId is not a visible answer of this question', ...LEARNER_ONLY, 403: 'Neither the asker nor the instructor', 404: 'Unknown question, or one the caller cannot see' },
  examples: [{ name: 'an unknown question', as: 'learner', params: { id: '999999' }, body: { answerId: null }, status: 404 }],
});

export const unanswered = route({
  method: 'GET',
  path: '/me/unanswered',
  handler: 'questions.unanswered',
  config: NO_POLICIES,
  summary: 'The instructor’s inbox: questions on their courses that nobody has answered, oldest first',
  request: { query: pageQuery },
  response: questionListResponse,
  errors: { 401: 'The token is missing, invalid or expired', 403: 'Not an instructor' },
  examples: [
    { name: 'the instructor’s unanswered questions', as: 'instructor', status: 200 },
    { name: 'a learner', as: 'learner', status: 403 },
  ],
});

export const myPosts = route({
  method: 'GET',
  path: '/me/posts',
  handler: 'me.posts',
  config: NO_POLICIES,
  summary: 'Everything the caller posted; hidden posts carry the editor’s reason',
  response: myPostsResponse,
  errors: LEARNER_ONLY,
  examples: [
    { name: 'the learner’s posts', as: 'learner', status: 200 },
    { name: 'anonymous', as: 'anonymous', status: 403 },
  ],
});

export const report = route({
  method: 'POST',
  path: '/reports',
  handler: 'reports.create',
  config: NO_POLICIES,
  status: 201,
  summary: 'Report a review, question or answer to the editors',
  description: 'Reporting the same post again answers 201 with `created: false`.',
  request: { body: reportBody },
  response: reportResponse,
  errors: { 400: 'Unknown target type or reason, note too long', ...LEARNER_ONLY, 404: 'No visible post of this kind has this id (for this caller)' },
  examples: [
    { name: 'an unknown review', as: 'learner', body: { targetType: 'review', targetId: 999999, reason: 'spam' }, status: 404 },
    { name: 'an unknown reason', as: 'learner', body: { targetType: 'review', targetId: 1, reason: 'boring' }, status: 400 },
  ],
});

export default contentApiRoutes('community', [
  health,
  courses,
  listReviews,
  mine,
  createReview,
  updateReview,
  removeReview,
  reply,
  listQuestions,
  askQuestion,
  getQuestion,
  answer,
  accept,
  unanswered,
  myPosts,
  report,
]);
