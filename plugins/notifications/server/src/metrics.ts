import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { modelNames, platformGauge, qualifiedTable } from '@kp/platform';
import { OUTBOX_UID } from './content-types';

interface OutboxRow {
  state: string;
  n: number | string;
  oldest: string | number | Date | null;
}

/** Outbox depth by state and the age of the oldest queued message: one GROUP BY per scrape, shared by both gauges. */
export function registerOutboxMetrics(strapi: Core.Strapi): void {
  const sql = strapi.db.connection as unknown as Knex;
  let pending: { at: number; rows: Promise<OutboxRow[]> } | null = null;
  const read = (): Promise<OutboxRow[]> => {
    if (pending && Date.now() - pending.at < 1000) return pending.rows;
    const names = modelNames(strapi, OUTBOX_UID);
    const state = names.col('state');
    const rows = sql(qualifiedTable(strapi, names.table)).select({ state }).count({ n: '*' }).min({ oldest: names.col('createdAt') }).groupBy(state) as unknown as Promise<OutboxRow[]>;
    pending = { at: Date.now(), rows };
    return rows;
  };
  platformGauge(strapi, {
    name: 'kp_notifications_outbox_messages',
    help: 'Outbox messages by state (queued, sending, sent, failed, captured)',
    labelNames: ['state'],
    async collect() {
      const rows = await read();
      this.reset();
      for (const row of rows) this.set({ state: row.state }, Number(row.n));
    },
  });
  platformGauge(strapi, {
    name: 'kp_notifications_outbox_oldest_queued_age_seconds',
    help: 'Age of the oldest queued outbox message (0 when none waits)',
    async collect() {
      const queued = (await read()).find((r) => r.state === 'queued');
      this.set(queued?.oldest ? Math.max(0, (Date.now() - new Date(queued.oldest).getTime()) / 1000) : 0);
    },
  });
}
