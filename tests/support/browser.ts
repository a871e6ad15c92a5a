/**
 * Headless Chromium for browser tests: playwright-core driving the system's Chromium (Debian's
 * `chromium` package; `npx playwright install` cannot download browsers on these machines), with
 * the flags below (each one needed on these machines); plus what an admin-panel test needs around it: a built
 * admin panel that is not older than its sources, and a real TCP port to point the browser at.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { APP_DIR, DIST_DIR, type TestApp } from './strapi';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The first Chromium executable found ($CHROMIUM_PATH first), or null. */
export function findChromium(): string | null {
  for (const candidate of CANDIDATES) if (candidate && fs.existsSync(candidate)) return candidate;
  return null;
}

/**
 * Why a browser suite cannot run here (pass it to `describe(..., { skip })`), or false when it can.
 * Under CI=true a missing Chromium is a failure, not a skip: this throws.
 */
export function browserSkipReason(suite: string): string | false {
  if (findChromium()) return false;
  const message = `${suite}: SKIPPED, no Chromium found ($CHROMIUM_PATH, /usr/bin/chromium). Install it with \`apt-get install -y chromium\`.`;
  if (process.env.CI === 'true') throw new Error(`${message} CI=true: failing instead of skipping.`);
  console.warn(`⚠ ${message}`);
  return message;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found');
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

function newestMtime(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Admin panel sources: the app's customisation and every local plugin's admin part and package.json. */
function adminSourcesMtime(): number {
  const plugins = path.join(APP_DIR, 'plugins');
  let newest = newestMtime(path.join(APP_DIR, 'src', 'admin'));
  for (const name of fs.existsSync(plugins) ? fs.readdirSync(plugins) : []) {
    newest = Math.max(newest, newestMtime(path.join(plugins, name, 'admin')));
    const pkg = path.join(plugins, name, 'package.json');
    if (fs.existsSync(pkg)) newest = Math.max(newest, fs.statSync(pkg).mtimeMs);
  }
  return newest;
}

/**
 * Makes sure `<dist>/build` holds an admin panel built from the current sources: runs
 * `strapi build` (~1.5–3.5 min, ~2.5 GB) when `dist/build/index.html` is missing or older than
 * the admin sources. A test run from another dist directory (TEST_DIST_DIR) gets a link to it.
 */
export function ensureAdminBuild(): void {
  const index = path.join(APP_DIR, 'dist', 'build', 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  if (built === 0 || adminSourcesMtime() > built) {
    console.log(`▶ strapi build (admin panel ${built === 0 ? 'missing' : 'older than its sources'}; takes a few minutes)`);
    const res = spawnSync(path.join(APP_DIR, 'node_modules', '.bin', 'strapi'), ['build'], { cwd: APP_DIR, stdio: 'inherit', env: process.env });
    if (res.status !== 0) throw new Error(`strapi build failed (exit ${res.status ?? res.signal})`);
  }
  const target = path.join(DIST_DIR, 'build');
  const source = path.join(APP_DIR, 'dist', 'build');
  if (path.resolve(target) !== path.resolve(source)) {
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.symlinkSync(source, target, 'dir');
  }
}

/** Puts the booted app on a loopback port and answers its base URL. */
export async function listen(app: TestApp): Promise<string> {
  const server = app.strapi.server.httpServer;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * Where a browser test writes a screenshot: the committed `public/screenshots/` only when
 * `SCREENSHOTS=1` (`npm run screenshots`), a temporary folder otherwise, so that a test run leaves
 * the working tree as it found it.
 */
export const SCREENSHOTS_REQUESTED = process.env.SCREENSHOTS === '1';
export function screenshotPath(name: string): string {
  const dir = SCREENSHOTS_REQUESTED
    ? path.join(APP_DIR, 'public', 'screenshots')
    : path.join(os.tmpdir(), 'kp-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
