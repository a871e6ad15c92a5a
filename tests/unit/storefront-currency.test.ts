/**
 * The storefront's currency suggestion from a language tag (public/js/currency-locale.js, a plain
 * browser module with no DOM): the table the storefront uses before the learner picks a currency.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Suggest = (tag: string) => string | null;
const MODULE = pathToFileURL(path.join(__dirname, '..', '..', 'public', 'js', 'currency-locale.js')).href;

describe('currencyForLocale (storefront): the currency a language tag suggests', async () => {
  const { currencyForLocale } = (await import(MODULE)) as { currencyForLocale: Suggest };
  const table: Array<[string, string | null]> = [
    ['en', null],
    ['en-US', 'usd'],
    ['en-GB', 'gbp'],
    ['en-IE', 'eur'],
    ['de', 'eur'],
    ['de-DE', 'eur'],
    ['de-CH', null],
    ['fr-CA', null],
    ['fr_FR', 'eur'],
    ['zh-Hans', 'cny'],
    ['zh-Hans-CN', 'cny'],
    ['zh-TW', null],
    ['ja', 'jpy'],
    ['ja-JP', 'jpy'],
    ['', null],
  ];
  for (const [tag, currency] of table) test(tag || '(empty)', () => assert.equal(currencyForLocale(tag), currency));
});
