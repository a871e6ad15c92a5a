/**
 * From platform events to outbox rows. Each listener runs inside the transaction of the change
 * (the kernel's `onEventInTransaction`, under a savepoint): the row commits with the purchase,
 * refund, subscription change or review transition, or not at all. No network here: the worker
 * sends after the commit.
 */
import type { Core } from '@strapi/strapi';
import { USER_UID, onEventInTransaction, transactionHooks } from '@kp/platform';
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
import { formatAmount } from '../domain/money';
import { messageLocale } from '../domain/locale';
import { certificateMessage, communityMessage, editorQueueMessage, giftMessage, invoiceMessage, orderMessage, reviewMessage, subscriptionMessage, trialEndingMessage } from '../domain/triggers';
import type { NewMessage } from './outbox';
import { getService, pluginConfig, publicBaseUrl } from '../utils';

/** The checkout plugin's orders, read (never written) for the amount of a gift's refund. */
const ORDER_UID = 'plugin::checkout.order';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const outbox = () => getService(strapi, 'outbox');
  const recipients = () => getService(strapi, 'recipients');

  /** Stores the message, and wakes the worker once the change commits. */
  async function store(message: NewMessage): Promise<void> {
    await outbox().enqueue(message);
    const wake = () => getService(strapi, 'worker').wake();
    const hooks = transactionHooks();
    if (hooks) hooks.onCommit(wake);
    else wake();
  }

  async function onOrder(e: CheckoutOrderEvent): Promise<void> {
    const decision = orderMessage(e);
    if (!decision || e.userId === null) return;
    const to = await recipients().user(e.userId);
    if (!to) return;
    const base = publicBaseUrl(strapi);
    const common = { recipient: to.email, userId: to.userId, locale: to.locale, dedupeKey: decision.dedupeKey };
    if (decision.template === 'checkout.bundle-receipt') {
      // Every course of the bundle, in the learner's language (the order keeps the ids it was bought with).
      const courses: string[] = [];
      for (const id of e.courseDocumentIds) courses.push((await recipients().course(id, to.locale))?.title ?? id);
      await store({
        ...common,
        template: 'checkout.bundle-receipt',
        payload: { bundleTitle: e.itemTitle ?? courses.join(', '), courses, amount: formatAmount(e.amountPaid ?? 0, e.currency, to.locale), currency: e.currency, orderId: e.orderDocumentId, link: `${base}/#/library`, giftFor: e.giftRecipientEmail },
      });
      return;
    }
    const courseId = e.courseDocumentId ?? e.courseDocumentIds[0] ?? null;
    const course = e.kind === 'course' && courseId ? await recipients().course(courseId, to.locale) : null;
    const title = course?.title ?? e.itemTitle ?? courseId ?? e.orderDocumentId;
    if (decision.template === 'checkout.receipt') {
      await store({
        ...common,
        template: 'checkout.receipt',
        payload: { courseTitle: title, amount: formatAmount(e.amountPaid ?? 0, e.currency, to.locale), currency: e.currency, orderId: e.orderDocumentId, link: course?.slug ? `${base}/#/course/${course.slug}` : `${base}/#/library`, giftFor: e.giftRecipientEmail },
      });
    } else {
      await store({ ...common, template: 'checkout.refund', payload: { courseTitle: title, amount: formatAmount(e.amountRefunded, e.currency, to.locale), orderId: e.orderDocumentId } });
    }
  }

  /**
   * The recipient of a gift may have no account: the address the buyer typed, in the buyer's
   * checkout language. A refunded gift order tells its buyer what became of the gift.
   */
  async function onGift(e: CheckoutGiftEvent): Promise<void> {
    if (e.change === 'issued') {
      const decision = giftMessage(e);
      if (!decision) return;
      const link = `${publicBaseUrl(strapi)}/#/gift?code=${encodeURIComponent(e.code)}`;
      await store({
        recipient: e.recipientEmail,
        userId: null,
        template: 'checkout.gift',
        locale: messageLocale(e.locale),
        payload: { title: e.title, buyerName: e.buyerName, code: e.code, link },
        dedupeKey: decision.dedupeKey,
      });
      return;
    }
    if (e.change !== 'canceled' && e.change !== 'revoked') return;
    // The order row was written earlier in this transaction: its status says refund or lost dispute.
    const order = (await strapi.db.query(ORDER_UID).findOne({ where: { documentId: e.orderDocumentId }, select: ['state', 'amountRefunded', 'currency'] })) as { state: string; amountRefunded: number | null; currency: string } | null;
    const decision = giftMessage(e, order?.state ?? null);
    if (!decision || decision.template !== 'checkout.gift-refund' || e.buyerUserId === null || !order) return;
    const to = await recipients().user(e.buyerUserId);
    if (!to) return;
    await store({
      recipient: to.email,
      userId: to.userId,
      template: 'checkout.gift-refund',
      locale: to.locale,
      payload: { title: e.title, recipientEmail: e.recipientEmail, amount: formatAmount(order.amountRefunded ?? 0, order.currency, to.locale), orderId: e.orderDocumentId, claimed: decision.claimed },
      dedupeKey: decision.dedupeKey,
    });
  }

  /** Three days before a free trial ends (Stripe's `trial_will_end`): the first charge is coming, or the subscription ends with the trial. */
  async function onTrialEnding(e: CheckoutTrialEndingEvent): Promise<void> {
    const decision = trialEndingMessage(e);
    if (!decision || e.userId === null) return;
    const to = await recipients().user(e.userId);
    if (!to) return;
    const planName = await recipients().planName(e.planDocumentId, to.locale);
    await store({
      recipient: to.email,
      userId: to.userId,
      template: 'subscription.trial-ending',
      locale: to.locale,
      payload: { planName, trialEnd: e.trialEnd ? e.trialEnd.slice(0, 10) : null, converts: decision.converts, link: `${publicBaseUrl(strapi)}/#/library` },
      dedupeKey: decision.dedupeKey,
    });
  }

  /** A certificate was issued: the learner gets its public verification link and the PDF. */
  async function onCertificate(e: LearningCertificateEvent): Promise<void> {
    const decision = certificateMessage(e);
    const to = await recipients().user(e.userId);
    if (!to) return;
    const link = `${publicBaseUrl(strapi)}/api/certificates/${encodeURIComponent(e.code)}`;
    await store({
      recipient: to.email,
      userId: to.userId,
      template: 'learning.certificate',
      locale: to.locale,
      payload: { courseTitle: e.courseTitle, completedOn: e.completedAt.slice(0, 10), code: e.code, link, pdfLink: `${link}/pdf?locale=${to.locale}` },
      dedupeKey: decision.dedupeKey,
    });
  }

  async function onSubscription(e: CheckoutSubscriptionEvent): Promise<void> {
    const decision = subscriptionMessage(e);
    if (!decision || e.userId === null) return;
    const to = await recipients().user(e.userId);
    if (!to) return;
    const planName = await recipients().planName(e.planDocumentId, to.locale);
    const periodEnd = e.currentPeriodEnd ? e.currentPeriodEnd.slice(0, 10) : null;
    if (decision.template === 'subscription.started') {
      await store({ recipient: to.email, userId: to.userId, template: 'subscription.started', locale: to.locale, payload: { planName, periodEnd, link: `${publicBaseUrl(strapi)}/#/` }, dedupeKey: decision.dedupeKey });
    } else {
      await store({ recipient: to.email, userId: to.userId, template: 'subscription.canceled', locale: to.locale, payload: { planName, periodEnd, atPeriodEnd: decision.atPeriodEnd }, dedupeKey: decision.dedupeKey });
    }
  }

  /** A renewal that failed or needs 3-D Secure: the learner gets Stripe's hosted invoice link. */
  async function onInvoice(e: CheckoutInvoiceEvent): Promise<void> {
    const decision = invoiceMessage(e);
    if (!decision || e.userId === null) return;
    const to = await recipients().user(e.userId);
    if (!to) return;
    const planName = await recipients().planName(e.planDocumentId, to.locale);
    const amount = e.amountDue !== null && e.currency ? formatAmount(e.amountDue, e.currency, to.locale) : null;
    const link = e.hostedInvoiceUrl ?? `${publicBaseUrl(strapi)}/#/`;
    const common = { recipient: to.email, userId: to.userId, locale: to.locale, dedupeKey: decision.dedupeKey };
    if (decision.template === 'subscription.action-required') {
      await store({ ...common, template: 'subscription.action-required', payload: { planName, amount, link } });
    } else {
      await store({ ...common, template: 'subscription.renewal-failed', payload: { planName, amount, link, retryOn: e.nextPaymentAttempt ? e.nextPaymentAttempt.slice(0, 10) : null } });
    }
  }

  /** A submission entered the review queue: its assignee (a resubmission keeps its editor), else the editors' address. */
  async function onReviewQueued(e: ReviewTransitionEvent): Promise<void> {
    if (e.action !== 'submit') return;
    const assignee = await recipients().reviewAssignee(e.courseDocumentId);
    const decision = editorQueueMessage(e, assignee?.email ?? null, pluginConfig(strapi, 'editorEmail'));
    if (!decision) return;
    const locale = decision.to.kind === 'assignee' ? assignee!.locale : 'en';
    const course = await recipients().course(e.courseDocumentId, locale);
    const facts = await recipients().submissionFacts(e.courseDocumentId);
    await store({
      recipient: decision.to.email,
      userId: null,
      template: 'review.queued',
      locale,
      payload: { courseTitle: course?.title ?? e.courseDocumentId, instructorName: facts.instructorName, revision: facts.revision, assigned: decision.to.kind === 'assignee', link: `${publicBaseUrl(strapi)}/admin/plugins/review` },
      dedupeKey: decision.dedupeKey,
    });
  }

  async function onReview(e: ReviewTransitionEvent): Promise<void> {
    const decision = reviewMessage(e);
    if (!decision) return;
    const owner = await recipients().course(e.courseDocumentId, 'en');
    if (!owner?.instructorUserId) return;
    const to = await recipients().user(owner.instructorUserId);
    if (!to) return;
    const course = (await recipients().course(e.courseDocumentId, to.locale)) ?? owner;
    const courseTitle = course.title;
    const common = { recipient: to.email, userId: to.userId, locale: to.locale, dedupeKey: decision.dedupeKey };
    switch (decision.template) {
      case 'review.submitted':
        return store({ ...common, template: 'review.submitted', payload: { courseTitle } });
      case 'review.changes-requested':
        return store({ ...common, template: 'review.changes-requested', payload: { courseTitle, comment: e.comment } });
      case 'review.approved':
        return store({ ...common, template: 'review.approved', payload: { courseTitle, link: `${publicBaseUrl(strapi)}/#/course/${course.slug ?? ''}` } });
    }
  }

  async function onCommunityPost(e: CommunityPostEvent): Promise<void> {
    const decision = communityMessage(e);
    if (!decision) return;
    const course = await recipients().course(e.courseDocumentId, 'en');
    if (!course) return;
    const userId = decision.to === 'instructor' ? course.instructorUserId : e.questionAuthorUserId;
    if (!userId || userId === e.authorUserId) return;
    const to = await recipients().user(userId);
    if (!to) return;
    const localized = (await recipients().course(e.courseDocumentId, to.locale)) ?? course;
    const link = `${publicBaseUrl(strapi)}/#/course/${localized.slug ?? ''}`;
    const common = { recipient: to.email, userId: to.userId, locale: to.locale, dedupeKey: decision.dedupeKey };
    switch (decision.template) {
      case 'community.new-review':
        return store({ ...common, template: 'community.new-review', payload: { courseTitle: localized.title, stars: e.stars ?? 0, link } });
      case 'community.new-question':
        return store({ ...common, template: 'community.new-question', payload: { courseTitle: localized.title, link } });
      case 'community.new-answer':
        return store({ ...common, template: 'community.new-answer', payload: { courseTitle: localized.title, byInstructor: e.byInstructor, link } });
    }
  }

  /**
   * A welcome message to an account that registered itself (`POST /api/auth/local/register`);
   * with e-mail confirmation on, users-permissions' confirmation message is the welcome instead.
   * Accounts created by an editor or a script get none.
   */
  async function onUserCreated(user: { id: number; email?: string | null; username?: string | null }): Promise<void> {
    if (pluginConfig(strapi, 'emailConfirmation') || !user.email) return;
    const ctx = strapi.requestContext.get() as { request?: { path?: string; method?: string } } | undefined;
    if (ctx?.request?.method !== 'POST' || !/\/auth\/local\/register\/?$/.test(ctx.request.path ?? '')) return;
    await store({
      recipient: user.email,
      userId: user.id,
      template: 'account.welcome',
      locale: 'en',
      payload: { name: user.username ?? user.email, link: `${publicBaseUrl(strapi)}/#/` },
      dedupeKey: `welcome:${user.id}`,
    });
  }

  const stops: Array<() => void> = [];
  return {
    /** Starts listening (bootstrap). */
    listen(): void {
      stops.push(onEventInTransaction(strapi, 'checkout.order', onOrder));
      stops.push(onEventInTransaction(strapi, 'checkout.subscription', onSubscription));
      stops.push(onEventInTransaction(strapi, 'checkout.gift', onGift));
      stops.push(onEventInTransaction(strapi, 'checkout.invoice', onInvoice));
      stops.push(onEventInTransaction(strapi, 'review.transition', onReview));
      stops.push(onEventInTransaction(strapi, 'review.transition', onReviewQueued));
      stops.push(onEventInTransaction(strapi, 'checkout.trial-ending', onTrialEnding));
      stops.push(onEventInTransaction(strapi, 'learning.certificate', onCertificate));
      stops.push(onEventInTransaction(strapi, 'community.post', onCommunityPost));
      strapi.db.lifecycles.subscribe({
        models: [USER_UID],
        afterCreate: async (event: { result?: { id: number; email?: string | null; username?: string | null } }) => {
          try {
            if (event.result) await onUserCreated(event.result);
          } catch (error) {
            strapi.log.error(`[notifications] welcome message not stored: ${(error as Error).message}`);
          }
        },
      });
    },
    /** Stops listening (destroy). */
    stop(): void {
      while (stops.length) stops.pop()!();
    },
    store,
  };
};
