import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storefrontPath } from './preview';

const CASES: Array<[Parameters<typeof storefrontPath>, string]> = [
  [[{ kind: 'course', slug: 'python-basics' }, 'en', 'en'], '/#/course/python-basics'],
  [[{ kind: 'course', slug: 'python-basics' }, 'zh-Hans', 'en'], '/?lang=zh-Hans#/course/python-basics'],
  [[{ kind: 'chapter', courseSlug: 'python-basics', documentId: 'ch1' }, null, 'en'], '/#/course/python-basics/chapter/ch1'],
  [[{ kind: 'course', slug: 'a b' }, 'en', 'en'], '/#/course/a%20b'],
];
for (const [[target, locale, defaultLocale], expected] of CASES) {
  test(`${JSON.stringify(target)} in ${locale} → ${expected}`, () => assert.equal(storefrontPath(target, locale, defaultLocale), expected));
}
