import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowedOrigins, parseOrigin } from './origins';

test('default allow-list: the server itself (PUBLIC_URL, else localhost and 127.0.0.1 on PORT)', () => {
  assert.deepEqual(allowedOrigins({}), ['http://localhost:1337', 'http://127.0.0.1:1337']);
  assert.deepEqual(allowedOrigins({ port: 8080 }), ['http://localhost:8080', 'http://127.0.0.1:8080']);
  assert.deepEqual(allowedOrigins({ publicUrl: 'https://learn.example.com/platform/', port: 8080 }), ['https://learn.example.com']);
});

test('CORS_ORIGINS replaces the default, normalised and de-duplicated', () => {
  assert.deepEqual(allowedOrigins({ corsOrigins: ' https://shop.example.com/ ,http://127.0.0.1:5173,https://SHOP.example.com', port: 1 }), [
    'https://shop.example.com',
    'http://127.0.0.1:5173',
  ]);
  assert.deepEqual(allowedOrigins({ corsOrigins: 'https://a.example:443' }), ['https://a.example']);
});


for (const [value, message] of [
  ['*', /any site/],
  ['null', /any site/],
  ['shop.example.com', /not an origin/],
  ['ftp://shop.example.com', /http or https/],
  ['https://shop.example.com/app', /origin only/],
  ['https://shop.example.com?x=1', /origin only/],
  ['https://user:pw@shop.example.com', /origin only/],
] as const) {
  test(`refused at boot: ${value}`, () => {
    assert.throws(() => parseOrigin(value, 'CORS_ORIGINS'), message);
    assert.throws(() => allowedOrigins({ corsOrigins: `https://ok.example,${value}` }), message);
  });
}
