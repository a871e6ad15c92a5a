/**
 * Offline evaluation of the behaviour models with the server's own feature and model code
 * (plugins/analytics/server/src/domain/behaviour/).
 *
 *   npm run eval:behaviour -- --interactions <csv> --cutoff <ISO date> --horizon-days <n> [--json <file>]
 *
 * interactions.csv  userId,itemId,timestamp   a header row is optional (without one the first three
 *                   columns are taken in that order; with one, columns are found by name and others
 *                   ignored); timestamps in Unix seconds or milliseconds, detected from the largest
 *                   (below 1e11 → seconds), as eval:recommender does. Read as a stream: millions of
 *                   rows are kept in typed arrays.
 *
 * Target: the learner has at least one interaction in (cutoff, cutoff + horizon]. Learners: those
 * with at least one interaction at or before the cut-off. With h = the horizon:
 *   model choice   fit on features at cutoff − 2h (labels in (cutoff − 2h, cutoff − h]),
 *                  validated on features at cutoff − h (labels in (cutoff − h, cutoff]);
 *   training       every candidate refitted on features at cutoff − h, labels in (cutoff − h, cutoff];
 *   evaluation     features at the cut-off, labels in (cutoff, cutoff + h].
 * No model sees an interaction after the cut-off. Prints AUC and precision@10% of the chosen model,
 * each candidate and the recency-only and frequency-only baselines.
 */
import fs from 'node:fs';
import { parse as parseCsv } from 'csv-parse';
import { DAY_MS, featureRow, learnerFeatures } from '../plugins/analytics/server/src/domain/behaviour/features';
import { auc, precisionAtFraction } from '../plugins/analytics/server/src/domain/behaviour/metrics';
import { CANDIDATES, scoreAll, trainBehaviourModel, type BehaviourModel, type Dataset } from '../plugins/analytics/server/src/domain/behaviour/models';

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

function usage(message?: string): never {
  if (message) console.error(`eval:behaviour: ${message}`);
  console.error('usage: npm run eval:behaviour -- --interactions <csv: userId,itemId,timestamp> --cutoff <ISO date> --horizon-days <n> [--json <file>]');
  process.exit(2);
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) usage(`--${name} needs a value`);
  return v;
}

/** Interactions in growable typed arrays, user and item ids interned. */
class Columns {
  n = 0;
  users = new Int32Array(1 << 16);
  items = new Int32Array(1 << 16);
  ts = new Float64Array(1 << 16);
  readonly userIds = new Map<string, number>();
  readonly itemIds = new Map<string, number>();
  maxTs = -Infinity;

  push(user: string, item: string, t: number): void {
    if (this.n === this.ts.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.users = grow(this.users, (n) => new Int32Array(n));
      this.items = grow(this.items, (n) => new Int32Array(n));
      this.ts = grow(this.ts, (n) => new Float64Array(n));
    }
    let u = this.userIds.get(user);
    if (u === undefined) this.userIds.set(user, (u = this.userIds.size));
    let it = this.itemIds.get(item);
    if (it === undefined) this.itemIds.set(item, (it = this.itemIds.size));
    this.users[this.n] = u;
    this.items[this.n] = it;
    this.ts[this.n] = t;
    if (t > this.maxTs) this.maxTs = t;
    this.n++;
  }
}

async function readInteractions(file: string): Promise<{ cols: Columns; skipped: number; header: boolean }> {
  if (!fs.existsSync(file)) usage(`${file} does not exist`);
  const cols = new Columns();
  const parser = fs.createReadStream(file).pipe(parseCsv({ relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }));
  let idx: [number, number, number] | null = null;
  let header = false;
  let skipped = 0;
  for await (const f of parser as AsyncIterable<string[]>) {
    if (!idx) {
      if (Number.isFinite(Number(f[2])) && f[2]?.trim() !== '') idx = [0, 1, 2];
      else {
        header = true;
        const names = f.map((h) => h.trim());
        const find = (c: string) => {
          const i = names.indexOf(c);
          if (i < 0) usage(`${file}: the header has no "${c}" column (header: ${names.join(',')})`);
          return i;
        };
        idx = [find('userId'), find('itemId'), find('timestamp')];
        continue;
      }
    }
    const user = f[idx[0]]?.trim();
    const item = f[idx[1]]?.trim();
    const t = Number(f[idx[2]]);
    if (!user || !item || !Number.isFinite(t) || (f[idx[2]] ?? '').trim() === '') {
      skipped++;
      if (skipped <= 3) console.warn(`eval:behaviour: line ${parser.info.lines} skipped (needs userId,itemId,timestamp): ${f.join(',').slice(0, 120)}`);
      continue;
    }
    cols.push(user, item, t);
  }
  if (cols.n === 0) usage(`${file} has no interaction rows`);
  return { cols, skipped, header };
}

interface Figures {
  auc: number | null;
  precisionAt10pct: number | null;
}

function figures(model: BehaviourModel, data: Dataset): Figures {
  const s = scoreAll(model, data.rows);
  return { auc: auc(s, data.labels), precisionAt10pct: precisionAtFraction(s, data.labels, 0.1) };
}

const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(4));

async function main(): Promise<void> {
  const file = option('interactions') ?? usage('--interactions is required');
  const cutoffRaw = option('cutoff') ?? usage('--cutoff is required');
  const horizonRaw = option('horizon-days') ?? usage('--horizon-days is required');
  const jsonOut = option('json');
  const cutoff = Date.parse(cutoffRaw);
  if (!Number.isFinite(cutoff)) usage(`--cutoff "${cutoffRaw}" is not an ISO date`);
  const horizonDays = Number(horizonRaw);
  if (!Number.isInteger(horizonDays) || horizonDays < 1) usage('--horizon-days must be an integer ≥ 1');
  const h = horizonDays * DAY_MS;

  const { cols, skipped, header } = await readInteractions(file);
  const toMs = cols.maxTs < 1e11 ? 1000 : 1;
  const n = cols.n;
  const users = cols.userIds.size;
  console.log(
    `${n} interactions of ${users} learners on ${cols.itemIds.size} items read in ${elapsed()} (${header ? 'header row' : 'no header'}, timestamps in ${toMs === 1000 ? 'seconds' : 'milliseconds'}${skipped ? `, ${skipped} rows skipped` : ''})`,
  );

  // Group by learner (counting sort into CSR arrays), times in milliseconds.
  const offsets = new Int32Array(users + 1);
  let minAt = Infinity;
  let maxAt = -Infinity;
  for (let i = 0; i < n; i++) offsets[(cols.users[i] as number) + 1]!++;
  for (let u = 0; u < users; u++) offsets[u + 1]! += offsets[u] as number;
  const fill = offsets.slice(0, users);
  const items = new Int32Array(n);
  const ats = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = cols.users[i] as number;
    const p = fill[u]!++;
    const at = (cols.ts[i] as number) * toMs;
    items[p] = cols.items[i] as number;
    ats[p] = at;
    if (at < minAt) minAt = at;
    if (at > maxAt) maxAt = at;
  }
  console.log(`time range ${new Date(minAt).toISOString()} … ${new Date(maxAt).toISOString()}`);
  if (cutoff + h > maxAt) console.warn(`eval:behaviour: the data ends before cutoff + horizon (${new Date(cutoff + h).toISOString()}): late activity is missing from the labels`);
  if (cutoff - 2 * h < minAt) console.warn('eval:behaviour: the data starts after cutoff − 2 × horizon: the model choice sees little history');

  // Three cut-offs: choice fit (t0), training (t1), evaluation (t2 = cutoff); labels in the horizon after each.
  const cuts = [cutoff - 2 * h, cutoff - h, cutoff];
  const sets: Dataset[] = cuts.map(() => ({ rows: [], labels: [] as number[] }));
  for (let u = 0; u < users; u++) {
    const from = offsets[u] as number;
    const to = offsets[u + 1] as number;
    cuts.forEach((c, k) => {
      const f = learnerFeatures(items, ats, c, from, to);
      if (!f) return;
      let label = 0;
      for (let i = from; i < to; i++) {
        const at = ats[i] as number;
        if (at > c && at <= c + h) {
          label = 1;
          break;
        }
      }
      const set = sets[k] as Dataset;
      set.rows.push(featureRow(f));
      (set.labels as number[]).push(label);
    });
  }
  const [fit, train, evaluation] = sets as [Dataset, Dataset, Dataset];
  const count = (d: Dataset) => {
    let p = 0;
    for (let i = 0; i < d.labels.length; i++) p += d.labels[i] as number;
    return p;
  };
  console.log(`features in ${elapsed()}: choice fit ${fit.rows.length} learners, training ${train.rows.length}, evaluation ${evaluation.rows.length} (${count(evaluation)} positives)`);
  if (evaluation.rows.length === 0) usage('no learner has an interaction at or before the cut-off');

  const trained = trainBehaviourModel({ fit, validation: train, train });
  console.log(`trained in ${elapsed()}; validation AUC ${CANDIDATES.map((c) => `${c} ${fmt(trained.validationAuc[c])}`).join(', ')} → ${trained.chosen.name}`);

  const candidates = Object.fromEntries(CANDIDATES.map((c) => [c, figures(trained.candidates[c], evaluation)])) as Record<string, Figures>;
  const chosen = { name: trained.chosen.name, ...(candidates[trained.chosen.name] as Figures) };
  const baselines = { recency: figures(trained.baselines.recency, evaluation), frequency: figures(trained.baselines.frequency, evaluation) };
  const result = { chosen, candidates, baselines, learners: evaluation.rows.length, positives: count(evaluation) };

  console.log(`\ntarget: active in (${new Date(cutoff).toISOString()}, +${horizonDays} days]; ${result.learners} learners, ${result.positives} positives (${((100 * result.positives) / result.learners).toFixed(1)}%)\n`);
  console.log('| model | AUC | precision@10% |');
  console.log('| --- | --- | --- |');
  console.log(`| **chosen: ${chosen.name}** | ${fmt(chosen.auc)} | ${fmt(chosen.precisionAt10pct)} |`);
  for (const [name, f] of Object.entries(candidates)) console.log(`| ${name} | ${fmt(f.auc)} | ${fmt(f.precisionAt10pct)} |`);
  for (const [name, f] of Object.entries(baselines)) console.log(`| baseline: ${name} only | ${fmt(f.auc)} | ${fmt(f.precisionAt10pct)} |`);
  // The reason beside a score: the learners the chosen model ranks first and last.
  const scores = scoreAll(trained.chosen, evaluation.rows);
  let top = 0;
  let bottom = 0;
  for (let i = 1; i < scores.length; i++) {
    if ((scores[i] as number) > (scores[top] as number)) top = i;
    if ((scores[i] as number) < (scores[bottom] as number)) bottom = i;
  }
  console.log(`\nreason, highest score (${fmt(scores[top] as number)}): ${trained.chosen.reason(evaluation.rows[top] as number[])}`);
  console.log(`reason, lowest score (${fmt(scores[bottom] as number)}): ${trained.chosen.reason(evaluation.rows[bottom] as number[])}`);
  console.log(`\nrun time ${elapsed()}`);
  if (jsonOut) {
    fs.writeFileSync(jsonOut, JSON.stringify(result, null, 2) + '\n');
    console.log(`wrote ${jsonOut}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
