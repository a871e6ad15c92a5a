import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckoutInvoiceEvent, CheckoutOrderEvent, CheckoutSubscriptionEvent, ReviewTransitionEvent } from '@kp/platform/contracts';
import { afterFailure, describeFailure } from './backoff';
import { decideDelivery } from './delivery';
import { messageLocale } from './locale';
import { formatAmount } from './money';
import { SAMPLE_PAYLOADS, TEMPLATE_IDS, escapeHtml, renderTemplate } from './templates';
import { accountMarker, invoiceMessage, orderMessage, reviewMessage, subscriptionMessage } from './triggers';

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
});

describe('triggers', () => {
  const order = (over: Partial<CheckoutOrderEvent>): CheckoutOrderEvent => ({
    orderDocumentId: 'o1',
    userId: 7,
    kind: 'course',
    courseDocumentId: 'c1',
    planDocumentId: null,
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

  const markerTable: Array<[string | undefined, string | null]> = [
    [`kp:account.password-reset ${'ab'.repeat(64)}`, 'account.password-reset'],
    [`kp:account.confirm ${'0f'.repeat(20)}`, 'account.confirm'],
    ['kp:account.password-reset <script>', null],
    ['Hello', null],
    [undefined, null],
  ];
  for (const [text, want] of markerTable) test(`marker ${String(text).slice(0, 30)} → ${want}`, () => assert.equal(accountMarker(text)?.template ?? null, want));
});
