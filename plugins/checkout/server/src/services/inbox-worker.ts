/**
 * The webhook inbox's worker, one per instance (started in bootstrap when the webhook is
 * configured and CHECKOUT_INBOX_WORKER is not false). A pass takes the due head-of-key events
 * (inbox.ts `candidates`) and applies them, CHECKOUT_INBOX_CONCURRENCY at a time on PostgreSQL
 * (each of another Stripe object; the row lock `FOR UPDATE SKIP LOCKED` is the claim, so instances
 * never apply one event twice), one at a time on SQLite. It is woken at once by a receipt in this
 * process and polls every CHECKOUT_INBOX_POLL_MS otherwise (events received by another instance,
 * retries coming due, rows left by an instance that died: its transaction rolled back, the row is
 * pending again). Each event is applied under the request id of the request that received it.
 */
import type { Core } from '@strapi/strapi';
import { runWithRequestId } from '@kp/platform';
import { readConfig } from '../config';
import { describeError } from '../domain/inbox';
import { inboxMetrics } from '../metrics';
import { getService } from '../utils';
import type { InboxEvent } from './inbox';

export type AttemptOutcome = 'applied' | 'retried' | 'dead' | 'skipped';

export interface PassResult {
  applied: number;
  retried: number;
  dead: number;
  skipped: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<PassResult> | null = null;
  let again = false;
  let stopped = true;
  let lastWarning = 0;

  const inbox = () => getService(strapi, 'inbox');

  /** One event: applied and marked done in one transaction, or its failure recorded. */
  function attempt(event: InboxEvent): Promise<AttemptOutcome> {
    return runWithRequestId(event.requestId, async () => {
      try {
        const result = await getService(strapi, 'webhooks').applyInboxEvent(event);
        if (result.status === 'skipped') return 'skipped';
        const metrics = inboxMetrics(strapi);
        metrics.outcomes.inc({ outcome: 'applied' });
        metrics.applyDelay.observe(Math.max(0, (Date.now() - event.receivedAt.getTime()) / 1000));
        return 'applied';
      } catch (error) {
        try {
          return (await inbox().recordFailure(event, error)) === 'dead' ? 'dead' : 'retried';
        } catch (recordError) {
          // The database is gone too: the event stays pending and is taken again later.
          strapi.log.warn(`[checkout] ${event.eventId}: apply failed (${describeError(error)}) and the failure could not be recorded (${describeError(recordError)})`);
          return 'retried';
        }
      }
    });
  }

  /** Takes due events until none is left or nothing progresses (every candidate taken by another instance). */
  async function pass(): Promise<PassResult> {
    const settings = readConfig(strapi, 'inbox');
    const concurrency = inbox().concurrent() ? settings.concurrency : 1;
    const totals: PassResult = { applied: 0, retried: 0, dead: 0, skipped: 0 };
    for (;;) {
      const batch = await inbox().candidates(concurrency * 4);
      if (batch.length === 0) return totals;
      let next = 0;
      let progressed = 0;
      await Promise.all(
        Array.from({ length: Math.min(concurrency, batch.length) }, async () => {
          while (next < batch.length) {
            const outcome = await attempt(batch[next++]!);
            totals[outcome] += 1;
            if (outcome !== 'skipped') progressed += 1;
          }
        })
      );
      if (progressed === 0) return totals;
    }
  }

  /** One pass at a time in this process; a wake-up during a pass runs another one after it. */
  function exclusive(): Promise<PassResult> {
    if (running) return running;
    running = pass().finally(() => {
      running = null;
      if (again && !stopped) {
        again = false;
        tick();
      }
    });
    return running;
  }

  function tick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    exclusive().catch((error: unknown) => {
      // Usually the database being unavailable: said once a minute, tried again at the next poll.
      if (Date.now() - lastWarning > 60_000) {
        lastWarning = Date.now();
        strapi.log.warn(`[checkout] inbox worker: ${describeError(error)} (retrying every ${readConfig(strapi, 'inbox').pollMs} ms)`);
      }
    });
  }

  return {
    /** Starts polling (bootstrap); false when this instance does not apply events (CHECKOUT_INBOX_WORKER=false). */
    start(): boolean {
      const settings = readConfig(strapi, 'inbox');
      if (!settings.worker || timer) return Boolean(timer);
      stopped = false;
      timer = setInterval(tick, settings.pollMs);
      timer.unref();
      setImmediate(tick);
      return true;
    },

    /** An event was stored by this instance: look now rather than at the next poll. */
    wake(): void {
      if (!stopped) setImmediate(tick);
    },

    /** Stops polling and waits for the pass in progress (destroy; the benchmark pauses it). */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      if (running) await running.catch(() => undefined);
    },

    /** Whether this instance's worker is polling. */
    running(): boolean {
      return timer !== null;
    },

    /**
     * Applies until no pending event is due, whichever instance applies them (tests and the
     * benchmark wait on it): passes of this process, and waits while another holds a row.
     */
    async drain(timeoutMs = 30_000): Promise<void> {
      const until = Date.now() + timeoutMs;
      for (;;) {
        await exclusive();
        if (!(await inbox().hasDue())) return;
        if (Date.now() > until) throw new Error(`webhook inbox not drained within ${timeoutMs} ms`);
        await sleep(20);
      }
    },
  };
};
