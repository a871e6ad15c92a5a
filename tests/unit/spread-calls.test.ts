/**
 * No call spreads an array into its arguments (`Math.max(...rows)`, `list.push(...page)`): every
 * element becomes a stack slot, and past ~100k elements (135k interactions in the evaluation) the
 * call dies with "Maximum call stack size exceeded". Loops and reduce have no such limit. Passing a
 * function's own rest parameter on (`fn(a, ...rest)`) is allowed: its length is the caller's
 * argument count, never data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const DIRS = ['plugins', 'src', 'scripts', 'tests', 'config'];
const SKIP = new Set(['node_modules', 'dist', 'build', '.cache', '.strapi']);

function sources(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sources(full, out);
    else if (/\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Names of rest parameters in scope anywhere in the file (a coarse but safe allow-list). */
function restParameters(file: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isParameter(node) && node.dotDotDotToken && ts.isIdentifier(node.name)) names.add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return names;
}

export function spreadCalls(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : undefined);
  const rest = restParameters(file);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments) {
      for (const arg of node.arguments) {
        if (!ts.isSpreadElement(arg)) continue;
        if (ts.isIdentifier(arg.expression) && rest.has(arg.expression.text)) continue;
        const { line } = file.getLineAndCharacterOfPosition(arg.getStart());
        found.push(`${path.relative(ROOT, fileName)}:${line + 1}: ${node.getText().slice(0, 80)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

test('the scanner finds a spread into a call and allows forwarding rest parameters', () => {
  assert.equal(spreadCalls('x.ts', 'const m = Math.max(...rows.map((r) => r.t));').length, 1);
  assert.equal(spreadCalls('x.ts', 'out.push(...page);').length, 1);
  assert.equal(spreadCalls('x.ts', 'const f = (a, ...rest) => g.call(this, a, ...rest);').length, 0);
  assert.equal(spreadCalls('x.ts', 'const all = [...a, ...b]; const o = { ...x };').length, 0);
});

test('no source file spreads data into a call', () => {
  const found = DIRS.flatMap((d) => sources(path.join(ROOT, d))).flatMap((f) => spreadCalls(f, fs.readFileSync(f, 'utf8')));
  assert.deepEqual(found, []);
});
