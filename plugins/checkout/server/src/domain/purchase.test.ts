import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccessDecision } from '@kp/platform';
import { decideCoursePurchase, decidePlanPurchase, stripeCheckoutLocale, type CourseFacts, type PlanFacts } from './purchase';

const course = (extra: Partial<CourseFacts> = {}): CourseFacts => ({ documentId: 'c1', title: 'Course', access: 'paid', price: 1999, currency: 'usd', ...extra });
const plan = (extra: Partial<PlanFacts> = {}): PlanFacts => ({ documentId: 'p1', name: 'Monthly', price: 900, currency: 'eur', interval: 'month', trialDays: null, ...extra });
const noAccess: AccessDecision = { allowed: false, reason: 'no-entitlement' };

describe('decideCoursePurchase', () => {
  const table: Array<{ name: string; course: CourseFacts | null; access?: AccessDecision; expect: string }> = [
    { name: 'a paid course', course: course(), expect: 'ok' },
    { name: 'a JPY course is priced in yen', course: course({ price: 1500, currency: 'jpy' }), expect: 'ok' },
    { name: 'currency given in capitals', course: course({ currency: 'USD' }), expect: 'ok' },
    { name: 'not published / unknown', course: null, expect: 'not-found' },
    { name: 'free course', course: course({ access: 'free', price: 0 }), expect: 'free-course' },
    { name: 'subscription-only course', course: course({ access: 'subscription' }), expect: 'subscription-only' },
    { name: 'already bought', course: course(), access: { allowed: true, via: 'purchase' }, expect: 'already-has-access' },
    { name: 'covered by a subscription', course: course(), access: { allowed: true, via: 'subscription' }, expect: 'already-has-access' },
    { name: 'its own instructor', course: course(), access: { allowed: true, via: 'instructor' }, expect: 'already-has-access' },
    { name: 'expired access may buy again', course: course(), access: { allowed: false, reason: 'expired' }, expect: 'ok' },
    { name: 'price below Stripe minimum', course: course({ price: 10 }), expect: 'not-purchasable' },
    { name: 'price zero on a paid course', course: course({ price: 0 }), expect: 'not-purchasable' },
  ];
  for (const t of table) {
    test(t.name, () => {
      const d = decideCoursePurchase(t.course, t.access ?? noAccess);
      assert.equal(d.ok ? 'ok' : d.reason, t.expect);
    });
  }
  test('amount stays the integer minor-unit price, currency lower-case', () => {
    const d = decideCoursePurchase(course({ price: 1500, currency: 'JPY' }), noAccess);
    assert.deepEqual(d, { ok: true, amount: 1500, currency: 'jpy', title: 'Course' });
  });
});

describe('decidePlanPurchase', () => {
  const table: Array<{ name: string; plan: PlanFacts | null; subs: string[]; expect: string }> = [
    { name: 'new subscriber', plan: plan(), subs: [], expect: 'ok' },
    { name: 'a past, canceled subscription does not block', plan: plan(), subs: ['canceled', 'incomplete_expired'], expect: 'ok' },
    { name: 'already active', plan: plan(), subs: ['active'], expect: 'already-subscribed' },
    { name: 'past_due still holds the plan', plan: plan(), subs: ['canceled', 'past_due'], expect: 'already-subscribed' },
    { name: 'first invoice still being paid', plan: plan(), subs: ['incomplete'], expect: 'already-subscribed' },
    { name: 'unknown plan', plan: null, subs: [], expect: 'not-found' },
    { name: 'plan priced below Stripe minimum', plan: plan({ price: 10 }), subs: [], expect: 'not-purchasable' },
    { name: 'plan of an unknown period', plan: plan({ interval: 'fortnight' }), subs: [], expect: 'not-purchasable' },
    { name: 'a quarterly plan', plan: plan({ interval: 'quarter' }), subs: [], expect: 'ok' },
  ];
  for (const t of table) {
    test(t.name, () => {
      const d = decidePlanPurchase(t.plan, t.subs);
      assert.equal(d.ok ? 'ok' : d.reason, t.expect);
    });
  }
});

describe('stripeCheckoutLocale', () => {
  test('Stripe Checkout locales', () => {
    assert.equal(stripeCheckoutLocale('zh-Hans'), 'zh');
    assert.equal(stripeCheckoutLocale('en'), 'en');
    assert.equal(stripeCheckoutLocale(undefined), 'auto');
  });
});

describe('decidePlanPurchase: trials', () => {
  test('a first subscription gets the plan’s trial; a returning subscriber does not', () => {
    const d1 = decidePlanPurchase(plan({ trialDays: 14 }), []);
    assert.ok(d1.ok && d1.trialDays === 14);
    const d2 = decidePlanPurchase(plan({ trialDays: 14 }), ['canceled']);
    assert.ok(d2.ok && d2.trialDays === null);
    const d3 = decidePlanPurchase(plan(), []);
    assert.ok(d3.ok && d3.trialDays === null);
  });
});
