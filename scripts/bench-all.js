#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: runs every `bench:*` script of package.json in sequence (they share two cores,
 * so never in parallel) and prints one summary table. A bench script reports its headline figures
 * as lines `BENCH {"bench":"paywall","metric":"ratio gated/ungated (sqlite)","value":0.97,"unit":"","goal":">= 0.95"}`;
 * everything else it prints is passed through.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const pkg = require(path.join(ROOT, 'package.json'));
const only = process.argv.slice(2);
const names = Object.keys(pkg.scripts)
  .filter((n) => n.startsWith('bench:'))
  .filter((n) => only.length === 0 || only.some((o) => n.includes(o)));

function runScript(name) {
  return new Promise((resolve) => {
    const started = Date.now();
    const rows = [];
    const child = spawn('npm', ['run', '--silent', name], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      buffer += chunk.toString();
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        if (line.startsWith('BENCH ')) {
          try {
            rows.push(JSON.parse(line.slice(6)));
          } catch {
            /* a malformed line is shown above, not summarised */
          }
        }
      }
    });
    child.on('close', (code) => resolve({ name, code, seconds: (Date.now() - started) / 1000, rows }));
  });
}

(async () => {
  const results = [];
  for (const name of names) {
    console.log(`\n━━ npm run ${name} ━━`);
    results.push(await runScript(name));
  }
  console.log('\n## Benchmark summary\n');
  console.log('| bench | metric | value | goal |');
  console.log('| --- | --- | --- | --- |');
  for (const r of results) {
    if (r.rows.length === 0) console.log(`| ${r.name} | (no BENCH lines; exit ${r.code}) | | |`);
    for (const row of r.rows) {
      const value = typeof row.value === 'number' ? Number(row.value.toPrecision(4)) : row.value;
      console.log(`| ${row.bench ?? r.name} | ${row.metric} | ${value}${row.unit ? ` ${row.unit}` : ''} | ${row.goal ?? ''} |`);
    }
  }
  console.log('');
  for (const r of results) console.log(`${r.name}: exit ${r.code} in ${r.seconds.toFixed(0)} s`);
  process.exit(results.some((r) => r.code !== 0) ? 1 : 0);
})();
