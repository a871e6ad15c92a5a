/**
 * `npm run bench:webhooks`: how many Stripe webhook deliveries per second the checkout plugin
 * applies, and that it applies each exactly once.
 *
 * For each database (SQLite, then PostgreSQL when reachable): boot the app in this process on a
 * fresh database with Stripe pointed at the loopback fake, create N pending orders (distinct
 * learner × course pairs), then post, concurrently over loopback HTTP from a worker thread (so
 * the client does not share the server's thread):
 *   1. fresh: N signed `checkout.session.completed` events, one per order;
 *   2. duplicates: the same N events again (Stripe's redeliveries).
 * Prints events/s and latency for both phases, then asserts that effects equal distinct events:
 * N stored event ids, N paid orders, N purchase entitlements, and every response a 200.
 *
 * Environment: BENCH_DB=sqlite|postgres|both (default both), BENCH_EVENTS (1000),
 * BENCH_CONCURRENCY (32), BENCH_DIST_DIR (skip the compile and boot that build instead).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

const ROOT = path.resolve(__dirname, '..');
const num = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const EVENTS = num('BENCH_EVENTS', 1000);
const CONCURRENCY = num('BENCH_CONCURRENCY', 32);
const USERS = 20;

interface Delivery {
  body: string;
  header: string;
}

interface PhaseResult {
  seconds: number;
  perSecond: number;
  statuses: Record<string, number>;
  applied: number;
  duplicates: number;
  p50: number;
  p99: number;
}

function compile(): string {
  if (process.env.BENCH_DIST_DIR) return path.resolve(process.env.BENCH_DIST_DIR);
  // Inside the repository (.tmp is git-ignored) so that compiled code resolves node_modules.
  const out = path.join(ROOT, '.tmp', 'bench-webhooks-dist');
  console.log(`▶ compiling the app into ${path.relative(ROOT, out)}`);
  // Errors in files under construction elsewhere must not stop a measurement of this plugin.
  spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json', '--outDir', out, '--noEmitOnError', 'false', '--incremental', 'false'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  if (!fs.existsSync(path.join(out, 'plugins', 'checkout', 'server', 'src', 'index.js'))) throw new Error('compile produced no checkout plugin');
  return out;
}

/** The load generator, run in a worker thread: posts every delivery with `concurrency` in flight. */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, deliveries, concurrency } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
function post(d) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, path: '/api/checkout/webhook', method: 'POST', agent,
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': d.header, 'content-length': Buffer.byteLength(d.body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        let duplicate = null;
        try { duplicate = JSON.parse(Buffer.concat(chunks).toString()).duplicate; } catch {}
        resolve({ status: res.statusCode, duplicate, ms: Number(process.hrtime.bigint() - started) / 1e6 });
      });
    });
    req.on('error', (e) => resolve({ status: 'error:' + e.code, duplicate: null, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    req.end(d.body);
  });
}
(async () => {
  const results = new Array(deliveries.length);
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < deliveries.length) { const i = next++; results[i] = await post(deliveries[i]); }
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  parentPort.postMessage({ seconds, results });
})();
`;

function runClient(port: number, deliveries: Delivery[]): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CLIENT, { eval: true, workerData: { port, deliveries, concurrency: CONCURRENCY } });
    worker.once('error', reject);
    worker.once('message', (msg: { seconds: number; results: Array<{ status: number | string; duplicate: boolean | null; ms: number }> }) => {
      const statuses: Record<string, number> = {};
      for (const r of msg.results) statuses[String(r.status)] = (statuses[String(r.status)] ?? 0) + 1;
      const ms = msg.results.map((r) => r.ms).sort((a, b) => a - b);
      const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))] ?? 0;
      void worker.terminate();
      resolve({
        seconds: msg.seconds,
        perSecond: deliveries.length / msg.seconds,
        statuses,
        applied: msg.results.filter((r) => r.duplicate === false).length,
        duplicates: msg.results.filter((r) => r.duplicate === true).length,
        p50: pct(50),
        p99: pct(99),
      });
    });
  });
}

/** One delivery from this thread (BENCH_TRACE only: its event is then a duplicate in the fresh phase). */
function runClientOnce(port: number, d: Delivery): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/api/checkout/webhook', method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': d.header } }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end(d.body);
  });
}

async function benchOne(kind: 'sqlite' | 'postgres'): Promise<boolean> {
  const { bootApp } = await import('../tests/support/strapi');
  const { createCourse, createUser } = await import('../tests/support/builders');
  const { startFakeStripe } = await import('../tests/support/fake-stripe');
  const { stripeEvent, signatureHeader } = await import('../tests/support/checkout-events');
  const { stripeEnv, newWebhookSecret, ORDER_UID, WEBHOOK_EVENT_UID, ENTITLEMENT_UID } = await import('../tests/support/checkout-world');

  const fake = await startFakeStripe();
  const secret = newWebhookSecret();
  const app = await bootApp({ db: kind, env: { ...stripeEnv(fake, secret), LOG_LEVEL: 'error' } });
  const strapi = app.strapi;
  try {
    console.log(`\n▶ ${kind}: seeding ${EVENTS} pending orders`);
    const users = [];
    for (let i = 0; i < USERS; i++) users.push(await createUser(app));
    const courseCount = Math.ceil(EVENTS / USERS);
    const courses = [];
    for (let i = 0; i < courseCount; i++) courses.push(await createCourse(app, { chapters: 1, price: 1999 }));
    const sessions: Array<Record<string, unknown> & { id: string; object: string }> = [];
    for (let i = 0; i < EVENTS; i++) {
      const user = users[i % USERS]!;
      const course = courses[Math.floor(i / USERS)]!;
      const sessionId = `cs_bench_${kind}_${i}`;
      const order = (await strapi.db.query(ORDER_UID).create({
        data: { state: 'pending', kind: 'course', user: user.id, courseDocumentId: course.documentId, itemTitle: course.title, amount: 1999, currency: 'usd', amountRefunded: 0, checkoutSessionId: sessionId },
      })) as { documentId: string };
      sessions.push({
        id: sessionId,
        object: 'checkout.session',
        mode: 'payment',
        status: 'complete',
        payment_status: 'paid',
        client_reference_id: order.documentId,
        metadata: { orderId: order.documentId, userId: String(user.id), courseDocumentId: course.documentId },
        payment_intent: `pi_bench_${kind}_${i}`,
        subscription: null,
        customer: null,
        amount_total: 1999,
        currency: 'usd',
      });
    }
    const events = sessions.map((s) => stripeEvent('checkout.session.completed', s));

    const server = strapi.server.httpServer as http.Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    // Signed right before each phase: Stripe's signature tolerance is 5 minutes.
    const sign = (): Delivery[] =>
      events.map((e) => {
        const body = JSON.stringify(e);
        return { body, header: signatureHeader(body, secret) };
      });

    // Statements the server sends per delivery (knex's 'query' event), printed with the figures;
    // BENCH_TRACE=1 also prints the statements of the first fresh delivery.
    const knex = strapi.db.connection as unknown as { on(e: string, f: (q: { sql: string }) => void): void; off(e: string, f: (q: { sql: string }) => void): void };
    let statements = 0;
    const trace: string[] = [];
    const onQuery = (q: { sql: string }) => {
      statements += 1;
      if (process.env.BENCH_TRACE && trace.length < 60) trace.push(q.sql);
    };
    knex.on('query', onQuery);
    if (process.env.BENCH_TRACE) {
      await runClientOnce(port, sign()[0]!);
      console.log(`statements of one fresh delivery (${trace.length}):\n  ${trace.join('\n  ')}`);
    }
    statements = 0;
    const fresh = await runClient(port, sign());
    const freshStatements = statements;
    statements = 0;
    const dup = await runClient(port, sign());
    const dupStatements = statements;
    knex.off('query', onQuery);

    const [storedEvents, paidOrders, entitlements] = await Promise.all([
      strapi.db.query(WEBHOOK_EVENT_UID).count({ where: { eventId: { $in: events.map((e) => e.id) } } }),
      strapi.db.query(ORDER_UID).count({ where: { state: 'paid', checkoutSessionId: { $startsWith: `cs_bench_${kind}_` } } }),
      strapi.db.query(ENTITLEMENT_UID).count({ where: { source: 'purchase', sourceRef: { $startsWith: `cs_bench_${kind}_` } } }),
    ]);

    const row = (name: string, r: PhaseResult) =>
      `| ${kind} | ${name} | ${EVENTS} | ${CONCURRENCY} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${JSON.stringify(r.statuses)} | ${r.applied} | ${r.duplicates} |`;
    console.log('\n| database | deliveries | events | concurrency | events/s | p50 ms | p99 ms | statuses | applied | duplicates |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    console.log(row('fresh', fresh));
    console.log(row('duplicate', dup));
    // The duplicate path (HTTP, signature check, one indexed look-up) is this run's baseline: the
    // ceiling of any webhook on this server and machine.
    console.log(`fresh ÷ duplicate (baseline) throughput: ${(fresh.perSecond / dup.perSecond).toFixed(2)}`);
    console.log(`SQL statements per delivery: fresh ${(freshStatements / EVENTS).toFixed(1)}, duplicate ${(dupStatements / EVENTS).toFixed(1)}`);
    console.log(`effects: ${storedEvents} stored events, ${paidOrders} paid orders, ${entitlements} purchase entitlements (expected ${EVENTS} each)`);
    console.log(`BENCH ${JSON.stringify({ bench: 'webhooks', metric: `fresh events/s (${kind})`, value: Number(fresh.perSecond.toFixed(1)), unit: 'events/s', goal: kind === 'postgres' ? '>= 500' : '' })}`);
    console.log(`BENCH ${JSON.stringify({ bench: 'webhooks', metric: `duplicate events/s (${kind})`, value: Number(dup.perSecond.toFixed(1)), unit: 'events/s', goal: kind === 'postgres' ? '>= 500' : '' })}`);

    const failures: string[] = [];
    if (fresh.statuses['200'] !== EVENTS) failures.push(`fresh phase: ${JSON.stringify(fresh.statuses)}`);
    if (dup.statuses['200'] !== EVENTS) failures.push(`duplicate phase: ${JSON.stringify(dup.statuses)}`);
    // BENCH_TRACE applied one event before the fresh phase, which then sees it as a duplicate.
    const traced = process.env.BENCH_TRACE ? 1 : 0;
    if (fresh.applied !== EVENTS - traced) failures.push(`fresh phase applied ${fresh.applied}, expected ${EVENTS - traced}`);
    if (dup.applied !== 0 || dup.duplicates !== EVENTS) failures.push(`duplicate phase applied ${dup.applied} (expected 0)`);
    for (const [what, n] of [['stored events', storedEvents], ['paid orders', paidOrders], ['entitlements', entitlements]] as const) {
      if (Number(n) !== EVENTS) failures.push(`${what}: ${n}, expected ${EVENTS}`);
    }
    console.log(`BENCH ${JSON.stringify({ bench: 'webhooks', metric: `double effects (${kind})`, value: failures.length, unit: '', goal: '0' })}`);
    if (failures.length) {
      console.error(`✖ ${kind}: effects do not match distinct events:\n  ${failures.join('\n  ')}`);
      return false;
    }
    console.log(`✔ ${kind}: effects == distinct events (${EVENTS})`);
    return true;
  } finally {
    await app.close();
    await fake.close();
  }
}

async function main(): Promise<void> {
  const dist = compile();
  process.env.TEST_DIST_DIR = dist;
  process.env.STRAPI_DIST_DIR = dist;
  const which = process.env.BENCH_DB ?? 'both';
  const { postgresReachable } = await import('../tests/support/db');
  const kinds: Array<'sqlite' | 'postgres'> = [];
  if (which === 'sqlite' || which === 'both') kinds.push('sqlite');
  if (which === 'postgres' || which === 'both') {
    if (await postgresReachable()) kinds.push('postgres');
    else console.log('⚠ PostgreSQL not reachable: skipped');
  }
  let ok = true;
  for (const kind of kinds) ok = (await benchOne(kind)) && ok;
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
