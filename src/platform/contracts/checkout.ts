/** The checkout plugin's contract: order vocabulary, its admin API shapes, and the outcomes it announces. */

export const ORDER_STATUSES = ['pending', 'paid', 'refunded', 'disputed', 'expired', 'failed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What an order buys: one course, a subscription plan, or a bundle of courses. */
export const ORDER_KINDS = ['course', 'plan', 'bundle'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

export const DISPUTE_STATUSES = ['open', 'won', 'lost'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/** An order as editors see it (admin API `GET /checkout/orders`). */
export interface AdminOrder {
  id: string;
  status: OrderStatus;
  kind: OrderKind;
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
  kind: OrderKind;
  courseDocumentId: string | null;
  planDocumentId: string | null;
  /** A bundle order's bundle. */
  bundleDocumentId: string | null;
  /** Every course the order opens: the course of a course order, each course of a bundle (none for a plan). */
  courseDocumentIds: string[];
  /** The item's title when it was bought (the bundle's title for a bundle). */
  itemTitle: string | null;
  /** Set when the order is a gift: the recipient's address (the buyer gets no access; see `checkout.gift`). */
  giftRecipientEmail: string | null;
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
 * Payload of `checkout.trial-ending`, announced inside the webhook's transaction when Stripe sends
 * `customer.subscription.trial_will_end` (three days before a trial ends): a listener can tell the
 * learner that the first charge is coming.
 */
export interface CheckoutTrialEndingEvent {
  stripeSubscriptionId: string;
  userId: number | null;
  planDocumentId: string | null;
  /** ISO end of the trial (the first charge). */
  trialEnd: string | null;
  /** Whether the subscription is set to cancel instead of converting. */
  cancelAtPeriodEnd: boolean;
  at: string;
}

/** States of a Stripe event in the webhook inbox: received and not applied yet, applied, or attempts spent. */
export const WEBHOOK_EVENT_STATES = ['pending', 'done', 'dead'] as const;
export type WebhookEventState = (typeof WEBHOOK_EVENT_STATES)[number];

/** A Stripe event as editors see it (admin API `GET /checkout/events`, the Orders page's Webhook events tab). */
export interface AdminWebhookEvent {
  eventId: string;
  type: string;
  state: WebhookEventState;
  /** Attempts made (a retry from the admin panel resets it). */
  attempts: number;
  /** What applying it did (`order-paid`, `ignored`…), once done. */
  outcome: string | null;
  detail: string | null;
  /** The last failed attempt's error. */
  lastError: string | null;
  /** The Stripe object it is applied in order with (`subscription:sub_…`, `payment_intent:pi_…`). */
  orderingKey: string | null;
  objectId: string | null;
  /** Stripe's `created` (ISO). */
  created: string;
  receivedAt: string;
  processedAt: string | null;
  /** When a pending event is next tried. */
  nextAttemptAt: string | null;
  /** The X-Request-Id of the delivery that brought it. */
  requestId: string | null;
}

export interface AdminWebhookEventsResponse {
  results: AdminWebhookEvent[];
  pagination: { page: number; pageSize: number; total: number; pageCount: number };
  /** The whole inbox, whatever the filters: pending, dead, and the age of the oldest pending event. */
  inbox: { pending: number; dead: number; oldestPendingSeconds: number };
}

export interface AdminWebhookRetryResponse {
  data: AdminWebhookEvent;
}

/**
 * Payload of `checkout.gift`, announced inside the webhook's transaction when a paid gift order
 * issues its claim code (`issued`), and inside the claim's transaction when it is claimed.
 */
export interface CheckoutGiftEvent {
  giftDocumentId: string;
  orderDocumentId: string;
  change: 'issued' | 'claimed' | 'canceled' | 'revoked';
  /** The claim code (only the recipient and the buyer are shown it). */
  code: string;
  recipientEmail: string;
  buyerUserId: number | null;
  /** The buyer's name as the recipient should read it (username, else e-mail). */
  buyerName: string | null;
  /** The course or bundle title when it was bought. */
  title: string;
  courseDocumentIds: string[];
  /** The buyer's checkout locale (the recipient's message is written in it). */
  locale: string | null;
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
