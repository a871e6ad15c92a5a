/**
 * When the background re-read of written courses runs (pure). Writers come first: bulk writes (a
 * seed, an import) must never be competed out of the connection pool by the index catching up, so
 * the re-read waits while writes keep arriving (debounce, bounded by `maxDelayMs`) and while the
 * pool has no free connection or callers queue for one; a failed re-read keeps its courses and is
 * retried with a growing pause, so the index always catches up once the writes are done.
 */

export interface ReindexSchedule {
  /** Quiet time after the last write before re-reading. */
  debounceMs: number;
  /** Longest a written course waits for a quiet moment while writes keep coming (the pool must still be free). */
  maxDelayMs: number;
  /** Pause after the first failed re-read; doubled per further failure. */
  retryBaseMs: number;
  /** Longest pause between retries. */
  retryMaxMs: number;
}

export const DEFAULT_REINDEX_SCHEDULE: ReindexSchedule = { debounceMs: 150, maxDelayMs: 2_000, retryBaseMs: 500, retryMaxMs: 30_000 };

export interface PoolState {
  /** Callers waiting for a connection. */
  pendingAcquires: number;
  used: number;
  max: number;
}

export interface FlushInput {
  now: number;
  /** When the latest write asked for a re-read. */
  lastRequestAt: number;
  /** When the oldest waiting course was written. */
  firstPendingAt: number;
  pool: PoolState | null;
  /** Consecutive failed re-reads, and when the last one failed. */
  failures: number;
  lastFailureAt: number | null;
}

/** A pool that a re-read would compete for: someone is waiting, or every connection is in use. */
export const poolBusy = (pool: PoolState | null): boolean => pool !== null && (pool.pendingAcquires > 0 || pool.used >= pool.max);

export const retryPause = (failures: number, s: ReindexSchedule): number =>
  failures <= 0 ? 0 : Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** Math.min(failures - 1, 30));

/** Milliseconds to wait before re-reading; 0 means now. */
export function flushDelay(input: FlushInput, s: ReindexSchedule): number {
  if (poolBusy(input.pool)) return s.debounceMs;
  if (input.failures > 0 && input.lastFailureAt !== null) {
    const wait = input.lastFailureAt + retryPause(input.failures, s) - input.now;
    if (wait > 0) return wait;
  }
  const quiet = input.now - input.lastRequestAt;
  const waited = input.now - input.firstPendingAt;
  if (quiet < s.debounceMs && waited < s.maxDelayMs) return Math.min(s.debounceMs - quiet, s.maxDelayMs - waited);
  return 0;
}
