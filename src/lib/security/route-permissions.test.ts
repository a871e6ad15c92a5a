import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, ROUTE_PERMISSIONS, forbiddenActions, grantedActions } from './route-permissions';

test('every entry says why, and open routes are granted to no role', () => {
  for (const [action, g] of Object.entries(ROUTE_PERMISSIONS)) {
    assert.ok(g.why.length >= 10, `${action} says why`);
    if (g.open) assert.deepEqual(g.roles, [], `${action} is open: roles mean nothing`);
    if (g.open) assert.equal(g.forbidden, undefined, action);
    for (const r of g.roles) assert.ok(ROLES.includes(r), `${action}: ${r}`);
  }
});

test('what instructors and learners may never hold', () => {
  const forbidden = new Map(forbiddenActions().map((f) => [f.action, f.allowed]));
  for (const action of [
    'plugin::upload.content-api.upload',
    'plugin::upload.content-api.find',
    'plugin::upload.content-api.destroy',
    'plugin::users-permissions.user.find',
    'plugin::users-permissions.user.update',
    'plugin::users-permissions.role.updateRole',
    'plugin::email.email.send',
    'api::tag.tag.create',
    'api::subscription.subscription.find',
    'api::progress.progress.create',
  ]) {
    assert.deepEqual(forbidden.get(action), [], `${action} is forbidden to every role`);
  }
  assert.deepEqual(forbidden.get('api::course.course.update'), ['instructor']);
  for (const role of ROLES) assert.ok(!grantedActions(role).includes('plugin::upload.content-api.upload'), role);
});

test('grants per role: the published catalogue for everyone, authoring for instructors only', () => {
  for (const role of ROLES) {
    const g = grantedActions(role);
    assert.deepEqual(g, [...g].sort());
    assert.ok(g.includes('api::course.course.find') && g.includes('api::chapter.chapter.findOne'), role);
  }
  assert.ok(grantedActions('instructor').includes('plugin::review.instructor.uploadMedia'));
  assert.ok(!grantedActions('authenticated').includes('api::course.course.create'));
  assert.ok(!grantedActions('public').includes('plugin::users-permissions.user.me'));
});
