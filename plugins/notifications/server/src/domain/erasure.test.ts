import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HOLDERS, withoutSecrets } from './erasure';

describe('erasure policy', () => {
  test('each holder is exported under its own key', () => {
    const keys = HOLDERS.map((h) => h.exportAs);
    assert.equal(new Set(keys).size, keys.length);
  });
  const table: Array<[string, 'delete' | 'anonymise']> = [
    ['api::progress.progress', 'delete'],
    ['plugin::recommender.interaction', 'delete'],
    ['plugin::paywall.entitlement', 'delete'],
    ['plugin::checkout.stripe-customer', 'delete'],
    ['plugin::notifications.profile', 'delete'],
    ['plugin::notifications.outbox-message', 'delete'],
    ['plugin::checkout.order', 'anonymise'],
    ['api::subscription.subscription', 'anonymise'],
    ['plugin::learning.certificate', 'anonymise'],
  ];
  for (const [uid, action] of table) test(`${uid} → ${action}`, () => assert.equal(HOLDERS.find((h) => h.uid === uid)?.erase.action, action));
  test('a certificate is revoked and loses the name; its key no longer names the learner', () => {
    const h = HOLDERS.find((x) => x.uid === 'plugin::learning.certificate')!;
    assert.ok(h.erase.action === 'anonymise');
    const now = new Date('2026-01-01T00:00:00Z');
    assert.deepEqual(h.erase.set({ id: 3, code: 'ABC' }, now), { learnerName: '—', state: 'revoked', revokedReason: 'account erased', revokedAt: now, dedupeKey: 'erased:ABC' });
  });
  test('orders keep their amounts: only the Stripe customer id goes', () => {
    const h = HOLDERS.find((x) => x.uid === 'plugin::checkout.order')!;
    assert.ok(h.erase.action === 'anonymise');
    assert.deepEqual(h.erase.set({ id: 1 }, new Date()), { stripeCustomerId: null });
  });
  test('secrets never leave in an export', () => {
    assert.deepEqual(withoutSecrets({ id: 1, email: 'a@b.c', password: 'h', resetPasswordToken: 't', confirmationToken: 'c' }), { id: 1, email: 'a@b.c' });
  });
});
