/**
 * The platform's events: what each plugin announces about a change, and the payload each carries.
 * Emitters and listeners are both checked against this map (`announce`, `emitEvent`, `onEvent`,
 * `onEventInTransaction` in the kernel); a listener can never fail or slow the change that caused
 * the event.
 */
import type { CheckoutGiftEvent, CheckoutInvoiceEvent, CheckoutOrderEvent, CheckoutSubscriptionEvent, CheckoutTrialEndingEvent } from './checkout';
import type { ReviewTransitionEvent } from './review';
import type { CommunityPostEvent, CommunityRatingEvent } from './community';
import type { LearningCertificateEvent } from './learning';

export interface PlatformEvents {
  'review.transition': ReviewTransitionEvent;
  /** A course rating was created, edited, deleted, hidden, restored or marked refunded (community). */
  'community.rating': CommunityRatingEvent;
  /** A review, question or answer was created (community), in its transaction. */
  'community.post': CommunityPostEvent;
  'checkout.order': CheckoutOrderEvent;
  'checkout.subscription': CheckoutSubscriptionEvent;
  /** Stripe says a subscription's free trial ends soon (checkout). */
  'checkout.trial-ending': CheckoutTrialEndingEvent;
  /** A gift's claim code was issued (paid), claimed, canceled or revoked (checkout). */
  'checkout.gift': CheckoutGiftEvent;
  /** A subscription's invoice failed or needs the learner's authentication (checkout), in the webhook's transaction. */
  'checkout.invoice': CheckoutInvoiceEvent;
  /** A certificate was issued (learning), in the transaction that stores it. */
  'learning.certificate': LearningCertificateEvent;
}

export type PlatformEventName = keyof PlatformEvents;
