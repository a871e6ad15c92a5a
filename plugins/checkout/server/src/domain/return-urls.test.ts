import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkReturnUrl, defaultAllowedOrigins, parseAllowedOrigins } from './return-urls';

describe('return URLs: an allow-list of origins', () => {
  test('parses and normalises a comma-separated list', () => {
    assert.deepEqual(parseAllowedOrigins(' https://Shop.Example , http://localhost:1337,,https://shop.example:443 '), [
      'https://shop.example',
      'http://localhost:1337',
    ]);
  });

  const defaults: Array<[string, number, string[]]> = [
    ['', 1337, ['http://localhost:1337', 'http://127.0.0.1:1337']],
    ['', 1400, ['http://localhost:1400', 'http://127.0.0.1:1400']],
    ['https://learn.example/some/path', 1337, ['https://learn.example']],
    [' https://learn.example:8443 ', 80, ['https://learn.example:8443']],
  ];
  for (const [publicUrl, port, expected] of defaults) {
    test(`unset, PUBLIC_URL "${publicUrl}" and PORT ${port} allow ${expected.join(' + ')}`, () =>
      assert.deepEqual(parseAllowedOrigins(defaultAllowedOrigins(publicUrl, port)), expected));
  }

  const badSettings = ['shop.example', 'ftp://shop.example', 'https://shop.example/path', 'https://u:p@shop.example', 'https://shop.example?x=1'];
  for (const entry of badSettings) {
    test(`refuses the setting "${entry}"`, () => assert.throws(() => parseAllowedOrigins(entry)));
  }

  const allowed = ['https://shop.example', 'http://localhost:1337'];
  const table: Array<[string, string]> = [
    ['https://shop.example/thanks?session_id={CHECKOUT_SESSION_ID}', 'ok'],
    ['HTTPS://SHOP.EXAMPLE:443/x', 'ok'],
    ['http://localhost:1337/', 'ok'],
    ['http://localhost:1338/', 'origin-not-allowed'],
    ['https://shop.example.evil.test/', 'origin-not-allowed'],
    ['https://evil.test/?next=https://shop.example', 'origin-not-allowed'],
    ['http://shop.example/', 'origin-not-allowed'],
    ['https://user:pw@shop.example/', 'credentials-in-url'],
    ['javascript:alert(1)', 'unsupported-protocol'],
    ['/relative/path', 'invalid-url'],
    ['', 'invalid-url'],
  ];
  for (const [url, expected] of table) {
    test(`${JSON.stringify(url)} → ${expected}`, () => {
      const r = checkReturnUrl(url, allowed);
      assert.equal(r.ok ? 'ok' : r.reason, expected);
    });
  }
});
