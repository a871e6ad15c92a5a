import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkChargeable, formatAmount, isFullRefund, minorUnitDigits } from './money';

describe('money: integers in minor units, zero-decimal currencies', () => {
  const format: Array<[number, string, string]> = [
    [1999, 'usd', '19.99 USD'],
    [5, 'eur', '0.05 EUR'],
    [100, 'gbp', '1.00 GBP'],
    [1999, 'jpy', '1999 JPY'],
    [1999, 'JPY', '1999 JPY'],
    [0, 'usd', '0.00 USD'],
    [-250, 'usd', '-2.50 USD'],
    [123456, 'cny', '1234.56 CNY'],
  ];
  for (const [amount, currency, expected] of format) {
    test(`formatAmount(${amount}, ${currency}) = ${expected}`, () => assert.equal(formatAmount(amount, currency), expected));
  }

  test('JPY and KRW have no minor unit, USD has two digits', () => {
    assert.equal(minorUnitDigits('jpy'), 0);
    assert.equal(minorUnitDigits('krw'), 0);
    assert.equal(minorUnitDigits('usd'), 2);
  });

  const chargeable: Array<{ amount: number; currency: string; ok: boolean; reason?: string }> = [
    { amount: 1999, currency: 'usd', ok: true },
    { amount: 50, currency: 'usd', ok: true },
    { amount: 49, currency: 'usd', ok: false, reason: 'below-minimum' },
    { amount: 30, currency: 'gbp', ok: true },
    // ¥50 is the JPY minimum: the amount is yen, not hundredths of a yen.
    { amount: 50, currency: 'jpy', ok: true },
    { amount: 49, currency: 'jpy', ok: false, reason: 'below-minimum' },
    { amount: 0, currency: 'eur', ok: false, reason: 'below-minimum' },
    { amount: 19.99, currency: 'usd', ok: false, reason: 'not-an-integer' },
    { amount: 100_000_000, currency: 'usd', ok: false, reason: 'above-maximum' },
    { amount: 1000, currency: 'chf', ok: false, reason: 'unsupported-currency' },
  ];
  for (const c of chargeable) {
    test(`checkChargeable(${c.amount}, ${c.currency}) → ${c.ok ? 'ok' : c.reason}`, () => {
      const r = checkChargeable(c.amount, c.currency);
      assert.equal(r.ok, c.ok);
      if (!r.ok) assert.equal(r.reason, c.reason);
    });
  }

  const refunds: Array<[number, number, boolean]> = [
    [1999, 1999, true],
    [1999, 2000, true],
    [1999, 1000, false],
    [1999, 0, false],
    [0, 0, false],
  ];
  for (const [charged, refunded, full] of refunds) {
    test(`isFullRefund(${charged}, ${refunded}) = ${full}`, () => assert.equal(isFullRefund(charged, refunded), full));
  }
});
