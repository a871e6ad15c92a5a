import type { Core } from '@strapi/strapi';
import { useDocumentMiddleware } from '@kp/platform';
import { entitlementWritesMiddleware } from './services/entitlement-writes';
import { createGate, type Gate } from './services/gate';
import { createMediaLinks } from './services/media-links';
import { adminMediaLinks } from './middlewares/admin-media-links';
import { paywallConfig } from './config';

type QueryFn = (query: unknown, schema: { uid?: string } | undefined, ...rest: unknown[]) => Promise<unknown>;
type PartFn = (part: unknown, schema: { uid?: string } | undefined, ...rest: unknown[]) => Promise<unknown>;
type OutputFn = (data: unknown, schema: { uid?: string } | undefined, ...rest: unknown[]) => Promise<unknown>;
interface Wrappable {
  query?: QueryFn;
  filters?: PartFn;
  sort?: PartFn;
  populate?: PartFn;
  output?: OutputFn;
}

/**
 * Wraps the content API's query validator and sanitiser (and their filters/sort/populate parts)
 * so that every content-API query is checked against the gated fields first. See gate.ts for why
 * this is a wrapper: Strapi 5.54 has no registry hook for queries.
 */
function guardQueries(target: Wrappable, gate: Gate): void {
  const query = target.query;
  if (query) {
    target.query = (q, schema, ...rest) => {
      gate.assertQueryAllowed(schema?.uid, q);
      return query.call(target, q, schema, ...rest);
    };
  }
  for (const part of ['filters', 'sort', 'populate'] as const) {
    const fn = target[part];
    if (!fn) continue;
    target[part] = (value, schema, ...rest) => {
      gate.assertQueryAllowed(schema?.uid, { [part]: value });
      return fn.call(target, value, schema, ...rest);
    };
  }
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  // Every entitlement write, the Content Manager's included, obeys the ledger's rules.
  useDocumentMiddleware(strapi, entitlementWritesMiddleware(strapi));
  // Editors preview privately stored files in the admin panel through links signed for them.
  const links = createMediaLinks(strapi);
  strapi.server.use(adminMediaLinks(strapi, links));

  if (paywallConfig(strapi, 'testNow') && process.env.NODE_ENV === 'production') {
    throw new Error('paywall: PAYWALL_TEST_NOW fixes the paywall clock for tests; it is refused when NODE_ENV=production. Unset it.');
  }

  if (paywallConfig(strapi, 'measurementOnlyUngated')) {
    if (process.env.NODE_ENV === 'production') {
      throw new Error(
        'paywall: PAYWALL_MEASUREMENT_ONLY_UNGATED is a benchmark switch that serves paid content to everyone; it is refused when NODE_ENV=production. Unset it.'
      );
    }
    strapi.log.warn('paywall: GATE DISABLED for measurement (PAYWALL_MEASUREMENT_ONLY_UNGATED=true). Never use this outside a benchmark.');
    return;
  }

  const gate = createGate(strapi, links);

  // Output, backstop: on every content-API sanitizeOutput, entry by entry (populated relations
  // included); entries already gated as part of their response are skipped.
  const outputSanitizer = (schema: { uid?: string } | undefined) => async (entity: unknown) => {
    await gate.enforce(schema?.uid, entity);
    return entity;
  };
  // (Typed by Strapi as a lodash-curried function; it is called with the schema, then the entity.)
  strapi.sanitizers.add('content-api.output', outputSanitizer as never);

  // Output, batch: Strapi runs registry sanitizers entry by entry; gate the whole response first
  // so that its entries share one walk, one facts query and one entitlement query.
  const sanitize = strapi.contentAPI.sanitize as unknown as Wrappable;
  const output = sanitize.output;
  if (output) {
    sanitize.output = async (data, schema, ...rest) => {
      await gate.gateResponse(schema?.uid, data);
      return output.call(sanitize, data, schema, ...rest);
    };
  }

  // Input: conditions and orderings on gated fields are refused (no oracle).
  guardQueries(sanitize, gate);
  guardQueries(strapi.contentAPI.validate as unknown as Wrappable, gate);
};
