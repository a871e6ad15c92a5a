/**
 * The catalogue as the engine reads it: one TF-IDF vector per course over a shared vocabulary,
 * built in chunks (so that the index service can report progress and let requests run between
 * them), and the term → course postings that score a learner's profile through its own terms
 * instead of a dot product with every course. Pure.
 */
import { type EngineConfig } from './config';
import type { SparseVector } from './sparse';
import { countTerms, Vocabulary, weigh, type ItemDoc, type TermCounts } from './tfidf';

export interface Catalogue {
  vocab: Vocabulary;
  ids: string[];
  vectors: SparseVector[];
}

/** Builds the catalogue part of an engine in chunks, so an adapter can report progress. */
export class CatalogueBuilder {
  private readonly vocab = new Vocabulary();
  private readonly ids: string[] = [];
  private readonly counts: TermCounts[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly config: EngineConfig) {}

  /** Counts terms and document frequencies of more courses (a repeated id is ignored). */
  add(docs: Iterable<ItemDoc>): void {
    for (const doc of docs) {
      if (this.seen.has(doc.id)) continue;
      this.seen.add(doc.id);
      const c = countTerms(this.vocab, doc, this.config.fieldWeights);
      this.vocab.addDocument(c.idx);
      this.ids.push(doc.id);
      this.counts.push(c);
    }
  }

  get size(): number {
    return this.ids.length;
  }

  /** Weighs every vector with the final document frequencies. */
  finish(): Catalogue {
    return {
      vocab: this.vocab,
      ids: this.ids,
      vectors: this.counts.map((c) => weigh(this.vocab, c)),
    };
  }
}

/** The catalogue in one call. */
export function buildCatalogue(docs: Iterable<ItemDoc>, config: EngineConfig): Catalogue {
  const b = new CatalogueBuilder(config);
  b.add(docs);
  return b.finish();
}

/** Term → (course, weight) in compressed rows: the courses of term t are `items[start[t]..start[t+1])`. */
export interface Postings {
  start: Int32Array;
  items: Int32Array;
  weights: Float64Array;
}

/** The postings of per-course vectors over `termCount` terms. */
export function buildPostings(vectors: readonly SparseVector[], termCount: number): Postings {
  const start = new Int32Array(termCount + 1);
  for (const v of vectors) for (let k = 0; k < v.idx.length; k++) start[(v.idx[k] as number) + 1]++;
  for (let t = 0; t < termCount; t++) start[t + 1] = (start[t + 1] as number) + (start[t] as number);
  const fill = start.slice(0, termCount);
  const items = new Int32Array(start[termCount] as number);
  const weights = new Float64Array(items.length);
  vectors.forEach((v, i) => {
    for (let k = 0; k < v.idx.length; k++) {
      const t = v.idx[k] as number;
      const at = fill[t] as number;
      items[at] = i;
      weights[at] = v.val[k] as number;
      fill[t] = at + 1;
    }
  });
  return { start, items, weights };
}
