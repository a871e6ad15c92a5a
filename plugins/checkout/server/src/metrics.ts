import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { modelNames, platformGauge, qualifiedTable } from '@kp/platform';

const WEBHOOK_EVENT_UID = 'plugin::checkout.webhook-event';

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
