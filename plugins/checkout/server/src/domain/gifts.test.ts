import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decideClaim, decideGiftOnOrder, formatGiftCode, normaliseGiftCode, type GiftFacts } from './gifts';

const pending: GiftFacts = { state: 'pending', buyerUserId: 1, claimedByUserId: null };

describe('decideClaim', () => {
  const table: Array<[string, GiftFacts | null, number, boolean, ReturnType<typeof decideClaim>]> = [
    ['a pending gift, someone else', pending, 2, false, { ok: true }],
    ['no such code', null, 2, false, { ok: false, reason: 'not-found' }],
    ['claimed already (by another)', { ...pending, state: 'claimed', claimedByUserId: 3 }, 2, false, { ok: false, reason: 'already-claimed' }],
    ['claimed already (by the same account)', { ...pending, state: 'claimed', claimedByUserId: 2 }, 2, false, { ok: false, reason: 'already-claimed' }],
    ['canceled by a refund before the claim', { ...pending, state: 'canceled' }, 2, false, { ok: false, reason: 'canceled' }],
    ['revoked after the claim', { ...pending, state: 'revoked', claimedByUserId: 2 }, 2, false, { ok: false, reason: 'canceled' }],
    ['the buyer', pending, 1, false, { ok: false, reason: 'own-gift' }],
    ['a claimer who has every course', pending, 2, true, { ok: false, reason: 'already-has-access' }],
    ['a gift whose buyer was deleted', { ...pending, buyerUserId: null }, 2, false, { ok: true }],
  ];
  for (const [name, gift, claimer, hasAll, expected] of table) test(name, () => assert.deepEqual(decideClaim(gift, claimer, hasAll), expected));
});

describe('decideGiftOnOrder', () => {
  const table: Array<[string, GiftFacts | null, 'grant' | 'revoke', ReturnType<typeof decideGiftOnOrder>]> = [
    ['paid: issue the code', null, 'grant', { action: 'issue' }],
    ['paid again (redelivery, dispute won): one code', pending, 'grant', { action: 'none', reason: 'already-issued' }],
    ['refund before the claim: canceled', pending, 'revoke', { action: 'cancel' }],
    ['refund after the claim: the claimer loses it', { ...pending, state: 'claimed', claimedByUserId: 7 }, 'revoke', { action: 'revoke-claimer', userId: 7 }],
    ['refund of a canceled gift', { ...pending, state: 'canceled' }, 'revoke', { action: 'none', reason: 'already-ended' }],
    ['refund of a revoked gift', { ...pending, state: 'revoked' }, 'revoke', { action: 'none', reason: 'already-ended' }],
    ['refund that overtook the payment: nothing issued', null, 'revoke', { action: 'none', reason: 'no-gift' }],
    ['a canceled gift stays canceled when paid again', { ...pending, state: 'canceled' }, 'grant', { action: 'none', reason: 'already-issued' }],
  ];
  for (const [name, gift, effect, expected] of table) test(name, () => assert.deepEqual(decideGiftOnOrder(gift, effect), expected));
});

describe('gift codes', () => {
  test('20 characters of Crockford base32 in groups of 4', () => {
    const code = formatGiftCode(new Uint8Array(20).map((_, i) => i * 13));
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
  });
  test('needs 20 bytes', () => assert.throws(() => formatGiftCode(new Uint8Array(5))));
  const table: Array<[string, string | null]> = [
    ['K7Q2-9XMB-4TRD-Z1HP-6WNC', 'K7Q2-9XMB-4TRD-Z1HP-6WNC'],
    ['k7q2 9xmb 4trd z1hp 6wnc', 'K7Q2-9XMB-4TRD-Z1HP-6WNC'],
    ['K7Q29XMB4TRDZ1HP6WNC', 'K7Q2-9XMB-4TRD-Z1HP-6WNC'],
    ['K7Q2-9XMB-4TRD-ZIHP-6WNC', 'K7Q2-9XMB-4TRD-Z1HP-6WNC'],
    ['hello', null],
    ['K7Q2-9XMB-4TRD-Z1HP-6WNU', null],
    ['K7Q2-9XMB-4TRD-Z1HP-6WNC-AAAA', null],
  ];
  for (const [input, expected] of table) test(`normalise ${JSON.stringify(input)}`, () => assert.equal(normaliseGiftCode(input), expected));
});
