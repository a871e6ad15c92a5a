/**
 * Which bearer tokens can be a Strapi API token at all.
 *
 * Strapi tries its content-API token strategy before users-permissions on every request with a
 * bearer, and that strategy looks the token's hash up in `strapi_api_tokens` — one SELECT that a
 * learner's JWT pays on every request and that can never match: Strapi issues API tokens as 256
 * hexadecimal characters (`crypto.randomBytes(128).toString('hex')` in @strapi/admin's api-token
 * service, on create and regenerate), and a JWT is three base64url parts joined by dots. A bearer
 * in the JWT shape therefore skips the look-up; every other bearer is looked up as before.
 */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function isJwtShaped(token: unknown): boolean {
  return typeof token === 'string' && token.length <= 8192 && JWT_SHAPE.test(token);
}

/**
 * What the wrapped `hash` returns for a JWT-shaped bearer: not hexadecimal, so it equals no stored
 * access-key hash (SHA-512 HMACs in hex), and the wrapped `getByAccessKey` answers it without a query.
 */
export const NOT_AN_API_TOKEN = 'not-an-api-token:jwt-shaped-bearer';
