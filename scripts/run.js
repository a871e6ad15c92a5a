#!/usr/bin/env node
'use strict';
/**
 * The project's entry points, in plain JavaScript so they run before anything is compiled:
 *   node scripts/run.js test   type-check, compile, unit tests, integration on SQLite and PostgreSQL, browser tests
 *   node scripts/run.js seed   compile if needed, then fill the database with the demo catalogue
 *   node scripts/run.js demo   compile + admin build if needed, seed when empty, demo admin, start on :1337
 *   node scripts/run.js openapi [--check]   compile if needed, then write (or check) types/openapi.json
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts, env: { ...process.env, ...(opts.env || {}) } });
  if (res.error) throw res.error;
  return res.status ?? 1;
}

function must(cmd, args, opts) {
  const code = run(cmd, args, opts);
  if (code !== 0) {
    console.error(`\n✖ ${path.basename(cmd)} ${args.join(' ')} failed (exit ${code})`);
    process.exit(code);
  }
}

function listFiles(dir, pattern) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) for (const f of listFiles(full, pattern)) out.push(f);
    else if (pattern.test(entry.name)) out.push(full);
  }
  return out.sort();
}

function compile() {
  console.log('▶ tsc (server: config, src, plugins → dist/)');
  must(path.join(BIN, 'tsc'), ['-p', 'tsconfig.json']);
}

/** Runs node's test runner on files; returns { pass, fail, skipped } read from its TAP summary. */
function nodeTest(label, files, env = {}) {
  if (files.length === 0) return { pass: 0, fail: 0, skipped: 0 };
  const tap = path.join(os.tmpdir(), `kp-tap-${process.pid}-${label.replace(/\W+/g, '-')}.tap`);
  console.log(`\n▶ ${label}: ${files.length} file(s)`);
  const code = run(process.execPath, [
    '--import', 'tsx',
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files.map((f) => path.relative(ROOT, f)),
  ], { env });
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const num = (k) => {
    const m = text.match(new RegExp(`^# ${k} (\\d+)$`, 'm'));
    return m ? Number(m[1]) : 0;
  };
  const result = { pass: num('pass'), fail: num('fail') + num('cancelled'), skipped: num('skipped') + num('todo') };
  if (code !== 0 && result.fail === 0) result.fail = 1; // a crash outside any test still fails the run
  console.log(`  ${label}: ${result.pass} passed, ${result.fail} failed, ${result.skipped} skipped`);
  return result;
}

async function postgresReachable() {
  const { Client } = require('pg');
  const client = new Client({
    connectionString: process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (e) {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function test() {
  const started = Date.now();
  compile();
  console.log('▶ tsc (tests, scripts: type-check only)');
  must(path.join(BIN, 'tsc'), ['-p', 'tests/tsconfig.json']);
  // The admin panels are bundled by `strapi build`, which does not type-check: each has its own tsconfig.
  for (const dir of fs.readdirSync(path.join(ROOT, 'plugins')).sort()) {
    const tsconfig = path.join('plugins', dir, 'admin', 'tsconfig.json');
    if (!fs.existsSync(path.join(ROOT, tsconfig))) continue;
    console.log(`▶ tsc (${dir} admin panel: type-check only)`);
    must(path.join(BIN, 'tsc'), ['-p', tsconfig]);
  }

  const totals = { pass: 0, fail: 0, skipped: 0 };
  const add = (r) => { totals.pass += r.pass; totals.fail += r.fail; totals.skipped += r.skipped; };

  const only = process.argv.slice(3);
  const pick = (files) => (only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files);

  const unit = pick([
    ...listFiles(path.join(ROOT, 'plugins'), /\.test\.ts$/).filter((f) => !f.includes('node_modules')),
    ...listFiles(path.join(ROOT, 'src'), /\.test\.ts$/),
    ...listFiles(path.join(ROOT, 'tests', 'unit'), /\.test\.ts$/),
  ]);
  add(nodeTest('unit', unit));

  const integration = pick(listFiles(path.join(ROOT, 'tests', 'integration'), /\.test\.ts$/));
  add(nodeTest('integration [sqlite]', integration, { TEST_DB: 'sqlite' }));

  if (await postgresReachable()) {
    add(nodeTest('integration [postgres]', integration, { TEST_DB: 'postgres' }));
  } else if (process.env.CI === 'true') {
    console.error('\n✖ PostgreSQL is not reachable (TEST_DATABASE_URL or 127.0.0.1:5432) and CI=true: failing.');
    totals.fail += 1;
  } else {
    console.log('\n⚠ PostgreSQL not reachable: the integration suite ran on SQLite only (set CI=true to make this fatal).');
  }

  const browser = pick(listFiles(path.join(ROOT, 'tests', 'browser'), /\.test\.ts$/));
  add(nodeTest('browser', browser, { TEST_DB: 'sqlite' }));

  const secs = Math.round((Date.now() - started) / 1000);
  console.log(`\nAll suites in ${secs}s`);
  console.log(`${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
  process.exit(totals.fail > 0 ? 1 : 0);
}

function distIsStale() {
  const stamp = path.join(ROOT, 'dist', 'src', 'index.js');
  if (!fs.existsSync(stamp)) return true;
  const built = fs.statSync(stamp).mtimeMs;
  const sources = [
    ...listFiles(path.join(ROOT, 'src'), /\.(ts|json)$/),
    ...listFiles(path.join(ROOT, 'config'), /\.ts$/),
    ...listFiles(path.join(ROOT, 'plugins'), /\.(ts|json)$/).filter((f) => f.includes(`${path.sep}server${path.sep}`)),
    ...listFiles(path.join(ROOT, 'database'), /\.ts$/),
  ];
  return sources.some((f) => fs.statSync(f).mtimeMs > built);
}

// The admin bundle is missing or older than an admin source (src/admin, plugins/<name>/admin).
function adminIsStale() {
  const stamp = path.join(ROOT, 'dist', 'build', 'index.html');
  if (!fs.existsSync(stamp)) return true;
  const built = fs.statSync(stamp).mtimeMs;
  const sources = [
    ...listFiles(path.join(ROOT, 'src', 'admin'), /\.(ts|tsx|json)$/),
    ...fs.readdirSync(path.join(ROOT, 'plugins')).flatMap((p) => [
      ...listFiles(path.join(ROOT, 'plugins', p, 'admin'), /\.(ts|tsx|json)$/),
      path.join(ROOT, 'plugins', p, 'package.json'),
    ]),
  ].filter((f) => fs.existsSync(f));
  return sources.some((f) => fs.statSync(f).mtimeMs > built);
}

function seed(extra = []) {
  if (distIsStale()) compile();
  must(process.execPath, ['--import', 'tsx', 'scripts/seed.ts', ...extra]);
}

/** Whether the environment or `.env` (which Strapi loads) sets a Stripe secret key. */
function stripeKeyConfigured() {
  if (process.env.STRIPE_SECRET_KEY) return true;
  const file = path.join(ROOT, '.env');
  if (!fs.existsSync(file)) return false;
  return Boolean(require('dotenv').parse(fs.readFileSync(file)).STRIPE_SECRET_KEY);
}

function demo() {
  if (process.env.NODE_ENV === 'production') {
    console.error('npm run demo is for development: it creates a demo admin. Refusing with NODE_ENV=production.');
    process.exit(1);
  }
  if (distIsStale()) compile();
  if (adminIsStale()) {
    console.log('▶ strapi build (admin panel: first run, or admin sources changed; ~1–2 min)');
    must(path.join(BIN, 'strapi'), ['build']);
  }
  seed(['--if-empty', '--demo-admin']);
  const port = process.env.PORT || 1337;
  console.log(`▶ strapi start → http://localhost:${port} (storefront /, admin /admin, API /api)`);
  if (!stripeKeyConfigured() && process.env.DEMO_PAYMENTS !== 'false') {
    // No Stripe key: buying still works, against the local demo checkout (scripts/demo-start.ts).
    process.exit(run(process.execPath, ['--import', 'tsx', 'scripts/demo-start.ts']));
  }
  process.exit(run(path.join(BIN, 'strapi'), ['start']));
}

function openapi() {
  if (distIsStale()) compile();
  must(process.execPath, ['--import', 'tsx', 'scripts/openapi.ts', ...process.argv.slice(3)], { env: { QUIET_DEV_SECRETS: '1' } });
}

const command = process.argv[2];
const commands = { test, seed: () => seed(process.argv.slice(3)), demo, openapi };
if (!commands[command]) {
  console.error(`usage: node scripts/run.js ${Object.keys(commands).join('|')}`);
  process.exit(2);
}
Promise.resolve(commands[command]()).catch((err) => {
  console.error(err);
  process.exit(1);
});
