import { test } from 'node:test';
import assert from 'node:assert/strict';
import { draftParamsAsked } from './draft-params';

const cases: Array<[string, Record<string, unknown> | undefined, string[]]> = [
  ['no query', undefined, []],
  ['no draft parameter', { populate: 'chapters', locale: 'en' }, []],
  ['status=published', { status: 'published' }, []],
  ['status=draft', { status: 'draft' }, ['status']],
  ['status=Published (not the exact value)', { status: 'Published' }, ['status']],
  ['status[0]=published (an array)', { status: ['published'] }, ['status']],
  ['status=published&status=draft', { status: ['published', 'draft'] }, ['status']],
  ['status[x]=draft (an object)', { status: { x: 'draft' } }, ['status']],
  ['status= (empty)', { status: '' }, ['status']],
  ['publicationFilter, any value', { publicationFilter: 'published-with-draft', status: 'published' }, ['publicationFilter']],
  ['hasPublishedVersion, any value', { hasPublishedVersion: 'true' }, ['hasPublishedVersion']],
  ['STATUS (another key: refused by strict params, ignored by plugin routes)', { STATUS: 'draft' }, []],
];

for (const [name, query, expected] of cases) {
  test(`draft parameters: ${name}`, () => assert.deepEqual(draftParamsAsked(query), expected));
}
