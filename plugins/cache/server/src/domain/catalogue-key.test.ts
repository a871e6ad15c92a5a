import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogueKey, catalogueRoute, normaliseQuery, type KeyDefaults } from './catalogue-key';

const D: KeyDefaults = { prefix: '/api', defaultLocale: 'en', defaultPageSize: 25 };
const req = (path: string, query: Record<string, unknown> = {}, extra: Partial<{ method: string; hasAuthorization: boolean }> = {}) =>
  catalogueKey({ method: 'GET', path, query, hasAuthorization: false, ...extra }, D);
const keyOf = (path: string, query: Record<string, unknown> = {}) => {
  const d = req(path, query);
  assert.ok(d.cacheable, `${path} ${JSON.stringify(query)} should be cacheable`);
  return d.key;
};

describe('catalogueRoute', () => {
  const cases: Array<[string, string | null]> = [
    ['/api/courses', '/api/courses'],
    ['/api/courses/abc123', '/api/courses/:id'],
    ['/api/chapters', '/api/chapters'],
    ['/api/tags/x1', '/api/tags/:id'],
    ['/api/categories', '/api/categories'],
    ['/api/plans', '/api/plans'],
    ['/api/instructors', '/api/instructors'],
    ['/api/courses/', null],
    ['/API/courses', null],
    ['/api/Courses', null],
    ['/api/courses/ABC', null],
    ['/api/courses/a/b', null],
    ['/api/courses%2F', null],
    ['/api/progress', null],
    ['/api/users', null],
    ['/api/recommendations', null],
    ['/admin/courses', null],
  ];
  for (const [path, template] of cases) {
    test(`${path} → ${template}`, () => assert.equal(catalogueRoute(path, '/api')?.template ?? null, template));
  }
});

describe('normaliseQuery', () => {
  test('defaults are left out and parameters ordered', () => {
    assert.equal(keyOf('/api/courses'), keyOf('/api/courses', { locale: 'en', status: 'published', pagination: { page: '1', pageSize: '25', withCount: 'true' } }));
    assert.equal(keyOf('/api/courses', { sort: 'title', locale: 'zh-Hans' }), keyOf('/api/courses', { locale: 'zh-Hans', sort: 'title' }));
    assert.equal(keyOf('/api/courses', { pagination: { pageSize: '10', page: '2' } }), keyOf('/api/courses', { pagination: { page: '2', pageSize: '10' } }));
  });
  test('what changes the answer changes the key', () => {
    const base = keyOf('/api/courses');
    for (const q of [{ locale: 'zh-Hans' }, { pagination: { page: '2' } }, { pagination: { pageSize: '10' } }, { sort: 'title' }, { populate: 'chapters' }, { fields: ['title'] }, { filters: { slug: { $eq: 'x' } } }]) {
      assert.notEqual(keyOf('/api/courses', q), base, JSON.stringify(q));
    }
    assert.notEqual(keyOf('/api/courses/abc'), keyOf('/api/courses/abd'));
    assert.notEqual(keyOf('/api/courses'), keyOf('/api/chapters'));
  });
  test('nested order is kept (a sort object may rank by key order)', () => {
    assert.notEqual(keyOf('/api/courses', { sort: { title: 'asc', price: 'desc' } }), keyOf('/api/courses', { sort: { price: 'desc', title: 'asc' } }));
  });
  test('start/limit pagination and a mix stay as written (Strapi decides)', () => {
    assert.deepEqual(normaliseQuery({ pagination: { page: '1', start: '0' } }, D), { pagination: { page: '1', start: '0' } });
    assert.deepEqual(normaliseQuery({ pagination: { start: '0', limit: '25' } }, D), { pagination: { start: '0', limit: '25' } });
  });
});

describe('catalogueKey refuses', () => {
  const cases: Array<[string, ReturnType<typeof req>]> = [
    ['a JWT', req('/api/courses', {}, { hasAuthorization: true })],
    ['HEAD', req('/api/courses', {}, { method: 'HEAD' })],
    ['POST', req('/api/courses', {}, { method: 'POST' })],
    ['status=draft', req('/api/courses', { status: 'draft' })],
    ['status=Published', req('/api/courses', { status: 'Published' })],
    ['status as an array', req('/api/courses', { status: ['published'] })],
    ['publicationFilter', req('/api/courses', { publicationFilter: 'never-published' })],
    ['hasPublishedVersion', req('/api/courses', { hasPublishedVersion: 'true' })],
    ['an unknown parameter', req('/api/courses', { _: '123' })],
    ['_q', req('/api/chapters', { _q: 'secret' })],
    ['another route', req('/api/progress/me')],
  ];
  for (const [name, d] of cases) test(name, () => assert.equal(d.cacheable, false));
  test('the reasons', () => {
    assert.deepEqual(req('/api/courses', {}, { hasAuthorization: true }), { cacheable: false, reason: 'authorization' });
    assert.deepEqual(req('/api/courses', { status: 'draft' }), { cacheable: false, reason: 'draft' });
    assert.deepEqual(req('/api/courses', { x: '1' }), { cacheable: false, reason: 'parameter' });
  });
});
