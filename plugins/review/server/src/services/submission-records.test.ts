import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editorDisplayName } from './submission-records';

test('editors are shown by first name and initial, never by e-mail', () => {
  assert.equal(editorDisplayName({ firstname: 'Jane', lastname: 'Doe' }), 'Jane D.');
  assert.equal(editorDisplayName({ firstname: ' Jane ', lastname: null }), 'Jane');
  assert.equal(editorDisplayName({ firstname: null, lastname: null, username: 'jd' }), 'jd');
  assert.equal(editorDisplayName({ firstname: '', lastname: '' }), 'Editor');
  assert.equal(editorDisplayName(null), 'Editor');
});
