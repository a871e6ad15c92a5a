import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { presentReason, presentReasons, ratedReason, type PresentContext } from './present';

const labels: Record<string, string> = { 't:python': 'Python', 'w:python': 'python', 't:data': 'Data science', 'w:learn': 'learning', 'c:web': 'Web' };
const ctx = (locale: string, mode: PresentContext['mode']): PresentContext => ({
  locale,
  mode,
  label: (term) => labels[term] ?? term.slice(2),
  course: (id) => (id === 'p1' ? { documentId: 'p1', title: locale === 'zh-Hans' ? 'Python 基础' : 'Python basics', slug: 'python-basics' } : undefined),
});

describe('presentReason', () => {
  const cases: Array<[string, Parameters<typeof presentReason>[0], PresentContext, unknown]> = [
    [
      'shared terms, personal, English',
      { type: 'shared-terms', terms: ['t:python', 't:data'] },
      ctx('en', 'personal'),
      { type: 'shared-terms', terms: [{ key: 't:python', label: 'Python' }, { key: 't:data', label: 'Data science' }], message: 'About Python, Data science, like courses you took' },
    ],
    [
      'shared terms, similar, Chinese',
      { type: 'shared-terms', terms: ['t:python'] },
      ctx('zh-Hans', 'similar'),
      { type: 'shared-terms', terms: [{ key: 't:python', label: 'Python' }], message: '与本课程同样涉及：Python' },
    ],
    [
      'a tag and a word with the same label: the tag is shown once',
      { type: 'shared-terms', terms: ['w:python', 'w:learn', 't:python'] },
      ctx('en', 'personal'),
      { type: 'shared-terms', terms: [{ key: 't:python', label: 'Python' }, { key: 'w:learn', label: 'learning' }], message: 'About Python, learning, like courses you took' },
    ],
    [
      'also took, English',
      { type: 'also-took', itemId: 'p1' },
      ctx('en', 'personal'),
      { type: 'also-took', course: { documentId: 'p1', title: 'Python basics', slug: 'python-basics' }, message: 'Learners who took “Python basics” also took this' },
    ],
    [
      'also took, Chinese',
      { type: 'also-took', itemId: 'p1' },
      ctx('zh-Hans', 'similar'),
      { type: 'also-took', course: { documentId: 'p1', title: 'Python 基础', slug: 'python-basics' }, message: '学过《Python 基础》的学员也学了这门课' },
    ],
    ['popular, English', { type: 'popular' }, ctx('en', 'cold-start'), { type: 'popular', message: 'Popular with learners' }],
    ['popular, Chinese', { type: 'popular' }, ctx('zh-Hans', 'cold-start'), { type: 'popular', message: '深受学员欢迎' }],
    [
      'segment',
      { type: 'segment', segment: 3, terms: ['c:web', 't:python'] },
      ctx('en', 'cold-start'),
      { type: 'segment', segment: 3, terms: [{ key: 'c:web', label: 'Web' }, { key: 't:python', label: 'Python' }], message: 'From the Web, Python part of the catalogue' },
    ],
    ['an unknown locale reads English', { type: 'popular' }, ctx('fr', 'cold-start'), { type: 'popular', message: 'Popular with learners' }],
  ];
  for (const [name, reason, c, expected] of cases) it(name, () => assert.deepEqual(presentReason(reason, c), expected));

  it('a course no longer published is not named: the reason is dropped', () => {
    assert.equal(presentReason({ type: 'also-took', itemId: 'gone' }, ctx('en', 'personal')), null);
    assert.deepEqual(
      presentReasons([{ type: 'also-took', itemId: 'gone' }, { type: 'popular' }], ctx('en', 'personal')).map((r) => r.type),
      ['popular'],
    );
  });
});

describe('ratedReason: cites learner ratings once enough learners rated', () => {
  const cases: Array<[string, Parameters<typeof ratedReason>[0], number, string, unknown]> = [
    ['120 ratings, English', { average: 4.75, count: 120 }, 5, 'en', { type: 'rated', average: 4.75, count: 120, message: 'Rated 4.8 by 120 learners' }],
    ['120 ratings, Simplified Chinese', { average: 4.75, count: 120 }, 5, 'zh-Hans', { type: 'rated', average: 4.75, count: 120, message: '120 位学员评分 4.8' }],
    ['exactly the threshold', { average: 4, count: 5 }, 5, 'en', { type: 'rated', average: 4, count: 5, message: 'Rated 4.0 by 5 learners' }],
    ['thousands are grouped', { average: 3.04, count: 1234 }, 5, 'en', { type: 'rated', average: 3.04, count: 1234, message: 'Rated 3.0 by 1,234 learners' }],
    ['below the threshold', { average: 5, count: 4 }, 5, 'en', null],
    ['nobody rated', { average: null, count: 0 }, 5, 'en', null],
    ['no rating known (community absent)', undefined, 5, 'en', null],
    ['threshold 0: never', { average: 4.9, count: 500 }, 0, 'en', null],
    ['threshold 1: one rating is enough', { average: 2, count: 1 }, 1, 'en', { type: 'rated', average: 2, count: 1, message: 'Rated 2.0 by 1 learner' }],
  ];
  for (const [name, rating, min, locale, expected] of cases) it(name, () => assert.deepEqual(ratedReason(rating, min, locale), expected));
});

describe('termNamer: only what is true of the course and readable', async () => {
  const { termNamer } = await import('./present');
  const namer = (locale: string, texts: string[]) =>
    termNamer({
      locale,
      defaultLocale: 'en',
      tags: new Set(['python', 'data']),
      categories: new Set(['programming']),
      tagNames: new Map<string, Record<string, string>>([
        ['python', { en: 'Python', 'zh-Hans': 'Python 编程' }],
        ['data', { en: 'Data science' }],
        ['guitar', { en: 'Guitar', 'zh-Hans': '吉他' }],
      ]),
      categoryNames: new Map<string, Record<string, string>>([['programming', { en: 'Programming', 'zh-Hans': '编程' }]]),
      texts,
    });
  const en = namer('en', ['Python for data analysis', 'A practical course in 14 chapters about pandas and the notebooks']);
  const zh = namer('zh-Hans', ['Python 数据分析', '14 个章节的实用课程，含练习与项目。']);
  const cases: Array<[string, (t: string) => string | null, string, string | null]> = [
    ['own tag, English', en, 't:python', 'Python'],
    ['own tag, Chinese name', zh, 't:python', 'Python 编程'],
    ['own tag without a Chinese name: the default locale’s', zh, 't:data', 'Data science'],
    ['a tag the course does not have', en, 't:guitar', null],
    ['own category', zh, 'c:programming', '编程'],
    ['a word of the text, as written', en, 'w:notebook', 'notebooks'],
    ['a word of the text, stemmed key', en, 'w:analysi', 'analysis'],
    ['a number', en, 'w:14', null],
    ['a filler word', en, 'w:practic', null],
    ['a word not in the text shown', en, 'w:guitar', null],
    ['a character bigram', zh, 'w:数据', null],
    ['a fragment across words', zh, 'w:与项', null],
    ['a Latin word of the Chinese text', zh, 'w:python', 'python'],
    ['a level', en, 'l:beginner', null],
  ];
  for (const [name, f, term, label] of cases) it(name, () => assert.equal(f(term), label));

  it('a reason with nothing left to name is dropped', () => {
    const c: PresentContext = { locale: 'en', mode: 'similar', label: () => null, course: () => undefined };
    assert.equal(presentReason({ type: 'shared-terms', terms: ['w:14'] }, c), null);
    assert.equal(presentReason({ type: 'segment', segment: 1, terms: ['t:guitar'] }, c), null);
  });
});
