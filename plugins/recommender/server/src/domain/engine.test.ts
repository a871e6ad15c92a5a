import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withDefaults, type EngineConfig } from './config';
import { RecommenderEngine, type Recommendation } from './engine';
import { learnerSignals, type InteractionEvent } from './signals';
import type { ItemDoc } from './tfidf';

const NOW = Date.UTC(2026, 0, 31);
const config: EngineConfig = withDefaults({
  fieldWeights: { tag: 1, category: 0, level: 0, title: 0, summary: 0 },
  blend: { content: 0.3, cooccurrence: 0.3, popularity: 0.4 },
  profileHalfLifeDays: null,
  segments: { k: 2, maxShare: 1 },
  // The hand computations below count single co-occurrences (the default hides them: privacy).
  cooccurrence: { minSupport: 1 },
});
const item = (id: string, tags: string[]): ItemDoc => ({ id, tags, categories: [], level: null, titles: [], summaries: [] });
const catalogue = [item('A', ['py', 'data']), item('B', ['py', 'web']), item('C', ['data']), item('D', ['web']), item('E', ['art'])];
const took = (...ids: string[]): InteractionEvent[] => ids.map((itemId, n) => ({ itemId, kind: 'purchase', at: NOW - (ids.length - n) * 60_000 }));
// Co-occurrence: A with B twice, A with D once; E alone, three times.
const learners = [took('A', 'B'), took('A', 'B'), took('A', 'D'), took('E'), took('E'), took('E')];
const build = (c: EngineConfig = config) => RecommenderEngine.build(catalogue, learners, NOW, c);
const signalsOf = (events: InteractionEvent[], alsoOwned: string[] = []) => learnerSignals(events, NOW, config, alsoOwned);
const ids = (list: Recommendation[] | null) => (list ?? []).map((r) => r.itemId);
const close = (actual: number | undefined, expected: number) => assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-6, `${actual} ≉ ${expected}`);

describe('the blend, against hand-computed scores', () => {
  // Learner took A. Vectors: A = (py, data)/√2, B = (py, web)/√2, C = data, D = web, E = art.
  // content = cos(A, ·) / max: B 0.5/0.7071 = 0.707107, C 1, D 0, E 0
  // co-occurrence: B 2/√6, D 1/√3, over the max: B 1, D 0.707107
  // popularity log(1+p)/log(1+9): B log 7/log 10 = 0.845098, D log 4/log 10 = 0.602060, E 1, C 0
  const expected: Array<[string, number]> = [
    ['B', 0.3 * 0.707107 + 0.3 * 1 + 0.4 * 0.845098], // 0.850171
    ['D', 0.3 * 0.707107 + 0.4 * 0.60206], // 0.452956
    ['E', 0.4], // 0.4
    ['C', 0.3], // 0.3
  ];
  const list = build().recommend(signalsOf(took('A')), { limit: 10 });
  it('order', () => assert.deepEqual(ids(list), expected.map(([id]) => id)));
  for (const [i, [id, score]] of expected.entries()) it(`${id} = ${score.toFixed(6)}`, () => close(list[i]?.score, score));

  it('other weights, other order: content alone ranks C first', () => {
    const engine = build(withDefaults({ ...config, blend: { content: 1, cooccurrence: 0, popularity: 0 } }));
    assert.deepEqual(ids(engine.recommend(signalsOf(took('A')), { limit: 2 })), ['C', 'B']);
  });
  it('popularity alone: E, B, D', () => {
    const engine = build(withDefaults({ ...config, blend: { content: 0, cooccurrence: 0, popularity: 1 } }));
    assert.deepEqual(ids(engine.recommend(signalsOf(took('A')), { limit: 3 })), ['E', 'B', 'D']);
  });
  it('limit', () => assert.deepEqual(ids(build().recommend(signalsOf(took('A')), { limit: 1 })), ['B']));
});

describe('ratings: a low one lowers similar courses, a high one is a strong positive', () => {
  const rated = (events: InteractionEvent[], itemId: string, value: number): InteractionEvent[] => [...events, { itemId, kind: 'rate', value, at: NOW }];
  const scoreOf = (list: Recommendation[], id: string) => list.find((r) => r.itemId === id)?.score;
  // Took A and B. Without a rating the profile is 3A + 3B: C and D share a term each (content 1),
  // D also co-occurs with A: D 0.3 + 0.3 + 0.4·0.602060 = 0.840824 comes first, then E 0.4, C 0.3.
  // Rated B 1★ (rate weight 2): B leaves the profile and is subtracted, 3A − 2B = (py + 3·data −
  // 2·web)/√2: content C 1, D −2/3, so D = 0.3·(−2/3) + 0.3 + 0.240824 = 0.340824, below E.
  it('took A and B, rated B 1★: D (shares "web" with B) falls from first to below E, by the hand-computed penalty', () => {
    const engine = build();
    const plain = engine.recommend(signalsOf(took('A', 'B')), { limit: 10 });
    const disliked = engine.recommend(signalsOf(rated(took('A', 'B'), 'B', 1)), { limit: 10 });
    assert.deepEqual(ids(plain), ['D', 'E', 'C']);
    assert.deepEqual(ids(disliked), ['E', 'D', 'C']);
    close(scoreOf(plain, 'D'), 0.3 + 0.3 + 0.4 * 0.60206);
    close(scoreOf(disliked, 'D'), 0.3 * (-2 / 3) + 0.3 + 0.4 * 0.60206);
    close(scoreOf(disliked, 'C'), 0.3); // shares "data" with A only: untouched
  });
  // Only a 1★ on D: the profile is −2·web, B's content is −1; popularity alone otherwise.
  it('only a 1★ (on D): the list stays personal, and B (shares "web") loses 0.3 of its popularity score', () => {
    const list = build().recommend(signalsOf(rated(took('D'), 'D', 1)), { limit: 10 });
    assert.ok(!ids(list).includes('D'), 'the rated course is owned: not recommended');
    close(scoreOf(list, 'B'), 0.4 * 0.845098 - 0.3);
  });
  it('3★ changes nothing; 5★ outweighs a plain purchase of another course', () => {
    const engine = build();
    assert.deepEqual(engine.recommend(signalsOf(rated(took('A'), 'A', 3)), { limit: 10 }), engine.recommend(signalsOf(took('A')), { limit: 10 }));
    const s = signalsOf([{ itemId: 'A', kind: 'view', at: NOW }, { itemId: 'A', kind: 'rate', value: 5, at: NOW }, { itemId: 'C', kind: 'view', at: NOW }]);
    assert.ok(s.weights.get('A')! > s.weights.get('C')!);
  });
});

describe('reasons', () => {
  const list = build().recommend(signalsOf(took('A')), { limit: 10 });
  const reasonsOf = (id: string) => list.find((r) => r.itemId === id)?.reasons;
  it('B: popular (0.338) > also took A (0.3) > shares "py" (0.212)', () =>
    assert.deepEqual(reasonsOf('B'), [{ type: 'popular' }, { type: 'also-took', itemId: 'A' }, { type: 'shared-terms', terms: ['t:py'] }]));
  it('C: shares "data" only', () => assert.deepEqual(reasonsOf('C'), [{ type: 'shared-terms', terms: ['t:data'] }]));
  it('D: popular, also took A', () => assert.deepEqual(reasonsOf('D'), [{ type: 'popular' }, { type: 'also-took', itemId: 'A' }]));
  it('E: popular', () => assert.deepEqual(reasonsOf('E'), [{ type: 'popular' }]));
  it('names the strongest course of the history in "also took"', () => {
    const engine = build();
    // B co-occurs with A only; the learner has A (weight 3) and E (a like, 1.5)
    const s = signalsOf([...took('A'), { itemId: 'E', kind: 'like', at: NOW }]);
    const b = engine.recommend(s, { limit: 10 }).find((r) => r.itemId === 'B');
    assert.ok(b?.reasons.some((r) => r.type === 'also-took' && r.itemId === 'A'));
  });
  it('term display forms', () => {
    const engine = RecommenderEngine.build([{ ...item('X', ['Machine Learning']), titles: ['Programming in C++'] }], [], NOW, withDefaults());
    assert.equal(engine.termSurface('w:program'), 'programming');
    assert.equal(engine.termSurface('w:cplusplu'), 'c++');
    assert.equal(engine.termSurface('t:machine learning'), 'machine learning');
  });
});

describe('reasons skip terms most of the catalogue shares', () => {
  it('"common" (in 4 of 5 courses) is named only when nothing else is shared', () => {
    const docs = [item('A', ['common', 'rare']), item('B', ['common', 'rare']), item('C', ['common']), item('D', ['common']), item('E', ['other'])];
    const engine = RecommenderEngine.build(docs, [], NOW, config);
    const list = engine.recommend(signalsOf(took('A')), { limit: 10 });
    const reason = (id: string) => list.find((r) => r.itemId === id)?.reasons.find((r) => r.type === 'shared-terms');
    assert.deepEqual(reason('B'), { type: 'shared-terms', terms: ['t:rare'] });
    assert.deepEqual(reason('C'), { type: 'shared-terms', terms: ['t:common'] });
  });
});

describe('exclusion rules', () => {
  it('courses the learner has (bought, progressed, completed, entitled) are left out', () => {
    const events: InteractionEvent[] = [...took('A'), { itemId: 'C', kind: 'progress', at: NOW }, { itemId: 'E', kind: 'complete', at: NOW }];
    assert.deepEqual(ids(build().recommend(signalsOf(events, ['D']), { limit: 10 })), ['B']);
  });
  it('a viewed or liked course may still be recommended', () => {
    const events: InteractionEvent[] = [...took('A'), { itemId: 'C', kind: 'view', at: NOW }, { itemId: 'D', kind: 'like', at: NOW }];
    const list = ids(build().recommend(signalsOf(events), { limit: 10 }));
    assert.ok(list.includes('C') && list.includes('D'));
  });
  it('a refunded course is left out', () => {
    const events: InteractionEvent[] = [...took('A', 'B'), { itemId: 'B', kind: 'refund', at: NOW }];
    assert.ok(!ids(build().recommend(signalsOf(events), { limit: 10 })).includes('B'));
  });
  it('an unpublished (removed) course never appears, and comes back when upserted', () => {
    const engine = build();
    assert.equal(engine.remove('B'), true);
    assert.equal(engine.remove('B'), false);
    assert.equal(engine.has('B'), false);
    assert.equal(engine.size, 4);
    assert.ok(!ids(engine.recommend(signalsOf(took('A')), { limit: 10 })).includes('B'));
    assert.ok(!ids(engine.coldStart({ limit: 10 })).includes('B'));
    assert.equal(engine.similar('B', { limit: 3 }), null);
    assert.ok(!ids(engine.similar('A', { limit: 10 })).includes('B'));
    engine.upsert(item('B', ['py', 'web']));
    assert.equal(engine.size, 5);
    assert.ok(ids(engine.recommend(signalsOf(took('A')), { limit: 10 })).includes('B'));
  });
  it('an explicit exclude list', () => {
    assert.deepEqual(ids(build().recommend(signalsOf(took('A')), { limit: 10, exclude: ['B', 'E'] })), ['D', 'C']);
  });
});

describe('similar', () => {
  it('is the blend with the course as the whole history (scale-free: same as a learner who took it)', () => {
    const engine = build();
    const similar = engine.similar('A', { limit: 10 });
    assert.deepEqual(ids(similar), ['B', 'D', 'E', 'C']);
    close(similar?.[0]?.score, 0.850171);
  });
  it('unknown course → null', () => assert.equal(build().similar('nope', { limit: 3 }), null));
});

describe('cold start', () => {
  it('no history: popular first, spread over segments, every course reachable', () => {
    const engine = build(withDefaults({ ...config, segments: { ...config.segments, coldStartMaxShare: 0.2 } }));
    const list = engine.coldStart({ limit: 5 });
    assert.equal(list[0]?.itemId, 'A'); // popularity 1, ties by catalogue order
    assert.deepEqual(ids(list).sort(), ['A', 'B', 'C', 'D', 'E']);
    const first2 = new Set(list.slice(0, 2).map((r) => r.segment));
    assert.equal(first2.size, 2, 'the first two come from different segments');
    for (const r of list) assert.ok(r.reasons.some((x) => x.type === 'segment'));
    assert.ok(!list.find((r) => r.itemId === 'C')?.reasons.some((x) => x.type === 'popular'), 'nobody took C');
  });
  it('a history of unknown courses falls back to cold start, still leaving out what is owned', () => {
    const list = build().recommend(signalsOf([...took('gone')], ['A']), { limit: 10 });
    assert.deepEqual(ids(list).sort(), ['B', 'C', 'D', 'E']);
    assert.ok(list.every((r) => r.reasons.some((x) => x.type === 'segment')));
  });
  it('diversity in a personal list: at most maxShare from one segment', () => {
    const engine = build(withDefaults({ ...config, segments: { ...config.segments, maxShare: 0.5 } }));
    const list = engine.recommend(signalsOf(took('A')), { limit: 2 });
    assert.equal(new Set(list.map((r) => r.segment)).size, 2);
  });
});

describe('index lifecycle', () => {
  it('upsert of a new course: scored at once, with a segment', () => {
    const engine = build();
    engine.upsert(item('F', ['py', 'data']));
    const list = engine.recommend(signalsOf(took('A')), { limit: 1 });
    // F is A's twin: content 1 beats everything on content, but B keeps co-occurrence and popularity
    assert.ok(ids(engine.recommend(signalsOf(took('A')), { limit: 10 })).includes('F'));
    assert.equal(list.length, 1);
    assert.ok(engine.segmentOfItem('F') !== undefined);
    close(engine.similar('A', { limit: 10 })?.find((r) => r.itemId === 'F')?.reasons.length ?? 0, 1);
  });
  it('an edit changes the vector: D retagged "data" now shares terms with A', () => {
    const engine = build();
    engine.upsert(item('D', ['data']));
    const d = engine.recommend(signalsOf(took('A')), { limit: 10 }).find((r) => r.itemId === 'D');
    assert.ok(d?.reasons.some((r) => r.type === 'shared-terms' && r.terms.includes('t:data')));
  });
  it('refreshStats replaces popularity and co-occurrence', () => {
    const engine = build();
    engine.refreshStats([took('C'), took('C')], NOW);
    const cold = engine.coldStart({ limit: 1 });
    assert.equal(cold[0]?.itemId, 'C');
    assert.equal(engine.learnerCount, 2);
  });
  it('building twice gives the same segments and lists (seeded)', () => {
    const a = build();
    const b = build();
    assert.deepEqual(
      catalogue.map((d) => a.segmentOfItem(d.id)),
      catalogue.map((d) => b.segmentOfItem(d.id)),
    );
    assert.deepEqual(a.coldStart({ limit: 5 }), b.coldStart({ limit: 5 }));
  });
  it('reports a memory estimate', () => assert.ok(build().memoryEstimate() > 0));
  it('the cached cold-start list follows every change of the index', () => {
    const engine = build();
    assert.ok(ids(engine.coldStart({ limit: 5 })).includes('B'));
    engine.remove('B');
    assert.ok(!ids(engine.coldStart({ limit: 5 })).includes('B'));
    engine.upsert(item('B', ['py', 'web']));
    assert.ok(ids(engine.coldStart({ limit: 5 })).includes('B'));
    engine.refreshStats([took('C'), took('C'), took('C'), took('C')], NOW);
    assert.equal(engine.coldStart({ limit: 5 })[0]?.itemId, 'C');
  });
  it('a cached list cannot be changed by a caller', () => {
    const engine = build();
    const first = engine.coldStart({ limit: 2 });
    first[0]!.reasons.length = 0;
    first[0]!.itemId = 'mutated';
    assert.notEqual(engine.coldStart({ limit: 2 })[0]?.itemId, 'mutated');
    assert.ok((engine.coldStart({ limit: 2 })[0]?.reasons.length ?? 0) > 0);
  });
});
