/**
 * TF-IDF item vectors. Document frequencies are counted in one pass over the catalogue, then
 * every vector is weighted from them: O(total terms). natural's `TfIdf.idf()` instead rescans
 * every document for each term, O(terms × documents); `npm run bench:recommender` measures both
 * at catalogue scale (README).
 */
import type { SparseVector } from './sparse';
import { normaliseKey, tokenize } from './text';

/** What the engine knows of a course: non-localized facets plus texts from every locale. */
export interface ItemDoc {
  id: string;
  /** Tag keys (slugs): shared across locales. */
  tags: readonly string[];
  /** Category keys (slugs); a hierarchy may give several. */
  categories: readonly string[];
  level: string | null;
  /** Titles in every published locale. */
  titles: readonly string[];
  /** Summaries in every published locale. */
  summaries: readonly string[];
}

/** How much one occurrence in each field counts towards a term's frequency. */
export interface FieldWeights {
  tag: number;
  category: number;
  level: number;
  title: number;
  summary: number;
}

/** Feature-key prefixes: a tag "python" and the word "python" are different features. */
export const TERM_PREFIX = { tag: 't:', category: 'c:', level: 'l:', word: 'w:' } as const;

/** Smoothed inverse document frequency: ln((1 + N) / (1 + df)) + 1, positive for every df ≤ N. */
export function idf(docCount: number, df: number): number {
  return Math.log((1 + docCount) / (1 + df)) + 1;
}

/** natural's formula, 1 + ln(N / (1 + df)), kept to compare the two implementations. */
export function naturalIdf(docCount: number, df: number): number {
  return 1 + Math.log(docCount / (1 + df));
}

/** Weighted term frequencies of one document by term key (for tests and diagnostics). */
export function termFrequencies(doc: ItemDoc, weights: FieldWeights): Map<string, number> {
  const vocab = new Vocabulary();
  const counts = countTerms(vocab, doc, weights);
  return new Map(Array.from(counts.idx, (id, k) => [vocab.terms[id] as string, counts.val[k] as number]));
}

/** Term ids, document frequencies and a display form per term. Grows as documents arrive. */
export class Vocabulary {
  readonly ids = new Map<string, number>();
  readonly terms: string[] = [];
  df: Int32Array = new Int32Array(1024);
  docCount = 0;
  /** A surface form per word term (the first seen), for reasons shown to people. */
  readonly surfaces = new Map<number, string>();

  private readonly wordIds = new Map<string, number>();

  /** The id of a word term (`w:` + stem), without building the prefixed key on every hit. */
  wordId(stem: string): number {
    let id = this.wordIds.get(stem);
    if (id === undefined) {
      id = this.idOf(TERM_PREFIX.word + stem);
      this.wordIds.set(stem, id);
    }
    return id;
  }

  /** The id of a term, created on first sight. */
  idOf(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
      if (id >= this.df.length) {
        const grown = new Int32Array(this.df.length * 2);
        grown.set(this.df);
        this.df = grown;
      }
    }
    return id;
  }

  get size(): number {
    return this.terms.length;
  }

  /** Counts one more document containing each of these term ids. */
  addDocument(termIds: Iterable<number>): void {
    this.docCount++;
    for (const id of termIds) this.df[id] = (this.df[id] as number) + 1;
  }

  /** Forgets one document containing each of these term ids. */
  removeDocument(termIds: Iterable<number>): void {
    this.docCount = Math.max(0, this.docCount - 1);
    for (const id of termIds) this.df[id] = Math.max(0, (this.df[id] as number) - 1);
  }

  idf(id: number): number {
    return idf(this.docCount, this.df[id] ?? 0);
  }
}

/** Raw (weighted) term frequencies over term ids, ids ascending. */
export type TermCounts = SparseVector;

// One scratch accumulator for every document counted (the engine is synchronous): no Map per
// document, which at catalogue scale is most of an index build's garbage.
let scratch = new Float64Array(4096);
let touched: number[] = [];

function accumulate(id: number, w: number): void {
  if (w <= 0) return;
  if (id >= scratch.length) {
    const grown = new Float64Array(Math.max(id + 1, scratch.length * 2));
    grown.set(scratch);
    scratch = grown;
  }
  if (scratch[id] === 0) touched.push(id);
  scratch[id] = (scratch[id] as number) + w;
}

/**
 * Maps a document's terms to ids (creating them) and records surfaces: `termFrequencies` over ids,
 * without building a string key per word (this is the hot loop of an index build).
 */
export function countTerms(vocab: Vocabulary, doc: ItemDoc, weights: FieldWeights): TermCounts {
  touched = [];
  for (const tag of new Set(doc.tags.map(normaliseKey))) if (tag) accumulate(vocab.idOf(TERM_PREFIX.tag + tag), weights.tag);
  for (const cat of new Set(doc.categories.map(normaliseKey))) if (cat) accumulate(vocab.idOf(TERM_PREFIX.category + cat), weights.category);
  if (doc.level) accumulate(vocab.idOf(TERM_PREFIX.level + normaliseKey(doc.level)), weights.level);
  const words = (texts: readonly string[], w: number) => {
    if (w <= 0) return;
    for (const text of texts) {
      for (const token of tokenize(text)) {
        const id = vocab.wordId(token.term);
        accumulate(id, w);
        if (!vocab.surfaces.has(id)) vocab.surfaces.set(id, token.surface);
      }
    }
  };
  words(doc.titles, weights.title);
  words(doc.summaries, weights.summary);
  const idx = Int32Array.from(touched).sort();
  const val = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const id = idx[k] as number;
    val[k] = scratch[id] as number;
    scratch[id] = 0;
  }
  touched = [];
  return { idx, val };
}

/** The L2-normalised TF-IDF vector of counted terms under the vocabulary's current frequencies. */
export function weigh(vocab: Vocabulary, counts: TermCounts): SparseVector {
  const n = counts.idx.length;
  const val = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const w = (counts.val[k] as number) * vocab.idf(counts.idx[k] as number);
    val[k] = w;
    sum += w * w;
  }
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let k = 0; k < n; k++) val[k] = (val[k] as number) / norm;
  return { idx: counts.idx, val };
}

/**
 * Vectors of a whole catalogue: one pass to count terms and document frequencies, one to weigh.
 */
export function buildVectors(docs: readonly ItemDoc[], weights: FieldWeights): { vocab: Vocabulary; vectors: SparseVector[] } {
  const vocab = new Vocabulary();
  const counts = docs.map((doc) => {
    const c = countTerms(vocab, doc, weights);
    vocab.addDocument(c.idx);
    return c;
  });
  return { vocab, vectors: counts.map((c) => weigh(vocab, c)) };
}
