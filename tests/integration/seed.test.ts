/**
 * `npm run seed` as a user runs it (a child process on a fresh database, SQLite or PostgreSQL per
 * TEST_DB): it reports progress in plain lines when its output is not a terminal, says
 * "seed: done", and exits 0 promptly after — never an uncaught KnexTimeoutError from background
 * work racing the shutdown, never a re-index competing the writes out of the pool.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createTestDatabase } from '../support/db';

const APP_DIR = path.resolve(__dirname, '..', '..');

const UPLOADS = path.join(APP_DIR, 'public', 'uploads');

test('the seed writes a small catalogue with local covers and a review demo, shows its progress and exits 0 promptly after "seed: done"', { timeout: 300_000 }, async () => {
  const db = await createTestDatabase();
  const uploadsBefore = new Set(fs.readdirSync(UPLOADS));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/seed.ts', '--courses', '4', '--demo-admin'], {
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
    // Covers made on this machine (no network), one per course, and a course in each review state.
    assert.match(stdout, /"covers":4/);
    assert.match(stdout, /review demo: \{"draft":1,"in_review":1,"changes_requested":1,"approved":1\}/);
    const made = fs.readdirSync(UPLOADS).filter((f) => !uploadsBefore.has(f));
    assert.ok(made.some((f) => /cover.*\.png$/.test(f)), `cover files: ${made.join(', ')}`);
  } finally {
    for (const f of fs.readdirSync(UPLOADS)) if (!uploadsBefore.has(f)) fs.rmSync(path.join(UPLOADS, f), { force: true, recursive: true });
    await db.drop();
  }
});
