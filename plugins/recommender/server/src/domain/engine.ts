/**
 * The recommender: learner profiles, co-occurrence and popularity blended into one score over the
 * catalogue's vectors (`catalogue-builder.ts`), k-means segments for cold start and diversity, and
 * a reason for every result (`reasons.ts`). Pure and synchronous: the plugin's index service and
 * the offline evaluation run this same code.
 */
import { buildCatalogue, buildPostings, type Catalogue, type Postings } from './catalogue-builder';
import { type EngineConfig } from './config';
import { explain, segmentTerms, type ExplainContext, type Reason } from './reasons';
import { computeStats, emptyStats, type Stats } from './stats';
import { defaultSegmentCount, diversify, fitSegments, nearestSegment, Projection, type SegmentModel } from './segments';
import type { LearnerSignals, InteractionEvent } from './signals';
import { DenseAccumulator, type SparseVector } from './sparse';
import { countTerms, TERM_PREFIX, Vocabulary, weigh, type ItemDoc } from './tfidf';
import { topK } from './topk';

export interface Recommendation {
  itemId: string;
  /** The blended score in [0, 1]. */
  score: number;
  segment: number;
  reasons: Reason[];
}

export interface ListOptions {
  limit: number;
  /** Courses to leave out besides the learner's own (owned, refunded). */
  exclude?: Iterable<string>;
}

/** The three normalised signals of every course for one learner, and which courses may be shown. */
export interface Components {
  content: Float64Array;
  cooccurrence: Float64Array;
  popularity: Float64Array;
  candidate: Uint8Array;
  /** False when nothing in the learner's history is known: cold start applies. */
  personal: boolean;
}

export class RecommenderEngine {
  private readonly ids: string[];
  private readonly index = new Map<string, number>();
  private vectors: SparseVector[];
  private alive: Uint8Array;
  private segmentOf: Int32Array;
  private readonly vocab: Vocabulary;
  private stats: Stats;
  private readonly projection: Projection;
  private readonly segmentModel: SegmentModel;
  private segmentTerms: string[][] = [];
  private readonly profile: DenseAccumulator;
  private liveCount: number;
  /** Cold-start lists by limit, dropped whenever the index changes. */
  private readonly coldCache = new Map<number, Recommendation[]>();
  // Inverted index (term → courses) of the vectors as of the last full build: a profile is scored
  // through the postings of its own terms instead of a dot product with every course. Courses
  // upserted since are "dirty": skipped in the postings and scored directly.
  private postings: Postings;
  private dirty: Uint8Array;
  private readonly dirtyList: number[] = [];
  // Scratch buffers reused by every request: the engine serves one request at a time (Node).
  private scratch: { content: Float64Array; cooccurrence: Float64Array; candidate: Uint8Array; popularity: Float64Array; scores: Float64Array };

  constructor(
    readonly config: EngineConfig,
    catalogue: Catalogue,
    stats: Stats = emptyStats(catalogue.ids.length),
  ) {
    this.ids = catalogue.ids.slice();
    this.ids.forEach((id, i) => this.index.set(id, i));
    this.vectors = catalogue.vectors.slice();
    this.vocab = catalogue.vocab;
    this.stats = stats;
    const n = this.ids.length;
    this.alive = new Uint8Array(n).fill(1);
    this.dirty = new Uint8Array(n);
    this.liveCount = n;
    this.postings = buildPostings(this.vectors, this.vocab.size);
    this.profile = new DenseAccumulator(this.vocab.size);
    this.scratch = this.allocScratch(n);
    this.projection = new Projection(config.segments.dims, config.segments.seed, (id) => this.vocab.terms[id] ?? '');
    const points = this.vectors.map((v) => this.projection.project(v));
    const k = config.segments.k ?? defaultSegmentCount(n);
    this.segmentModel = fitSegments(points, {
      k,
      seed: config.segments.seed,
      sampleSize: config.segments.sampleSize,
      maxIterations: config.segments.maxIterations,
    });
    this.segmentOf = Int32Array.from(points, (p) => nearestSegment(this.segmentModel, p));
    // More candidates than a reason names: each course keeps those it has (computeColdStart).
    this.segmentTerms = segmentTerms(this.segmentModel.k, this.vectors, this.alive, this.segmentOf, this.vocab, config.reasonTerms * 4);
  }

  /** The whole engine from courses and every learner's interactions. */
  static build(docs: Iterable<ItemDoc>, learners: Iterable<readonly InteractionEvent[]>, now: number, config: EngineConfig): RecommenderEngine {
    const catalogue = buildCatalogue(docs, config);
    const index = new Map(catalogue.ids.map((id, i) => [id, i]));
    return new RecommenderEngine(config, catalogue, computeStats(index, learners, now, config));
  }

  /** Published courses in the index. */
  get size(): number {
    return this.liveCount;
  }

  get segmentCount(): number {
    return this.segmentModel.k;
  }

  get vocabularySize(): number {
    return this.vocab.size;
  }

  get learnerCount(): number {
    return this.stats.learners;
  }

  /** The internal index of a course (as used by `Components`), or -1. */
  indexOf(itemId: string): number {
    return this.index.get(itemId) ?? -1;
  }

  has(itemId: string): boolean {
    const i = this.index.get(itemId);
    return i !== undefined && this.alive[i] === 1;
  }

  /** Every course id in the index, in index order. */
  itemIds(): string[] {
    return this.ids.filter((_, i) => this.alive[i] === 1);
  }

  segmentOfItem(itemId: string): number | undefined {
    const i = this.index.get(itemId);
    return i === undefined ? undefined : this.segmentOf[i];
  }

  /** The display form of a term key: a word as written, a tag or category key as is. */
  termSurface(term: string): string {
    const id = this.vocab.ids.get(term);
    if (term.startsWith(TERM_PREFIX.word)) return (id !== undefined ? this.vocab.surfaces.get(id) : undefined) ?? term.slice(2);
    return term.slice(2);
  }

  /** The course id at an internal index (as in `Components` and `blend`). */
  idAt(index: number): string | undefined {
    return this.ids[index];
  }

  /**
   * Adds or replaces a course (published or edited). Document frequencies follow at once; other
   * courses keep the weights of the last full build until the next one, which is what makes an
   * update O(course) instead of O(catalogue).
   */
  upsert(doc: ItemDoc): void {
    this.coldCache.clear();
    let i = this.index.get(doc.id);
    if (i !== undefined && this.alive[i] === 1) this.vocab.removeDocument((this.vectors[i] as SparseVector).idx);
    const counts = countTerms(this.vocab, doc, this.config.fieldWeights);
    this.vocab.addDocument(counts.idx);
    const vector = weigh(this.vocab, counts);
    if (i === undefined) {
      i = this.ids.length;
      this.ids.push(doc.id);
      this.index.set(doc.id, i);
      this.vectors.push(vector);
      this.grow(this.ids.length);
      this.liveCount++;
    } else {
      this.vectors[i] = vector;
      if (this.alive[i] === 0) this.liveCount++;
    }
    this.alive[i] = 1;
    if (this.dirty[i] === 0) {
      this.dirty[i] = 1;
      this.dirtyList.push(i);
    }
    this.segmentOf[i] = this.segmentModel.k > 0 ? nearestSegment(this.segmentModel, this.projection.project(vector)) : 0;
  }

  /**
   * Takes a course out of every list (unpublished or deleted). Its vector stays, so that learners
   * who took it keep that part of their profile, until the next full build drops it.
   */
  remove(itemId: string): boolean {
    const i = this.index.get(itemId);
    if (i === undefined || this.alive[i] === 0) return false;
    this.coldCache.clear();
    this.alive[i] = 0;
    this.liveCount--;
    this.vocab.removeDocument((this.vectors[i] as SparseVector).idx);
    return true;
  }

  /** Replaces popularity and co-occurrence (a periodic refresh from the interactions table). */
  refreshStats(learners: Iterable<readonly InteractionEvent[]>, now: number): void {
    this.stats = computeStats(this.index, learners, now, this.config);
    this.coldCache.clear();
  }

  /** The three signals for a learner, each normalised to [0, 1] over the candidates. */
  components(signals: LearnerSignals, exclude: Iterable<string> = []): Components {
    const n = this.ids.length;
    const content = this.scratch.content.subarray(0, n);
    const cooccurrence = this.scratch.cooccurrence.subarray(0, n);
    const candidate = this.scratch.candidate.subarray(0, n);
    const popularity = this.scratch.popularity.subarray(0, n);
    candidate.set(this.alive.subarray(0, n));
    const leaveOut = (id: string) => {
      const i = this.index.get(id);
      if (i !== undefined) candidate[i] = 0;
    };
    for (const id of signals.owned) leaveOut(id);
    for (const id of signals.refunded) leaveOut(id);
    for (const id of exclude) leaveOut(id);

    this.profile.reset();
    cooccurrence.fill(0);
    let known = 0;
    for (const [id, w] of signals.weights) {
      const i = this.index.get(id);
      if (i === undefined || w <= 0) continue;
      known++;
      this.profile.add(this.vectors[i] as SparseVector, w);
      const nb = this.stats.neighbours[i];
      if (!nb) continue;
      for (let k = 0; k < nb.idx.length; k++) {
        const j = nb.idx[k] as number;
        cooccurrence[j] = (cooccurrence[j] as number) + w * (nb.sim[k] as number);
      }
    }
    // Low-rated courses are subtracted from the profile (Rocchio): courses that share their terms
    // score lower, down to below zero when the learner disliked more than they liked.
    let disliked = 0;
    for (const [id, w] of signals.disliked ?? []) {
      const i = this.index.get(id);
      if (i === undefined || w <= 0) continue;
      disliked++;
      this.profile.add(this.vectors[i] as SparseVector, -w * this.config.dislikeStrength);
    }
    const profileNorm = this.profile.norm();
    content.fill(0);
    if (profileNorm > 0) {
      const { start, items, weights } = this.postings;
      const values = this.profile.values;
      const dirty = this.dirty;
      const termCount = start.length - 1;
      for (const t of this.profile.nonZeroIds()) {
        if (t >= termCount) continue; // a term first seen in an upsert: dirty courses only
        const p = (values[t] as number) / profileNorm;
        const end = start[t + 1] as number;
        for (let k = start[t] as number; k < end; k++) {
          const i = items[k] as number;
          if (dirty[i] === 0) content[i] = (content[i] as number) + p * (weights[k] as number);
        }
      }
      for (const i of this.dirtyList) content[i] = this.profile.dot(this.vectors[i] as SparseVector) / profileNorm;
    }
    const pop = this.stats.popularityScore;
    let maxContent = 0;
    let minContent = 0;
    let maxCooc = 0;
    for (let i = 0; i < n; i++) {
      popularity[i] = i < pop.length ? (pop[i] as number) : 0;
      if (candidate[i] === 0) {
        content[i] = 0;
        continue;
      }
      if ((content[i] as number) > maxContent) maxContent = content[i] as number;
      if ((content[i] as number) < minContent) minContent = content[i] as number;
      if ((cooccurrence[i] as number) > maxCooc) maxCooc = cooccurrence[i] as number;
    }
    // Scale-free signals: a learner with ten courses and one with one get comparable scores, and
    // the blend weights mean the same for both. A dislike's penalty is scaled alike, within [-1, 0].
    const contentScale = maxContent > 0 ? maxContent : -minContent;
    if (contentScale > 0) for (let i = 0; i < n; i++) content[i] = Math.max(-1, (content[i] as number) / contentScale);
    if (maxCooc > 0) for (let i = 0; i < n; i++) cooccurrence[i] = (cooccurrence[i] as number) / maxCooc;
    return { content, cooccurrence, popularity, candidate, personal: known > 0 || disliked > 0 };
  }

  /** Blended scores over every course (candidates only; others NaN). */
  blend(c: Components, weights = this.config.blend, out: Float64Array = new Float64Array(this.ids.length)): Float64Array {
    const total = weights.content + weights.cooccurrence + weights.popularity;
    const a = weights.content / total;
    const b = weights.cooccurrence / total;
    const g = weights.popularity / total;
    for (let i = 0; i < out.length; i++) {
      out[i] = c.candidate[i] ? a * (c.content[i] as number) + b * (c.cooccurrence[i] as number) + g * (c.popularity[i] as number) : NaN;
    }
    return out;
  }

  /** Personal recommendations; cold start when nothing in the history is known. */
  recommend(signals: LearnerSignals, options: ListOptions): Recommendation[] {
    if (options.limit <= 0) return [];
    const c = this.components(signals, options.exclude);
    if (!c.personal) return this.coldStart({ limit: options.limit, exclude: [...(options.exclude ?? []), ...signals.owned, ...signals.refunded] });
    return this.listFrom(c, signals, options.limit);
  }

  /** The served list from already computed components (the evaluation reuses them). */
  listFrom(c: Components, signals: LearnerSignals, limit: number, maxShare = this.config.segments.maxShare): Recommendation[] {
    const scores = this.blend(c, this.config.blend, this.scratch.scores.subarray(0, this.ids.length));
    const pool = topK(scores, Math.max(limit * 4, 50));
    const picked = diversify(pool, (r) => this.segmentOf[r.index] ?? 0, limit, maxShare);
    const why = this.explainContext();
    return picked.map((r) => ({
      itemId: this.ids[r.index] as string,
      score: r.score,
      segment: this.segmentOf[r.index] ?? 0,
      reasons: explain(
        r.index,
        { content: c.content[r.index] as number, cooccurrence: c.cooccurrence[r.index] as number, popularity: c.popularity[r.index] as number },
        signals,
        why,
      ),
    }));
  }

  /**
   * Courses like this one: the same blend with this course as the whole history, so that
   * "similar" is content (shared terms) and behaviour (learners who took it also took).
   */
  similar(itemId: string, options: ListOptions): Recommendation[] | null {
    if (!this.has(itemId)) return null;
    const signals: LearnerSignals = { weights: new Map([[itemId, 1]]), owned: new Set([itemId]), refunded: new Set() };
    return this.recommend(signals, options);
  }

  /**
   * For anonymous callers and learners without history: what is popular, spread over the
   * segments (no segment above `coldStartMaxShare` of the list). With no interactions at all the
   * catalogue order decides (the index service loads the newest first).
   */
  coldStart(options: ListOptions): Recommendation[] {
    if (options.limit <= 0) return [];
    // The anonymous list is the same for everyone until the index changes: computed once.
    const cacheable = options.exclude === undefined || (Array.isArray(options.exclude) && options.exclude.length === 0);
    if (cacheable) {
      const hit = this.coldCache.get(options.limit);
      if (hit) return hit.map((r) => ({ ...r, reasons: r.reasons.map((x) => ({ ...x })) as Reason[] }));
    }
    const list = this.computeColdStart(options);
    if (cacheable) {
      if (this.coldCache.size > 100) this.coldCache.clear();
      this.coldCache.set(options.limit, list);
      return list.map((r) => ({ ...r, reasons: r.reasons.map((x) => ({ ...x })) as Reason[] }));
    }
    return list;
  }

  private computeColdStart(options: ListOptions): Recommendation[] {
    const n = this.ids.length;
    const excluded = new Set<number>();
    for (const id of options.exclude ?? []) {
      const i = this.index.get(id);
      if (i !== undefined) excluded.add(i);
    }
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) scores[i] = this.alive[i] && !excluded.has(i) ? (this.stats.popularityScore[i] ?? 0) : NaN;
    const pool = topK(scores, Math.max(options.limit * 8, 100));
    const picked = diversify(pool, (r) => this.segmentOf[r.index] ?? 0, options.limit, this.config.segments.coldStartMaxShare);
    return picked.map((r) => {
      const segment = this.segmentOf[r.index] ?? 0;
      const reasons: Reason[] = [];
      if (r.score > 0) reasons.push({ type: 'popular' });
      // Only what the course itself has: a segment's name is true of most of its courses, not all.
      const own = new Set(Array.from((this.vectors[r.index] as SparseVector).idx, (id) => this.vocab.terms[id]));
      const terms = (this.segmentTerms[segment] ?? []).filter((t) => own.has(t)).slice(0, Math.max(this.config.reasonTerms, 1));
      if (terms.length) reasons.push({ type: 'segment', segment, terms });
      return { itemId: this.ids[r.index] as string, score: r.score, segment, reasons };
    });
  }

  /** What `explain` reads, as of now (the profile is the one `components` just filled). */
  private explainContext(): ExplainContext {
    return { config: this.config, vocab: this.vocab, vectors: this.vectors, index: this.index, neighbours: this.stats.neighbours, profile: this.profile.values };
  }

  private allocScratch(n: number) {
    return {
      content: new Float64Array(n),
      cooccurrence: new Float64Array(n),
      candidate: new Uint8Array(n),
      popularity: new Float64Array(n),
      scores: new Float64Array(n),
    };
  }

  private grow(n: number): void {
    if (n > this.alive.length) {
      const alive = new Uint8Array(Math.max(n, this.alive.length * 2));
      alive.set(this.alive);
      this.alive = alive;
      const seg = new Int32Array(alive.length);
      seg.set(this.segmentOf);
      this.segmentOf = seg;
      const dirty = new Uint8Array(alive.length);
      dirty.set(this.dirty);
      this.dirty = dirty;
    }
    if (n > this.scratch.content.length) this.scratch = this.allocScratch(Math.max(n, this.scratch.content.length * 2));
  }

  /**
   * An estimate of the bytes the engine holds (typed arrays and strings; object headers
   * approximated), reported by the index service.
   */
  memoryEstimate(): number {
    let bytes = 0;
    for (const v of this.vectors) bytes += v.idx.byteLength + v.val.byteLength + 160;
    for (const t of this.vocab.terms) bytes += 2 * t.length + 80; // the string, its Map entry, id
    bytes += this.vocab.df.byteLength;
    for (const s of this.vocab.surfaces.values()) bytes += 2 * s.length + 60;
    for (const id of this.ids) bytes += 2 * id.length + 80;
    for (const nb of this.stats.neighbours) if (nb) bytes += nb.idx.byteLength + nb.sim.byteLength + 160;
    bytes += this.stats.popularity.byteLength + this.stats.popularityScore.byteLength;
    bytes += this.alive.byteLength + this.segmentOf.byteLength + this.dirty.byteLength;
    bytes += this.postings.start.byteLength + this.postings.items.byteLength + this.postings.weights.byteLength;
    bytes += this.scratch.content.byteLength * 4 + this.scratch.candidate.byteLength;
    bytes += this.profile.values.byteLength;
    bytes += this.segmentModel.centroids.length * this.config.segments.dims * 8;
    return bytes;
  }
}
