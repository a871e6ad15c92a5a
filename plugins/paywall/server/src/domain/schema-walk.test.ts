import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { collectEntities, findGatedQueryUse, type GatedFields, type ModelLike } from './schema-walk';

const CHAPTER = 'api::chapter.chapter';
const COURSE = 'api::course.course';
const INSTRUCTOR = 'api::instructor.instructor';
const FILE = 'plugin::upload.file';
const SEO = 'shared.seo';

const models: Record<string, ModelLike> = {
  [CHAPTER]: {
    uid: CHAPTER,
    attributes: {
      title: { type: 'string' },
      body: { type: 'richtext' },
      position: { type: 'integer' },
      video: { type: 'media' },
      attachments: { type: 'media' },
      course: { type: 'relation', relation: 'manyToOne', target: COURSE },
      localizations: { type: 'relation', relation: 'oneToMany', target: CHAPTER },
    },
  },
  [COURSE]: {
    uid: COURSE,
    attributes: {
      title: { type: 'string' },
      chapters: { type: 'relation', relation: 'oneToMany', target: CHAPTER },
      instructor: { type: 'relation', relation: 'manyToOne', target: INSTRUCTOR },
      seo: { type: 'component', component: SEO },
      blocks: { type: 'dynamiczone', components: [SEO] },
      related: { type: 'relation', relation: 'morphToMany' },
    },
  },
  [INSTRUCTOR]: { uid: INSTRUCTOR, attributes: { name: { type: 'string' }, courses: { type: 'relation', relation: 'oneToMany', target: COURSE } } },
  [SEO]: { uid: SEO, attributes: { chapter: { type: 'relation', relation: 'oneToOne', target: CHAPTER } } },
  [FILE]: { uid: FILE, attributes: { name: { type: 'string' } } },
};
const getModel = (uid: string) => models[uid];
const gated: GatedFields = new Map([[CHAPTER, new Set(['body', 'video', 'attachments'])]]);

describe('findGatedQueryUse', () => {
  const refused: Array<[string, string, unknown, string]> = [
    ['filter on body', CHAPTER, { filters: { body: { $contains: 'x' } } }, 'filters.body'],
    ['filter through a relation', COURSE, { filters: { chapters: { body: { $contains: 'x' } } } }, 'filters.chapters.body'],
    ['filter in $or', CHAPTER, { filters: { $or: [{ title: 'a' }, { body: { $eq: 'x' } }] } }, 'filters.$or.1.body'],
    ['filter in $not', COURSE, { filters: { chapters: { $not: { body: { $null: true } } } } }, 'filters.chapters.$not.body'],
    ['filter on media', COURSE, { filters: { chapters: { video: { name: { $contains: 'x' } } } } }, 'filters.chapters.video'],
    ['filter via a component', COURSE, { filters: { seo: { chapter: { body: { $eq: 'x' } } } } }, 'filters.seo.chapter.body'],
    ['filter two relations deep', CHAPTER, { filters: { course: { chapters: { body: 'x' } } } }, 'filters.course.chapters.body'],
    ['filter via localizations', CHAPTER, { filters: { localizations: { body: 'x' } } }, 'filters.localizations.body'],
    ['sort string', CHAPTER, { sort: 'title,body:desc' }, 'sort.body'],
    ['sort array', CHAPTER, { sort: ['title:asc', 'body'] }, 'sort.1.body'],
    ['sort object', CHAPTER, { sort: { body: 'asc' } }, 'sort.body'],
    ['sort through a relation (dotted)', COURSE, { sort: 'chapters.body:asc' }, 'sort.chapters.body'],
    ['sort through a relation (object)', COURSE, { sort: [{ chapters: { body: 'asc' } }] }, 'sort.0.chapters.body'],
    ['populate filter', COURSE, { populate: { chapters: { filters: { body: { $contains: 'x' } } } } }, 'populate.chapters.filters.body'],
    ['populate sort', COURSE, { populate: { chapters: { sort: 'body:asc' } } }, 'populate.chapters.sort.body'],
    ['nested populate filter', INSTRUCTOR, { populate: { courses: { populate: { chapters: { filters: { body: 'x' } } } } } }, 'populate.courses.populate.chapters.filters.body'],
    ['populate[*] filter', COURSE, { populate: { '*': { filters: { body: 'x' } } } }, 'populate.*.filters.body'],
    ['dynamic zone fragment', COURSE, { populate: { blocks: { on: { [SEO]: { populate: { chapter: { filters: { body: 'x' } } } } } } } }, `populate.blocks.on.${SEO}.populate.chapter.filters.body`],
    ['_q on chapters', CHAPTER, { _q: 'secret' }, '_q'],
  ];
  for (const [name, uid, query, path] of refused) {
    test(`refuses: ${name}`, () => assert.deepEqual(findGatedQueryUse(uid, query, getModel, gated), { path }));
  }

  const allowed: Array<[string, string, unknown]> = [
    ['public filters and sorts', CHAPTER, { filters: { title: { $containsi: 'x' }, position: { $gt: 1 } }, sort: 'position:asc' }],
    ['selecting gated fields', CHAPTER, { fields: ['body'], populate: ['video', 'attachments'] }],
    ['populate strings', COURSE, { populate: 'chapters.video' }],
    ['populate *', COURSE, { populate: '*' }],
    ['populate with public conditions', COURSE, { populate: { chapters: { filters: { isPreview: true }, sort: ['position'], fields: ['title', 'body'] } } }],
    ['_q on courses', COURSE, { _q: 'react' }],
    ['empty _q', CHAPTER, { _q: '' }],
    ['no query', CHAPTER, undefined],
  ];
  for (const [name, uid, query] of allowed) {
    test(`allows: ${name}`, () => assert.equal(findGatedQueryUse(uid, query, getModel, gated), null));
  }
});

describe('collectEntities', () => {
  test('finds chapters in lists, relations at any depth, components, dynamic zones and morphs', () => {
    const a = { id: 1, title: 'a' };
    const b = { id: 2, title: 'b' };
    const c = { id: 3, title: 'c' };
    const d = { id: 4, title: 'd' };
    const e = { id: 5, title: 'e' };
    const data = [
      { id: 10, chapters: [a, b], instructor: { id: 20, courses: [{ id: 11, chapters: [c] }] } },
      { id: 12, seo: { chapter: d }, blocks: [{ __component: SEO, chapter: e }], related: [{ __type: CHAPTER, id: 6 }] },
      { id: 13, chapters: { count: 3 } },
    ];
    const out: Array<Record<string, unknown>> = [];
    collectEntities(COURSE, data, getModel, CHAPTER, out);
    assert.deepEqual(out.map((x) => x.id).sort(), [1, 2, 3, 4, 5, 6]);
  });

  test('a chapter reached twice is collected once; a cycle does not loop', () => {
    const ch: Record<string, unknown> = { id: 1 };
    const course = { id: 9, chapters: [ch, ch] };
    ch.course = course;
    const out: Array<Record<string, unknown>> = [];
    collectEntities(CHAPTER, ch, getModel, CHAPTER, out);
    assert.equal(out.length, 1);
  });
});
