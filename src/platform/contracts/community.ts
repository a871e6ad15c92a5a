/**
 * The community plugin's contract: the `rating` every course response carries, and the
 * `community.rating` event it emits after each committed change of a rating (the recommender, or
 * any listener, may weigh it). Type-only but for the value lists.
 */

/** Per-star counts of a course's counted reviews, keys "1".."5". */
export type RatingHistogram = Record<'1' | '2' | '3' | '4' | '5', number>;

/** `rating` on course responses: visible, non-refunded reviews only. */
export interface CourseRating {
  /** Mean stars, two decimals; null while nobody has rated. */
  average: number | null;
  count: number;
  histogram: RatingHistogram;
}

/** `ratings`: what other plugins may read of the aggregate (the recommender's reasons). */
export interface CommunityRatingsContract {
  /** The ratings of these courses in one statement; a course nobody rated gets `{ average: null, count: 0 }`. */
  forCourses(courseDocumentIds: readonly string[]): Promise<Map<string, CourseRating>>;
}

export interface CommunityContract {
  ratings: CommunityRatingsContract;
}

export const RATING_EVENT_ACTIONS = ['created', 'updated', 'deleted', 'hidden', 'restored', 'refunded'] as const;
export type RatingEventAction = (typeof RATING_EVENT_ACTIONS)[number];

/** Payload of `community.rating`, emitted after the write committed. */
export interface CommunityRatingEvent {
  action: RatingEventAction;
  reviewId: number;
  userId: number;
  courseDocumentId: string;
  /** The review's stars now (null once deleted). */
  stars: number | null;
  /** Its stars before an update (null otherwise). */
  previousStars: number | null;
  /** Whether the review counts in the aggregate after the change. */
  counted: boolean;
  /** The course's aggregate after the change. */
  rating: CourseRating;
  at: string;
}

/** The post kinds learners report and editors moderate. */
export const COMMUNITY_POST_KINDS = ['review', 'question', 'answer'] as const;
export type CommunityPostKind = (typeof COMMUNITY_POST_KINDS)[number];

/** One post as the Community admin page lists it (`GET /community/moderation/items` → `data[]`). */
export interface CommunityModerationItem {
  kind: CommunityPostKind;
  id: number;
  text: string | null;
  stars: number | null;
  courseDocumentId: string | null;
  chapterDocumentId: string | null;
  questionId: number | null;
  author: { userId: number; name: string | null; blocked: boolean };
  state: 'visible' | 'hidden';
  hiddenReason: string | null;
  /** Reports not yet resolved by a moderation action. */
  openReports: number;
  createdAt: string;
}

export interface CommunityPagination {
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
}

/** `GET /community/moderation/items`. */
export interface CommunityModerationItemsResponse {
  data: CommunityModerationItem[];
  meta: { pagination: CommunityPagination };
}

/** One audit row (`GET /community/moderation/events` → `data[]`). */
export interface CommunityModerationEvent {
  id: number;
  action: 'hide' | 'restore' | 'block' | 'unblock';
  targetType: CommunityPostKind | 'user';
  targetId: number;
  adminId: number | null;
  adminName: string | null;
  reason: string | null;
  createdAt: string;
}

/**
 * `community.post`: a review, question or answer was created (announced inside the transaction
 * that stores it, so a listener's outbox row commits with the post).
 */
export interface CommunityPostEvent {
  kind: 'review' | 'question' | 'answer';
  postId: number;
  courseDocumentId: string;
  chapterDocumentId: string | null;
  /** Who wrote it. */
  authorUserId: number;
  /** The course's instructor wrote it. */
  byInstructor: boolean;
  /** For an answer: the question it answers and the question's author. */
  questionId: number | null;
  questionAuthorUserId: number | null;
  /** For a review: its stars. */
  stars: number | null;
  at: string;
}
