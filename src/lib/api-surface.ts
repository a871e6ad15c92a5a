/**
 * The content API as the booted app serves it: every route of every API and plugin, with the
 * users-permissions action that governs it. The OpenAPI document and the route-permission
 * inventory are both built from this one table.
 */
import type { Core } from '@strapi/strapi';

export interface ApiRoute {
  method: string;
  /** Path under the content API prefix (`/api`), Strapi style: `/courses/:id`. */
  path: string;
  /** The same path in OpenAPI style: `/courses/{id}`. */
  docPath: string;
  /** `api::course.course.find`, `plugin::paywall.media.show`; null for function handlers. */
  action: string | null;
  /** `auth: false`: no permission is checked, anyone may call it. */
  open: boolean;
  /** Who defines it: an API of the app (`api:course`) or a plugin (`plugin:paywall`). */
  origin: string;
}

interface RouteLike {
  method: string;
  path: string;
  handler: unknown;
  config?: { prefix?: string; auth?: false | object };
  info?: { pluginName?: string; apiName?: string };
}
type RouterLike = { type?: string; routes?: RouteLike[] };

const toDocPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, '{$1}');

function actionOf(route: RouteLike, kind: 'api' | 'plugin', name: string): string | null {
  if (typeof route.handler !== 'string') return null;
  if (route.handler.includes('::')) return route.handler;
  return kind === 'api' ? `api::${name}.${route.handler}` : `plugin::${name}.${route.handler}`;
}

function routersOf(routes: unknown): RouterLike[] {
  if (!routes) return [];
  if (Array.isArray(routes)) return [{ type: 'admin', routes: routes as RouteLike[] }]; // plugin array form = admin
  return Object.values(routes as Record<string, RouterLike>);
}

/** Every content-API route of the booted app, in a stable order. */
export function contentApiSurface(strapi: Core.Strapi): ApiRoute[] {
  const out: ApiRoute[] = [];
  const add = (kind: 'api' | 'plugin', name: string, routers: RouterLike[]) => {
    for (const router of routers) {
      if (router.type !== 'content-api') continue;
      for (const route of router.routes ?? []) {
        const prefix = kind === 'plugin' ? (route.config?.prefix ?? `/${name}`) : (route.config?.prefix ?? '');
        const path = `${prefix}${route.path}`.replace(/(.)\/$/, '$1');
        out.push({ method: route.method.toUpperCase(), path, docPath: toDocPath(path), action: actionOf(route, kind, name), open: route.config?.auth === false, origin: `${kind}:${name}` });
      }
    }
  };
  for (const [name, api] of Object.entries(strapi.apis as Record<string, { routes?: unknown }>)) add('api', name, routersOf(api.routes));
  for (const [name, plugin] of Object.entries(strapi.plugins as Record<string, { routes?: unknown }>)) add('plugin', name, routersOf(plugin.routes));
  return out.sort((a, b) => (a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path)));
}

/** The content-API actions each role holds now, from the database (what users-permissions enforces). */
export async function grantedActions(strapi: Core.Strapi, roles: readonly string[]): Promise<Map<string, Set<string>>> {
  const rows = (await strapi.db.query('plugin::users-permissions.permission').findMany({
    where: { role: { type: { $in: [...roles] } } },
    select: ['action'],
    populate: { role: { select: ['type'] } },
  })) as Array<{ action: string; role?: { type?: string } | null }>;
  const byRole = new Map<string, Set<string>>(roles.map((r) => [r, new Set<string>()]));
  for (const row of rows) {
    const type = row.role?.type;
    if (type && byRole.has(type)) byRole.get(type)!.add(row.action);
  }
  return byRole;
}
