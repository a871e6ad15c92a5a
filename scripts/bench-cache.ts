/**
 * `npm run bench:cache`: what the cache plugin buys (plugins/cache).
 *
 * For each database (SQLite, then PostgreSQL when reachable): seed BENCH_COURSES paid courses
 * with 3 chapters each and a learner who owns one, then boot the app three times on that database
 * in child processes — `off` (CATALOGUE_CACHE=false, PRINCIPAL_CACHE_TTL_SECONDS=0),
 * `principals` (catalogue cache off, principal cache on), `on` (both, the defaults, memory store)
 * — and drive them with autocannon on loopback, alternating the order in each round:
 *
 * - A. the anonymous list `GET /api/courses?pagination[pageSize]=25`: on ÷ off (goal ≥ 3);
 * - B. the same list with the learner's JWT (never cached): on ÷ off (goal ≥ 0.95);
 * - C. the learner's one-course request `GET /api/courses/:id?populate=chapters` (a course they
 *   own) ÷ the same request anonymous, on `principals` (catalogue cache off, so both are computed:
 *   the cost of being logged in) and on `off` (the baseline); goal ≥ 0.9.
 *
 * Prints medians of req/s, p50 and server CPU per request, and the ratios (median of per-round
 * ratios).
 *
 * Environment: BENCH_DB=sqlite|postgres|both (default both), BENCH_ROUNDS (7), BENCH_SECONDS (3),
 * BENCH_CONNECTIONS (10), BENCH_COURSES (30), BENCH_DIST_DIR.
 */
import path from 'node:path';
import { cpuMs, median, num, runBench, startServer as startChild, stopServers, type BenchServer } from './lib/bench-harness';
import { seedBenchCatalogue } from './lib/bench-seed';

const ROUNDS = num('BENCH_ROUNDS', 7);
const SECONDS = num('BENCH_SECONDS', 3);
const CONNECTIONS = num('BENCH_CONNECTIONS', 10);
const COURSES = num('BENCH_COURSES', 30);
const LIST = '/api/courses?pagination[pageSize]=25';

type Mode = 'off' | 'principals' | 'on';
type Server = BenchServer<Mode>;

const MODE_ENV: Record<Mode, Record<string, string>> = {
  off: { CATALOGUE_CACHE: 'false', PRINCIPAL_CACHE_TTL_SECONDS: '0' },
  principals: { CATALOGUE_CACHE: 'false', PRINCIPAL_CACHE_TTL_SECONDS: '30' },
  on: { CATALOGUE_CACHE: 'true', PRINCIPAL_CACHE_TTL_SECONDS: '30', REDIS_URL: '' },
};

interface Run {
  reqPerSec: number;
  p50: number;
  cpuPerReq: number;
  failed: number;
}

async function drive(server: Server, url: string, auth: string | null, seconds: number): Promise<Run> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const autocannon = require('autocannon') as (o: Record<string, unknown>) => Promise<{
    requests: { average: number; total: number };
    latency: { p50: number };
    non2xx: number;
    errors: number;
  }>;
  const before = cpuMs(server.child.pid!);
  const r = await autocannon({
    url: `http://127.0.0.1:${server.port}${url}`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: auth ? { authorization: auth } : {},
  });
  const cpu = cpuMs(server.child.pid!) - before;
  return { reqPerSec: r.requests.average, p50: r.latency.p50, cpuPerReq: r.requests.total > 0 ? cpu / r.requests.total : NaN, failed: r.non2xx + r.errors };
}

interface Scenario {
  name: string;
  mode: Mode;
  url: string;
  auth: string | null;
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
    const { auth, owned } = await seedBenchCatalogue(db.env, kind, dist, COURSES);
    for (const mode of ['off', 'principals', 'on'] as Mode[]) servers.push(await startChild(__filename, mode, dist, db.env, MODE_ENV[mode]));
    const byMode = (m: Mode) => servers.find((s) => s.mode === m)!;
    const one = `/api/courses/${owned}?populate=chapters`;

    // Checks: the cache answers on `on` only; the learner reads the gated text, the anonymous caller does not.
    const probe = async (m: Mode, url: string, a: string | null) => {
      const res = await fetch(`http://127.0.0.1:${byMode(m).port}${url}`, { headers: a ? { authorization: a } : {} });
      return { status: res.status, cache: res.headers.get('x-cache'), text: await res.text() };
    };
    await probe('on', LIST, null);
    const hit = await probe('on', LIST, null);
    const offList = await probe('off', LIST, null);
    if (hit.cache !== 'hit' || offList.cache !== null) throw new Error(`cache check failed: on=${hit.cache}, off=${offList.cache}`);
    const mine = await probe('principals', one, auth);
    const anon = await probe('principals', one, null);
    const lockedMine = (mine.text.match(/"locked":true/g) ?? []).length;
    const lockedAnon = (anon.text.match(/"locked":true/g) ?? []).length;
    if (mine.status !== 200 || lockedMine !== 0 || lockedAnon === 0) throw new Error(`gate check failed: learner ${mine.status} locked ${lockedMine}, anonymous locked ${lockedAnon}`);
    console.log(`  check: list ${hit.cache} on \`on\`, uncached on \`off\`; the learner reads all chapters, anonymous ${lockedAnon} locked; list ${(hit.text.length / 1024).toFixed(0)} KB`);

    const scenarios: Scenario[] = [
      { name: 'A list anonymous', mode: 'off', url: LIST, auth: null },
      { name: 'A list anonymous', mode: 'on', url: LIST, auth: null },
      { name: 'B list with JWT', mode: 'off', url: LIST, auth },
      { name: 'B list with JWT', mode: 'on', url: LIST, auth },
      { name: 'C one course anonymous', mode: 'off', url: one, auth: null },
      { name: 'C one course learner', mode: 'off', url: one, auth },
      { name: 'C one course anonymous', mode: 'principals', url: one, auth: null },
      { name: 'C one course learner', mode: 'principals', url: one, auth },
    ];
    const id = (s: Scenario) => `${s.name} [${s.mode}]`;
    for (const s of scenarios) await drive(byMode(s.mode), s.url, s.auth, 1);
    const runs = new Map<string, Run[]>();
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? scenarios : [...scenarios].reverse();
      for (const s of order) {
        const r = await drive(byMode(s.mode), s.url, s.auth, SECONDS);
        if (r.failed > 0) throw new Error(`${id(s)}: ${r.failed} failed requests`);
        runs.set(id(s), [...(runs.get(id(s)) ?? []), r]);
      }
      process.stdout.write(`  round ${round + 1}/${ROUNDS} done\n`);
    }
    const med = (key: string, f: (r: Run) => number) => median(runs.get(key)!.map(f));
    console.log(`\n  ${kind}: ${COURSES} courses, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds × ${SECONDS} s, medians`);
    console.log('  scenario                                    req/s   p50 ms  CPU ms/req');
    for (const s of scenarios) {
      const k = id(s);
      console.log(`  ${k.padEnd(40)} ${med(k, (r) => r.reqPerSec).toFixed(1).padStart(8)} ${med(k, (r) => r.p50).toFixed(0).padStart(7)} ${med(k, (r) => r.cpuPerReq).toFixed(2).padStart(11)}`);
    }
    const ratio = (a: string, b: string) => median(runs.get(a)!.map((x, i) => x.reqPerSec / runs.get(b)![i]!.reqPerSec));
    const cpuRatio = (a: string, b: string) => med(b, (r) => r.cpuPerReq) / med(a, (r) => r.cpuPerReq);
    const figures: Array<[string, string, string, string]> = [
      ['anonymous list, cache ÷ no cache', 'A list anonymous [on]', 'A list anonymous [off]', '>= 3'],
      ['list with a JWT, cache ÷ no cache', 'B list with JWT [on]', 'B list with JWT [off]', '>= 0.95'],
      ['learner one course ÷ anonymous, principal cache', 'C one course learner [principals]', 'C one course anonymous [principals]', '>= 0.9'],
      ['learner one course ÷ anonymous, no cache (baseline)', 'C one course learner [off]', 'C one course anonymous [off]', ''],
    ];
    for (const [label, a, b, goal] of figures) {
      const r = ratio(a, b);
      console.log(`  ${label}: req/s ${r.toFixed(3)} (per-round median), CPU per request ${cpuRatio(a, b).toFixed(3)} (inverse: higher is better)${goal ? `, goal ${goal}` : ''}`);
      console.log(`BENCH ${JSON.stringify({ bench: 'cache', metric: `${label} req/s (${kind})`, value: Number(r.toFixed(3)), unit: '', goal })}`);
    }
  } finally {
    await stopServers(servers);
    await db.drop();
  }
}

runBench('cache', path.join('plugins', 'cache', 'server', 'src', 'index.js'), benchDatabase);
