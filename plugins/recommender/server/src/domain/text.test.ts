import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cjkBigrams, normaliseKey, tokenize } from './text';

const terms = (text: string) => tokenize(text).map((t) => t.term);

describe('tokenize: English', () => {
  const cases: Array<[string, string[]]> = [
    ['Learning Python Programming', ['learn', 'python', 'program']],
    ['The art of the deal', ['art', 'deal']], // stopwords out
    ['Node.js & React', ['node', 'js', 'react']],
    ['C++ for beginners, C# and .NET', ['cplusplu', 'beginn', 'csharp', 'dotnet']],
    ['Café crème', ['cafe', 'creme']], // accents folded
    ['Ｐｙｔｈｏｎ 3', ['python']], // full-width folded; one-character tokens out
    ['', []],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => assert.deepEqual(terms(text), expected));
  }

  it('keeps the written form for reasons', () => {
    assert.deepEqual(
      tokenize('Programming in C++').map((t) => t.surface),
      ['programming', 'c++'],
    );
  });
});

describe('tokenize: Chinese as character bigrams', () => {
  const cases: Array<[string, string[]]> = [
    ['数据科学', ['数据', '据科', '科学']],
    ['学', ['学']],
    ['机器学习入门', ['机器', '器学', '学习', '习入', '入门']],
    // Runs are split by anything else; Latin words in between are English tokens.
    ['Python 数据分析', ['数据', '据分', '分析', 'python']],
    ['深度学习：从零开始', ['深度', '度学', '学习', '从零', '零开', '开始']],
  ];
  for (const [text, expected] of cases) {
    it(text, () => assert.deepEqual(terms(text), expected));
  }

  it('cjkBigrams on code points, not UTF-16 units', () => {
    assert.deepEqual(cjkBigrams('𠀀𠀁𠀂'), ['𠀀𠀁', '𠀁𠀂']);
  });
});

describe('normaliseKey', () => {
  const cases: Array<[string, string]> = [
    ['  Web  Development ', 'web development'],
    ['ＡＩ', 'ai'],
    ['concept:social psychology', 'concept:social psychology'],
  ];
  for (const [input, expected] of cases) it(input, () => assert.equal(normaliseKey(input), expected));
});
