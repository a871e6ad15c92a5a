/**
 * Secrets for development and tests only. A fresh clone has no `.env`, and Strapi refuses to boot
 * without APP_KEYS and its signing secrets, so outside production we fall back to fixed values
 * and say so loudly. In production every secret must come from the environment.
 */
const warned = new Set<string>();

type EnvReader = (key: string, fallback?: string) => string | undefined;

export function secret(env: EnvReader, key: string): string {
  const value = env(key);
  if (value) return value;
  if (process.env.NODE_ENV === 'production') {
    throw new Error(`Missing ${key}: set it in the environment (required in production).`);
  }
  if (!warned.has(key) && !process.env.QUIET_DEV_SECRETS) {
    warned.add(key);
    // eslint-disable-next-line no-console
    console.warn(`[config] ${key} is not set: using a development default. NEVER use this in production.`);
  }
  return `dev-only-insecure-${key.toLowerCase()}`;
}

export function secretList(env: EnvReader, key: string): string[] {
  return secret(env, key)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
