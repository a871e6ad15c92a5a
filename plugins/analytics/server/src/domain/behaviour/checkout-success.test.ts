import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkoutSuccess, priceBand, sessionProbability, type CheckoutSession } from './checkout-success';

const s = (o: Partial<CheckoutSession>): CheckoutSession => ({ course: 'c1', currency: 'usd', amount: 2000, returning: false, paid: false, open: false, ...o });

describe('priceBand in major units of the currency', () => {
  const table: Array<[number, string, string]> = [
    [999, 'usd', 'under-10'],
    [1000, 'usd', '10-49'],
    [4999, 'eur', '10-49'],
    [5000, 'gbp', '50-99'],
    [10000, 'usd', '100+'],
    [1999, 'jpy', '100+'], // ¥1,999: zero-decimal
    [9, 'jpy', 'under-10'],
  ];
  for (const [amount, currency, want] of table) test(`${amount} ${currency} → ${want}`, () => assert.equal(priceBand(amount, currency), want));
});

describe('checkoutSuccess: observed rates of settled sessions', () => {
  const sessions = [
    s({ paid: true }),
    s({ paid: true, returning: true }),
    s({ paid: false }),
    s({ course: 'c2', currency: 'eur', amount: 9000, paid: false }),
    s({ course: null, currency: 'jpy', amount: 1500, paid: true, returning: true }),
    s({ open: true }),
  ];
  const t = checkoutSuccess(sessions);
  test('overall, open sessions apart', () => {
    assert.deepEqual(t.overall, { key: 'all', sessions: 5, paid: 3, rate: 0.6 });
    assert.equal(t.open, 1);
  });
  test('by course (plans as "plan"), currency, price band and buyer', () => {
    assert.deepEqual(t.by.course, [
      { key: 'c1', sessions: 3, paid: 2, rate: 0.6667 },
      { key: 'c2', sessions: 1, paid: 0, rate: 0 },
      { key: 'plan', sessions: 1, paid: 1, rate: 1 },
    ]);
    assert.deepEqual(t.by.currency.map((r) => [r.key, r.rate]), [['usd', 0.6667], ['eur', 0], ['jpy', 1]]);
    assert.deepEqual(t.by.priceBand.map((r) => [r.key, r.sessions]), [['10-49', 3], ['100+', 1], ['50-99', 1]]);
    assert.deepEqual(t.by.buyer, [
      { key: 'new', sessions: 3, paid: 1, rate: 0.3333 },
      { key: 'returning', sessions: 2, paid: 2, rate: 1 },
    ]);
  });
  test('no settled session: null rates and no probability', () => {
    const empty = checkoutSuccess([s({ open: true })]);
    assert.equal(empty.overall.rate, null);
    assert.equal(sessionProbability(s({ open: true }), empty), null);
  });
});

describe('sessionProbability', () => {
  // 200 settled sessions: returning buyers pay 90%, new ones 30%; c1 and c2 alike.
  const many: CheckoutSession[] = [];
  for (let i = 0; i < 100; i++) many.push(s({ returning: true, paid: i < 90, course: i % 2 ? 'c1' : 'c2' }));
  for (let i = 0; i < 100; i++) many.push(s({ returning: false, paid: i < 30, course: i % 2 ? 'c1' : 'c2' }));
  const t = checkoutSuccess(many);
  test('follows the dimension that differs', () => {
    const returning = sessionProbability(s({ returning: true, open: true }), t)!;
    const fresh = sessionProbability(s({ returning: false, open: true }), t)!;
    assert.ok(returning > 0.85 && returning < 0.95, String(returning));
    assert.ok(fresh > 0.25 && fresh < 0.35, String(fresh));
  });
  test('an unseen course or currency adds nothing; a probability stays in (0, 1)', () => {
    const unseen = sessionProbability(s({ course: 'new-course', currency: 'gbp', returning: true, open: true }), t)!;
    assert.ok(unseen > 0.85 && unseen < 0.95, String(unseen));
    const all = checkoutSuccess([s({ paid: true })]);
    const p = sessionProbability(s({ open: true }), all)!;
    assert.ok(p > 0 && p < 1);
  });
});
