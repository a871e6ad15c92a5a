import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { afterFailedAttempt, describeError, orderingKey } from './inbox';

const event = (object: Record<string, unknown>, id = 'evt_1') => ({ id, object: 'event', type: 't', created: 1, data: { object } });

describe('orderingKey', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a subscription', { id: 'sub_1', object: 'subscription' }, 'subscription:sub_1'],
    ['an invoice of a subscription (API 2026)', { id: 'in_1', object: 'invoice', parent: { subscription_details: { subscription: 'sub_1' } } }, 'subscription:sub_1'],
    ['an invoice, expanded subscription', { id: 'in_1', object: 'invoice', parent: { subscription_details: { subscription: { id: 'sub_1' } } } }, 'subscription:sub_1'],
    ['an invoice without subscription', { id: 'in_2', object: 'invoice' }, 'invoice:in_2'],
    ['a subscription checkout session', { id: 'cs_1', object: 'checkout.session', mode: 'subscription', subscription: 'sub_1' }, 'subscription:sub_1'],
    ['a paid one-off session', { id: 'cs_2', object: 'checkout.session', payment_intent: 'pi_1' }, 'payment_intent:pi_1'],
    ['an expired session', { id: 'cs_3', object: 'checkout.session', payment_intent: null }, 'checkout.session:cs_3'],
    ['a charge', { id: 'ch_1', object: 'charge', payment_intent: 'pi_1' }, 'payment_intent:pi_1'],
    ['a dispute', { id: 'dp_1', object: 'dispute', payment_intent: { id: 'pi_1' } }, 'payment_intent:pi_1'],
    ['a payment intent', { id: 'pi_1', object: 'payment_intent' }, 'payment_intent:pi_1'],
    ['anything else', { id: 'po_1', object: 'payout' }, 'payout:po_1'],
  ];
  for (const [name, object, key] of cases) test(name, () => assert.equal(orderingKey(event(object)), key));

  test('a payment’s session, charge and dispute share one key; two subscriptions do not', () => {
    const keys = [{ id: 'cs', object: 'checkout.session', payment_intent: 'pi_9' }, { id: 'ch', object: 'charge', payment_intent: 'pi_9' }, { id: 'dp', object: 'dispute', payment_intent: 'pi_9' }].map((o) => orderingKey(event(o)));
    assert.equal(new Set(keys).size, 1);
    assert.notEqual(orderingKey(event({ id: 'sub_a', object: 'subscription' })), orderingKey(event({ id: 'sub_b', object: 'subscription' })));
  });

  test('never empty, never longer than the column', () => {
    assert.equal(orderingKey(null), 'object:unknown');
    assert.equal(orderingKey({ id: 'evt_x' }), 'object:evt_x');
    assert.equal(orderingKey(event({ id: 'x'.repeat(400), object: 'payout' })).length, 255);
  });
});

describe('afterFailedAttempt', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 3000 };
  const now = new Date('2026-12-02T00:00:00Z');
  const table: Array<[number, number | 'dead']> = [
    [1, 1000],
    [2, 2000],
    [3, 3000], // 4000 capped
    [4, 'dead'],
    [9, 'dead'],
  ];
  for (const [attempts, expected] of table) {
    test(`after attempt ${attempts}: ${expected}`, () => {
      const next = afterFailedAttempt(attempts, now, policy);
      if (expected === 'dead') assert.deepEqual(next, { state: 'dead' });
      else assert.deepEqual(next, { state: 'pending', delayMs: expected, nextAttemptAt: new Date(now.getTime() + expected) });
    });
  }
  test('one attempt allowed: the first failure is dead', () => assert.equal(afterFailedAttempt(1, now, { ...policy, maxAttempts: 1 }).state, 'dead'));
});

describe('describeError', () => {
  test('one line, with the code, bounded', () => {
    assert.equal(describeError(Object.assign(new Error('no\nsuch   thing'), { code: 'E1' })), 'E1: no such thing');
    assert.equal(describeError('x'.repeat(2000), 10).length, 10);
  });
});
