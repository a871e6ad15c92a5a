import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FixedWindowLimiter } from './rate-limit';

describe('FixedWindowLimiter', () => {
  it('allows max per window per key, then says when to retry', () => {
    const limiter = new FixedWindowLimiter(3, 60_000);
    const t0 = 1_000_000;
    assert.deepEqual(limiter.take('u1', t0), { allowed: true, remaining: 2 });
    assert.deepEqual(limiter.take('u1', t0 + 1), { allowed: true, remaining: 1 });
    assert.deepEqual(limiter.take('u1', t0 + 2), { allowed: true, remaining: 0 });
    assert.deepEqual(limiter.take('u1', t0 + 10_000), { allowed: false, retryAfterMs: 50_000 });
    assert.deepEqual(limiter.take('u2', t0 + 10_000), { allowed: true, remaining: 2 }, 'another key has its own window');
    assert.deepEqual(limiter.take('u1', t0 + 60_000), { allowed: true, remaining: 2 }, 'a new window');
  });

  it('keeps at most maxKeys keys, sweeping expired windows first', () => {
    const limiter = new FixedWindowLimiter(1, 1000, 4);
    for (let i = 0; i < 4; i++) limiter.take(`k${i}`, 0);
    assert.equal(limiter.size, 4);
    limiter.take('late', 5000); // every earlier window expired: swept
    assert.equal(limiter.size, 1);
    for (let i = 0; i < 10; i++) limiter.take(`flood${i}`, 5000);
    assert.ok(limiter.size <= 4, `size ${limiter.size}`);
  });
});
