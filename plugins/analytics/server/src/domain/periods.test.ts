import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketCount, bucketKeyOf, bucketsOf, describePeriod, parseDay, previousPeriod, resolvePeriod, startOfLocalDay, zoneOffsetMs } from './periods';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';

describe('startOfLocalDay: local midnight as a UTC instant, across DST', () => {
  const table = [
    { day: '2026-03-07', tz: NY, utc: '2026-03-07T05:00:00.000Z' },
    { day: '2026-03-08', tz: NY, utc: '2026-03-08T05:00:00.000Z' }, // the day DST starts at 02:00
    { day: '2026-03-09', tz: NY, utc: '2026-03-09T04:00:00.000Z' },
    { day: '2026-11-01', tz: NY, utc: '2026-11-01T04:00:00.000Z' }, // DST ends at 02:00
    { day: '2026-11-02', tz: NY, utc: '2026-11-02T05:00:00.000Z' },
    { day: '2026-03-29', tz: BERLIN, utc: '2026-03-28T23:00:00.000Z' },
    { day: '2026-03-30', tz: BERLIN, utc: '2026-03-29T22:00:00.000Z' },
    { day: '2026-01-01', tz: 'UTC', utc: '2026-01-01T00:00:00.000Z' },
    { day: '2026-06-15', tz: 'Asia/Kolkata', utc: '2026-06-14T18:30:00.000Z' },
    // Midnight does not exist there on that day (DST started at 00:00): the day starts at 01:00.
    { day: '2026-03-08', tz: 'America/Havana', utc: '2026-03-08T05:00:00.000Z' },
    { day: '2026-09-06', tz: 'America/Santiago', utc: '2026-09-06T04:00:00.000Z' },
  ];
  for (const row of table) {
    test(`${row.day} in ${row.tz}`, () => {
      assert.equal(startOfLocalDay(parseDay(row.day)!, row.tz).toISOString(), row.utc);
    });
  }
  test('the day DST starts is 23 hours long, the day it ends 25', () => {
    const len = (a: string, b: string) => (startOfLocalDay(parseDay(b)!, NY).getTime() - startOfLocalDay(parseDay(a)!, NY).getTime()) / 3_600_000;
    assert.equal(len('2026-03-08', '2026-03-09'), 23);
    assert.equal(len('2026-11-01', '2026-11-02'), 25);
    assert.equal(len('2026-06-01', '2026-06-02'), 24);
  });
  test('offsets', () => {
    assert.equal(zoneOffsetMs(new Date('2026-07-01T12:00:00Z'), NY), -4 * 3_600_000);
    assert.equal(zoneOffsetMs(new Date('2026-01-01T12:00:00Z'), NY), -5 * 3_600_000);
  });
});

describe('bucketKeyOf', () => {
  const table = [
    { day: '2026-03-04', g: 'day', key: '2026-03-04' },
    { day: '2026-03-04', g: 'week', key: '2026-03-02' }, // Wednesday → Monday
    { day: '2026-03-02', g: 'week', key: '2026-03-02' },
    { day: '2026-03-01', g: 'week', key: '2026-02-23' }, // Sunday → the Monday before
    { day: '2026-01-01', g: 'week', key: '2025-12-29' }, // across a year end
    { day: '2026-03-31', g: 'month', key: '2026-03' },
  ] as const;
  for (const row of table) test(`${row.day} by ${row.g}`, () => assert.equal(bucketKeyOf(parseDay(row.day)!, row.g), row.key));
});

describe('bucketsOf and bucketCount', () => {
  const table = [
    { from: '2026-03-01', to: '2026-03-31', g: 'day', count: 31 },
    { from: '2026-03-02', to: '2026-03-08', g: 'week', count: 1 },
    { from: '2026-03-02', to: '2026-03-09', g: 'week', count: 2 },
    { from: '2026-03-01', to: '2026-03-09', g: 'week', count: 3 },
    { from: '2026-01-31', to: '2026-03-01', g: 'month', count: 3 },
    { from: '2025-12-15', to: '2026-01-15', g: 'month', count: 2 },
  ] as const;
  for (const row of table) {
    test(`${row.from}..${row.to} by ${row.g}: ${row.count}`, () => {
      const buckets = bucketsOf(parseDay(row.from)!, parseDay(row.to)!, row.g, NY);
      assert.equal(buckets.length, row.count);
      assert.equal(bucketCount(parseDay(row.from)!, parseDay(row.to)!, row.g), row.count);
      for (let i = 1; i < buckets.length; i++) assert.equal(buckets[i]!.start.getTime(), buckets[i - 1]!.end.getTime(), 'contiguous');
    });
  }
  test('weeks are clipped to the period and the DST week is 167 hours', () => {
    const b = bucketsOf(parseDay('2026-03-04')!, parseDay('2026-03-15')!, 'week', NY);
    assert.deepEqual(b.map((x) => x.key), ['2026-03-02', '2026-03-09']);
    assert.equal(b[0]!.start.toISOString(), '2026-03-04T05:00:00.000Z');
    assert.equal((b[0]!.end.getTime() - b[0]!.start.getTime()) / 3_600_000, 5 * 24 - 1);
  });
});

describe('resolvePeriod', () => {
  const now = new Date('2026-03-10T03:30:00Z'); // 23:30 on March 9 in New York
  const opts = { now, timeZone: NY, maxBuckets: 400 };
  const table = [
    { range: { preset: '7d' }, from: '2026-03-03', to: '2026-03-09' },
    { range: { preset: '30d' }, from: '2026-02-08', to: '2026-03-09' },
    { range: { preset: 'mtd' }, from: '2026-03-01', to: '2026-03-09' },
    { range: { preset: 'last-month' }, from: '2026-02-01', to: '2026-02-28' },
    { range: { preset: 'ytd' }, from: '2026-01-01', to: '2026-03-09' },
    { range: { preset: '12m' }, from: '2025-04-01', to: '2026-03-09' },
    { range: { preset: 'custom', from: '2026-01-31', to: '2026-02-01' }, from: '2026-01-31', to: '2026-02-01' },
  ] as const;
  for (const row of table) {
    test(`${JSON.stringify(row.range)} is ${row.from}..${row.to} (today is the zone's, not UTC's)`, () => {
      const r = resolvePeriod(row.range, 'day', opts);
      assert.ok(r.ok);
      const d = describePeriod(r.period);
      assert.equal(d.fromDay, row.from);
      assert.equal(d.toDay, row.to);
      assert.equal(d.buckets[0], row.from);
    });
  }
  const refusals = [
    { range: { preset: 'custom', from: '2026-02-30', to: '2026-03-01' }, g: 'day', reason: 'bad-date' },
    { range: { preset: 'custom', from: '2026-03-02', to: '2026-03-01' }, g: 'day', reason: 'from-after-to' },
    { range: { preset: 'custom', from: '2020-01-01', to: '2026-03-01' }, g: 'day', reason: 'too-many-buckets' },
  ] as const;
  for (const row of refusals) {
    test(`refused: ${row.reason}`, () => {
      const r = resolvePeriod(row.range, row.g, opts);
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.reason, row.reason);
    });
  }
  test('an unknown zone is refused by name', () => {
    const r = resolvePeriod({ preset: '7d' }, 'day', { ...opts, timeZone: 'Mars/Olympus' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, /Mars\/Olympus/);
  });
  test('the previous period has the same number of days and ends where this one starts', () => {
    const r = resolvePeriod({ preset: 'custom', from: '2026-03-01', to: '2026-03-31' }, 'week', opts);
    assert.ok(r.ok);
    const p = previousPeriod(r.period);
    assert.deepEqual([p.fromDay, p.toDay], [parseDay('2026-01-29'), parseDay('2026-02-28')]);
    assert.equal(p.to.getTime(), r.period.from.getTime());
  });
});
