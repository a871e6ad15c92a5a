import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { isJwtShaped } from './bearer-shape';

const cases: Array<[string, unknown, boolean]> = [
  ['a users-permissions JWT', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6MSwiaWF0IjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlX2hlcmU', true],
  ['an unsigned JWT (empty signature)', 'eyJhbGciOiJub25lIn0.eyJpZCI6MX0.', true],
  ['a Strapi API token (256 hex)', randomBytes(128).toString('hex'), false],
  ['a short hex token', 'deadbeef', false],
  ['two parts only', 'abc.def', false],
  ['four parts', 'a.b.c.d', false],
  ['a part with padding', 'abc=.def.ghi', false],
  ['empty', '', false],
  ['not a string', 42, false],
  ['null', null, false],
  ['oversized', `${'a'.repeat(5000)}.${'b'.repeat(5000)}.c`, false],
];

describe('isJwtShaped', () => {
  for (const [name, token, expected] of cases) test(name, () => assert.equal(isJwtShaped(token), expected));
});
