/**
 * A load generator and a proxy that cost the servers' cores little: Debian's `haproxy` (C, one
 * thread, keep-alive towards the servers) and `wrk` (C, one thread, a Lua script cycling through
 * the mix). The Node pair the scale-out benchmark otherwise uses (http-proxy and autocannon in
 * the benchmark's process) spends about as much CPU per request as a server does, and on a
 * two-core machine that CPU is taken from the servers' own cores: it is the measuring
 * instrument, not the app, that then grows with the second instance.
 *
 * Both are optional: `leanTools()` says which is missing (`apt-get install haproxy wrk`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface LeanRequest {
  path: string;
  headers?: Record<string, string>;
}

/** Null when haproxy and wrk are both on PATH, else what to install. */
export function leanTools(): string | null {
  const missing = ['haproxy', 'wrk'].filter((bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0);
  return missing.length ? `${missing.join(' and ')} not installed (apt-get install ${missing.join(' ')})` : null;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface LeanProxy {
  /** frontend URL per backend name */
  urls: Record<string, string>;
  pid: number;
  close(): Promise<void>;
}

/**
 * One haproxy process with a frontend per entry of `backends` (name → server ports), each
 * balancing round-robin per request over keep-alive connections to its servers. A GET that meets
 * a connection the server has just closed (its idle timeout) is retried, never answered 502.
 */
export async function startHaproxy(backends: Record<string, number[]>): Promise<LeanProxy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-haproxy-'));
  const urls: Record<string, string> = {};
  const lines = [
    'global',
    '  nbthread 1',
    '  maxconn 2000',
    'defaults',
    '  mode http',
    '  timeout connect 5s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  option http-keep-alive',
    '  http-reuse always',
    '  retries 3',
    '  retry-on conn-failure empty-response response-timeout',
  ];
  for (const [name, ports] of Object.entries(backends)) {
    const port = await freePort();
    urls[name] = `http://127.0.0.1:${port}`;
    lines.push(`frontend fe_${name}`, `  bind 127.0.0.1:${port}`, `  default_backend be_${name}`, `backend be_${name}`, '  balance roundrobin');
    ports.forEach((p, i) => lines.push(`  server s${i} 127.0.0.1:${p}`));
  }
  const cfg = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(cfg, `${lines.join('\n')}\n`);
  const check = spawnSync('haproxy', ['-c', '-f', cfg], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy rejected its configuration: ${check.stdout}${check.stderr}`);
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  // Listening once every frontend accepts a connection.
  const deadline = Date.now() + 10_000;
  for (const url of Object.values(urls)) {
    const port = Number(new URL(url).port);
    for (;;) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
        s.on('error', () => resolve(false));
      });
      if (ok) break;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`haproxy did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    urls,
    pid: child.pid!,
    close: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface WrkResult {
  requests: number;
  reqPerSec: number;
  /** non-2xx answers and socket errors */
  failures: number;
  /** wrk's own user + system CPU time, ms */
  cpuMs: number;
}

/**
 * `wrk` against `url` for `seconds` with `connections` connections on one thread, each cycling
 * through `mix` and waiting `delayMs` after every answer (wrk's `delay()`): a paced load whose
 * rate is about connections × 1000 ÷ (delay + latency).
 */
export function runWrk(url: string, mix: LeanRequest[], connections: number, delayMs: number, seconds: number): Promise<WrkResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-wrk-'));
  const script = path.join(dir, 'mix.lua');
  const lua = (s: string) => JSON.stringify(s); // a JSON string is a valid Lua string literal for these ASCII values
  const entries = mix.map((m) => `wrk.format("GET", ${lua(m.path)}, {${Object.entries(m.headers ?? {}).map(([k, v]) => `[${lua(k)}] = ${lua(v)}`).join(', ')}})`);
  fs.writeFileSync(
    script,
    [
      // Built in init(): at the script's top level wrk has not set its host yet (no Host header).
      'local reqs, i',
      `init = function(args) reqs = {${entries.join(',\n')}}; i = math.random(#reqs) end`,
      'request = function() i = i % #reqs + 1; return reqs[i] end',
      `delay = function() return ${Math.max(0, Math.round(delayMs))} end`,
      'done = function(summary, latency, requests)',
      '  local e = summary.errors',
      '  io.write(string.format("WRK %d %d %d\\n", summary.requests, summary.duration, e.status + e.connect + e.read + e.write + e.timeout))',
      'end',
      '',
    ].join('\n')
  );
  return new Promise((resolve, reject) => {
    // `times` after wrk: the shell's children's user and system time, i.e. wrk's own CPU.
    const child = spawn('bash', ['-c', 'wrk -t1 "-c$1" "-d$2s" -s "$3" "$4"; status=$?; times; exit $status', 'wrk', String(connections), String(seconds), script, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => {
      fs.rmSync(dir, { recursive: true, force: true });
      const m = /WRK (\d+) (\d+) (\d+)/.exec(out);
      if (code !== 0 || !m) return reject(new Error(`wrk exited ${code}: ${out.slice(-500)}`));
      const requests = Number(m[1]);
      // `times` prints the shell's line, then its children's: "0m0.120s 0m0.340s".
      const t = [...out.matchAll(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/g)].at(-1);
      const cpu = t ? (Number(t[1]) * 60 + Number(t[2]) + Number(t[3]) * 60 + Number(t[4])) * 1000 : NaN;
      resolve({ requests, reqPerSec: requests / (Number(m[2]) / 1e6), failures: Number(m[3]), cpuMs: cpu });
    });
  });
}
