import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from './random';
import { defaultSegmentCount, diversify, fitSegments, nearestSegment, Projection } from './segments';
import { fromEntries } from './sparse';

/** Points around `centres`, with seeded noise. */
function blobs(centres: number[][], perCentre: number, seed: number): number[][] {
  const rand = mulberry32(seed);
  return centres.flatMap((c) => Array.from({ length: perCentre }, () => c.map((x) => x + (rand() - 0.5) * 0.2)));
}

describe('k-means segments', () => {
  const points = blobs(
    [
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
      [1, 1, 1],
    ],
    60,
    3,
  );
  const options = { k: 4, seed: 42, sampleSize: 1000, maxIterations: 100 };

  it('the same seed gives the same centroids and assignments', () => {
    const a = fitSegments(points, options);
    const b = fitSegments(points, options);
    assert.deepEqual(a.centroids, b.centroids);
    assert.deepEqual(
      points.map((p) => nearestSegment(a, p)),
      points.map((p) => nearestSegment(b, p)),
    );
  });

  it('finds the planted blobs: each blob in one segment, four segments used', () => {
    const model = fitSegments(points, options);
    const labels = points.map((p) => nearestSegment(model, p));
    for (let blob = 0; blob < 4; blob++) {
      const own = new Set(labels.slice(blob * 60, blob * 60 + 60));
      assert.equal(own.size, 1, `blob ${blob} split over ${[...own]}`);
    }
    assert.equal(new Set(labels).size, 4);
  });

  it('fits on a seeded sample and is still deterministic', () => {
    const sampled = { ...options, sampleSize: 40 };
    assert.deepEqual(fitSegments(points, sampled).centroids, fitSegments(points, sampled).centroids);
  });

  it('k is capped by the number of points; k = 1 is the mean', () => {
    assert.equal(fitSegments(points.slice(0, 3), options).k, 3);
    const one = fitSegments([[0, 2], [2, 0]], { ...options, k: 1 });
    assert.deepEqual(one.centroids, [[1, 1]]);
    assert.equal(fitSegments([], options).k, 0);
  });
});

describe('defaultSegmentCount: √(n/2) between 2 and 24', () => {
  const cases: Array<[number, number]> = [
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 2],
    [50, 5],
    [200, 10],
    [10_000, 24],
  ];
  for (const [n, k] of cases) it(`${n} courses → ${k}`, () => assert.equal(defaultSegmentCount(n), k));
});

describe('Projection', () => {
  const terms = ['t:python', 'w:data', 'c:web', 'w:learn'];
  it('is a function of the term text and seed, not of term ids', () => {
    const a = new Projection(16, 1, (id) => terms[id] as string);
    const reversed = [...terms].reverse();
    const b = new Projection(16, 1, (id) => reversed[id] as string);
    // the same terms under different ids
    assert.deepEqual(a.project(fromEntries([[0, 1], [1, 2]])), b.project(fromEntries([[3, 1], [2, 2]])));
  });
  it('returns unit vectors (and zeros for the zero vector)', () => {
    const p = new Projection(16, 1, (id) => terms[id] as string).project(fromEntries([[0, 1], [2, 1]]));
    assert.ok(Math.abs(Math.sqrt(p.reduce((s, x) => s + x * x, 0)) - 1) < 1e-9);
    assert.deepEqual(new Projection(4, 1, () => 'x').project(fromEntries([])), [0, 0, 0, 0]);
  });
});

describe('diversify', () => {
  // ranked items by index, with their segments
  const segments = [0, 0, 0, 1, 1, 2];
  const ranked = segments.map((_, i) => i);
  const cases: Array<[string, number, number, number[]]> = [
    ['share ½ of 4: two per segment', 4, 0.5, [0, 1, 3, 4]],
    ['share ¼ of 4: one per segment, then the best skipped fill in rank order', 4, 0.25, [0, 1, 3, 5]],
    ['share 1: the ranking as is', 4, 1, [0, 1, 2, 3]],
  ];
  for (const [name, limit, share, expected] of cases) {
    it(name, () => assert.deepEqual(diversify(ranked, (i) => segments[i] as number, limit, share), expected));
  }
  it('a one-segment catalogue still fills the list', () => {
    assert.deepEqual(diversify([0, 1, 2], () => 0, 3, 0.2), [0, 1, 2]);
  });
});
