import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_REINDEX_SCHEDULE as S, flushDelay, poolBusy, retryPause, type FlushInput } from './reindex-schedule';

const free = { pendingAcquires: 0, used: 0, max: 1 };
const base: FlushInput = { now: 10_000, lastRequestAt: 0, firstPendingAt: 0, pool: free, failures: 0, lastFailureAt: null };

const CASES: Array<[string, Partial<FlushInput>, number]> = [
  ['quiet and free: now', {}, 0],
  ['a write just now: wait for quiet', { lastRequestAt: 10_000, firstPendingAt: 9_990 }, S.debounceMs],
  ['writes keep coming: waits at most maxDelayMs', { lastRequestAt: 10_000, firstPendingAt: 10_000 - S.maxDelayMs + 50 }, 50],
  ['writes keep coming past maxDelayMs, pool free: now', { lastRequestAt: 10_000, firstPendingAt: 10_000 - S.maxDelayMs }, 0],
  ['every connection in use: wait, however long it has waited', { pool: { pendingAcquires: 0, used: 1, max: 1 } }, S.debounceMs],
  ['callers queue for a connection: wait', { pool: { pendingAcquires: 2, used: 3, max: 10 } }, S.debounceMs],
  ['some connections in use, nobody waiting: now', { pool: { pendingAcquires: 0, used: 3, max: 10 } }, 0],
  ['no pool information: by time only', { pool: null }, 0],
  ['failed once just now: pause retryBaseMs', { failures: 1, lastFailureAt: 10_000 }, S.retryBaseMs],
  ['failed three times: pause doubles', { failures: 3, lastFailureAt: 10_000 }, 4 * S.retryBaseMs],
  ['failed long ago: now', { failures: 3, lastFailureAt: 0 }, 0],
];
for (const [name, patch, expected] of CASES) test(name, () => assert.equal(flushDelay({ ...base, ...patch }, S), expected));

test('retry pauses grow and are capped; poolBusy', () => {
  assert.deepEqual([0, 1, 2, 3].map((n) => retryPause(n, S)), [0, 500, 1000, 2000]);
  assert.equal(retryPause(100, S), S.retryMaxMs);
  assert.equal(poolBusy(null), false);
  assert.equal(poolBusy({ pendingAcquires: 0, used: 10, max: 10 }), true);
});
