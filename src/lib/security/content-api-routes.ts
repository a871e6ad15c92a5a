/**
 * The content-API routes of the booted app, as the router sees them: for guards that must decide
 * on the route a request reaches (not on how its path is spelled), and for the route inventory.
 */
import type { Core } from '@strapi/strapi';

export interface ContentApiRoute {
  method: string;
  /** The route's path template, prefix included (`/api/courses/:id`). */
  path: string;
  /** The permission action (`api::course.course.find`, `plugin::paywall.media.show`). */
  action: string;
  /** `auth: false`: no permission is checked. */
  open: boolean;
  /** `api::course`, `plugin::paywall`, … */
  owner: string;
}

interface RouteLike {
  method: string;
  path: string;
  handler: unknown;
  config?: { auth?: false | { scope?: string[] } };
}

/** The action Strapi derives for a route (the same rule as its route scope generator). */
function actionOf(owner: string, route: RouteLike): string {
  const scope = route.config?.auth === false ? undefined : route.config?.auth?.scope?.[0];
  if (scope) return scope;
  const handler = typeof route.handler === 'string' ? route.handler : '(function)';
  const prefix = owner.endsWith('::') ? owner : `${owner}.`;
  return handler.startsWith(prefix) ? handler : `${prefix}${handler}`;
}

/** Every content-API route: core types, every plugin (Strapi's and ours). */
export async function listContentApiRoutes(strapi: Core.Strapi): Promise<ContentApiRoute[]> {
  const map = (await strapi.contentAPI.getRoutesMap()) as unknown as Record<string, RouteLike[]>;
  const out: ContentApiRoute[] = [];
  for (const [owner, routes] of Object.entries(map)) {
    for (const route of routes) {
      out.push({ method: route.method, path: route.path, action: actionOf(owner, route), open: route.config?.auth === false, owner });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

type Layer = { methods: string[]; stack: unknown[] };

/**
 * A predicate: will the router hand `method path` to a content-API route? It runs the router's
 * own matcher over its own layers (after `mount()`), so every spelling the router accepts —
 * case, trailing slash, whatever a later Strapi accepts — is judged the way the router judges it.
 */
export function createContentApiMatcher(strapi: Core.Strapi): (method: string, path: string) => boolean {
  let contentApi: WeakSet<object> | undefined;
  return (method, path) => {
    // Mounting copies the content API's layers into the app router; the copies share their
    // handler stacks, which identify them.
    contentApi ??= new WeakSet(strapi.server.api('content-api').listRoutes().map((layer) => (layer as unknown as Layer).stack));
    const matched = strapi.server.router.match(path, method) as unknown as { pathAndMethod: Layer[] };
    return matched.pathAndMethod.some((layer) => layer.methods.length > 0 && contentApi!.has(layer.stack));
  };
}
