/**
 * What all learners' interactions say about courses: popularity, and item-to-item co-occurrence
 * ("learners who took X also took Y").
 */
import { decay, type EngineConfig } from './config';
import { learnerSignals, type InteractionEvent } from './signals';

/** Neighbours of one course by co-occurrence: course indexes and similarities, best first. */
export interface Neighbours {
  idx: Int32Array;
  sim: Float32Array;
}

export interface Stats {
  /** Raw popularity per course index: the sum over learners of their (decayed) strongest interaction. */
  popularity: Float64Array;
  /** log(1 + popularity) / log(1 + max popularity): in [0, 1]. */
  popularityScore: Float64Array;
  neighbours: Array<Neighbours | undefined>;
  /** Learners counted. */
  learners: number;
}

/** Course indexes fit below this (2²⁴): packed with a similarity into one sort key. */
const INDEX_SPACE = 2 ** 24;


/**
 * Popularity and co-occurrence over every learner's interactions, for the courses in `index`
 * (others are ignored). Co-occurrence similarity is the cosine of the two courses' learner sets,
 * |X∩Y| / √(|X|·|Y|), so that a blockbuster is not everyone's neighbour; each course keeps its
 * `neighbours` best.
 */
export function computeStats(
  index: ReadonlyMap<string, number>,
  learners: Iterable<readonly InteractionEvent[]>,
  now: number,
  config: Pick<EngineConfig, 'interactionWeights' | 'popularityHalfLifeDays' | 'cooccurrence'>,
): Stats {
  let n = 0;
  for (const i of index.values()) if (i + 1 > n) n = i + 1;
  const popularity = new Float64Array(n);
  const takers = new Float64Array(n);
  // Pair codes x·n + y (x < y), one per learner and pair, counted by sorting: at catalogue scale
  // this is several times faster than a Map of counters, and makes far less garbage.
  let codes = new Float64Array(1 << 16);
  let codeCount = 0;
  // Undecayed: the strength of a learner's tie to a course decides whether they "took" it.
  const strengthConfig = { interactionWeights: config.interactionWeights, profileHalfLifeDays: null };
  let count = 0;
  for (const events of learners) {
    if (events.length === 0) continue;
    count++;
    const signals = learnerSignals(events, now, strengthConfig);
    const lastAt = new Map<string, number>();
    for (const e of events) if ((lastAt.get(e.itemId) ?? -Infinity) < e.at) lastAt.set(e.itemId, e.at);
    const taken: Array<{ i: number; at: number }> = [];
    for (const [itemId, strength] of signals.weights) {
      const i = index.get(itemId);
      if (i === undefined) continue;
      const at = lastAt.get(itemId) ?? now;
      popularity[i] = (popularity[i] as number) + strength * decay(now - at, config.popularityHalfLifeDays);
      if (strength >= config.cooccurrence.minWeight) taken.push({ i, at });
    }
    if (taken.length === 0) continue;
    taken.sort((a, b) => b.at - a.at);
    const m = Math.min(taken.length, config.cooccurrence.maxItemsPerUser);
    for (let a = 0; a < m; a++) takers[taken[a]!.i] = (takers[taken[a]!.i] as number) + 1;
    const needed = codeCount + (m * (m - 1)) / 2;
    if (needed > codes.length) {
      const grown = new Float64Array(Math.max(needed, codes.length * 2));
      grown.set(codes.subarray(0, codeCount));
      codes = grown;
    }
    for (let a = 0; a < m; a++) {
      const x = taken[a]!.i;
      for (let b = a + 1; b < m; b++) {
        const y = taken[b]!.i;
        codes[codeCount++] = x < y ? x * n + y : y * n + x;
      }
    }
  }

  // Run-length count of the sorted codes → unique pairs; then neighbours in compressed rows.
  const sorted = codes.subarray(0, codeCount).sort();
  const pairX = new Int32Array(codeCount);
  const pairY = new Int32Array(codeCount);
  const pairSim = new Float64Array(codeCount);
  let pairCount = 0;
  const degree = new Int32Array(n);
  for (let k = 0; k < sorted.length; ) {
    const code = sorted[k] as number;
    let c = 0;
    while (k < sorted.length && sorted[k] === code) {
      c++;
      k++;
    }
    // A pair too few learners share is not shown: "learners who took X also took this" must not
    // describe one person's purchases (and a single co-occurrence is noise anyway).
    if (c < config.cooccurrence.minSupport) continue;
    const x = Math.floor(code / n);
    const y = code - x * n;
    pairX[pairCount] = x;
    pairY[pairCount] = y;
    pairSim[pairCount++] = c / Math.sqrt((takers[x] as number) * (takers[y] as number));
    degree[x]++;
    degree[y]++;
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = (start[i] as number) + (degree[i] as number);
  const fill = start.slice(0, n);
  const nbIdx = new Int32Array(start[n] as number);
  const nbSim = new Float64Array(nbIdx.length);
  for (let p = 0; p < pairCount; p++) {
    const x = pairX[p] as number;
    const y = pairY[p] as number;
    const sim = pairSim[p] as number;
    nbIdx[fill[x] as number] = y;
    nbSim[(fill[x] as number)++] = sim;
    nbIdx[fill[y] as number] = x;
    nbSim[(fill[y] as number)++] = sim;
  }
  // Each course's neighbours, best first: sort keys (1 − sim) quantised to 2⁻²⁶, then the
  // neighbour's index, packed in one double so that the native typed-array sort does the work.
  const SCALE = 2 ** 26;
  const keys = new Float64Array(nbIdx.length);
  for (let k = 0; k < nbIdx.length; k++) keys[k] = Math.round((1 - (nbSim[k] as number)) * SCALE) * INDEX_SPACE + (nbIdx[k] as number);
  const simOf = new Float64Array(n);
  const neighbours = new Array<Neighbours | undefined>(n).fill(undefined);
  for (let i = 0; i < n; i++) {
    const from = start[i] as number;
    const to = start[i + 1] as number;
    if (to === from) continue;
    const row = keys.subarray(from, to).sort();
    const kept = Math.min(row.length, config.cooccurrence.neighbours);
    for (let k = from; k < to; k++) simOf[nbIdx[k] as number] = nbSim[k] as number;
    const idx = new Int32Array(kept);
    const sim = new Float32Array(kept);
    for (let k = 0; k < kept; k++) {
      const j = (row[k] as number) % INDEX_SPACE;
      idx[k] = j;
      sim[k] = simOf[j] as number;
    }
    neighbours[i] = { idx, sim };
  }

  let max = 0;
  for (const p of popularity) if (p > max) max = p;
  const popularityScore = new Float64Array(n);
  if (max > 0) for (let i = 0; i < n; i++) popularityScore[i] = Math.log1p(popularity[i] as number) / Math.log1p(max);
  return { popularity, popularityScore, neighbours, learners: count };
}

/** Stats for a catalogue nobody has interacted with yet. */
export function emptyStats(size: number): Stats {
  return {
    popularity: new Float64Array(size),
    popularityScore: new Float64Array(size),
    neighbours: new Array<Neighbours | undefined>(size).fill(undefined),
    learners: 0,
  };
}

