/**
 * The outbox worker: on an interval (and when a change commits a message), claims due rows and
 * sends each through the email plugin's provider, outside any transaction. A send that fails or
 * takes longer than `sendTimeoutMs` counts as a failed attempt (back-off, then failed); none of
 * this runs in a request.
 */
import type { Core } from '@strapi/strapi';
import { describeFailure } from '../domain/backoff';
import type { ClaimedMessage } from './outbox';
import { getService, pluginConfig } from '../utils';

interface EmailProvider {
  send(options: { to: string; from?: string; replyTo?: string; subject: string; text: string; html: string }): Promise<unknown>;
}

export interface Worker {
  /** Claims and sends until nothing is due; returns how many messages it sent. */
  runOnce(): Promise<{ sent: number; failed: number }>;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let again = false;
  let stopped = false;

  function provider(): EmailProvider {
    const p = (strapi.plugin('email') as unknown as { provider?: EmailProvider }).provider;
    if (!p) throw new Error('the email plugin has no provider');
    return p;
  }

  async function deliver(message: ClaimedMessage): Promise<void> {
    const { from, replyTo, worker } = { from: pluginConfig(strapi, 'from'), replyTo: pluginConfig(strapi, 'replyTo'), worker: pluginConfig(strapi, 'worker') };
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        provider().send({ to: message.recipient, from, ...(replyTo ? { replyTo } : {}), subject: message.subject, text: message.text, html: message.html }),
        new Promise((_, reject) => {
          timeout = setTimeout(() => reject(new Error(`SMTP send took longer than ${worker.sendTimeoutMs} ms`)), worker.sendTimeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timeout);
    }
  }

  /** A worker: each claims its own rows (tests run two side by side). */
  function createWorker(name = 'main'): Worker {
    return {
      async runOnce() {
        const outbox = getService(strapi, 'outbox');
        const { batchSize } = pluginConfig(strapi, 'worker');
        let sent = 0;
        let failed = 0;
        for (;;) {
          const batch = await outbox.claim(batchSize);
          if (batch.length === 0) return { sent, failed };
          // The batch goes out in parallel, each send bounded by sendTimeoutMs (shorter than the
          // lease, see config.ts): every send of the batch ends before another worker may take its row.
          const results = await Promise.all(
            batch.map(async (message) => {
              try {
                await deliver(message);
                await outbox.markSent(message.id);
                return true;
              } catch (error) {
                const state = await outbox.markFailed(message, error);
                strapi.log.warn(`[notifications] worker ${name}: message ${message.id} to ${message.recipient} not sent (attempt ${message.attempts}, now ${state}): ${describeFailure(error)}`);
                return false;
              }
            })
          );
          const delivered = results.filter(Boolean).length;
          sent += delivered;
          failed += results.length - delivered;
        }
      },
    };
  }

  const main = createWorker('main');

  /** One pass, never two at once in this process; a wake-up during a pass runs another pass after it. */
  function tick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = main
      .runOnce()
      .catch((error: unknown) => strapi.log.error(`[notifications] outbox worker failed: ${describeFailure(error)}`))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          tick();
        }
      });
  }

  return {
    createWorker,

    /** Starts the interval (bootstrap), unless disabled by configuration or mail is captured. */
    start(): void {
      const config = pluginConfig(strapi, 'worker');
      stopped = false;
      if (!config.enabled || getService(strapi, 'outbox').capturing()) return;
      timer = setInterval(tick, config.intervalMs);
      timer.unref();
      tick();
    },

    /** A message was committed: look now rather than at the next interval. */
    wake(): void {
      if (timer) setImmediate(tick);
    },

    /** Stops the interval and waits for the pass in progress (destroy). */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      if (running) await running;
    },

    /** Waits for the pass in progress, if any (tests). */
    async idle(): Promise<void> {
      while (running) await running;
    },
  };
};
