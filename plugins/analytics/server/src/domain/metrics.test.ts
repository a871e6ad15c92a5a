import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { churnRate, funnelFigures, median, medianOfMiddle, medianOffset, mergeMoney, moneyFigures, monthlyAmount, mrrByCurrency, rate, toDays, toHours } from './metrics';

describe('moneyFigures: net = gross − refunds − disputes', () => {
  const table = [
    { in: { currency: 'usd', gross: 10000, refunds: 2500, disputes: 0, orders: 2 }, net: 7500, aov: 5000 },
    { in: { currency: 'eur', gross: 999, refunds: 0, disputes: 999, orders: 1 }, net: 0, aov: 999 },
    { in: { currency: 'jpy', gross: 0, refunds: 3000, disputes: 0, orders: 0 }, net: -3000, aov: null }, // refund of an earlier period's sale
    { in: { currency: 'usd', gross: 1000, refunds: 0, disputes: 0, orders: 3 }, net: 1000, aov: 333 },
  ];
  for (const row of table) {
    test(`${JSON.stringify(row.in)}`, () => {
      const f = moneyFigures(row.in);
      assert.equal(f.net, row.net);
      assert.equal(f.averageOrderValue, row.aov);
    });
  }
});

describe('mergeMoney: per key and currency, never across currencies', () => {
  test('sales, refunds and disputes of one bucket merge; currencies stay apart', () => {
    const merged = mergeMoney([
      { key: '2026-03', currency: 'usd', gross: 5000, orders: 1 },
      { key: '2026-03', currency: 'eur', gross: 4000, orders: 1 },
      { key: '2026-03', currency: 'usd', refunds: 1000 },
      { key: '2026-02', currency: 'usd', disputes: 200 },
    ]);
    assert.deepEqual(
      merged.map((m) => [m.key, m.currency, m.gross, m.refunds, m.disputes, m.net, m.orders]),
      [
        ['2026-02', 'usd', 0, 0, 200, -200, 0],
        ['2026-03', 'eur', 4000, 0, 0, 4000, 1],
        ['2026-03', 'usd', 5000, 1000, 0, 4000, 1],
      ]
    );
  });
});

describe('rates', () => {
  const table = [
    { part: 1, whole: 3, r: 0.3333 },
    { part: 2, whole: 2, r: 1 },
    { part: 0, whole: 5, r: 0 },
    { part: 1, whole: 0, r: null },
  ];
  for (const row of table) test(`${row.part}/${row.whole}`, () => assert.equal(rate(row.part, row.whole), row.r));
  test('churn: canceled over live at the start', () => {
    assert.equal(churnRate(1, 4), 0.25);
    assert.equal(churnRate(1, 0), null);
  });
});

describe('MRR', () => {
  test('a yearly plan counts a twelfth', () => {
    assert.equal(monthlyAmount(12000, 'year'), 1000);
    assert.equal(monthlyAmount(1500, 'month'), 1500);
  });
  test('a quarterly plan counts a third', () => assert.equal(monthlyAmount(2700, 'quarter'), 900));
  test('per currency, rounded once', () => {
    assert.deepEqual(
      mrrByCurrency([
        { currency: 'usd', interval: 'month', total: 3000 },
        { currency: 'usd', interval: 'year', total: 10000 }, // 833.33
        { currency: 'usd', interval: 'year', total: 10000 }, // 833.33 → 4666.67 → 4667
        { currency: 'eur', interval: 'year', total: 11988 },
      ]),
      [
        { currency: 'eur', mrr: 999 },
        { currency: 'usd', mrr: 4667 },
      ]
    );
  });
});

describe('median', () => {
  const table = [
    { values: [], m: null },
    { values: [5], m: 5 },
    { values: [3, 1, 2], m: 2 },
    { values: [4, 1, 3, 2], m: 2.5 },
    { values: [10, 10, 1, 100], m: 10 },
  ];
  for (const row of table) test(JSON.stringify(row.values), () => assert.equal(median(row.values), row.m));
  test('offset and middle as SQL returns them', () => {
    assert.equal(medianOffset(0), 0);
    assert.equal(medianOffset(4), 1);
    assert.equal(medianOffset(5), 2);
    assert.equal(medianOfMiddle(4, [2, 3]), 2.5);
    assert.equal(medianOfMiddle(5, [3, 4]), 3);
  });
});

describe('funnel and durations', () => {
  test('success and abandonment rates over sessions started', () => {
    const f = funnelFigures({ started: 8, completed: 6, paid: 5, refunded: 1, expired: 2, failed: 1, pending: 0 });
    assert.equal(f.successRate, 0.625);
    assert.equal(f.abandonmentRate, 0.25);
    assert.equal(funnelFigures({ started: 0, completed: 0, paid: 0, refunded: 0, expired: 0, failed: 0, pending: 0 }).successRate, null);
  });
  test('hours and days with one decimal', () => {
    assert.equal(toHours(90 * 60_000), 1.5);
    assert.equal(toDays(36 * 3_600_000), 1.5);
    assert.equal(toHours(null), null);
  });
});
