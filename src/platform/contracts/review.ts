/** The review workflow's contract: its states, the event it emits after every committed transition, and the HTTP shapes its admin UI reads. */

export const REVIEW_STATES = ['draft', 'in_review', 'changes_requested', 'approved'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const REVIEW_ACTIONS = ['submit', 'withdraw', 'request_changes', 'approve', 'assign', 'reopen'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/** Who performed a transition: a users-permissions user (instructor) or an admin user (editor). */
export type ReviewActor = { kind: 'instructor'; id: number; name: string } | { kind: 'editor'; id: number; name: string };

/** Payload of `review.transition`, emitted on the platform's event bus after the transition committed. */
export interface ReviewTransitionEvent {
  courseDocumentId: string;
  action: ReviewAction;
  from: ReviewState;
  to: ReviewState;
  actor: ReviewActor;
  comment: string | null;
  /** ISO time of the transition. */
  at: string;
}

// The review plugin's HTTP shapes that its admin UI reads (admin API `/review/...`) and its
// instructor routes answer. The server's response schemas are checked against these types at
// compile time, so the admin page and the server cannot drift apart.

/** How much a check counts: a failing `required` check refuses a submission, a `recommended` one warns the editor. */
export type ReviewCheckLevel = 'required' | 'recommended';

/** One item of the submission checklist. */
export interface ReviewCheck {
  /** The check's id, such as `cover` or `chapters`. */
  id: string;
  level: ReviewCheckLevel;
  passed: boolean;
  /** What the instructor reads: what passed, or what to fix. */
  message: string;
}

/** A course's review record, as the review routes answer it. Times are ISO strings. */
export interface ReviewSubmission {
  id: number;
  courseDocumentId: string;
  state: ReviewState;
  instructorDocumentId: string | null;
  submittedAt: string | null;
  decidedAt: string | null;
  /** How many times the course was submitted. */
  revision: number;
  /** The checks of the last submission. */
  checks: ReviewCheck[];
  /** The locales that had a draft at the last submission. */
  locales: string[];
  /** Recommended checks that failed at the last submission. */
  warnings: number;
  lastComment: string | null;
  /** The editor who took the submission (display name only). */
  assignee: { id: number; name: string } | null;
  submittedBy: { id: number; username: string } | null;
}

/** One event of a course's audit trail, as editors read it. */
export interface ReviewHistoryEvent {
  id: number;
  courseDocumentId: string;
  action: ReviewAction;
  from: ReviewState;
  to: ReviewState;
  /** Editors are named by first name and initial, never by e-mail. */
  actor: { type: ReviewActor['kind']; id: number; name: string | null };
  comment: string | null;
  /** The checks a submission ran (null for other actions). */
  checks: ReviewCheck[] | null;
  at: string;
}

/** The answer of every transition route (submit, withdraw, approve, request changes, assign). */
export interface ReviewTransitionResponse {
  data: {
    courseDocumentId: string;
    state: ReviewState;
    /** False when the course already was where the action leads (a repeated click). */
    changed: boolean;
    submission: ReviewSubmission | null;
    /** Every check of a submission that changed the state. */
    checks?: ReviewCheck[];
  };
}

/** A file as the review routes show it. */
export interface ReviewMedia {
  id: number;
  name: string;
  url: string;
  mime: string;
  size: number;
}

/** A row of the editors' queue (admin API `GET /review/submissions`). */
export interface ReviewQueueItem {
  courseDocumentId: string;
  title: string | null;
  slug: string | null;
  state: ReviewState;
  instructor: { documentId: string; name: string | null } | null;
  submittedAt: string | null;
  decidedAt: string | null;
  revision: number;
  assignee: { id: number; name: string } | null;
  submittedBy: { id: number; username: string } | null;
  locales: string[];
  /** The course has a published version. */
  live: boolean;
  /** The course still exists. */
  exists: boolean;
  checks: ReviewCheck[];
  checksSummary: { total: number; failedRequired: number; warnings: number };
  lastComment: string | null;
  /** What an editor may do from this state. */
  actions: ReviewAction[];
  /** Where the course opens in the Content Manager, relative to the admin panel's root. */
  contentManagerPath: string;
}

export interface ReviewQueueResponse {
  data: ReviewQueueItem[];
  meta: {
    pagination: { page: number; pageSize: number; pageCount: number; total: number };
    /** Instructors that have a submission, for the queue's filter, sorted by name. */
    instructors: Array<{ documentId: string; name: string }>;
    settings: { minCommentLength: number };
  };
}

/** The course behind a submission, in the default locale (admin API `GET /review/submissions/:documentId`). */
export interface ReviewCourseOutline {
  title: string | null;
  summary: string | null;
  access: string | null;
  price: number | null;
  currency: string | null;
  cover: ReviewMedia | null;
  draftLocales: string[];
  publishedLocales: string[];
  chapters: Array<{ documentId: string; title: string | null; position: number | null; isPreview: boolean; hasContent: boolean; live: boolean }>;
}

export interface ReviewSubmissionDetail extends ReviewQueueItem {
  /** Null when the course has no draft in the default locale any more. */
  course: ReviewCourseOutline | null;
  history: ReviewHistoryEvent[];
}
