/**
 * The child process of a behaviour training (forked by behaviour-run.ts `trainInChild`): receives
 * the plan (SQL and settings) and a knex configuration, opens its own connection, runs the training,
 * sends back the output and its peak RSS, and exits. Not a Strapi service: it loads no Strapi.
 */
import knexFactory from 'knex';
import type { Knex } from 'knex';
import { runTraining, type ChildConnection, type TrainerMessage, type TrainingPlan } from './behaviour-run';

async function main(request: { plan: TrainingPlan; connection: ChildConnection }): Promise<void> {
  const send = (m: TrainerMessage) => new Promise<void>((resolve) => (process.send ? process.send(m, () => resolve()) : resolve()));
  const knex = knexFactory({ client: request.connection.client, connection: request.connection.connection as Knex.StaticConnectionConfig, pool: { min: 0, max: 4 }, useNullAsDefault: true });
  try {
    const pg = request.plan.pg;
    const output = await runTraining(
      request.plan,
      async (q) => {
        const result = await knex.raw(q.text, q.values as Knex.RawBinding[]);
        return (pg ? (result as { rows: Record<string, unknown>[] }).rows : (result as Record<string, unknown>[])) ?? [];
      },
      (step, progress) => void send({ type: 'step', step, progress }),
    );
    await send({ type: 'done', output, maxRssKb: process.resourceUsage().maxRSS });
  } catch (error) {
    await send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  } finally {
    await knex.destroy().catch(() => undefined);
  }
}

if (require.main === module && process.send) {
  process.once('message', (request: { plan: TrainingPlan; connection: ChildConnection }) => {
    void main(request).finally(() => process.exit(0));
  });
}
