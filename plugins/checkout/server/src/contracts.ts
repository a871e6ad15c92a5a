/**
 * What this plugin uses from other plugins, as types of our own (the contracts in the team brief),
 * so that checkout compiles and reads without importing another plugin's internals.
 */
import type { Core } from '@strapi/strapi';

export type EntitlementSource = 'purchase' | 'subscription' | 'grant';
export type RevokeReason = 'refunded' | 'disputed' | 'canceled' | 'expired' | 'manual';

export interface GrantInput {
  userId: number;
  courseDocumentId?: string;
  planDocumentId?: string;
  source: EntitlementSource;
  sourceRef: string;
  status?: 'active' | 'past_due';
  validFrom?: Date;
  validUntil?: Date | null;
  notes?: string;
}

export interface RevokeInput {
  source: EntitlementSource;
  sourceRef: string;
  reason: RevokeReason;
  notes?: string;
}

export type AccessDecision =
  | { allowed: true; via: 'free' | 'preview' | 'instructor' | 'purchase' | 'subscription' | 'grant' }
  | { allowed: false; reason: 'anonymous' | 'no-entitlement' | 'expired' | 'revoked' | 'not-found' | 'draft' };

/** `strapi.plugin('paywall').service('entitlements')`: the only writer of access. */
export interface EntitlementsService {
  grant(input: GrantInput): Promise<unknown>;
  revoke(input: RevokeInput): Promise<number>;
}

/** `strapi.plugin('paywall').service('access')`. */
export interface AccessService {
  decideCourse(user: { id: number } | null, courseDocumentId: string, now?: Date): Promise<AccessDecision>;
}

export interface InteractionInput {
  userId: number;
  courseDocumentId: string;
  kind: 'view' | 'like' | 'purchase' | 'progress' | 'complete' | 'refund';
  weight?: number;
  at?: Date;
}

/** `strapi.plugin('recommender').service('interactions')`: optional, best effort. */
export interface InteractionsService {
  record(input: InteractionInput): Promise<void>;
}

/** The paywall's services; a missing paywall is a deployment error, said plainly. */
export function paywall(strapi: Core.Strapi): { entitlements: EntitlementsService; access: AccessService } {
  const plugin = strapi.plugin('paywall');
  const entitlements = plugin?.service('entitlements') as EntitlementsService | undefined;
  const access = plugin?.service('access') as AccessService | undefined;
  if (!entitlements || !access) {
    throw new Error('checkout needs the paywall plugin (services "entitlements" and "access") to change access');
  }
  return { entitlements, access };
}

/** The recommender's interactions service when that plugin is installed, else null. */
export function recommender(strapi: Core.Strapi): InteractionsService | null {
  try {
    const service = strapi.plugin('recommender')?.service('interactions') as InteractionsService | undefined;
    return service && typeof service.record === 'function' ? service : null;
  } catch {
    return null;
  }
}
