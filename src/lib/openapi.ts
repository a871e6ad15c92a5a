/**
 * The OpenAPI 3.1 document of the REST surface frontends use: the catalogue routes and every
 * route of the platform's plugins and users-permissions that a role may call (or that is open).
 * Strapi's own generator (`@strapi/openapi`) writes the operations from the routes' zod schemas —
 * the same schemas that validate requests (plugin routes are defined with the kernel's `route()`);
 * this module keeps the operations frontends can reach, adds what the kernel's route registry
 * knows (summary, documented refusals, examples, non-JSON answers, which roles may call), and
 * corrects what Strapi 5.54 gets wrong for this app (documentIds described as UUIDs, a generation
 * time as `publishedAt`'s default, no `locked` on chapters). Served at `GET /api/openapi.json` and
 * written to `types/openapi.json` by `npm run openapi`.
 */
import type { Core } from '@strapi/strapi';
import { generate } from '@strapi/openapi';
import { definedRoutes, errorResponseSchema, PLATFORM_ROLES } from '@kp/platform';
import { z } from 'zod';
import { contentApiSurface, heldActions, type ApiRoute } from './api-surface';
import { PLATFORM_PLUGINS } from './permissions';
import { APP_EXAMPLES } from './openapi-examples';

type Json = Record<string, unknown>;
interface Operation extends Json {
  summary?: string;
  description?: string;
  responses: Record<string, Json>;
  'x-roles'?: string[];
  'x-examples'?: unknown[];
}

const DOCUMENT_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
const UUID_PATTERN_PREFIX = '^([0-9a-fA-F]{8}';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Strapi describes documentIds as UUIDs; they are cuid2 strings (`k3m9x0c2…`). Fixed everywhere in the document. */
function fixDocumentIds(node: unknown): void {
  if (Array.isArray(node)) {
    for (const v of node) fixDocumentIds(v);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Json;
  if (o.format === 'uuid' && typeof o.pattern === 'string' && o.pattern.startsWith(UUID_PATTERN_PREFIX)) {
    delete o.format;
    o.pattern = DOCUMENT_ID_PATTERN;
    o.description = 'The document ID (Strapi documentId, e.g. k3m9x0c2v5b8n1q4w7e6r5t4)';
  }
  // A default that is the generation time (Strapi's `publishedAt`) would make every build differ.
  if (typeof o.default === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(o.default)) delete o.default;
  for (const v of Object.values(o)) fixDocumentIds(v);
}

const STAR_COUNT = { type: 'integer', minimum: 0 };
const COURSE_RATING_SCHEMA = {
  type: 'object',
  description: 'Visible, non-refunded reviews (community plugin): mean stars (two decimals, null when unrated), how many, per-star counts',
  properties: {
    average: { anyOf: [{ type: 'number' }, { type: 'null' }] },
    count: { type: 'integer', minimum: 0 },
    histogram: { type: 'object', properties: { '1': STAR_COUNT, '2': STAR_COUNT, '3': STAR_COUNT, '4': STAR_COUNT, '5': STAR_COUNT }, required: ['1', '2', '3', '4', '5'] },
  },
  required: ['average', 'count', 'histogram'],
};

/**
 * Entries: `fields` and `populate` decide which attributes come back, so only `id` and
 * `documentId` are always there; chapters carry `locked` (set by the paywall on every chapter of
 * every content-API response). Applied to every entry schema, inline or in components.
 */
function fixEntries(node: unknown): void {
  if (Array.isArray(node)) {
    for (const v of node) fixEntries(v);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Json;
  for (const v of Object.values(o)) fixEntries(v);
  const props = o.properties as Json | undefined;
  if (o.type !== 'object' || !props || !('documentId' in props)) return;
  if (Array.isArray(o.required)) o.required = (o.required as string[]).filter((k) => k === 'id' || k === 'documentId');
  if ('isPreview' in props && 'position' in props && 'body' in props) {
    props.locked = {
      type: 'boolean',
      description: 'true when the caller may not read this chapter: body, video and attachments are then absent',
    };
    o.required = [...((o.required as string[] | undefined) ?? []), 'locked'];
  }
  // Courses carry `rating` (set by the community plugin on every content-API course response).
  if ('access' in props && 'price' in props && 'chapters' in props) {
    props.rating = COURSE_RATING_SCHEMA;
  }
}

/**
 * Strapi answers `null` for an empty optional field (a text, a media, a relation) while its
 * generator types the field without null; optional properties are made nullable.
 */
function allowNullWhereOptional(node: unknown): void {
  if (Array.isArray(node)) {
    for (const v of node) allowNullWhereOptional(v);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Json;
  for (const v of Object.values(o)) allowNullWhereOptional(v);
  const props = o.properties as Record<string, Json> | undefined;
  if (o.type !== 'object' || !props) return;
  const required = new Set((o.required as string[] | undefined) ?? []);
  for (const [name, schema] of Object.entries(props)) {
    if (required.has(name) || !schema || acceptsNull(schema)) continue;
    const { description, readOnly, ...rest } = schema;
    props[name] = { ...(description ? { description } : {}), ...(readOnly ? { readOnly } : {}), anyOf: [rest, { type: 'null' }] };
  }
}

function acceptsNull(schema: Json): boolean {
  if (schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null'))) return true;
  const anyOf = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  return Array.isArray(anyOf) && anyOf.some((s) => s && acceptsNull(s));
}

/** Strapi's list and entry answers carry `meta` (pagination for lists); its generator leaves it out. */
function addMeta(op: Operation): void {
  const schema = (op.responses['200']?.content as Json | undefined)?.['application/json'] as Json | undefined;
  const root = schema?.schema as Json | undefined;
  const props = root?.properties as Json | undefined;
  if (!root || !props || !('data' in props) || 'meta' in props) return;
  props.meta = {
    type: 'object',
    properties: {
      pagination: {
        type: 'object',
        properties: { page: { type: 'integer' }, pageSize: { type: 'integer' }, pageCount: { type: 'integer' }, total: { type: 'integer' }, start: { type: 'integer' }, limit: { type: 'integer' } },
      },
    },
  };
}

function toJsonSchema(schema: z.ZodType): Json {
  return z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Json;
}

function roleList(route: ApiRoute, granted: Map<string, Set<string>>): string[] {
  if (route.open) return ['anyone'];
  return PLATFORM_ROLES.filter((r) => route.action !== null && granted.get(r)?.has(route.action));
}

/** Builds the document from the booted app (routes, schemas) and the roles' current permissions. */
export async function buildOpenApiDocument(strapi: Core.Strapi): Promise<Json> {
  const doc = generate(strapi as never, { type: 'content-api' }).document as unknown as Json;
  const surface = await contentApiSurface(strapi);
  const granted = await heldActions(strapi, PLATFORM_ROLES);
  const platformOrigins = new Set(['plugin::users-permissions', 'plugin::i18n']);
  for (const [name] of Object.entries(strapi.apis)) platformOrigins.add(`api::${name}`);
  for (const name of PLATFORM_PLUGINS) platformOrigins.add(`plugin::${name}`);

  const specs = new Map(definedRoutes().filter((d) => d.type === 'content-api').map((d) => [`${d.spec.method} ${d.fullPath.replace(/^\/api/, '').replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`, d.spec]));

  const paths = (doc.paths ?? {}) as Record<string, Record<string, Operation>>;
  const kept: Record<string, Record<string, Operation>> = {};
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const route = surface.find((r) => r.method === method.toUpperCase() && r.docPath === path);
      if (!route) continue;
      const roles = roleList(route, granted);
      const reachable = roles.length > 0 && (route.open ? platformOrigins.has(route.owner) : true);
      if (!reachable) continue;
      op['x-roles'] = roles;
      if (!route.open) op.security = [{ bearerAuth: [] }, {}];
      else op.security = [];
      if (route.owner.startsWith('api::')) {
        // Strapi's generated entry schemas: `meta`, and null for empty optional fields (answers only;
        // request bodies and the plugins' own schemas say exactly what they accept).
        addMeta(op);
        fixEntries(op.responses);
        allowNullWhereOptional(op.responses);
      }
      const spec = specs.get(`${method.toUpperCase()} ${path}`);
      if (spec) {
        op.summary = spec.summary;
        if (spec.description) op.description = spec.description;
        for (const [status, when] of Object.entries(spec.errors ?? {})) {
          op.responses[status] = { description: when, content: { 'application/json': { schema: toJsonSchema(errorResponseSchema) } } };
        }
        if (spec.produces) {
          const ok = (op.responses['200'] ?? { description: 'OK' }) as Json;
          ok.content = { [spec.produces]: { schema: { type: 'string', format: 'binary' } } };
          op.responses['200'] = ok;
        }
        if (spec.examples?.length) op['x-examples'] = spec.examples;
        // Strapi's generator files every success under 200; a route that creates (201) or accepts (202) says so.
        if (spec.status && spec.status !== 200 && op.responses['200']) {
          op.responses[String(spec.status)] = { ...op.responses['200'], description: spec.status === 201 ? 'Created' : 'Accepted' };
          delete op.responses['200'];
        }
      }
      const appExamples = APP_EXAMPLES[`${method.toUpperCase()} ${path}`];
      if (appExamples) op['x-examples'] = appExamples;
      (kept[path] ??= {})[method] = op;
    }
  }
  doc.paths = kept;
  doc.info = {
    title: 'Knowledge Platform REST API',
    version: String((doc.info as Json | undefined)?.version ?? '0.0.0'),
    description:
      'The content API of the platform: the published catalogue (Strapi REST conventions: populate, fields, filters, sort, pagination, locale), accounts (users-permissions), and every plugin route. `x-roles` says which roles may call an operation; `x-examples` are requests the test suite sends to a running server.',
  };
  doc.servers = [{ url: '/api', description: 'This server' }];
  delete doc['x-strapi-version'];
  fixDocumentIds(doc);
  fixEntries(doc.components);
  allowNullWhereOptional(doc.components);
  return doc;
}

/** The document as committed: stable key order of Strapi's generator, two-space JSON, final newline. */
export function serialiseOpenApi(doc: Json): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** `GET /api/openapi.json`, open to anyone: the document of what this server exposes now. Rebuilt at most once a minute. */
export function registerOpenApiRoute(strapi: Core.Strapi): void {
  let cached: { at: number; body: Json } | null = null;
  strapi.server.routes({
    type: 'content-api',
    routes: [
      {
        method: 'GET',
        path: '/openapi.json',
        handler: async (ctx: { body: unknown; set(k: string, v: string): void }) => {
          if (!cached || Date.now() - cached.at > 60_000) cached = { at: Date.now(), body: await buildOpenApiDocument(strapi) };
          ctx.set('Cache-Control', 'public, max-age=60');
          ctx.body = cached.body;
        },
        config: { auth: false },
      },
    ],
  } as never);
}
