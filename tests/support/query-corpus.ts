/**
 * A corpus of malformed content-API query strings, generated systematically per content type:
 * every operator with every wrong operand shape, logical operators given scalars or objects,
 * relation filters with mixed or repeated operators, wrong operand types, broken sort, fields,
 * populate and pagination — at the root and inside populate-level and nested relation filters.
 * Each entry must be answered 4xx with a message (never 5xx, never 200).
 */

export interface CorpusType {
  /** Route segment: `/api/<plural>`. */
  plural: string;
  /** A string attribute of the type. */
  text: string;
  /** An integer attribute, when the type has one. */
  number?: string;
  /** A boolean attribute, when the type has one. */
  boolean?: string;
  /** A relation and a string attribute of its target (populate-level and nested filters). */
  relation: { name: string; text: string };
}

export interface CorpusEntry {
  label: string;
  url: string;
}

/** The catalogue's content types, as the corpus sees them. */
export const CATALOGUE_TYPES: CorpusType[] = [
  { plural: 'courses', text: 'title', number: 'price', relation: { name: 'chapters', text: 'title' } },
  { plural: 'courses', text: 'slug', relation: { name: 'category', text: 'name' } },
  { plural: 'chapters', text: 'title', number: 'position', boolean: 'isPreview', relation: { name: 'course', text: 'title' } },
  { plural: 'tags', text: 'name', relation: { name: 'courses', text: 'title' } },
  { plural: 'categories', text: 'name', relation: { name: 'courses', text: 'slug' } },
  { plural: 'instructors', text: 'name', relation: { name: 'courses', text: 'title' } },
  { plural: 'plans', text: 'name', number: 'price', boolean: 'allAccess', relation: { name: 'courses', text: 'title' } },
];

const COMPARISON = ['$eq', '$ne', '$eqi', '$nei', '$gt', '$gte', '$lt', '$lte', '$contains', '$notContains', '$containsi', '$notContainsi', '$startsWith', '$startsWithi', '$endsWith', '$endsWithi'];

/**
 * Malformed conditions on one attribute `a` of a filter object at `base` (e.g. `filters`). With
 * `rotate` (slot i of n), only every n-th comparison operator: across the n places a filter can
 * sit, each operator still appears once, and the root (no rotation) has them all.
 */
function attributeConditions(base: string, a: string, rotate?: [number, number]): Array<[string, string]> {
  const at = `${base}[${a}]`;
  const out: Array<[string, string]> = [];
  const ops = rotate ? COMPARISON.filter((_, i) => i % rotate[1] === rotate[0]) : COMPARISON;
  for (const op of ops) {
    out.push([`${op} given an operator object`, `${at}[${op}][$ne]=x`]);
    out.push([`${op} given an object`, `${at}[${op}][foo]=x`]);
  }
  out.push(['$between given a scalar', `${at}[$between]=a`]);
  out.push(['$between given one value', `${at}[$between][0]=a`]);
  out.push(['$between given three values', `${at}[$between][0]=a&${at}[$between][1]=b&${at}[$between][2]=c`]);
  out.push(['$between given an operator object', `${at}[$between][$eq]=a`]);
  for (const op of ['$in', '$notIn']) {
    out.push([`${op} given an object`, `${at}[${op}][a]=x`]);
    out.push([`${op} given nested operators`, `${at}[${op}][0][$eq]=x`]);
  }
  out.push(['$null given a non-boolean', `${at}[$null]=maybe`]);
  out.push(['$null given an object', `${at}[$null][$eq]=true`]);
  out.push(['$notNull given a non-boolean', `${at}[$notNull]=maybe`]);
  out.push(['$notNull given an array', `${at}[$notNull][0]=true`]);
  out.push(['$and at attribute level', `${at}[$and][0]=x`]);
  out.push(['$or at attribute level', `${at}[$or][0][$eq]=x`]);
  out.push(['$not wrapping a logical operator', `${at}[$not][$and]=1`]);
  out.push(['$not given an array of objects', `${at}[$not][0][foo]=x`]);
  out.push(['an internal operator', `${at}[$jsonSupersetOf]=x`]);
  out.push(['an unknown operator', `${at}[$like]=x`]);
  out.push(['an operator in the wrong case', `${at}[$EQ]=x`]);
  return out;
}

/** Malformed logical structure of a filter object at `base` (`relation`: a relation filter, where `$not=<id>` is valid). */
function logicalConditions(base: string, a: string, relation = false): Array<[string, string]> {
  const out: Array<[string, string]> = [
    ['$and given a scalar', `${base}[$and]=1`],
    ['$or given a scalar', `${base}[$or]=1`],
    ['$and given scalars', `${base}[$and][0]=x`],
    ['$or given scalars', `${base}[$or][0]=x`],
    ['$or given an object, not an array', `${base}[$or][a][${a}]=x`],
    ['$and given nested scalars', `${base}[$and][0][$or]=1`],
    ['$not given scalars', `${base}[$not][0]=x`],
    ['an unknown attribute', `${base}[nope][$eq]=x`],
    ['an unknown attribute inside $or', `${base}[$or][0][nope]=x`],
  ];
  if (!relation) out.push(['$not given a scalar', `${base}[$not]=1`]);
  return out;
}

function filterEntries(t: CorpusType): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const rel = t.relation;
  const bases: Array<[string, string, string, boolean]> = [
    ['filters', 'filters', t.text, false],
    ['inside $and', 'filters[$and][0]', t.text, false],
    ['inside $or', 'filters[$or][1]', t.text, false],
    ['inside $not', 'filters[$not]', t.text, false],
    [`nested ${rel.name} filter`, `filters[${rel.name}]`, rel.text, true],
    [`populate[${rel.name}] filter`, `populate[${rel.name}][filters]`, rel.text, false],
  ];
  bases.forEach(([where, base, a, relation], i) => {
    const rotate: [number, number] | undefined = i === 0 ? undefined : [i - 1, bases.length - 1];
    for (const [label, q] of [...logicalConditions(base, a, relation), ...attributeConditions(base, a, rotate)]) out.push([`${where}: ${label}`, q]);
  });
  out.push(['filters: a scalar', 'filters=1']);
  out.push(['filters: an array of scalars', 'filters[0]=x']);
  out.push(['filters: an array holding an array of scalars', 'filters[0][0]=x']);
  out.push(['id given a non-integer', 'filters[id][$eq]=abc']);
  out.push(['id in non-integers', 'filters[id][$in][0]=abc']);
  out.push([`${rel.name} (relation) given a non-integer id`, `filters[${rel.name}][$eq]=abc`]);
  out.push([`${rel.name} (relation) in non-integer ids`, `filters[${rel.name}][$in][0]=abc`]);
  out.push([`${rel.name} (relation) operator mixed with attributes`, `filters[${rel.name}][$eq]=1&filters[${rel.name}][${rel.text}]=x`]);
  out.push([`${rel.name} (relation) with two operators`, `filters[${rel.name}][$eq]=1&filters[${rel.name}][$ne]=2`]);
  out.push([`${rel.name} (relation) $in given nested operators`, `filters[${rel.name}][$in][0][$eq]=1`]);
  out.push([`${rel.name} (relation) $between given a scalar`, `filters[${rel.name}][$between]=1`]);
  if (t.number) {
    const n = t.number;
    out.push([`${n} (integer) given text`, `filters[${n}][$eq]=abc`]);
    out.push([`${n} (integer) $gt given text`, `filters[${n}][$gt]=abc`]);
    out.push([`${n} (integer) given a fraction`, `filters[${n}][$eq]=1.5`]);
    out.push([`${n} (integer) $in given text`, `filters[${n}][$in][0]=1&filters[${n}][$in][1]=abc`]);
    out.push([`${n} (integer) $between given text`, `filters[${n}][$between][0]=a&filters[${n}][$between][1]=b`]);
    out.push([`${n} (integer) $contains`, `filters[${n}][$contains]=5`]);
    out.push([`${n} (integer) $startsWith`, `filters[${n}][$startsWith]=5`]);
  }
  if (t.boolean) {
    out.push([`${t.boolean} (boolean) given a non-boolean`, `filters[${t.boolean}][$eq]=maybe`]);
    out.push([`${t.boolean} (boolean) $in given a non-boolean`, `filters[${t.boolean}][$in][0]=maybe`]);
  }
  out.push(['createdAt (datetime) given a non-date', 'filters[createdAt][$gt]=notadate']);
  out.push(['createdAt (datetime) $between given a non-date', 'filters[createdAt][$between][0]=2020-01-01&filters[createdAt][$between][1]=later']);
  return out;
}

function otherEntries(t: CorpusType): Array<[string, string]> {
  const { text: a, relation: rel } = t;
  return [
    ['sort: an unknown direction', `sort=${a}:sideways`],
    ['sort: an unknown direction (object)', `sort[${a}]=up`],
    ['sort: an unknown direction (array of objects)', `sort[0][${a}]=up`],
    ['sort: an unknown attribute', 'sort=nope:asc'],
    ['sort: an empty field', 'sort=:asc'],
    ['sort: a scalar attribute given an object', `sort[${a}][x]=asc`],
    ['sort: an operator', 'sort[$and]=asc'],
    ['sort: a nested array', 'sort[0][0]=x'],
    ['sort: a relation without a field', `sort=${rel.name}:asc`],
    ['sort: a relation given a direction (object)', `sort[${rel.name}]=asc`],
    ['sort: an unknown attribute of a relation', `sort=${rel.name}.nope:asc`],
    ['fields: an object', `fields[${a}]=1`],
    ['fields: an array of objects', 'fields[0][a]=b'],
    ['fields: an unknown attribute', 'fields=nope'],
    ['fields: a relation', `fields[0]=${rel.name}`],
    ['fields: an operator', 'fields[0]=$eq'],
    ['populate: an unknown attribute', 'populate=nope'],
    ['populate: a scalar attribute', `populate=${a}`],
    ['populate: an unknown attribute of a relation', `populate=${rel.name}.nope`],
    ['populate: a non-boolean value', `populate[${rel.name}]=maybe`],
    ['populate: an array of objects', `populate[0][${rel.name}]=true`],
    ['populate: an unknown option', `populate[${rel.name}][foo]=bar`],
    ['populate: nested populate given a non-boolean', `populate[${rel.name}][populate]=maybe`],
    ['populate: nested populate array of objects', `populate[${rel.name}][populate][0][x]=y`],
    ['populate: unknown nested fields', `populate[${rel.name}][fields]=nope`],
    ['populate: nested fields as objects', `populate[${rel.name}][fields][0][a]=b`],
    ['populate: nested sort direction', `populate[${rel.name}][sort]=${rel.text}:up`],
    ['populate: nested filters given a scalar', `populate[${rel.name}][filters]=1`],
    ['populate: nested limit given text', `populate[${rel.name}][limit]=x`],
    ['populate: nested start negative', `populate[${rel.name}][start]=-1`],
    ['populate: nested page zero', `populate[${rel.name}][page]=0`],
    ['populate: nested pageSize given text', `populate[${rel.name}][pageSize]=x`],
    ['populate: nested page and limit mixed', `populate[${rel.name}][page]=1&populate[${rel.name}][limit]=2`],
    ['populate: fragment on a plain relation', `populate[${rel.name}][on][x]=y`],
    ['populate: count given a non-boolean', `populate[${rel.name}][count]=maybe`],
    ['pagination: page zero', 'pagination[page]=0'],
    ['pagination: page negative', 'pagination[page]=-1'],
    ['pagination: page given text', 'pagination[page]=abc'],
    ['pagination: page given a fraction', 'pagination[page]=1.5'],
    ['pagination: pageSize zero', 'pagination[pageSize]=0'],
    ['pagination: pageSize negative', 'pagination[pageSize]=-5'],
    ['pagination: pageSize given text', 'pagination[pageSize]=abc'],
    ['pagination: start negative', 'pagination[start]=-1'],
    ['pagination: start given text', 'pagination[start]=abc'],
    ['pagination: limit given text', 'pagination[limit]=abc'],
    ['pagination: limit below -1', 'pagination[limit]=-2'],
    ['pagination: page and limit mixed', 'pagination[page]=1&pagination[limit]=5'],
    ['pagination: withCount given a non-boolean', 'pagination[withCount]=maybe'],
    ['pagination: a scalar', 'pagination=1'],
    ['pagination: an object page', 'pagination[page][x]=1'],
    ['pagination: an unknown key', 'pagination[foo]=1'],
    ['start given text', 'start=abc'],
    ['limit given text', 'limit=abc'],
    ['_q given an object', '_q[a]=b'],
    ['locale given an object', 'locale[a]=en'],
  ];
}

/** Every malformed query of the corpus, for every catalogue type. */
export function malformedCorpus(types: CorpusType[] = CATALOGUE_TYPES): CorpusEntry[] {
  const seen = new Set<string>();
  const out: CorpusEntry[] = [];
  for (const t of types) {
    for (const [label, q] of [...filterEntries(t), ...otherEntries(t)]) {
      const url = `/api/${t.plural}?${q}`;
      if (seen.has(url)) continue;
      seen.add(url);
      out.push({ label: `${t.plural} ${label}`, url });
    }
  }
  return out;
}
