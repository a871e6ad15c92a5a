/**
 * A fixed-window counter per key (here: per learner), in memory. Per instance: with N instances
 * behind a load balancer a learner gets up to N × max events per window, which is fine for what it
 * guards (view and like events), and needs no shared store.
 */
export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    /** Bound on the keys kept: expired windows are swept when it is reached. */
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts one event for `key` at `now`. */
  take(key: string, now: number): RateDecision {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (!w && this.windows.size >= this.maxKeys) this.sweep(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= this.max) return { allowed: false, retryAfterMs: Math.max(0, w.start + this.windowMs - now) };
    w.count++;
    return { allowed: true, remaining: this.max - w.count };
  }

  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
    // Still full (a flood of distinct keys within one window): drop the oldest half.
    if (this.windows.size >= this.maxKeys) {
      let drop = Math.ceil(this.windows.size / 2);
      for (const key of this.windows.keys()) {
        if (drop-- <= 0) break;
        this.windows.delete(key);
      }
    }
  }
}
