import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attributeViolations, constrainedFields, violations, type AttributeSpec } from './constraints';

/** The app's own schemas: the constraints are read from them, not restated. */
const schema = (name: string) =>
  (JSON.parse(readFileSync(join(__dirname, `../../../../../src/api/${name}/content-types/${name}/schema.json`), 'utf8')) as {
    attributes: Record<string, AttributeSpec>;
  }).attributes;
const COURSE = schema('course');
const CHAPTER = schema('chapter');

const goodCourse = { title: 'Practical TypeScript', slug: 'practical-typescript', summary: 'S', level: 'beginner', access: 'paid', price: 2900, currency: 'usd' };
const goodChapter = { title: 'Why types', position: 1, isPreview: true, duration: 10 };

test('a complete course and chapter violate nothing, in either mode', () => {
  for (const mode of ['publish', 'draft'] as const) {
    assert.deepEqual(violations(COURSE, goodCourse, mode), []);
    assert.deepEqual(violations(CHAPTER, goodChapter, mode), []);
  }
});

// [what, schema, values, publish violations, draft violations]
const CASES: Array<[string, Record<string, AttributeSpec>, Record<string, unknown>, string[], string[]]> = [
  ['negative price', COURSE, { ...goodCourse, price: -5 }, ['price must be at least 0 (it is -5)'], ['price must be at least 0 (it is -5)']],
  ['price above max', COURSE, { ...goodCourse, price: 100000001 }, ['price must be at most 100000000 (it is 100000001)'], ['price must be at most 100000000 (it is 100000001)']],
  ['fractional price', COURSE, { ...goodCourse, price: 10.5 }, ['price must be a whole number (it is 10.5)'], ['price must be a whole number (it is 10.5)']],
  ['no slug', COURSE, { ...goodCourse, slug: null }, ['slug is required'], []],
  ['blank title', COURSE, { ...goodCourse, title: '  ' }, ['title is required'], []],
  ['short title', COURSE, { ...goodCourse, title: 'TS' }, ['title needs at least 3 characters (it has 2)'], []],
  ['long summary', COURSE, { ...goodCourse, summary: 'x'.repeat(601) }, ['summary may have at most 600 characters (it has 601)'], ['summary may have at most 600 characters (it has 601)']],
  ['unknown currency', COURSE, { ...goodCourse, currency: 'btc' }, ['currency must be one of usd, eur, gbp, cny, jpy (it is "btc")'], ['currency must be one of usd, eur, gbp, cny, jpy (it is "btc")']],
  ['slug with spaces', COURSE, { ...goodCourse, slug: 'a b' }, ['slug may contain only letters, digits, -, _, . and ~ (it is "a b")'], []],
  ['chapter position 0', CHAPTER, { ...goodChapter, position: 0 }, ['position must be at least 1 (it is 0)'], ['position must be at least 1 (it is 0)']],
  ['chapter position -3', CHAPTER, { ...goodChapter, position: -3 }, ['position must be at least 1 (it is -3)'], ['position must be at least 1 (it is -3)']],
  ['negative duration', CHAPTER, { ...goodChapter, duration: -1 }, ['duration must be at least 0 (it is -1)'], ['duration must be at least 0 (it is -1)']],
  ['no position', CHAPTER, { ...goodChapter, position: null }, ['position is required'], []],
  ['position as text', CHAPTER, { ...goodChapter, position: 'first' }, ['position must be a number (it is "first")'], ['position must be a number (it is "first")']],
];

for (const [what, attributes, values, publish, draft] of CASES) {
  test(`${what}: publication and draft answers`, () => {
    assert.deepEqual(violations(attributes, values, 'publish').map((v) => v.message), publish);
    assert.deepEqual(violations(attributes, values, 'draft').map((v) => v.message), draft);
  });
}

test('publish mode treats an absent constrained attribute as missing; draft mode reads only what is sent', () => {
  assert.deepEqual(violations(CHAPTER, { title: 'T' }, 'publish').map((v) => v.field), ['position', 'isPreview']);
  assert.deepEqual(violations(CHAPTER, { title: 'T' }, 'draft'), []);
  assert.deepEqual(violations(COURSE, { price: -1 }, 'draft').map((v) => v.field), ['price']);
});

test('relations and media are not scalar constraints; constrainedFields lists what the checklist must read', () => {
  assert.deepEqual(attributeViolations('cover', { type: 'media', required: true }, null, 'publish'), []);
  assert.deepEqual(constrainedFields(COURSE), ['title', 'slug', 'summary', 'level', 'access', 'price', 'currency']);
  assert.deepEqual(constrainedFields(CHAPTER), ['title', 'position', 'isPreview', 'duration', 'dripDays']);
  assert.deepEqual(attributeViolations('code', { type: 'string', regex: '^[A-Z]+$' }, 'abc', 'publish').map((v) => v.message), ['code does not match the pattern ^[A-Z]+$']);
  assert.deepEqual(attributeViolations('code', { type: 'string', regex: '^[A-Z]+$' }, 'abc', 'draft'), []);
});
