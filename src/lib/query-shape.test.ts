import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkQueryShape, type ModelView } from './query-shape';

const COURSE = 'api::course.course';
const CHAPTER = 'api::chapter.chapter';
const TAG = 'api::tag.tag';
const FILE = 'plugin::upload.file';

const models: Record<string, ModelView> = {
  [COURSE]: {
    uid: COURSE,
    attributes: {
      title: { type: 'string' },
      slug: { type: 'uid' },
      price: { type: 'integer' },
      level: { type: 'enumeration' },
      createdAt: { type: 'datetime' },
      cover: { type: 'media' },
      tags: { type: 'relation', relation: 'manyToMany', target: TAG },
      chapters: { type: 'relation', relation: 'oneToMany', target: CHAPTER },
      meta: { type: 'json' },
      owner: { type: 'relation', relation: 'oneToOne', target: TAG, private: true },
    },
  },
  [CHAPTER]: {
    uid: CHAPTER,
    attributes: {
      title: { type: 'string' },
      position: { type: 'integer' },
      isPreview: { type: 'boolean' },
      startsAt: { type: 'time' },
      course: { type: 'relation', relation: 'manyToOne', target: COURSE },
      attachments: { type: 'media' },
    },
  },
  [TAG]: { uid: TAG, attributes: { name: { type: 'string' }, slug: { type: 'uid' }, courses: { type: 'relation', relation: 'manyToMany', target: COURSE } } },
  [FILE]: { uid: FILE, attributes: { url: { type: 'string' }, size: { type: 'decimal' } } },
};
const getModel = (uid: string) => models[uid];
const check = (query: Record<string, unknown>, uid = COURSE) => checkQueryShape(query, models[uid]!, getModel);

describe('checkQueryShape: what clients send today passes', () => {
  const valid: Array<[string, Record<string, unknown>, string?]> = [
    ['empty', {}],
    ['storefront catalogue page', {
      locale: 'en',
      fields: ['title', 'slug', 'price'],
      populate: { cover: { fields: ['url'] }, tags: { fields: ['name', 'slug'] } },
      filters: { $and: [{ $or: [{ title: { $containsi: 'py' } }, { slug: { $containsi: 'py' } }] }, { tags: { slug: { $eq: 'python' } } }, { level: { $eq: 'beginner' } }] },
      sort: 'title:asc',
      pagination: { page: '1', pageSize: '12' },
    }],
    ['storefront course page', { filters: { slug: { $eq: 'x' } }, populate: { chapters: { fields: ['title', 'position'], sort: ['position:asc'] } }, pagination: { page: '1', pageSize: '1' } }],
    ['documentId $in a list', { filters: { documentId: { $in: ['a', 'b'] } }, pagination: { pageSize: '100' } }],
    ['implicit equality and null', { filters: { title: 'x', slug: null } }],
    ['a list means any of', { filters: { title: ['a', 'b'] } }],
    ['$eq given a list', { filters: { title: { $eq: ['a', 'b'] } } }],
    ['$in given one value', { filters: { title: { $in: 'a' } } }],
    ['$between two numbers', { filters: { price: { $between: ['1', '10'] } } }],
    ['$null true, $notNull absent value', { filters: { title: { $null: 'true' }, slug: { $notNull: null } } }],
    ['$not on an attribute', { filters: { title: { $not: { $eq: 'x' } } } }],
    ['$not at the root', { filters: { $not: { title: { $contains: 'x' } } } }],
    ['case-insensitive text operators on a number', { filters: { price: { $containsi: '9' } } }],
    ['negative and zero integers', { filters: { price: { $gte: '0', $lt: '-1' } } }],
    ['datetime as ISO and as timestamp', { filters: { createdAt: { $gt: '2026-01-01T00:00:00Z', $lt: '1767225600000' } } }],
    ['relation by id, list of ids, id operators', { filters: { chapters: '3', tags: ['1', '2'], cover: { $null: 'true' } } }],
    ['relation $in ids', { filters: { tags: { $in: ['1', '2'] } } }],
    ['relation $not an id', { filters: { tags: { $not: '3' } } }],
    ['relation $or of conditions', { filters: { tags: { $or: [{ slug: 'a' }, { name: 'b' }] } } }],
    ['nested relation attributes', { filters: { chapters: { course: { title: { $eq: 'x' } } } } }],
    ['filters as a list', { filters: [{ title: 'a' }, { slug: 'b' }] }],
    ['empty $or branch', { filters: { $or: [{}, { title: 'a' }] } }],
    ['boolean operands', { filters: { isPreview: { $eq: 't' } } }, CHAPTER],
    ['time operand', { filters: { startsAt: { $gt: '09:30:00' } } }, CHAPTER],
    ['sort forms', { sort: ['title:desc', 'price'] }],
    ['sort trailing comma', { sort: 'title:asc,' }],
    ['sort on a relation attribute', { sort: 'tags.name:ASC' }],
    ['sort objects', { sort: [{ title: 'asc' }, { tags: { name: 'desc' } }] }],
    ['fields as a string', { fields: 'title,slug' }],
    ['populate * and names', { populate: '*' }],
    ['populate dotted paths', { populate: ['chapters.course', 'tags'] }],
    ['populate object with nested forms', { populate: { chapters: { populate: '*', filters: { isPreview: { $eq: 'true' } }, sort: 'position', count: 'false' }, tags: 'true', cover: true } }],
    ['populate count', { populate: { chapters: { count: 'true' } } }],
    ['populate unknown attributes are Strapi’s to refuse', { populate: { nope: { filters: { whatever: 1 } } } }],
    ['pagination offset and -1', { pagination: { start: '0', limit: '-1', withCount: 'false' } }],
    ['top-level start/limit', { start: '10', limit: '5' }],
    ['search', { _q: 'python' }],
  ];
  for (const [label, query, uid] of valid) {
    test(label, () => assert.deepEqual(check(query, uid), { ok: true }));
  }
});

describe('checkQueryShape: malformed shapes are refused with what to write', () => {
  const malformed: Array<[string, Record<string, unknown>, string, RegExp, string?]> = [
    ['$and given a scalar', { filters: { $and: '1' } }, 'filters[$and]', /takes a list of conditions/],
    ['$or given scalars', { filters: { $or: ['x'] } }, 'filters[$or][0]', /must hold conditions/],
    ['$or given an object (qs past 100 entries)', { filters: { $or: { 101: { title: 'x' } } } }, 'filters[$or]', /at most 100/],
    ['$not given a scalar', { filters: { $not: '1' } }, 'filters[$not]', /takes conditions/],
    ['an attribute operator at the root', { filters: { $eq: 'x' } }, 'filters[$eq]', /applies to an attribute/],
    ['an operator object as a value', { filters: { title: { $eq: { $ne: 'x' } } } }, 'filters[title][$eq]', /not an object/],
    ['an object as a value (silently dropped by Strapi)', { filters: { title: { $gt: { foo: 'x' } } } }, 'filters[title][$gt]', /not an object/],
    ['$between one value', { filters: { title: { $between: 'a' } } }, 'filters[title][$between]', /exactly two values/],
    ['$between three values', { filters: { price: { $between: ['1', '2', '3'] } } }, 'filters[price][$between]', /exactly two/],
    ['$in an object', { filters: { title: { $in: { a: 'x' } } } }, 'filters[title][$in]', /list of values/],
    ['$in nested operators', { filters: { title: { $in: [{ $eq: 'x' }] } } }, 'filters[title][$in][0]', /takes a value/],
    ['$null not a boolean', { filters: { title: { $null: 'maybe' } } }, 'filters[title][$null]', /true or false/],
    ['$and on an attribute', { filters: { title: { $and: ['x'] } } }, 'filters[title][$and]', /combines whole conditions/],
    ['an internal operator', { filters: { title: { $jsonSupersetOf: 'x' } } }, 'filters[title][$jsonSupersetOf]', /not available/],
    ['an unknown operator', { filters: { title: { $like: 'x' } } }, 'filters[title][$like]', /unknown operator \$like/],
    ['a key under a scalar attribute', { filters: { title: { foo: 'x' } } }, 'filters[title][foo]', /no attributes of its own/],
    ['an unknown attribute', { filters: { nope: 'x' } }, 'filters[nope]', /course has no attribute nope/],
    ['a json attribute', { filters: { meta: 'x' } }, 'filters[meta]', /cannot be filtered/],
    ['a private relation reads as unknown', { filters: { owner: { nope: 'x' } } }, 'filters[owner]', /course has no attribute owner/],
    ['sort on a private relation reads as unknown', { sort: 'owner.name' }, 'sort', /has no attribute "owner"/],
    ['text in an integer', { filters: { price: { $gt: 'abc' } } }, 'filters[price][$gt]', /price is an integer; "abc" is not/],
    ['text in a decimal', { filters: { size: 'abc' } }, 'filters[size]', /size is a number/, FILE],
    ['a fraction in an integer', { filters: { price: '1.5' } }, 'filters[price]', /is an integer/],
    ['an empty number', { filters: { price: { $eq: '' } } }, 'filters[price][$eq]', /is an integer/],
    ['case-sensitive LIKE on a number', { filters: { price: { $contains: '5' } } }, 'filters[price][$contains]', /matches text/],
    ['a non-boolean', { filters: { isPreview: 'maybe' } }, 'filters[isPreview]', /true or false/, CHAPTER],
    ['a non-date', { filters: { createdAt: { $gt: 'later' } } }, 'filters[createdAt][$gt]', /is a date/],
    ['a non-time', { filters: { startsAt: '9h' } }, 'filters[startsAt]', /is a time/, CHAPTER],
    ['id given text', { filters: { id: { $eq: 'abc' } } }, 'filters[id][$eq]', /is an integer/],
    ['a relation given a non-integer id', { filters: { tags: 'abc' } }, 'filters[tags]', /is an integer/],
    ['a relation mixing an operator and attributes', { filters: { tags: { $eq: '1', slug: 'x' } } }, 'filters[tags]', /not both/],
    ['a relation with two operators', { filters: { tags: { $eq: '1', $ne: '2' } } }, 'filters[tags]', /one operator at a time/],
    ['a relation $not with conditions', { filters: { tags: { $not: { slug: 'x' } } } }, 'filters[tags][$not]', /negates ids only/],
    ['a relation text operator', { filters: { tags: { $contains: '1' } } }, 'filters[tags][$contains]', /unknown operator/],
    ['deep inside $or and a relation', { filters: { $or: [{ chapters: { course: { title: { $between: 'a' } } } }] } }, 'filters[$or][0][chapters][course][title][$between]', /exactly two/],
    ['filters a scalar', { filters: '1' }, 'filters', /takes conditions/],
    ['filters a list of scalars', { filters: ['x'] }, 'filters[0]', /must hold conditions/],
    ['sort unknown direction', { sort: 'title:sideways' }, 'sort', /attribute:asc or attribute:desc/],
    ['sort a relation', { sort: 'tags:asc' }, 'sort', /is a relation/],
    ['sort unknown attribute', { sort: ['nope'] }, 'sort[0]', /has no attribute "nope"/],
    ['sort an empty field', { sort: ':asc' }, 'sort', /names no attribute/],
    ['sort object on a scalar', { sort: { title: { x: 'asc' } } }, 'sort[title]', /asc or desc/],
    ['sort object relation with a direction', { sort: { tags: 'asc' } }, 'sort[tags]', /is a relation/],
    ['sort nested lists', { sort: [['x']] }, 'sort', /not nested lists/],
    ['fields an object', { fields: { title: '1' } }, 'fields', /attribute names/],
    ['populate a list of objects', { populate: [{ chapters: 'true' }] }, 'populate', /not objects/],
    ['populate a non-boolean', { populate: { chapters: 'maybe' } }, 'populate[chapters]', /takes true or options/],
    ['populate unknown option', { populate: { chapters: { limit: '5' } } }, 'populate[chapters][limit]', /unknown populate option/],
    ['populate mixed list and names', { populate: { 0: 'tags', chapters: { fields: ['title'] } } }, 'populate[0]', /write populate\[tags\]=true/],
    ['populate nested filters malformed', { populate: { chapters: { filters: { $and: '1' } } } }, 'populate[chapters][filters][$and]', /list of conditions/],
    ['populate nested sort malformed', { populate: { tags: { sort: 'name:up' } } }, 'populate[tags][sort]', /attribute:asc/],
    ['populate nested populate malformed', { populate: { chapters: { populate: { course: { filters: { price: 'x' } } } } } }, 'populate[chapters][populate][course][filters][price]', /is an integer/],
    ['populate count not a boolean', { populate: { chapters: { count: 'maybe' } } }, 'populate[chapters][count]', /true or false/],
    ['populate fragment of an unknown type', { populate: { chapters: { on: { x: 'y' } } } }, 'populate[chapters][on][x]', /unknown type/],
    ['pagination page zero', { pagination: { page: '0' } }, 'pagination[page]', /integer ≥ 1/],
    ['pagination pageSize text', { pagination: { pageSize: 'abc' } }, 'pagination[pageSize]', /integer ≥ 1/],
    ['pagination start negative', { pagination: { start: '-1' } }, 'pagination[start]', /integer ≥ 0/],
    ['pagination limit below -1', { pagination: { limit: '-2' } }, 'pagination[limit]', /-1/],
    ['pagination mixed', { pagination: { page: '1', limit: '5' } }, 'pagination[page]', /not both/],
    ['pagination unknown key', { pagination: { foo: '1' } }, 'pagination[foo]', /unknown key/],
    ['pagination a scalar', { pagination: '1' }, 'pagination', /takes pagination\[page\]/],
    ['pagination withCount', { pagination: { withCount: 'maybe' } }, 'pagination[withCount]', /true or false/],
    ['top-level limit text', { limit: 'abc' }, 'limit', /integer/],
    ['_q an object', { _q: { a: 'b' } }, '_q', /search text/],
  ];
  for (const [label, query, path, message, uid] of malformed) {
    test(label, () => {
      const verdict = check(query, uid);
      assert.equal(verdict.ok, false, `${label} passed`);
      if (verdict.ok) return;
      assert.equal(verdict.path, path);
      assert.match(verdict.message, message);
    });
  }
});
