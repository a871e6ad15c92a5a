import { CHAPTER_UID, COURSE_UID } from '@kp/platform';

/** This plugin's own content types. */
export const SUBMISSION_UID = 'plugin::review.submission' as const;
export const REVIEW_EVENT_UID = 'plugin::review.review-event' as const;

/** Admin RBAC actions (registered in register.ts), as `plugin::review.<uid>`. */
export const ADMIN_ACTIONS = {
  read: 'plugin::review.read',
  approve: 'plugin::review.approve',
  requestChanges: 'plugin::review.request-changes',
  assign: 'plugin::review.assign',
} as const;

/** Media fields, per content type: never set by file id by an instructor (see POST /api/review/media). */
export const MEDIA_FIELDS = {
  [COURSE_UID]: ['cover'],
  [CHAPTER_UID]: ['video', 'attachments'],
} as const;

/** Fields instructors may not write through the core REST routes. */
export const INSTRUCTOR_READONLY_FIELDS = {
  // `chapters` is the inverse side of chapter.course: attaching goes through the chapter, where
  // ownership of both ends is checked. Plans are the editors' pricing bundles.
  [COURSE_UID]: ['chapters', 'plans'],
  [CHAPTER_UID]: [],
} as const;
