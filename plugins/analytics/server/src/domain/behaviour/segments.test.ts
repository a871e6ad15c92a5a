import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assignSegment, fitScaler, scaleRow, segmentLearners, segmentName } from './segments';
import { mulberry32 as random } from '@kp/platform';
import type { AnyFeatureName } from './features';

const NAMES: AnyFeatureName[] = ['recencyDays', 'frequency', 'completionRatio'];

/** Three planted groups: lapsed (long inactive, few interactions), engaged (recent, many), finishers (high completion). */
function planted(seed: number) {
  const rnd = random(seed);
  const rows: number[][] = [];
  const truth: string[] = [];
  const jitter = (x: number, s: number) => Math.max(0, x + (rnd() - 0.5) * s);
  for (let i = 0; i < 300; i++) (rows.push([jitter(60, 10), jitter(2, 2), jitter(0.05, 0.05)]), truth.push('lapsed'));
  for (let i = 0; i < 200; i++) (rows.push([jitter(1, 1), jitter(80, 20), jitter(0.3, 0.1)]), truth.push('engaged'));
  for (let i = 0; i < 100; i++) (rows.push([jitter(10, 4), jitter(15, 6), jitter(0.95, 0.05)]), truth.push('finishers'));
  return { rows, truth };
}

describe('segmentLearners', () => {
  const { rows, truth } = planted(7);
  const seg = segmentLearners(rows, NAMES, { k: 3 });

  test('recovers the planted groups, largest first', () => {
    assert.deepEqual(seg.segments.map((s) => s.size), [300, 200, 100]);
    for (let i = 0; i < rows.length; i++) {
      const want = { lapsed: 0, engaged: 1, finishers: 2 }[truth[i] as 'lapsed'];
      assert.equal(seg.assignment[i], want, `row ${i}`);
    }
    assert.equal(seg.segments.reduce((a, s) => a + s.share, 0).toFixed(2), '1.00');
  });
  const table: Array<[number, RegExp]> = [
    [0, /high days since last activity|low interactions/],
    [1, /high interactions|low days since last activity/],
    [2, /high completion/],
  ];
  for (const [id, name] of table) test(`segment ${id} is named by what sets it apart: ${name}`, () => assert.match(seg.segments[id]!.name, name));
  test('each segment lists at most two defining features with their raw means', () => {
    for (const s of seg.segments) {
      assert.ok(s.defining.length >= 1 && s.defining.length <= 2);
      for (const f of s.defining) assert.equal(f.mean, s.means[NAMES.indexOf(f.feature)]);
    }
    assert.ok(seg.segments[2]!.means[2]! > 0.9);
  });
  test('same data, same seed: same segments', () => assert.deepEqual(segmentLearners(rows, NAMES, { k: 3 }).segments, seg.segments));
  test('a new row goes to the nearest segment', () => {
    assert.equal(assignSegment(seg, [70, 1, 0]), 0);
    assert.equal(assignSegment(seg, [0, 100, 0.3]), 1);
  });
  test('fewer rows than k, and no rows', () => {
    assert.equal(segmentLearners([[1, 2, 0.5]], NAMES, { k: 4 }).segments.length, 1);
    assert.deepEqual(segmentLearners([], NAMES).segments, []);
    assert.equal(assignSegment(segmentLearners([], NAMES), [1, 1, 1]), -1);
  });
});

describe('scaling and names', () => {
  test('log-scaled then standardised; a constant column has deviation 1', () => {
    const s = fitScaler([[0, 5], [Math.E - 1, 5]], 2);
    assert.deepEqual(s.means.map((m) => Math.round(m * 100) / 100), [0.5, Math.round(Math.log1p(5) * 100) / 100]);
    assert.equal(s.stds[1], 1);
    assert.deepEqual(scaleRow(s, [0, 5]).map((x) => Math.round(x * 100) / 100), [-1, 0]);
  });
  const names: Array<[Parameters<typeof segmentName>[0], string]> = [
    [[], 'typical learners'],
    [[{ feature: 'completionRatio', z: 1.2, direction: 'high', mean: 0.9 }, { feature: 'frequency', z: -0.8, direction: 'low', mean: 2 }], 'high completion, low interactions'],
    [[{ feature: 'subscriptionActive', z: 1.5, direction: 'high', mean: 0.8 }, { feature: 'viewEvents', z: 0.9, direction: 'high', mean: 30 }], 'mostly subscription active, high views'],
    [[{ feature: 'subscriptionCanceled', z: 1.1, direction: 'high', mean: 0.6 }, { feature: 'spendUsd', z: -0.7, direction: 'low', mean: 0 }], 'mostly subscription ended, low spend (USD)'],
    [[{ feature: 'localeZhHans', z: -0.4, direction: 'low', mean: 0.1 }], 'mostly prefers English or no language set'],
  ];
  for (const [d, want] of names) test(want, () => assert.equal(segmentName(d), want));
});
