import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { signRoutePaths, type ParseRoutePath } from './route-paths';

const parse: ParseRoutePath = (url) => {
  if (typeof url !== 'string') return null;
  const m = /^\/api\/paywall\/media\/(\d+)(?:\?format=(\w+))?$/.exec(url);
  return m ? { fileId: Number(m[1]), format: m[2] ?? null } : null;
};
const sign = (id: number, format: string | null) => `signed:${id}:${format ?? '-'}`;

describe('signRoutePaths', () => {
  const cases: Array<[string, unknown, unknown, number]> = [
    ['a file and its formats', { id: 7, url: '/api/paywall/media/7', formats: { thumbnail: { url: '/api/paywall/media/7?format=thumbnail' } } },
      { id: 7, url: 'signed:7:-', formats: { thumbnail: { url: 'signed:7:thumbnail' } } }, 2],
    ['files nested in entries and lists', { data: [{ video: { url: '/api/paywall/media/3' } }, { attachments: [{ url: '/api/paywall/media/4' }] }] },
      { data: [{ video: { url: 'signed:3:-' } }, { attachments: [{ url: 'signed:4:-' }] }] }, 2],
    ['public urls and other keys are left alone', { url: '/uploads/cover.png', link: '/api/paywall/media/5', title: '/api/paywall/media/5' },
      { url: '/uploads/cover.png', link: '/api/paywall/media/5', title: '/api/paywall/media/5' }, 0],
    ['an already signed link is not a bare path', { url: '/api/paywall/media/5?u=1&e=2&s=x' }, { url: '/api/paywall/media/5?u=1&e=2&s=x' }, 0],
    ['previewUrl too', { previewUrl: '/api/paywall/media/9' }, { previewUrl: 'signed:9:-' }, 1],
    ['scalars', 'x', 'x', 0],
  ];
  for (const [name, input, expected, count] of cases) {
    test(name, () => {
      const value = structuredClone(input);
      assert.equal(signRoutePaths(value, parse, sign), count);
      assert.deepEqual(value, expected);
    });
  }

  test('a cycle does not loop', () => {
    const a: Record<string, unknown> = { url: '/api/paywall/media/1' };
    a.self = a;
    assert.equal(signRoutePaths(a, parse, sign), 1);
  });
});
