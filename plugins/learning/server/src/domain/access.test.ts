import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DENIED_REASONS, type DeniedReason } from '@kp/platform';
import { refusalFor } from './access';

describe('refusalFor: the paywall reason as a response', () => {
  const table: Record<DeniedReason, number> = {
    anonymous: 401,
    'no-entitlement': 403,
    expired: 403,
    revoked: 403,
    'not-found': 404,
    draft: 404,
    'drip-locked': 403,
  };
  test('every reason of the paywall contract has an answer', () => {
    assert.deepEqual(Object.keys(table).sort(), [...DENIED_REASONS].sort());
  });
  for (const reason of DENIED_REASONS) {
    test(`${reason} → ${table[reason]}`, () => {
      const r = refusalFor(reason);
      assert.equal(r.status, table[reason]);
      assert.ok(r.message.length > 5);
    });
  }
  test('a locked chapter says what unlocks it; a draft reads as unknown', () => {
    assert.match(refusalFor('no-entitlement').message, /locked: buy the course or subscribe/);
    assert.deepEqual(refusalFor('draft'), refusalFor('not-found'));
  });
});
