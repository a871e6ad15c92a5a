/**
 * `npm run demo` without a Stripe key: starts the loopback Stripe (tests/support/fake-stripe.ts)
 * with its demo checkout page (scripts/lib/demo-checkout.ts), then `strapi start` pointed at it, so
 * that buying a course or a plan works offline and its receipt reaches the admin Outbox. Stops the
 * fake when Strapi exits. scripts/run.js calls this only outside production and only when neither
 * the environment nor `.env` sets STRIPE_SECRET_KEY.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startFakeStripe } from '../tests/support/fake-stripe';
import { serveDemoCheckout } from './lib/demo-checkout';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const port = process.env.PORT || '1337';
  const webhookSecret = `whsec_demo_${randomBytes(16).toString('hex')}`;
  const fake = await startFakeStripe({ apiKey: `sk_test_demo_${randomBytes(12).toString('hex')}` });
  serveDemoCheckout(fake, {
    webhookUrl: `http://127.0.0.1:${port}/api/checkout/webhook`,
    webhookSecret,
    log: (line) => console.log(line),
  });
  console.log(`▶ demo payments: no STRIPE_SECRET_KEY, so checkout goes to a local demo page (${fake.url}); no card is charged`);
  const child = spawn(path.join(root, 'node_modules', '.bin', 'strapi'), ['start'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, STRIPE_SECRET_KEY: fake.apiKey, STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_API_BASE: fake.url },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    void fake.close().then(() => process.exit(code ?? (signal ? 1 : 0)));
  });
}

void main();
