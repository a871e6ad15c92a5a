/**
 * `npm run bench:query-budget`: the slowest request the content API's query budget still allows,
 * beside the same request with no budget, and what the budget refuses.
 *
 * For each database (SQLite, then PostgreSQL when reachable): seed the demo catalogue (the one
 * `npm run demo` serves) into a database of its own, then boot the app twice on it in two child
 * processes — with the budget, and without it by the measurement-only switch
 * QUERY_BUDGET_MEASUREMENT_ONLY_OFF (which the app refuses when NODE_ENV=production).
 *
 * 1. Search: every populate chain of up to QUERY_MAX_POPULATE_DEPTH catalogue relations from
 *    every catalogue type, at the default page (25) and the largest (100), sent once to each
 *    server; the budgeted one answers 200 (allowed) or 400 (refused by QUERY_MAX_ENTITIES).
 * 2. The BENCH_TOP slowest and BENCH_TOP largest allowed, timed again BENCH_ROUNDS times on both
 *    servers (alternating which goes first; wall time and the server's CPU time): the slowest by
 *    median is "the slowest request the budget allows". The costliest refused one is shown as it
 *    ran unbudgeted.
 * 3. The issue's reproduction (tags → courses → chapters → course → tags → courses), on both.
 * 4. The longest `/_health` waited while each of those heavy requests was in flight.
 *
 * Environment: BENCH_DB=sqlite|postgres|both (default both), BENCH_COURSES (the whole demo
 * catalogue), BENCH_ROUNDS (7), BENCH_TOP (5), BENCH_DIST_DIR (skip the compile).
 */
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { checkQueryShape } from '../src/lib/query-shape';
import * as budget from '../src/lib/query-budget';
import { cpuMs as cpuOf, median, num, runBench, startServer as startChild, stopServers, type BenchServer } from './lib/bench-harness';
import { createRelationStats, relationInfo, relationNames } from '../src/lib/relation-stats';

const ROUNDS = num('BENCH_ROUNDS', 7);
const TOP = num('BENCH_TOP', 5);
const ATTACK = '/api/tags?populate[courses][populate][chapters][populate][course][populate][tags][populate]=courses';

type Mode = 'budget' | 'off';

/** Catalogue relations (what a client would chain), per type route. */
const GRAPH: Record<string, { uid: string; relations: Record<string, string> }> = {
  courses: { uid: 'course', relations: { tags: 'tags', category: 'categories', instructor: 'instructors', chapters: 'chapters', plans: 'plans' } },
  chapters: { uid: 'chapter', relations: { course: 'courses' } },
  tags: { uid: 'tag', relations: { courses: 'courses' } },
  categories: { uid: 'category', relations: { courses: 'courses' } },
  instructors: { uid: 'instructor', relations: { courses: 'courses' } },
  plans: { uid: 'plan', relations: { courses: 'courses' } },
};

/** Every chain of 1..depth relations from each type, as `/api/<type>?populate=a.b.c&pagination[pageSize]=n`. */
function candidates(depth: number): string[] {
  const out: string[] = [];
  const walk = (root: string, at: string, chain: string[]) => {
    if (chain.length > 0) for (const size of [25, 100]) out.push(`/api/${root}?populate=${chain.join('.')}&pagination[pageSize]=${size}`);
    if (chain.length === depth) return;
    for (const [rel, next] of Object.entries(GRAPH[at]!.relations)) {
      if (chain.length > 0 && next === chain[chain.length - 1]) continue; // a → b → a: the same rows back
      walk(root, next, [...chain, rel]);
    }
  };
  for (const root of Object.keys(GRAPH)) walk(root, root, []);
  return out;
}

type Server = BenchServer<Mode>;

function startServer(mode: Mode, dist: string, dbEnv: Record<string, string>): Promise<Server> {
  return startChild(__filename, mode, dist, dbEnv, { QUERY_BUDGET_MEASUREMENT_ONLY_OFF: mode === 'off' ? 'true' : 'false' }, ['--max-old-space-size=4096']);
}

interface Timed {
  status: number;
  ms: number;
  /** Server CPU (user + system) spent while the request ran. */
  cpuMs: number;
  bytes: number;
}

async function timed(server: Server, url: string): Promise<Timed> {
  const cpu = cpuOf(server.child.pid!);
  const started = process.hrtime.bigint();
  const res = await fetch(`http://127.0.0.1:${server.port}${url}`);
  const body = Buffer.from(await res.arrayBuffer());
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { status: res.status, ms, cpuMs: cpuOf(server.child.pid!) - cpu, bytes: body.length };
}

/**
 * The longest `/_health` waited while `url` was in flight: a probe every 25 ms from the moment
 * the heavy request is sent until it has answered (what a load balancer's check would see).
 */
async function healthDuring(server: Server, url: string): Promise<{ healthMs: number; heavy: Timed }> {
  let done = false;
  const heavy = timed(server, url).finally(() => {
    done = true;
  });
  const probes: number[] = [];
  while (!done) {
    probes.push((await timed(server, '/_health')).ms);
    await new Promise((r) => setTimeout(r, 25));
  }
  return { healthMs: probes.reduce((m, p) => Math.max(m, p), 0), heavy: await heavy };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const bench = (metric: string, value: number, unit: string, goal = '') => console.log(`BENCH ${JSON.stringify({ bench: 'query-budget', metric, value: Number(value.toFixed(value < 10 ? 2 : 0)), unit, goal })}`);

async function seed(dbEnv: Record<string, string>, kind: 'sqlite' | 'postgres', dist: string): Promise<void> {
  process.env.TEST_DIST_DIR = dist;
  process.env.STRAPI_DIST_DIR = dist;
  const { bootApp } = await import('../tests/support/strapi');
  const { buildDemoCatalogue } = await import('./lib/demo-catalogue');
  const { seedCatalogue } = await import('./lib/seed-writer');
  const app = await bootApp({ database: { kind, env: dbEnv, drop: async () => undefined } });
  try {
    const started = Date.now();
    const catalogue = buildDemoCatalogue({ courses: process.env.BENCH_COURSES ? Number(process.env.BENCH_COURSES) : undefined });
    const report = await seedCatalogue(app.strapi, catalogue);
    console.log(`  seeded the demo catalogue: ${JSON.stringify(report.created)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    checksCost(app.strapi, kind);
    await statisticsCost(app.strapi, kind);
  } finally {
    await app.strapi.destroy();
  }
}

/** CPU of the pure checks alone (shape, depth, joins, entry bound with cached fan-outs), per query. */
function checksCost(strapi: Core.Strapi, kind: string): void {
  const getModel = (uid: string) => strapi.getModel(uid as never) as never;
  const relationOf = (uid: string, a: string) => relationInfo(strapi, uid, a);
  const fanout = budget.fanoutFromHistogram([[15, 10], [10, 50]]);
  const queries: Array<[string, string, Record<string, unknown>]> = [
    ['storefront catalogue page', 'api::course.course', {
      locale: 'en', fields: ['title', 'slug', 'summary', 'level', 'access', 'price', 'currency', 'publishedAt'],
      populate: { cover: { fields: ['url'] }, category: { fields: ['name', 'slug'] }, tags: { fields: ['name', 'slug'] }, instructor: { fields: ['name', 'slug'] } },
      filters: { $and: [{ $or: [{ title: { $containsi: 'py' } }, { summary: { $containsi: 'py' } }] }, { category: { slug: { $eq: 'programming' } } }, { level: { $eq: 'beginner' } }] },
      sort: 'title:asc', pagination: { page: '1', pageSize: '12' },
    }],
    ['three populate levels', 'api::instructor.instructor', { populate: 'courses.chapters.course', pagination: { pageSize: '25' } }],
  ];
  for (const [label, uid, query] of queries) {
    const model = getModel(uid);
    const n = 20000;
    const started = process.cpuUsage();
    for (let i = 0; i < n; i += 1) {
      checkQueryShape(query, model, getModel);
      budget.populateDepth(query.populate);
      budget.maxQueryRelations(query, uid, relationOf);
      budget.estimateEntities(25, budget.populateTree(query.populate, uid, relationOf, (u) => relationNames(strapi, u)), () => fanout, 2500);
    }
    const used = process.cpuUsage(started);
    const us = (used.user + used.system) / n;
    console.log(`  the checks alone, ${label}: ${us.toFixed(1)} µs of CPU per query`);
    bench(`checks alone, CPU per query (${kind}): ${label}`, us, 'µs');
  }
}

/** One uncached fan-out read per catalogue relation: what the budget pays once per relation and write. */
async function statisticsCost(strapi: Core.Strapi, kind: string): Promise<void> {
  // The recommender re-indexes after the seed's publications; on SQLite's one connection a read
  // would wait behind it.
  await new Promise((r) => setTimeout(r, 5000));
  const stats = createRelationStats(strapi, { ttlMs: 0 });
  const ms: number[] = [];
  for (const { uid, relations } of Object.values(GRAPH)) {
    for (const rel of Object.keys(relations)) {
      const once: number[] = [];
      for (let i = 0; i < 7; i += 1) {
        const started = process.hrtime.bigint();
        await stats.fanout(`api::${uid}.${uid}`, rel);
        once.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      ms.push(median(once));
    }
  }
  ms.sort((a, b) => a - b);
  console.log(`  fan-out statistics, one uncached read per relation (${ms.length} catalogue relations): ${ms[0]!.toFixed(2)}–${ms[ms.length - 1]!.toFixed(2)} ms, median ${median(ms).toFixed(2)} ms`);
  bench(`fan-out statistics read, slowest catalogue relation, uncached (${kind})`, ms[ms.length - 1]!, 'ms');
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
    await seed(db.env, kind, dist);
    servers.push(await startServer('budget', dist, db.env));
    servers.push(await startServer('off', dist, db.env));
    const [on, off] = servers as [Server, Server];

    // The switch does what it says before any figure is trusted.
    const probeOn = await timed(on, ATTACK);
    if (probeOn.status !== 400) throw new Error(`budgeted server answered the attack ${probeOn.status}`);
    for (const s of servers) await timed(s, '/api/courses?populate=chapters'); // warm-up

    // 1. Search, on both servers alike (so that neither carries more heap or JIT history).
    const allowed: Array<{ url: string; first: Timed }> = [];
    const refused: Array<{ url: string; off: Timed }> = [];
    const list = candidates(3);
    for (const url of list) {
      const r = await timed(on, url);
      const o = await timed(off, url);
      if (o.status !== 200) throw new Error(`${url} without the budget: ${o.status}`);
      if (r.status === 200) allowed.push({ url, first: r });
      else if (r.status === 400) refused.push({ url, off: o });
      else throw new Error(`${url}: ${r.status}`);
    }
    console.log(`  search: ${list.length} populate chains of 1–3 levels × pages of 25 and 100: ${allowed.length} allowed, ${refused.length} refused by QUERY_MAX_ENTITIES`);

    // 2. The slowest allowed, timed on both servers.
    // One timing is noisy on a shared machine: the candidates are the slowest and the largest.
    const top = [...new Set([...[...allowed].sort((a, b) => b.first.ms - a.first.ms).slice(0, TOP), ...[...allowed].sort((a, b) => b.first.bytes - a.first.bytes).slice(0, TOP)])];
    const rows: Array<{ url: string; on: number; off: number; onCpu: number; offCpu: number; bytes: number }> = [];
    for (const { url } of top) {
      const times: Record<Mode, Timed[]> = { budget: [], off: [] };
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const s of round % 2 === 0 ? [on, off] : [off, on]) times[s.mode].push(await timed(s, url));
      }
      const med = (m: Mode) => median(times[m].map((t) => t.ms));
      // CPU is read in 10 ms ticks: the mean over all rounds, not a median of single readings.
      const cpu = (m: Mode) => times[m].reduce((sum, t) => sum + t.cpuMs, 0) / times[m].length;
      rows.push({ url, on: med('budget'), off: med('off'), onCpu: cpu('budget'), offCpu: cpu('off'), bytes: times.budget[0]!.bytes });
    }
    rows.sort((a, b) => b.on - a.on);
    console.log(`\n  ${kind}: the ${rows.length} slowest or largest allowed requests, ${ROUNDS} alternating rounds (median wall ms / mean server CPU ms)`);
    console.log('     budget        off   bytes      request');
    for (const r of rows) console.log(`  ${`${r.on.toFixed(0)}/${r.onCpu.toFixed(0)}`.padStart(9)} ${`${r.off.toFixed(0)}/${r.offCpu.toFixed(0)}`.padStart(10)}   ${mb(r.bytes).padEnd(10)} ${r.url}`);
    const slowest = rows[0]!;
    const worstRefused = [...refused].sort((a, b) => b.off.ms - a.off.ms)[0];
    if (worstRefused) {
      console.log(`  the costliest request refused (QUERY_MAX_ENTITIES), as it ran without the budget: ${worstRefused.off.ms.toFixed(0)} ms (server CPU ${worstRefused.off.cpuMs.toFixed(0)} ms), ${mb(worstRefused.off.bytes)}  ${worstRefused.url}`);
    }

    // 3. The issue's reproduction, on both.
    const attackOff: number[] = [];
    const attackCpu: number[] = [];
    let attackBytes = 0;
    for (let i = 0; i < Math.max(1, Math.floor(ROUNDS / 2)); i += 1) {
      const r = await timed(off, ATTACK);
      attackOff.push(r.ms);
      attackCpu.push(r.cpuMs);
      attackBytes = r.bytes;
    }
    const attackOn = median(await sequence(3, async () => (await timed(on, ATTACK)).ms));
    console.log(`\n  the issue's reproduction ${ATTACK}`);
    console.log(`    without the budget: ${median(attackOff).toFixed(0)} ms (server CPU ${median(attackCpu).toFixed(0)} ms), ${mb(attackBytes)}; with it: 400 in ${attackOn.toFixed(0)} ms`);

    // 4. /_health behind each.
    const healthSlowest = median(await sequence(ROUNDS, async () => (await healthDuring(on, slowest.url)).healthMs));
    const healthAttack = median(await sequence(Math.max(1, Math.floor(ROUNDS / 2)), async () => (await healthDuring(off, ATTACK)).healthMs));
    const healthIdle = median(await sequence(ROUNDS, async () => (await timed(on, '/_health')).ms));
    console.log(`  /_health: idle ${healthIdle.toFixed(1)} ms; longest wait during the slowest allowed request ${healthSlowest.toFixed(0)} ms; during the reproduction without the budget ${healthAttack.toFixed(0)} ms (medians of runs)`);

    bench(`slowest allowed request, budget on (${kind}): ${slowest.url}`, slowest.on, 'ms');
    bench(`same request, budget off (${kind})`, slowest.off, 'ms');
    // One request's CPU ratio is noise on a shared machine; the median over all of them is not.
    const cpuRatio = median(rows.map((r) => r.onCpu / r.offCpu));
    console.log(`  server CPU per request, budget on ÷ off, median over these ${rows.length} requests: ${cpuRatio.toFixed(3)}`);
    bench(`server CPU budget on/off, median over the ${rows.length} heaviest allowed (${kind})`, cpuRatio, '', '~1');
    bench(`slowest allowed request, server CPU (${kind})`, slowest.onCpu, 'ms');
    bench(`slowest allowed request size (${kind})`, slowest.bytes / 1e6, 'MB');
    if (worstRefused) {
      bench(`costliest refused by QUERY_MAX_ENTITIES, without budget (${kind}): ${worstRefused.url}`, worstRefused.off.ms, 'ms');
      bench(`costliest refused, server CPU without budget (${kind})`, worstRefused.off.cpuMs, 'ms');
      bench(`costliest refused, size without budget (${kind})`, worstRefused.off.bytes / 1e6, 'MB');
    }
    bench(`issue reproduction without budget (${kind})`, median(attackOff), 'ms');
    bench(`issue reproduction without budget, server CPU (${kind})`, median(attackCpu), 'ms');
    bench(`issue reproduction without budget, size (${kind})`, attackBytes / 1e6, 'MB');
    bench(`issue reproduction with budget: 400 in (${kind})`, attackOn, 'ms');
    bench(`/_health idle (${kind})`, healthIdle, 'ms');
    bench(`/_health longest wait during slowest allowed (${kind})`, healthSlowest, 'ms');
    bench(`/_health longest wait during reproduction, no budget (${kind})`, healthAttack, 'ms');
  } finally {
    await stopServers(servers);
    await db.drop();
  }
}

async function sequence<T>(n: number, fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += 1) out.push(await fn());
  return out;
}

runBench('query', path.join('src', 'lib', 'query-guard.js'), benchDatabase, () => {
  if (process.env.NODE_ENV === 'production') throw new Error('bench:query-budget boots a server without the budget: not with NODE_ENV=production.');
});
