import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCompletionDate, matchLocale, parseAcceptLanguage, pickLocale, pickLocalized } from './locale';

const SUPPORTED = ['en', 'zh-Hans'] as const;

describe('pickLocale', () => {
  const table: Array<[string | undefined, string | undefined, string]> = [
    [undefined, undefined, 'en'],
    ['zh-Hans', undefined, 'zh-Hans'],
    ['ZH-hans', undefined, 'zh-Hans'],
    ['zh-CN', undefined, 'zh-Hans'],
    ['zh', undefined, 'zh-Hans'],
    ['zh-TW', undefined, 'en'],
    ['zh-Hant-HK', undefined, 'en'],
    ['en-GB', undefined, 'en'],
    ['fr', 'zh-CN,zh;q=0.9,en;q=0.8', 'zh-Hans'],
    [undefined, 'fr-FR, en;q=0.5, zh;q=0.7', 'zh-Hans'],
    [undefined, 'zh-TW, en;q=0.1', 'en'],
    [undefined, 'de, fr', 'en'],
    [undefined, 'zh;q=0, en', 'en'],
    [undefined, '*', 'en'],
  ];
  for (const [explicit, header, expected] of table) {
    test(`${explicit ?? '-'} / ${header ?? '-'} → ${expected}`, () => assert.equal(pickLocale(explicit, header, SUPPORTED, 'en'), expected));
  }
  test('parseAcceptLanguage orders by weight, then by position', () => {
    assert.deepEqual(parseAcceptLanguage('a;q=0.5, b, c;q=0.5, d;q=0.9'), ['b', 'd', 'a', 'c']);
  });
  test('matchLocale knows nothing it does not support', () => assert.equal(matchLocale('ja', SUPPORTED), null));
});

describe('formatCompletionDate', () => {
  const date = new Date('2026-03-05T23:30:00.000Z');
  test('en', () => assert.equal(formatCompletionDate(date, 'en'), 'March 5, 2026'));
  test('zh-Hans', () => assert.equal(formatCompletionDate(date, 'zh-Hans'), '2026年3月5日'));
});

describe('pickLocalized', () => {
  const titles = new Map([
    ['en', 'Course'],
    ['zh-Hans', '课程'],
  ]);
  test('the asked locale', () => assert.equal(pickLocalized(titles, 'zh-Hans', 'en'), '课程'));
  test('the default when missing', () => assert.equal(pickLocalized(new Map([['en', 'Course']]), 'zh-Hans', 'en'), 'Course'));
  test('any when the default is missing too', () => assert.equal(pickLocalized(new Map([['zh-Hans', '课程']]), 'en', 'en'), '课程'));
  test('nothing', () => assert.equal(pickLocalized(new Map<string, string>(), 'en', 'en'), undefined));
});
