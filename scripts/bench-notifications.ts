/**
 * `npm run bench:notifications`: what a slow SMTP server costs the requests that cause messages
 * (plugins/notifications). The outbox promises that it costs nothing: the message is a row written
 * in the change's transaction, and the worker sends after the commit.
 *
 * For each database (SQLite, then PostgreSQL, each in a process of its own; `BENCH_DB`): boots the app against
 * the loopback Stripe fake and a real SMTP server on loopback (`smtp-server`, as the tests use),
 * then, in BENCH_ROUNDS rounds alternating which goes first, with the SMTP server fast (answers at
 * once) and slow (holds each message BENCH_SMTP_DELAY_MS, default 2000 ms):
 *
 * - purchase: Stripe's `checkout.session.completed` webhook, timed from the POST until the
 *   checkout inbox has applied it (the order is paid and its receipt row written);
 * - review transition: an editor's `POST /review/submissions/:id/request-changes` (the
 *   instructor's message is written in its transaction), timed over HTTP.
 *
 * BENCH_PER_ROUND of each per mode and round. Prints the medians (ms) and the ratio slow ÷ fast
 * (median of the per-round ratios; 1.0 means the slow server costs the request nothing), and how
 * many messages the slow server had received by the end (the worker was busy sending meanwhile).
 * No assertion on time: a figure, printed.
 *
 * Environment: BENCH_DB=sqlite|postgres|both (default both), BENCH_ROUNDS (5), BENCH_PER_ROUND (4),
 * BENCH_SMTP_DELAY_MS (2000), BENCH_SMTP_PORT (23025), BENCH_DIST_DIR.
 */
import { median, num, runBench } from './lib/bench-harness';

const ROUNDS = num('BENCH_ROUNDS', 5);
const PER_ROUND = num('BENCH_PER_ROUND', 4);
const DELAY_MS = num('BENCH_SMTP_DELAY_MS', 2000);
const SMTP_PORT = num('BENCH_SMTP_PORT', 23025);
const SECRET = `whsec_bench_${Date.now().toString(16)}`;

type Mode = 'fast' | 'slow';

async function perDatabase(kind: 'sqlite' | 'postgres', dist: string): Promise<void> {
  // The test support reads its dist directory when first imported.
  process.env.TEST_DIST_DIR = dist;
  const { bootApp } = await import('../tests/support/strapi');
  const { createTestDatabase } = await import('../tests/support/db');
  const { createAdmin, createCourse, createInstructor, createUser } = await import('../tests/support/builders');
  const { startFakeStripe } = await import('../tests/support/fake-stripe');
  const { postWebhook, stripeEvent } = await import('../tests/support/checkout-events');
  const { drainWebhooks, startCheckout, stripeEnv } = await import('../tests/support/checkout-world');
  const { authorCourse, createTaxonomy, submitCourse } = await import('../tests/support/review-fixtures');
  const { startLoopbackSmtp } = await import('../tests/support/smtp');

  const smtp = await startLoopbackSmtp(SMTP_PORT + (kind === 'postgres' ? 1 : 0));
  const fake = await startFakeStripe();
  const database = await createTestDatabase(kind);
  const app = await bootApp({
    database,
    env: {
      ...stripeEnv(fake, SECRET),
      ...smtp.env,
      PUBLIC_URL: 'http://127.0.0.1:1337',
      NOTIFICATIONS_EDITOR_EMAIL: 'editors@kp.test',
      NOTIFICATIONS_WORKER_INTERVAL_MS: '200',
      NOTIFICATIONS_SEND_TIMEOUT_MS: String(DELAY_MS * 3 + 1000),
      NOTIFICATIONS_LEASE_MS: String(DELAY_MS * 6 + 5000),
      CHECKOUT_INBOX_POLL_MS: '100',
    },
  });
  try {
    const admin = await createAdmin(app);
    const taxonomy = await createTaxonomy(app);
    const instructor = await createInstructor(app);

    async function purchaseMs(): Promise<number> {
      const learner = await createUser(app);
      const course = await createCourse(app, { access: 'paid', price: 1999, currency: 'usd', chapters: 1 });
      const started = await startCheckout(app, learner, { course: course.documentId });
      const session = fake.paySession(started.sessionId);
      const t0 = performance.now();
      const res = await postWebhook(app, stripeEvent('checkout.session.completed', session), { secret: SECRET });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      await drainWebhooks(app);
      return performance.now() - t0;
    }

    async function reviewMs(): Promise<number> {
      const course = await authorCourse(app, instructor, { chapters: 3, taxonomy });
      await submitCourse(app, instructor, course.documentId);
      const t0 = performance.now();
      const res = await app
        .http()
        .post(`/review/submissions/${course.documentId}/request-changes`)
        .set('Authorization', admin.auth)
        .send({ comment: 'Please add an exercise to the chapter and say who the course is for.' });
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`request-changes answered ${res.status}: ${JSON.stringify(res.body)}`);
      return ms;
    }

    // Warm-up (first queries, JIT), not counted.
    await purchaseMs();
    await reviewMs();

    const samples: Record<Mode, { purchase: number[]; review: number[] }> = { fast: { purchase: [], review: [] }, slow: { purchase: [], review: [] } };
    const ratios = { purchase: [] as number[], review: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const order: Mode[] = round % 2 === 0 ? ['fast', 'slow'] : ['slow', 'fast'];
      const roundMedian: Record<Mode, { purchase: number; review: number }> = { fast: { purchase: 0, review: 0 }, slow: { purchase: 0, review: 0 } };
      for (const mode of order) {
        smtp.delayMs = mode === 'slow' ? DELAY_MS : 0;
        const p: number[] = [];
        const r: number[] = [];
        for (let i = 0; i < PER_ROUND; i++) {
          p.push(await purchaseMs());
          r.push(await reviewMs());
        }
        samples[mode].purchase = samples[mode].purchase.concat(p);
        samples[mode].review = samples[mode].review.concat(r);
        roundMedian[mode] = { purchase: median(p), review: median(r) };
      }
      ratios.purchase.push(roundMedian.slow.purchase / roundMedian.fast.purchase);
      ratios.review.push(roundMedian.slow.review / roundMedian.fast.review);
      console.log(
        `  ${kind} round ${round + 1}/${ROUNDS}: purchase fast ${roundMedian.fast.purchase.toFixed(1)} ms, slow ${roundMedian.slow.purchase.toFixed(1)} ms; ` +
          `request-changes fast ${roundMedian.fast.review.toFixed(1)} ms, slow ${roundMedian.slow.review.toFixed(1)} ms`
      );
    }
    smtp.delayMs = 0;

    const counts = (await app.strapi.db.connection('notifications_outbox').select('state').count({ n: '*' }).groupBy('state')) as Array<{ state: string; n: number | string }>;
    const purchaseRatio = median(ratios.purchase);
    const reviewRatio = median(ratios.review);
    console.log(`\n${kind}: SMTP holding each message ${DELAY_MS} ms vs answering at once, ${ROUNDS} rounds × ${PER_ROUND} per mode`);
    console.log(`  purchase webhook (POST → applied): fast ${median(samples.fast.purchase).toFixed(1)} ms, slow ${median(samples.slow.purchase).toFixed(1)} ms, slow ÷ fast ${purchaseRatio.toFixed(3)}`);
    console.log(`  review request-changes:           fast ${median(samples.fast.review).toFixed(1)} ms, slow ${median(samples.slow.review).toFixed(1)} ms, slow ÷ fast ${reviewRatio.toFixed(3)}`);
    console.log(`  outbox at the end: ${counts.map((c) => `${c.state} ${c.n}`).join(', ')}; the SMTP server received ${smtp.received.length}`);
    console.log(`BENCH ${JSON.stringify({ bench: 'notifications', metric: `purchase webhook, slow ÷ fast SMTP (${kind})`, value: Number(purchaseRatio.toFixed(3)), unit: '', goal: '~1' })}`);
    console.log(`BENCH ${JSON.stringify({ bench: 'notifications', metric: `review transition, slow ÷ fast SMTP (${kind})`, value: Number(reviewRatio.toFixed(3)), unit: '', goal: '~1' })}`);
  } finally {
    await app.close();
    await database.drop();
    await fake.close();
    await smtp.close();
  }
}

runBench('notifications', 'plugins/notifications/server/src/index.js', perDatabase);
