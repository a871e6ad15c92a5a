import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryStore } from './catalogue-store';

const entry = (body: string) => ({ status: 200, type: 'application/json', body });

describe('memoryStore', () => {
  test('serves what was stored in the current generation', async () => {
    const s = memoryStore({ ttlMs: 60_000, maxBytes: 10_000 });
    const { generation } = await s.lookup('k');
    await s.save('k', generation!, entry('a'));
    assert.deepEqual((await s.lookup('k')).entry, entry('a'));
  });
  test('a response read before a drop is never served after it, even when stored after it', async () => {
    const s = memoryStore({ ttlMs: 60_000, maxBytes: 10_000 });
    const { generation } = await s.lookup('k'); // the request starts, then reads the database
    await s.dropAll(); // a change commits
    await s.save('k', generation!, entry('stale')); // the request stores what it read
    assert.equal((await s.lookup('k')).entry, null);
  });
  test('another instance’s drop empties this one', async () => {
    const s = memoryStore({ ttlMs: 60_000, maxBytes: 10_000 });
    const { generation } = await s.lookup('k');
    await s.save('k', generation!, entry('a'));
    s.droppedElsewhere();
    assert.equal((await s.lookup('k')).entry, null);
    assert.equal(s.size(), 0);
  });
  test('bounded in bytes: the least recently used go first', async () => {
    const s = memoryStore({ ttlMs: 60_000, maxBytes: 2_500 });
    const g = (await s.lookup('x')).generation!;
    for (let i = 0; i < 5; i += 1) await s.save(`k${i}`, g, entry('x'.repeat(1000)));
    assert.ok(s.size()! <= 2);
    assert.equal((await s.lookup('k0')).entry, null);
    assert.ok((await s.lookup('k4')).entry);
  });
  test('entries expire with their TTL', async () => {
    const s = memoryStore({ ttlMs: 20, maxBytes: 10_000 });
    const g = (await s.lookup('k')).generation!;
    await s.save('k', g, entry('a'));
    await new Promise((r) => setTimeout(r, 40));
    assert.equal((await s.lookup('k')).entry, null);
  });
});

describe('redisStore (Redis on REDIS_TEST_URL or 127.0.0.1:6379; skipped when unreachable)', async () => {
  const { redisStore } = await import('./catalogue-store');
  const { Redis } = await import('ioredis');
  const url = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  const up = await probe.connect().then(
    () => true,
    () => false
  );
  const prefix = `kp-test-cache-${process.pid}-${Date.now()}:`;
  const open = async () => {
    const s = redisStore({ url, prefix, ttlMs: 60_000, maxBytes: 0, onError: () => undefined });
    for (let i = 0; i < 50 && (await s.lookup('probe')).generation === null; i += 1) await new Promise((r) => setTimeout(r, 20));
    return s;
  };

  test('two instances share entries and one INCR drops them for both; nothing read before the drop is served', { skip: !up }, async () => {
    const a = await open();
    const b = await open();
    try {
      const { generation } = await a.lookup('k');
      await a.save('k', generation!, entry('shared'));
      assert.deepEqual((await b.lookup('k')).entry, entry('shared'));
      const early = await b.lookup('k2');
      await a.dropAll();
      assert.equal((await b.lookup('k')).entry, null);
      await b.save('k2', early.generation!, entry('read before the drop'));
      assert.equal((await a.lookup('k2')).entry, null);
    } finally {
      await a.close();
      await b.close();
      const keys = await probe.keys(`${prefix}*`);
      if (keys.length) await probe.del(keys);
      probe.disconnect();
    }
  });
});
