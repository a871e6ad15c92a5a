/**
 * The shape of a content-API query (`filters`, `sort`, `fields`, `populate`, `pagination` and
 * the scalar parameters), checked against the schema before anything reaches the query engine.
 *
 * Strapi's own validator refuses unknown and private keys, but lets through shapes that its query
 * engine and knex then throw on as plain errors — a 500: `filters[$and]=1`, `$between` with one
 * value, an operator object where a value belongs (`filters[title][$eq][$ne]=x`), text compared
 * with an integer column, a relation filter mixing an id operator with attributes... Other shapes
 * are silently dropped and answer everything (`filters[title][$eq][foo]=x`). Every rule here and
 * in query-filters.ts (the `filters` grammar) is one of those, found by the malformed-query corpus
 * in tests/support/query-corpus.ts; what passes is then validated by Strapi as before.
 *
 * Pure: the schema comes in through `getModel`.
 */

import {
  BOOLEAN_STRINGS,
  FILTERABLE_SCALARS,
  Refusal,
  TRAVERSABLE,
  at,
  attributeOf,
  isRecord,
  isScalar,
  modelName,
  relationTarget,
  show,
  type AttributeView,
  type GetModel,
  type ModelView,
  type QueryParam,
  type ShapeVerdict,
} from './query-shape-kit';
import { checkFilterNode } from './query-filters';

export type { AttributeView, GetModel, ModelView, ShapeVerdict } from './query-shape-kit';

/** Options Strapi reads on a populated relation; the content API refuses the pagination ones. */
const POPULATE_OPTIONS = new Set(['populate', 'fields', 'filters', 'sort', 'on', 'count']);
const PAGINATION_KEYS = new Set(['page', 'pageSize', 'start', 'limit', 'withCount']);

// ---------------------------------------------------------------------------------------------
// sort, fields
// ---------------------------------------------------------------------------------------------

const DIRECTIONS = new Set(['asc', 'desc']);

function sortTarget(model: ModelView, dotted: string, path: string, getModel: GetModel): void {
  const parts = dotted.split('.');
  let current: ModelView | undefined = model;
  parts.forEach((part, i) => {
    if (!current) return;
    const attr = attributeOf(current, part);
    if (!part || !attr) throw new Refusal('sort', path, `${path}: ${modelName(current)} has no attribute ${show(part)}.`);
    const last = i === parts.length - 1;
    if (TRAVERSABLE.has(attr.type)) {
      if (last) throw new Refusal('sort', path, `${path}: ${part} is a relation; sort on one of its attributes (${parts.slice(0, i + 1).join('.')}.<attribute>:asc).`);
      const target = relationTarget(attr);
      current = target ? getModel(target) : undefined;
      if (!current) throw new Refusal('sort', path, `${path}: ${part} cannot be sorted on.`);
    } else if (!last) {
      throw new Refusal('sort', path, `${path}: ${part} has no attributes to sort on.`);
    } else if (!FILTERABLE_SCALARS.has(attr.type)) {
      throw new Refusal('sort', path, `${path}: ${part} (${attr.type}) cannot be sorted on.`);
    }
  });
}

function checkSortString(model: ModelView, sort: string, path: string, getModel: GetModel): void {
  for (const segment of sort.split(',')) {
    if (segment.trim() === '') continue; // a trailing comma: Strapi drops empty segments
    const [field = '', direction = 'asc', ...rest] = segment.split(':').map((s) => s.trim());
    if (rest.length > 0 || !DIRECTIONS.has(direction.toLowerCase())) {
      throw new Refusal('sort', path, `${path}: ${show(segment)} is not attribute:asc or attribute:desc.`);
    }
    if (!field) throw new Refusal('sort', path, `${path}: ${show(segment)} names no attribute.`);
    sortTarget(model, field, path, getModel);
  }
}

function checkSortObject(model: ModelView, sort: Record<string, unknown>, path: string, getModel: GetModel): void {
  if (Object.keys(sort).length === 0) throw new Refusal('sort', path, `${path} names no attribute.`);
  for (const [key, value] of Object.entries(sort)) {
    const here = at(path, key);
    const attr = attributeOf(model, key);
    if (!attr) throw new Refusal('sort', here, `${here}: ${modelName(model)} has no attribute ${key}.`);
    if (TRAVERSABLE.has(attr.type)) {
      const target = relationTarget(attr);
      const targetModel = target ? getModel(target) : undefined;
      if (!isRecord(value) || !targetModel) {
        throw new Refusal('sort', here, `${here}: ${key} is a relation; sort on one of its attributes (${here}[<attribute>]=asc).`);
      }
      checkSortObject(targetModel, value, here, getModel);
      continue;
    }
    if (typeof value !== 'string' || !DIRECTIONS.has(value.trim().toLowerCase())) {
      throw new Refusal('sort', here, `${here} takes asc or desc.`);
    }
    if (!FILTERABLE_SCALARS.has(attr.type)) throw new Refusal('sort', here, `${here}: ${key} (${attr.type}) cannot be sorted on.`);
  }
}

function checkSort(model: ModelView, sort: unknown, path: string, getModel: GetModel): void {
  if (typeof sort === 'string') return checkSortString(model, sort, path, getModel);
  if (Array.isArray(sort)) {
    const strings = sort.every((s) => typeof s === 'string');
    const objects = sort.every(isRecord);
    if (!strings && !objects) {
      throw new Refusal('sort', path, `${path} takes attribute:direction strings (${path}[0]=title:asc) or objects (${path}[0][title]=asc), not ${sort.some(Array.isArray) ? 'nested lists' : 'a mix'}.`);
    }
    sort.forEach((s, i) => (typeof s === 'string' ? checkSortString(model, s, at(path, i), getModel) : checkSortObject(model, s as Record<string, unknown>, at(path, i), getModel)));
    return;
  }
  if (isRecord(sort)) return checkSortObject(model, sort, path, getModel);
  throw new Refusal('sort', path, `${path} takes attribute:asc, a list of them, or ${path}[attribute]=asc.`);
}

function checkFields(fields: unknown, path: string): void {
  if (typeof fields === 'string') return;
  if (Array.isArray(fields) && fields.every((f) => typeof f === 'string')) return;
  throw new Refusal('fields', path, `${path} takes attribute names: ${path}=title,slug or ${path}[0]=title.`);
}

// ---------------------------------------------------------------------------------------------
// populate
// ---------------------------------------------------------------------------------------------

function checkCount(value: unknown, path: string): void {
  if (typeof value === 'boolean' || (typeof value === 'string' && BOOLEAN_STRINGS.has(value))) return;
  throw new Refusal('populate', path, `${path} takes true or false.`);
}

/** The options of one populated attribute: `true`, or `{ populate, fields, filters, sort, on, count }`. */
function checkPopulateOptions(attr: AttributeView | undefined, options: unknown, path: string, getModel: GetModel): void {
  if (typeof options === 'boolean' || (typeof options === 'string' && (BOOLEAN_STRINGS.has(options) || options === '*'))) return;
  if (!isRecord(options)) {
    throw new Refusal('populate', path, `${path} takes true or options (${path}[fields][0]=…, [populate], [filters], [sort]), not ${show(options)}.`);
  }
  const target = attr ? relationTarget(attr) : undefined;
  const targetModel = target ? getModel(target) : undefined;
  for (const [option, value] of Object.entries(options)) {
    const here = at(path, option);
    if (!POPULATE_OPTIONS.has(option)) {
      throw new Refusal('populate', here, `${here}: unknown populate option ${show(option)}; use populate, fields, filters, sort${attr?.type === 'dynamiczone' || (attr?.relation ?? '').startsWith('morphTo') ? ' or on' : ''}.`);
    }
    if (option === 'count') checkCount(value, here);
    else if (option === 'fields') checkFields(value, here);
    else if (option === 'on') {
      if (!isRecord(value)) throw new Refusal('populate', here, `${here} takes one entry per type: ${here}[<type uid>][populate]=….`);
      for (const [uid, sub] of Object.entries(value)) {
        const typeModel = getModel(uid);
        if (!typeModel) throw new Refusal('populate', at(here, uid), `${at(here, uid)}: unknown type ${show(uid)}.`);
        checkPopulateOptions({ type: 'relation', target: uid }, sub, at(here, uid), getModel);
      }
    } else if (targetModel) {
      if (option === 'filters') checkFilterNode(targetModel, value, here, getModel);
      else if (option === 'sort') checkSort(targetModel, value, here, getModel);
      else if (option === 'populate') checkPopulate(targetModel, value, here, getModel);
    }
  }
}

function checkPopulate(model: ModelView, populate: unknown, path: string, getModel: GetModel): void {
  if (populate === null || typeof populate === 'boolean') return;
  if (typeof populate === 'string') return; // names are validated by Strapi
  if (Array.isArray(populate)) {
    if (!populate.every((p) => typeof p === 'string')) {
      throw new Refusal('populate', path, `${path} as a list takes attribute names (${path}[0]=tags), not objects; use ${path}[tags][fields][0]=… for options.`);
    }
    return;
  }
  if (!isRecord(populate)) throw new Refusal('populate', path, `${path} takes attribute names or ${path}[attribute]=true.`);
  for (const [key, options] of Object.entries(populate)) {
    if (/^\d+$/.test(key) && typeof options === 'string' && !BOOLEAN_STRINGS.has(options) && options !== '*') {
      // `populate[0]=tags&populate[chapters][fields][0]=title` parses as one object whose key "0"
      // is no attribute: Strapi would silently populate nothing for it.
      throw new Refusal('populate', at(path, key), `${at(path, key)}=${options} next to named entries makes ${path} an object, where ${key} is no attribute: write ${at(path, options)}=true instead.`);
    }
    const attr = attributeOf(model, key);
    checkPopulateOptions(attr, options, at(path, key), getModel);
  }
}

// ---------------------------------------------------------------------------------------------
// pagination and scalar parameters
// ---------------------------------------------------------------------------------------------

function integerOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

function checkPaging(values: Record<string, unknown>, path: (k: string) => string, param: QueryParam): void {
  const rules: Record<string, [number, string]> = {
    page: [1, 'an integer ≥ 1'],
    pageSize: [1, 'an integer ≥ 1'],
    start: [0, 'an integer ≥ 0'],
    limit: [-1, 'an integer ≥ 1 (or -1: as many as allowed)'],
  };
  for (const [key, [min, what]] of Object.entries(rules)) {
    if (!(key in values) || values[key] === undefined) continue;
    const n = integerOf(values[key]);
    if (n === undefined || n < min || (key === 'limit' && n === 0)) {
      throw new Refusal(param, path(key), `${path(key)} takes ${what}; got ${isScalar(values[key]) ? show(values[key]) : 'an object'}.`);
    }
  }
  const paged = values.page !== undefined || values.pageSize !== undefined;
  const offset = values.start !== undefined || values.limit !== undefined;
  if (paged && offset) {
    throw new Refusal(param, path('page'), `Use either ${path('page')}/${path('pageSize')} or ${path('start')}/${path('limit')}, not both.`);
  }
}

function checkPagination(pagination: unknown): void {
  if (!isRecord(pagination)) throw new Refusal('pagination', 'pagination', 'pagination takes pagination[page], [pageSize], [start], [limit] or [withCount].');
  for (const key of Object.keys(pagination)) {
    if (!PAGINATION_KEYS.has(key)) {
      throw new Refusal('pagination', `pagination[${key}]`, `pagination[${key}]: unknown key; use page, pageSize, start, limit or withCount.`);
    }
  }
  checkPaging(pagination, (k) => `pagination[${k}]`, 'pagination');
  if ('withCount' in pagination) {
    const w = pagination.withCount;
    if (!(typeof w === 'boolean' || (typeof w === 'string' && BOOLEAN_STRINGS.has(w)))) {
      throw new Refusal('pagination', 'pagination[withCount]', 'pagination[withCount] takes true or false.');
    }
  }
}

/**
 * The first malformed part of a content-API query for `model`, with a message that says what is
 * wrong and how to write it; `{ ok: true }` when the shape is sound.
 */
export function checkQueryShape(query: Record<string, unknown>, model: ModelView, getModel: GetModel): ShapeVerdict {
  try {
    const { filters, sort, fields, populate, pagination, _q: search } = query;
    if (filters !== undefined && filters !== null) {
      if (!isRecord(filters) && !Array.isArray(filters)) {
        throw new Refusal('filters', 'filters', 'filters takes conditions: filters[attribute][$eq]=….');
      }
      checkFilterNode(model, filters, 'filters', getModel);
    }
    if (sort !== undefined && sort !== null) checkSort(model, sort, 'sort', getModel);
    if (fields !== undefined && fields !== null) checkFields(fields, 'fields');
    if (populate !== undefined) checkPopulate(model, populate, 'populate', getModel);
    if (pagination !== undefined && pagination !== null) checkPagination(pagination);
    checkPaging(query, (k) => k, 'query');
    if (search !== undefined && search !== null && typeof search !== 'string') throw new Refusal('query', '_q', '_q takes a search text.');
    return { ok: true };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, param: e.param, path: e.path, message: e.message };
    throw e;
  }
}
