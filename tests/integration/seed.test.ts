/**
 * `npm run seed` as a user runs it (a child process on a fresh database, SQLite or PostgreSQL per
 * TEST_DB): it reports progress in plain lines when its output is not a terminal, says
 * "seed: done", and exits 0 promptly after — never an uncaught KnexTimeoutError from background
 * work racing the shutdown, never a re-index competing the writes out of the pool.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase } from '../support/db';

const APP_DIR = path.resolve(__dirname, '..', '..');

test('the seed writes a small catalogue, shows its progress and exits 0 promptly after "seed: done"', { timeout: 240_000 }, async () => {
  const db = await createTestDatabase();
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/seed.ts', '--courses', '4'], {
      cwd: APP_DIR,
      env: { ...process.env, ...db.env, NODE_ENV: 'development', QUIET_DEV_SECRETS: '1', RECOMMENDER_STATS_REFRESH_SECONDS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let doneAt = 0;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!doneAt && stdout.includes('seed: done')) doneAt = Date.now();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const after = Date.now() - doneAt;
    assert.equal(code, 0, `exit ${code}\n${stdout}\n${stderr}`);
    assert.ok(doneAt > 0, stdout);
    assert.ok(after < 10_000, `exited ${after} ms after "seed: done"`);
    for (const n of [1, 2, 3, 4]) assert.match(stdout, new RegExp(`\\[${n}/4\\] `), 'a plain progress line per course');
    assert.doesNotMatch(stdout + stderr, /KnexTimeoutError|Unable to acquire a connection|re-indexing .* failed|Unhandled/i);
  } finally {
    await db.drop();
  }
});
