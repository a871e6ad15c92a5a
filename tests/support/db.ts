import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export type DbKind = 'sqlite' | 'postgres';

export interface TestDatabase {
  kind: DbKind;
  /** Environment variables that point Strapi at this database. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export const TEST_DB: DbKind = process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

export function adminDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** True when a PostgreSQL server answers at TEST_DATABASE_URL (or 127.0.0.1:5432). */
export async function postgresReachable(): Promise<boolean> {
  const client = new Client({ connectionString: adminDatabaseUrl(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh database for one test file: a temp SQLite file, or a PostgreSQL database dropped after. */
export async function createTestDatabase(kind: DbKind = TEST_DB): Promise<TestDatabase> {
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-test-'));
    const filename = path.join(dir, 'test.db');
    return {
      kind,
      env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: filename },
      async drop() {
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `kp_test_${suffix}`;
  const admin = new Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  return {
    kind,
    env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url.toString(), DATABASE_POOL_MIN: '0' },
    async drop() {
      const client = new Client({ connectionString: adminDatabaseUrl() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
