/** Which broadcast transport the settings choose (scale-out.ts), and what a broadcast sink drops (broadcast.ts), as tables. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Core } from '@strapi/strapi';
import { chooseTransport } from './scale-out';
import { broadcast, broadcastSink, onBroadcast } from './broadcast';

describe('chooseTransport', () => {
  const cases: Array<[string | undefined, boolean, string, string]> = [
    [undefined, false, 'sqlite', 'local'],
    [undefined, false, 'postgres', 'postgres'],
    [undefined, true, 'sqlite', 'redis'],
    [undefined, true, 'postgres', 'redis'],
    ['', true, 'postgres', 'redis'],
    ['auto', false, 'postgres', 'postgres'],
    ['local', true, 'postgres', 'local'],
    ['postgres', true, 'postgres', 'postgres'],
    ['redis', true, 'sqlite', 'redis'],
  ];
  for (const [setting, redis, dialect, expected] of cases) {
    test(`${setting ?? '(unset)'}, redis ${redis}, ${dialect} → ${expected}`, () => assert.equal(chooseTransport({ setting, redis, dialect }), expected));
  }
  const refused: Array<[string, boolean, string, RegExp]> = [
    ['kafka', false, 'sqlite', /BROADCAST_TRANSPORT must be one of auto, local, redis, postgres \(got "kafka"\)/],
    ['redis', false, 'postgres', /BROADCAST_TRANSPORT=redis needs REDIS_URL/],
    ['postgres', false, 'sqlite', /BROADCAST_TRANSPORT=postgres needs DATABASE_CLIENT=postgres/],
  ];
  for (const [setting, redis, dialect, message] of refused) {
    test(`${setting}, redis ${redis}, ${dialect} → refused`, () => assert.throws(() => chooseTransport({ setting, redis, dialect }), message));
  }
});

describe('broadcast sink', () => {
  const fakeStrapi = () => ({ log: { warn() {}, info() {}, error() {} } }) as unknown as Core.Strapi;

  test('delivers what other instances send, drops its own echo and malformed envelopes', async () => {
    const strapi = fakeStrapi();
    const got: unknown[] = [];
    onBroadcast(strapi, 'recommender.courses', (p) => void got.push(p));
    const sink = broadcastSink(strapi);
    sink.receive({ origin: 'other', channel: 'recommender.courses', payload: { documentIds: ['a'] } });
    sink.receive({ origin: sink.origin, channel: 'recommender.courses', payload: { documentIds: ['echo'] } });
    sink.receive(null);
    sink.receive({ channel: 'recommender.courses', payload: {} });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(got, [{ documentIds: ['a'] }]);
  });

  test('a broadcast reaches this instance on the next tick, as a copy', async () => {
    const strapi = fakeStrapi();
    const got: unknown[] = [];
    onBroadcast(strapi, 'recommender.courses', (p) => void got.push(p));
    const payload = { documentIds: ['x'] };
    await broadcast(strapi, 'recommender.courses', payload);
    payload.documentIds.push('changed after');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(got, [{ documentIds: ['x'] }]);
  });
});
