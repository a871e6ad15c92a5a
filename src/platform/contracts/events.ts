/**
 * The platform's events: what each plugin announces after a change has committed, and the payload
 * each carries. Emitters and listeners are both checked against this map (`emitEvent`,
 * `onEvent` in the kernel); a listener can never fail or slow the change that caused the event.
 */
import type { ReviewTransitionEvent } from './review';

export interface PlatformEvents {
  'review.transition': ReviewTransitionEvent;
}

export type PlatformEventName = keyof PlatformEvents;
