import path from 'node:path';
import { createStrapi, type Core } from '@strapi/strapi';
import request from 'supertest';
import { createTestDatabase, type TestDatabase, type DbKind, TEST_DB } from './db';

export const APP_DIR = path.resolve(__dirname, '..', '..');
export const DIST_DIR = process.env.TEST_DIST_DIR ?? path.join(APP_DIR, 'dist');
process.env.STRAPI_DIST_DIR = DIST_DIR;
if (!DIST_DIR.startsWith(APP_DIR)) {
  // A build output outside the app (TEST_DIST_DIR=/tmp/...) must still resolve the app's packages.
  process.env.NODE_PATH = [path.join(APP_DIR, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('node:module') as { Module: { _initPaths(): void } }).Module._initPaths();
}

export interface TestApp {
  strapi: Core.Strapi;
  db: TestDatabase;
  /** A supertest client bound to the running HTTP server. */
  http: () => request.Agent;
  close(): Promise<void>;
}

export interface BootOptions {
  db?: DbKind;
  /** Extra environment for this boot (Stripe keys, S3 settings...). */
  env?: Record<string, string>;
  /** Reuse an existing database instead of creating one (second instance on the same data). */
  database?: TestDatabase;
  /** Serve the built admin panel (`<dist>/build`) at /admin, for browser tests. */
  serveAdminPanel?: boolean;
}

/**
 * Boots the compiled app (`dist/`, built by `npm test` before the suites run) in this process
 * against a fresh database, and mounts its HTTP server for supertest.
 */
export async function bootApp(options: BootOptions = {}): Promise<TestApp> {
  const db = options.database ?? (await createTestDatabase(options.db ?? TEST_DB));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    QUIET_DEV_SECRETS: '1',
    STARTUP_MESSAGE: 'false',
    AUTH_RATELIMIT: 'false',
    ...db.env,
    ...options.env,
  };
  Object.assign(process.env, env);
  process.chdir(APP_DIR);

  const strapi = createStrapi({
    appDir: APP_DIR,
    distDir: DIST_DIR,
    autoReload: false,
    serveAdminPanel: options.serveAdminPanel ?? false,
  });
  strapi.log.level = (process.env.TEST_LOG_LEVEL as typeof strapi.log.level) ?? 'error';
  await strapi.load();
  strapi.log.level = (process.env.TEST_LOG_LEVEL as typeof strapi.log.level) ?? 'error';
  // The upload plugin's usage report runs 15 s after the first boot on a fresh database (its
  // cron reads folders, files and the core store). Tests that count the statements a request
  // runs would count it when it fires in their window; nothing of the platform depends on it.
  strapi.cron.remove('uploadWeekly');
  await strapi.server.mount();

  return {
    strapi,
    db,
    http: () => request.agent(strapi.server.httpServer),
    async close() {
      await strapi.destroy();
      if (!options.database) await db.drop();
    },
  };
}
