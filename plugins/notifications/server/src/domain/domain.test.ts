import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckoutGiftEvent, CheckoutInvoiceEvent, CheckoutOrderEvent, CheckoutSubscriptionEvent, CheckoutTrialEndingEvent, ReviewTransitionEvent } from '@kp/platform/contracts';
import { afterFailure, describeFailure } from './backoff';
import { decideDelivery } from './delivery';
import { messageLocale } from './locale';
import { formatAmount } from './money';
import { SAMPLE_PAYLOADS, TEMPLATE_IDS, escapeHtml, renderTemplate } from './templates';
import { accountMarker, certificateMessage, editorQueueMessage, giftMessage, invoiceMessage, orderMessage, reviewMessage, subscriptionMessage, trialEndingMessage } from './triggers';

describe('decideDelivery', () => {
  const base = { smtpHost: '', smtpPort: 587, smtpSecure: false, required: false };
  const table: Array<[string, Partial<typeof base>, string]> = [
    ['no SMTP: capture', {}, 'capture'],
    ['SMTP_HOST: smtp', { smtpHost: 'mail.example' }, 'smtp'],
    ['required and SMTP_HOST: smtp', { smtpHost: 'mail.example', required: true }, 'smtp'],
    ['required without SMTP_HOST: refused', { required: true }, 'refused'],
    ['bad port: refused', { smtpHost: 'mail.example', smtpPort: 0 }, 'refused'],
    ['blank host: capture', { smtpHost: '  ' }, 'capture'],
  ];
  for (const [name, over, want] of table) {
    test(name, () => {
      const d = decideDelivery({ ...base, ...over });
      assert.equal(d.ok ? d.mode.kind : 'refused', want);
    });
  }
  test('the refusal names every variable', () => {
    const d = decideDelivery({ ...base, required: true });
    assert.ok(!d.ok);
    for (const v of ['SMTP_HOST', 'SMTP_PORT', 'SMTP_SECURE', 'SMTP_USER', 'SMTP_PASSWORD', 'EMAIL_FROM']) assert.match(d.error, new RegExp(v));
  });
});

describe('afterFailure', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 5000 };
  const now = new Date('2026-01-01T00:00:00Z');
  const table: Array<[number, number | 'failed']> = [
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 'failed'],
    [9, 'failed'],
  ];
  for (const [attempts, want] of table) {
    test(`attempt ${attempts} → ${want}`, () => {
      const r = afterFailure(attempts, now, policy);
      if (want === 'failed') assert.deepEqual(r, { state: 'failed' });
      else assert.deepEqual(r, { state: 'queued', nextAttemptAt: new Date(now.getTime() + want) });
    });
  }
  test('the delay is capped', () => {
    const r = afterFailure(3, now, { maxAttempts: 10, baseDelayMs: 3000, maxDelayMs: 5000 });
    assert.deepEqual(r, { state: 'queued', nextAttemptAt: new Date(now.getTime() + 5000) });
  });
  test('errors become one short line', () => {
    assert.equal(describeFailure(Object.assign(new Error('connect\n ECONNREFUSED'), { code: 'ESOCKET' })), 'ESOCKET: connect ECONNREFUSED');
    assert.equal(describeFailure('x'.repeat(900)).length, 500);
  });
});

describe('messageLocale', () => {
  const table: Array<[string | null | undefined, string]> = [
    [null, 'en'],
    ['', 'en'],
    ['zh-Hans', 'zh-Hans'],
    ['zh-CN', 'zh-Hans'],
    ['zh', 'zh-Hans'],
    ['zh-TW', 'en'],
    ['en-GB', 'en'],
    ['fr', 'en'],
  ];
  for (const [given, want] of table) test(`${String(given)} → ${want}`, () => assert.equal(messageLocale(given), want));
});

describe('formatAmount', () => {
  const table: Array<[number, string, string, string]> = [
    [1999, 'usd', 'en', '$19.99'],
    [500, 'jpy', 'en', '¥500'],
    [1999, 'eur', 'en', '€19.99'],
    [1999, 'cny', 'zh-Hans', '¥19.99'],
  ];
  for (const [minor, cur, loc, want] of table) test(`${minor} ${cur} ${loc} → ${want}`, () => assert.equal(formatAmount(minor, cur, loc), want));
});

describe('templates', () => {
  for (const id of TEMPLATE_IDS) {
    for (const locale of ['en', 'zh-Hans'] as const) {
      test(`${id} renders in ${locale}`, () => {
        const r = renderTemplate(id, locale, SAMPLE_PAYLOADS[id] as never);
        assert.ok(r.subject.length > 0 && r.text.length > 0 && r.html.length > 0);
        if (id !== 'raw') assert.match(r.html, /^<!doctype html>/);
      });
    }
  }
  test('payload values are escaped in HTML, kept in text', () => {
    const r = renderTemplate('review.changes-requested', 'en', { courseTitle: '<b>x</b>', comment: 'a & b' });
    assert.ok(r.html.includes('&lt;b&gt;x&lt;/b&gt;') && !r.html.includes('<b>x</b>'));
    assert.ok(r.text.includes('<b>x</b>') && r.text.includes('a & b'));
    assert.equal(escapeHtml(`"'`), '&quot;&#39;');
  });
  test('the receipt names course, amount, currency and order; the reset mail its link', () => {
    const r = renderTemplate('checkout.receipt', 'zh-Hans', SAMPLE_PAYLOADS['checkout.receipt']);
    for (const part of ['Sample course', '$19.99', 'USD', 'o1a2b3c4d5e6f7g8h9i0j1k2', '感谢']) assert.ok(r.text.includes(part), part);
    assert.ok(renderTemplate('account.password-reset', 'en', { link: 'https://x/#/reset-password?code=ab' }).text.includes('https://x/#/reset-password?code=ab'));
  });
  test("a gift's receipt tells the buyer who receives it, and offers no course to start", () => {
    const own = SAMPLE_PAYLOADS['checkout.receipt'];
    const bundle = SAMPLE_PAYLOADS['checkout.bundle-receipt'];
    const cases: Array<[string, ReturnType<typeof renderTemplate>, ReturnType<typeof renderTemplate>, string]> = [
      ['course, en', renderTemplate('checkout.receipt', 'en', own), renderTemplate('checkout.receipt', 'en', { ...own, giftFor: 'friend@example.test' }), 'Start learning'],
      ['course, zh-Hans', renderTemplate('checkout.receipt', 'zh-Hans', own), renderTemplate('checkout.receipt', 'zh-Hans', { ...own, giftFor: 'friend@example.test' }), '开始学习'],
      ['bundle, en', renderTemplate('checkout.bundle-receipt', 'en', bundle), renderTemplate('checkout.bundle-receipt', 'en', { ...bundle, giftFor: 'friend@example.test' }), 'Start learning'],
      ['bundle, zh-Hans', renderTemplate('checkout.bundle-receipt', 'zh-Hans', bundle), renderTemplate('checkout.bundle-receipt', 'zh-Hans', { ...bundle, giftFor: 'friend@example.test' }), '开始学习'],
    ];
    for (const [name, mine, gift, start] of cases) {
      assert.ok(mine.text.includes(start) && mine.html.includes(start), `${name}: own purchase offers to start`);
      assert.ok(!gift.text.includes(start) && !gift.html.includes(start), `${name}: a gift does not`);
      assert.ok(gift.text.includes('friend@example.test') && !mine.text.includes('friend@example.test'), `${name}: the recipient is named on the gift only`);
    }
  });
});

describe('triggers', () => {
  const order = (over: Partial<CheckoutOrderEvent>): CheckoutOrderEvent => ({
    orderDocumentId: 'o1',
    userId: 7,
    kind: 'course',
    courseDocumentId: 'c1',
    planDocumentId: null,
    bundleDocumentId: null,
    courseDocumentIds: ['c1'],
    itemTitle: 'Course one',
    giftRecipientEmail: null,
    from: 'pending',
    to: 'paid',
    amountPaid: 1999,
    amountRefunded: 0,
    currency: 'usd',
    cause: 'checkout.session.completed',
    at: '2026-01-01T00:00:00.000Z',
    ...over,
  });
  const orderTable: Array<[string, Partial<CheckoutOrderEvent>, string | null]> = [
    ['paid course → receipt', {}, 'checkout.receipt'],
    ['refunded course → refund', { from: 'paid', to: 'refunded' }, 'checkout.refund'],
    ['plan order → nothing (its subscription speaks)', { kind: 'plan' }, null],
    ['no user → nothing', { userId: null }, null],
    ['disputed → nothing', { from: 'paid', to: 'disputed' }, null],
    ['paid → paid → nothing', { from: 'paid' }, null],
    ['paid bundle → bundle receipt', { kind: 'bundle', courseDocumentId: null, bundleDocumentId: 'b1', courseDocumentIds: ['c1', 'c2'] }, 'checkout.bundle-receipt'],
    ['refunded bundle → refund', { kind: 'bundle', courseDocumentId: null, bundleDocumentId: 'b1', from: 'paid', to: 'refunded' }, 'checkout.refund'],
    ['paid gift → the buyer’s receipt', { giftRecipientEmail: 'friend@example.test' }, 'checkout.receipt'],
    ['refunded gift → nothing here (the gift tells it)', { giftRecipientEmail: 'friend@example.test', from: 'paid', to: 'refunded' }, null],
  ];
  for (const [name, over, want] of orderTable) test(name, () => assert.equal(orderMessage(order(over))?.template ?? null, want));
  test('one receipt per order: the key is the order', () => assert.equal(orderMessage(order({}))?.dedupeKey, 'order:o1:paid'));

  const sub = (over: Partial<CheckoutSubscriptionEvent>): CheckoutSubscriptionEvent => ({
    stripeSubscriptionId: 'sub_1',
    userId: 7,
    planDocumentId: 'p1',
    from: null,
    to: 'active',
    previousCancelAtPeriodEnd: null,
    cancelAtPeriodEnd: false,
    currentPeriodEnd: '2026-02-01T00:00:00.000Z',
    at: '2026-01-01T00:00:00.000Z',
    ...over,
  });
  const subTable: Array<[string, Partial<CheckoutSubscriptionEvent>, string | null]> = [
    ['new active → started', {}, 'subscription.started'],
    ['incomplete → active → started', { from: 'incomplete' }, 'subscription.started'],
    ['active → active (renewal) → nothing', { from: 'active', previousCancelAtPeriodEnd: false }, null],
    ['active → canceled → canceled', { from: 'active', to: 'canceled' }, 'subscription.canceled'],
    ['cancel at period end → canceled', { from: 'active', previousCancelAtPeriodEnd: false, cancelAtPeriodEnd: true }, 'subscription.canceled'],
    ['no user → nothing', { userId: null }, null],
  ];
  for (const [name, over, want] of subTable) test(name, () => assert.equal(subscriptionMessage(sub(over))?.template ?? null, want));

  const invoice = (over: Partial<CheckoutInvoiceEvent>): CheckoutInvoiceEvent => ({
    kind: 'payment-failed',
    invoiceId: 'in_1',
    stripeSubscriptionId: 'sub_1',
    userId: 7,
    planDocumentId: 'p1',
    subscriptionStatus: 'past_due',
    hostedInvoiceUrl: 'https://invoice.stripe.com/i/in_1',
    amountDue: 900,
    currency: 'usd',
    billingReason: 'subscription_cycle',
    attemptCount: 1,
    nextPaymentAttempt: '2026-01-04T00:00:00.000Z',
    at: '2026-01-01T00:00:00.000Z',
    ...over,
  });
  const invoiceTable: Array<[string, Partial<CheckoutInvoiceEvent>, string | null]> = [
    ['renewal failed → renewal-failed', {}, 'subscription.renewal-failed'],
    ['3-D Secure on renewal → action-required', { kind: 'action-required' }, 'subscription.action-required'],
    ['first invoice (paid in Checkout) → nothing', { billingReason: 'subscription_create' }, null],
    ['no user → nothing', { userId: null }, null],
  ];
  for (const [name, over, want] of invoiceTable) test(name, () => assert.equal(invoiceMessage(invoice(over))?.template ?? null, want));
  test('once per invoice and kind: Stripe\'s retries of one invoice say it once', () => {
    assert.equal(invoiceMessage(invoice({ attemptCount: 3 }))?.dedupeKey, invoiceMessage(invoice({}))?.dedupeKey);
    assert.notEqual(invoiceMessage(invoice({ kind: 'action-required' }))?.dedupeKey, invoiceMessage(invoice({}))?.dedupeKey);
  });
  test('the renewal messages carry the hosted invoice link, in both languages', () => {
    for (const locale of ['en', 'zh-Hans'] as const) {
      for (const id of ['subscription.renewal-failed', 'subscription.action-required'] as const) {
        const r = renderTemplate(id, locale, { ...SAMPLE_PAYLOADS['subscription.renewal-failed'], link: 'https://invoice.stripe.com/i/in_9' });
        assert.ok(r.text.includes('https://invoice.stripe.com/i/in_9') && r.html.includes('href="https://invoice.stripe.com/i/in_9"'), `${id} ${locale}`);
      }
    }
  });

  const review = (action: ReviewTransitionEvent['action']): ReviewTransitionEvent => ({
    courseDocumentId: 'c1',
    action,
    from: 'in_review',
    to: 'approved',
    actor: { kind: 'editor', id: 1, name: 'Ed' },
    comment: null,
    at: '2026-01-01T00:00:00.000Z',
  });
  const reviewTable: Array<[ReviewTransitionEvent['action'], string | null]> = [
    ['submit', 'review.submitted'],
    ['request_changes', 'review.changes-requested'],
    ['approve', 'review.approved'],
    ['assign', null],
    ['withdraw', null],
    ['reopen', null],
  ];
  for (const [action, want] of reviewTable) test(`review ${action} → ${want}`, () => assert.equal(reviewMessage(review(action))?.template ?? null, want));

  const gift = (change: CheckoutGiftEvent['change'], over: Partial<CheckoutGiftEvent> = {}): CheckoutGiftEvent => ({
    giftDocumentId: 'g1',
    orderDocumentId: 'o1',
    change,
    code: 'K7Q2-9XMB-4TRD-Z1HP-6WNC',
    recipientEmail: 'friend@example.test',
    buyerUserId: 7,
    buyerName: 'lin',
    title: 'Course one',
    courseDocumentIds: ['c1'],
    locale: null,
    at: '2026-01-01T00:00:00.000Z',
    ...over,
  });
  const giftTable: Array<[string, CheckoutGiftEvent, string | null, string | null]> = [
    ['issued → the recipient’s message', gift('issued'), 'paid', 'checkout.gift:recipient'],
    ['canceled by a refund → the buyer’s refund, unclaimed', gift('canceled'), 'refunded', 'checkout.gift-refund:buyer:unclaimed'],
    ['revoked by a refund → the buyer’s refund, claimed', gift('revoked'), 'refunded', 'checkout.gift-refund:buyer:claimed'],
    ['revoked by a lost dispute → nothing', gift('revoked'), 'disputed', null],
    ['claimed → nothing', gift('claimed'), 'paid', null],
    ['no buyer account → nothing', gift('canceled', { buyerUserId: null }), 'refunded', null],
  ];
  for (const [name, e, status, want] of giftTable) {
    test(`gift: ${name}`, () => {
      const d = giftMessage(e, status);
      const got = d === null ? null : d.template === 'checkout.gift' ? `${d.template}:${d.to}` : `${d.template}:${d.to}:${d.claimed ? 'claimed' : 'unclaimed'}`;
      assert.equal(got, want);
    });
  }
  test('a gift’s refund shares the order’s refund key (one refund message per order)', () => assert.equal(giftMessage(gift('canceled'), 'refunded')?.dedupeKey, 'order:o1:refunded'));

  test('certificate: once per code', () => assert.equal(certificateMessage({ code: 'abc', userId: 1, courseDocumentId: 'c1', courseTitle: 'T', language: 'en', completedAt: '2026-01-01T00:00:00.000Z' }).dedupeKey, 'certificate:abc'));

  const trial = (over: Partial<CheckoutTrialEndingEvent>): CheckoutTrialEndingEvent => ({ stripeSubscriptionId: 'sub_1', userId: 7, planDocumentId: 'p1', trialEnd: '2026-01-15T00:00:00.000Z', cancelAtPeriodEnd: false, at: '2026-01-12T00:00:00.000Z', ...over });
  const trialTable: Array<[string, Partial<CheckoutTrialEndingEvent>, string | null]> = [
    ['converts → trial-ending, a charge comes', {}, 'converts'],
    ['set to cancel → trial-ending, nothing charged', { cancelAtPeriodEnd: true }, 'ends'],
    ['no user → nothing', { userId: null }, null],
  ];
  for (const [name, over, want] of trialTable) {
    test(`trial: ${name}`, () => {
      const d = trialEndingMessage(trial(over));
      assert.equal(d === null ? null : d.converts ? 'converts' : 'ends', want);
    });
  }
  test('trial: one notice per trial end', () => assert.equal(trialEndingMessage(trial({}))?.dedupeKey, 'subscription:sub_1:trial-ending:2026-01-15T00:00:00.000Z'));

  const queueTable: Array<[string, ReviewTransitionEvent['action'], string | null, string, string | null]> = [
    ['assigned → the assignee', 'submit', 'ed@example.test', 'editors@example.test', 'assignee:ed@example.test'],
    ['unassigned → the editors’ address', 'submit', null, 'editors@example.test', 'editors:editors@example.test'],
    ['unassigned, no address → nobody', 'submit', null, '', null],
    ['not a submission → nobody', 'approve', 'ed@example.test', 'editors@example.test', null],
  ];
  for (const [name, action, assignee, editors, want] of queueTable) {
    test(`editor queue: ${name}`, () => {
      const d = editorQueueMessage(review(action), assignee, editors);
      assert.equal(d === null ? null : `${d.to.kind}:${d.to.email}`, want);
    });
  }

  test('the new messages say what they must, in both languages, and not what they must not', () => {
    const bundle = renderTemplate('checkout.bundle-receipt', 'en', SAMPLE_PAYLOADS['checkout.bundle-receipt']);
    for (const part of ['Sample bundle', 'Sample course', 'Another course', '$49.00', 'USD', 'o1a2b3c4d5e6f7g8h9i0j1k2', '2 courses']) assert.ok(bundle.text.includes(part), part);
    const unclaimed = renderTemplate('checkout.gift-refund', 'en', SAMPLE_PAYLOADS['checkout.gift-refund']);
    assert.match(unclaimed.text, /canceled: its claim code no longer works/);
    assert.doesNotMatch(unclaimed.text, /Your access/);
    const claimed = renderTemplate('checkout.gift-refund', 'zh-Hans', { ...SAMPLE_PAYLOADS['checkout.gift-refund'], claimed: true });
    assert.ok(claimed.text.includes('已领取') && !claimed.text.includes('领取码已失效'), claimed.text);
    const ends = renderTemplate('subscription.trial-ending', 'en', { ...SAMPLE_PAYLOADS['subscription.trial-ending'], converts: false });
    assert.match(ends.text, /nothing will be charged/);
    assert.doesNotMatch(renderTemplate('subscription.trial-ending', 'en', SAMPLE_PAYLOADS['subscription.trial-ending']).text, /nothing will be charged/);
    const cert = renderTemplate('learning.certificate', 'zh-Hans', SAMPLE_PAYLOADS['learning.certificate']);
    assert.ok(cert.html.includes('href="http://localhost:1337/api/certificates/q7XkR2mZ9vLpW4tYb8NcHd3F"'), cert.html);
    assert.ok(renderTemplate('review.queued', 'en', SAMPLE_PAYLOADS['review.queued']).text.includes('Nobody has taken it yet'));
  });

  const markerTable: Array<[string | undefined, string | null]> = [
    [`kp:account.password-reset ${'ab'.repeat(64)}`, 'account.password-reset'],
    [`kp:account.confirm ${'0f'.repeat(20)}`, 'account.confirm'],
    ['kp:account.password-reset <script>', null],
    ['Hello', null],
    [undefined, null],
  ];
  for (const [text, want] of markerTable) test(`marker ${String(text).slice(0, 30)} → ${want}`, () => assert.equal(accountMarker(text)?.template ?? null, want));
});
