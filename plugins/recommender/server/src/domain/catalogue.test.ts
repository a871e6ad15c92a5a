import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coverOf, coursesFromRows, pickLocale, toEpoch, type CourseRow } from './catalogue';

const row = (over: Partial<CourseRow>): CourseRow => ({
  documentId: 'd1',
  locale: 'en',
  title: 'Python basics',
  summary: 'Learn Python.',
  slug: 'python-basics',
  level: 'beginner',
  access: 'paid',
  price: 1999,
  currency: 'usd',
  publishedAt: '2026-01-01T00:00:00.000Z',
  tags: [{ slug: 'python' }],
  category: { slug: 'programming' },
  cover: null,
  ...over,
});

describe('coursesFromRows', () => {
  const rows = [
    row({}),
    row({ locale: 'zh-Hans', title: 'Python 基础', summary: '学习 Python。', tags: [{ slug: 'python' }, { slug: 'beginner' }] }),
    row({ documentId: 'd2', title: 'Newer course', slug: 'newer', publishedAt: '2026-02-01T00:00:00.000Z', tags: [], category: null }),
  ];
  const out = coursesFromRows(rows);

  it('one entry per document, newest publication first', () => assert.deepEqual(out.map((c) => c.doc.id), ['d2', 'd1']));
  it('the ItemDoc has every locale’s texts and the union of facets', () => {
    const d1 = out[1]!.doc;
    assert.deepEqual(d1.titles, ['Python basics', 'Python 基础']);
    assert.deepEqual(d1.summaries, ['Learn Python.', '学习 Python。']);
    assert.deepEqual(d1.tags, ['python', 'beginner']);
    assert.deepEqual(d1.categories, ['programming']);
    assert.equal(d1.level, 'beginner');
  });
  it('the card keeps title and summary per locale and the shared fields', () => {
    const card = out[1]!.card;
    assert.deepEqual(card.locales, {
      en: { title: 'Python basics', summary: 'Learn Python.' },
      'zh-Hans': { title: 'Python 基础', summary: '学习 Python。' },
    });
    assert.deepEqual([card.slug, card.access, card.price, card.currency], ['python-basics', 'paid', 1999, 'usd']);
  });
  it('rows without a documentId are ignored', () => assert.equal(coursesFromRows([row({ documentId: '' })]).length, 0));
});

describe('coverOf: only what a list needs', () => {
  it('keeps url, alt, size and the thumbnail and small formats (JSON string or object)', () => {
    const formats = { thumbnail: { url: '/t.jpg', width: 156, height: 88, hash: 'x' }, small: { url: '/s.jpg', width: 500, height: 281 }, large: { url: '/l.jpg' } };
    const expected = {
      url: '/c.jpg',
      alternativeText: 'A cover',
      width: 1200,
      height: 675,
      formats: { thumbnail: { url: '/t.jpg', width: 156, height: 88 }, small: { url: '/s.jpg', width: 500, height: 281 } },
    };
    assert.deepEqual(coverOf({ url: '/c.jpg', alternativeText: 'A cover', width: 1200, height: 675, formats }), expected);
    assert.deepEqual(coverOf({ url: '/c.jpg', alternativeText: 'A cover', width: 1200, height: 675, formats: JSON.stringify(formats) }), expected);
  });
  it('no cover, or no url → null; broken formats → none', () => {
    assert.equal(coverOf(null), null);
    assert.equal(coverOf({ url: null }), null);
    assert.deepEqual(coverOf({ url: '/c.jpg', formats: '{broken' })?.formats, {});
  });
});

describe('pickLocale', () => {
  const card = coursesFromRows([row({}), row({ locale: 'zh-Hans', title: '中文' })])[0]!.card;
  const enOnly = coursesFromRows([row({ locale: 'en' })])[0]!.card;
  const zhOnly = coursesFromRows([row({ locale: 'zh-Hans' })])[0]!.card;
  const cases: Array<[string, typeof card, string, string | null]> = [
    ['the locale asked for', card, 'zh-Hans', 'zh-Hans'],
    ['else the default', enOnly, 'zh-Hans', 'en'],
    ['else any it has', zhOnly, 'en', 'zh-Hans'],
  ];
  for (const [name, c, requested, expected] of cases) it(name, () => assert.equal(pickLocale(c, requested, 'en'), expected));
});

describe('toEpoch', () => {
  const cases: Array<[string | number | Date | null, number]> = [
    [1767225600000, 1767225600000], // SQLite: epoch milliseconds
    ['1767225600000', 1767225600000],
    ['2026-01-01T00:00:00.000Z', 1767225600000],
    [new Date('2026-01-01T00:00:00.000Z'), 1767225600000], // PostgreSQL: Date
    [null, 0],
    ['not a date', 0],
  ];
  for (const [input, expected] of cases) it(String(input), () => assert.equal(toEpoch(input), expected));
});
