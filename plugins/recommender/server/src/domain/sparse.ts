/** Sparse vectors over a vocabulary of term ids: ids ascending, values as doubles. */
export interface SparseVector {
  idx: Int32Array;
  val: Float64Array;
}

export const EMPTY_VECTOR: SparseVector = { idx: new Int32Array(0), val: new Float64Array(0) };

/** A sparse vector from (term id → weight) pairs; zero weights are dropped, ids sorted. */
export function fromEntries(entries: Iterable<[number, number]>): SparseVector {
  const pairs = [...entries].filter(([, v]) => v !== 0 && Number.isFinite(v)).sort((a, b) => a[0] - b[0]);
  const idx = new Int32Array(pairs.length);
  const val = new Float64Array(pairs.length);
  pairs.forEach(([i, v], k) => {
    idx[k] = i;
    val[k] = v;
  });
  return { idx, val };
}

/** Euclidean length. */
export function norm(v: SparseVector): number {
  let s = 0;
  for (let k = 0; k < v.val.length; k++) s += (v.val[k] as number) ** 2;
  return Math.sqrt(s);
}

/** The vector scaled to length 1 (the zero vector stays zero). */
export function l2Normalise(v: SparseVector): SparseVector {
  const n = norm(v);
  if (n === 0) return v;
  const val = new Float64Array(v.val.length);
  for (let k = 0; k < val.length; k++) val[k] = (v.val[k] as number) / n;
  return { idx: v.idx, val };
}

/** Dot product by a merge of the two sorted id lists. */
export function dot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.idx.length && j < b.idx.length) {
    const ai = a.idx[i] as number;
    const bj = b.idx[j] as number;
    if (ai === bj) {
      s += (a.val[i] as number) * (b.val[j] as number);
      i++;
      j++;
    } else if (ai < bj) i++;
    else j++;
  }
  return s;
}

/** Cosine similarity; 0 when either vector is zero. */
export function cosine(a: SparseVector, b: SparseVector): number {
  const na = norm(a);
  const nb = norm(b);
  if (na === 0 || nb === 0) return 0;
  return dot(a, b) / (na * nb);
}

/**
 * A dense accumulator over the vocabulary, reused between requests: adding a few item vectors
 * touches only their ids, and `reset` zeroes only what was touched, so a profile costs its size
 * and not the vocabulary's.
 */
export class DenseAccumulator {
  values: Float64Array;
  private touched: number[] = [];

  constructor(size: number) {
    this.values = new Float64Array(Math.max(size, 16));
  }

  /** values += scale · v */
  add(v: SparseVector, scale: number): void {
    if (v.idx.length && (v.idx[v.idx.length - 1] as number) >= this.values.length) {
      const grown = new Float64Array(Math.max((v.idx[v.idx.length - 1] as number) + 1, this.values.length * 2));
      grown.set(this.values);
      this.values = grown;
    }
    for (let k = 0; k < v.idx.length; k++) {
      const i = v.idx[k] as number;
      if (this.values[i] === 0) this.touched.push(i);
      this.values[i] = (this.values[i] as number) + scale * (v.val[k] as number);
    }
  }

  /** Dot product of the accumulator with a sparse vector. */
  dot(v: SparseVector): number {
    let s = 0;
    const values = this.values;
    for (let k = 0; k < v.idx.length; k++) {
      const i = v.idx[k] as number;
      if (i < values.length) s += (values[i] as number) * (v.val[k] as number);
    }
    return s;
  }

  /** Euclidean length of the accumulated vector. */
  norm(): number {
    let s = 0;
    for (const i of this.touched) s += (this.values[i] as number) ** 2;
    return Math.sqrt(s);
  }

  /** Ids with a non-zero value since the last reset (unordered). */
  nonZeroIds(): readonly number[] {
    return this.touched;
  }

  /** The accumulated vector as a sparse vector (ids ascending). */
  toSparse(): SparseVector {
    return fromEntries(this.touched.map((i) => [i, this.values[i] as number] as [number, number]));
  }

  /** Zeroes what was touched since the last reset. */
  reset(): void {
    for (const i of this.touched) this.values[i] = 0;
    this.touched = [];
  }
}
