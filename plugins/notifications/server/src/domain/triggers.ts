/**
 * Which message a platform event causes, if any: pure decisions over the events' payloads
 * (contracts in @kp/platform). The adapter (services/listeners.ts) looks up the recipient and the
 * titles, renders and stores the row.
 */
import type {
  CheckoutGiftEvent,
  CheckoutInvoiceEvent,
  CheckoutOrderEvent,
  CheckoutSubscriptionEvent,
  CheckoutTrialEndingEvent,
  CommunityPostEvent,
  LearningCertificateEvent,
  ReviewTransitionEvent,
} from '@kp/platform/contracts';

export type OrderMessage = { template: 'checkout.receipt' | 'checkout.bundle-receipt' | 'checkout.refund'; dedupeKey: string } | null;

/**
 * A receipt when a course or bundle order becomes paid (a bundle's lists its courses); a refund
 * notice when it becomes refunded. Plan orders speak through their subscription. A gift order's
 * refund is told through its gift (`giftMessage`: canceled or revoked), not here: the buyer never
 * had access to lose.
 */
export function orderMessage(e: CheckoutOrderEvent): OrderMessage {
  if ((e.kind !== 'course' && e.kind !== 'bundle') || e.userId === null || e.from === e.to) return null;
  if (e.to === 'paid') return { template: e.kind === 'bundle' ? 'checkout.bundle-receipt' : 'checkout.receipt', dedupeKey: `order:${e.orderDocumentId}:paid` };
  if (e.to === 'refunded') return e.giftRecipientEmail ? null : { template: 'checkout.refund', dedupeKey: `order:${e.orderDocumentId}:refunded` };
  return null;
}

const LIVE = new Set(['active', 'trialing']);

export type SubscriptionMessage =
  | { template: 'subscription.started'; dedupeKey: string }
  | { template: 'subscription.canceled'; atPeriodEnd: boolean; dedupeKey: string }
  | null;

/** Started: the first time a subscription turns active or trialing. Canceled: it ended, or was set to end at the period's end. */
export function subscriptionMessage(e: CheckoutSubscriptionEvent): SubscriptionMessage {
  if (e.userId === null) return null;
  const wasLive = e.from !== null && LIVE.has(e.from);
  if (LIVE.has(e.to) && !wasLive) return { template: 'subscription.started', dedupeKey: `subscription:${e.stripeSubscriptionId}:started:${e.currentPeriodEnd ?? ''}` };
  if (e.to === 'canceled' && e.from !== 'canceled') return { template: 'subscription.canceled', atPeriodEnd: false, dedupeKey: `subscription:${e.stripeSubscriptionId}:canceled` };
  if (LIVE.has(e.to) && e.cancelAtPeriodEnd && e.previousCancelAtPeriodEnd === false) {
    return { template: 'subscription.canceled', atPeriodEnd: true, dedupeKey: `subscription:${e.stripeSubscriptionId}:cancel-at:${e.currentPeriodEnd ?? ''}` };
  }
  return null;
}

export type InvoiceMessage = { template: 'subscription.renewal-failed' | 'subscription.action-required'; dedupeKey: string } | null;

/**
 * A renewal that needs the learner: its payment failed, or the bank asks for authentication (3-D
 * Secure). Once per invoice and kind (Stripe retries a failed invoice several times; the learner
 * hears of it once). Not for the first invoice of a subscription: the learner is paying it in
 * Checkout, which says so itself.
 */
export function invoiceMessage(e: CheckoutInvoiceEvent): InvoiceMessage {
  if (e.userId === null || e.billingReason === 'subscription_create') return null;
  const template = e.kind === 'action-required' ? 'subscription.action-required' : 'subscription.renewal-failed';
  return { template, dedupeKey: `invoice:${e.invoiceId}:${e.kind}` };
}

export type ReviewMessage = { template: 'review.submitted' | 'review.changes-requested' | 'review.approved'; dedupeKey: string } | null;

/** The instructor hears of a submission received, changes requested (with the editor's note) and an approval. */
export function reviewMessage(e: ReviewTransitionEvent): ReviewMessage {
  const key = (what: string) => `review:${e.courseDocumentId}:${what}:${e.at}`;
  switch (e.action) {
    case 'submit':
      return { template: 'review.submitted', dedupeKey: key('submitted') };
    case 'request_changes':
      return { template: 'review.changes-requested', dedupeKey: key('changes-requested') };
    case 'approve':
      return { template: 'review.approved', dedupeKey: key('approved') };
    default:
      return null;
  }
}

/**
 * users-permissions renders its account e-mails from templates in its settings; the notifications
 * plugin sets those templates to a marker (`kp:account.password-reset <code>`) and renders the
 * real message itself, in the recipient's language. Null for any other text.
 */
export function accountMarker(text: string | undefined): { template: 'account.password-reset' | 'account.confirm'; code: string } | null {
  const m = /^\s*kp:(account\.password-reset|account\.confirm) ([0-9a-f]{16,256})\s*$/.exec(text ?? '');
  if (!m) return null;
  return { template: m[1] as 'account.password-reset' | 'account.confirm', code: m[2]! };
}

export type CommunityMessage =
  | { template: 'community.new-review' | 'community.new-question'; to: 'instructor'; dedupeKey: string }
  | { template: 'community.new-answer'; to: 'asker'; dedupeKey: string }
  | null;

/**
 * Who hears of a new community post: the course's instructor of a review or a question (not of
 * their own question), the asker of an answer (not of their own answer). One message per post.
 */
export function communityMessage(e: CommunityPostEvent): CommunityMessage {
  const key = `community:${e.kind}:${e.postId}`;
  switch (e.kind) {
    case 'review':
      return { template: 'community.new-review', to: 'instructor', dedupeKey: key };
    case 'question':
      return e.byInstructor ? null : { template: 'community.new-question', to: 'instructor', dedupeKey: key };
    case 'answer':
      return e.questionAuthorUserId === null || e.questionAuthorUserId === e.authorUserId ? null : { template: 'community.new-answer', to: 'asker', dedupeKey: key };
  }
}

export type GiftMessage =
  | { template: 'checkout.gift'; to: 'recipient'; dedupeKey: string }
  | { template: 'checkout.gift-refund'; to: 'buyer'; claimed: boolean; dedupeKey: string }
  | null;

/**
 * A gift's recipient hears of it once, when its claim code is issued (the order was paid). Its
 * buyer hears of a refund through the gift: canceled (unclaimed: the code no longer works) or
 * revoked (claimed: the recipient's access ended). `orderStatus` is the order's status in the
 * same transaction: a gift ended by a lost dispute is not a refund, and says nothing.
 */
export function giftMessage(e: CheckoutGiftEvent, orderStatus: string | null = null): GiftMessage {
  if (e.change === 'issued') return e.recipientEmail ? { template: 'checkout.gift', to: 'recipient', dedupeKey: `gift:${e.giftDocumentId}:issued` } : null;
  if ((e.change === 'canceled' || e.change === 'revoked') && e.buyerUserId !== null && orderStatus === 'refunded') {
    return { template: 'checkout.gift-refund', to: 'buyer', claimed: e.change === 'revoked', dedupeKey: `order:${e.orderDocumentId}:refunded` };
  }
  return null;
}

/** The learner hears of a certificate once, when it is issued. */
export function certificateMessage(e: LearningCertificateEvent): { template: 'learning.certificate'; dedupeKey: string } {
  return { template: 'learning.certificate', dedupeKey: `certificate:${e.code}` };
}

/** The subscriber hears that a free trial ends soon, once per trial end (Stripe sends `trial_will_end` once; a moved trial end is a new notice). */
export function trialEndingMessage(e: CheckoutTrialEndingEvent): { template: 'subscription.trial-ending'; converts: boolean; dedupeKey: string } | null {
  if (e.userId === null) return null;
  return { template: 'subscription.trial-ending', converts: !e.cancelAtPeriodEnd, dedupeKey: `subscription:${e.stripeSubscriptionId}:trial-ending:${e.trialEnd ?? ''}` };
}

export type EditorQueueMessage = { template: 'review.queued'; to: { kind: 'assignee'; email: string } | { kind: 'editors'; email: string }; dedupeKey: string } | null;

/**
 * An editor hears of a submission waiting in the review queue: the submission's assignee when it
 * has one (a resubmission after changes were requested keeps its editor), else the configured
 * editors' address; nobody when neither exists.
 */
export function editorQueueMessage(e: ReviewTransitionEvent, assigneeEmail: string | null, editorsEmail: string): EditorQueueMessage {
  if (e.action !== 'submit') return null;
  const dedupeKey = `review:${e.courseDocumentId}:queued:${e.at}`;
  if (assigneeEmail) return { template: 'review.queued', to: { kind: 'assignee', email: assigneeEmail }, dedupeKey };
  if (editorsEmail.trim()) return { template: 'review.queued', to: { kind: 'editors', email: editorsEmail.trim() }, dedupeKey };
  return null;
}
