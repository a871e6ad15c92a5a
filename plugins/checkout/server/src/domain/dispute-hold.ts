/**
 * A dispute whose order is not known yet. A dispute event names its payment (PaymentIntent, charge)
 * but not our order; until the Checkout Session's event records that PaymentIntent on the order
 * (events reordered, or a delayed delivery), nothing can find it. Such an event is recorded as
 * held, with what it would do, under the PaymentIntent; when the session's event makes the order
 * known, the held disputes are applied in Stripe's order. These functions encode and decode what
 * a held event does in its recorded outcome (at most 64 characters).
 */
import type { OrderEvent } from './orders';

export const HELD_DISPUTE_PREFIX = 'dispute-held:';
/** The outcome a held dispute is given once applied. */
export const APPLIED_DISPUTE_OUTCOME = 'dispute-applied';

type DisputeEvent = Extract<OrderEvent, { type: 'dispute-opened' | 'dispute-closed' }>;

/** The recorded outcome of a held dispute event. */
export function heldDisputeOutcome(event: DisputeEvent): string {
  return event.type === 'dispute-opened' ? `${HELD_DISPUTE_PREFIX}opened` : `${HELD_DISPUTE_PREFIX}${event.outcome}`;
}

/** What a held dispute does, from its recorded outcome; null for any other outcome. */
export function heldDisputeEvent(outcome: string | null | undefined): DisputeEvent | null {
  switch (outcome) {
    case `${HELD_DISPUTE_PREFIX}opened`:
      return { type: 'dispute-opened' };
    case `${HELD_DISPUTE_PREFIX}won`:
      return { type: 'dispute-closed', outcome: 'won' };
    case `${HELD_DISPUTE_PREFIX}lost`:
      return { type: 'dispute-closed', outcome: 'lost' };
    default:
      return null;
  }
}
