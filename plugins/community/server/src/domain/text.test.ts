import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeText, splitLinks, textFingerprint } from './text';

describe('normalizeText', () => {
  const table: Array<[string, string, string]> = [
    ['trims', '  hello  ', 'hello'],
    ['CRLF to LF', 'a\r\nb\rc', 'a\nb\nc'],
    ['control characters and bidi overrides removed', 'a\u0000b\u202Ec\u001b', 'abc'],
    ['at most two blank lines', 'a\n\n\n\n\n\nb', 'a\n\n\nb'],
    ['HTML is kept as text', '<script>alert(1)</script>', '<script>alert(1)</script>'],
  ];
  for (const [name, input, expected] of table) test(name, () => assert.equal(normalizeText(input), expected));
});

describe('textFingerprint', () => {
  test('case, spacing and punctuation do not make a text new', () => {
    assert.equal(textFingerprint('Great course!'), textFingerprint('great   COURSE'));
    assert.notEqual(textFingerprint('Great course'), textFingerprint('Great courses'));
    assert.match(textFingerprint('x'), /^[0-9a-f]{64}$/);
  });
});

describe('splitLinks', () => {
  test('finds http(s) links, leaves trailing punctuation out', () => {
    assert.deepEqual(splitLinks('see https://example.com/a?b=1. ok'), [{ text: 'see ' }, { text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' }, { text: '. ok' }]);
    assert.deepEqual(splitLinks('javascript:alert(1)'), [{ text: 'javascript:alert(1)' }]);
    assert.deepEqual(splitLinks(''), []);
  });
});
