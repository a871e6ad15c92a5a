import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { heldDisputeEvent, heldDisputeOutcome } from './dispute-hold';

describe('held disputes: what a held event does survives its recorded outcome', () => {
  const events = [{ type: 'dispute-opened' }, { type: 'dispute-closed', outcome: 'won' }, { type: 'dispute-closed', outcome: 'lost' }] as const;
  for (const event of events) {
    test(`${JSON.stringify(event)} round-trips`, () => {
      const code = heldDisputeOutcome(event);
      assert.ok(code.length <= 64);
      assert.deepEqual(heldDisputeEvent(code), event);
    });
  }
  test('any other outcome is not a held dispute', () => {
    for (const other of ['dispute-applied', 'order-paid', 'dispute-held:maybe', '', null, undefined]) assert.equal(heldDisputeEvent(other), null);
  });
});
