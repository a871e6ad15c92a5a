import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isNothing, mergeStale, staleAfter, type Stale, type WriteEvent } from './invalidation';

const cases: Array<[string, WriteEvent, Stale]> = [
  ['a course update', { model: 'api::course.course', action: 'afterUpdate', result: { id: 3 } }, { catalogue: true, principals: [] }],
  ['a chapter delete (unpublish)', { model: 'api::chapter.chapter', action: 'afterDelete', result: { id: 3 } }, { catalogue: true, principals: [] }],
  ['a tag create', { model: 'api::tag.tag', action: 'afterCreate' }, { catalogue: true, principals: [] }],
  ['a plan updateMany', { model: 'api::plan.plan', action: 'afterUpdateMany' }, { catalogue: true, principals: [] }],
  ['a file renamed', { model: 'plugin::upload.file', action: 'afterUpdate', result: { id: 1 } }, { catalogue: true, principals: [] }],
  ['a locale created', { model: 'plugin::i18n.locale', action: 'afterCreate' }, { catalogue: true, principals: [] }],
  ['a new user', { model: 'plugin::users-permissions.user', action: 'afterCreate', result: { id: 9 } }, { catalogue: false, principals: [] }],
  ['a user blocked', { model: 'plugin::users-permissions.user', action: 'afterUpdate', result: { id: 9 } }, { catalogue: false, principals: [9] }],
  ['a user deleted', { model: 'plugin::users-permissions.user', action: 'afterDelete', result: { id: '9' } }, { catalogue: false, principals: [9] }],
  ['a user updated without a result', { model: 'plugin::users-permissions.user', action: 'afterUpdate', params: { where: { id: 4 } } }, { catalogue: false, principals: [4] }],
  ['a user updated by a where on email', { model: 'plugin::users-permissions.user', action: 'afterUpdate', params: { where: { email: 'a@b' } } }, { catalogue: false, principals: 'all' }],
  ['users updateMany', { model: 'plugin::users-permissions.user', action: 'afterUpdateMany' }, { catalogue: false, principals: 'all' }],
  ['a role update', { model: 'plugin::users-permissions.role', action: 'afterUpdate', result: { id: 1 } }, { catalogue: true, principals: 'all' }],
  ['a permission deleted', { model: 'plugin::users-permissions.permission', action: 'afterDeleteMany' }, { catalogue: true, principals: 'all' }],
  ['advanced settings', { model: 'strapi::core-store', action: 'afterUpdate', result: { key: 'plugin_users-permissions_advanced' } }, { catalogue: false, principals: 'all' }],
  ['the default locale', { model: 'strapi::core-store', action: 'afterCreate', params: { data: { key: 'plugin_i18n_default_locale' } } }, { catalogue: true, principals: [] }],
  ['another store key', { model: 'strapi::core-store', action: 'afterUpdate', result: { key: 'plugin_upload_metrics' } }, { catalogue: false, principals: [] }],
  ['a store write naming no key', { model: 'strapi::core-store', action: 'afterUpdateMany' }, { catalogue: true, principals: 'all' }],
  ['an order', { model: 'plugin::checkout.order', action: 'afterUpdate', result: { id: 1 } }, { catalogue: false, principals: [] }],
  ['progress', { model: 'api::progress.progress', action: 'afterCreate' }, { catalogue: false, principals: [] }],
];

describe('staleAfter', () => {
  for (const [name, event, expected] of cases) test(name, () => assert.deepEqual(staleAfter(event), expected));
});

describe('mergeStale', () => {
  test('unions', () => {
    assert.deepEqual(mergeStale({ catalogue: false, principals: [1] }, { catalogue: true, principals: [1, 2] }), { catalogue: true, principals: [1, 2] });
    assert.deepEqual(mergeStale({ catalogue: false, principals: [1] }, { catalogue: false, principals: 'all' }), { catalogue: false, principals: 'all' });
    assert.equal(isNothing({ catalogue: false, principals: [] }), true);
    assert.equal(isNothing({ catalogue: false, principals: [1] }), false);
  });
});
