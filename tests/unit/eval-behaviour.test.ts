/**
 * The command line of `npm run eval:behaviour` (scripts/eval-behaviour.ts) on small generated files
 * in a temp dir: the JSON shape, the learner and positive counts, seconds vs milliseconds, an
 * optional header, quoted fields, and clear usage errors.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const DAY = 86_400_000;
const CUTOFF = Date.UTC(2026, 3, 1);
const H = 14;

function run(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'eval-behaviour.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
}

describe('eval:behaviour', () => {
  let dir = '';
  const rows: Array<[string, string, number]> = [];
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-behaviour-'));
    // 300 learners; "regulars" (every third) come back every few days, the others drift away.
    let seed = 11;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let u = 0; u < 300; u++) {
      const regular = u % 3 === 0;
      let at = CUTOFF - 80 * DAY + Math.floor(rnd() * 10 * DAY);
      const end = regular ? CUTOFF + 20 * DAY : CUTOFF - Math.floor(rnd() * 60 * DAY);
      while (at < end) {
        rows.push([`u${u}`, `c${Math.floor(rnd() * 20)}`, Math.floor(at / 1000) * 1000]);
        at += Math.floor((regular ? 1 + rnd() * 4 : 2 + rnd() * 20) * DAY);
      }
    }
    fs.writeFileSync(path.join(dir, 'ms.csv'), rows.map(([u, i, t]) => `${u},${i},${t}`).join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 's.csv'), 'userId,itemId,timestamp,extra\r\n' + rows.map(([u, i, t]) => `"${u}","${i}",${t / 1000},x`).join('\r\n'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('writes exactly the documented JSON; counts match the definition; seconds = milliseconds', () => {
    const out: unknown[] = [];
    for (const f of ['ms.csv', 's.csv']) {
      const json = path.join(dir, `${f}.json`);
      const r = run(['--interactions', path.join(dir, f), '--cutoff', new Date(CUTOFF).toISOString(), '--horizon-days', String(H), '--json', json]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /\| \*\*chosen: \w+\*\* \| [01]\.\d{4} \| /);
      assert.match(r.stdout, /\| baseline: recency only \|/);
      out.push(JSON.parse(fs.readFileSync(json, 'utf8')));
    }
    assert.deepEqual(out[0], out[1]);
    const res = out[0] as Record<string, any>;
    assert.deepEqual(Object.keys(res).sort(), ['baselines', 'candidates', 'chosen', 'learners', 'positives']);
    assert.deepEqual(Object.keys(res.chosen).sort(), ['auc', 'name', 'precisionAt10pct']);
    assert.deepEqual(Object.keys(res.candidates).sort(), ['decisionTree', 'logisticRegression']);
    assert.deepEqual(Object.keys(res.baselines).sort(), ['frequency', 'recency']);
    for (const f of [...Object.values(res.candidates), ...Object.values(res.baselines)] as Array<Record<string, number>>) {
      assert.deepEqual(Object.keys(f).sort(), ['auc', 'precisionAt10pct']);
    }
    assert.deepEqual(res.candidates[res.chosen.name], { auc: res.chosen.auc, precisionAt10pct: res.chosen.precisionAt10pct });
    const learners = new Set(rows.filter(([, , t]) => t <= CUTOFF).map(([u]) => u));
    const positives = new Set(rows.filter(([u, , t]) => learners.has(u) && t > CUTOFF && t <= CUTOFF + H * DAY).map(([u]) => u));
    assert.equal(res.learners, learners.size);
    assert.equal(res.positives, positives.size);
    assert.ok(positives.size > 50 && positives.size < learners.size);
    assert.ok(res.chosen.auc > 0.9, String(res.chosen.auc)); // the regulars are easy to tell apart
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['no cut-off', ['--horizon-days', '7'], /--cutoff is required/],
    ['bad date', ['--cutoff', 'yesterday', '--horizon-days', '7'], /--cutoff "yesterday" is not an ISO date/],
    ['bad horizon', ['--cutoff', '2026-04-01', '--horizon-days', '0'], /--horizon-days must be an integer ≥ 1/],
    ['missing file', ['--interactions', '/nonexistent/x.csv', '--cutoff', '2026-04-01', '--horizon-days', '7'], /does not exist/],
  ];
  for (const [name, args, message] of bad) {
    test(`usage error: ${name}`, () => {
      const r = run(args[0] === '--interactions' ? args : ['--interactions', path.join(dir, 'ms.csv'), ...args]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, message);
    });
  }
});
