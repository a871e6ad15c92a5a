/**
 * `npm run bench:paywall`: what the paywall's gate costs on the heaviest common read,
 * `GET /api/courses?populate[chapters]=true&pagination[pageSize]=25`.
 *
 * For each database (SQLite, then PostgreSQL when reachable): seed a catalogue of its own through
 * the Document Service and the paywall's service, then boot the app twice on that same database
 * in two child processes — gated, and ungated by the measurement-only switch
 * PAYWALL_MEASUREMENT_ONLY_UNGATED (which the app refuses when NODE_ENV=production) — and drive
 * both with autocannon on loopback, alternating which goes first in each round, as an anonymous
 * caller and as an entitled learner (a JWT on both sides, so users-permissions' own cost cancels
 * out). Prints medians of req/s, p50/p99 latency and server CPU per request, and the ratios
 * gated ÷ ungated.
 *
 * Environment: BENCH_DB=sqlite|postgres|both (default both), BENCH_ROUNDS (7), BENCH_SECONDS (4),
 * BENCH_CONNECTIONS (10), BENCH_COURSES (60), BENCH_CHAPTERS (10), BENCH_DIST_DIR (skip the
 * compile and boot that build instead), BENCH_CPU_PROF_DIR (V8 CPU profiles of both servers).
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { cpuMs, median, num, runBench, startServer as startChild, stopServers, type BenchServer } from './lib/bench-harness';

const ROUNDS = num('BENCH_ROUNDS', 7);
const SECONDS = num('BENCH_SECONDS', 4);
const CONNECTIONS = num('BENCH_CONNECTIONS', 10);
const COURSES = num('BENCH_COURSES', 60);
const CHAPTERS = num('BENCH_CHAPTERS', 10);
const PATH = '/api/courses?populate[chapters]=true&pagination[pageSize]=25';

type Mode = 'gated' | 'ungated';
type Caller = 'anonymous' | 'learner';

type Server = BenchServer<Mode>;

function startServer(mode: Mode, dist: string, dbEnv: Record<string, string>): Promise<Server> {
  // BENCH_CPU_PROF_DIR: write a V8 CPU profile of each server (to see where a difference goes).
  const prof = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.join(process.env.BENCH_CPU_PROF_DIR, mode)}`] : [];
  return startChild(__filename, mode, dist, dbEnv, { PAYWALL_MEASUREMENT_ONLY_UNGATED: mode === 'ungated' ? 'true' : 'false' }, prof);
}

interface Run {
  reqPerSec: number;
  p50: number;
  p99: number;
  cpuPerReq: number;
  non2xx: number;
}

async function drive(server: Server, auth: string | null, seconds: number): Promise<Run> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const autocannon = require('autocannon') as (o: Record<string, unknown>) => Promise<{
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
  }>;
  const before = cpuMs(server.child.pid!);
  const r = await autocannon({
    url: `http://127.0.0.1:${server.port}${PATH}`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: auth ? { authorization: auth } : {},
  });
  const cpu = cpuMs(server.child.pid!) - before;
  return {
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    cpuPerReq: r.requests.total > 0 ? cpu / r.requests.total : NaN,
    non2xx: r.non2xx + r.errors,
  };
}

/** Seeds the catalogue and the entitled learner in-process; returns the learner's Authorization. */
async function seed(dbEnv: Record<string, string>, kind: 'sqlite' | 'postgres', dist: string): Promise<string> {
  process.env.TEST_DIST_DIR = dist;
  process.env.STRAPI_DIST_DIR = dist;
  const { bootApp } = await import('../tests/support/strapi');
  const { createCourse, createInstructor, createUser } = await import('../tests/support/builders');
  const app = await bootApp({ database: { kind, env: dbEnv, drop: async () => undefined } });
  try {
    const started = Date.now();
    const instructor = await createInstructor(app);
    const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(18); // ~1 KB
    const courses = [];
    for (let i = 0; i < COURSES; i += 1) {
      courses.push(
        await createCourse(app, {
          instructor: instructor.instructorDocumentId,
          access: i % 10 === 9 ? 'free' : 'paid',
          chapters: Array.from({ length: CHAPTERS }, (_, j) => ({ isPreview: j === 0, body: `${filler} ${i}.${j}` })),
        })
      );
    }
    const plan = await app.strapi.documents('api::plan.plan').create({
      locale: 'en',
      data: { name: 'Bench plan', slug: `bench-plan-${randomBytes(3).toString('hex')}`, interval: 'month', price: 900, currency: 'usd', allAccess: false, courses: courses.slice(10, 20).map((c) => c.documentId) } as never,
    });
    const learner = await createUser(app);
    const ents = app.strapi.plugin('paywall').service('entitlements');
    for (const c of courses.slice(0, 5)) await ents.grant({ userId: learner.id, courseDocumentId: c.documentId, source: 'purchase', sourceRef: `bench-${c.documentId}` });
    await ents.grant({ userId: learner.id, planDocumentId: plan.documentId, source: 'subscription', sourceRef: 'bench-sub', validUntil: new Date(Date.now() + 30 * 86400_000) });
    console.log(`  seeded ${COURSES} courses × ${CHAPTERS} chapters, 1 plan, 6 entitlements in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return learner.auth;
  } finally {
    await app.strapi.destroy();
  }
}

async function benchDatabase(kind: 'sqlite' | 'postgres', dist: string): Promise<void> {
  const { createTestDatabase, postgresReachable } = await import('../tests/support/db');
  if (kind === 'postgres' && !(await postgresReachable())) {
    console.log('▶ postgres: not reachable at TEST_DATABASE_URL / 127.0.0.1:5432, skipped');
    return;
  }
  console.log(`\n▶ ${kind}`);
  const db = await createTestDatabase(kind);
  const servers: Server[] = [];
  try {
    const learnerAuth = await seed(db.env, kind, dist);
    // One after the other: two boots racing on a fresh schema could both try to sync it.
    servers.push(await startServer('gated', dist, db.env));
    servers.push(await startServer('ungated', dist, db.env));
    const byMode = (m: Mode) => servers.find((s) => s.mode === m)!;

    // Proof that the switch does what it says before any figure is trusted.
    const probe = async (m: Mode) => (await fetch(`http://127.0.0.1:${byMode(m).port}${PATH}`)).json() as Promise<{ data: Array<{ chapters: Array<{ locked?: boolean; body?: string }> }> }>;
    const gatedBody = await probe('gated');
    const ungatedBody = await probe('ungated');
    const lockedGated = gatedBody.data.flatMap((c) => c.chapters).filter((c) => c.locked === true && c.body === undefined).length;
    const lockedUngated = ungatedBody.data.flatMap((c) => c.chapters).filter((c) => c.locked === true).length;
    if (lockedGated === 0 || lockedUngated !== 0) throw new Error(`switch check failed: gated locked=${lockedGated}, ungated locked=${lockedUngated}`);
    console.log(`  check: gated server locks ${lockedGated} chapters for anonymous callers, ungated locks none`);

    // Warm-up (JIT, connection pools, SQLite page cache).
    for (const s of servers) {
      await drive(s, null, 2);
      await drive(s, learnerAuth, 2);
    }

    const runs = new Map<string, Run[]>();
    for (let round = 0; round < ROUNDS; round += 1) {
      const order: Mode[] = round % 2 === 0 ? ['gated', 'ungated'] : ['ungated', 'gated'];
      for (const caller of ['anonymous', 'learner'] as Caller[]) {
        for (const mode of order) {
          const r = await drive(byMode(mode), caller === 'learner' ? learnerAuth : null, SECONDS);
          if (r.non2xx > 0) throw new Error(`${mode}/${caller}: ${r.non2xx} failed requests`);
          const key = `${caller}:${mode}`;
          runs.set(key, [...(runs.get(key) ?? []), r]);
        }
      }
      process.stdout.write(`  round ${round + 1}/${ROUNDS} done\n`);
    }

    console.log(`\n  ${kind}: GET ${PATH}, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds × ${SECONDS} s, medians`);
    console.log('  caller     mode      req/s   p50 ms  p99 ms  CPU ms/req');
    for (const caller of ['anonymous', 'learner'] as Caller[]) {
      const med = (mode: Mode, f: (r: Run) => number) => median(runs.get(`${caller}:${mode}`)!.map(f));
      for (const mode of ['gated', 'ungated'] as Mode[]) {
        console.log(
          `  ${caller.padEnd(10)} ${mode.padEnd(8)} ${med(mode, (r) => r.reqPerSec).toFixed(1).padStart(7)} ${med(mode, (r) => r.p50).toFixed(0).padStart(7)} ${med(mode, (r) => r.p99).toFixed(0).padStart(7)} ${med(mode, (r) => r.cpuPerReq).toFixed(2).padStart(11)}`
        );
      }
      const ratio = med('gated', (r) => r.reqPerSec) / med('ungated', (r) => r.reqPerSec);
      const cpuRatio = med('gated', (r) => r.cpuPerReq) / med('ungated', (r) => r.cpuPerReq);
      // Per-round ratios (gated ÷ ungated of the same round) are less exposed to drift in load.
      const gr = runs.get(`${caller}:gated`)!;
      const ur = runs.get(`${caller}:ungated`)!;
      const pairRatio = median(gr.map((g, i) => g.reqPerSec / ur[i]!.reqPerSec));
      console.log(`  ${caller}: ratio gated ÷ ungated req/s ${ratio.toFixed(3)} (median of per-round ratios ${pairRatio.toFixed(3)}), CPU per request ${cpuRatio.toFixed(3)}`);
      console.log(`BENCH ${JSON.stringify({ bench: 'paywall', metric: `ratio gated/ungated req/s (${kind}, ${caller})`, value: Number(pairRatio.toFixed(3)), unit: '', goal: '>= 0.95' })}`);
      console.log(`BENCH ${JSON.stringify({ bench: 'paywall', metric: `req/s gated (${kind}, ${caller})`, value: Number(med('gated', (r) => r.reqPerSec).toFixed(1)), unit: 'req/s', goal: '' })}`);
    }
  } finally {
    await stopServers(servers);
    await db.drop();
  }
}

runBench('paywall', path.join('plugins', 'paywall', 'server', 'src', 'index.js'), benchDatabase);
