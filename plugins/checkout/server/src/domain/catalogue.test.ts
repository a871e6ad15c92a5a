import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { billingPeriod, monthsPerPeriod, planCurrencyRotations, planPriceRotation, priceIdempotencyKey, trialDaysFor, type PriceSpec, type StoredPrice } from './catalogue';

describe('billingPeriod: an editor’s period → Stripe interval and interval_count', () => {
  const table: Array<[string, ReturnType<typeof billingPeriod>, number | null]> = [
    ['month', { interval: 'month', intervalCount: 1 }, 1],
    ['quarter', { interval: 'month', intervalCount: 3 }, 3],
    ['year', { interval: 'year', intervalCount: 1 }, 12],
    ['week', null, null],
    ['', null, null],
  ];
  for (const [period, expected, months] of table) {
    test(period || '(empty)', () => {
      assert.deepEqual(billingPeriod(period), expected);
      assert.equal(monthsPerPeriod(period), months);
    });
  }
});

const monthly = (amount: number): PriceSpec => ({ amount, currency: 'usd', recurring: { interval: 'month', intervalCount: 1 } });
const stored = (id: string, amount: number, active: boolean, extra: Partial<StoredPrice> = {}): StoredPrice => ({
  stripePriceId: id,
  amount,
  currency: 'usd',
  interval: 'month',
  intervalCount: 1,
  active,
  ...extra,
});

describe('planPriceRotation: one active Price, matching the editor’s terms', () => {
  const table: Array<{ name: string; spec: PriceSpec; prices: StoredPrice[]; expect: { keep: string | null; reactivate: string | null; create: boolean; archive: string[] } }> = [
    { name: 'nothing yet: create', spec: monthly(900), prices: [], expect: { keep: null, reactivate: null, create: true, archive: [] } },
    { name: 'the same terms: keep', spec: monthly(900), prices: [stored('p1', 900, true)], expect: { keep: 'p1', reactivate: null, create: false, archive: [] } },
    { name: 'a new amount: create, archive the old', spec: monthly(1200), prices: [stored('p1', 900, true)], expect: { keep: null, reactivate: null, create: true, archive: ['p1'] } },
    {
      name: 'back to an old amount: reactivate it, archive the current',
      spec: monthly(900),
      prices: [stored('p1', 900, false), stored('p2', 1200, true)],
      expect: { keep: null, reactivate: 'p1', create: false, archive: ['p2'] },
    },
    {
      name: 'a new period with the same amount is another Price',
      spec: { amount: 900, currency: 'usd', recurring: { interval: 'month', intervalCount: 3 } },
      prices: [stored('p1', 900, true)],
      expect: { keep: null, reactivate: null, create: true, archive: ['p1'] },
    },
    {
      name: 'another currency is another Price',
      spec: { amount: 900, currency: 'eur', recurring: { interval: 'month', intervalCount: 1 } },
      prices: [stored('p1', 900, true)],
      expect: { keep: null, reactivate: null, create: true, archive: ['p1'] },
    },
    {
      name: 'two active twins (a race elsewhere): keep one, archive the other',
      spec: monthly(900),
      prices: [stored('p1', 900, true), stored('p2', 900, true)],
      expect: { keep: 'p1', reactivate: null, create: false, archive: ['p2'] },
    },
    {
      name: 'a one-time course price does not match a recurring one',
      spec: { amount: 900, currency: 'usd', recurring: null },
      prices: [stored('p1', 900, true)],
      expect: { keep: null, reactivate: null, create: true, archive: ['p1'] },
    },
    {
      name: 'a one-time price kept',
      spec: { amount: 1999, currency: 'usd', recurring: null },
      prices: [stored('c1', 1999, true, { interval: null, intervalCount: null })],
      expect: { keep: 'c1', reactivate: null, create: false, archive: [] },
    },
  ];
  for (const t of table) {
    test(t.name, () => {
      const plan = planPriceRotation(t.spec, t.prices);
      assert.deepEqual(plan, t.expect);
      // Invariants: exactly one way to sell; the Price sold at is never archived.
      assert.equal([plan.keep !== null, plan.reactivate !== null, plan.create].filter(Boolean).length, 1);
      assert.ok(!plan.archive.includes(plan.keep ?? plan.reactivate ?? ''));
    });
  }
});

describe('priceIdempotencyKey', () => {
  test('the same terms give the same key; any difference another', () => {
    const k = priceIdempotencyKey('prod_1', monthly(900));
    assert.equal(k, priceIdempotencyKey('prod_1', monthly(900)));
    assert.notEqual(k, priceIdempotencyKey('prod_1', monthly(901)));
    assert.notEqual(k, priceIdempotencyKey('prod_2', monthly(900)));
    assert.notEqual(k, priceIdempotencyKey('prod_1', { ...monthly(900), recurring: { interval: 'month', intervalCount: 3 } }));
    assert.notEqual(k, priceIdempotencyKey('prod_1', { ...monthly(900), recurring: null }));
  });
});

describe('trialDaysFor', () => {
  const table: Array<[number | null, boolean, number | null]> = [
    [14, false, 14],
    [14, true, null],
    [0, false, null],
    [null, false, null],
    [1000, false, 730],
  ];
  for (const [days, before, expected] of table) {
    test(`${days} days, subscribed before: ${before}`, () => assert.equal(trialDaysFor(days, before), expected));
  }
});

describe('planCurrencyRotations: one active Price per currency, each rotating on its own', () => {
  const once = (amount: number, currency: string): PriceSpec => ({ amount, currency, recurring: null });
  const price = (id: string, amount: number, currency: string, active: boolean): StoredPrice => ({ stripePriceId: id, amount, currency, interval: null, intervalCount: null, active });
  const table: Array<{ name: string; specs: PriceSpec[]; prices: StoredPrice[]; expect: ReturnType<typeof planCurrencyRotations> }> = [
    {
      name: 'a new EUR price beside the USD one: create EUR, keep USD',
      specs: [once(1999, 'usd'), once(1800, 'eur')],
      prices: [price('u1', 1999, 'usd', true)],
      expect: {
        rotations: [
          { spec: once(1999, 'usd'), plan: { keep: 'u1', reactivate: null, create: false, archive: [] } },
          { spec: once(1800, 'eur'), plan: { keep: null, reactivate: null, create: true, archive: [] } },
        ],
        archiveDropped: [],
      },
    },
    {
      name: 'the EUR amount changes: only EUR rotates',
      specs: [once(1999, 'usd'), once(2000, 'eur')],
      prices: [price('u1', 1999, 'usd', true), price('e1', 1800, 'eur', true)],
      expect: {
        rotations: [
          { spec: once(1999, 'usd'), plan: { keep: 'u1', reactivate: null, create: false, archive: [] } },
          { spec: once(2000, 'eur'), plan: { keep: null, reactivate: null, create: true, archive: ['e1'] } },
        ],
        archiveDropped: [],
      },
    },
    {
      name: 'EUR back to an amount sold before: reactivate it',
      specs: [once(1999, 'usd'), once(1800, 'eur')],
      prices: [price('u1', 1999, 'usd', true), price('e1', 1800, 'eur', false), price('e2', 2000, 'eur', true)],
      expect: {
        rotations: [
          { spec: once(1999, 'usd'), plan: { keep: 'u1', reactivate: null, create: false, archive: [] } },
          { spec: once(1800, 'eur'), plan: { keep: null, reactivate: 'e1', create: false, archive: ['e2'] } },
        ],
        archiveDropped: [],
      },
    },
    {
      name: 'EUR removed by the editor: its active Price is archived',
      specs: [once(1999, 'usd')],
      prices: [price('u1', 1999, 'usd', true), price('e1', 1800, 'eur', true), price('e0', 1700, 'eur', false)],
      expect: { rotations: [{ spec: once(1999, 'usd'), plan: { keep: 'u1', reactivate: null, create: false, archive: [] } }], archiveDropped: ['e1'] },
    },
    {
      name: 'the same amount in two currencies is two Prices',
      specs: [once(1800, 'usd'), once(1800, 'eur')],
      prices: [price('u1', 1800, 'usd', true)],
      expect: {
        rotations: [
          { spec: once(1800, 'usd'), plan: { keep: 'u1', reactivate: null, create: false, archive: [] } },
          { spec: once(1800, 'eur'), plan: { keep: null, reactivate: null, create: true, archive: [] } },
        ],
        archiveDropped: [],
      },
    },
  ];
  for (const row of table) test(row.name, () => assert.deepEqual(planCurrencyRotations(row.specs, row.prices), row.expect));
  test('two specs in one currency are refused', () => assert.throws(() => planCurrencyRotations([once(1, 'usd'), once(2, 'usd')], []), /one spec per currency/));
});
