/**
 * Offline evaluation of the recommender with the server's own domain code.
 *
 *   npm run eval:recommender -- --items items.csv --train train.csv --test test.csv
 *        [--k 10] [--json out.json] [--val-users 6000] [--no-tune] [--seed 42]
 *
 * items.csv  itemId,title,tags     tags joined by "|"; "cat:x" → category, "level:x" → level,
 *                                  anything else (concept:, lang:, audience:…) → tag
 * train.csv  userId,itemId,timestamp,positive,rating   positive=1 rows are enrolments (kind
 *                                  "purchase"); other rows are ignored; `rating`, when it is a star
 *                                  scale (integers 1–5, more than one value), is replayed as a
 *                                  `rate` interaction just after the enrolment (what the community
 *                                  plugin records); a constant column (the CoCo split: always 1) is
 *                                  not a rating and is left out, and the script says so
 * test.csv   userId,itemId         held-out items
 *
 * 1. Tuning, on a validation split carved from train (each learner's latest train enrolment held
 *    out, a seeded sample of --val-users learners): the blend weights on a 0.1 simplex grid and the
 *    profile half-life, chosen by NDCG@k. The test file is not looked at.
 * 2. Test: the engine rebuilt on the whole of train with the chosen settings; for each test user it
 *    ranks every course the user has not interacted with in train. Prints HitRate@k, NDCG@k,
 *    Recall@2k and Coverage@k for the engine as served (segment diversity on), the plain blend, each
 *    signal alone, a most-popular baseline and plain item-item CF over full histories (no caps),
 *    plus run time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_ENGINE_CONFIG, withDefaults, type EngineConfig } from '../plugins/recommender/server/src/domain/config';
import { RecommenderEngine } from '../plugins/recommender/server/src/domain/engine';
import {
  addRank,
  leaveLastOut,
  MetricsAccumulator,
  rankUnderBlend,
  sampleKeys,
  simplexGrid,
  type Metrics,
} from '../plugins/recommender/server/src/domain/evaluation';
import { learnerSignals, type InteractionEvent } from '../plugins/recommender/server/src/domain/signals';
import type { ItemDoc } from '../plugins/recommender/server/src/domain/tfidf';
import { topK } from '../plugins/recommender/server/src/domain/topk';
import { parse as parseCsvSync } from 'csv-parse/sync';

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

function usage(message?: string): never {
  if (message) console.error(`eval:recommender: ${message}`);
  console.error(
    'usage: npm run eval:recommender -- --items items.csv --train train.csv --test test.csv [--k 10] [--json out.json] [--val-users 6000] [--no-tune] [--seed 42]',
  );
  process.exit(2);
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) usage(`--${name} needs a value`);
  return v;
}

function intOption(name: string, fallback: number, min: number): number {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) usage(`--${name} must be an integer ≥ ${min}`);
  return n;
}

/** Whether a `rating` column holds stars: integers 1–5 only, and more than one distinct value. */
export function isStarScale(values: ReadonlyArray<string | undefined>): boolean {
  const seen = new Set<string>();
  for (const v of values) {
    if (v === undefined || v === '') return false;
    if (!['1', '2', '3', '4', '5'].includes(v.trim())) return false;
    seen.add(v.trim());
  }
  return seen.size > 1;
}

/** RFC 4180 CSV (csv-parse): quoted fields, doubled quotes, CRLF. The first row is the header. */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const rows = parseCsvSync(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  const header = (rows.shift() ?? []).map((h) => h.trim());
  return { header, rows };
}

function readCsv(file: string, required: string[]): Array<Record<string, string>> {
  if (!fs.existsSync(file)) usage(`${file} does not exist`);
  const { header, rows } = parseCsv(fs.readFileSync(file, 'utf8'));
  for (const col of required) if (!header.includes(col)) usage(`${path.basename(file)} has no "${col}" column (header: ${header.join(',')})`);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** A CSV item as the engine's ItemDoc: the same fields the server fills from a course. */
function itemDoc(row: Record<string, string>): ItemDoc {
  const tags: string[] = [];
  const categories: string[] = [];
  let level: string | null = null;
  for (const raw of (row.tags ?? '').split('|')) {
    const t = raw.trim();
    if (!t) continue;
    if (t.startsWith('cat:')) categories.push(t.slice(4));
    else if (t.startsWith('level:')) level = t.slice(6);
    else tags.push(t);
  }
  return { id: row.itemId as string, tags, categories, level, titles: [row.title ?? ''], summaries: [] };
}

/**
 * Plain item-item collaborative filtering, the baseline the engine is compared with: cosine
 * co-occurrence over every learner's full history (no cap on history length or neighbours),
 * score(j) = Σ over the learner's items i of cooc(i, j) / √(n(i)·n(j)).
 */
export class ItemItemCF {
  private readonly cooc = new Map<string, Map<string, number>>();
  private readonly count = new Map<string, number>();

  constructor(histories: Iterable<readonly InteractionEvent[]>) {
    for (const events of histories) {
      const items = [...new Set(events.map((e) => e.itemId))];
      for (const a of items) {
        this.count.set(a, (this.count.get(a) ?? 0) + 1);
        let row = this.cooc.get(a);
        if (!row) this.cooc.set(a, (row = new Map()));
        for (const b of items) if (b !== a) row.set(b, (row.get(b) ?? 0) + 1);
      }
    }
  }

  /** The top `n` items for a history, items of the history left out. */
  rank(history: readonly InteractionEvent[], n: number): string[] {
    const seen = new Set(history.map((e) => e.itemId));
    const scores = new Map<string, number>();
    for (const a of seen) {
      const row = this.cooc.get(a);
      if (!row) continue;
      const na = this.count.get(a) ?? 1;
      for (const [b, c] of row) {
        if (seen.has(b)) continue;
        scores.set(b, (scores.get(b) ?? 0) + c / Math.sqrt(na * (this.count.get(b) ?? 1)));
      }
    }
    return [...scores.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, n).map(([id]) => id);
  }
}

function fmt(m: Metrics): string {
  return `${m.hitRate.toFixed(4)} | ${m.ndcg.toFixed(4)} | ${m.recall.toFixed(4)} | ${m.coverage.toFixed(3)}`;
}

async function main(): Promise<void> {
  const itemsFile = option('items') ?? usage('--items is required');
  const trainFile = option('train') ?? usage('--train is required');
  const testFile = option('test') ?? usage('--test is required');
  const k = intOption('k', 10, 1);
  const recallK = 2 * k;
  const valUsers = intOption('val-users', 6000, 10);
  const seed = intOption('seed', 42, 0);
  const tune = !process.argv.includes('--no-tune');
  const jsonOut = option('json');

  const items = readCsv(itemsFile, ['itemId', 'title', 'tags']).map(itemDoc);
  const catalogue = new Set(items.map((d) => d.id));
  const trainRows = readCsv(trainFile, ['userId', 'itemId', 'timestamp']);
  const testRows = readCsv(testFile, ['userId', 'itemId']);
  // A loop, not Math.max(...rows): spreading millions of values into a call overflows the stack.
  let maxTs = 0;
  for (const r of trainRows) maxTs = Math.max(maxTs, Number(r.timestamp) || 0);
  const toMs = maxTs < 1e11 ? 1000 : 1; // seconds or milliseconds
  const learners = new Map<string, InteractionEvent[]>();
  let ignored = 0;
  const starScale = isStarScale(trainRows.map((r) => r.rating));
  let replayedRatings = 0;
  for (const r of trainRows) {
    if ((r.positive ?? '1') !== '1' || !catalogue.has(r.itemId as string)) {
      ignored++;
      continue;
    }
    const list = learners.get(r.userId as string) ?? [];
    list.push({ itemId: r.itemId as string, kind: 'purchase', at: Number(r.timestamp) * toMs });
    if (starScale) {
      list.push({ itemId: r.itemId as string, kind: 'rate', value: Number(r.rating), at: Number(r.timestamp) * toMs + 1 });
      replayedRatings++;
    }
    learners.set(r.userId as string, list);
  }
  console.log(
    starScale
      ? `ratings: ${replayedRatings} star ratings replayed as rate interactions`
      : 'ratings: train.csv has no star ratings (no rating column, or a constant one): the effect of ratings is not measured',
  );
  const test = new Map<string, string[]>();
  for (const r of testRows) {
    const held = test.get(r.userId as string);
    if (held) held.push(r.itemId as string);
    else test.set(r.userId as string, [r.itemId as string]);
  }
  const now = maxTs * toMs + 1000;
  console.log(
    `data: ${items.length} items, ${trainRows.length - ignored} train interactions (${ignored} ignored), ${learners.size} learners, ${test.size} test users (${elapsed()})`,
  );

  let config: EngineConfig = withDefaults();
  type Cooc = EngineConfig['cooccurrence'];
  const validation: Array<{ cooccurrence: Cooc; halfLifeDays: number | null; blend: EngineConfig['blend']; hitRate: number; ndcg: number; recall: number }> = [];
  // Co-occurrence as served (latest 50 courses per learner, 50 neighbours) and uncapped (every
  // course of every history, up to 1000 neighbours, one learner in common): with the blend at
  // co-occurrence 1 the uncapped engine is plain item-item CF, so the grid can choose it.
  const COOC_SETTINGS: Array<[string, Cooc]> = [
    ['capped (as served)', config.cooccurrence],
    ['uncapped (plain item-item CF)', { ...config.cooccurrence, neighbours: 1000, maxItemsPerUser: 1000, minSupport: 1 }],
  ];
  if (tune) {
    const split = leaveLastOut(learners);
    const users = sampleKeys(split.heldOut.keys(), valUsers, seed);
    for (const [coocName, cooccurrence] of COOC_SETTINGS) {
      const engine = RecommenderEngine.build(items, split.train.values(), now, withDefaults({ cooccurrence }));
      console.log(`validation, co-occurrence ${coocName}: engine on train minus each learner's latest enrolment, ${users.length} learners sampled (${elapsed()})`);
      const grid = simplexGrid(0.1);
      for (const halfLifeDays of [null, 120, 30, 7]) {
        const sums = grid.map(() => ({ users: 0, hits: 0, ndcg: 0, recall: 0 }));
        for (const user of users) {
          const signals = learnerSignals(split.train.get(user) ?? [], now, { ...config, profileHalfLifeDays: halfLifeDays });
          const target = engine.indexOf((split.heldOut.get(user) as string[])[0] as string);
          const c = engine.components(signals);
          grid.forEach((w, g) => addRank(sums[g]!, target < 0 ? recallK : rankUnderBlend(c, target, w, recallK), k, recallK));
        }
        grid.forEach((blend, g) => {
          const s = sums[g]!;
          validation.push({ cooccurrence, halfLifeDays, blend, hitRate: s.hits / s.users, ndcg: s.ndcg / s.users, recall: s.recall / s.users });
        });
        const best = validation.filter((v) => v.halfLifeDays === halfLifeDays && v.cooccurrence === cooccurrence).sort((a, b) => b.ndcg - a.ndcg)[0]!;
        console.log(
          `  half-life ${halfLifeDays ?? '∞'} d: best blend ${JSON.stringify(best.blend)} NDCG@${k} ${best.ndcg.toFixed(4)} HR@${k} ${best.hitRate.toFixed(4)} (${elapsed()})`,
        );
      }
    }
    const best = validation.slice().sort((a, b) => b.ndcg - a.ndcg || b.hitRate - a.hitRate)[0]!;
    config = withDefaults({ blend: best.blend, profileHalfLifeDays: best.halfLifeDays, cooccurrence: best.cooccurrence });
    console.log(
      `chosen on validation: blend ${JSON.stringify(best.blend)}, profile half-life ${best.halfLifeDays ?? '∞'} days, co-occurrence ${JSON.stringify(best.cooccurrence)}`,
    );
  } else {
    console.log(`no tuning: config defaults, blend ${JSON.stringify(config.blend)}, profile half-life ${config.profileHalfLifeDays ?? '∞'} days`);
  }

  // Test: the engine on the whole of train, as the server would build it.
  const engine = RecommenderEngine.build(items, learners.values(), now, config);
  console.log(`test: engine built on all of train, ${engine.segmentCount} segments (${elapsed()})`);
  const rows = {
    'engine as served (blend + segment diversity)': new MetricsAccumulator(k, recallK, items.length),
    'engine blend without diversity': new MetricsAccumulator(k, recallK, items.length),
    'content only (TF-IDF profile)': new MetricsAccumulator(k, recallK, items.length),
    'co-occurrence only': new MetricsAccumulator(k, recallK, items.length),
    'most popular (baseline)': new MetricsAccumulator(k, recallK, items.length),
    'plain item-item CF (full histories, no caps)': new MetricsAccumulator(k, recallK, items.length),
  };
  const cf = new ItemItemCF(learners.values());
  // The engine and plain item-item CF per slice of the test users' train history length.
  const SLICES = [['1–3', 1, 3], ['4–10', 4, 10], ['11–50', 11, 50], ['51+', 51, Infinity]] as const;
  const sliceOf = (n: number) => SLICES.find(([, lo, hi]) => n >= lo && n <= hi)?.[0] ?? '1–3';
  const bySlice = new Map<string, { engine: MetricsAccumulator; cf: MetricsAccumulator }>(
    SLICES.map(([name]) => [name, { engine: new MetricsAccumulator(k, recallK, items.length), cf: new MetricsAccumulator(k, recallK, items.length) }]),
  );
  const only = (w: EngineConfig['blend']) => w;
  let scores: Float64Array | null = null; // one buffer, sized like the engine's signal arrays
  const ranked = (c: ReturnType<RecommenderEngine['components']>, w: EngineConfig['blend'], n: number) => {
    scores ??= new Float64Array(c.candidate.length);
    return topK(engine.blend(c, w, scores), n).map((r) => engine.idAt(r.index) as string);
  };
  let rankedUsers = 0;
  for (const [user, relevant] of test) {
    const history = learners.get(user) ?? [];
    const signals = learnerSignals(history, now, config);
    const c = engine.components(signals);
    if (!c.personal) {
      // A test user with no usable train history gets what an anonymous visitor gets.
      const cold = engine.coldStart({ limit: recallK }).map((r) => r.itemId);
      for (const acc of Object.values(rows)) acc.add(cold, relevant);
      continue;
    }
    rankedUsers++;
    const served = engine.listFrom(c, signals, k).map((r) => r.itemId);
    const served2k = engine.listFrom(c, signals, recallK).map((r) => r.itemId);
    // HR/NDCG/coverage from the list served at k, recall from the list served at 2k.
    rows['engine as served (blend + segment diversity)'].add([...served, ...served2k.filter((id) => !served.includes(id))], relevant);
    rows['engine blend without diversity'].add(ranked(c, config.blend, recallK), relevant);
    rows['content only (TF-IDF profile)'].add(ranked(c, only({ content: 1, cooccurrence: 0, popularity: 0 }), recallK), relevant);
    rows['co-occurrence only'].add(ranked(c, only({ content: 0, cooccurrence: 1, popularity: 0 }), recallK), relevant);
    rows['most popular (baseline)'].add(ranked(c, only({ content: 0, cooccurrence: 0, popularity: 1 }), recallK), relevant);
    const cfList = cf.rank(history, recallK);
    rows['plain item-item CF (full histories, no caps)'].add(cfList, relevant);
    const slice = bySlice.get(sliceOf(new Set(history.map((e) => e.itemId)).size))!;
    slice.engine.add([...served, ...served2k.filter((id) => !served.includes(id))], relevant);
    slice.cf.add(cfList, relevant);
  }
  const results = Object.fromEntries(Object.entries(rows).map(([name, acc]) => [name, acc.result()]));
  const seconds = (Date.now() - started) / 1000;
  console.log(`\n${test.size} test users (${rankedUsers} with a train history), k=${k}, run time ${seconds.toFixed(1)} s\n`);
  console.log(`| model | HR@${k} | NDCG@${k} | Recall@${recallK} | Coverage@${k} |`);
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, m] of Object.entries(results)) console.log(`| ${name} | ${fmt(m)} |`);
  console.log(`\nBy train history length (distinct courses): engine as served vs plain item-item CF\n`);
  console.log(`| history | engine NDCG@${k} | CF NDCG@${k} | engine HR@${k} | CF HR@${k} |`);
  console.log('| --- | --- | --- | --- | --- |');
  const slices: Record<string, { engine: Metrics; cf: Metrics }> = {};
  for (const [name, acc] of bySlice) {
    const e = acc.engine.result();
    const c = acc.cf.result();
    slices[name] = { engine: e, cf: c };
    console.log(`| ${name} (${e.users} users) | ${e.ndcg.toFixed(4)} | ${c.ndcg.toFixed(4)} | ${e.hitRate.toFixed(4)} | ${c.hitRate.toFixed(4)} |`);
  }
  console.log(
    `\nconfig: blend ${JSON.stringify(config.blend)}, profileHalfLifeDays ${config.profileHalfLifeDays}, segments.maxShare ${config.segments.maxShare} (defaults: ${JSON.stringify(DEFAULT_ENGINE_CONFIG.blend)})`,
  );
  if (jsonOut) {
    fs.writeFileSync(
      jsonOut,
      JSON.stringify({ k, recallK, seconds, users: test.size, config, results, slices, validation: validation.sort((a, b) => b.ndcg - a.ndcg) }, null, 2),
    );
    console.log(`wrote ${jsonOut}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
