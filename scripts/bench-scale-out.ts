/**
 * `npm run bench:scale-out`: one instance and two instances behind the same loopback proxy, with
 * a read-heavy mix, on PostgreSQL with Redis (the scale-out configuration: catalogue cache and
 * rate limits in Redis, broadcast through Redis).
 *
 * Seed BENCH_COURSES paid courses with 3 chapters each and a learner who owns one, start three
 * server children on that database (all with REDIS_URL), and two round-robin proxies (http-proxy,
 * in this process): `one` in front of the first child, `two` in front of the other two. Each round
 * drives both proxies in turn (alternating which goes first) with autocannon for BENCH_SECONDS,
 * every connection cycling through the mix:
 *
 * - anonymous `GET /api/courses?pagination[pageSize]=25` (catalogue cache),
 * - anonymous `GET /api/courses/:id?populate=chapters` (catalogue cache),
 * - the learner's `GET /api/courses/:owned?populate=chapters` (computed: gated text for its owner),
 * - the learner's `GET /api/recommendations` (computed),
 * - anonymous `GET /api/categories` (catalogue cache).
 *
 * Each round also drives the single instance once more, paced (autocannon `overallRate`) at the
 * rate each of the two instances served in that round: the same load per process.
 *
 * Prints, per configuration, the medians of req/s, p50/p99 latency, the servers' CPU time per
 * request (the children's user + system time over the round ÷ requests answered), the SQL
 * statements they ran per request (inside requests and outside: the children count them and answer
 * SIGUSR2) and the commands Redis executed per request (INFO commandstats), and the ratios two ÷ one. Two cores bound the total here (the proxy and autocannon share them), so the figure
 * that says whether the design scales is CPU per request: it must not grow with the second
 * instance (no cross-instance chatter, no shared lock on the request path).
 *
 * Then the same rounds again with the servers pinned to CPU 0 and this process (the proxies and
 * autocannon) to CPU 1 (`taskset`): one and two instances have the same one core, and neither
 * competes with the load generator for it, so the second table compares what the two
 * configurations do per request rather than how four busy processes share two cores.
 *
 * Last, each instance on a core of its own (the single one on CPU 0; the two on CPU 0 and CPU 1;
 * this process on either), both configurations paced below saturation at the same rate per
 * instance (BENCH_OWN_RATE, default 40 % of the pinned single instance's req/s): the nearest this
 * machine comes to instances on machines of their own.
 *
 * Then the same placement and pace through haproxy and wrk (`lib/lean-load.ts`, Debian's packages;
 * skipped with a message when they are missing): the Node instrument (http-proxy + autocannon)
 * costs about 1 ms of CPU per request on the servers' own cores, haproxy + wrk 0.25–0.4 ms, so
 * these rounds disturb the servers least. Every table also prints the instrument's CPU per request.
 *
 * Environment: BENCH_ROUNDS (5), BENCH_SECONDS (5), BENCH_CONNECTIONS (20), BENCH_COURSES (30),
 * BENCH_PIN (1; 0 skips the pinned, own-core and haproxy + wrk rounds), BENCH_OWN_RATE,
 * BENCH_PARTS (unpinned,pinned,own,lean: the rounds to run), BENCH_DIST_DIR, REDIS_URL (redis://127.0.0.1:6379).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { roundRobin, type RoundRobinProxy as Proxy } from '../tests/support/round-robin';
import { Redis } from 'ioredis';
import { cpuMs, median, num, queryCounts, runBench, startServer, stopServers, type BenchServer } from './lib/bench-harness';
import { seedBenchCatalogue } from './lib/bench-seed';
import { leanTools, runWrk, startHaproxy, type LeanProxy } from './lib/lean-load';

const ROUNDS = num('BENCH_ROUNDS', 5);
const SECONDS = num('BENCH_SECONDS', 5);
const CONNECTIONS = num('BENCH_CONNECTIONS', 20);
const COURSES = num('BENCH_COURSES', 30);
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
/** req/s per instance of the own-core rounds (default: 40 % of the pinned single instance's rate) */
const OWN_RATE = num('BENCH_OWN_RATE', 0);
/** which rounds to run: unpinned, pinned, own (own cores, Node instrument), lean (own cores, haproxy + wrk) */
const PARTS = new Set((process.env.BENCH_PARTS || 'unpinned,pinned,own,lean').split(',').map((x) => x.trim()));

type Config = 'one' | 'two' | 'onePaced';

interface Run {
  reqPerSec: number;
  p50: number;
  p99: number;
  cpuPerReq: number;
  requests: number;
  /** SQL statements the driven servers ran inside requests, per request */
  sqlPerReq: number;
  /** SQL statements they ran outside requests (workers, timers) during the run, per request */
  backgroundSqlPerReq: number;
  /** commands Redis executed during the run (every client: the idle instance's too), per request */
  redisPerReq: number;
  /** CPU ms per request of the proxy and the load generator (the measuring instrument) */
  instrumentCpuPerReq: number;
}

/** Commands Redis has executed since it started, from INFO commandstats (our own INFO calls left out). */
async function redisCommands(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  let total = 0;
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (m[1] !== 'info') total += Number(m[2]);
  return total;
}

type MixEntry = { method: 'GET'; path: string; headers?: Record<string, string> };

/** What a load generator reports of one round; `instrumentMs`: the proxy's and its own CPU time. */
interface Load {
  requests: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  instrumentMs: number;
}

/** Runs `load` and counts what the servers spent on it: CPU, SQL statements, Redis commands. */
async function measured(redis: Redis, servers: BenchServer[], load: () => Promise<Load>): Promise<Run> {
  const sqlBefore = await Promise.all(servers.map((s) => queryCounts(s)));
  const redisBefore = await redisCommands(redis);
  const before = servers.map((s) => cpuMs(s.child.pid!));
  const r = await load();
  const cpu = servers.reduce((sum, s, i) => sum + cpuMs(s.child.pid!) - before[i]!, 0);
  const redisAfter = await redisCommands(redis);
  const sqlAfter = await Promise.all(servers.map((s) => queryCounts(s)));
  const per = (x: number) => (r.requests > 0 ? x / r.requests : NaN);
  const delta = (k: 'request' | 'background') => sqlAfter.reduce((sum, a, i) => sum + a[k] - sqlBefore[i]![k], 0);
  return {
    reqPerSec: r.reqPerSec,
    p50: r.p50,
    p99: r.p99,
    cpuPerReq: per(cpu),
    requests: r.requests,
    sqlPerReq: per(delta('request')),
    backgroundSqlPerReq: per(delta('background')),
    redisPerReq: per(redisAfter - redisBefore),
    instrumentCpuPerReq: per(r.instrumentMs),
  };
}

/** One round through the Node proxy with autocannon (in this process), optionally paced. */
function drive(redis: Redis, proxy: Proxy, servers: BenchServer[], mix: MixEntry[], seconds: number, overallRate?: number): Promise<Run> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const autocannon = require('autocannon') as (o: Record<string, unknown>) => Promise<{
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
    statusCodeStats: Record<string, { count: number }>;
  }>;
  return measured(redis, servers, async () => {
    const own = process.cpuUsage();
    const r = await autocannon({ url: proxy.url, connections: CONNECTIONS, duration: seconds, requests: mix, ...(overallRate ? { overallRate } : {}) });
    const usage = process.cpuUsage(own);
    if (r.non2xx + r.errors > 0) throw new Error(`${r.non2xx} non-2xx answers and ${r.errors} errors through ${proxy.url}: ${JSON.stringify(r.statusCodeStats)}`);
    return { requests: r.requests.total, reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, instrumentMs: (usage.user + usage.system) / 1000 };
  });
}

/**
 * One paced round through haproxy and wrk (`lean-load.ts`): `connections` connections, each
 * waiting `delayMs` after every answer; the instrument's CPU is haproxy's and wrk's.
 */
function driveLean(redis: Redis, proxy: LeanProxy, url: string, servers: BenchServer[], mix: MixEntry[], connections: number, delayMs: number, seconds: number): Promise<Run> {
  return measured(redis, servers, async () => {
    const proxyBefore = cpuMs(proxy.pid);
    const r = await runWrk(url, mix, connections, delayMs, seconds);
    const proxyCpu = cpuMs(proxy.pid) - proxyBefore;
    if (r.failures > 0) throw new Error(`${r.failures} non-2xx answers or socket errors through ${url}`);
    return { requests: r.requests, reqPerSec: r.reqPerSec, p50: NaN, p99: NaN, instrumentMs: proxyCpu + r.cpuMs };
  });
}

/** `taskset` for a process and all its threads, or null where it cannot be used. */
function pinning(): ((pid: number, cpus: string) => void) | null {
  if (process.env.BENCH_PIN === '0' || os.cpus().length < 2) return null;
  if (spawnSync('taskset', ['--version']).status !== 0) return null;
  return (pid, cpus) => {
    const r = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`taskset -a -p -c ${cpus} ${pid}: ${r.stderr}`);
  };
}

/** ROUNDS alternating rounds of one and two instances, each followed by the single instance paced. */
async function rounds(redis: Redis, configs: Record<'one' | 'two', { proxy: Proxy; servers: BenchServer[] }>, one: Proxy, single: BenchServer, mix: MixEntry[], title: string): Promise<Record<Config, Run[]>> {
  const runs: Record<Config, Run[]> = { one: [], two: [], onePaced: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    const order: Array<'one' | 'two'> = round % 2 === 0 ? ['one', 'two'] : ['two', 'one'];
    for (const name of order) runs[name].push(await drive(redis, configs[name].proxy, configs[name].servers, mix, SECONDS));
    // The single instance again, paced at the rate each of the two instances served this round:
    // the same work per process as in `two`, so the comparison of CPU per request at equal load.
    const perInstance = Math.max(1, Math.round(runs.two[round]!.reqPerSec / 2));
    runs.onePaced.push(await drive(redis, one, [single], mix, SECONDS, perInstance));
    process.stdout.write(`  ${title} round ${round + 1}/${ROUNDS} done\n`);
  }
  return runs;
}

/** ROUNDS alternating rounds of one instance paced at `rate` and two paced at 2 × `rate`. */
async function ownCoreRounds(redis: Redis, configs: Record<'one' | 'two', { proxy: Proxy; servers: BenchServer[] }>, mix: MixEntry[], rate: number): Promise<Record<'one' | 'two', Run[]>> {
  const runs: Record<'one' | 'two', Run[]> = { one: [], two: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    const order: Array<'one' | 'two'> = round % 2 === 0 ? ['one', 'two'] : ['two', 'one'];
    for (const name of order) runs[name].push(await drive(redis, configs[name].proxy, configs[name].servers, mix, SECONDS, name === 'one' ? rate : 2 * rate));
    process.stdout.write(`  own cores round ${round + 1}/${ROUNDS} done\n`);
  }
  return runs;
}

/**
 * ROUNDS alternating rounds through haproxy + wrk, both configurations paced at `rate` per
 * instance: 8 connections per instance, each waiting after every answer for the time that makes
 * 8 of them send `rate` requests a second (less the ~3 ms an answer takes).
 */
async function leanRounds(redis: Redis, proxy: LeanProxy, configs: Record<'one' | 'two', BenchServer[]>, mix: MixEntry[], rate: number): Promise<Record<'one' | 'two', Run[]>> {
  const perInstance = 8;
  const delay = Math.max(0, (perInstance * 1000) / rate - 3);
  const connections = (name: 'one' | 'two') => (name === 'one' ? perInstance : 2 * perInstance);
  // Warm-up at the same pace: haproxy's connections to the servers open, the servers' JIT settles.
  for (const name of ['one', 'two'] as const) await driveLean(redis, proxy, proxy.urls[name]!, configs[name], mix, connections(name), delay, 5);
  const runs: Record<'one' | 'two', Run[]> = { one: [], two: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    const order: Array<'one' | 'two'> = round % 2 === 0 ? ['one', 'two'] : ['two', 'one'];
    for (const name of order) runs[name].push(await driveLean(redis, proxy, proxy.urls[name]!, configs[name], mix, connections(name), delay, SECONDS));
    process.stdout.write(`  haproxy + wrk round ${round + 1}/${ROUNDS} done\n`);
  }
  return runs;
}

/** The table of a paced pair of configurations (own cores) and its ratios; BENCH lines labelled with `suffix`. */
function printOwnCores(runs: Record<'one' | 'two', Run[]>, rate: number, suffix: string): void {
  const med = (c: 'one' | 'two', f: (r: Run) => number) => median(runs[c].map(f));
  console.log('  configuration        req/s   server CPU ms/req  SQL/req  Redis cmds/req  instrument CPU ms/req');
  for (const c of ['one', 'two'] as const) {
    console.log(`  ${(c === 'one' ? `one at ${rate}/s` : `two at ${2 * rate}/s`).padEnd(16)} ${med(c, (r) => r.reqPerSec).toFixed(1).padStart(9)} ${med(c, (r) => r.cpuPerReq).toFixed(3).padStart(18)} ${med(c, (r) => r.sqlPerReq + r.backgroundSqlPerReq).toFixed(3).padStart(8)} ${med(c, (r) => r.redisPerReq).toFixed(3).padStart(15)} ${med(c, (r) => r.instrumentCpuPerReq).toFixed(3).padStart(22)}`);
  }
  const rps = median(runs.two.map((r, i) => r.reqPerSec / runs.one[i]!.reqPerSec));
  const cpu = median(runs.two.map((r, i) => r.cpuPerReq / runs.one[i]!.cpuPerReq));
  const sqlRatio = median(runs.two.map((r, i) => (r.sqlPerReq + r.backgroundSqlPerReq) / (runs.one[i]!.sqlPerReq + runs.one[i]!.backgroundSqlPerReq)));
  const redisRatio = median(runs.two.map((r, i) => r.redisPerReq / runs.one[i]!.redisPerReq));
  console.log(`  rounds, two ÷ one server CPU per request: ${runs.two.map((r, i) => (r.cpuPerReq / runs.one[i]!.cpuPerReq).toFixed(3)).join(', ')}`);
  console.log(`  two ÷ one, each instance on its own core at the same rate: req/s ${rps.toFixed(3)} (2 when both keep the pace), server CPU per request ${cpu.toFixed(3)} (goal: not above ~1.05), SQL per request ${sqlRatio.toFixed(3)}, Redis per request ${redisRatio.toFixed(3)}`);
  console.log(`BENCH ${JSON.stringify({ bench: 'scale-out', metric: `two ÷ one instances, each on its own core, paced${suffix}, req/s (postgres)`, value: Number(rps.toFixed(3)), unit: '', goal: '~2' })}`);
  console.log(`BENCH ${JSON.stringify({ bench: 'scale-out', metric: `two ÷ one instances, each on its own core, paced${suffix}, server CPU ms per request (postgres)`, value: Number(cpu.toFixed(3)), unit: '', goal: '<= 1.05' })}`);
}

/** The table of medians and the ratios two ÷ one (BENCH lines labelled with `suffix`). */
function printRuns(runs: Record<Config, Run[]>, suffix: string): void {
  const med = (c: Config, f: (r: Run) => number) => median(runs[c].map(f));
  console.log('  configuration        req/s   p50 ms   p99 ms  server CPU ms/req  SQL/req (in requests, outside)  Redis cmds/req  instrument CPU ms/req');
  const label: Record<Config, string> = { one: 'one instance', two: 'two instances', onePaced: 'one, paced at ½' };
  for (const c of ['one', 'two', 'onePaced'] as Config[]) {
    console.log(`  ${label[c].padEnd(16)} ${med(c, (r) => r.reqPerSec).toFixed(1).padStart(9)} ${med(c, (r) => r.p50).toFixed(0).padStart(8)} ${med(c, (r) => r.p99).toFixed(0).padStart(8)} ${med(c, (r) => r.cpuPerReq).toFixed(3).padStart(18)} ${med(c, (r) => r.sqlPerReq).toFixed(3).padStart(14)} ${med(c, (r) => r.backgroundSqlPerReq).toFixed(3).padStart(9)} ${med(c, (r) => r.redisPerReq).toFixed(3).padStart(15)} ${med(c, (r) => r.instrumentCpuPerReq).toFixed(3).padStart(22)}`);
  }
  const rps = median(runs.two.map((r, i) => r.reqPerSec / runs.one[i]!.reqPerSec));
  const cpu = median(runs.two.map((r, i) => r.cpuPerReq / runs.one[i]!.cpuPerReq));
  const paced = median(runs.two.map((r, i) => r.cpuPerReq / runs.onePaced[i]!.cpuPerReq));
  const sqlRatio = median(runs.two.map((r, i) => (r.sqlPerReq + r.backgroundSqlPerReq) / (runs.one[i]!.sqlPerReq + runs.one[i]!.backgroundSqlPerReq)));
  const redisRatio = median(runs.two.map((r, i) => r.redisPerReq / runs.one[i]!.redisPerReq));
  console.log(`  two ÷ one: req/s ${rps.toFixed(3)}, server CPU per request ${cpu.toFixed(3)} (goal: not above ~1.05 — the second instance adds no work per request)`);
  console.log(`  two ÷ one paced at the rate of each of the two (equal load per process): server CPU per request ${paced.toFixed(3)}`);
  console.log(`  two ÷ one: SQL statements per request (in and outside requests) ${sqlRatio.toFixed(3)}, Redis commands per request ${redisRatio.toFixed(3)} (the work each request causes; not bounded by the cores)`);
  console.log(`BENCH ${JSON.stringify({ bench: 'scale-out', metric: `two ÷ one instances${suffix}, req/s (postgres)`, value: Number(rps.toFixed(3)), unit: '' })}`);
  console.log(`BENCH ${JSON.stringify({ bench: 'scale-out', metric: `two ÷ one instances${suffix}, server CPU ms per request (postgres)`, value: Number(cpu.toFixed(3)), unit: '', goal: '<= 1.05' })}`);
  console.log(`BENCH ${JSON.stringify({ bench: 'scale-out', metric: `two ÷ one paced${suffix}, server CPU ms per request (postgres)`, value: Number(paced.toFixed(3)), unit: '', goal: '<= 1.05' })}`);
  console.log(`BENCH ${JSON.stringify({ bench: 'scale-out', metric: `two ÷ one instances${suffix}, SQL statements per request (postgres)`, value: Number(sqlRatio.toFixed(3)), unit: '', goal: '<= 1.05' })}`);
  console.log(`BENCH ${JSON.stringify({ bench: 'scale-out', metric: `two ÷ one instances${suffix}, Redis commands per request (postgres)`, value: Number(redisRatio.toFixed(3)), unit: '', goal: '<= 1.05' })}`);
}

async function bench(kind: 'sqlite' | 'postgres', dist: string): Promise<void> {
  if (kind !== 'postgres') {
    console.log('▶ sqlite: skipped (one SQLite file is one instance)');
    return;
  }
  const { createTestDatabase, postgresReachable } = await import('../tests/support/db');
  if (!(await postgresReachable())) {
    console.log('▶ postgres: not reachable, skipped');
    return;
  }
  console.log('\n▶ postgres, REDIS_URL', REDIS_URL);
  const db = await createTestDatabase('postgres');
  const servers: BenchServer[] = [];
  const proxies: Proxy[] = [];
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const { auth, owned, courses } = await seedBenchCatalogue(db.env, 'postgres', dist, COURSES);
    // Rate limits are shared through Redis in this configuration: the benchmark's traffic from one
    // address must not be throttled, so the recommender's event limit is not on the mix's path and
    // auth limits are off (the servers are started as tests start them).
    const env = { REDIS_URL, CACHE_REDIS_PREFIX: `kp:bench:${process.pid}:` };
    for (const name of ['a', 'b', 'c']) servers.push(await startServer(__filename, name, dist, db.env, env));
    const url = (s: BenchServer) => `http://127.0.0.1:${s.port}`;
    const one = await roundRobin([url(servers[0]!)]);
    const two = await roundRobin([url(servers[1]!), url(servers[2]!)]);
    proxies.push(one, two);
    const configs: Record<'one' | 'two', { proxy: Proxy; servers: BenchServer[] }> = {
      one: { proxy: one, servers: [servers[0]!] },
      two: { proxy: two, servers: [servers[1]!, servers[2]!] },
    };
    const learner = { authorization: auth };
    const mix: MixEntry[] = [
      { method: 'GET', path: '/api/courses?pagination[pageSize]=25' },
      { method: 'GET', path: `/api/courses/${courses[1]}?populate=chapters` },
      { method: 'GET', path: `/api/courses/${owned}?populate=chapters`, headers: learner },
      { method: 'GET', path: '/api/recommendations', headers: learner },
      { method: 'GET', path: '/api/categories' },
    ];
    // Checks through each proxy: every entry of the mix answers 200, the learner reads the gated text.
    for (const [name, c] of Object.entries(configs)) {
      for (const m of mix) {
        const res = await fetch(`${c.proxy.url}${m.path}`, { headers: m.headers ?? {} });
        const text = await res.text();
        if (res.status !== 200) throw new Error(`${name}: ${m.path} answered ${res.status}: ${text.slice(0, 200)}`);
        if (m.path.includes(owned) && /"locked":true/.test(text)) throw new Error(`${name}: the owner got a locked chapter`);
      }
    }
    for (const c of Object.values(configs)) await drive(redis, c.proxy, c.servers, mix, 2);
    // What an instance spends with no request at all (its workers and timers): CPU over 5 s idle.
    const idleBefore = servers.map((s) => cpuMs(s.child.pid!));
    await new Promise((r) => setTimeout(r, 5000));
    const idle = servers.map((s, i) => (cpuMs(s.child.pid!) - idleBefore[i]!) / 5);
    console.log(`  idle CPU per instance: ${idle.map((x) => `${x.toFixed(1)} ms/s`).join(', ')}`);
    console.log(`\n  postgres + Redis: ${COURSES} courses, mix of ${mix.length} reads (3 anonymous cached, 2 with the learner's JWT), ${ROUNDS} alternating rounds × ${SECONDS} s, medians`);
    if (PARTS.has('unpinned')) {
      const report = await rounds(redis, configs, one, servers[0]!, mix, 'unpinned');
      console.log(`\n  unpinned, http-proxy + autocannon (${CONNECTIONS} connections) in this process`);
      printRuns(report, '');
    }
    const pin = pinning();
    if (!pin) {
      console.log('  pinned, own-core and haproxy + wrk rounds skipped (BENCH_PIN=0, fewer than 2 CPUs or no taskset)');
      return;
    }
    let rate = OWN_RATE;
    try {
      if (PARTS.has('pinned')) {
        // The same rounds with every server on CPU 0 and this process (proxy, autocannon) on CPU 1:
        // one and two instances then have the same CPU budget and never compete with the load
        // generator, so CPU per request compares the work of the two configurations alone.
        for (const s of servers) pin(s.child.pid!, '0');
        pin(process.pid, '1');
        const pinned = await rounds(redis, configs, one, servers[0]!, mix, 'pinned');
        console.log(`\n  the same, servers pinned to CPU 0 and the proxy + autocannon to CPU 1 (taskset): one and two instances share one core`);
        printRuns(pinned, ' pinned');
        rate ||= Math.max(20, Math.round(median(pinned.one.map((r) => r.reqPerSec)) * 0.4));
      }
      rate ||= 100;
      // Then each instance on a core of its own — what instances on machines of their own look
      // like from here: the single instance on CPU 0, the two on CPU 0 and CPU 1, the instrument
      // free to run on either. Both configurations are paced below saturation at the same rate
      // per instance (the single instance at r, the two at 2r), so neither core is full and
      // CPU per request compares one process against two doing the same work side by side.
      pin(servers[0]!.child.pid!, '0');
      pin(servers[1]!.child.pid!, '0');
      pin(servers[2]!.child.pid!, '1');
      pin(process.pid, '0-1');
      if (PARTS.has('own')) {
        const own = await ownCoreRounds(redis, configs, mix, rate);
        console.log(`\n  each instance on a core of its own (the single one on CPU 0, the two on CPU 0 and CPU 1, the proxy + autocannon on either), paced at ${rate} req/s per instance`);
        printOwnCores(own, rate, '');
      }
      if (PARTS.has('lean')) {
        // The same placement and pace with an instrument that costs the servers' cores little:
        // haproxy and wrk (C, one thread each) in place of http-proxy and autocannon (Node).
        const missing = leanTools();
        if (missing) {
          console.log(`\n  haproxy + wrk rounds skipped: ${missing}`);
        } else {
          const lean = await startHaproxy({ one: [servers[0]!.port], two: [servers[1]!.port, servers[2]!.port] });
          try {
            const own = await leanRounds(redis, lean, { one: [servers[0]!], two: [servers[1]!, servers[2]!] }, mix, rate);
            console.log(`\n  each instance on a core of its own as above, through haproxy + wrk (keep-alive to the servers; 8 paced connections per instance), ${rate} req/s per instance asked`);
            printOwnCores(own, rate, ', haproxy + wrk');
          } finally {
            await lean.close();
          }
        }
      }
    } finally {
      for (const s of servers) pin(s.child.pid!, '0-1');
      pin(process.pid, '0-1');
    }
  } finally {
    redis.disconnect();
    for (const p of proxies) await p.close();
    await stopServers(servers);
    await db.drop();
  }
}

runBench('scale-out', path.join('plugins', 'cache', 'server', 'src', 'index.js'), bench);
