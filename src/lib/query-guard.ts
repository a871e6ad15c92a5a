/**
 * Every content-API query is checked before the database sees it: its shape (a malformed one is
 * a 400 with a message, never a 500 from the query engine — see query-shape.ts) and its cost
 * budget (populate depth, relations crossed by filters and sort, and an upper bound of the
 * entries the response can hold — see query-budget.ts).
 *
 * Where: Strapi 5.54 has no registry hook for queries, so this wraps
 * `strapi.contentAPI.validate.query` and `strapi.contentAPI.sanitize.query`, which every
 * content-API controller calls before it reads (the core controllers of every catalogue type,
 * users-permissions' `/api/users…`, upload's `/api/upload/files…`), the way the paywall plugin
 * wraps them for gated fields (plugins/paywall/server/src/register.ts). The app registers after
 * the plugins, so these checks run first and the paywall's and Strapi's walks only ever see
 * well-formed queries. The entry bound is computed on the sanitised query: `*` is expanded there
 * and relations the caller may not read are already gone.
 */
import type { Core } from '@strapi/strapi';
import { errors, pagination as paginationUtils } from '@strapi/utils';
import { checkQueryShape, type GetModel, type ModelView } from './query-shape';
import { estimateEntities, maxQueryRelations, populateDepth, populateTree, toManyNodes, type Fanout, type PopulateNode } from './query-budget';
import { createRelationStats, relationInfo, relationNames, type RelationStats } from './relation-stats';

export interface QueryBudgetSettings {
  maxPopulateDepth: number;
  maxEntities: number;
  maxFilterRelations: number;
  statsTtlSeconds: number;
  measurementOnlyOff: boolean;
}

const SETTINGS: Record<keyof Omit<QueryBudgetSettings, 'measurementOnlyOff'>, [string, number]> = {
  maxPopulateDepth: ['QUERY_MAX_POPULATE_DEPTH', 1],
  maxEntities: ['QUERY_MAX_ENTITIES', 1],
  maxFilterRelations: ['QUERY_MAX_FILTER_RELATIONS', 0],
  statsTtlSeconds: ['QUERY_STATS_TTL_SECONDS', 0],
};

/** The settings from config/query-budget.ts, refused at boot when one is not a usable number. */
export function readBudgetSettings(strapi: Core.Strapi): QueryBudgetSettings {
  const raw = (strapi.config.get('query-budget') ?? {}) as Partial<QueryBudgetSettings>;
  const out = { measurementOnlyOff: raw.measurementOnlyOff === true } as QueryBudgetSettings;
  for (const [key, [name, min]] of Object.entries(SETTINGS) as Array<[keyof typeof SETTINGS, [string, number]]>) {
    const value = raw[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new Error(`query budget: ${name} must be an integer ≥ ${min} (got ${String(value)}).`);
    }
    out[key] = value;
  }
  return out;
}

type QueryFn = (query: unknown, schema: { uid?: string; kind?: string } | undefined, options?: Record<string, unknown>) => Promise<unknown>;
interface Wrappable {
  query?: QueryFn;
}
interface RouteLike {
  path?: string;
  handler?: unknown;
  info?: { apiName?: string; pluginName?: string };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Actions that answer one entry, whatever the query says. */
const SINGLE_ACTIONS = new Set(['findOne', 'me', 'create', 'update', 'delete', 'destroy']);

function refuse(message: string, details: Record<string, unknown>): never {
  throw new errors.ValidationError(message, { source: 'query', ...details });
}

function pathsOf(nodes: PopulateNode[], prefix = ''): string[] {
  return nodes.flatMap((n) => {
    const here = prefix ? `${prefix}.${n.attribute}` : n.attribute;
    return n.relation.toMany ? [here, ...pathsOf(n.children, here)] : pathsOf(n.children, here);
  });
}

export interface QueryGuard {
  stats: RelationStats;
  /** Drops cached statistics on every write (call once the database is up, in bootstrap). */
  watchWrites(): void;
}

export function installQueryGuard(strapi: Core.Strapi): QueryGuard {
  const settings = readBudgetSettings(strapi);
  if (settings.measurementOnlyOff) {
    if (process.env.NODE_ENV === 'production') {
      throw new Error('query budget: QUERY_BUDGET_MEASUREMENT_ONLY_OFF is a benchmark switch that lets any request cost what it likes; it is refused when NODE_ENV=production. Unset it.');
    }
    strapi.log.warn('query budget: DISABLED for measurement (QUERY_BUDGET_MEASUREMENT_ONLY_OFF=true). Never use this outside a benchmark.');
  }
  const budgetOn = !settings.measurementOnlyOff;
  const getModel: GetModel = (uid) => strapi.getModel(uid as never) as unknown as ModelView | undefined;
  const relationOf = (uid: string, attribute: string) => relationInfo(strapi, uid, attribute);
  const stats = createRelationStats(strapi, { ttlMs: settings.statsTtlSeconds * 1000 });
  // ctx.query is one object per request: controllers validate, then sanitise, the same object.
  const checked = new WeakSet<object>();

  function checkRaw(query: unknown, schema: { uid?: string } | undefined): void {
    if (!isRecord(query) || !schema?.uid || checked.has(query)) return;
    const model = getModel(schema.uid);
    if (!model) return;
    const verdict = checkQueryShape(query, model, getModel);
    if (!verdict.ok) refuse(verdict.message, { param: verdict.param, path: verdict.path });
    if (budgetOn) {
      const depth = populateDepth(query.populate);
      if (depth > settings.maxPopulateDepth) {
        refuse(
          `populate reaches ${depth} relations deep; at most ${settings.maxPopulateDepth} are allowed (QUERY_MAX_POPULATE_DEPTH). Populate fewer levels and ask for the rest by id.`,
          { param: 'populate', limit: 'QUERY_MAX_POPULATE_DEPTH', max: settings.maxPopulateDepth, value: depth }
        );
      }
      const relations = maxQueryRelations(query, schema.uid, relationOf);
      if (relations > settings.maxFilterRelations) {
        refuse(
          `filters and sort cross ${relations} relations in one query; at most ${settings.maxFilterRelations} are allowed (QUERY_MAX_FILTER_RELATIONS). Each one is a join: filter on fewer relations, or on ids.`,
          { param: 'filters', limit: 'QUERY_MAX_FILTER_RELATIONS', max: settings.maxFilterRelations, value: relations }
        );
      }
    }
    checked.add(query);
  }

  /** How many top-level entries the route can answer for this query. */
  async function rootEntries(query: Record<string, unknown>, schema: { uid: string; kind?: string }, route: RouteLike | undefined): Promise<number> {
    const action = typeof route?.handler === 'string' ? route.handler.split('.').pop() : undefined;
    if (schema.kind === 'singleType' || (route?.path ?? '').includes('/:') || (action && SINGLE_ACTIONS.has(action))) return 1;
    if (action === 'find' && route?.info?.apiName) {
      // The same arithmetic as the core controllers (core-api/service/pagination.js).
      const defaultLimit = Number(strapi.config.get('api.rest.defaultLimit', 25));
      const maxLimit = Number(strapi.config.get('api.rest.maxLimit')) || -1;
      const paged = paginationUtils.withDefaultPagination((isRecord(query.pagination) ? query.pagination : {}) as never, {
        defaults: { offset: { limit: defaultLimit }, page: { pageSize: defaultLimit } },
        maxLimit,
      }) as { limit?: number };
      const limit = Number(paged.limit);
      if (Number.isInteger(limit) && limit > 0) return limit;
      return maxLimit > 0 ? maxLimit : Number(await strapi.db.query(schema.uid as never).count({}));
    }
    // Unpaginated lists (users-permissions, upload): every row, or the top-level limit.
    const rows = Number(await strapi.db.query(schema.uid as never).count({}));
    const limit = Number(query.limit ?? query.pageSize);
    return Number.isInteger(limit) && limit > 0 ? Math.min(rows, limit) : rows;
  }

  async function checkEntities(query: unknown, schema: { uid?: string; kind?: string } | undefined, route: RouteLike | undefined): Promise<void> {
    if (!isRecord(query) || !schema?.uid) return;
    const tree = populateTree(query.populate, schema.uid, relationOf, (uid) => relationNames(strapi, uid));
    const roots = await rootEntries(query, { uid: schema.uid, kind: schema.kind }, route);
    const fanouts = new Map<string, Fanout>();
    await Promise.all(
      toManyNodes(tree).map(async (node) => {
        const key = `${node.uid}.${node.attribute}`;
        if (!fanouts.has(key)) fanouts.set(key, await stats.fanout(node.uid, node.attribute));
      })
    );
    const estimate = estimateEntities(roots, tree, (node) => fanouts.get(`${node.uid}.${node.attribute}`)!, settings.maxEntities);
    if (estimate > settings.maxEntities) {
      const populated = pathsOf(tree);
      refuse(
        `This request could return more than ${settings.maxEntities} entries${populated.length ? ` (up to ${roots} ${schema.uid.split('.').pop()} entries with ${populated.join(', ')})` : ''}; at most ${settings.maxEntities} are allowed per response (QUERY_MAX_ENTITIES). Ask for a smaller page (pagination[pageSize]) or populate less.`,
        { param: 'populate', limit: 'QUERY_MAX_ENTITIES', max: settings.maxEntities }
      );
    }
  }

  const validate = strapi.contentAPI.validate as unknown as Wrappable;
  const validateQuery = validate.query;
  if (validateQuery) {
    validate.query = async (query, schema, options) => {
      checkRaw(query, schema);
      return validateQuery.call(validate, query, schema, options);
    };
  }
  const sanitize = strapi.contentAPI.sanitize as unknown as Wrappable;
  const sanitizeQuery = sanitize.query;
  if (sanitizeQuery) {
    sanitize.query = async (query, schema, options) => {
      checkRaw(query, schema);
      const sanitized = await sanitizeQuery.call(sanitize, query, schema, options);
      if (budgetOn) {
        const route = (options?.route ?? strapi.requestContext.get()?.state?.route) as RouteLike | undefined;
        await checkEntities(sanitized, schema, route);
      }
      return sanitized;
    };
  }

  return {
    stats,
    watchWrites() {
      const drop = (event: { model?: { uid?: string } }) => {
        if (event.model?.uid) stats.invalidate(event.model.uid);
      };
      strapi.db.lifecycles.subscribe({
        afterCreate: drop,
        afterCreateMany: drop,
        afterUpdate: drop,
        afterUpdateMany: drop,
        afterDelete: drop,
        afterDeleteMany: drop,
      });
    },
  };
}
