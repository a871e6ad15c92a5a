import type { Core } from '@strapi/strapi';
import { ADMIN_ACTIONS } from './constants';

/** The admin roles Strapi seeds that read the business figures (Super Admin holds every action already). */
const EDITOR_ROLES = ['strapi-editor'];
const STORE_KEY = 'editor-grants';

/**
 * Grants the Analytics actions to the Editor role once (remembered in the plugin store, so that a
 * super admin who takes them away later is not overruled at the next boot).
 */
async function grantEditorsOnce(strapi: Core.Strapi): Promise<void> {
  const store = strapi.store({ type: 'plugin', name: 'analytics' });
  const done = ((await store.get({ key: STORE_KEY })) as string[] | null) ?? [];
  const wanted = Object.values(ADMIN_ACTIONS);
  for (const code of EDITOR_ROLES) {
    const role = (await strapi.db.query('admin::role').findOne({ where: { code } })) as { id: number } | null;
    if (!role) continue;
    const missing = wanted.filter((action) => !done.includes(`${code}:${action}`));
    if (missing.length === 0) continue;
    const held = (await strapi.db.query('admin::permission').findMany({ where: { role: role.id, action: { $in: missing } }, select: ['action'] })) as Array<{ action: string }>;
    const toCreate = missing.filter((a) => !held.some((h) => h.action === a));
    if (toCreate.length > 0) {
      await strapi.service('admin::permission').createMany(toCreate.map((action) => ({ action, subject: null, properties: {}, conditions: [], role: role.id })));
    }
    for (const a of missing) done.push(`${code}:${a}`);
  }
  await store.set({ key: STORE_KEY, value: done });
}

const rollupTimers = new WeakMap<Core.Strapi, NodeJS.Timeout>();

/** Folds new order changes into the daily order rollup every `rollupIntervalMs` (services/order-rollup.ts). */
function startRollupJob(strapi: Core.Strapi): void {
  const { orderRollup, rollupIntervalMs } = strapi.config.get('plugin::analytics') as { orderRollup: boolean; rollupIntervalMs: number };
  if (!orderRollup || rollupIntervalMs <= 0) return;
  const service = strapi.plugin('analytics').service('order-rollup') as { backgroundFold(): Promise<void> };
  const timer = setInterval(() => {
    service.backgroundFold().catch((error: unknown) => strapi.log.warn(`analytics: order rollup refresh failed: ${error instanceof Error ? error.message : String(error)}`));
  }, rollupIntervalMs);
  timer.unref();
  rollupTimers.set(strapi, timer);
}

export function stopRollupJob({ strapi }: { strapi: Core.Strapi }): void {
  const timer = rollupTimers.get(strapi);
  if (timer) clearInterval(timer);
  rollupTimers.delete(strapi);
}

export const BEHAVIOUR_CRON_TASK = 'analytics-behaviour-training';

/**
 * Retrains the behaviour models on `behaviourCron` (strapi.cron; a failed run keeps the previous
 * models). Every instance runs the rule; the one that claims the fire time in the database trains
 * (behaviour-models `scheduled`, services/schedule-claim.ts).
 */
function scheduleBehaviourTraining(strapi: Core.Strapi): void {
  const rule = (strapi.config.get('plugin::analytics') as { behaviourCron: string }).behaviourCron;
  if (!rule) return;
  strapi.cron.add({
    [BEHAVIOUR_CRON_TASK]: {
      // strapi.cron hands the task the job's fire time, the same on every instance with this rule
      task: async (_context: unknown, fireDate?: unknown) => {
        await (strapi.plugin('analytics').service('behaviour-models') as { scheduled(fireDate?: Date): Promise<unknown> }).scheduled(fireDate instanceof Date ? fireDate : new Date());
      },
      options: { rule },
    },
  });
}

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await grantEditorsOnce(strapi);
  startRollupJob(strapi);
  scheduleBehaviourTraining(strapi);
  // On a fresh database the admin plugin creates its default roles after this bootstrap: grant then.
  strapi.db.lifecycles.subscribe({
    models: ['admin::role'],
    async afterCreate(event) {
      const code = (event.result as { code?: string } | undefined)?.code;
      if (code && EDITOR_ROLES.includes(code)) await grantEditorsOnce(strapi);
    },
  });
};
