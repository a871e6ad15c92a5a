/**
 * The order state machine. An order is one attempt to buy one course (or start one plan): created
 * `pending` with its Checkout Session, then moved by Stripe's events. Each transition says what it
 * does to access; applying an event to an order already past it changes nothing and says why, so a
 * redelivered, duplicated or late event is harmless.
 *
 *   pending ──paid──▶ paid ──full refund──▶ refunded ──refund failed──▶ paid
 *      │  └─failed / expired                 ▲
 *      │                     paid ──dispute opened──▶ disputed ──won──▶ paid
 *      └──────────── (events may arrive out of order)       └──lost──▶ disputed (lost, access revoked)
 */

// The vocabulary (statuses an order and a dispute can have) is the checkout contract, shared with
// the admin panel: a status added there must be decided here.
import type { DisputeStatus, OrderStatus, RevokeReason } from '@kp/platform';

/** The part of an order that transitions read and write. */
export interface OrderState {
  status: OrderStatus;
  paymentIntentId: string | null;
  amountPaid: number | null;
  amountRefunded: number;
  disputeStatus: DisputeStatus | null;
}

/** What Stripe told us about an order's payment, already reduced from its event. */
export type OrderEvent =
  /** Checkout completed with the money collected (or nothing to collect), or an async payment cleared. */
  | { type: 'payment-succeeded'; paymentIntentId: string | null; amountPaid: number | null }
  /** Checkout completed but a delayed payment method (SEPA, bank transfer...) has not cleared yet. */
  | { type: 'payment-processing'; paymentIntentId: string | null }
  | { type: 'payment-failed' }
  | { type: 'session-expired' }
  /** `amount` is what the charge captured, `amountRefunded` the running total refunded on it. */
  | { type: 'charge-refunded'; amount: number; amountRefunded: number }
  | { type: 'dispute-opened' }
  | { type: 'dispute-closed'; outcome: 'won' | 'lost' }
  /**
   * A refund Stripe could not complete (`refund.failed`, `charge.refund.updated` with status
   * `failed`): `refundAmount` goes back to the learner's side of the ledger. The caller applies one
   * failure per refund id (both events name the same refund).
   */
  | { type: 'refund-failed'; refundAmount: number };

export type AccessEffect =
  | { kind: 'none' }
  | { kind: 'grant' }
  | { kind: 'revoke'; reason: Extract<RevokeReason, 'refunded' | 'disputed'> };

export type NoChangeReason =
  | 'already-paid'
  | 'already-processing'
  | 'already-failed'
  | 'already-expired'
  | 'already-refunded'
  | 'already-disputed'
  | 'already-recorded'
  | 'dispute-already-closed'
  | 'superseded';

export type OrderDecision =
  | { changed: false; reason: NoChangeReason }
  | { changed: true; transition: string; next: OrderState; access: AccessEffect };

const none: AccessEffect = { kind: 'none' };

function change(state: OrderState, patch: Partial<OrderState>, access: AccessEffect = none): OrderDecision {
  const next = { ...state, ...patch };
  return { changed: true, transition: `${state.status}->${next.status}`, next, access };
}

/** Applies one Stripe fact to an order: the new state and its effect on access, or why nothing changes. */
export function decideOrder(state: OrderState, event: OrderEvent): OrderDecision {
  const s = state.status;
  switch (event.type) {
    case 'payment-succeeded': {
      if (s === 'paid') return { changed: false, reason: 'already-paid' };
      // A refund or a dispute can only follow a payment: if one was applied first (events reordered),
      // this older news must not give access back.
      if (s === 'refunded') return { changed: false, reason: 'already-refunded' };
      if (s === 'disputed') {
        // A dispute that overtook the payment event (found through the order id in metadata): the
        // payment is recorded now; access follows the dispute (kept while open, none once lost).
        if (state.amountPaid !== null) return { changed: false, reason: 'already-disputed' };
        return change(
          state,
          { paymentIntentId: event.paymentIntentId ?? state.paymentIntentId, amountPaid: event.amountPaid ?? 0 },
          state.disputeStatus === 'lost' ? none : { kind: 'grant' }
        );
      }
      // pending, and also failed/expired: money that Stripe says arrived is honoured.
      return change(
        state,
        {
          status: 'paid',
          paymentIntentId: event.paymentIntentId ?? state.paymentIntentId,
          amountPaid: event.amountPaid ?? state.amountPaid,
        },
        { kind: 'grant' }
      );
    }
    case 'payment-processing': {
      if (s !== 'pending') return { changed: false, reason: 'superseded' };
      if (state.paymentIntentId && state.paymentIntentId === event.paymentIntentId) {
        return { changed: false, reason: 'already-processing' };
      }
      if (!event.paymentIntentId) return { changed: false, reason: 'already-processing' };
      return change(state, { paymentIntentId: event.paymentIntentId });
    }
    case 'payment-failed': {
      if (s === 'failed') return { changed: false, reason: 'already-failed' };
      if (s !== 'pending') return { changed: false, reason: 'superseded' };
      return change(state, { status: 'failed' });
    }
    case 'session-expired': {
      if (s === 'expired') return { changed: false, reason: 'already-expired' };
      if (s !== 'pending') return { changed: false, reason: 'superseded' };
      return change(state, { status: 'expired' });
    }
    case 'charge-refunded': {
      if (s === 'refunded') return { changed: false, reason: 'already-refunded' };
      const refunded = Math.max(state.amountRefunded, event.amountRefunded);
      if (event.amount > 0 && refunded >= event.amount) {
        // Full refund: terminal, access goes. From `pending` too: the refund overtook the payment event.
        return change(state, { status: 'refunded', amountRefunded: refunded }, { kind: 'revoke', reason: 'refunded' });
      }
      if (refunded === state.amountRefunded) return { changed: false, reason: 'already-recorded' };
      // Partial refund (a goodwill discount): recorded, access kept.
      return change(state, { amountRefunded: refunded });
    }
    case 'dispute-opened': {
      if (s === 'refunded') return { changed: false, reason: 'already-refunded' };
      if (state.disputeStatus === 'won' || state.disputeStatus === 'lost') {
        return { changed: false, reason: 'dispute-already-closed' };
      }
      if (state.disputeStatus === 'open') return { changed: false, reason: 'already-disputed' };
      // Access is kept while the bank decides: a learner who wins keeps reading uninterrupted.
      return change(state, { status: 'disputed', disputeStatus: 'open' });
    }
    case 'dispute-closed': {
      if (s === 'refunded') return { changed: false, reason: 'already-refunded' };
      if (state.disputeStatus === event.outcome) return { changed: false, reason: 'dispute-already-closed' };
      if (state.disputeStatus === 'won' || state.disputeStatus === 'lost') {
        return { changed: false, reason: 'dispute-already-closed' };
      }
      if (event.outcome === 'won') {
        // The payment stands. Granting is idempotent, and covers a dispute that overtook the payment event.
        return change(state, { status: 'paid', disputeStatus: 'won' }, { kind: 'grant' });
      }
      return change(state, { status: 'disputed', disputeStatus: 'lost' }, { kind: 'revoke', reason: 'disputed' });
    }
    case 'refund-failed': {
      // Not counted yet (the failure overtook charge.refunded): nothing to give back.
      if (event.refundAmount <= 0 || state.amountRefunded < event.refundAmount) return { changed: false, reason: 'already-recorded' };
      const refunded = state.amountRefunded - event.refundAmount;
      if (s === 'refunded') {
        // The money stayed with the learner: the order is paid again and access comes back.
        return change(state, { status: 'paid', amountRefunded: refunded }, { kind: 'grant' });
      }
      return change(state, { amountRefunded: refunded });
    }
    default: {
      const unreachable: never = event;
      throw new Error(`unknown order event ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Stripe's dispute statuses reduced to how a closed dispute ended for us. */
export function disputeOutcome(stripeStatus: string): 'won' | 'lost' {
  // `won`, `warning_closed` (an inquiry that never became a chargeback) and `prevented` keep the money.
  return stripeStatus === 'lost' ? 'lost' : 'won';
}
