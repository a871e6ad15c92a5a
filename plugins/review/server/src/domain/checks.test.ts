import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHECK_IDS,
  DEFAULT_CHECKS_CONFIG as CFG,
  compilePatterns,
  extractLinks,
  failedRecommended,
  failedRequired,
  runChecks,
  runChecksInLocales,
  type CheckId,
  type CourseSnapshot,
} from './checks';

const good: CourseSnapshot = {
  title: 'Practical TypeScript',
  summary: 'Types that help rather than hinder: a hands-on course for working developers.',
  description: 'A'.repeat(250),
  hasCover: true,
  access: 'paid',
  price: 2900,
  currency: 'usd',
  tagCount: 2,
  hasCategory: true,
  chapters: [
    { title: 'Why types', hasContent: true, isPreview: true },
    { title: 'Narrowing', hasContent: true, isPreview: false },
    { title: 'Generics', hasContent: true, isPreview: false },
  ],
  publicationViolations: [],
};

const verdict = (s: CourseSnapshot, id: CheckId) => runChecks(s, CFG).find((r) => r.id === id);

test('a complete course passes every check, each answered with a message', () => {
  const results = runChecks(good, CFG);
  assert.deepEqual(results.map((r) => r.id), [...CHECK_IDS]);
  for (const r of results) {
    assert.equal(r.passed, true, `${r.id}: ${r.message}`);
    assert.ok(r.message.length > 0);
  }
  assert.deepEqual(failedRequired(results), []);
});

const FAILING: Array<[string, Partial<CourseSnapshot>, CheckId, RegExp]> = [
  ['no title', { title: null }, 'title', /at least 10 characters \(it has 0\)/],
  ['short title', { title: '  TS  ' }, 'title', /it has 2/],
  ['short summary', { summary: 'Short.' }, 'summary', /at least 60/],
  ['no description', { description: '' }, 'description', /at least 200/],
  ['no cover', { hasCover: false }, 'cover', /cover image/],
  ['two chapters', { chapters: good.chapters.slice(0, 2) }, 'chapters', /At least 3 chapters need content.*2 do/],
  [
    'three chapters, one empty',
    { chapters: [...good.chapters.slice(0, 2), { title: 'Empty', hasContent: false, isPreview: false }] },
    'chapters',
    /2 do/,
  ],
  ['no preview', { chapters: good.chapters.map((c) => ({ ...c, isPreview: false })) }, 'preview', /free preview/],
  [
    'preview without content',
    { chapters: [{ title: 'Teaser', hasContent: false, isPreview: true }, ...good.chapters.slice(1), { title: 'More', hasContent: true, isPreview: false }] },
    'preview',
    /with content/,
  ],
  [
    'untitled chapters',
    { chapters: [good.chapters[0]!, { ...good.chapters[1]!, title: ' ' }, { ...good.chapters[2]!, title: null }] },
    'chapter-titles',
    /without a title: 2, 3/,
  ],
  ['paid at zero', { price: 0 }, 'price', /at least 100.*it is 0/],
  ['paid below minimum (cny)', { price: 500, currency: 'cny' }, 'price', /at least 600/],
  ['paid, unknown currency', { currency: 'btc' }, 'price', /currency among/],
  ['paid, no currency', { currency: null }, 'price', /currency among/],
  ['fractional price', { price: 10.5 }, 'price', /it is 10.5/],
  ['no tags', { tagCount: 0 }, 'taxonomy', /Add at least one tag\./],
  ['no tags, no category', { tagCount: 0, hasCategory: false }, 'taxonomy', /at least one tag and a category/],
  ['shortener', { description: `${'A'.repeat(200)} https://bit.ly/xyz` }, 'self-promotion', /bit\.ly\/xyz/],
  ['marketplace in summary', { summary: `${good.summary} See https://www.udemy.com/course/x` }, 'self-promotion', /udemy/],
  ['telegram', { description: `${'A'.repeat(200)} (https://t.me/mychannel).` }, 'self-promotion', /: https:\/\/t\.me\/mychannel\.$/],
  ['a value publication refuses', { publicationViolations: ['price must be at least 0 (it is -5)'] }, 'publication', /Publication would refuse: price must be at least 0 \(it is -5\)\./],
  ['affiliate parameter', { description: `${'A'.repeat(200)} https://example.com/book?ref=me` }, 'self-promotion', /\?ref=me/],
];

for (const [name, patch, id, message] of FAILING) {
  test(`fails ${id}: ${name}`, () => {
    const s = { ...good, ...patch };
    const results = runChecks(s, CFG);
    const failed = results.filter((r) => !r.passed).map((r) => r.id);
    assert.deepEqual(failed, [id], `only ${id} fails`);
    assert.match(verdict(s, id)!.message, message);
  });
}

const PASSING: Array<[string, Partial<CourseSnapshot>]> = [
  ['free course at 0', { access: 'free', price: 0, currency: null }],
  ['subscription course without price', { access: 'subscription', price: 0 }],
  ['jpy at minimum', { currency: 'jpy', price: 100 }],
  ['a harmless link', { description: `${'A'.repeat(200)} https://developer.mozilla.org/en-US/docs/Web` }],
  ['many chapters, one preview', { chapters: [...good.chapters, { title: 'More', hasContent: true, isPreview: false }] }],
];
for (const [name, patch] of PASSING) {
  test(`passes: ${name}`, () => {
    const results = runChecks({ ...good, ...patch }, CFG);
    assert.deepEqual(results.filter((r) => !r.passed), []);
  });
}

test('levels split blocking from advisory failures, and off removes a check', () => {
  const empty: CourseSnapshot = {
    title: null, summary: null, description: null, hasCover: false, access: 'paid', price: 0, currency: 'usd',
    tagCount: 0, hasCategory: false, chapters: [], publicationViolations: [],
  };
  const results = runChecks(empty, CFG);
  assert.deepEqual(failedRequired(results).map((r) => r.id), ['title', 'summary', 'cover', 'chapters', 'preview', 'price']);
  assert.deepEqual(failedRecommended(results).map((r) => r.id), ['description', 'taxonomy']);

  const relaxed = { ...CFG, levels: { ...CFG.levels, cover: 'off' as const, price: 'recommended' as const } };
  const r2 = runChecks(empty, relaxed);
  assert.equal(r2.find((r) => r.id === 'cover'), undefined);
  assert.deepEqual(failedRequired(r2).map((r) => r.id), ['title', 'summary', 'chapters', 'preview']);
  assert.ok(failedRecommended(r2).some((r) => r.id === 'price'));
});

test('thresholds come from the configuration', () => {
  const cfg = { ...CFG, minChapters: 1, titleMinLength: 2 };
  const s = { ...good, title: 'TS', chapters: [good.chapters[0]!] };
  assert.deepEqual(failedRequired(runChecks(s, cfg)), []);
});

test('extractLinks finds each link once and trims trailing punctuation', () => {
  assert.deepEqual(extractLinks('See https://a.example/x, and [b](https://b.example/y). Again https://a.example/x.'), [
    'https://a.example/x',
    'https://b.example/y',
  ]);
  assert.deepEqual(extractLinks(null), []);
});

test('compilePatterns rejects an invalid pattern', () => {
  assert.throws(() => compilePatterns(['(unclosed']), SyntaxError);
  assert.equal(compilePatterns(CFG.selfPromotionPatterns).length, CFG.selfPromotionPatterns.length);
});

test('every locale that will be published is checked: a failure names its locale, passing needs every locale', () => {
  const zh = { ...good, summary: '中文简介' };
  const results = runChecksInLocales([{ locale: 'zh-Hans', snapshot: zh }, { locale: 'en', snapshot: good }], CFG, 'en');
  assert.deepEqual(failedRequired(results).map((r) => r.id), ['summary']);
  assert.equal(results.find((r) => r.id === 'summary')!.message, 'zh-Hans: The summary needs at least 60 characters (it has 4).');
  assert.deepEqual(results.map((r) => r.id), [...CHECK_IDS], 'one result per check, in the usual order');

  const both = runChecksInLocales([{ locale: 'en', snapshot: { ...good, title: 'TS' } }, { locale: 'zh-Hans', snapshot: { ...zh, title: null } }], CFG, 'en');
  assert.match(both.find((r) => r.id === 'title')!.message, /^en: .*it has 2\)\. zh-Hans: .*it has 0\)\.$/);

  const only = runChecksInLocales([{ locale: 'en', snapshot: { ...good, title: 'TS' } }], CFG, 'en');
  assert.equal(only.find((r) => r.id === 'title')!.message, 'The title needs at least 10 characters (it has 2).', 'no locale prefix when only the default locale is published');
  assert.deepEqual(runChecksInLocales([], CFG, 'en'), []);
});
