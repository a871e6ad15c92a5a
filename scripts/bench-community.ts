/**
 * `npm run bench:community`: what `rating` costs on the catalogue's list,
 * `GET /api/courses?pagination[pageSize]=25`, with 100k reviews in the database.
 *
 * For each database (SQLite, then PostgreSQL when reachable): seed courses through the Document
 * Service and BENCH_REVIEWS reviews spread over them (written in bulk, then every course's rating
 * summary recomputed by the plugin's own service), then boot the app twice on that database in two
 * child processes — with `rating`, and without it by the measurement-only switch
 * COMMUNITY_MEASUREMENT_ONLY_NO_RATING (refused when NODE_ENV=production) — and drive both with
 * autocannon on loopback as an anonymous caller, alternating which goes first in each round.
 * Prints medians of req/s, p50/p99 and server CPU per request, and the ratio with ÷ without.
 *
 * Environment: BENCH_DB=sqlite|postgres|both (default both), BENCH_ROUNDS (7), BENCH_SECONDS (4),
 * BENCH_CONNECTIONS (10), BENCH_COURSES (60), BENCH_REVIEWS (100000), BENCH_DIST_DIR.
 */
import path from 'node:path';
import { cpuMs, median, num, runBench, startServer as startChild, stopServers, type BenchServer } from './lib/bench-harness';

const ROUNDS = num('BENCH_ROUNDS', 7);
const SECONDS = num('BENCH_SECONDS', 4);
const CONNECTIONS = num('BENCH_CONNECTIONS', 10);
const COURSES = num('BENCH_COURSES', 60);
const REVIEWS = num('BENCH_REVIEWS', 100_000);
const PATH = '/api/courses?pagination[pageSize]=25';

type Mode = 'rating' | 'none';
type Server = BenchServer<Mode>;

function startServer(mode: Mode, dist: string, dbEnv: Record<string, string>): Promise<Server> {
  return startChild(__filename, mode, dist, dbEnv, { COMMUNITY_MEASUREMENT_ONLY_NO_RATING: mode === 'none' ? 'true' : 'false' });
}

interface Run {
  reqPerSec: number;
  p50: number;
  p99: number;
  cpuPerReq: number;
  non2xx: number;
}

async function drive(server: Server, seconds: number): Promise<Run> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const autocannon = require('autocannon') as (o: Record<string, unknown>) => Promise<{
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
  }>;
  const before = cpuMs(server.child.pid!);
  const r = await autocannon({ url: `http://127.0.0.1:${server.port}${PATH}`, connections: CONNECTIONS, duration: seconds });
  const cpu = cpuMs(server.child.pid!) - before;
  return { reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpuPerReq: r.requests.total > 0 ? cpu / r.requests.total : NaN, non2xx: r.non2xx + r.errors };
}

/** Courses through the Document Service; reviews in bulk (their authors need not exist: the column is a plain id). */
async function seed(dbEnv: Record<string, string>, kind: 'sqlite' | 'postgres', dist: string): Promise<void> {
  process.env.TEST_DIST_DIR = dist;
  process.env.STRAPI_DIST_DIR = dist;
  const { bootApp } = await import('../tests/support/strapi');
  const { createCourse, createInstructor } = await import('../tests/support/builders');
  const { createId } = await import('@paralleldrive/cuid2');
  const { modelNames, rawConnection } = await import('@kp/platform');
  const app = await bootApp({ database: { kind, env: dbEnv, drop: async () => undefined } });
  try {
    const started = Date.now();
    const instructor = await createInstructor(app);
    const courses: string[] = [];
    for (let i = 0; i < COURSES; i += 1) courses.push((await createCourse(app, { instructor: instructor.instructorDocumentId, chapters: 2 })).documentId);
    const R = modelNames(app.strapi, 'plugin::community.review');
    const knex = rawConnection(app.strapi);
    const now = new Date();
    const batch: Array<Record<string, unknown>> = [];
    const flush = async () => {
      if (batch.length) await knex.batchInsert(R.table, batch.splice(0), 500);
    };
    for (let i = 0; i < REVIEWS; i += 1) {
      const course = courses[i % courses.length]!;
      const stars = 1 + ((i * 7 + Math.floor(i / courses.length)) % 5);
      batch.push({
        [R.col('documentId')]: createId(),
        [R.col('userId')]: 1_000_000 + Math.floor(i / courses.length),
        [R.col('authorName')]: `bench${i}`,
        [R.col('courseDocumentId')]: course,
        [R.col('stars')]: stars,
        [R.col('text')]: i % 3 === 0 ? `Review ${i}: useful and clear.` : null,
        [R.col('state')]: i % 50 === 0 ? 'hidden' : 'visible',
        [R.col('refunded')]: kind === 'postgres' ? i % 97 === 0 : Number(i % 97 === 0),
        [R.col('createdAt')]: now,
        [R.col('updatedAt')]: now,
        [R.col('publishedAt')]: now,
      });
      if (batch.length >= 5000) await flush();
    }
    await flush();
    const ratings = app.strapi.plugin('community').service('ratings') as { recompute(c: string, now: Date): Promise<unknown> };
    const t0 = Date.now();
    for (const c of courses) await app.strapi.db.transaction(() => ratings.recompute(c, now));
    console.log(`  seeded ${COURSES} courses, ${REVIEWS} reviews in ${((Date.now() - started) / 1000).toFixed(0)} s (summaries: ${((Date.now() - t0) / COURSES).toFixed(1)} ms per course, one GROUP BY each)`);
  } finally {
    await app.strapi.destroy();
  }
}

async function benchDatabase(kind: 'sqlite' | 'postgres', dist: string): Promise<void> {
  const { createTestDatabase, postgresReachable } = await import('../tests/support/db');
  if (kind === 'postgres' && !(await postgresReachable())) {
    console.log('▶ postgres: not reachable, skipped');
    return;
  }
  console.log(`\n▶ ${kind}`);
  const db = await createTestDatabase(kind);
  const servers: Server[] = [];
  try {
    await seed(db.env, kind, dist);
    servers.push(await startServer('rating', dist, db.env));
    servers.push(await startServer('none', dist, db.env));
    const byMode = (m: Mode) => servers.find((s) => s.mode === m)!;
    const probe = async (m: Mode) => (await fetch(`http://127.0.0.1:${byMode(m).port}${PATH}`)).json() as Promise<{ data: Array<{ rating?: { count: number } }> }>;
    const withRating = (await probe('rating')).data.filter((c) => (c.rating?.count ?? 0) > 0).length;
    const without = (await probe('none')).data.filter((c) => c.rating !== undefined).length;
    if (withRating === 0 || without !== 0) throw new Error(`switch check failed: rated entries ${withRating}, entries with rating on the switched-off server ${without}`);
    console.log(`  check: ${withRating} of 25 entries carry a rating; none without it`);
    for (const s of servers) await drive(s, 2);
    const runs = new Map<Mode, Run[]>();
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const mode of (round % 2 === 0 ? ['rating', 'none'] : ['none', 'rating']) as Mode[]) {
        const r = await drive(byMode(mode), SECONDS);
        if (r.non2xx > 0) throw new Error(`${mode}: ${r.non2xx} failed requests`);
        runs.set(mode, [...(runs.get(mode) ?? []), r]);
      }
      process.stdout.write(`  round ${round + 1}/${ROUNDS} done\n`);
    }
    const med = (mode: Mode, f: (r: Run) => number) => median(runs.get(mode)!.map(f));
    console.log(`\n  ${kind}: GET ${PATH} (anonymous), ${REVIEWS} reviews, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds × ${SECONDS} s, medians`);
    console.log('  mode     req/s   p50 ms  p99 ms  CPU ms/req');
    for (const mode of ['rating', 'none'] as Mode[]) {
      console.log(`  ${mode.padEnd(7)} ${med(mode, (r) => r.reqPerSec).toFixed(1).padStart(7)} ${med(mode, (r) => r.p50).toFixed(0).padStart(7)} ${med(mode, (r) => r.p99).toFixed(0).padStart(7)} ${med(mode, (r) => r.cpuPerReq).toFixed(2).padStart(11)}`);
    }
    const pairRatio = median(runs.get('rating')!.map((g, i) => g.reqPerSec / runs.get('none')![i]!.reqPerSec));
    const cpuRatio = med('rating', (r) => r.cpuPerReq) / med('none', (r) => r.cpuPerReq);
    console.log(`  ratio with ÷ without rating: req/s ${pairRatio.toFixed(3)} (median of per-round ratios), CPU per request ${cpuRatio.toFixed(3)}`);
    console.log(`BENCH ${JSON.stringify({ bench: 'community', metric: `ratio with/without rating req/s (${kind})`, value: Number(pairRatio.toFixed(3)), unit: '', goal: '>= 0.95' })}`);
  } finally {
    await stopServers(servers);
    await db.drop();
  }
}

runBench('community', path.join('plugins', 'community', 'server', 'src', 'index.js'), benchDatabase);
