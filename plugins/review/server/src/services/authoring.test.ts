import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCourseRef } from './authoring';

const TABLE: Array<[string, unknown, ReturnType<typeof parseCourseRef>]> = [
  ['documentId string', 'abc123', { kind: 'set', documentId: 'abc123' }],
  ['{ documentId }', { documentId: 'abc123' }, { kind: 'set', documentId: 'abc123' }],
  ['{ documentId, locale }', { documentId: 'abc123', locale: 'en' }, { kind: 'set', documentId: 'abc123' }],
  ['connect one string', { connect: ['abc123'] }, { kind: 'set', documentId: 'abc123' }],
  ['connect one object', { connect: [{ documentId: 'abc123' }] }, { kind: 'set', documentId: 'abc123' }],
  ['set one', { set: ['abc123'] }, { kind: 'set', documentId: 'abc123' }],
  ['null', null, { kind: 'unset' }],
  ['set empty', { set: [] }, { kind: 'unset' }],
  ['disconnect only', { disconnect: ['abc123'] }, { kind: 'unset' }],
  ['numeric id', 42, { kind: 'invalid' }],
  ['{ id }', { id: 42 }, { kind: 'invalid' }],
  ['connect two (a chapter has one course)', { connect: ['a', 'b'] }, { kind: 'invalid' }],
  ['connect a number', { connect: [42] }, { kind: 'invalid' }],
  ['empty string', '', { kind: 'invalid' }],
  ['array', ['abc123'], { kind: 'invalid' }],
  ['empty object', {}, { kind: 'invalid' }],
];

for (const [name, value, expected] of TABLE) {
  test(`parseCourseRef: ${name}`, () => {
    assert.deepEqual(parseCourseRef(value), expected);
  });
}
