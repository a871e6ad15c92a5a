/**
 * What every request with a learner's JWT paid before users-permissions even looked at it, and
 * never needed to (measured with `node --cpu-prof` on `GET /api/courses/:id?populate=chapters`):
 *
 * 1. The API-token look-up (domain/bearer-shape.ts). Strapi's content-API token strategy runs
 *    before users-permissions' and reads `strapi_api_tokens` by the bearer's hash: one SELECT that
 *    a JWT can never match. The strategy reaches the token service through the service registry on
 *    every call (`strapi.service('admin::api-token-content-api')`), so the registry's `extend`
 *    wraps it: a JWT-shaped bearer hashes to a marker no stored hash equals, and the look-up of the
 *    marker answers "no such token" without a query. Any other bearer goes through unchanged.
 * 2. The JWT's verification. users-permissions hands `jsonwebtoken.verify` the secret as a string;
 *    jsonwebtoken 9 then first tries to parse it as a public key (`createPublicKey`, which throws)
 *    before making a secret key of it — 1.08 ms per request on this machine against 0.023 ms with
 *    a `KeyObject` made once (5,000 verifications each). The jwt service's `verify` is extended to
 *    pass that `KeyObject`, for the HMAC algorithms in users-permissions' legacy-support mode (its
 *    default and ours); the refresh mode and any other algorithm keep the plugin's own `verify`.
 *    Same library, same options, same answers: a bad or expired token is 'Invalid token.'.
 *
 * Installed with the principal cache (off when PRINCIPAL_CACHE_TTL_SECONDS=0, so the benchmark's
 * baseline keeps Strapi's own path).
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import jwt from 'jsonwebtoken';
import { isJwtShaped, NOT_AN_API_TOKEN } from '../domain/bearer-shape';

const TOKEN_UID = 'admin::api-token-content-api';
const JWT_UID = 'plugin::users-permissions.jwt';

type Service = Record<string, unknown>;

interface Registry {
  get(uid: string): unknown;
  extend(uid: string, fn: (s: Service) => Service): unknown;
}

/** A copy of `service` (own properties and prototype) with `overrides` in place. */
function extended(service: Service, overrides: Service): Service {
  return Object.assign(Object.create(Object.getPrototypeOf(service) as object) as Service, service, overrides);
}

function hasMethods(s: unknown, ...names: string[]): s is Service {
  return !!s && typeof s === 'object' && names.every((n) => typeof (s as Service)[n] === 'function');
}

function installApiTokenShortcut(strapi: Core.Strapi, registry: Registry): void {
  if (!hasMethods(registry.get(TOKEN_UID), 'hash', 'getByAccessKey')) {
    strapi.log.warn(`[cache] ${TOKEN_UID} has no hash/getByAccessKey: JWT requests keep the API-token look-up`);
    return;
  }
  registry.extend(TOKEN_UID, (service) => {
    const hash = (service.hash as (k: string) => string).bind(service);
    const getByAccessKey = (service.getByAccessKey as (h: string, o?: unknown) => Promise<unknown>).bind(service);
    return extended(service, {
      hash: (accessKey: string) => (isJwtShaped(accessKey) ? NOT_AN_API_TOKEN : hash(accessKey)),
      getByAccessKey: (h: string, options?: unknown) => (h === NOT_AN_API_TOKEN ? Promise.resolve(null) : getByAccessKey(h, options)),
    });
  });
}

function installJwtKey(strapi: Core.Strapi, registry: Registry): void {
  if (!hasMethods(registry.get(JWT_UID), 'verify')) {
    strapi.log.warn(`[cache] ${JWT_UID} has no verify: JWTs keep users-permissions' own verification`);
    return;
  }
  registry.extend(JWT_UID, (service) => {
    const verify = (service.verify as (t: string) => Promise<unknown>).bind(service);
    let key: { secret: string; key: KeyObject } | null = null;
    return extended(service, {
      verify(token: string): Promise<unknown> {
        const mode = strapi.config.get('plugin::users-permissions.jwtManagement', 'legacy-support');
        const secret = strapi.config.get('plugin::users-permissions.jwtSecret') as unknown;
        const algorithm = (strapi.config.get('plugin::users-permissions.jwt', {}) as { algorithm?: string } | undefined)?.algorithm || 'HS256';
        if (mode !== 'legacy-support' || typeof secret !== 'string' || secret === '' || !/^HS(256|384|512)$/.test(algorithm)) return verify(token);
        if (!key || key.secret !== secret) key = { secret, key: createSecretKey(Buffer.from(secret)) };
        const k = key.key;
        return new Promise((resolve, reject) => {
          jwt.verify(token, k, { algorithms: [algorithm as jwt.Algorithm] }, (err, payload) => (err ? reject(new Error('Invalid token.')) : resolve(payload ?? {})));
        });
      },
    });
  });
}

export function installAuthShortcuts(strapi: Core.Strapi): void {
  const registry = strapi.get('services') as Registry;
  installApiTokenShortcut(strapi, registry);
  installJwtKey(strapi, registry);
}
