/**
 * The principal cache: what users-permissions' content-API strategy reads for every request with
 * a JWT — the user with its role, the advanced settings (e-mail confirmation), the role's
 * permissions turned into an ability — kept per instance for a short TTL, and the public role's
 * ability for requests without one. users-permissions' own authenticate is kept for everything
 * this does not cache (src/extensions/users-permissions wraps the strategy and hands it here).
 *
 * Same decisions as the strategy (node_modules/@strapi/plugin-users-permissions/server/src/
 * strategies/users-permissions.js): no user → "Invalid credentials"; unconfirmed while e-mail
 * confirmation is on, or blocked → "Invalid credentials"; else the role's ability. A refused user
 * is cached as refused (the next change of the account drops it).
 *
 * Coherence: every change of a user, role, permission or those settings drops the entries it
 * makes stale when its transaction commits (services/invalidation.ts), here and, by broadcast, on
 * every instance. A look-up that started before a drop never stores what it read (generation).
 */
import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';
import { broadcast, platformCounter } from '@kp/platform';
import { instanceId, pluginConfig } from '../utils';

/** What users-permissions' strategy returns (`@strapi/core`'s auth service reads it). */
export interface AuthResult {
  authenticated?: boolean;
  credentials?: unknown;
  ability?: unknown;
  error?: string;
}

export type Authenticate = (ctx: AuthCtx) => Promise<AuthResult>;

export interface AuthCtx {
  state: { user?: unknown; session?: { id: unknown } };
}

interface UserRow {
  id: number;
  blocked?: boolean | null;
  confirmed?: boolean | null;
  role?: { id: number } & Record<string, unknown>;
  [k: string]: unknown;
}

interface Principal {
  user: UserRow;
  /** null: refused (blocked, or unconfirmed while confirmation is required). */
  ability: unknown;
}

interface UpServices {
  jwt: { getToken(ctx: unknown): Promise<{ id?: unknown; sessionId?: unknown } | null> };
  user: { fetchAuthenticatedUser(id: unknown): Promise<UserRow | null> };
  permission: {
    findRolePermissions(roleId: number): Promise<Array<{ action: string }>>;
    findPublicPermissions(): Promise<Array<{ action: string }>>;
    toContentAPIPermission(p: { action: string }): { action: string };
  };
}

const PUBLIC = 'public';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let generation = 0;
  let principals: LRUCache<string, Principal> | null = null;
  let abilities: LRUCache<string, { ability: unknown }> | null = null;
  let advanced: { value: { email_confirmation?: boolean } | null } | null = null;

  const lookups = platformCounter(strapi, {
    name: 'kp_cache_principal_lookups_total',
    help: 'Authenticated principals (users-permissions JWT) by cache outcome: hit or miss',
    labelNames: ['outcome'],
  });

  const up = <N extends keyof UpServices>(name: N): UpServices[N] => strapi.plugin('users-permissions').service(name) as unknown as UpServices[N];

  function ensure(): boolean {
    const ttlSeconds = pluginConfig(strapi, 'principalTtlSeconds');
    if (ttlSeconds <= 0) return false;
    if (!principals || !abilities) {
      const ttl = ttlSeconds * 1000;
      principals = new LRUCache({ max: pluginConfig(strapi, 'principalMax'), ttl });
      abilities = new LRUCache({ max: 1000, ttl });
    }
    return true;
  }

  async function advancedSettings(): Promise<{ email_confirmation?: boolean } | null> {
    if (advanced) return advanced.value;
    const gen = generation;
    const value = (await strapi.store({ type: 'plugin', name: 'users-permissions' }).get({ key: 'advanced' })) as { email_confirmation?: boolean } | null;
    if (gen === generation) advanced = { value };
    return value;
  }

  async function abilityFor(key: string, load: () => Promise<Array<{ action: string }>>): Promise<unknown> {
    const hit = abilities!.get(key);
    if (hit) return hit.ability;
    const gen = generation;
    const permissions = (await load()).map((p) => up('permission').toContentAPIPermission(p));
    const ability = permissions.length === 0 ? null : await strapi.contentAPI.permissions.engine.generateAbility(permissions);
    if (gen === generation) abilities!.set(key, { ability });
    return ability;
  }

  /** A copy per request: nothing a request does to its `ctx.state.user` reaches the cache. */
  const copy = (u: UserRow): UserRow => ({ ...u, ...(u.role ? { role: { ...u.role } } : {}) });

  async function principal(id: unknown): Promise<Principal | null> {
    const key = String(id);
    const hit = principals!.get(key);
    if (hit) {
      lookups.inc({ outcome: 'hit' });
      return hit;
    }
    lookups.inc({ outcome: 'miss' });
    const gen = generation;
    const user = await up('user').fetchAuthenticatedUser(id);
    if (!user) return null;
    const settings = await advancedSettings();
    const refused = Boolean((settings?.email_confirmation && !user.confirmed) || user.blocked);
    const roleId = user.role?.id;
    const ability = refused || typeof roleId !== 'number' ? null : await abilityFor(`role:${roleId}`, () => up('permission').findRolePermissions(roleId));
    const p: Principal = { user, ability: refused ? null : ability };
    if (gen === generation) principals!.set(key, p);
    return p;
  }

  function dropLocal(userIds: number[] | 'all'): void {
    generation += 1;
    if (userIds === 'all') {
      principals?.clear();
      abilities?.clear();
      advanced = null;
      return;
    }
    for (const id of userIds) principals?.delete(String(id));
  }

  return {
    /**
     * users-permissions' authenticate, answered from the cache where it can; `original` (the
     * plugin's own) when the cache is off.
     */
    async authenticate(ctx: AuthCtx, original: Authenticate): Promise<AuthResult> {
      if (!ensure()) return original(ctx);
      try {
        const token = await up('jwt').getToken(ctx);
        if (!token) {
          const ability = await abilityFor(PUBLIC, () => up('permission').findPublicPermissions());
          return ability ? { authenticated: true, credentials: null, ability } : { authenticated: false };
        }
        const { id, sessionId } = token;
        if (id === undefined) return { authenticated: false };
        const p = await principal(id);
        if (!p) return { error: 'Invalid credentials' };
        if (!p.ability) {
          if (p.user.blocked) return { error: 'Invalid credentials' };
          // Unconfirmed, or a role without any permission: users-permissions' own code answers.
          return original(ctx);
        }
        const user = copy(p.user);
        ctx.state.user = user;
        if (sessionId) ctx.state.session = { id: sessionId };
        return { authenticated: true, credentials: user, ability: p.ability };
      } catch {
        return { authenticated: false };
      }
    },

    /** Tells the other instances to drop these principals (after `dropHere`). */
    async broadcastDrop(userIds: number[] | 'all', reason: string): Promise<void> {
      await broadcast(strapi, 'cache.principals', { from: instanceId(strapi), userIds: userIds === 'all' ? [] : userIds, all: userIds === 'all', reason });
    },

    /** Drops here, at once (a local write, or another instance's broadcast). */
    dropHere: dropLocal,

    size(): number {
      return principals?.size ?? 0;
    },
  };
};
