import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cosine, dot, fromEntries, l2Normalise, norm } from './sparse';
import { buildVectors, idf, naturalIdf, termFrequencies, Vocabulary, type FieldWeights, type ItemDoc } from './tfidf';

const TAGS_ONLY: FieldWeights = { tag: 1, category: 0, level: 0, title: 0, summary: 0 };
const doc = (id: string, over: Partial<ItemDoc> = {}): ItemDoc => ({ id, tags: [], categories: [], level: null, titles: [], summaries: [], ...over });
const close = (actual: number | undefined, expected: number, eps = 1e-6) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < eps, `${actual} ≉ ${expected}`);

/** The weight of a term in a vector. */
function weightOf(vocab: Vocabulary, v: { idx: Int32Array; val: Float64Array }, term: string): number {
  const id = vocab.ids.get(term);
  const k = id === undefined ? -1 : v.idx.indexOf(id);
  return k < 0 ? 0 : (v.val[k] as number);
}

describe('idf', () => {
  // ln((1 + N) / (1 + df)) + 1, computed by hand.
  const cases: Array<[number, number, number]> = [
    [3, 2, 1.2876820724517808],
    [3, 1, 1.6931471805599454],
    [3, 3, 1],
    [1, 1, 1],
    [9999, 0, 10.210340371976184],
  ];
  for (const [n, df, expected] of cases) it(`N=${n} df=${df}`, () => close(idf(n, df), expected, 1e-12));
});

describe('buildVectors: TF-IDF weights against hand-computed values', () => {
  // A: x, y   B: x   C: z    → df x=2, y=1, z=1, N=3
  const docs = [doc('A', { tags: ['x', 'y'] }), doc('B', { tags: ['x'] }), doc('C', { tags: ['z'] })];
  const { vocab, vectors } = buildVectors(docs, TAGS_ONLY);
  const [a, b, c] = vectors as [typeof vectors[0], typeof vectors[0], typeof vectors[0]];

  it('document frequencies in one pass', () => {
    assert.equal(vocab.docCount, 3);
    assert.equal(vocab.df[vocab.ids.get('t:x')!], 2);
    assert.equal(vocab.df[vocab.ids.get('t:y')!], 1);
  });
  it('A = (1.287682, 1.693147) / 2.127175', () => {
    close(weightOf(vocab, a, 't:x'), 0.6053485081062916);
    close(weightOf(vocab, a, 't:y'), 0.7959605415681652);
    close(norm(a), 1);
  });
  it('B and C are unit vectors on their only term', () => {
    close(weightOf(vocab, b, 't:x'), 1);
    close(weightOf(vocab, c, 't:z'), 1);
  });
  it('cosines', () => {
    close(cosine(a, b), 0.6053485081062916);
    close(cosine(a, c), 0);
    close(cosine(b, b), 1);
  });
});

describe('termFrequencies: fields and their weights', () => {
  const weights: FieldWeights = { tag: 3, category: 2, level: 0.5, title: 1.5, summary: 0.25 };
  const tf = termFrequencies(
    doc('D', { tags: ['Python', 'python '], categories: ['Data'], level: 'Beginner', titles: ['Python for data', 'Python 数据'], summaries: ['Learn python'] }),
    weights,
  );
  const cases: Array<[string, number]> = [
    ['t:python', 3], // a tag counts once however often it is listed
    ['c:data', 2],
    ['l:beginner', 0.5],
    ['w:python', 1.5 + 1.5 + 0.25], // two titles (both locales) and the summary
    ['w:data', 1.5],
    ['w:数据', 1.5],
    ['w:learn', 0.25],
  ];
  for (const [term, expected] of cases) it(term, () => close(tf.get(term), expected));
  it('nothing else', () => assert.equal(tf.size, cases.length));
});

describe('one-pass document frequencies equal natural TfIdf (same idf formula)', () => {
  // natural's TfIdf rescans every document per term; ours counts once. Same numbers.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const TfIdf = require('natural/lib/natural/tfidf/tfidf') as new () => {
    addDocument(doc: string[]): void;
    tfidf(terms: string[], d: number): number;
  };
  const corpus = [
    ['python', 'data', 'data', 'science'],
    ['python', 'web'],
    ['java', 'web', 'spring'],
    ['data', 'sql'],
    ['python', 'machine', 'learning', 'data'],
  ];
  const natural = new TfIdf();
  for (const d of corpus) natural.addDocument(d);
  const vocab = new Vocabulary();
  const counts = corpus.map((d) => {
    const m = new Map<number, number>();
    for (const t of d) m.set(vocab.idOf(t), (m.get(vocab.idOf(t)) ?? 0) + 1);
    vocab.addDocument(m.keys());
    return m;
  });
  corpus.forEach((d, i) => {
    for (const term of new Set(d)) {
      it(`doc ${i} "${term}"`, () => {
        const id = vocab.ids.get(term)!;
        const ours = (counts[i]!.get(id) as number) * naturalIdf(vocab.docCount, vocab.df[id] as number);
        close(ours, natural.tfidf([term], i), 1e-12);
      });
    }
  });
});

describe('sparse vectors', () => {
  const u = fromEntries([[3, 4], [1, 3], [7, 0]]); // zero dropped, ids sorted
  const v = fromEntries([[1, 1], [3, 1], [5, 1]]);
  it('ids sorted, zeros dropped', () => assert.deepEqual([...u.idx], [1, 3]));
  it('norm', () => close(norm(u), 5));
  it('dot', () => close(dot(u, v), 7));
  it('cosine', () => close(cosine(u, v), 7 / (5 * Math.sqrt(3))));
  it('l2Normalise', () => assert.deepEqual([...l2Normalise(u).val], [0.6, 0.8]));
  it('cosine with the zero vector is 0', () => close(cosine(u, fromEntries([])), 0));
});

describe('Vocabulary: incremental document frequencies', () => {
  it('add then remove restores df and N', () => {
    const vocab = new Vocabulary();
    const a = vocab.idOf('a');
    const b = vocab.idOf('b');
    vocab.addDocument([a, b]);
    vocab.addDocument([a]);
    assert.deepEqual([vocab.docCount, vocab.df[a], vocab.df[b]], [2, 2, 1]);
    vocab.removeDocument([a, b]);
    assert.deepEqual([vocab.docCount, vocab.df[a], vocab.df[b]], [1, 1, 0]);
  });
  it('grows past its initial capacity', () => {
    const vocab = new Vocabulary();
    for (let i = 0; i < 5000; i++) vocab.idOf(`t${i}`);
    assert.equal(vocab.size, 5000);
    assert.ok(vocab.df.length >= 5000);
  });
});
