/**
 * `npm run bench:analytics`: p50/p95 of every analytics endpoint over HTTP, on SQLite and
 * PostgreSQL, against 100k orders, 20k subscriptions and 1M progress rows (with entitlements,
 * certificates and review events around them), seeded in bulk with raw SQL.
 *
 * Per database: a fresh database; the app booted in this process for the schema, a small catalogue
 * (courses, chapters, one instructor) through the builders, then the bulk rows through knex in
 * batches; then the app served by a child process (scripts/lib/bench-harness.ts) and each endpoint
 * requested sequentially (warm-up, then BENCH_REQUESTS times) with an admin JWT or an instructor's.
 *
 * Then the write path with ÷ without the daily order rollup: BENCH_WRITE_ROUNDS rounds (default 6,
 * in ABBA order: with, without, without, with, …), each a fresh server child that applies
 * BENCH_WRITE_EVENTS signed `checkout.session.completed` webhooks (default 200, 8 concurrent) for
 * pending orders seeded above — "with": the rollup folded in the background every BENCH_FOLD_MS
 * (default 250 ms, 240× the default interval) while the webhooks arrive; "without":
 * ANALYTICS_ORDER_ROLLUP=false (no rollup work at all); then as many progress reports
 * (`POST /api/progress`, 8 concurrent, 20 learners of a free course updating their chapters). The
 * learner-starts rollup does no work on that path (it is refreshed when a learning report asks).
 * Medians per mode of events/s and of the server's CPU time per webhook event (/proc; the
 * background folds included), and the median of each ABBA pair's own ratio.
 *
 * Flags and environment: --scale=0.1 (or BENCH_SCALE) multiplies every row count; BENCH_DB=
 * sqlite|postgres|both (default both); BENCH_REQUESTS (default 30); BENCH_WRITE_ONLY=1 (seed, then
 * the write rounds only); BENCH_DIST_DIR (skip the compile);
 * BENCH_KEEP_SQLITE=<file> copies the seeded SQLite database there, BENCH_KEEP_POSTGRES=1 keeps the
 * PostgreSQL database and prints its address (to read query plans afterwards; drop it by hand).
 */
import { bulkInsert } from './lib/bulk-insert';
import fs from 'node:fs';
import http from 'node:http';
import { compileApp, cpuMs, median, num, runEachDatabaseInChild, serveIfChild, startServer, stopServers, type BenchServer } from './lib/bench-harness';

const GOAL_MS = 200;

const scaleArg = process.argv.find((a) => a.startsWith('--scale='));
const SCALE = scaleArg ? Number(scaleArg.slice('--scale='.length)) : num('BENCH_SCALE', 1);
const REQUESTS = num('BENCH_REQUESTS', 30);
const COUNTS = {
  orders: Math.round(100_000 * SCALE),
  subscriptions: Math.round(20_000 * SCALE),
  progress: Math.round(1_000_000 * SCALE),
  entitlements: Math.round(50_000 * SCALE),
  certificates: Math.round(10_000 * SCALE),
  reviewEvents: Math.round(2_000 * SCALE),
};
const WRITE_ROUNDS = num('BENCH_WRITE_ROUNDS', 6);
const WRITE_EVENTS = num('BENCH_WRITE_EVENTS', 200);
/** Learners of the progress round (each reports every chapter of a free course). */
const PROGRESS_LEARNERS = 20;
/** The background fold's interval in the write rounds "with" the rollup (the default config is 60 s). */
const FOLD_MS = num('BENCH_FOLD_MS', 250);
/** Skip the report measurements (seed, then the write rounds only). */
const WRITE_ONLY = process.env.BENCH_WRITE_ONLY === '1';
const WRITE_CONCURRENCY = 8;
const COURSES = 20;
const CHAPTERS = 10;
const DAY = 86_400_000;
const PASSWORD = 'Passw0rd!secure';

const bench = (metric: string, value: number, unit: string, goal = '') =>
  console.log(`BENCH ${JSON.stringify({ bench: 'analytics', metric, value: Number(value.toFixed(1)), unit, goal })}`);

/** A deterministic pseudo-random sequence (the same world on every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Seeded {
  adminEmail: string;
  adminPassword: string;
  instructorEmail: string;
  /** Checkout sessions of pending orders (with a learner) for the write-path phase. */
  sessions: Array<Record<string, unknown>>;
  /** Learners (Authorization headers) and the chapters of a free course they report progress on. */
  progress: { auths: string[]; chapters: string[] };
}

async function seed(kind: 'sqlite' | 'postgres', dbEnv: Record<string, string>, dist: string): Promise<Seeded> {
  process.env.TEST_DIST_DIR = dist;
  process.env.STRAPI_DIST_DIR = dist;
  const { bootApp } = await import('../tests/support/strapi');
  const { createAdmin, createCourse, createInstructor, createUser } = await import('../tests/support/builders');
  const { PLAN_UID, PROGRESS_UID, SUBSCRIPTION_UID, USER_UID } = await import('../src/platform');
  const app = await bootApp({ database: { kind, env: dbEnv, drop: async () => undefined } });
  try {
    const started = Date.now();
    const { strapi } = app;
    const knex = strapi.db.connection;
    const random = rng(42);
    const now = Date.now();
    const when = () => new Date(now - Math.floor(random() * 365 * DAY));
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const admin = await createAdmin(app);
    const instructor = await createInstructor(app, 'Bench Instructor');
    const courses: Array<Awaited<ReturnType<typeof createCourse>>> = [];
    for (let i = 0; i < COURSES; i += 1) {
      const currency = (['usd', 'eur', 'jpy'] as const)[i % 3]!;
      courses.push(await createCourse(app, { title: `Bench course ${i + 1}`, instructor: i < 5 ? instructor.instructorDocumentId : undefined, chapters: CHAPTERS, currency, price: currency === 'jpy' ? 3000 : 4900 }));
    }
    const chapters = courses.flatMap((c) => c.chapters.map((ch) => ({ course: c.documentId, chapter: ch.documentId })));

    const batch = (uid: string, rows: Array<Record<string, unknown>>, links?: { relation: string; targets: number[] }) => bulkInsert(strapi, uid, rows, links);
    const base = (at: Date, i: number) => ({ documentId: `bench${i.toString(36).padStart(19, '0')}`, createdAt: at, updatedAt: at, publishedAt: at });

    // Learners: enough that every (learner, chapter) pair of the progress rows is distinct.
    const learnerCount = Math.max(100, Math.ceil(COUNTS.progress / chapters.length));
    const role = (await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } })) as { id: number };
    const userRows = Array.from({ length: learnerCount }, (_, i) => ({ ...base(new Date(now - 400 * DAY), 10_000_000 + i), username: `bench-${i}`, email: `bench-${i}@example.test`, provider: 'local', confirmed: true, blocked: false, password: 'x' }));
    const users = await batch(USER_UID, userRows, { relation: 'role', targets: userRows.map(() => role.id) });

    const orders = Array.from({ length: COUNTS.orders }, (_, i) => {
      const created = when();
      const r = random();
      const course = pick(courses);
      const currency = ['usd', 'eur', 'jpy'][courses.indexOf(course) % 3]!;
      const amount = currency === 'jpy' ? 3000 : 4900;
      const paid = r < 0.75;
      const refunded = paid && r < 0.05;
      const partial = paid && !refunded && r > 0.7 && r < 0.72;
      const lost = paid && r > 0.72 && r < 0.73;
      const later = new Date(created.getTime() + Math.floor(random() * 30 * DAY));
      return {
        ...base(created, 20_000_000 + i),
        kind: 'course',
        courseDocumentId: course.documentId,
        itemTitle: course.title,
        currency,
        amount,
        amountPaid: paid ? amount : null,
        amountRefunded: refunded ? amount : partial ? Math.round(amount / 4) : 0,
        state: refunded ? 'refunded' : lost ? 'disputed' : paid ? 'paid' : r < 0.9 ? 'expired' : r < 0.95 ? 'failed' : 'pending',
        disputeStatus: lost ? 'lost' : null,
        paidAt: paid ? new Date(created.getTime() + 60_000) : null,
        closedAt: refunded || (!paid && r < 0.95) ? later : null,
        lastEventAt: refunded || partial || lost ? later : paid ? new Date(created.getTime() + 60_000) : null,
        lastEventType: !paid && r >= 0.9 && r < 0.95 ? 'payment_intent.payment_failed' : null,
        checkoutSessionId: `cs_bench_${i}`,
      };
    });
    await batch('plugin::checkout.order', orders);

    const plans = await batch(PLAN_UID, [
      { ...base(new Date(now - 400 * DAY), 1), name: 'Monthly', slug: 'bench-monthly', interval: 'month', price: 1500, currency: 'usd', allAccess: true },
      { ...base(new Date(now - 400 * DAY), 2), name: 'Yearly', slug: 'bench-yearly', interval: 'year', price: 12000, currency: 'usd', allAccess: true },
      { ...base(new Date(now - 400 * DAY), 3), name: 'Jährlich', slug: 'bench-yearly-eur', interval: 'year', price: 11988, currency: 'eur', allAccess: true },
    ]);
    const subPlans: number[] = [];
    const subs = Array.from({ length: COUNTS.subscriptions }, (_, i) => {
      const created = when();
      const r = random();
      subPlans.push(pick(plans));
      return { ...base(created, 30_000_000 + i), updatedAt: r < 0.2 ? new Date(created.getTime() + Math.floor(random() * 60 * DAY)) : created, status: r < 0.2 ? 'canceled' : r < 0.25 ? 'past_due' : 'active', stripeSubscriptionId: `sub_bench_${i}`, cancelAtPeriodEnd: false };
    });
    await batch(SUBSCRIPTION_UID, subs, { relation: 'plan', targets: subPlans });

    // Progress: each learner works through a prefix of some courses' chapters (a drop-off).
    const progress: Array<Record<string, unknown>> = [];
    const progressUsers: number[] = [];
    outer: for (let u = 0; u < users.length; u += 1) {
      const start = when().getTime();
      for (let c = 0; c < chapters.length; c += 1) {
        if (progress.length >= COUNTS.progress) break outer;
        const ch = chapters[(c + u * CHAPTERS) % chapters.length]!;
        const at = new Date(Math.min(now, start + c * 3_600_000));
        progress.push({ ...base(at, 40_000_000 + progress.length), chapterDocumentId: ch.chapter, courseDocumentId: ch.course, uniqueKey: `${users[u]}:${ch.chapter}`, completedAt: random() < 0.8 ? at : null });
        progressUsers.push(users[u]!);
      }
    }
    await batch(PROGRESS_UID, progress, { relation: 'user', targets: progressUsers });

    await batch(
      'plugin::paywall.entitlement',
      Array.from({ length: COUNTS.entitlements }, (_, i) => {
        const at = when();
        return { ...base(at, 50_000_000 + i), source: 'purchase', state: 'active', userRef: pick(users), courseRef: pick(courses).documentId, sourceRef: `bench_${i}`, dedupeKey: `bench:${i}`, validFrom: at };
      })
    );
    const certUsers: number[] = [];
    await batch(
      'plugin::learning.certificate',
      Array.from({ length: COUNTS.certificates }, (_, i) => {
        const at = when();
        const user = users[i % users.length]!;
        certUsers.push(user);
        const course = courses[Math.floor(i / users.length) % courses.length]!;
        return { ...base(at, 60_000_000 + i), learnerName: `bench-${i}`, courseDocumentId: course.documentId, courseTitle: course.title, language: 'en', completedAt: at, code: `BENCH${i}`, state: 'valid', dedupeKey: `${user}:${course.documentId}:${i}` };
      }),
      { relation: 'learner', targets: certUsers }
    );
    await batch(
      'plugin::review.review-event',
      Array.from({ length: COUNTS.reviewEvents }, (_, i) => ({ ...base(when(), 70_000_000 + i), courseDocumentId: pick(courses).documentId, action: pick(['submit', 'approve', 'request_changes']), fromState: 'in_review', toState: 'approved', actorType: 'editor', actorId: 1, at: when() }))
    );
    // Pending orders of distinct learners for the write-path phase, created as checkout creates them.
    const sessions: Array<Record<string, unknown>> = [];
    for (let i = 0; i < WRITE_ROUNDS * WRITE_EVENTS; i += 1) {
      const course = courses[i % courses.length]!;
      const sessionId = `cs_write_${i}`;
      const userId = users[i % users.length]!;
      const order = (await strapi.db.query('plugin::checkout.order').create({
        data: { state: 'pending', kind: 'course', user: userId, courseDocumentId: course.documentId, itemTitle: course.title, amount: 4900, currency: 'usd', amountRefunded: 0, checkoutSessionId: sessionId },
      })) as { documentId: string };
      sessions.push({
        id: sessionId,
        object: 'checkout.session',
        mode: 'payment',
        status: 'complete',
        payment_status: 'paid',
        client_reference_id: order.documentId,
        metadata: { orderId: order.documentId, userId: String(userId), courseDocumentId: course.documentId },
        payment_intent: `pi_write_${i}`,
        subscription: null,
        customer: null,
        amount_total: 4900,
        currency: 'usd',
      });
    }
    // The progress round of the write path: learners of a free course, every (learner, chapter)
    // row created here, so that each round updates rows (as a learner reading on does).
    const free = await createCourse(app, { title: 'Bench free course', access: 'free', chapters: CHAPTERS });
    const learners = await Promise.all(Array.from({ length: PROGRESS_LEARNERS }, () => createUser(app)));
    const learning = strapi.plugin('learning').service('progress') as { record(learner: { id: number }, input: Record<string, unknown>): Promise<unknown> };
    for (const l of learners) for (const ch of free.chapters) await learning.record({ id: l.id }, { chapter: ch.documentId, locale: 'en', completed: true, position: 0 });
    await knex.raw('ANALYZE');
    console.log(`  seeded ${JSON.stringify({ ...COUNTS, learners: users.length, progress: progress.length })} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return { adminEmail: admin.email, adminPassword: admin.password, instructorEmail: instructor.email, sessions, progress: { auths: learners.map((l) => l.auth), chapters: free.chapters.map((c) => c.documentId) } };
  } finally {
    await app.strapi.destroy();
  }
}

function request(port: number, method: string, path: string, headers: Record<string, string>, body?: unknown, raw?: string): Promise<{ status: number; json: any; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, json, ms: Number(process.hrtime.bigint() - started) / 1e6 });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function measure(server: BenchServer, kind: string, seeded: Seeded, rollup = true): Promise<Record<string, number>> {
  const login = await request(server.port, 'POST', '/admin/login', {}, { email: seeded.adminEmail, password: seeded.adminPassword });
  const adminAuth = `Bearer ${login.json.data.token ?? login.json.data.accessToken}`;
  const local = await request(server.port, 'POST', '/api/auth/local', {}, { identifier: seeded.instructorEmail, password: PASSWORD });
  const instructorAuth = `Bearer ${local.json.jwt}`;
  const endpoints: Array<[string, string, string]> = [
    ['overview (widgets), 30 days', '/analytics/overview?preset=30d', adminAuth],
    ['sales, 90 days by day', '/analytics/sales?preset=90d&granularity=day', adminAuth],
    ['sales, 12 months by month', '/analytics/sales?preset=12m&granularity=month', adminAuth],
    ['funnel, 90 days by week', '/analytics/funnel?preset=90d&granularity=week', adminAuth],
    ['learning, 90 days by week', '/analytics/learning?preset=90d&granularity=week', adminAuth],
    ['review, 90 days by week', '/analytics/review?preset=90d&granularity=week', adminAuth],
    ['instructor /me/sales, 90 days', '/api/analytics/me/sales?preset=90d&granularity=week', instructorAuth],
    ['instructor /me/learning, 90 days', '/api/analytics/me/learning?preset=90d&granularity=week', instructorAuth],
  ];
  const p95s: Record<string, number> = {};
  if (!rollup) {
    // The baseline of the same run: the order reports from the order rows (ANALYTICS_ORDER_ROLLUP=false).
    for (const [label, path, auth] of endpoints.filter(([l]) => /overview|sales|funnel/.test(l))) {
      const times: number[] = [];
      for (let i = 0; i < 3 + REQUESTS; i += 1) {
        const res = await request(server.port, 'GET', path, { authorization: auth });
        if (res.status !== 200) throw new Error(`${label}: ${res.status}`);
        if (i >= 3) times.push(res.ms);
      }
      p95s[label] = percentile(times, 95);
      console.log(`  ${`${label} (order rows)`.padEnd(36)} p50 ${percentile(times, 50).toFixed(0).padStart(6)} ms   p95 ${percentile(times, 95).toFixed(0).padStart(6)} ms`);
      bench(`${label} p50 without the order rollup (${kind})`, percentile(times, 50), 'ms');
      bench(`${label} p95 without the order rollup (${kind})`, percentile(times, 95), 'ms');
    }
    return p95s;
  }
  // The first learning report builds the learner-starts rollup from every progress row.
  const first = await request(server.port, 'GET', '/analytics/learning?preset=30d', { authorization: adminAuth });
  if (first.status !== 200) throw new Error(`first learning request: ${first.status}`);
  console.log(`  first learning request (builds the learner-starts rollup): ${first.ms.toFixed(0)} ms`);
  bench(`rollup build on first use (${kind})`, first.ms, 'ms');
  // The first sales report builds the daily order rollup from every order.
  const firstSales = await request(server.port, 'GET', '/analytics/sales?preset=30d', { authorization: adminAuth });
  if (firstSales.status !== 200) throw new Error(`first sales request: ${firstSales.status}`);
  console.log(`  first sales request (builds the daily order rollup): ${firstSales.ms.toFixed(0)} ms`);
  bench(`order rollup build on first use (${kind})`, firstSales.ms, 'ms');
  for (const [label, path, auth] of endpoints) {
    const times: number[] = [];
    for (let i = 0; i < 3 + REQUESTS; i += 1) {
      const res = await request(server.port, 'GET', path, { authorization: auth });
      if (res.status !== 200) throw new Error(`${label}: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
      if (i >= 3) times.push(res.ms);
    }
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    console.log(`  ${label.padEnd(36)} p50 ${p50.toFixed(0).padStart(6)} ms   p95 ${p95.toFixed(0).padStart(6)} ms${p95 > GOAL_MS ? '   (over the 200 ms goal)' : ''}`);
    bench(`${label} p50 (${kind})`, p50, 'ms');
    bench(`${label} p95 (${kind})`, p95, 'ms', `<= ${GOAL_MS}`);
    p95s[label] = p95;
  }
  return p95s;
}

/**
 * The write path with ÷ without the order rollup: rounds alternate between a server folding the
 * rollup every FOLD_MS and one without it (ABBA order); each applies its share of fresh webhook deliveries.
 */
async function measureWrites(kind: string, dist: string, dbEnv: Record<string, string>, seeded: Seeded): Promise<void> {
  const { startFakeStripe } = await import('../tests/support/fake-stripe');
  const { stripeEvent, signatureHeader } = await import('../tests/support/checkout-events');
  const { stripeEnv, newWebhookSecret } = await import('../tests/support/checkout-world');
  const fake = await startFakeStripe();
  const secret = newWebhookSecret();
  const rates: Record<'with' | 'without', number[]> = { with: [], without: [] };
  const progressRates: Record<'with' | 'without', number[]> = { with: [], without: [] };
  // The server's CPU time per webhook (user + system, the background folds included): a slow spell
  // of the machine stretches a round's seconds much more than the work the server does in it.
  const cpuPerEvent: Record<'with' | 'without', number[]> = { with: [], without: [] };
  try {
    for (let round = 0; round < WRITE_ROUNDS; round += 1) {
      // ABBA order (with, without, without, with, …): a drift over the rounds (the order table
      // growing, caches warming) falls on both modes alike instead of always on the first.
      const mode = [0, 3].includes(round % 4) ? 'with' : 'without';
      const env = { ...stripeEnv(fake, secret), ...(mode === 'with' ? { ANALYTICS_ROLLUP_INTERVAL_MS: String(FOLD_MS) } : { ANALYTICS_ORDER_ROLLUP: 'false' }) };
      const server = await startServer(__filename, mode, dist, dbEnv, env);
      try {
        await new Promise((r) => setTimeout(r, 1500)); // the first background folds catch up
        const deliveries = seeded.sessions.slice(round * WRITE_EVENTS, (round + 1) * WRITE_EVENTS).map((session) => {
          const body = JSON.stringify(stripeEvent('checkout.session.completed', session));
          return { body, header: signatureHeader(body, secret) };
        });
        let next = 0;
        const failures: string[] = [];
        const started = process.hrtime.bigint();
        const cpuBefore = cpuMs(server.child.pid!);
        await Promise.all(
          Array.from({ length: WRITE_CONCURRENCY }, async () => {
            while (next < deliveries.length) {
              const d = deliveries[next++]!;
              const res = await request(server.port, 'POST', '/api/checkout/webhook', { 'stripe-signature': d.header }, undefined, d.body);
              if (res.status !== 200) failures.push(`${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
            }
          })
        );
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const cpuPer = (cpuMs(server.child.pid!) - cpuBefore) / deliveries.length;
        if (failures.length) throw new Error(`webhooks: ${failures.length} failed, e.g. ${failures[0]}`);
        rates[mode].push(deliveries.length / seconds);
        cpuPerEvent[mode].push(cpuPer);
        // Then as many progress reports (a learner reading on: completion and position of a chapter).
        const { auths, chapters } = seeded.progress;
        let p = 0;
        const progressStarted = process.hrtime.bigint();
        await Promise.all(
          Array.from({ length: WRITE_CONCURRENCY }, async () => {
            while (p < WRITE_EVENTS) {
              const i = p++;
              const body = { chapter: chapters[Math.floor(i / auths.length) % chapters.length], completed: true, position: round * WRITE_EVENTS + i + 1 };
              const res = await request(server.port, 'POST', '/api/progress', { authorization: auths[i % auths.length]! }, body);
              if (res.status !== 200) failures.push(`${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
            }
          })
        );
        const progressSeconds = Number(process.hrtime.bigint() - progressStarted) / 1e9;
        if (failures.length) throw new Error(`progress: ${failures.length} failed, e.g. ${failures[0]}`);
        progressRates[mode].push(WRITE_EVENTS / progressSeconds);
        console.log(`  write round ${round + 1} (${mode} the rollup): ${(deliveries.length / seconds).toFixed(1)} webhook events/s (server CPU ${cpuPer.toFixed(2)} ms per event), ${(WRITE_EVENTS / progressSeconds).toFixed(1)} progress reports/s`);
      } finally {
        await stopServers([server]);
      }
    }
  } finally {
    await fake.close();
  }
  const withRate = median(rates.with);
  const withoutRate = median(rates.without);
  console.log(`  webhook events/s with the rollup ${withRate.toFixed(1)}, without ${withoutRate.toFixed(1)}: ratio ${(withRate / withoutRate).toFixed(3)} (goal >= 0.95)`);
  bench(`webhook events/s with the order rollup (${kind})`, withRate, 'events/s');
  bench(`webhook events/s without the order rollup (${kind})`, withoutRate, 'events/s');
  console.log(`BENCH ${JSON.stringify({ bench: 'analytics', metric: `write path with ÷ without the order rollup (${kind})`, value: Number((withRate / withoutRate).toFixed(3)), unit: 'ratio', goal: '>= 0.95' })}`);
  // Each ABBA pair's own ratio (rounds 1–2, 3–4, …): a slow spell of the machine lasting a round or
  // two moves one or two pairs, and their median less than the medians per mode.
  const pairs = (r: Record<'with' | 'without', number[]>) =>
    median(r.with.map((w, i) => w / r.without[i]!).filter((x) => Number.isFinite(x)));
  console.log(`  median of the ${rates.with.length} round pairs' ratios: webhooks ${pairs(rates).toFixed(3)}, progress ${pairs(progressRates).toFixed(3)}`);
  const cpuWith = median(cpuPerEvent.with);
  const cpuWithout = median(cpuPerEvent.without);
  console.log(`  server CPU per webhook event with the rollup ${cpuWith.toFixed(2)} ms, without ${cpuWithout.toFixed(2)} ms: with ÷ without ${(cpuWith / cpuWithout).toFixed(3)}${kind === 'postgres' ? " (Strapi's process only; PostgreSQL's own CPU is not counted)" : ''}`);
  console.log(`BENCH ${JSON.stringify({ bench: 'analytics', metric: `server CPU per webhook event with ÷ without the order rollup (${kind})`, value: Number((cpuWith / cpuWithout).toFixed(3)), unit: 'ratio', goal: '<= 1.05' })}`);
  const withProgress = median(progressRates.with);
  const withoutProgress = median(progressRates.without);
  console.log(`  progress reports/s with the order rollup ${withProgress.toFixed(1)}, without ${withoutProgress.toFixed(1)}: ratio ${(withProgress / withoutProgress).toFixed(3)} (goal >= 0.95; the learner-starts rollup is refreshed by learning reports only, none run here)`);
  console.log(`BENCH ${JSON.stringify({ bench: 'analytics', metric: `progress write path with ÷ without the order rollup (${kind})`, value: Number((withProgress / withoutProgress).toFixed(3)), unit: 'ratio', goal: '>= 0.95' })}`);
}

async function benchDatabase(kind: 'sqlite' | 'postgres', dist: string): Promise<void> {
  const { createTestDatabase, postgresReachable } = await import('../tests/support/db');
  if (kind === 'postgres' && !(await postgresReachable())) {
    console.log('▶ postgres: not reachable, skipped');
    return;
  }
  console.log(`\n▶ ${kind} (scale ${SCALE})`);
  const db = await createTestDatabase(kind);
  let server: BenchServer | null = null;
  try {
    const seeded = await seed(kind, db.env, dist);
    if (WRITE_ONLY) {
      // Build the order rollup first (the report phase does it otherwise): the rounds "with" it
      // then fold only what changed, as a running platform does.
      server = await startServer(__filename, 'analytics', dist, db.env, {});
      const login = await request(server.port, 'POST', '/admin/login', {}, { email: seeded.adminEmail, password: seeded.adminPassword });
      const sales = await request(server.port, 'GET', '/analytics/sales?preset=30d', { authorization: `Bearer ${login.json.data.token ?? login.json.data.accessToken}` });
      if (sales.status !== 200) throw new Error(`first sales request: ${sales.status}`);
      await stopServers([server]);
      server = null;
      if (WRITE_ROUNDS > 0) await measureWrites(kind, dist, db.env, seeded);
      return;
    }
    server = await startServer(__filename, 'analytics', dist, db.env, {});
    const withRollup = await measure(server, kind, seeded);
    await stopServers([server]);
    server = await startServer(__filename, 'analytics-rows', dist, db.env, { ANALYTICS_ORDER_ROLLUP: 'false' });
    const withoutRollup = await measure(server, kind, seeded, false);
    for (const [label, p95] of Object.entries(withoutRollup)) {
      console.log(`  ${label}: p95 with ÷ without the order rollup ${(withRollup[label]! / p95).toFixed(2)}`);
      bench(`${label} p95 with ÷ without the order rollup (${kind})`, withRollup[label]! / p95, 'ratio');
    }
    await stopServers([server]);
    server = null;
    if (WRITE_ROUNDS > 0) await measureWrites(kind, dist, db.env, seeded);
  } finally {
    server?.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    if (process.env.BENCH_KEEP_SQLITE && db.env.DATABASE_FILENAME) fs.copyFileSync(db.env.DATABASE_FILENAME, process.env.BENCH_KEEP_SQLITE);
    if (process.env.BENCH_KEEP_POSTGRES && kind === 'postgres') console.log(`  kept the database: ${JSON.stringify(db.env)}`);
    else await db.drop();
  }
}

async function main(): Promise<void> {
  const dist = compileApp('analytics', 'plugins/analytics/server/src/index.js');
  try {
    if (!runEachDatabaseInChild(dist)) await benchDatabase(process.env.BENCH_DB === 'postgres' ? 'postgres' : 'sqlite', dist);
  } finally {
    if (!process.env.BENCH_DIST_DIR) fs.rmSync(dist, { recursive: true, force: true });
  }
  process.exit(0);
}

if (!serveIfChild()) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
