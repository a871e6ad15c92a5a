import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkExtraPrices, offeredPrices, pickPrice, type ExtraPriceInput, type OfferedPrice } from './currencies';

describe('checkExtraPrices: what an editor may save', () => {
  const table: Array<{ name: string; base: string; extras: ExtraPriceInput[]; problems: string[] }> = [
    { name: 'none', base: 'usd', extras: [], problems: [] },
    { name: 'EUR and JPY beside USD', base: 'usd', extras: [{ currency: 'eur', amount: 1800 }, { currency: 'jpy', amount: 2900 }], problems: [] },
    { name: 'the default currency again', base: 'usd', extras: [{ currency: 'usd', amount: 1800 }], problems: ['extraPrices[0].currency: usd is the course\'s default currency (set its amount in "price")'] },
    { name: 'a currency twice', base: 'usd', extras: [{ currency: 'eur', amount: 1800 }, { currency: 'EUR', amount: 1900 }], problems: ['extraPrices[1].currency: eur is given twice'] },
    { name: 'an unknown currency', base: 'usd', extras: [{ currency: 'chf', amount: 1800 }], problems: ['extraPrices[0].currency: must be one of usd, eur, gbp, cny, jpy'] },
    { name: 'no currency', base: 'usd', extras: [{ currency: null, amount: 1800 }], problems: ['extraPrices[0].currency: must be one of usd, eur, gbp, cny, jpy'] },
    { name: 'a fractional amount', base: 'usd', extras: [{ currency: 'eur', amount: 18.5 }], problems: ["extraPrices[0].amount: must be an integer in the currency's minor unit"] },
    { name: 'a text amount', base: 'usd', extras: [{ currency: 'eur', amount: 'abc' }], problems: ["extraPrices[0].amount: must be an integer in the currency's minor unit"] },
    { name: 'below Stripe’s minimum', base: 'usd', extras: [{ currency: 'gbp', amount: 29 }], problems: ["extraPrices[0].amount: at least 30 (Stripe's minimum charge in gbp)"] },
    { name: 'zero', base: 'usd', extras: [{ currency: 'eur', amount: 0 }], problems: ["extraPrices[0].amount: at least 50 (Stripe's minimum charge in eur)"] },
    { name: 'above the schema’s maximum', base: 'usd', extras: [{ currency: 'jpy', amount: 100_000_001 }], problems: ['extraPrices[0].amount: at most 100000000'] },
    { name: 'above Stripe’s maximum', base: 'usd', extras: [{ currency: 'jpy', amount: 100_000_000 }], problems: ['extraPrices[0].amount: above-maximum'] },
    { name: 'the minimum exactly', base: 'eur', extras: [{ currency: 'gbp', amount: 30 }], problems: [] },
    { name: 'an amount given as digits', base: 'eur', extras: [{ currency: 'usd', amount: '1999' }], problems: [] },
    { name: 'a default in upper case', base: 'EUR', extras: [{ currency: 'eur', amount: 1999 }], problems: ['extraPrices[0].currency: eur is the course\'s default currency (set its amount in "price")'] },
  ];
  for (const row of table) test(row.name, () => assert.deepEqual(checkExtraPrices(row.base, row.extras), row.problems));
});

describe('offeredPrices: default first, then the extra prices', () => {
  test('order and flags', () => {
    assert.deepEqual(offeredPrices({ price: 1999, currency: 'USD', extraPrices: [{ currency: 'eur', amount: 1800 }, { currency: 'jpy', amount: 2900 }] }), [
      { currency: 'usd', amount: 1999, default: true },
      { currency: 'eur', amount: 1800, default: false },
      { currency: 'jpy', amount: 2900, default: false },
    ]);
  });
  test('no extra prices', () => assert.deepEqual(offeredPrices({ price: 500, currency: 'gbp', extraPrices: null }), [{ currency: 'gbp', amount: 500, default: true }]));
  test('a stored duplicate of the default is not offered twice', () =>
    assert.deepEqual(offeredPrices({ price: 500, currency: 'gbp', extraPrices: [{ currency: 'gbp', amount: 900 }] }), [{ currency: 'gbp', amount: 500, default: true }]));
});

describe('pickPrice: the price a learner is charged', () => {
  const usd: OfferedPrice = { currency: 'usd', amount: 1999, default: true };
  const eur: OfferedPrice = { currency: 'eur', amount: 1800, default: false };
  const cny: OfferedPrice = { currency: 'cny', amount: 9900, default: false };
  const offered = [usd, eur, cny];
  const table: Array<{ name: string; offered: OfferedPrice[]; requested?: string; expect: ReturnType<typeof pickPrice> }> = [
    { name: 'nothing known: the default', offered, expect: { ok: true, price: usd, via: 'default' } },
    { name: 'EUR asked for', offered, requested: 'eur', expect: { ok: true, price: eur, via: 'requested' } },
    { name: 'EUR asked for in upper case', offered, requested: 'EUR', expect: { ok: true, price: eur, via: 'requested' } },
    { name: 'the default asked for', offered, requested: 'usd', expect: { ok: true, price: usd, via: 'requested' } },
    { name: 'GBP asked for, not offered', offered, requested: 'gbp', expect: { ok: false, reason: 'unsupported-currency', requested: 'gbp', offered: ['usd', 'eur', 'cny'] } },
  ];
  for (const row of table) test(row.name, () => assert.deepEqual(pickPrice(row.offered, { requested: row.requested ?? null }), row.expect));
});
