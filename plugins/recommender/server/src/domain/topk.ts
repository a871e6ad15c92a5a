/** Top-k selection with a bounded min-heap: O(n log k) instead of sorting every candidate. */
export interface Ranked {
  index: number;
  score: number;
}

/**
 * The k best (highest score) entries, best first. Ties are broken by the lower index so that a
 * ranking is reproducible.
 */
export function topK(scores: ArrayLike<number>, k: number, accept: (index: number) => boolean = () => true): Ranked[] {
  if (k <= 0) return [];
  const heapIdx: number[] = [];
  const heapScore: number[] = [];
  // "a is worse than b": lower score, or the same score and a higher index.
  const worse = (sa: number, ia: number, sb: number, ib: number) => sa < sb || (sa === sb && ia > ib);
  const swap = (a: number, b: number) => {
    const ti = heapIdx[a] as number;
    heapIdx[a] = heapIdx[b] as number;
    heapIdx[b] = ti;
    const ts = heapScore[a] as number;
    heapScore[a] = heapScore[b] as number;
    heapScore[b] = ts;
  };
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heapIdx.length && worse(heapScore[l] as number, heapIdx[l] as number, heapScore[m] as number, heapIdx[m] as number)) m = l;
      if (r < heapIdx.length && worse(heapScore[r] as number, heapIdx[r] as number, heapScore[m] as number, heapIdx[m] as number)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number;
    if (Number.isNaN(s) || !accept(i)) continue;
    if (heapIdx.length < k) {
      heapIdx.push(i);
      heapScore.push(s);
      let c = heapIdx.length - 1;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!worse(heapScore[c] as number, heapIdx[c] as number, heapScore[p] as number, heapIdx[p] as number)) break;
        swap(c, p);
        c = p;
      }
    } else if (worse(heapScore[0] as number, heapIdx[0] as number, s, i)) {
      heapIdx[0] = i;
      heapScore[0] = s;
      siftDown(0);
    }
  }
  const out = heapIdx.map((index, n) => ({ index, score: heapScore[n] as number }));
  out.sort((a, b) => b.score - a.score || a.index - b.index);
  return out;
}
