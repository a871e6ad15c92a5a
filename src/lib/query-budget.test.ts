import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  estimateEntities,
  fanoutFromHistogram,
  filterRelations,
  maxQueryRelations,
  populateDepth,
  populateTree,
  sortRelations,
  toManyNodes,
  type Fanout,
  type PopulateNode,
  type RelationInfo,
} from './query-budget';

const COURSE = 'api::course.course';
const CHAPTER = 'api::chapter.chapter';
const TAG = 'api::tag.tag';
const CATEGORY = 'api::category.category';
const FILE = 'plugin::upload.file';

const relations: Record<string, Record<string, RelationInfo>> = {
  [COURSE]: {
    tags: { toMany: true, distinct: false, target: TAG },
    chapters: { toMany: true, distinct: true, target: CHAPTER },
    category: { toMany: false, distinct: false, target: CATEGORY },
    cover: { toMany: false, distinct: true, target: FILE },
  },
  [CHAPTER]: { course: { toMany: false, distinct: false, target: COURSE }, attachments: { toMany: true, distinct: true, target: FILE } },
  [TAG]: { courses: { toMany: true, distinct: false, target: COURSE } },
  [CATEGORY]: { courses: { toMany: true, distinct: true, target: COURSE } },
  [FILE]: { related: { toMany: true, distinct: false } },
};
const relationOf = (uid: string, a: string) => relations[uid]?.[a];
const relationsOf = (uid: string) => Object.keys(relations[uid] ?? {});

describe('populateDepth: every form Strapi reads', () => {
  const cases: Array<[string, unknown, number]> = [
    ['nothing', undefined, 0],
    ['false', 'false', 0],
    ['*', '*', 1],
    ['true', true, 1],
    ['one name', 'tags', 1],
    ['dotted string', 'tags.courses.chapters', 3],
    ['comma list, deepest wins', 'tags,chapters.course', 2],
    ['array of dotted strings', ['tags', 'chapters.course.tags.courses'], 4],
    ['object true', { chapters: 'true' }, 1],
    ['object false is no level', { chapters: 'false' }, 0],
    ['object nested populate string', { chapters: { populate: 'course.tags' } }, 3],
    ['object nested populate *', { tags: { populate: { courses: { populate: '*' } } } }, 3],
    ['object nested without populate', { chapters: { fields: ['title'] } }, 1],
    ['dotted object key', { 'chapters.course': true }, 2],
    ['fragments: the deepest branch', { related: { on: { [COURSE]: { populate: { chapters: { populate: 'course' } } }, [TAG]: { fields: ['name'] } } } }, 3],
    ['the issue’s chain', { courses: { populate: { chapters: { populate: { course: { populate: { tags: { populate: 'courses' } } } } } } } }, 5],
  ];
  for (const [label, populate, depth] of cases) test(label, () => assert.equal(populateDepth(populate), depth));
  test('a populate list of 300,000 entries is measured, not a stack overflow', () => {
    assert.equal(populateDepth(Array(300_000).fill('chapters.course').join(',')), 2);
    assert.equal(populateDepth(Array(300_000).fill('chapters')), 1);
  });
});

describe('relations crossed by filters and sort', () => {
  test('every relation key counts, in $or branches too', () => {
    const or = Array.from({ length: 6 }, (_, i) => ({ tags: { slug: { $eq: `t${i}` } } }));
    assert.equal(filterRelations({ $or: or }, COURSE, relationOf), 6);
    assert.equal(filterRelations({ tags: { courses: { chapters: { title: 'x' } } } }, COURSE, relationOf), 3);
    assert.equal(filterRelations({ title: { $eq: 'x' }, $not: { category: { name: 'y' } } }, COURSE, relationOf), 1);
    assert.equal(filterRelations([{ tags: '1' }, { chapters: { $in: ['1'] } }], COURSE, relationOf), 2);
  });
  test('sort strings and objects', () => {
    assert.equal(sortRelations('tags.courses.title:asc,title', COURSE, relationOf), 2);
    assert.equal(sortRelations([{ category: { name: 'asc' } }, 'title'], COURSE, relationOf), 1);
  });
  test('the most expensive single query: top level or a populated relation’s own', () => {
    const query = {
      filters: { tags: { slug: 'a' } },
      sort: 'category.name',
      populate: { chapters: { filters: { course: { tags: { courses: { category: { name: 'x' } } } } } } },
    };
    assert.equal(maxQueryRelations(query, COURSE, relationOf), 4);
  });
});

describe('populateTree', () => {
  const shape = (nodes: PopulateNode[]): unknown => nodes.map((n) => [n.attribute, ...(n.countOnly ? ['count'] : []), shape(n.children)]);
  test('strings, lists, objects and * give the same tree', () => {
    const expected = [['chapters', [['course', [['tags', []]]]]]];
    assert.deepEqual(shape(populateTree('chapters.course.tags', COURSE, relationOf, relationsOf)), expected);
    assert.deepEqual(shape(populateTree(['chapters.course.tags'], COURSE, relationOf, relationsOf)), expected);
    assert.deepEqual(shape(populateTree({ chapters: { populate: { course: { populate: 'tags' } } } }, COURSE, relationOf, relationsOf)), expected);
    assert.deepEqual(shape(populateTree('*', COURSE, relationOf, relationsOf)), [['tags', []], ['chapters', []], ['category', []], ['cover', []]]);
    assert.deepEqual(shape(populateTree({ chapters: { populate: '*' } }, COURSE, relationOf, relationsOf)), [['chapters', [['course', []], ['attachments', []]]]]);
  });
  test('count, false, non-relations and fragments', () => {
    assert.deepEqual(shape(populateTree({ chapters: { count: 'true' }, tags: 'false', title: true }, COURSE, relationOf, relationsOf)), [['chapters', 'count', []]]);
    const fragments = populateTree({ related: { on: { [COURSE]: { populate: 'chapters' } } } }, FILE, relationOf, relationsOf);
    assert.deepEqual(shape(fragments), [['related', [['chapters', []]]]]);
    assert.equal(fragments[0]!.children[0]!.uid, COURSE);
    assert.deepEqual(toManyNodes(fragments).map((n) => n.attribute), ['related', 'chapters']);
  });
});

describe('fanoutFromHistogram', () => {
  const f = fanoutFromHistogram([[3, 10], [15, 2], [10, 5], [0, 4]]);
  const cases: Array<[number, number]> = [
    [0, 0],
    [1, 15],
    [2, 30],
    [3, 40],
    [7, 80],
    [8, 83],
    [100, 110],
  ];
  for (const [n, sum] of cases) test(`the ${n} largest sum to ${sum}`, () => assert.equal(f.largest(n), sum));
  test('max, and an empty table', () => {
    assert.equal(f.max, 15);
    assert.equal(fanoutFromHistogram([]).largest(10), 0);
  });
});

describe('estimateEntities: an upper bound, level by level', () => {
  // chapters per course: 4 courses with 15, 100 with 10; tags per course: 3 each; courses per tag: up to 40.
  const fanouts: Record<string, Fanout> = {
    [`${COURSE}.chapters`]: fanoutFromHistogram([[15, 4], [10, 100]]),
    [`${COURSE}.tags`]: fanoutFromHistogram([[3, 104]]),
    [`${TAG}.courses`]: fanoutFromHistogram([[40, 2], [5, 50]]),
    [`${CATEGORY}.courses`]: fanoutFromHistogram([[30, 3], [14, 1]]),
    [`${CHAPTER}.attachments`]: fanoutFromHistogram([[2, 50]]),
  };
  const of = (n: PopulateNode) => fanouts[`${n.uid}.${n.attribute}`]!;
  const estimate = (roots: number, populate: unknown, uid = COURSE, stop?: number) =>
    estimateEntities(roots, populateTree(populate, uid, relationOf, relationsOf), of, stop);
  const cases: Array<[string, number, unknown, string, number]> = [
    ['no populate', 25, undefined, COURSE, 25],
    ['to-one relations: one per parent', 25, ['category', 'cover'], COURSE, 75],
    ['distinct parents: the largest fan-outs', 25, 'chapters', COURSE, 25 + 4 * 15 + 21 * 10],
    ['a page larger than the table', 200, 'chapters', COURSE, 200 + 4 * 15 + 100 * 10],
    ['count only costs nothing', 25, { chapters: { count: true } }, COURSE, 25],
    ['distinct all the way down (oneToMany, oneToMany)', 4, { courses: { populate: 'chapters' } }, CATEGORY, 4 + 104 + (60 + 1000)],
    ['repeating parents (manyToMany): parents × largest', 25, 'tags.courses', COURSE, 25 + 75 + 75 * 40],
    ['to-one under to-many keeps the count', 1, 'chapters.course', COURSE, 1 + 15 + 15],
    ['the issue’s chain from 25 tags', 25, 'courses.chapters.course.tags.courses', TAG, 25 + 195 + 195 * 15 + 2925 + 2925 * 3 + 8775 * 40],
  ];
  for (const [label, roots, populate, uid, expected] of cases) test(label, () => assert.equal(estimate(roots, populate, uid), expected));
  test('stops counting past the limit', () => {
    const stopped = estimate(25, 'courses.chapters.course.tags.courses', TAG, 2500);
    assert.ok(stopped > 2500 && stopped < 365845, `${stopped}`);
  });
  test('never below what the same data would answer', () => {
    // 3 categories × 30 courses + 1 × 14, each course 10 or 15 chapters: the exact worst case.
    const exact = 4 + 104 + 4 * 15 + 100 * 10;
    assert.ok(estimate(4, { courses: { populate: 'chapters' } }, CATEGORY) >= exact);
  });
});
