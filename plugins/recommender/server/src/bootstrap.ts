import { onBroadcast } from '@kp/platform';
import type { Core } from '@strapi/strapi';
import { pluginConfig } from './config';
import { registerIndexMetrics } from './metrics';
import { INDEX_READ, INDEX_REBUILD } from './routes/admin';
import { getService } from './utils';

/**
 * Gives the admin panel's Editor role the index actions, once: the flag in the core store means
 * that an editor role from which an administrator later removes them keeps them removed.
 */
async function grantEditorRoleOnce(strapi: Core.Strapi): Promise<boolean> {
  const store = strapi.store({ type: 'plugin', name: 'recommender' });
  if (await store.get({ key: 'editor-role-granted' })) return true;
  const role = (await strapi.db.query('admin::role').findOne({ where: { code: 'strapi-editor' } })) as { id: number } | null;
  if (!role) return false;
  {
    const existing = (await strapi.db.query('admin::permission').findMany({
      where: { role: role.id, action: { $in: [INDEX_READ, INDEX_REBUILD] } },
      select: ['action'],
    })) as Array<{ action: string }>;
    const have = new Set(existing.map((p) => p.action));
    const missing = [INDEX_READ, INDEX_REBUILD].filter((a) => !have.has(a));
    if (missing.length) {
      await strapi.service('admin::role').addPermissions(
        role.id,
        missing.map((action) => ({ action, subject: null, properties: {}, conditions: [] })),
      );
    }
  }
  await store.set({ key: 'editor-role-granted', value: true });
  return true;
}

let grantTimer: NodeJS.Timeout | null = null;
/** Per app: a test process may run two apps at once. */
const subscriptions = new WeakMap<Core.Strapi, Array<() => void>>();

/**
 * The admin panel creates its default roles in its own bootstrap, which Strapi runs after the
 * plugins' bootstraps: on a fresh database the Editor role appears a moment later, so the grant is
 * retried in the background for a few seconds.
 */
function grantEditorRoleSoon(strapi: Core.Strapi, attempt = 0): void {
  grantTimer = null;
  grantEditorRoleOnce(strapi)
    .then((done) => {
      if (!done && attempt < 100) {
        grantTimer = setTimeout(() => grantEditorRoleSoon(strapi, attempt + 1), 100);
        grantTimer.unref();
      }
    })
    .catch((error: unknown) => {
      strapi.log.warn(`recommender: could not grant the Editor role its index actions: ${error instanceof Error ? error.message : String(error)}`);
    });
}

/** Stops a pending grant retry (plugin destroy). */
export function stopGrantRetry(): void {
  if (grantTimer) clearTimeout(grantTimer);
  grantTimer = null;
}

/** Stops listening to broadcasts (plugin destroy). */
export function stopListening(strapi: Core.Strapi): void {
  for (const stop of subscriptions.get(strapi) ?? []) stop();
  subscriptions.delete(strapi);
}

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  if (pluginConfig(strapi, 'grantEditorRole')) grantEditorRoleSoon(strapi);
  const index = getService(strapi, 'course-index');
  registerIndexMetrics(strapi);
  // Courses written through any instance; a rebuild after messages may have been missed.
  subscriptions.set(strapi, [
    onBroadcast(strapi, 'recommender.courses', (payload) => index.applyBroadcast(payload)),
    onBroadcast(strapi, 'platform.resync', () => void index.build('broadcast reconnected')),
  ]);
  // Awaited: the first requests after boot get a built index (a failure is logged and reported
  // by the admin page; the lists are then empty until a rebuild succeeds).
  await index.build('boot');
  index.startTimers();
};
