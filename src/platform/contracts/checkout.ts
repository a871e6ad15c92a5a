/** The checkout plugin's contract: order vocabulary, its admin API shapes, and the outcomes it announces. */

export const ORDER_STATUSES = ['pending', 'paid', 'refunded', 'disputed', 'expired', 'failed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const DISPUTE_STATUSES = ['open', 'won', 'lost'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/** An order as editors see it (admin API `GET /checkout/orders`). */
export interface AdminOrder {
  id: string;
  status: OrderStatus;
  kind: 'course' | 'plan';
  title: string | null;
  course: string | null;
  plan: string | null;
  user: { id: number; email: string | null; username: string | null } | null;
  amount: number;
  currency: string;
  display: string;
  amountPaid: number | null;
  amountRefunded: number;
  refundedDisplay: string;
  checkoutSessionId: string | null;
  paymentIntentId: string | null;
  disputeStatus: DisputeStatus | null;
  refundRequestedAt: string | null;
  refundRequestedBy: string | null;
  createdAt: string;
  paidAt: string | null;
  refundable: boolean;
}

export interface AdminOrdersResponse {
  results: AdminOrder[];
  pagination: { page: number; pageSize: number; total: number; pageCount: number };
}

export interface AdminRefundResponse {
  data: { refundId: string; status: string | null; alreadyRequested: boolean };
}

/**
 * Payload of `checkout.order`, announced inside the webhook's transaction when an order changes
 * status (paid, refunded, disputed, expired, failed). Amounts in the currency's minor unit.
 */
export interface CheckoutOrderEvent {
  orderDocumentId: string;
  userId: number | null;
  kind: 'course' | 'plan';
  courseDocumentId: string | null;
  planDocumentId: string | null;
  from: OrderStatus;
  to: OrderStatus;
  amountPaid: number | null;
  amountRefunded: number;
  currency: string;
  /** The Stripe event type that caused the change. */
  cause: string;
  /** ISO time of the Stripe event. */
  at: string;
}

/** Payload of `checkout.subscription`, announced inside the webhook's transaction when a subscription's status changes. */
export interface CheckoutSubscriptionEvent {
  stripeSubscriptionId: string;
  userId: number | null;
  planDocumentId: string | null;
  /** The stored status before (null: first seen). Stripe's statuses (`active`, `trialing`, `past_due`, `canceled`…). */
  from: string | null;
  to: string;
  /** cancelAtPeriodEnd before (null: first seen). */
  previousCancelAtPeriodEnd: boolean | null;
  cancelAtPeriodEnd: boolean;
  /** ISO end of the current period, when known. */
  currentPeriodEnd: string | null;
  at: string;
}

/**
 * Payload of `checkout.invoice`, announced inside the webhook's transaction when a subscription's
 * invoice needs the learner: the payment failed (`invoice.payment_failed`) or the bank asks for
 * authentication, 3-D Secure (`invoice.payment_action_required`). Access follows the subscription's
 * status (`past_due`: the paywall's grace period), synchronised in the same transaction.
 */
export interface CheckoutInvoiceEvent {
  kind: 'payment-failed' | 'action-required';
  invoiceId: string;
  stripeSubscriptionId: string;
  userId: number | null;
  planDocumentId: string | null;
  /** The subscription's status after the event (`past_due`, `incomplete`…), when stored. */
  subscriptionStatus: string | null;
  /** Stripe's hosted invoice page: pay or authenticate there. */
  hostedInvoiceUrl: string | null;
  /** Minor units. */
  amountDue: number | null;
  currency: string | null;
  /** Stripe's `billing_reason`: `subscription_create` is the first invoice (paid in Checkout), `subscription_cycle` a renewal. */
  billingReason: string | null;
  attemptCount: number | null;
  /** ISO time of Stripe's next automatic attempt, when one is scheduled. */
  nextPaymentAttempt: string | null;
  at: string;
}
