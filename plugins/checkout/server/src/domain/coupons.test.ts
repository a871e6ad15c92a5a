import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { changedFixedTerms, checkCouponTerms, decideCouponApplicability, discountOf, normaliseCode, type CouponState, type CouponTerms, type PurchaseItem } from './coupons';

const NOW = new Date('2026-12-02T12:00:00Z');
const terms = (extra: Partial<CouponTerms> = {}): CouponTerms => ({
  code: 'WINTER25',
  percentOff: 25,
  amountOff: null,
  currency: null,
  duration: 'once',
  durationInMonths: null,
  expiresAt: null,
  maxRedemptions: null,
  courses: [],
  plans: [],
  ...extra,
});

describe('checkCouponTerms', () => {
  const table: Array<{ name: string; terms: CouponTerms; problems: RegExp[] }> = [
    { name: 'a percentage once', terms: terms(), problems: [] },
    { name: 'an amount off in EUR, repeating 3 months', terms: terms({ percentOff: null, amountOff: 500, currency: 'eur', duration: 'repeating', durationInMonths: 3 }), problems: [] },
    { name: 'both percent and amount', terms: terms({ amountOff: 500, currency: 'usd' }), problems: [/exactly one/] },
    { name: 'neither', terms: terms({ percentOff: null }), problems: [/exactly one/] },
    { name: 'percent above 100', terms: terms({ percentOff: 120 }), problems: [/percentOff/] },
    { name: 'amount without currency', terms: terms({ percentOff: null, amountOff: 500 }), problems: [/currency/] },
    { name: 'repeating without months', terms: terms({ duration: 'repeating' }), problems: [/durationInMonths: required/] },
    { name: 'months without repeating', terms: terms({ durationInMonths: 2 }), problems: [/only with duration/] },
    { name: 'unknown duration', terms: terms({ duration: 'weekly' }), problems: [/duration: once/] },
    { name: 'a code with a space', terms: terms({ code: 'WIN TER' }), problems: [/code/] },
    { name: 'expiry in the past', terms: terms({ expiresAt: '2026-01-01T00:00:00Z' }), problems: [/future/] },
    { name: 'zero redemptions', terms: terms({ maxRedemptions: 0 }), problems: [/maxRedemptions/] },
  ];
  for (const t of table) {
    test(t.name, () => {
      const problems = checkCouponTerms(t.terms, NOW);
      assert.equal(problems.length, t.problems.length, problems.join('; '));
      t.problems.forEach((p, i) => assert.match(problems[i]!, p));
    });
  }
});

describe('changedFixedTerms', () => {
  test('renaming nothing fixed, reordering courses, case of the code: nothing changed', () => {
    assert.deepEqual(changedFixedTerms(terms({ courses: ['a', 'b'] }), terms({ code: 'winter25', courses: ['b', 'a'] })), []);
  });
  test('amount, restriction and expiry changes are named', () => {
    assert.deepEqual(changedFixedTerms(terms(), terms({ percentOff: 30, courses: ['a'], expiresAt: '2027-01-01T00:00:00Z' })), ['percentOff', 'expiresAt', 'courses']);
  });
});

const state = (extra: Partial<CouponState> = {}): CouponState => ({ ...terms(), active: true, timesRedeemed: 0, ...extra });
const course: PurchaseItem = { kind: 'course', documentId: 'c1', amount: 1999, currency: 'usd' };
const plan: PurchaseItem = { kind: 'plan', documentId: 'p1', amount: 900, currency: 'usd' };

describe('decideCouponApplicability', () => {
  const table: Array<{ name: string; coupon: CouponState; item: PurchaseItem; expect: string; total?: number }> = [
    { name: '25 % off a course (rounded to the cent)', coupon: state(), item: course, expect: 'ok', total: 1499 },
    { name: 'applies to plans too when unrestricted', coupon: state(), item: plan, expect: 'ok', total: 675 },
    { name: 'restricted to this course', coupon: state({ courses: ['c1'] }), item: course, expect: 'ok', total: 1499 },
    { name: 'restricted to another course', coupon: state({ courses: ['c2'] }), item: course, expect: 'not-applicable' },
    { name: 'restricted to courses, used on a plan', coupon: state({ courses: ['c1'] }), item: plan, expect: 'not-applicable' },
    { name: 'restricted to this plan', coupon: state({ plans: ['p1'] }), item: plan, expect: 'ok', total: 675 },
    { name: 'switched off', coupon: state({ active: false }), item: course, expect: 'inactive' },
    { name: 'expired', coupon: state({ expiresAt: '2026-12-01T00:00:00Z' }), item: course, expect: 'expired' },
    { name: 'not yet expired', coupon: state({ expiresAt: '2026-12-03T00:00:00Z' }), item: course, expect: 'ok', total: 1499 },
    { name: 'used up', coupon: state({ maxRedemptions: 3, timesRedeemed: 3 }), item: course, expect: 'used-up' },
    { name: 'one redemption left', coupon: state({ maxRedemptions: 3, timesRedeemed: 2 }), item: course, expect: 'ok', total: 1499 },
    { name: '5.00 USD off', coupon: state({ percentOff: null, amountOff: 500, currency: 'usd' }), item: course, expect: 'ok', total: 1499 },
    { name: 'an amount off in another currency', coupon: state({ percentOff: null, amountOff: 500, currency: 'eur' }), item: course, expect: 'wrong-currency' },
    { name: 'more off than the price: free', coupon: state({ percentOff: null, amountOff: 5000, currency: 'usd' }), item: course, expect: 'ok', total: 0 },
    { name: '100 %', coupon: state({ percentOff: 100 }), item: course, expect: 'ok', total: 0 },
  ];
  for (const t of table) {
    test(t.name, () => {
      const d = decideCouponApplicability(t.coupon, t.item, NOW);
      assert.equal(d.ok ? 'ok' : d.reason, t.expect, JSON.stringify(d));
      if (d.ok) {
        assert.equal(d.total, t.total);
        assert.equal(d.discount + d.total, t.item.amount);
      }
    });
  }
});

describe('discountOf and normaliseCode', () => {
  test('percent rounds half up to the minor unit; JPY in whole yen', () => {
    assert.equal(discountOf(999, { percentOff: 50, amountOff: null }), 500);
    assert.equal(discountOf(1500, { percentOff: 33, amountOff: null }), 495);
  });
  test('codes compare in capitals', () => assert.equal(normaliseCode(' winter25 '), 'WINTER25'));
});
