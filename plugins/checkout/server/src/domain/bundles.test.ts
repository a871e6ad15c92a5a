import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AllowedVia } from '@kp/platform';
import { decideBundlePurchase, orderCourses, type BundleFacts } from './bundles';

const bundle: BundleFacts = { documentId: 'b1', title: 'Trio', price: 4900, currency: 'USD', onSale: true, courseDocumentIds: ['c1', 'c2', 'c3'] };
const owns = (...ids: string[]) => new Map<string, AllowedVia>(ids.map((id) => [id, 'purchase']));

describe('decideBundlePurchase', () => {
  const table: Array<[string, BundleFacts | null, Map<string, AllowedVia> | null, ReturnType<typeof decideBundlePurchase>]> = [
    ['on sale, owns nothing', bundle, owns(), { ok: true, amount: 4900, currency: 'usd', title: 'Trio', courseDocumentIds: ['c1', 'c2', 'c3'] }],
    ['owns some: still for sale', bundle, owns('c1', 'c2'), { ok: true, amount: 4900, currency: 'usd', title: 'Trio', courseDocumentIds: ['c1', 'c2', 'c3'] }],
    ['owns all: refused', bundle, owns('c1', 'c2', 'c3'), { ok: false, reason: 'already-has-access', via: 'purchase' }],
    ['a gift ignores what the buyer owns', bundle, null, { ok: true, amount: 4900, currency: 'usd', title: 'Trio', courseDocumentIds: ['c1', 'c2', 'c3'] }],
    ['no such bundle', null, owns(), { ok: false, reason: 'not-found' }],
    ['not on sale', { ...bundle, onSale: false }, owns(), { ok: false, reason: 'not-found' }],
    ['no published course', { ...bundle, courseDocumentIds: [] }, owns(), { ok: false, reason: 'not-purchasable', detail: 'the bundle has no published course' }],
    ['duplicates counted once', { ...bundle, courseDocumentIds: ['c1', 'c1'] }, owns(), { ok: true, amount: 4900, currency: 'usd', title: 'Trio', courseDocumentIds: ['c1'] }],
    ['unsupported currency', { ...bundle, currency: 'xyz' }, owns(), { ok: false, reason: 'not-purchasable', detail: 'unsupported currency xyz' }],
  ];
  for (const [name, facts, owned, expected] of table) test(name, () => assert.deepEqual(decideBundlePurchase(facts, owned), expected));

  test('below the minimum charge', () => {
    const d = decideBundlePurchase({ ...bundle, price: 10 }, owns());
    assert.equal(d.ok, false);
    assert.equal(!d.ok && d.reason, 'not-purchasable');
  });
});

describe('orderCourses', () => {
  const table: Array<[string, Parameters<typeof orderCourses>[0], string[]]> = [
    ['a course order', { kind: 'course', courseDocumentId: 'c1', courseDocumentIds: null }, ['c1']],
    ['a bundle order', { kind: 'bundle', courseDocumentId: null, courseDocumentIds: ['c1', 'c2', 'c1'] }, ['c1', 'c2']],
    ['a bundle order with junk', { kind: 'bundle', courseDocumentId: null, courseDocumentIds: ['c1', 3, '', null] }, ['c1']],
    ['a bundle order without courses', { kind: 'bundle', courseDocumentId: null, courseDocumentIds: null }, []],
    ['a plan order opens nothing itself', { kind: 'plan', courseDocumentId: null, courseDocumentIds: null }, []],
  ];
  for (const [name, order, expected] of table) test(name, () => assert.deepEqual(orderCourses(order), expected));
});
