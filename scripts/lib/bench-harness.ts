/**
 * What every HTTP benchmark of the app shares: compile the app into a directory of its own (so
 * that a benchmark measures what is on disk, not a stale dist/), boot it in a child process on a
 * given database and loopback port, read a process's CPU time, and the median. A benchmark script
 * calls `serveIfChild()` first: started with `--serve`, the script is that child.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

/** A number from the environment, or `fallback`. */
export const num = (name: string, fallback: number): number => (process.env[name] ? Number(process.env[name]) : fallback);

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Compiles the app into a temporary directory (BENCH_DIST_DIR: use that build instead) and checks
 * that `expected` (a path inside the output) was produced. Type errors in files under construction
 * elsewhere do not stop a measurement.
 */
export function compileApp(name: string, expected: string): string {
  if (process.env.BENCH_DIST_DIR) return process.env.BENCH_DIST_DIR;
  const out = path.join(os.tmpdir(), `kp-bench-${name}-dist-${process.pid}`);
  console.log(`▶ compiling the app into ${out}`);
  spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json', '--outDir', out, '--noEmitOnError', 'false', '--incremental', 'false'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  if (!fs.existsSync(path.join(out, expected))) throw new Error(`compile produced no ${expected}`);
  return out;
}

/**
 * With BENCH_DB=both (the default), runs this script once per database, each in a process of its
 * own (BENCH_DB set, the build shared through BENCH_DIST_DIR), and returns true; returns false when
 * one database is asked for (run it here). Strapi booted a second time in one process — SQLite's seed,
 * then PostgreSQL's — answered that app's admin login with 501 from its router.
 */
export function runEachDatabaseInChild(dist: string): boolean {
  if ((process.env.BENCH_DB ?? 'both') !== 'both') return false;
  for (const kind of ['sqlite', 'postgres'] as const) {
    const run = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, BENCH_DB: kind, BENCH_DIST_DIR: dist },
    });
    if (run.status !== 0) throw new Error(`the ${kind} run exited with ${run.status ?? run.signal}`);
  }
  return true;
}

/** Child mode: boot on the database in BENCH_DB_ENV and serve on an ephemeral loopback port. */
async function serve(): Promise<void> {
  const { bootApp } = await import('../../tests/support/strapi');
  const dbEnv = JSON.parse(process.env.BENCH_DB_ENV ?? '{}') as Record<string, string>;
  const app = await bootApp({ database: { kind: dbEnv.DATABASE_CLIENT === 'postgres' ? 'postgres' : 'sqlite', env: dbEnv, drop: async () => undefined } });
  const server = app.strapi.server.httpServer;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  process.stdout.write(`LISTENING ${typeof address === 'object' && address ? address.port : 0}\n`);
  // SQL statements run by this instance, within an HTTP request (Strapi's request context) and
  // outside (workers, timers), reported on SIGUSR2 (`queryCounts`).
  const counts = { request: 0, background: 0 };
  app.strapi.db.connection.on('query', () => {
    if (app.strapi.requestContext.get()) counts.request += 1;
    else counts.background += 1;
  });
  process.on('SIGUSR2', () => process.stdout.write(`QUERIES ${counts.request} ${counts.background}\n`));
  const stop = async () => {
    await app.strapi.destroy().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** True when this process is a benchmark's server child (it then serves and never returns to the script). */
export function serveIfChild(): boolean {
  if (!process.argv.includes('--serve')) return false;
  serve().catch((err) => {
    console.error(err);
    process.exit(1);
  });
  return true;
}

export interface BenchServer<M extends string = string> {
  mode: M;
  child: ChildProcess;
  port: number;
}

/**
 * Starts `script` (the calling benchmark, `__filename`) as a server child on `dist` and the
 * database `dbEnv`, with `env` added (the switch that makes this mode), and resolves once it listens.
 */
export function startServer<M extends string>(
  script: string,
  mode: M,
  dist: string,
  dbEnv: Record<string, string>,
  env: Record<string, string>,
  nodeArgs: string[] = []
): Promise<BenchServer<M>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, '--serve'], {
      cwd: ROOT,
      env: { ...process.env, TEST_DIST_DIR: dist, BENCH_DB_ENV: JSON.stringify(dbEnv), TEST_LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buf = '';
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /LISTENING (\d+)/.exec(buf);
      if (m) resolve({ mode, child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${mode} server exited (${code}) before listening`)));
  });
}

/** SQL statements a server child ran so far, within requests and outside them (it answers SIGUSR2). */
export function queryCounts(s: BenchServer): Promise<{ request: number; background: number }> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      s.child.stdout!.off('data', onData);
      reject(new Error(`${s.mode}: no query counts within 5 s`));
    }, 5000);
    const onData = (c: Buffer) => {
      buf += c.toString();
      const m = /QUERIES (\d+) (\d+)/.exec(buf);
      if (!m) return;
      clearTimeout(timer);
      s.child.stdout!.off('data', onData);
      resolve({ request: Number(m[1]), background: Number(m[2]) });
    };
    s.child.stdout!.on('data', onData);
    s.child.kill('SIGUSR2');
  });
}

/** User + system CPU time of a process, in milliseconds (Linux /proc; USER_HZ is 100). */
export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime (fields 14, 15 of the line)
}

/** Stops the server children (SIGTERM) and waits for each to exit. */
export async function stopServers(servers: ReadonlyArray<{ child: ChildProcess }>): Promise<void> {
  for (const s of servers) {
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
  }
}

/**
 * The entry of a benchmark script: in a server child, serves; otherwise compiles the app into a
 * temporary directory (`compileApp(name, expected)`), runs `perDatabase` on SQLite and/or
 * PostgreSQL (`BENCH_DB=sqlite|postgres|both`), removes the build and exits 0 (1 on an error).
 */
export function runBench(name: string, expected: string, perDatabase: (kind: 'sqlite' | 'postgres', dist: string) => Promise<void>, before?: () => void): void {
  if (serveIfChild()) return;
  const main = async () => {
    before?.();
    const which = process.env.BENCH_DB ?? 'both';
    const dist = compileApp(name, expected);
    try {
      if (!runEachDatabaseInChild(dist)) await perDatabase(which === 'postgres' ? 'postgres' : 'sqlite', dist);
    } finally {
      if (!process.env.BENCH_DIST_DIR) fs.rmSync(dist, { recursive: true, force: true });
    }
  };
  main()
    .then(() => process.exit(0))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
