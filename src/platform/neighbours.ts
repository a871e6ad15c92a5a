/**
 * Typed access to another plugin's services through its contract. A caller never names a
 * neighbour's service by string with a hand-written type: `neighbour(strapi, 'paywall')` returns
 * `PaywallContract | null`, so the compiler checks every call against the contract the provider
 * implements.
 */
import type { Core } from '@strapi/strapi';
import type { CommunityContract } from './contracts/community';
import type { PaywallContract } from './contracts/paywall';
import type { RecommenderContract } from './contracts/recommender';
import { PlatformHttpError } from './http';

/** Providing plugin → the services it offers other plugins. */
export interface Neighbours {
  paywall: PaywallContract;
  recommender: RecommenderContract;
  community: CommunityContract;
}

export type NeighbourName = keyof Neighbours;

/**
 * The neighbour's services, or null when that plugin is not installed. Services are looked up
 * on access (after Strapi has registered them), so the object may be kept.
 */
export function neighbour<N extends NeighbourName>(strapi: Core.Strapi, name: N): Neighbours[N] | null {
  const plugin = strapi.plugin(name) as { service(n: string): unknown } | undefined;
  if (!plugin) return null;
  return new Proxy({} as Neighbours[N], {
    get(_target, key) {
      if (typeof key !== 'string') return undefined;
      return plugin.service(key);
    },
  });
}

/**
 * The neighbour's services, or a 503 that names what is missing and why it is needed: for
 * dependencies without which the caller must fail closed (the paywall for anything that opens
 * content).
 */
export function requireNeighbour<N extends NeighbourName>(strapi: Core.Strapi, name: N, purpose: string): Neighbours[N] {
  const found = neighbour(strapi, name);
  if (!found) throw new PlatformHttpError(503, `${purpose}: the ${name} plugin is not installed.`);
  return found;
}

/**
 * Implementation check for a providing plugin's services: `satisfies ProvidedServices<'paywall'>`
 * on its services map makes the build fail when an implementation drifts from its contract.
 */
export type ProvidedServices<N extends NeighbourName> = {
  [K in keyof Neighbours[N]]: (deps: { strapi: Core.Strapi }) => Neighbours[N][K];
};
