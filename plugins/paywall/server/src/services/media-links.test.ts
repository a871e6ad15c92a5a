import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createMediaLinks } from './media-links';

const NOW = new Date('2026-06-15T12:00:00Z');

function fakeStrapi(keys: string[] | undefined = ['key-one', 'key-two']) {
  const config: Record<string, unknown> = { 'server.app.keys': keys, 'api.rest.prefix': '/api' };
  return {
    config: { get: (k: string, d?: unknown) => (k in config ? config[k] : d) },
    plugin: () => ({ config: (k: string) => (k === 'mediaLinkTtlSeconds' ? 3600 : undefined) }),
  } as never;
}

const queryOf = (link: string) => Object.fromEntries(new URL(link, 'http://x').searchParams);

describe('media links', () => {
  const links = createMediaLinks(fakeStrapi());

  test('a link names the file, the reader and the expiry, and verifies', () => {
    const link = links.link(7, 42, null, NOW);
    assert.match(link, /^\/api\/paywall\/media\/7\?u=42&e=\d+&s=[\w-]+$/);
    const v = links.verify(7, queryOf(link), NOW);
    assert.deepEqual(v, { ok: true, claims: { fileId: 7, format: null, userId: 42, expires: NOW.getTime() / 1000 + 3600 } });
    assert.equal(links.isMediaLink(link), true);
    assert.equal(links.isMediaLink('/uploads/x.mp4'), false);
  });

  test('formats are part of what is signed', () => {
    const link = links.link(7, 0, 'thumbnail', NOW);
    const q = queryOf(link);
    assert.equal(links.verify(7, q, NOW)?.ok, true);
    assert.equal(links.verify(7, { ...q, format: 'large' }, NOW)?.ok, false);
  });

  const refusals: Array<[string, (q: Record<string, string>) => [number, Record<string, unknown>, Date]]> = [
    ['another file', (q) => [8, q, NOW]],
    ['another reader', (q) => [7, { ...q, u: '43' }, NOW]],
    ['a later expiry', (q) => [7, { ...q, e: String(Number(q.e) + 60) }, NOW]],
    ['a forged signature', (q) => [7, { ...q, s: 'AAAA' }, NOW]],
    ['an expired link', (q) => [7, q, new Date(NOW.getTime() + 3601_000)]],
    ['a malformed reader', (q) => [7, { ...q, u: '-1' }, NOW]],
    ['a malformed format', (q) => [7, { ...q, format: '../../x' }, NOW]],
    ['an array signature', (q) => [7, { ...q, s: [q.s, q.s] }, NOW]],
  ];
  for (const [name, mutate] of refusals) {
    test(`refuses ${name}`, () => {
      const q = queryOf(links.link(7, 42, null, NOW));
      const [fileId, query, at] = mutate(q);
      const v = links.verify(fileId, query, at);
      assert.equal(v?.ok, false);
    });
  }

  test("an editor's link names the admin user and never verifies as a reader's", () => {
    const link = links.editorLink(7, 3, 'thumbnail', NOW);
    assert.match(link, /^\/api\/paywall\/media\/7\?format=thumbnail&a=3&e=\d+&s=[\w-]+$/);
    const q = queryOf(link);
    assert.deepEqual(links.verify(7, q, NOW), {
      ok: true,
      claims: { fileId: 7, format: 'thumbnail', userId: 0, adminId: 3, expires: NOW.getTime() / 1000 + 3600 },
    });
    const { a, ...rest } = q;
    assert.equal(links.verify(7, { ...rest, u: a! }, NOW)?.ok, false, 'as a reader link: refused');
    assert.equal(links.verify(7, { ...q, u: '3' }, NOW)?.ok, false, 'both a reader and an editor: refused');
    assert.equal(links.verify(7, { ...q, a: '0' }, NOW)?.ok, false, 'no admin 0');
    // A reader's link relabelled as an editor's does not verify either.
    const r = queryOf(links.link(7, 3, null, NOW));
    assert.equal(links.verify(7, { e: r.e!, s: r.s!, a: r.u! }, NOW)?.ok, false);
  });

  test('the bare route path: what a private file row holds, parsed back exactly', () => {
    assert.equal(links.routePath(7), '/api/paywall/media/7');
    assert.equal(links.routePath(7, 'small'), '/api/paywall/media/7?format=small');
    assert.deepEqual(links.parseRoutePath('/api/paywall/media/7'), { fileId: 7, format: null });
    assert.deepEqual(links.parseRoutePath('/api/paywall/media/7?format=small'), { fileId: 7, format: 'small' });
    for (const other of ['/uploads/x.png', links.link(7, 1, null, NOW), '/api/paywall/media/07', '/api/paywall/media/7?format=a/b', '/api/paywall/media/7/x', 7, null]) {
      assert.equal(links.parseRoutePath(other), null, String(other));
    }
    assert.equal(links.isSignedLink(links.link(7, 1, null, NOW)), true);
    assert.equal(links.isSignedLink('/api/paywall/media/7'), false);
  });

  test('no signature: not a link (the bearer token decides)', () => {
    assert.equal(links.verify(7, {}, NOW), null);
  });

  test('a link signed with other app keys does not verify', () => {
    const other = createMediaLinks(fakeStrapi(['another-key']));
    assert.equal(links.verify(7, queryOf(other.link(7, 42, null, NOW)), NOW)?.ok, false);
  });

  test('without APP_KEYS, signing refuses to run', () => {
    assert.throws(() => createMediaLinks(fakeStrapi([])).link(1, 1, null, NOW), /APP_KEYS/);
  });
});
