/**
 * `npm run bench:webhooks`: how fast the checkout plugin's webhook inbox takes Stripe's bursts,
 * how fast its worker applies them, and that each event is applied exactly once.
 *
 * For each database (SQLite, then PostgreSQL; BENCH_DB): boot the app in this process on a fresh
 * database with Stripe pointed at the loopback fake, create N pending orders (distinct learner ×
 * course pairs) and K more for the latency probe, then, posting concurrently over loopback HTTP
 * from a worker thread (so that the client does not share the server's thread):
 *   1. accepted, fresh: N signed `checkout.session.completed` events with the inbox worker stopped
 *      (each is verified and stored: one insert);
 *   2. accepted, duplicate: the same N again (Stripe's redeliveries: the same insert, which inserts
 *      nothing) — the baseline of the same run;
 *   3. applied: the worker started, timed until the N-event burst is drained (applied events/s);
 *   4. return page: K purchases one at a time with the worker idle, each timed from the webhook's
 *      POST to the learner's `GET /api/checkout/orders/:id` answering `paid` (median, p95);
 * then counts effects: N + K stored events, paid orders and purchase entitlements, none twice.
 *
 * Environment: BENCH_DB=sqlite|postgres|both (default both), BENCH_EVENTS (10000),
 * BENCH_CONCURRENCY (32), BENCH_PROBES (25), BENCH_DIST_DIR (use that build).
 */
import http from 'node:http';
import { Worker } from 'node:worker_threads';
import { median, num, runBench } from './lib/bench-harness';

const EVENTS = num('BENCH_EVENTS', 10_000);
const CONCURRENCY = num('BENCH_CONCURRENCY', 32);
const PROBES = num('BENCH_PROBES', 25);
const USERS = 100;

interface Delivery {
  body: string;
  header: string;
}

interface PhaseResult {
  seconds: number;
  perSecond: number;
  statuses: Record<string, number>;
  accepted: number;
  duplicates: number;
  p50: number;
  p99: number;
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
        accepted: msg.results.filter((r) => r.duplicate === false).length,
        duplicates: msg.results.filter((r) => r.duplicate === true).length,
        p50: pct(50),
        p99: pct(99),
      });
    });
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

function get(port: number, path: string, auth: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', headers: { authorization: auth } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

function post(port: number, d: Delivery): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/api/checkout/webhook', method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': d.header } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(d.body);
  });
}

async function benchOne(kind: 'sqlite' | 'postgres', dist: string): Promise<void> {
  process.env.TEST_DIST_DIR = dist;
  process.env.STRAPI_DIST_DIR = dist;
  const { bootApp } = await import('../tests/support/strapi');
  const { createCourse, createUser } = await import('../tests/support/builders');
  const { startFakeStripe } = await import('../tests/support/fake-stripe');
  const { stripeEvent, signatureHeader } = await import('../tests/support/checkout-events');
  const { stripeEnv, newWebhookSecret, inboxWorker, ORDER_UID, WEBHOOK_EVENT_UID, ENTITLEMENT_UID } = await import('../tests/support/checkout-world');
  const { postgresReachable } = await import('../tests/support/db');
  if (kind === 'postgres' && !(await postgresReachable())) {
    console.log('⚠ PostgreSQL not reachable: skipped');
    return;
  }

  const fake = await startFakeStripe();
  const secret = newWebhookSecret();
  const app = await bootApp({ db: kind, env: { ...stripeEnv(fake, secret), LOG_LEVEL: 'error' } });
  const strapi = app.strapi;
  const worker = inboxWorker(app);
  try {
    const total = EVENTS + PROBES;
    console.log(`\n▶ ${kind}: seeding ${total} pending orders`);
    const users = [];
    for (let i = 0; i < USERS; i++) users.push(await createUser(app));
    const courses = [];
    for (let i = 0; i < Math.ceil(total / USERS); i++) courses.push(await createCourse(app, { chapters: 1, price: 1999 }));
    // Orders written in batches with raw knex (the Query Engine's create per order takes minutes
    // for 10,000 on a loaded machine): the row, then its link to the learner.
    const { modelNames, qualifiedTable } = await import('@kp/platform');
    const { createId } = await import('@paralleldrive/cuid2');
    const names = modelNames(strapi, ORDER_UID);
    const link = names.join('user');
    const db = strapi.db.connection as unknown as import('knex').Knex;
    const sessions: Array<{ session: Record<string, unknown> & { id: string; object: string }; orderId: string; auth: string }> = [];
    const BATCH = 500;
    for (let from = 0; from < total; from += BATCH) {
      const now = new Date();
      const rows = [];
      const owners: number[] = [];
      for (let i = from; i < Math.min(total, from + BATCH); i++) {
        const user = users[i % USERS]!;
        const course = courses[Math.floor(i / USERS)]!;
        const documentId = createId();
        owners.push(user.id);
        rows.push({
          [names.col('documentId')]: documentId,
          [names.col('state')]: 'pending',
          [names.col('kind')]: 'course',
          [names.col('courseDocumentId')]: course.documentId,
          [names.col('itemTitle')]: course.title,
          [names.col('amount')]: 1999,
          [names.col('currency')]: 'usd',
          [names.col('amountRefunded')]: 0,
          [names.col('checkoutSessionId')]: `cs_bench_${kind}_${i}`,
          [names.col('createdAt')]: now,
          [names.col('updatedAt')]: now,
          [names.col('publishedAt')]: now,
        });
        sessions.push({
          orderId: documentId,
          auth: user.auth,
          session: {
            id: `cs_bench_${kind}_${i}`,
            object: 'checkout.session',
            mode: 'payment',
            status: 'complete',
            payment_status: 'paid',
            client_reference_id: documentId,
            metadata: { orderId: documentId, userId: String(user.id), courseDocumentId: course.documentId },
            payment_intent: `pi_bench_${kind}_${i}`,
            subscription: null,
            customer: null,
            amount_total: 1999,
            currency: 'usd',
          },
        });
      }
      const ids = (await db(qualifiedTable(strapi, names.table)).insert(rows).returning('id')) as Array<{ id: number } | number>;
      await db(qualifiedTable(strapi, link.table)).insert(ids.map((r, k) => ({ [link.from]: typeof r === 'number' ? r : Number(r.id), [link.to]: owners[k] })));
    }
    const burst = sessions.slice(0, EVENTS).map((s) => stripeEvent('checkout.session.completed', s.session));

    const server = strapi.server.httpServer as http.Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    // Signed right before each phase: Stripe's signature tolerance is 5 minutes.
    const sign = (events: typeof burst): Delivery[] =>
      events.map((e) => {
        const body = JSON.stringify(e);
        return { body, header: signatureHeader(body, secret) };
      });

    // 1–2: the receipt alone, worker stopped.
    await worker.stop();
    const fresh = await runClient(port, sign(burst));
    const dup = await runClient(port, sign(burst));

    // 3: the burst applied.
    const inbox = strapi.plugin('checkout').service('inbox') as { stats(): Promise<{ pending: number; dead: number }> };
    const t0 = performance.now();
    worker.start();
    await worker.drain(30 * 60_000);
    const drainSeconds = (performance.now() - t0) / 1000;
    const left = await inbox.stats();

    // 4: the learner's return page, one purchase at a time, worker idle.
    const latencies: number[] = [];
    for (const probe of sessions.slice(EVENTS)) {
      const [delivery] = sign([stripeEvent('checkout.session.completed', probe.session)]);
      const started = performance.now();
      const status = await post(port, delivery!);
      if (status !== 200) throw new Error(`probe webhook answered ${status}`);
      for (;;) {
        const res = await get(port, `/api/checkout/orders/${probe.orderId}`, probe.auth);
        if (res.status === 200 && (JSON.parse(res.body) as { data: { status: string } }).data.status === 'paid') break;
        if (performance.now() - started > 30_000) throw new Error('probe order not paid within 30 s');
        await new Promise((r) => setTimeout(r, 10));
      }
      latencies.push(performance.now() - started);
    }

    const knex = strapi.db.connection as unknown as import('knex').Knex;
    const [storedEvents, paidOrders, entitlements, doubled, retried] = await Promise.all([
      strapi.db.query(WEBHOOK_EVENT_UID).count({ where: { state: 'done' } }),
      strapi.db.query(ORDER_UID).count({ where: { state: 'paid', checkoutSessionId: { $startsWith: `cs_bench_${kind}_` } } }),
      strapi.db.query(ENTITLEMENT_UID).count({ where: { source: 'purchase', sourceRef: { $startsWith: `cs_bench_${kind}_` } } }),
      knex('paywall_entitlements').select('source_ref').count({ n: '*' }).groupBy('source_ref').havingRaw('count(*) > 1').then((rows) => rows.length),
      strapi.db.query(WEBHOOK_EVENT_UID).count({ where: { attempts: { $gt: 1 } } }),
    ]);

    const row = (name: string, r: PhaseResult) =>
      `| ${kind} | ${name} | ${EVENTS} | ${CONCURRENCY} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${JSON.stringify(r.statuses)} | ${r.accepted} | ${r.duplicates} |`;
    console.log('\n| database | deliveries | events | concurrency | accepted/s | p50 ms | p99 ms | statuses | new | duplicates |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    console.log(row('fresh', fresh));
    console.log(row('duplicate', dup));
    const ratio = fresh.perSecond / dup.perSecond;
    const applied = EVENTS / drainSeconds;
    console.log(`accepted fresh ÷ duplicate (baseline, same run): ${ratio.toFixed(2)}`);
    console.log(`applied: ${EVENTS} events drained in ${drainSeconds.toFixed(1)} s = ${applied.toFixed(0)} events/s; left pending ${left.pending}, dead ${left.dead}`);
    console.log(`return page (webhook POST → order paid), ${PROBES} purchases: median ${median(latencies).toFixed(0)} ms, p95 ${pct(latencies, 95).toFixed(0)} ms, max ${latencies.reduce((a, b) => Math.max(a, b), 0).toFixed(0)} ms`);
    console.log(`effects: ${storedEvents} events done, ${paidOrders} paid orders, ${entitlements} purchase entitlements (expected ${total} each); ${doubled} doubled entitlements, ${retried} events needing a retry`);
    const bench = (metric: string, value: number, unit: string, goal = '') => console.log(`BENCH ${JSON.stringify({ bench: 'webhooks', metric: `${metric} (${kind})`, value: Number(value.toFixed(2)), unit, goal })}`);
    bench('accepted fresh events/s', fresh.perSecond, 'events/s', kind === 'postgres' ? '>= 500' : '');
    bench('accepted duplicate events/s', dup.perSecond, 'events/s');
    bench('fresh ÷ duplicate', ratio, '', '>= 0.8');
    bench('applied events/s (10k burst drained)', applied, 'events/s');
    bench('return page median ms', median(latencies), 'ms', '<= 2000');

    const failures: string[] = [];
    if (fresh.statuses['200'] !== EVENTS) failures.push(`fresh phase: ${JSON.stringify(fresh.statuses)}`);
    if (dup.statuses['200'] !== EVENTS) failures.push(`duplicate phase: ${JSON.stringify(dup.statuses)}`);
    if (fresh.accepted !== EVENTS) failures.push(`fresh phase stored ${fresh.accepted}, expected ${EVENTS}`);
    if (dup.accepted !== 0 || dup.duplicates !== EVENTS) failures.push(`duplicate phase stored ${dup.accepted} (expected 0)`);
    if (left.pending !== 0 || left.dead !== 0) failures.push(`inbox not drained: ${JSON.stringify(left)}`);
    for (const [what, n] of [['events done', storedEvents], ['paid orders', paidOrders], ['entitlements', entitlements]] as const) {
      if (Number(n) !== total) failures.push(`${what}: ${n}, expected ${total}`);
    }
    if (doubled) failures.push(`${doubled} doubled entitlements`);
    bench('double effects', failures.length, '', '0');
    if (failures.length) throw new Error(`${kind}: effects do not match distinct events:\n  ${failures.join('\n  ')}`);
    console.log(`✔ ${kind}: effects == distinct events (${total}), inbox drained`);
  } finally {
    await app.close();
    await fake.close();
  }
}

runBench('webhooks', 'plugins/checkout/server/src/index.js', benchOne);
