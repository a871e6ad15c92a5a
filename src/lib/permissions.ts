import type { Core } from '@strapi/strapi';
import { ROLES, ROUTE_PERMISSIONS, forbiddenActions, grantedActions, type RoleType } from './security/route-permissions';

export type { RoleType };

const PERMISSION_UID = 'plugin::users-permissions.permission';
const ROLE_UID = 'plugin::users-permissions.role';
const STORE_KEY = 'granted-permissions';

export const PLATFORM_PLUGINS = ['paywall', 'checkout', 'review', 'recommender', 'learning', 'operations', 'analytics', 'community', 'notifications', 'cache'];

type ActionRegistry = { has(uid: string): boolean };

/** Is `action` one of the booted app's content-API actions (its plugin is enabled)? */
function registered(strapi: Core.Strapi): (action: string) => boolean {
  const provider = (strapi.contentAPI.permissions as unknown as { providers: { action: ActionRegistry } }).providers.action;
  return (action) => provider.has(action);
}

/**
 * Each platform plugin states what its routes need (`rolePermissions` in its config); the matrix in
 * src/lib/security/route-permissions.ts decides. A need the matrix does not grant is a mistake to
 * fix in one of the two files, so the boot stops and names it rather than ship a route that
 * answers 403 to the role it was written for (or a grant nobody reviewed).
 */
export function assertPluginNeedsGranted(strapi: Core.Strapi): void {
  const problems: string[] = [];
  for (const name of PLATFORM_PLUGINS) {
    if (!strapi.plugin(name)) continue;
    const declared = strapi.plugin(name).config('rolePermissions') as Partial<Record<RoleType, string[]>> | undefined;
    for (const role of ROLES) {
      for (const action of declared?.[role] ?? []) {
        if (!ROUTE_PERMISSIONS[action]?.roles.includes(role)) problems.push(`${name}: ${role} → ${action}`);
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `Plugins ask for permissions that src/lib/security/route-permissions.ts does not grant: ${problems.join('; ')}. ` +
        'Add them to the matrix (with the reason) or remove them from the plugin\'s rolePermissions.'
    );
  }
}

/** Every action a role is granted: the matrix's, limited to the actions of enabled plugins. */
export function wantedPermissions(strapi: Core.Strapi, role: RoleType): string[] {
  const isRegistered = registered(strapi);
  return grantedActions(role).filter(isRegistered);
}

const ROLE_DEFINITIONS: Record<RoleType, { name: string; description: string }> = {
  public: { name: 'Public', description: 'Default role given to unauthenticated user.' },
  authenticated: { name: 'Authenticated', description: 'Learners: every registered user.' },
  instructor: {
    name: 'Instructor',
    description: 'Writes their own courses and chapters as drafts and submits them for review.',
  },
};

type GrantedStore = Record<string, string[]>;

/**
 * Deletes, from every users-permissions role, the permissions the matrix marks `forbidden` for
 * that role: an earlier version of the platform granted some of them (the instructor role held
 * `plugin::upload.content-api.upload`), and the grant-once memory below would otherwise keep them
 * forever. Runs on every boot; a second run finds nothing. Returns what it removed.
 */
export async function revokeForbiddenPermissions(strapi: Core.Strapi, granted?: GrantedStore): Promise<Array<{ role: string; action: string }>> {
  const rules = new Map(forbiddenActions().map((f) => [f.action, new Set<string>(f.allowed)]));
  const rows = (await strapi.db.query(PERMISSION_UID).findMany({
    where: { action: { $in: [...rules.keys()] } },
    select: ['id', 'action'],
    populate: { role: { select: ['type'] } },
  })) as Array<{ id: number; action: string; role: { type: string } | null }>;
  const doomed = rows.filter((row) => !row.role || !rules.get(row.action)!.has(row.role.type));
  if (doomed.length === 0) return [];
  await strapi.db.query(PERMISSION_UID).deleteMany({ where: { id: { $in: doomed.map((r) => r.id) } } });
  const removed = doomed.map((r) => ({ role: r.role?.type ?? '(no role)', action: r.action }));
  for (const { role, action } of removed) {
    if (granted?.[role]) granted[role] = granted[role]!.filter((a) => a !== action);
  }
  strapi.log.warn(
    `[permissions] revoked permissions the platform forbids: ${removed.map((r) => `${r.role} → ${r.action}`).join(', ')}`
  );
  return removed;
}

/**
 * Creates the instructor role when missing, revokes forbidden permissions, and grants each role
 * the actions of the matrix it was never given before. What was granted is remembered in the core
 * store, so an action an editor later removes in the admin panel is not granted again on the next
 * restart: bootstrap adds once, it never resets — except for forbidden actions, which it removes
 * on every boot.
 */
export async function ensureRolesAndPermissions(strapi: Core.Strapi): Promise<void> {
  assertPluginNeedsGranted(strapi);
  const store = strapi.store({ type: 'core', name: 'platform' });
  const granted = ((await store.get({ key: STORE_KEY })) as GrantedStore | null) ?? {};
  const revoked = await revokeForbiddenPermissions(strapi, granted);
  let changed = revoked.length > 0;

  for (const type of ROLES) {
    let role = await strapi.db.query(ROLE_UID).findOne({ where: { type } });
    if (!role) {
      role = await strapi.db.query(ROLE_UID).create({ data: { type, ...ROLE_DEFINITIONS[type] } });
    }
    const already = new Set(granted[type] ?? []);
    const missing = wantedPermissions(strapi, type).filter((a) => !already.has(a));
    if (missing.length === 0) continue;
    const existing = await strapi.db.query(PERMISSION_UID).findMany({
      where: { role: role.id, action: { $in: missing } },
      select: ['action'],
    });
    const present = new Set(existing.map((p: { action: string }) => p.action));
    for (const action of missing) {
      if (!present.has(action)) {
        await strapi.db.query(PERMISSION_UID).create({ data: { action, role: role.id } });
      }
    }
    granted[type] = [...already, ...missing].sort();
    changed = true;
  }
  if (changed) await store.set({ key: STORE_KEY, value: granted });
}
