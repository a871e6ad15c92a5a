import type { Core } from '@strapi/strapi';

/**
 * The content API's query budget (src/lib/query-guard.ts). Defaults, and why:
 * - 3 populate levels: the storefront's deepest request is 2 (a course's instructor and avatar);
 *   3 leaves room for course → chapters → media.
 * - 2,500 entries per response: the largest page a client may ask for (100, `api.rest.maxLimit`)
 *   of courses with cover, category, instructor, a few tags and ~15 chapters each is ~2,300;
 *   the slowest response this still allows is measured by `npm run bench:query-budget` (README).
 * - 4 relations crossed by one query's filters and sort: the storefront uses 2 (category and
 *   tag); each to-many join multiplies the rows scanned (6 `$or` branches on tags: 0.6 s on the
 *   demo catalogue, and ×3 per branch beyond).
 */
const config = ({ env }: Core.Config.Shared.ConfigParams) => ({
  maxPopulateDepth: env.int('QUERY_MAX_POPULATE_DEPTH', 3),
  maxEntities: env.int('QUERY_MAX_ENTITIES', 2500),
  maxFilterRelations: env.int('QUERY_MAX_FILTER_RELATIONS', 4),
  statsTtlSeconds: env.int('QUERY_STATS_TTL_SECONDS', 60),
  /** Benchmarks only: no budget (refused when NODE_ENV=production). */
  measurementOnlyOff: env.bool('QUERY_BUDGET_MEASUREMENT_ONLY_OFF', false),
});

export default config;
