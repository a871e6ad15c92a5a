/**
 * Segments of the catalogue: k-means (ml-kmeans) over the courses' TF-IDF vectors. The vectors
 * live in a space of tens of thousands of terms and ml-kmeans works on dense arrays, so they are
 * first sketched into a few dozen dimensions by a sparse random projection (which keeps cosines
 * approximately, Johnson–Lindenstrauss), seeded by each term's text so that the same catalogue
 * always lands in the same place.
 */
// Types only: the package has no `main`, which TypeScript's "Node" resolution needs; the runtime
// require below goes through its `exports`.
import type { kmeans as KMeansFn } from 'ml-kmeans/lib/kmeans';
import { fnv1a, mulberry32, shuffled } from './random';
import type { SparseVector } from './sparse';

let kmeansImpl: typeof KMeansFn | undefined;
/**
 * ml-kmeans 7 is an ES module only. Node 20.20 `require()`s it from the compiled CommonJS build
 * and tsx does the same for the scripts and tests; loading it lazily keeps its ~0.5 s import
 * (ml-matrix) out of boots that never build segments.
 */
function loadKMeans(): typeof KMeansFn {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  kmeansImpl ??= (require('ml-kmeans') as { kmeans: typeof KMeansFn }).kmeans;
  return kmeansImpl;
}

/** Non-zeros per term in the projection (Achlioptas-style sparse ±1). */
const NONZEROS_PER_TERM = 3;

/** Projects term-id vectors into `dims` dimensions; term directions are derived from term text. */
export class Projection {
  private readonly cache: Array<Int32Array | undefined> = [];

  constructor(
    readonly dims: number,
    private readonly seed: number,
    private readonly termText: (id: number) => string,
  ) {}

  /** Signed dimension codes of a term: (dim + 1) × sign. */
  private codes(termId: number): Int32Array {
    let c = this.cache[termId];
    if (!c) {
      const rand = mulberry32(fnv1a(this.termText(termId)) ^ this.seed);
      const picked = new Set<number>();
      const nz = Math.min(NONZEROS_PER_TERM, this.dims);
      while (picked.size < nz) picked.add(Math.floor(rand() * this.dims));
      c = Int32Array.from([...picked], (d) => (d + 1) * (rand() < 0.5 ? -1 : 1));
      this.cache[termId] = c;
    }
    return c;
  }

  /** The unit-length projection of a vector (all zeros for the zero vector). */
  project(v: SparseVector): number[] {
    const out = new Array<number>(this.dims).fill(0);
    for (let k = 0; k < v.idx.length; k++) {
      const w = v.val[k] as number;
      for (const code of this.codes(v.idx[k] as number)) {
        const d = Math.abs(code) - 1;
        out[d] = (out[d] as number) + (code > 0 ? w : -w);
      }
    }
    let s = 0;
    for (const x of out) s += x * x;
    const norm = Math.sqrt(s);
    return norm > 0 ? out.map((x) => x / norm) : out;
  }
}

/** √(n / 2), the usual rule of thumb, kept between 2 and 24 (and never above n). */
export function defaultSegmentCount(n: number): number {
  if (n <= 1) return n;
  return Math.min(n, Math.max(2, Math.min(24, Math.round(Math.sqrt(n / 2)))));
}

export interface SegmentModel {
  k: number;
  centroids: number[][];
}

export interface FitOptions {
  k: number;
  seed: number;
  sampleSize: number;
  maxIterations: number;
}

/**
 * k-means on at most `sampleSize` points (a seeded sample), k-means++ seeded: the same points and
 * seed give the same centroids.
 */
export function fitSegments(points: readonly number[][], options: FitOptions): SegmentModel {
  const k = Math.min(options.k, points.length);
  if (k <= 0) return { k: 0, centroids: [] };
  const dims = points[0]?.length ?? 0;
  if (k === 1) {
    const c = new Array<number>(dims).fill(0);
    for (const p of points) for (let d = 0; d < dims; d++) c[d] = (c[d] as number) + (p[d] as number) / points.length;
    return { k: 1, centroids: [c] };
  }
  const sample =
    points.length > options.sampleSize ? shuffled(points, mulberry32(options.seed)).slice(0, options.sampleSize) : points.slice();
  const result = loadKMeans()(sample as number[][], k, {
    initialization: 'kmeans++',
    seed: options.seed,
    maxIterations: options.maxIterations,
  });
  return { k, centroids: result.centroids };
}

/** The index of the nearest centroid (squared Euclidean); 0 when there is none. */
export function nearestSegment(model: SegmentModel, point: readonly number[]): number {
  let best = 0;
  let bestDistance = Infinity;
  model.centroids.forEach((c, s) => {
    let dist = 0;
    for (let d = 0; d < c.length; d++) dist += ((c[d] as number) - (point[d] as number)) ** 2;
    if (dist < bestDistance) {
      bestDistance = dist;
      best = s;
    }
  });
  return best;
}

/**
 * Re-ranks a list, best first, so that no segment holds more than `maxShare` of `limit` places
 * (at least one). When the catalogue is too narrow to fill the list that way, the best of the
 * skipped items fill what is left, in their order.
 */
export function diversify<T>(ranked: readonly T[], segmentOf: (item: T) => number, limit: number, maxShare: number): T[] {
  const cap = Math.max(1, Math.ceil(maxShare * limit));
  const perSegment = new Map<number, number>();
  const out: T[] = [];
  const skipped: T[] = [];
  for (const item of ranked) {
    if (out.length >= limit) break;
    const s = segmentOf(item);
    const used = perSegment.get(s) ?? 0;
    if (used >= cap) {
      skipped.push(item);
      continue;
    }
    perSegment.set(s, used + 1);
    out.push(item);
  }
  if (out.length < limit) {
    // Keep the fill in rank order among the chosen ones.
    const chosen = new Set<T>(out);
    const fill = skipped.slice(0, limit - out.length);
    for (const f of fill) chosen.add(f);
    return ranked.filter((item) => chosen.has(item));
  }
  return out;
}
