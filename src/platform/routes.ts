/**
 * Routes as data, with the zod schemas that validate them. One definition serves three ends:
 * Strapi registers the route (its `request`/`response` schemas feed Strapi's own OpenAPI generator),
 * a validation middleware derived from the same schemas answers bad input with a 400 before the
 * handler runs, and the handler reads the parsed input with `inputOf(ctx, route)`. A schema cannot
 * disagree with its validator: they are the same object.
 */
import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { invalidInput } from './http';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type AnyObject = z.ZodObject<z.ZodRawShape>;

/** A documented example of a call, checked against the document and the running server by the tests. */
export interface RouteExample {
  name: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** Who sends it: anonymous, a learner's JWT, an instructor's. */
  as?: 'anonymous' | 'learner' | 'instructor';
  /** The status a fresh demo-like world answers. */
  status: number;
}

export interface RouteSpec<P extends AnyObject | undefined = AnyObject | undefined, Q extends AnyObject | undefined = AnyObject | undefined, B extends z.ZodType | undefined = z.ZodType | undefined> {
  method: Method;
  /** Path relative to the plugin's prefix, Strapi style (`/courses/:documentId`). */
  path: string;
  /** `controller.action` of this plugin. */
  handler: string;
  config?: Core.RouteConfig;
  /** One line for the OpenAPI operation. */
  summary: string;
  description?: string;
  request?: {
    params?: P;
    query?: Q;
    body?: B;
    /** Media type of the body (default application/json). */
    bodyType?: 'application/json' | 'multipart/form-data';
  };
  /** The 200 (or 201) body. Routes that answer a file or a redirect describe it in `produces`. */
  response: z.ZodType;
  /** The status of a success (default 200): 201 for a created resource, 202 for accepted work. */
  status?: 200 | 201 | 202;
  /** For non-JSON answers (a PDF, a media stream, a redirect). */
  produces?: string;
  /** Documented refusals: status → when. */
  errors?: Partial<Record<400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 500 | 502 | 503, string>>;
  examples?: RouteExample[];
}

/** What the validation middleware parsed, typed from the route's schemas. */
// `request` and its parts are optional properties: read them through NonNullable, or every part
// would fall to its fallback (a route's params typed `Record<string, never>`, its query fields `never`).
type RequestPart<S extends RouteSpec, K extends 'params' | 'query' | 'body'> = NonNullable<NonNullable<S['request']>[K]>;
type ParsedPart<S extends RouteSpec, K extends 'params' | 'query' | 'body', Fallback> = [RequestPart<S, K>] extends [never]
  ? Fallback
  : RequestPart<S, K> extends z.ZodType
    ? z.output<RequestPart<S, K>>
    : Fallback;

export interface InputOf<S extends RouteSpec> {
  params: ParsedPart<S, 'params', Record<string, never>>;
  query: ParsedPart<S, 'query', Record<string, never>>;
  body: ParsedPart<S, 'body', undefined>;
}

const INPUT = Symbol('platform.routeInput');

/**
 * Types a route definition (identity at run time). The defaults type the parts a route does not
 * declare as absent; without them they would be inferred as their constraint.
 */
export function route<P extends AnyObject | undefined = undefined, Q extends AnyObject | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<P, Q, B>
): RouteSpec<P, Q, B> {
  return spec;
}

type Ctx = { params?: unknown; query?: unknown; request?: { body?: unknown }; state: Record<string | symbol, unknown> };

/** The validation middleware of one route: parses params, query and body, or answers 400 naming each problem. */
export function validationMiddleware(spec: RouteSpec) {
  return async (ctx: Ctx, next: () => Promise<unknown>) => {
    const req = spec.request ?? {};
    const out: { params: unknown; query: unknown; body: unknown } = { params: {}, query: {}, body: undefined };
    if (req.params) {
      const r = req.params.safeParse(ctx.params ?? {});
      if (!r.success) throw invalidInput(r.error, 'path parameters', 'params');
      out.params = r.data;
    }
    if (req.query) {
      const r = req.query.safeParse(ctx.query ?? {});
      if (!r.success) throw invalidInput(r.error, 'query', 'query');
      out.query = r.data;
    }
    if (req.body) {
      const r = req.body.safeParse(ctx.request?.body ?? {});
      if (!r.success) throw invalidInput(r.error, 'body', 'body');
      out.body = r.data;
    }
    ctx.state[INPUT] = out;
    return next();
  };
}

/** The input the route's validation middleware parsed (its schemas' output types). */
export function inputOf<S extends RouteSpec>(ctx: { state: Record<string | symbol, unknown> }, _spec: S): InputOf<S> {
  const input = ctx.state[INPUT] as InputOf<S> | undefined;
  if (!input) throw new Error('inputOf: this route has no validation middleware (define it with contentApiRoutes/adminRoutes)');
  return input;
}

/** Every route defined through this module, per plugin and router type: the OpenAPI builder enriches the document from it. */
const registry = new Map<string, { plugin: string; type: 'content-api' | 'admin'; prefix: (spec: RouteSpec) => string; specs: RouteSpec[] }>();

/** The routes defined so far, for documentation and for the schema checks in tests. */
export function definedRoutes(): Array<{ plugin: string; type: 'content-api' | 'admin'; fullPath: string; spec: RouteSpec }> {
  const out: Array<{ plugin: string; type: 'content-api' | 'admin'; fullPath: string; spec: RouteSpec }> = [];
  for (const entry of registry.values()) {
    for (const spec of entry.specs) out.push({ plugin: entry.plugin, type: entry.type, fullPath: `${entry.prefix(spec)}${spec.path}`, spec });
  }
  return out;
}

function toStrapiRoute(spec: RouteSpec): Core.RouteInput {
  const req = spec.request;
  const request: NonNullable<Core.RouteInput['request']> = {};
  if (req?.params) request.params = req.params.shape as Record<string, z.ZodType>;
  if (req?.query) request.query = req.query.shape as Record<string, z.ZodType>;
  if (req?.body) request.body = { [req.bodyType ?? 'application/json']: req.body };
  const config = spec.config ?? {};
  return {
    method: spec.method,
    path: spec.path,
    handler: spec.handler,
    request,
    response: spec.response,
    config: { ...config, policies: [...(config.policies ?? [])], middlewares: [validationMiddleware(spec) as never, ...(config.middlewares ?? [])] },
  };
}

/**
 * A plugin's content-API router (`{ type: 'content-api', routes }`) from route definitions. Paths
 * are served under `/api/<plugin>` unless a route's `config.prefix` says otherwise.
 */
export function contentApiRoutes(plugin: string, specs: readonly RouteSpec[]): Core.RouterInput & { type: 'content-api' } {
  registry.set(`${plugin}:content-api`, {
    plugin,
    type: 'content-api',
    prefix: (s) => `/api${s.config?.prefix ?? `/${plugin}`}`,
    specs: [...specs],
  });
  return { type: 'content-api', routes: specs.map(toStrapiRoute) } as Core.RouterInput & { type: 'content-api' };
}

/**
 * A plugin's admin router, served under `/<plugin>` (Strapi prefixes a plugin's admin routes with
 * its name only; `/admin` is the prefix of the admin plugin's own routes).
 */
export function adminRoutes(plugin: string, specs: readonly RouteSpec[]): Core.RouterInput & { type: 'admin' } {
  registry.set(`${plugin}:admin`, { plugin, type: 'admin', prefix: (s) => s.config?.prefix ?? `/${plugin}`, specs: [...specs] });
  return { type: 'admin', routes: specs.map(toStrapiRoute) } as Core.RouterInput & { type: 'admin' };
}

/** `{ data: <schema> }`: the envelope every JSON answer uses. */
export function dataOf<T extends z.ZodType>(schema: T) {
  return z.object({ data: schema });
}

/** The health answer of every plugin. */
export const healthStatusSchema = z.enum(['ok', 'degraded', 'down']).meta({
  description: 'ok; degraded: works, but something an operator should fix; down: requests that need it fail',
});

export const dependencyCheckSchema = z.object({
  name: z.string().meta({ description: 'database, stripe, storage, index…' }),
  status: healthStatusSchema,
  detail: z.string().optional(),
  latencyMs: z.number().nonnegative().optional(),
});

export const healthResponseSchema = z.object({
  plugin: z.string(),
  status: healthStatusSchema.meta({ description: 'the worst of the checks' }),
  details: z.looseObject({ checks: z.array(dependencyCheckSchema) }),
});

/**
 * The `GET /health` route every plugin has (public, `health.check`): `summary` says what "up"
 * means for that plugin; `response` when its answer says more than the common health shape.
 */
export function healthRoute(summary: string, response: z.ZodType = healthResponseSchema) {
  return route({
    method: 'GET',
    path: '/health',
    handler: 'health.check',
    config: { auth: false, policies: [] },
    summary,
    response,
    examples: [{ name: 'up', as: 'anonymous', status: 200 }],
  });
}
