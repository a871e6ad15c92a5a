/**
 * The content API as the OpenAPI document sees it: every route of the booted app (from
 * `listContentApiRoutes`, the same list the route-permission inventory and the draft guard use)
 * in OpenAPI path form, and what each role holds now in the database.
 */
import type { Core } from '@strapi/strapi';
import { listContentApiRoutes } from './security/content-api-routes';

export interface ApiRoute {
  method: string;
  /** Path under the content API prefix (`/api`), Strapi style: `/courses/:id`. */
  path: string;
  /** The same path in OpenAPI style: `/courses/{id}`. */
  docPath: string;
  /** `api::course.course.find`, `plugin::paywall.media.show`. */
  action: string;
  /** `auth: false`: no permission is checked, anyone may call it. */
  open: boolean;
  /** Who defines it: `api::course`, `plugin::paywall`, … */
  owner: string;
}

const toDocPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, '{$1}');

/** Every content-API route of the booted app, paths relative to `/api`. */
export async function contentApiSurface(strapi: Core.Strapi): Promise<ApiRoute[]> {
  const prefix = strapi.config.get('api.rest.prefix', '/api') as string;
  return (await listContentApiRoutes(strapi)).map((r) => {
    const path = (r.path.startsWith(prefix) ? r.path.slice(prefix.length) : r.path).replace(/(.)\/$/, '$1') || '/';
    return { method: r.method.toUpperCase(), path, docPath: toDocPath(path), action: r.action, open: r.open, owner: r.owner };
  });
}

/** The content-API actions each role holds now, from the database (what users-permissions enforces). */
export async function heldActions(strapi: Core.Strapi, roles: readonly string[]): Promise<Map<string, Set<string>>> {
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
