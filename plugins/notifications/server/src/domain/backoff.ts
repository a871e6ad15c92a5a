/** What happens to a message after a failed delivery: another attempt later, or failed for good. */

export interface RetryPolicy {
  /** Attempts in all (the first included) before a message is failed. */
  maxAttempts: number;
  /** Delay after the first failure; doubled after each further one. */
  baseDelayMs: number;
  /** Longest delay between two attempts. */
  maxDelayMs: number;
}

export type AfterFailure = { state: 'queued'; nextAttemptAt: Date } | { state: 'failed' };

/** `attempts` counts the attempt that just failed. Exponential back-off: base, 2×base, 4×base… capped. */
export function afterFailure(attempts: number, now: Date, policy: RetryPolicy): AfterFailure {
  if (attempts >= policy.maxAttempts) return { state: 'failed' };
  const exponent = Math.max(0, attempts - 1);
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return { state: 'queued', nextAttemptAt: new Date(now.getTime() + delay) };
}

/** A short, single-line error for the outbox row (SMTP answers can be long and multi-line). */
export function describeFailure(error: unknown, max = 500): string {
  const e = error as { message?: unknown; code?: unknown; responseCode?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const code = typeof e?.code === 'string' ? `${e.code}: ` : '';
  const line = `${code}${message}`.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
