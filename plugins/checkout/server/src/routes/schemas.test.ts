import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminOrdersQuery, createPortalBody, createSessionBody, learnerOrdersQuery, orderParams } from './schemas';

describe('request schemas', () => {
  const urls = { successUrl: 'http://localhost:1337/ok', cancelUrl: 'http://localhost:1337/cancel' };
  const table: Array<[string, { safeParse(v: unknown): { success: boolean } }, unknown, boolean]> = [
    ['a course', createSessionBody, { course: 'abc123', ...urls }, true],
    ['a plan with a locale', createSessionBody, { plan: 'abc123', locale: 'zh-Hans', ...urls }, true],
    ['both course and plan', createSessionBody, { course: 'a', plan: 'b', ...urls }, false],
    ['neither', createSessionBody, { ...urls }, false],
    ['an unknown field (a client-chosen price)', createSessionBody, { course: 'a', price: 1, ...urls }, false],
    ['a documentId with a slash', createSessionBody, { course: '../x', ...urls }, false],
    ['no successUrl', createSessionBody, { course: 'a', cancelUrl: urls.cancelUrl }, false],
    ['a locale Stripe Checkout is not asked for', createSessionBody, { course: 'a', locale: 'fr', ...urls }, false],
    ['not an object', createSessionBody, 'course=a', false],
    ['portal with a return URL', createPortalBody, { returnUrl: 'http://localhost:1337/' }, true],
    ['portal with something else', createPortalBody, { returnUrl: 'http://localhost:1337/', customer: 'cus_x' }, false],
    ['orders page 2', learnerOrdersQuery, { page: '2', pageSize: '10' }, true],
    ['orders pageSize 101', learnerOrdersQuery, { pageSize: '101' }, false],
    ['orders with a filter the route does not have', learnerOrdersQuery, { 'filters[user][id]': '3' }, false],
    ['admin orders by status', adminOrdersQuery, { status: 'paid' }, true],
    ['admin orders by an unknown status', adminOrdersQuery, { status: 'lost' }, false],
    ['an order id', orderParams, { id: 'k3m9x0c2v5b8n1q4w7e6r5t4' }, true],
    ['an order id with a space', orderParams, { id: 'a b' }, false],
  ];
  for (const [name, schema, value, ok] of table) {
    test(`${name} → ${ok ? 'valid' : 'refused'}`, () => assert.equal(schema.safeParse(value).success, ok));
  }

  test('defaults: page 1, 25 orders for a learner, 20 on the admin page', () => {
    assert.deepEqual(learnerOrdersQuery.parse({}), { page: 1, pageSize: 25 });
    assert.deepEqual(adminOrdersQuery.parse({}), { page: 1, pageSize: 20 });
  });
});
