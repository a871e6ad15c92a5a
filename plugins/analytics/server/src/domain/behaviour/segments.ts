/**
 * Learner segments: k-means (ml-kmeans, k-means++ with a fixed seed) over the behaviour features,
 * each column log-scaled (`log1p`; every feature is ≥ 0 and counts are skewed) then standardised,
 * so that no feature weighs by its unit. Each segment is named by the features that set it apart:
 * the largest |centroid| in standard deviations ("high completion, few interactions").
 */
// Types only: the package has no `main`; the runtime require below goes through its `exports`.
import type { kmeans as KMeansFn } from 'ml-kmeans/lib/kmeans';
import { segmentPhrase } from './explain';
import type { AnyFeatureName } from './features';

let kmeansImpl: typeof KMeansFn | undefined;
/** ml-kmeans 7 is ESM only; Node 20.20 require()s it. Loaded on first use. */
function loadKMeans(): typeof KMeansFn {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  kmeansImpl ??= (require('ml-kmeans') as { kmeans: typeof KMeansFn }).kmeans;
  return kmeansImpl;
}

export interface Scaler {
  means: number[];
  stds: number[];
}

const squash = (x: number) => Math.log1p(Math.max(0, x));

/** Means and deviations of the log-scaled columns (a constant column: deviation 1). */
export function fitScaler(rows: readonly ArrayLike<number>[], d: number): Scaler {
  const n = rows.length || 1;
  const means = new Array<number>(d).fill(0);
  const stds = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) means[j]! += squash(r[j] as number) / n;
  for (const r of rows) for (let j = 0; j < d; j++) stds[j]! += (squash(r[j] as number) - (means[j] as number)) ** 2 / n;
  for (let j = 0; j < d; j++) stds[j] = Math.sqrt(stds[j] as number) || 1;
  return { means, stds };
}

export function scaleRow(s: Scaler, row: ArrayLike<number>): number[] {
  return s.means.map((m, j) => (squash(row[j] as number) - m) / (s.stds[j] as number));
}

export interface DefiningFeature {
  feature: AnyFeatureName;
  /** the centroid in standard deviations of the scaled column */
  z: number;
  direction: 'high' | 'low';
  /** the segment's mean of the raw feature */
  mean: number;
}

export interface Segment {
  id: number;
  name: string;
  size: number;
  share: number;
  defining: DefiningFeature[];
  /** mean of each raw feature in the segment, in `names` order */
  means: number[];
}

export interface Segmentation {
  names: readonly AnyFeatureName[];
  scaler: Scaler;
  /** in scaled space */
  centroids: number[][];
  segments: Segment[];
  /** the segment of each input row */
  assignment: Int32Array;
}

export interface SegmentOptions {
  k?: number;
  seed?: number;
  /** k-means runs on a sample of at most this many rows; every row is then assigned to its nearest centroid */
  maxRows?: number;
  /** defining features per segment */
  top?: number;
}

function nearest(centroids: readonly number[][], x: readonly number[]): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < centroids.length; c++) {
    const cen = centroids[c] as number[];
    let d = 0;
    for (let j = 0; j < x.length; j++) d += ((x[j] as number) - (cen[j] as number)) ** 2;
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** The name of a segment from its defining features ("high completion, low interactions"). */
export function segmentName(defining: readonly DefiningFeature[]): string {
  if (defining.length === 0) return 'typical learners';
  return defining.map((f) => segmentPhrase(f.feature, f.direction)).join(', ');
}

/** Learners in k segments, largest first, each named by the `top` features furthest from the mean (|z| ≥ 0.25). */
export function segmentLearners(rows: readonly ArrayLike<number>[], names: readonly AnyFeatureName[], options: SegmentOptions = {}): Segmentation {
  const { k = 4, seed = 42, maxRows = 20_000, top = 2 } = options;
  const d = names.length;
  const scaler = fitScaler(rows, d);
  const scaled = rows.map((r) => scaleRow(scaler, r));
  const kk = Math.max(1, Math.min(k, scaled.length));
  if (scaled.length === 0) return { names, scaler, centroids: [], segments: [], assignment: new Int32Array(0) };
  const step = Math.max(1, Math.ceil(scaled.length / maxRows));
  const sample = scaled.filter((_, i) => i % step === 0);
  const result = loadKMeans()(sample, Math.min(kk, sample.length), { initialization: 'kmeans++', seed, maxIterations: 100 });
  const raw = result.centroids;
  const assignment = Int32Array.from(scaled, (x) => nearest(raw, x));
  // Centroids from the full assignment; segments ordered by size (ids follow that order).
  const sums = raw.map(() => ({ n: 0, scaled: new Array<number>(d).fill(0), raw: new Array<number>(d).fill(0) }));
  for (let i = 0; i < scaled.length; i++) {
    const s = sums[assignment[i] as number]!;
    s.n++;
    for (let j = 0; j < d; j++) {
      s.scaled[j]! += (scaled[i] as number[])[j] as number;
      s.raw[j]! += (rows[i] as ArrayLike<number>)[j] as number;
    }
  }
  const order = sums.map((s, c) => ({ s, c })).filter((x) => x.s.n > 0).sort((a, b) => b.s.n - a.s.n || a.c - b.c);
  const remap = new Int32Array(raw.length).fill(-1);
  order.forEach((x, i) => (remap[x.c] = i));
  for (let i = 0; i < assignment.length; i++) assignment[i] = remap[assignment[i] as number] as number;
  const centroids = order.map(({ s }) => s.scaled.map((v) => v / s.n));
  const segments = order.map(({ s }, id) => {
    const centroid = centroids[id] as number[];
    const means = s.raw.map((v) => Math.round((v / s.n) * 100) / 100);
    const defining = names
      .map((feature, j) => ({ feature, z: Math.round((centroid[j] as number) * 100) / 100, direction: (centroid[j] as number) >= 0 ? ('high' as const) : ('low' as const), mean: means[j] as number }))
      .filter((f) => Math.abs(f.z) >= 0.25)
      .sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || (a.feature < b.feature ? -1 : 1))
      .slice(0, top);
    return { id, name: segmentName(defining), size: s.n, share: Math.round((s.n / scaled.length) * 10_000) / 10_000, defining, means };
  });
  return { names, scaler, centroids, segments, assignment };
}

/** The segment of a new row (nearest centroid), or -1 without segments. */
export function assignSegment(seg: Pick<Segmentation, 'scaler' | 'centroids'>, row: ArrayLike<number>): number {
  if (seg.centroids.length === 0) return -1;
  return nearest(seg.centroids, scaleRow(seg.scaler, row));
}
