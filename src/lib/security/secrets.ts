/**
 * Strapi's signing secrets. In production every one must come from the environment. Elsewhere (a
 * fresh clone has no `.env`, and Strapi refuses to boot without them) each missing one is
 * generated at random on first use and kept in `.tmp/dev-secrets.json` (git-ignored, mode 0600),
 * so that sessions, JWTs and signed media links survive a restart and every process of the
 * checkout (the seed, the server, a test) agrees on them — while nobody else knows them: a fixed
 * default in the source would let anyone who reads it forge a learner's JWT or a media link.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

type EnvReader = (key: string, fallback?: string) => string | undefined;

/** The secrets Strapi needs; APP_KEYS is a comma-separated list. */
export const SECRET_KEYS = ['APP_KEYS', 'ADMIN_JWT_SECRET', 'API_TOKEN_SALT', 'TRANSFER_TOKEN_SALT', 'ENCRYPTION_KEY', 'JWT_SECRET'] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

/** Where generated development secrets live: `DEV_SECRETS_FILE`, or `.tmp/dev-secrets.json` under the working directory. */
export function devSecretsFile(): string {
  return path.resolve(process.cwd(), process.env.DEV_SECRETS_FILE || path.join('.tmp', 'dev-secrets.json'));
}

function generate(key: SecretKey): string {
  const one = () => randomBytes(32).toString('base64');
  return key === 'APP_KEYS' ? [one(), one(), one(), one()].join(',') : one();
}

function readFile(file: string): Partial<Record<SecretKey, string>> {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Partial<Record<SecretKey, string>>) : {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`${file} is not readable JSON (${(err as Error).message}): delete it to generate new development secrets.`);
  }
}

/**
 * The stored development secrets, generating and storing whatever is missing. The file is
 * replaced atomically (write a temporary file, rename it), and created with a hard link so that
 * two processes starting together cannot both create it: the loser reads the winner's.
 */
export function loadDevSecrets(file = devSecretsFile()): Record<SecretKey, string> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const existing = readFile(file);
    const missing = SECRET_KEYS.filter((k) => typeof existing[k] !== 'string' || existing[k] === '');
    if (missing.length === 0) return existing as Record<SecretKey, string>;
    const next = { ...existing };
    for (const k of missing) next[k] = generate(k);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    try {
      if (Object.keys(existing).length === 0) {
        try {
          fs.linkSync(tmp, file);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue; // another process won: read its file
          throw err;
        }
      } else {
        fs.renameSync(tmp, file);
      }
      return next as Record<SecretKey, string>;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  return readFile(file) as Record<SecretKey, string>;
}

const announced = new Set<string>();

/** One secret: from the environment, else (outside production) the generated development one. */
export function secret(env: EnvReader, key: SecretKey): string {
  const value = env(key);
  if (value) return value;
  if (process.env.NODE_ENV === 'production') {
    throw new Error(`Missing ${key}: set it in the environment (required in production).`);
  }
  const file = devSecretsFile();
  const stored = loadDevSecrets(file)[key];
  if (!announced.has(file) && !process.env.QUIET_DEV_SECRETS) {
    announced.add(file);
    // eslint-disable-next-line no-console
    console.warn(`[config] Strapi secrets not set in the environment: using development secrets generated for this checkout in ${file}. Set them in production.`);
  }
  return stored;
}

export function secretList(env: EnvReader, key: SecretKey): string[] {
  return secret(env, key)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
