import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { modelNames, platformCounter, platformGauge, platformHistogram, qualifiedTable } from '@kp/platform';
import type { InboxStats } from './services/inbox';

const WEBHOOK_EVENT_UID = 'plugin::checkout.webhook-event';

/** What this instance's inbox worker did (counters, histogram): created on first use, one set per app. */
export function inboxMetrics(strapi: Core.Strapi) {
  return {
    outcomes: platformCounter(strapi, {
      name: 'kp_checkout_inbox_outcomes_total',
      help: 'Webhook inbox attempts by this instance, by outcome: applied, retried (failed, another attempt later), dead (attempts spent)',
      labelNames: ['outcome'],
    }),
    applyDelay: platformHistogram(strapi, {
      name: 'kp_checkout_inbox_apply_delay_seconds',
      help: 'From receipt of a Stripe event to the commit of its effects',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300, 3600],
    }),
  };
}

/** The inbox as stored (every instance sees the same): depth, age of the oldest pending event, dead letters. */
export function registerInboxMetrics(strapi: Core.Strapi, stats: () => Promise<InboxStats>): void {
  inboxMetrics(strapi);
  // One read of the three figures per scrape, shared by the three gauges.
  let last: { at: number; value: Promise<InboxStats> } | null = null;
  const read = () => {
    if (!last || Date.now() - last.at > 500) last = { at: Date.now(), value: stats() };
    return last.value;
  };
  platformGauge(strapi, {
    name: 'kp_checkout_inbox_depth',
    help: 'Stripe events received and not applied yet (pending, including those waiting for a retry)',
    async collect() {
      this.set((await read()).pending);
    },
  });
  platformGauge(strapi, {
    name: 'kp_checkout_inbox_oldest_pending_age_seconds',
    help: 'Seconds since the oldest pending Stripe event was received (0 when none)',
    async collect() {
      this.set((await read()).oldestPendingSeconds);
    },
  });
  platformGauge(strapi, {
    name: 'kp_checkout_inbox_dead_letters',
    help: 'Stripe events whose attempts are spent (dead): retry them from the Orders page, Webhook events tab',
    async collect() {
      this.set((await read()).dead);
    },
  });
}

/** Stripe events this app has recorded, by outcome, and the age of the newest: read at each scrape (one GROUP BY, one MAX). */
export function registerWebhookMetrics(strapi: Core.Strapi): void {
  const sql = strapi.db.connection as unknown as Knex;
  platformGauge(strapi, {
    name: 'kp_checkout_webhook_events',
    help: 'Stripe webhook events recorded, by outcome (applied, ignored, …)',
    labelNames: ['outcome'],
    async collect() {
      const names = modelNames(strapi, WEBHOOK_EVENT_UID);
      const outcome = names.col('outcome');
      const rows = (await sql(qualifiedTable(strapi, names.table)).select({ outcome }).count({ n: '*' }).groupBy(outcome)) as Array<{ outcome: string | null; n: number | string }>;
      this.reset();
      for (const row of rows) this.set({ outcome: row.outcome ?? 'unknown' }, Number(row.n));
    },
  });
  platformGauge(strapi, {
    name: 'kp_checkout_webhook_last_processed_age_seconds',
    help: 'Seconds since the newest recorded Stripe event was processed (0 before the first)',
    async collect() {
      const names = modelNames(strapi, WEBHOOK_EVENT_UID);
      const row = (await sql(qualifiedTable(strapi, names.table)).max({ last: names.col('processedAt') }).first()) as { last: string | number | Date | null } | undefined;
      this.reset();
      if (row?.last) this.set(Math.max(0, (Date.now() - new Date(row.last).getTime()) / 1000));
    },
  });
}
