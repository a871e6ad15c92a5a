/**
 * Backup and restore of the platform's state: the database (SQLite through better-sqlite3's online
 * `backup()`, PostgreSQL through `pg_dump -Fc` / `pg_restore` from Debian's postgresql-client) and
 * the local upload folders (`public/uploads` and the paywall's private uploads directory), in one
 * `.tar.gz` made by the system `tar`. Which database is read from the same DATABASE_* variables as
 * config/database.ts. `npm run backup` / `npm run restore` (scripts/backup.ts, scripts/restore.ts).
 *
 * Archive layout: `manifest.json` (format, version, time, database client, file counts),
 * `database.sqlite` or `database.pgdump`, `uploads/public/…`, `uploads/private/…`.
 *
 * A restore refuses (before writing anything) when the target database has tables or an upload
 * folder has files, unless `force`; with `force` the SQLite file is replaced, PostgreSQL objects of
 * the dump are dropped first (`pg_restore --clean --if-exists`), and upload files are written over.
 * PostgreSQL restores run in one transaction: a failure leaves the target as it was.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Env = Record<string, string | undefined>;

export const MANIFEST_FORMAT = 'knowledge-platform-backup';
export const MANIFEST_VERSION = 1;

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: number;
  createdAt: string;
  database: { client: 'sqlite' | 'postgres'; file: string; schema?: string };
  uploads: { public: number; private: number };
}

export class BackupError extends Error {}

type Target =
  | { client: 'sqlite'; filename: string }
  | { client: 'postgres'; url: string | null; database: string; schema: string; pgEnv: Record<string, string> };

/** The database the app would use with this environment (config/database.ts's rules). */
export function databaseTarget(env: Env, cwd: string): Target {
  const client = env.DATABASE_CLIENT || 'sqlite';
  if (client === 'sqlite') {
    const filename = env.DATABASE_FILENAME || '.tmp/data.db';
    if (filename === ':memory:') throw new BackupError('DATABASE_FILENAME is :memory:: an in-memory database cannot be backed up or restored.');
    return { client, filename: path.resolve(cwd, filename) };
  }
  if (client !== 'postgres') throw new BackupError(`Unsupported DATABASE_CLIENT "${client}": use "sqlite" (default) or "postgres".`);
  const url = env.DATABASE_URL || null;
  const pgEnv: Record<string, string> = {};
  if (!url) {
    pgEnv.PGHOST = env.DATABASE_HOST || '127.0.0.1';
    pgEnv.PGPORT = env.DATABASE_PORT || '5432';
    pgEnv.PGUSER = env.DATABASE_USERNAME || 'postgres';
    if (env.DATABASE_PASSWORD) pgEnv.PGPASSWORD = env.DATABASE_PASSWORD;
  }
  if (/^(true|1|yes|on)$/i.test(env.DATABASE_SSL ?? '')) pgEnv.PGSSLMODE = /^(false|0|no|off)$/i.test(env.DATABASE_SSL_REJECT_UNAUTHORIZED ?? '') ? 'require' : 'verify-full';
  const database = url ? decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) : env.DATABASE_NAME || 'strapi';
  return { client, url, database, schema: env.DATABASE_SCHEMA || 'public', pgEnv };
}

/** The local upload folders (the paywall resolves its directory against the app root, as here). */
export function uploadDirs(env: Env, cwd: string): { public: string; private: string } {
  return {
    public: path.resolve(cwd, env.UPLOADS_PUBLIC_DIR || path.join('public', 'uploads')),
    private: path.resolve(cwd, env.PAYWALL_PRIVATE_UPLOADS_DIR || path.join('.tmp', 'private-uploads')),
  };
}

/** Files under a folder, dotfiles (e.g. .gitkeep) left out. */
function countFiles(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    n += e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1;
  }
  return n;
}

function copyTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  if (!fs.existsSync(from)) return;
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    fs.cpSync(path.join(from, e.name), path.join(to, e.name), { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): string {
  const res = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error && (res.error as NodeJS.ErrnoException).code === 'ENOENT') {
    const hint = cmd.startsWith('pg_') ? ": install Debian's postgresql-client (apt-get install postgresql-client)" : '';
    throw new BackupError(`${cmd} not found${hint}.`);
  }
  if (res.error) throw res.error;
  if (res.status !== 0) throw new BackupError(`${cmd} ${args.filter((a) => !a.includes('://')).join(' ')} failed (exit ${res.status}): ${(res.stderr || res.stdout).trim().slice(0, 2000)}`);
  return res.stdout;
}

const pgConnArgs = (t: Extract<Target, { client: 'postgres' }>): string[] => [`--dbname=${t.url ?? t.database}`];

/** The part of better-sqlite3 used here (the package ships no type declarations). */
interface SqliteDatabase {
  backup(destination: string): Promise<unknown>;
  prepare(sql: string): { get(): unknown };
  close(): void;
}
type SqliteConstructor = new (filename: string, options: { readonly?: boolean; fileMustExist?: boolean }) => SqliteDatabase;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sqlite = (): SqliteConstructor => require('better-sqlite3') as SqliteConstructor;

export interface BackupResult {
  file: string;
  manifest: Manifest;
  bytes: number;
}

/** Writes one archive of the database and the upload folders; returns where and what. */
export async function backup(options: { env: Env; cwd: string; out?: string; now?: Date }): Promise<BackupResult> {
  const { env, cwd } = options;
  const now = options.now ?? new Date();
  const target = databaseTarget(env, cwd);
  const dirs = uploadDirs(env, cwd);
  const out = path.resolve(cwd, options.out ?? path.join('.tmp', 'backups', `backup-${now.toISOString().replace(/[:.]/g, '-')}.tar.gz`));
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-backup-'));
  try {
    let file: string;
    if (target.client === 'sqlite') {
      if (!fs.existsSync(target.filename)) throw new BackupError(`No SQLite database at ${target.filename} (DATABASE_FILENAME).`);
      file = 'database.sqlite';
      const db = new (sqlite())(target.filename, { readonly: true, fileMustExist: true });
      try {
        await db.backup(path.join(staging, file));
      } finally {
        db.close();
      }
    } else {
      file = 'database.pgdump';
      const schemaArgs = target.schema === 'public' ? [] : [`--schema=${target.schema}`];
      run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${path.join(staging, file)}`, ...schemaArgs, ...pgConnArgs(target)], target.pgEnv);
    }
    copyTree(dirs.public, path.join(staging, 'uploads', 'public'));
    copyTree(dirs.private, path.join(staging, 'uploads', 'private'));
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      createdAt: now.toISOString(),
      database: { client: target.client, file, ...(target.client === 'postgres' ? { schema: target.schema } : {}) },
      uploads: { public: countFiles(dirs.public), private: countFiles(dirs.private) },
    };
    fs.writeFileSync(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const partial = `${out}.partial`;
    run('tar', ['-czf', partial, '-C', staging, '.']);
    fs.renameSync(partial, out);
    return { file: out, manifest, bytes: fs.statSync(out).size };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

async function postgresTables(t: Extract<Target, { client: 'postgres' }>): Promise<number> {
  const { Client } = await import('pg');
  const client = new Client(
    t.url
      ? { connectionString: t.url, ssl: t.pgEnv.PGSSLMODE ? { rejectUnauthorized: t.pgEnv.PGSSLMODE === 'verify-full' } : undefined }
      : { host: t.pgEnv.PGHOST, port: Number(t.pgEnv.PGPORT), user: t.pgEnv.PGUSER, password: t.pgEnv.PGPASSWORD, database: t.database }
  );
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError(`Cannot connect to the PostgreSQL database "${t.database}" (create it first, e.g. createdb): ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const res = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = $1`, [t.schema]);
    return Number(res.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

function sqliteTables(filename: string): number {
  if (!fs.existsSync(filename) || fs.statSync(filename).size === 0) return 0;
  const db = new (sqlite())(filename, { readonly: true, fileMustExist: true });
  try {
    return Number((db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).get() as { n: number }).n);
  } finally {
    db.close();
  }
}

export interface RestoreResult {
  manifest: Manifest;
  database: string;
  uploads: { public: string; private: string };
}

/** Restores an archive into the database and upload folders of this environment. */
export async function restore(options: { env: Env; cwd: string; archive: string; force?: boolean }): Promise<RestoreResult> {
  const { env, cwd, force = false } = options;
  const archive = path.resolve(cwd, options.archive);
  if (!fs.existsSync(archive)) throw new BackupError(`No backup archive at ${archive}.`);
  const target = databaseTarget(env, cwd);
  const dirs = uploadDirs(env, cwd);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-restore-'));
  try {
    run('tar', ['-xzf', archive, '-C', work]);
    const manifestPath = path.join(work, 'manifest.json');
    if (!fs.existsSync(manifestPath)) throw new BackupError(`${archive} is not a backup of this platform (no manifest.json).`);
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
    if (manifest.format !== MANIFEST_FORMAT) throw new BackupError(`${archive} is not a backup of this platform (format "${String(manifest.format)}").`);
    if (manifest.version > MANIFEST_VERSION) throw new BackupError(`${archive} has backup format version ${manifest.version}; this version reads up to ${MANIFEST_VERSION}.`);
    if (manifest.database.client !== target.client) {
      throw new BackupError(`The backup holds a ${manifest.database.client} database but DATABASE_CLIENT is ${target.client}: restore into the same kind of database.`);
    }

    // Every refusal before anything is written.
    const refusals: string[] = [];
    const tables = target.client === 'sqlite' ? sqliteTables(target.filename) : await postgresTables(target);
    const where = target.client === 'sqlite' ? target.filename : `database "${target.database}", schema "${target.schema}"`;
    if (tables > 0) refusals.push(`the database (${where}) has ${tables} tables`);
    for (const [label, dir] of Object.entries(dirs)) {
      const n = countFiles(dir);
      if (n > 0) refusals.push(`the ${label} upload folder ${dir} has ${n} files`);
    }
    if (refusals.length && !force) throw new BackupError(`Refusing to restore over existing data: ${refusals.join('; ')}. Restore into an empty database and folders, or pass --force to overwrite.`);

    const dump = path.join(work, manifest.database.file);
    if (target.client === 'sqlite') {
      fs.mkdirSync(path.dirname(target.filename), { recursive: true });
      const partial = `${target.filename}.restoring`;
      fs.copyFileSync(dump, partial);
      for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(`${target.filename}${suffix}`, { force: true });
      fs.renameSync(partial, target.filename);
    } else {
      const clean = force && tables > 0 ? ['--clean', '--if-exists'] : [];
      run('pg_restore', ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', ...clean, ...pgConnArgs(target), dump], target.pgEnv);
    }
    copyTree(path.join(work, 'uploads', 'public'), dirs.public);
    copyTree(path.join(work, 'uploads', 'private'), dirs.private);
    fs.chmodSync(dirs.private, 0o700);
    return { manifest, database: where, uploads: dirs };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
