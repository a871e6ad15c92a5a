/**
 * `npm run bench:recommender [-- --courses 10000 --interactions 100000 --learners 10000
 *   --db sqlite|postgres --seconds 8 --concurrency 1,8 --natural-subset 2000 --tfidf-only
 *   --profile out.cpuprofile --keep]`
 *
 * 1. TF-IDF at catalogue scale: natural's TfIdf against the engine's one-pass document frequencies
 *    on the same generated course texts (natural on a subset: it is quadratic).
 * 2. Boots the compiled app (dist/, or STRAPI_DIST_DIR) on a fresh database, seeds a generated
 *    catalogue of published courses with tags, learners and interactions by bulk inserts (Query
 *    Engine `createMany` and knex for link tables: fast, and enough for a benchmark; the app's own
 *    write paths are not what is measured), then rebuilds the index and reports its build time per
 *    phase and its memory.
 * 3. Serves HTTP on loopback and measures p50/p95/p99 latency of `GET /api/recommendations`
 *    (anonymous and with a learner's JWT) and `GET /api/recommendations/courses/:id/similar`, with
 *    a load generator in a worker thread (its own event loop) at each concurrency.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Core } from '@strapi/strapi';
import { withDefaults } from '../plugins/recommender/server/src/domain/config';
import { mulberry32 } from '../src/platform/random';
import { buildVectors, naturalIdf, Vocabulary, type ItemDoc } from '../plugins/recommender/server/src/domain/tfidf';
import { tokenize } from '../plugins/recommender/server/src/domain/text';
import { createTestDatabase, type DbKind } from '../tests/support/db';

const APP_DIR = path.resolve(__dirname, '..');

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}
const COURSES = Number(option('courses', '10000'));
const INTERACTIONS = Number(option('interactions', '100000'));
const LEARNERS = Number(option('learners', '10000'));
const DB = option('db', 'sqlite') as DbKind;
const SECONDS = Number(option('seconds', '8'));
const CONCURRENCY = option('concurrency', '1,8').split(',').map(Number);
const NATURAL_SUBSET = Number(option('natural-subset', '2000'));

/** A headline figure for `npm run bench`'s summary (scripts/bench-all.js). */
function headline(metric: string, value: number, unit: string, goal: string): void {
  console.log(`BENCH ${JSON.stringify({ bench: 'recommender', metric: `${metric} (${DB}, ${COURSES} courses)`, value, unit, goal })}`);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const documentId = () => randomBytes(12).toString('hex').slice(0, 24);

// ---------------------------------------------------------------------------------------------
// A generated catalogue: topics with their own vocabularies, learners with one to three tastes.

const TOPIC_COUNT = 60;
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'po', 'qu', 'xi', 'da', 'fe', 'gu', 'ho'];
const GENERIC = ['complete', 'guide', 'masterclass', 'bootcamp', 'essentials', 'introduction', 'practical', 'hands-on', 'modern', 'advanced'];

interface Generated {
  courses: Array<{ documentId: string; title: string; summary: string; level: string; access: string; price: number; tags: number[]; topic: number }>;
  tags: Array<{ documentId: string; slug: string; name: string }>;
  learners: Array<{ tastes: number[] }>;
}

function generate(seed: number): Generated {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
  const word = () => `${pick(SYLLABLES)}${pick(SYLLABLES)}${pick(SYLLABLES)}${pick(SYLLABLES)}`;
  // A vocabulary of the size of a real catalogue's (~10k terms), used with a Zipf-like skew.
  const topics = Array.from({ length: TOPIC_COUNT }, () => Array.from({ length: 180 }, word));
  const zipf = <T>(xs: readonly T[]) => xs[Math.floor(rand() ** 2.5 * xs.length)] as T;
  const tags = Array.from({ length: TOPIC_COUNT * 5 }, (_, i) => {
    const name = `${topics[i % TOPIC_COUNT]![Math.floor(i / TOPIC_COUNT)]} ${i}`;
    return { documentId: documentId(), slug: `tag-${i}`, name };
  });
  const courses = Array.from({ length: COURSES }, () => {
    const topic = Math.floor(rand() * TOPIC_COUNT);
    const words = topics[topic] as string[];
    const title = `${zipf(words)} ${zipf(words)} ${pick(GENERIC)} ${zipf(words)}`;
    const summary = Array.from({ length: 30 }, () => (rand() < 0.7 ? zipf(words) : pick(GENERIC))).join(' ');
    const tagIds = [...new Set([topic + TOPIC_COUNT * Math.floor(rand() * 5), topic + TOPIC_COUNT * Math.floor(rand() * 5), Math.floor(rand() * tags.length)])];
    const access = pick(['free', 'paid', 'paid', 'subscription']);
    return { documentId: documentId(), title, summary, level: pick(['beginner', 'intermediate', 'advanced']), access, price: access === 'paid' ? 990 + Math.floor(rand() * 9000) : 0, tags: tagIds, topic };
  });
  const learners = Array.from({ length: LEARNERS }, () => ({
    tastes: Array.from({ length: 1 + Math.floor(rand() * 3) }, () => Math.floor(rand() * TOPIC_COUNT)),
  }));
  return { courses, tags, learners };
}

// ---------------------------------------------------------------------------------------------
// 1. TF-IDF: natural's TfIdf against one pass over document frequencies.

function compareTfIdf(g: Generated): Record<string, string> {
  const config = withDefaults();
  const docs: ItemDoc[] = g.courses.map((c) => ({
    id: c.documentId,
    tags: c.tags.map((t) => g.tags[t]!.slug),
    categories: [],
    level: c.level,
    titles: [c.title],
    summaries: [c.summary],
  }));
  let t = performance.now();
  buildVectors(docs, config.fieldWeights);
  const oursAll = performance.now() - t;

  // The same terms for both: stems of title and summary words.
  const subset = g.courses.slice(0, Math.min(NATURAL_SUBSET, g.courses.length)).map((c) => tokenize(`${c.title} ${c.summary}`).map((x) => x.term));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const TfIdf = require('natural/lib/natural/tfidf/tfidf') as new () => { addDocument(d: string[]): void; tfidf(terms: string[], d: number): number };
  t = performance.now();
  const natural = new TfIdf();
  for (const d of subset) natural.addDocument(d);
  const naturalWeights = subset.map((d, i) => [...new Set(d)].map((term) => natural.tfidf([term], i)));
  const naturalMs = performance.now() - t;

  t = performance.now();
  const vocab = new Vocabulary();
  const counts = subset.map((d) => {
    const m = new Map<number, number>();
    for (const term of d) {
      const id = vocab.idOf(term);
      m.set(id, (m.get(id) ?? 0) + 1);
    }
    vocab.addDocument(m.keys());
    return m;
  });
  const ourWeights = counts.map((m) => [...m].map(([id, tf]) => tf * naturalIdf(vocab.docCount, vocab.df[id] as number)));
  const oursMs = performance.now() - t;
  let maxDiff = 0;
  naturalWeights.forEach((w, i) => w.forEach((x, k) => (maxDiff = Math.max(maxDiff, Math.abs(x - (ourWeights[i]![k] ?? 0))))));
  return {
    [`natural TfIdf, ${subset.length} docs (every term's weight)`]: `${naturalMs.toFixed(0)} ms`,
    [`one pass over document frequencies, same ${subset.length} docs`]: `${oursMs.toFixed(1)} ms (max weight difference ${maxDiff.toExponential(1)})`,
    [`engine vectors (tokenise, stem, weigh, normalise), all ${docs.length} courses`]: `${oursAll.toFixed(0)} ms`,
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Seeding through bulk inserts.

interface JoinTable {
  name: string;
  joinColumn: { name: string };
  inverseJoinColumn: { name: string };
  orderColumnName?: string;
  inverseOrderColumnName?: string;
}

async function insertLinks(strapi: Core.Strapi, uid: string, attribute: string, pairs: Array<[number, number]>): Promise<void> {
  const meta = strapi.db.metadata.get(uid as never) as unknown as { attributes: Record<string, { joinTable?: JoinTable }> };
  const jt = meta.attributes[attribute]?.joinTable;
  if (!jt) throw new Error(`${uid}.${attribute} has no join table`);
  const rows = pairs.map(([a, b], i) => ({
    [jt.joinColumn.name]: a,
    [jt.inverseJoinColumn.name]: b,
    ...(jt.orderColumnName ? { [jt.orderColumnName]: i + 1 } : {}),
    ...(jt.inverseOrderColumnName ? { [jt.inverseOrderColumnName]: 1 } : {}),
  }));
  for (let i = 0; i < rows.length; i += 2000) await strapi.db.connection.batchInsert(jt.name, rows.slice(i, i + 2000), 500);
}

async function createMany(strapi: Core.Strapi, uid: string, data: Array<Record<string, unknown>>): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < data.length; i += 1000) {
    const r = (await strapi.db.query(uid as never).createMany({ data: data.slice(i, i + 1000) })) as { ids: number[] };
    for (const id of r.ids) ids.push(id);
  }
  return ids;
}

async function seed(strapi: Core.Strapi, g: Generated): Promise<{ jwts: string[]; ms: number }> {
  const t = performance.now();
  const now = new Date();
  const tagIds = await createMany(
    strapi,
    'api::tag.tag',
    g.tags.map((tag) => ({ documentId: tag.documentId, name: tag.name, slug: tag.slug, locale: 'en' })),
  );
  const courseIds = await createMany(
    strapi,
    'api::course.course',
    g.courses.map((c, i) => ({
      documentId: c.documentId,
      locale: 'en',
      title: c.title,
      slug: `course-${i}`,
      summary: c.summary,
      level: c.level,
      access: c.access,
      price: c.price,
      currency: 'usd',
      publishedAt: new Date(now.getTime() - i * 60_000),
    })),
  );
  await insertLinks(
    strapi,
    'api::course.course',
    'tags',
    g.courses.flatMap((c, i) => c.tags.map((t) => [courseIds[i] as number, tagIds[t] as number] as [number, number])),
  );
  const role = (await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } })) as { id: number };
  const userIds = await createMany(
    strapi,
    'plugin::users-permissions.user',
    g.learners.map((_, i) => ({ username: `bench${i}`, email: `bench${i}@example.test`, provider: 'local', confirmed: true, blocked: false })),
  );
  await insertLinks(strapi, 'plugin::users-permissions.user', 'role', userIds.map((id) => [id, role.id] as [number, number]));

  // Interactions: learners take courses of their tastes, mostly; kinds in a plausible mix.
  const rand = mulberry32(7);
  const byTopic = new Map<number, number[]>();
  g.courses.forEach((c, i) => byTopic.set(c.topic, [...(byTopic.get(c.topic) ?? []), i]));
  const kinds: Array<[string, number]> = [
    ['view', 0.4],
    ['like', 0.1],
    ['purchase', 0.25],
    ['progress', 0.2],
    ['complete', 0.05],
  ];
  const kindOf = () => {
    let r = rand();
    for (const [k, p] of kinds) if ((r -= p) < 0) return k;
    return 'view';
  };
  const rows: Array<Record<string, unknown>> = [];
  const owners: number[] = [];
  for (let n = 0; n < INTERACTIONS; n++) {
    const u = Math.floor(rand() ** 1.5 * LEARNERS); // some learners far more active than others
    const tastes = g.learners[u]!.tastes;
    const pool = rand() < 0.85 ? (byTopic.get(tastes[Math.floor(rand() * tastes.length)] as number) ?? [0]) : null;
    const course = pool ? (pool[Math.floor(rand() ** 2 * pool.length)] as number) : Math.floor(rand() * COURSES);
    rows.push({
      documentId: documentId(),
      courseDocumentId: g.courses[course]!.documentId,
      kind: kindOf(),
      weight: 1,
      at: new Date(now.getTime() - Math.floor(rand() * 180) * 86_400_000),
    });
    owners.push(userIds[u] as number);
  }
  const interactionIds = await createMany(strapi, 'plugin::recommender.interaction', rows);
  await insertLinks(strapi, 'plugin::recommender.interaction', 'user', interactionIds.map((id, i) => [id, owners[i] as number] as [number, number]));

  // Planner statistics, as autovacuum (PostgreSQL) would have them on a live database after bulk
  // loads: without them PostgreSQL hash-joins the whole interactions table for one learner.
  await strapi.db.connection.raw('ANALYZE');

  // JWTs of the most active learners (personal lists with real histories).
  const jwt = strapi.plugin('users-permissions').service('jwt') as { issue(p: { id: number }): string };
  const jwts = userIds.slice(0, 200).map((id) => jwt.issue({ id }));
  return { jwts, ms: performance.now() - t };
}

// ---------------------------------------------------------------------------------------------
// 3. Latency, measured by a worker thread with its own event loop.

const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, paths, headers, seconds, concurrency } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = [];
let errors = 0;
let n = 0;
const end = Date.now() + seconds * 1000;
function one() {
  const i = n++;
  const path = paths[i % paths.length];
  const h = headers.length ? headers[i % headers.length] : {};
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent, headers: h }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) errors++;
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        resolve();
      });
    });
    req.on('error', () => { errors++; resolve(); });
  });
}
async function loop() { while (Date.now() < end) await one(); }
Promise.all(Array.from({ length: concurrency }, loop)).then(() => {
  agent.destroy();
  parentPort.postMessage({ latencies, errors });
});
`;

async function measure(port: number, paths: string[], headers: Array<Record<string, string>>, concurrency: number, seconds = SECONDS) {
  const result = await new Promise<{ latencies: number[]; errors: number }>((resolve, reject) => {
    const w = new Worker(LOAD_WORKER, { eval: true, workerData: { port, paths, headers, seconds, concurrency } });
    w.once('message', resolve);
    w.once('error', reject);
  });
  const sorted = result.latencies.sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return { n: sorted.length, rps: sorted.length / seconds, p50: q(0.5), p95: q(0.95), p99: q(0.99), errors: result.errors };
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`bench:recommender — ${COURSES} courses, ${INTERACTIONS} interactions, ${LEARNERS} learners, ${DB}, node ${process.version}\n`);
  const g = generate(2026);

  console.log('TF-IDF');
  for (const [k, v] of Object.entries(compareTfIdf(g))) console.log(`  ${k}: ${v}`);
  if (process.argv.includes('--tfidf-only')) return;

  const db = await createTestDatabase(DB);
  Object.assign(process.env, {
    NODE_ENV: 'test',
    QUIET_DEV_SECRETS: '1',
    STARTUP_MESSAGE: 'false',
    RECOMMENDER_STATS_REFRESH_SECONDS: '0',
    RECOMMENDER_EVENTS_PER_MINUTE: '1000000',
    ...db.env,
  });
  const distDir = process.env.STRAPI_DIST_DIR ?? path.join(APP_DIR, 'dist');
  process.env.STRAPI_DIST_DIR = distDir;
  process.chdir(APP_DIR);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createStrapi } = require('@strapi/strapi') as typeof import('@strapi/strapi');
  const strapi = createStrapi({ appDir: APP_DIR, distDir, autoReload: false, serveAdminPanel: false });
  strapi.log.level = 'error';
  try {
    await strapi.load();
    strapi.log.level = 'error';
    const seeded = await seed(strapi, g);
    console.log(`\nseed (bulk inserts): ${(seeded.ms / 1000).toFixed(1)} s`);

    const index = strapi.plugin('recommender').service('course-index') as {
      build(trigger: string): Promise<void>;
      status(): { durationMs: number; cpuMs: number; timings: Record<string, number>; memoryBytes: number; courses: number; terms: number; segments: number; learners: number; interactions: number; state: string; error: string | null };
    };
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    // The first build after boot also loads ml-kmeans (~0.3 s, once per process): both are shown.
    console.log('\nindex build (from the database)');
    let s = index.status();
    for (const round of ['first', 'second']) {
      await index.build(`bench ${round}`);
      s = index.status();
      if (s.state !== 'ready') throw new Error(`index not ready: ${s.error}`);
      console.log(`  ${round}: ${s.durationMs} ms wall, ${s.cpuMs} ms CPU — ${Object.entries(s.timings).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
    }
    gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    headline('index build (second, wall)', s.durationMs, 'ms', '<= 2000');
    headline('index build (second, CPU)', s.cpuMs, 'ms', '');
    headline('index memory (estimate)', Math.round(s.memoryBytes / 1024 / 1024), 'MB', '');
    console.log(`  load average: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
    console.log(`  ${s.courses} courses, ${s.terms} terms, ${s.segments} segments, ${s.learners} learners, ${s.interactions} interactions`);
    console.log(`  memory: estimated ${mb(s.memoryBytes)}; heap growth ${gc ? mb(heapAfter - heapBefore) : 'n/a (run node with --expose-gc)'}; rss ${mb(process.memoryUsage().rss)}`);

    await strapi.server.mount();
    await new Promise<void>((resolve) => strapi.server.httpServer.listen(0, '127.0.0.1', resolve));
    const port = (strapi.server.httpServer.address() as { port: number }).port;
    const ids = g.courses.slice(0, 500).map((c) => c.documentId);
    const scenarios: Array<[string, string[], Array<Record<string, string>>]> = [
      ['GET /api/recommendations (anonymous, cold start)', ['/api/recommendations?limit=10'], []],
      ['GET /api/recommendations (learner JWT, personal)', ['/api/recommendations?limit=10'], seeded.jwts.map((j) => ({ Authorization: `Bearer ${j}` }))],
      ['GET /api/recommendations/courses/:id/similar', ids.map((id) => `/api/recommendations/courses/${id}/similar?limit=10`), []],
      // Baselines: what Strapi itself costs for a trivial route, anonymous and with a learner's JWT.
      ['baseline: GET /api/recommender/health (anonymous, no work)', ['/api/recommender/health'], []],
      ['baseline: GET /api/users/me (learner JWT)', ['/api/users/me'], seeded.jwts.map((j) => ({ Authorization: `Bearer ${j}` }))],
    ];
    // --profile FILE: a CPU profile of the server thread while it serves the requests below.
    const profileFile = process.argv.includes('--profile') ? option('profile', 'bench-recommender.cpuprofile') : null;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const inspector = profileFile ? (require('node:inspector') as typeof import('node:inspector')) : null;
    const session = inspector ? new inspector.Session() : null;
    if (session) {
      session.connect();
      await new Promise((resolve) => session.post('Profiler.enable', () => session.post('Profiler.start', resolve)));
    }
    console.log(`\nlatency over HTTP on loopback (${SECONDS} s per row; load generator in a worker thread)`);
    console.log('| endpoint | concurrency | requests | req/s | p50 ms | p95 ms | p99 ms | errors |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const [label, paths, headers] of scenarios) {
      await measure(port, paths, headers, 1, 2); // warm-up, not reported
      for (const c of CONCURRENCY) {
        const m = await measure(port, paths, headers, c);
        console.log(`| ${label} | ${c} | ${m.n} | ${m.rps.toFixed(0)} | ${m.p50.toFixed(2)} | ${m.p95.toFixed(2)} | ${m.p99.toFixed(2)} | ${m.errors} |`);
        if (c === 1 && !label.startsWith('baseline')) headline(`p95 ${label}`, Number(m.p95.toFixed(2)), 'ms', '<= 10');
      }
    }
    if (session && profileFile) {
      const profile = await new Promise<unknown>((resolve) => session.post('Profiler.stop', (_e, r) => resolve(r.profile)));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('node:fs') as typeof import('node:fs')).writeFileSync(profileFile, JSON.stringify(profile));
      console.log(`wrote ${profileFile}`);
    }
  } finally {
    await strapi.destroy().catch(() => undefined);
    // --keep: leave the database for inspection (EXPLAIN…), and say where it is.
    if (process.argv.includes('--keep')) console.log(`kept database: ${JSON.stringify(db.env)}`);
    else await db.drop().catch(() => undefined);
  }
  console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(0)} s (load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
