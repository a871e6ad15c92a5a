/**
 * A synthetic catalogue with planted tastes (fixed seed): learners draw their courses from one or
 * two topics; the engine must rank their topics' courses, and their held-out course, far above
 * random. Assertions are on metrics, never on an exact order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY_MS, withDefaults } from './config';
import { RecommenderEngine } from './engine';
import { leaveLastOut, MetricsAccumulator } from './evaluation';
import { mulberry32, shuffled } from './random';
import { learnerSignals, type InteractionEvent } from './signals';
import type { ItemDoc } from './tfidf';

const TOPICS = ['python', 'design', 'finance', 'music', 'cooking', 'marketing', 'physics', 'language'];
const WORDS: Record<string, string[]> = Object.fromEntries(
  TOPICS.map((t) => [t, Array.from({ length: 12 }, (_, i) => `${t}word${String.fromCharCode(97 + i)}`)]),
);
const GENERIC = ['complete', 'guide', 'masterclass', 'bootcamp', 'essentials', 'introduction'];
const PER_TOPIC = 40;
const NOW = Date.UTC(2026, 5, 1);

function plant(seed: number) {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
  const items: ItemDoc[] = [];
  const topicOf = new Map<string, string>();
  for (const topic of TOPICS) {
    for (let i = 0; i < PER_TOPIC; i++) {
      const id = `${topic}-${i}`;
      topicOf.set(id, topic);
      const words = shuffled(WORDS[topic] as string[], rand).slice(0, 3);
      items.push({
        id,
        tags: [topic, pick(WORDS[topic] as string[])],
        categories: [],
        level: pick(['beginner', 'intermediate', 'advanced']),
        titles: [`${words.join(' ')} ${pick(GENERIC)}`],
        summaries: [`${pick(GENERIC)} ${pick(WORDS[topic] as string[])} ${pick(WORDS[pick(TOPICS)] as string[])}`],
      });
    }
  }
  // Within a topic, some courses are far more taken than others (Zipf-like), as in real catalogues.
  const zipfPick = (topic: string) => `${topic}-${Math.min(PER_TOPIC - 1, Math.floor(PER_TOPIC * rand() ** 2))}`;
  const learners = new Map<string, InteractionEvent[]>();
  const tastes = new Map<string, string[]>();
  for (let u = 0; u < 400; u++) {
    const taste = shuffled(TOPICS, rand).slice(0, rand() < 0.5 ? 1 : 2);
    tastes.set(`u${u}`, taste);
    const n = 3 + Math.floor(rand() * 4);
    const taken = new Set<string>();
    const events: InteractionEvent[] = [];
    for (let e = 0; e < n * 3 && taken.size < n; e++) {
      // 10% noise: a course from anywhere
      const id = rand() < 0.1 ? `${pick(TOPICS)}-${Math.floor(rand() * PER_TOPIC)}` : zipfPick(pick(taste));
      if (taken.has(id)) continue;
      taken.add(id);
      events.push({ itemId: id, kind: 'purchase', at: NOW - (n - taken.size) * DAY_MS });
    }
    learners.set(`u${u}`, events);
  }
  return { items, topicOf, learners, tastes };
}

describe('planted tastes (seed 2026)', () => {
  const { items, topicOf, learners, tastes } = plant(2026);
  const { train, heldOut } = leaveLastOut(learners);
  const config = withDefaults();
  const engine = RecommenderEngine.build(items, train.values(), NOW, config);
  const k = 10;
  const metrics = new MetricsAccumulator(k, 2 * k, items.length);
  // What a random ranking scores in expectation: the held-out course is equally likely at any
  // of the |candidates| places.
  let randomHits = 0;
  let randomNdcg = 0;
  let onTaste = 0;
  let shown = 0;
  for (const [user, relevant] of heldOut) {
    const history = train.get(user) ?? [];
    const signals = learnerSignals(history, NOW, config);
    const list = engine.recommend(signals, { limit: 2 * k }).map((r) => r.itemId);
    metrics.add(list, relevant);
    const candidates = items.length - signals.owned.size;
    randomHits += k / candidates;
    for (let place = 0; place < k; place++) randomNdcg += 1 / Math.log2(place + 2) / candidates;
    for (const id of list.slice(0, k)) {
      shown++;
      if ((tastes.get(user) ?? []).includes(topicOf.get(id) as string)) onTaste++;
    }
  }
  const m = metrics.result();
  const r = { hitRate: randomHits / m.users, ndcg: randomNdcg / m.users };

  it('share of top-10 results in the learner’s planted topics ≥ 0.8 (random: ~0.19)', () => {
    assert.ok(onTaste / shown >= 0.8, `on-taste share ${(onTaste / shown).toFixed(3)}`);
  });
  it('HitRate@10 of the held-out course ≥ 5× the random expectation', () => {
    assert.ok(m.hitRate >= 5 * r.hitRate, `engine ${m.hitRate.toFixed(3)} vs random ${r.hitRate.toFixed(3)}`);
  });
  it('NDCG@10 ≥ 5× the random expectation', () => {
    assert.ok(m.ndcg >= 5 * r.ndcg, `engine ${m.ndcg.toFixed(3)} vs random ${r.ndcg.toFixed(3)}`);
  });
  it('evaluated on most learners', () => assert.ok(m.users >= 350, `${m.users} learners`));
});
