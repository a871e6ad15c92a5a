/**
 * The platform's events: what each plugin announces after a change has committed, and the payload
 * each carries. Emitters and listeners are both checked against this map (`emitEvent`,
 * `onEvent` in the kernel); a listener can never fail or slow the change that caused the event.
 */
import type { ReviewTransitionEvent } from './review';
import type { CommunityRatingEvent } from './community';

export interface PlatformEvents {
  'review.transition': ReviewTransitionEvent;
  /** A course rating was created, edited, deleted, hidden, restored or marked refunded (community). */
  'community.rating': CommunityRatingEvent;
}

export type PlatformEventName = keyof PlatformEvents;
