/**
 * `npm run bench:behaviour`: the behaviour models at 100k learners / 1M interactions — features and
 * training wall time and peak memory (goal ≤ 30 s, ≤ 500 MB), then p50/p95 of the admin at-risk list
 * over HTTP (goal p95 ≤ 200 ms), first request (scores computed) apart. Prints figures, asserts nothing.
 *
 * One process: the app booted in-process on a fresh database (tests/support), the rows seeded in
 * bulk with knex (learners, interactions over the last 120 days, progress rows, paid orders), then
 * in a fresh child process (so that the seeding's memory is not counted): the app booted again on
 * the seeded database, `behaviour-models.train(now)` timed — the training runs in its own forked
 * process (behaviour-run.ts): that process's peak RSS (`maxRSS`) and Strapi's peak RSS meanwhile
 * (`VmHWM`; the RSS after boot printed beside it) — then the same training in Strapi's process for
 * comparison (sampled RSS), then the at-risk requests.
 *
 * Flags and environment: --scale=0.1 (or BENCH_SCALE) multiplies the row counts; BENCH_DB=
 * sqlite|postgres (default sqlite); BENCH_REQUESTS (default 30); BENCH_DIST_DIR (skip the compile).
 */
import { bulkInsert } from './lib/bulk-insert';
import { mulberry32 } from '../src/platform/random';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { compileApp, num } from './lib/bench-harness';

const scaleArg = process.argv.find((a) => a.startsWith('--scale='));
const SCALE = scaleArg ? Number(scaleArg.slice('--scale='.length)) : num('BENCH_SCALE', 1);
const LEARNERS = Math.round(100_000 * SCALE);
const EVENTS = Math.round(1_000_000 * SCALE);
const REQUESTS = num('BENCH_REQUESTS', 30);
const DAY = 86_400_000;
const COURSES = 20;

const bench = (metric: string, value: number, unit: string, goal = '') =>
  console.log(`BENCH ${JSON.stringify({ bench: 'behaviour', metric, value: Number(value.toFixed(1)), unit, goal })}`);


const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] as number;
};

async function main(): Promise<void> {
  const kind = process.env.BENCH_DB === 'postgres' ? 'postgres' : 'sqlite';
  const dist = process.env.BENCH_DIST_DIR ?? compileApp('behaviour', 'plugins/analytics/server/src/services/behaviour-models.js');
  process.env.TEST_DIST_DIR = dist;
  process.env.STRAPI_DIST_DIR = dist;
  process.env.ANALYTICS_BEHAVIOUR_CRON = '';
  const { createTestDatabase } = await import('../tests/support/db');
  const { bootApp } = await import('../tests/support/strapi');
  const { USER_UID, PROGRESS_UID } = await import('../src/platform');
  const db = await createTestDatabase(kind);
  const app = await bootApp({ database: { ...db, drop: async () => undefined } });
  try {
    const { strapi } = app;
    const random = mulberry32(19);
    const now = Date.now();
    const at = (d: number) => new Date(now - d * DAY);
    console.log(`▶ ${kind}: ${LEARNERS} learners, ${EVENTS} interactions (scale ${SCALE})`);
    const seedStart = Date.now();
    await (async () => {
    const insert = (uid: string, rows: Array<Record<string, unknown>>, link?: { relation: string; targets: number[] }) => bulkInsert(strapi, uid, rows, link);
    const role = (await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } })) as { id: number };
    const users = await insert(
      USER_UID,
      Array.from({ length: LEARNERS }, (_, i) => ({ documentId: `bu${i.toString(36).padStart(22, '0')}`, username: `bench-${i}`, email: `bench-${i}@example.test`, provider: 'local', confirmed: true, blocked: false, password: 'x', createdAt: at(200), updatedAt: at(200) })),
      { relation: 'role', targets: new Array(LEARNERS).fill(role.id) },
    );
    // Each learner: a last-seen day 0–120 days ago and interactions spread back from it.
    const last = users.map(() => Math.floor(random() * 120));
    const owner: number[] = [];
    const events: Array<Record<string, unknown>> = [];
    const kinds = ['view', 'view', 'view', 'like', 'progress', 'progress', 'complete', 'purchase'];
    for (let e = 0; e < EVENTS; e++) {
      const u = e % users.length;
      owner.push(users[u] as number);
      events.push({ courseDocumentId: `course-${Math.floor(random() * COURSES)}`, kind: kinds[Math.floor(random() * kinds.length)], weight: 1, at: at((last[u] as number) + random() * 60) });
    }
    await insert('plugin::recommender.interaction', events, { relation: 'user', targets: owner });
    const progress: Array<Record<string, unknown>> = [];
    const progressOwner: number[] = [];
    for (let u = 0; u < users.length; u++) {
      const chapters = 1 + Math.floor(random() * 3);
      for (let c = 0; c < chapters; c++) {
        const created = at((last[u] as number) + 5 + random() * 30);
        progress.push({ courseDocumentId: `course-${u % COURSES}`, chapterDocumentId: `ch-${u % COURSES}-${c}`, uniqueKey: `b-${u}-${c}`, createdAt: created, updatedAt: created, completedAt: random() < 0.5 ? created : null });
        progressOwner.push(users[u] as number);
      }
    }
    await insert(PROGRESS_UID, progress, { relation: 'user', targets: progressOwner });
    const orders: Array<Record<string, unknown>> = [];
    const orderOwner: number[] = [];
    for (let i = 0; i < Math.round(LEARNERS / 5); i++) {
      const created = at(random() * 120);
      const paid = random() < 0.7;
      orders.push({ state: paid ? 'paid' : random() < 0.5 ? 'expired' : 'pending', kind: 'course', courseDocumentId: `course-${i % COURSES}`, amount: 4900, currency: 'usd', paidAt: paid ? created : null, createdAt: created, updatedAt: created });
      orderOwner.push(users[Math.floor(random() * users.length)] as number);
    }
    await insert('plugin::checkout.order', orders, { relation: 'user', targets: orderOwner });
    })(); // the seed arrays go out of scope before the memory is measured
    console.log(`  seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    await app.close();
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_BEHAVIOUR_CHILD: JSON.stringify(db.env), BENCH_DIST_DIR: dist, BENCH_KIND: kind },
    });
    if (child.status !== 0) console.log(`  the measuring child failed (exit ${child.status})`);
  } finally {
    await db.drop();
  }
  process.exit(0);
}

const hwm = () => Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;

/** Child: boot on the seeded database, train, measure, request. */
async function measureChild(dbEnv: Record<string, string>): Promise<void> {
  const kind = process.env.BENCH_KIND ?? 'sqlite';
  process.env.TEST_DIST_DIR = process.env.BENCH_DIST_DIR;
  process.env.STRAPI_DIST_DIR = process.env.BENCH_DIST_DIR;
  process.env.ANALYTICS_BEHAVIOUR_CRON = '';
  const { bootApp } = await import('../tests/support/strapi');
  const { createAdmin } = await import('../tests/support/builders');
  const app = await bootApp({ database: { kind: kind === 'postgres' ? 'postgres' : 'sqlite', env: dbEnv, drop: async () => undefined } });
  try {
    const { strapi } = app;
    if (global.gc) global.gc();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const models = strapi.plugin('analytics').service('behaviour-models') as { train(now: Date): Promise<void>; timings: Record<string, number>; childPeakRss: number | null; status(): Promise<{ models: { churn: unknown; propensity: unknown } }> };
    const t0 = performance.now();
    await models.train(new Date());
    const trainMs = performance.now() - t0;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    // VmHWM counts since the process started (the boot included): printed apart from the sampled peak.
    const sinceStart = hwm();
    const childPeak = models.childPeakRss ?? 0;
    console.log(`  features + training in a child process (both models, segments): ${(trainMs / 1000).toFixed(1)} s; training child's peak RSS ${(childPeak / 2 ** 20).toFixed(0)} MB; Strapi's sampled peak RSS meanwhile ${(peak / 2 ** 20).toFixed(0)} MB (before: ${(baseline / 2 ** 20).toFixed(0)} MB, +${((peak - baseline) / 2 ** 20).toFixed(0)} MB; VmHWM since start, boot included: ${(sinceStart / 2 ** 20).toFixed(0)} MB)`);
    console.log(`  steps (ms): ${JSON.stringify(models.timings)}`);
    bench(`features + training wall time (${kind})`, trainMs / 1000, 's', '<= 30');
    bench(`training child peak RSS (${kind})`, childPeak / 2 ** 20, 'MB', '<= 500');
    bench(`Strapi peak RSS during training in a child (${kind})`, peak / 2 ** 20, 'MB');
    bench(`RSS added to Strapi by training in a child (${kind})`, (peak - baseline) / 2 ** 20, 'MB');
    // The same training in Strapi's process, for comparison (VmHWM cannot go down: sampled RSS).
    strapi.config.set('plugin::analytics.behaviourTrainInChild', false);
    if (global.gc) global.gc();
    const before2 = process.memoryUsage().rss;
    let peak2 = before2;
    const sampler2 = setInterval(() => (peak2 = Math.max(peak2, process.memoryUsage().rss)), 20);
    const t1 = performance.now();
    await models.train(new Date());
    const inProcessMs = performance.now() - t1;
    clearInterval(sampler2);
    peak2 = Math.max(peak2, process.memoryUsage().rss);
    strapi.config.set('plugin::analytics.behaviourTrainInChild', true);
    console.log(`  the same in Strapi's process: ${(inProcessMs / 1000).toFixed(1)} s; sampled peak RSS ${(peak2 / 2 ** 20).toFixed(0)} MB (before: ${(before2 / 2 ** 20).toFixed(0)} MB, +${((peak2 - before2) / 2 ** 20).toFixed(0)} MB)`);
    bench(`in-process training wall time (${kind})`, inProcessMs / 1000, 's');
    bench(`Strapi peak RSS, training in process (${kind})`, peak2 / 2 ** 20, 'MB');
    const status = (await models.status()) as { models: { churn: { metrics: unknown } | null; propensity: { metrics: unknown } | null } };
    console.log(`  churn: ${JSON.stringify(status.models.churn?.metrics)}`);
    console.log(`  propensity: ${JSON.stringify(status.models.propensity?.metrics)}`);

    const admin = await createAdmin(app);
    const get = async () => {
      const s = performance.now();
      const res = await app.http().get('/analytics/behaviour/at-risk').query({ limit: '100' }).set('Authorization', admin.auth);
      if (res.status !== 200) throw new Error(`at-risk ${res.status}`);
      return performance.now() - s;
    };
    const first = await get();
    const times: number[] = [];
    for (let i = 0; i < 3; i++) await get();
    for (let i = 0; i < REQUESTS; i++) times.push(await get());
    console.log(`  at-risk (100 learners): first ${first.toFixed(0)} ms (scores computed), then p50 ${percentile(times, 0.5).toFixed(0)} / p95 ${percentile(times, 0.95).toFixed(0)} ms over ${REQUESTS}`);
    bench(`at-risk first request (${kind})`, first, 'ms');
    bench(`at-risk p95 (${kind})`, percentile(times, 0.95), 'ms', '<= 200');
  } finally {
    await app.close();
  }
  process.exit(0);
}

(process.env.BENCH_BEHAVIOUR_CHILD ? measureChild(JSON.parse(process.env.BENCH_BEHAVIOUR_CHILD) as Record<string, string>) : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
