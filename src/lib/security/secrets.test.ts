import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SECRET_KEYS, loadDevSecrets, secret, secretList } from './secrets';

const dirs: string[] = [];
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-secrets-'));
  dirs.push(dir);
  return path.join(dir, 'nested', 'dev-secrets.json');
}
const noEnv = () => undefined;

describe('development secrets', () => {
  const saved = { NODE_ENV: process.env.NODE_ENV, DEV_SECRETS_FILE: process.env.DEV_SECRETS_FILE, QUIET: process.env.QUIET_DEV_SECRETS };
  afterEach(() => {
    for (const [k, v] of [['NODE_ENV', saved.NODE_ENV], ['DEV_SECRETS_FILE', saved.DEV_SECRETS_FILE], ['QUIET_DEV_SECRETS', saved.QUIET]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  test('generated on first use: random, private to the owner, every key present', () => {
    const file = tempFile();
    const a = loadDevSecrets(file);
    assert.deepEqual(Object.keys(a).sort(), [...SECRET_KEYS].sort());
    for (const key of SECRET_KEYS) {
      assert.ok(a[key].length >= 40, key);
      assert.doesNotMatch(a[key], /dev-only|insecure/);
    }
    assert.equal(a.APP_KEYS.split(',').length, 4);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const b = loadDevSecrets(tempFile());
    for (const key of SECRET_KEYS) assert.notEqual(a[key], b[key], `${key} differs between checkouts`);
  });

  test('reused on later runs, and a missing key is added without changing the others', () => {
    const file = tempFile();
    const first = loadDevSecrets(file);
    assert.deepEqual(loadDevSecrets(file), first);
    const { JWT_SECRET: _dropped, ...rest } = first;
    fs.writeFileSync(file, JSON.stringify(rest));
    const again = loadDevSecrets(file);
    assert.equal(again.APP_KEYS, first.APP_KEYS);
    assert.ok(again.JWT_SECRET && again.JWT_SECRET !== first.JWT_SECRET);
    assert.equal(fs.readdirSync(path.dirname(file)).length, 1, 'no temporary file left behind');
  });

  test('the environment wins; production refuses to run without it and writes nothing', () => {
    process.env.DEV_SECRETS_FILE = tempFile();
    process.env.QUIET_DEV_SECRETS = '1';
    assert.equal(secret((k) => (k === 'JWT_SECRET' ? 'from-env' : undefined), 'JWT_SECRET'), 'from-env');
    assert.deepEqual(secretList((k) => (k === 'APP_KEYS' ? 'a, b,,c' : undefined), 'APP_KEYS'), ['a', 'b', 'c']);
    assert.equal(fs.existsSync(process.env.DEV_SECRETS_FILE), false);
    process.env.NODE_ENV = 'production';
    assert.throws(() => secret(noEnv, 'ADMIN_JWT_SECRET'), /Missing ADMIN_JWT_SECRET/);
    assert.equal(fs.existsSync(process.env.DEV_SECRETS_FILE), false);
    process.env.NODE_ENV = 'development';
    const value = secret(noEnv, 'ADMIN_JWT_SECRET');
    assert.equal(value, JSON.parse(fs.readFileSync(process.env.DEV_SECRETS_FILE, 'utf8')).ADMIN_JWT_SECRET);
  });

  test('a corrupt file is reported, not silently replaced', () => {
    const file = tempFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{ not json');
    assert.throws(() => loadDevSecrets(file), /not readable JSON.*delete it/);
  });
});
