import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  CODE_BYTES,
  certificateCode,
  certificateKey,
  decideRevocation,
  displayName,
  isWellFormedCode,
  ownerView,
  publicView,
  revocationMessage,
  type CertificateFacts,
} from './certificate';

const NOW = new Date('2026-11-23T10:00:00.000Z');

describe('verification code', () => {
  test('144 random bits as 24 URL-safe characters', () => {
    const code = certificateCode(() => Buffer.alloc(CODE_BYTES, 0xff));
    assert.equal(code, '________________________');
    assert.ok(isWellFormedCode(code));
    assert.ok(CODE_BYTES * 8 >= 128);
  });

  test('real codes are well formed and distinct', () => {
    const codes = new Set(Array.from({ length: 2000 }, () => certificateCode(randomBytes)));
    assert.equal(codes.size, 2000);
    for (const c of codes) assert.ok(isWellFormedCode(c), c);
  });

  test('a short random source is refused, never padded', () => {
    assert.throws(() => certificateCode(() => Buffer.alloc(8)), /expected 18 random bytes/);
  });

  const malformed = ['', 'short', 'x'.repeat(23), 'x'.repeat(25), `${'a'.repeat(23)}/`, `${'a'.repeat(23)}=`, `${'a'.repeat(23)} `, '../../../etc/passwd'];
  for (const code of malformed) {
    test(`malformed code ${JSON.stringify(code)} is refused`, () => assert.equal(isWellFormedCode(code), false));
  }

  test('certificateKey folds (user, course)', () => assert.equal(certificateKey(7, 'course1'), '7:course1'));
});

describe('displayName: never an e-mail address', () => {
  const table: Array<[{ username?: string | null; email?: string | null }, string]> = [
    [{ username: 'Ada Lovelace', email: 'ada@example.com' }, 'Ada Lovelace'],
    [{ username: '  Grace   Hopper ', email: 'g@example.com' }, 'Grace Hopper'],
    [{ username: 'ada@example.com', email: 'ada@example.com' }, 'ada'],
    [{ username: '@example.com', email: 'x@example.com' }, 'Learner'],
    [{ username: '张伟', email: 'zw@example.com' }, '张伟'],
    [{ username: null, email: 'x@example.com' }, 'Learner'],
    [{ username: 'a'.repeat(300) }, 'a'.repeat(120)],
  ];
  for (const [user, expected] of table) {
    test(`${JSON.stringify(user.username)} → ${expected.slice(0, 20)}`, () => {
      const name = displayName(user);
      assert.equal(name, expected);
      assert.ok(!name.includes('@'));
    });
  }
});

describe('public verification view', () => {
  const facts: CertificateFacts = {
    code: 'A'.repeat(24),
    state: 'revoked',
    learnerName: 'Ada',
    courseDocumentId: 'c1',
    courseSlug: 'course-1',
    courseTitle: 'Course 1',
    instructorName: 'Prof',
    language: 'en',
    completedAt: NOW,
    issuedAt: NOW,
    revokedAt: NOW,
    revokedReason: 'internal note about someone@example.com',
  };
  test('reveals the facts and the state, not the reason', () => {
    const view = publicView(facts);
    assert.equal(view.status, 'revoked');
    assert.equal(view.revokedAt, NOW.toISOString());
    assert.ok(!JSON.stringify(view).includes('@'));
    assert.ok(!('revokedReason' in view));
  });
  test('the owner sees the reason', () => {
    assert.equal(ownerView(facts).revokedReason, facts.revokedReason);
  });
});

describe('decideRevocation', () => {
  const valid = { state: 'valid' as const, revokedReason: null };
  const revoked = { state: 'revoked' as const, revokedReason: 'Plagiarism' };
  const table: Array<{ name: string; current: typeof valid | typeof revoked; requested: { state?: 'valid' | 'revoked'; revokedReason?: string | null }; expect: unknown }> = [
    { name: 'revoke with a reason', current: valid, requested: { state: 'revoked', revokedReason: '  Plagiarism ' }, expect: { ok: true, changes: { state: 'revoked', revokedReason: 'Plagiarism', revokedAt: NOW } } },
    { name: 'revoke without a reason', current: valid, requested: { state: 'revoked' }, expect: { ok: false, reason: 'reason-required' } },
    { name: 'revoke with a blank reason', current: valid, requested: { state: 'revoked', revokedReason: '   ' }, expect: { ok: false, reason: 'reason-required' } },
    { name: 'revoke with a too long reason', current: valid, requested: { state: 'revoked', revokedReason: 'x'.repeat(501) }, expect: { ok: false, reason: 'reason-too-long' } },
    { name: 'a reason alone does not revoke', current: valid, requested: { revokedReason: 'just a note' }, expect: { ok: true, changes: null } },
    { name: 'valid stays valid', current: valid, requested: { state: 'valid' }, expect: { ok: true, changes: null } },
    { name: 'reinstating is refused', current: revoked, requested: { state: 'valid' }, expect: { ok: false, reason: 'cannot-reinstate' } },
    { name: 'revoking twice changes nothing', current: revoked, requested: { state: 'revoked', revokedReason: 'Plagiarism' }, expect: { ok: true, changes: null } },
    { name: 'the reason of a revoked one may be corrected, its date stays', current: revoked, requested: { revokedReason: 'Plagiarism (ch. 3)' }, expect: { ok: true, changes: { revokedReason: 'Plagiarism (ch. 3)' } } },
    { name: 'the reason of a revoked one cannot be erased', current: revoked, requested: { revokedReason: '' }, expect: { ok: false, reason: 'reason-required' } },
  ];
  for (const row of table) {
    test(row.name, () => assert.deepEqual(decideRevocation(row.current, row.requested, NOW), row.expect));
  }
  test('every refusal has a message', () => {
    for (const r of ['reason-required', 'reason-too-long', 'cannot-reinstate'] as const) assert.ok(revocationMessage(r).length > 10);
  });
});
