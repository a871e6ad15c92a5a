/**
 * What the query-shape checks share: the schema view they read, the refusal they throw, and the
 * attribute and operator families of Strapi 5.54's query engine (@strapi/database where.js).
 */

export interface AttributeView {
  type: string;
  target?: string;
  component?: string;
  relation?: string;
  private?: boolean;
}
export interface ModelView {
  uid: string;
  attributes: Record<string, AttributeView>;
}
export type GetModel = (uid: string) => ModelView | undefined;

export type QueryParam = 'filters' | 'sort' | 'fields' | 'populate' | 'pagination' | 'query';
export type ShapeVerdict = { ok: true } | { ok: false; param: QueryParam; path: string; message: string };

export const FILE_UID = 'plugin::upload.file';

export const COMPARISON_OPERATORS = ['$eq', '$ne', '$eqi', '$nei', '$gt', '$gte', '$lt', '$lte'];
export const TEXT_OPERATORS = ['$contains', '$notContains', '$containsi', '$notContainsi', '$startsWith', '$startsWithi', '$endsWith', '$endsWithi'];
export const LIST_OPERATORS = ['$in', '$notIn'];
export const NULL_OPERATORS = ['$null', '$notNull'];
/** What an attribute accepts, in the order a message lists them. */
export const ATTRIBUTE_OPERATORS = [...COMPARISON_OPERATORS, ...LIST_OPERATORS, '$between', ...NULL_OPERATORS, ...TEXT_OPERATORS, '$not'];
/** On a relation, an operator compares ids (`filters[category][$in][0]=3`). */
export const RELATION_ID_OPERATORS = ['$eq', '$ne', '$in', '$notIn', '$gt', '$gte', '$lt', '$lte', '$between', '$null', '$notNull', '$not'];
export const GROUP_OPERATORS = ['$and', '$or'];
/** Operators the query engine knows but reserves for internal use. */
export const INTERNAL_OPERATORS = ['$jsonSupersetOf'];

export const NUMBER_TYPES = new Set(['integer', 'biginteger', 'float', 'decimal', 'increments']);
export const INTEGER_TYPES = new Set(['integer', 'biginteger', 'increments']);
export const DATE_TYPES = new Set(['date', 'datetime', 'timestamp']);
/** Case-sensitive LIKE works on text columns only: PostgreSQL has no `integer LIKE text`. */
export const TEXT_TYPES = new Set(['string', 'text', 'richtext', 'uid', 'email', 'enumeration', 'blocks']);
/** Types the query engine filters and sorts on as columns. `json`, `password`: not through the API. */
export const FILTERABLE_SCALARS = new Set([...NUMBER_TYPES, ...DATE_TYPES, ...TEXT_TYPES, 'time', 'boolean']);
export const TRAVERSABLE = new Set(['relation', 'media', 'component']);

export const BOOLEAN_STRINGS = new Set(['true', 'false', 't', 'f', '1', '0']);
export const TIME = /^(2[0-3]|[01][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]{1,3})?$/;

/** Thrown inside the walk, turned into a ShapeVerdict at its entry point. */
export class Refusal {
  constructor(
    readonly param: QueryParam,
    readonly path: string,
    readonly message: string
  ) {}
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isScalar = (v: unknown): v is string | number | boolean | null => v === null || ['string', 'number', 'boolean'].includes(typeof v);
export const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
/** `filters` + `title` → `filters[title]`: paths in messages read like the query string. */
export const at = (path: string, key: string | number) => `${path}[${key}]`;

/** The model a relation, media or component attribute leads to. */
export function relationTarget(attr: AttributeView): string | undefined {
  if (attr.type === 'media') return FILE_UID;
  if (attr.type === 'component') return attr.component;
  if (attr.type === 'relation') return attr.target;
  return undefined;
}

/**
 * An attribute of the model; `id` and `documentId` exist on every content type. Private ones are
 * answered as unknown: a message must not tell a caller what lies behind them.
 */
export function attributeOf(model: ModelView, key: string): AttributeView | undefined {
  if (key === 'id') return { type: 'increments' };
  if (key === 'documentId') return { type: 'string' };
  const attr = Object.prototype.hasOwnProperty.call(model.attributes, key) ? model.attributes[key] : undefined;
  return attr?.private ? undefined : attr;
}

export function modelName(model: ModelView): string {
  return model.uid.split('.').pop() ?? model.uid;
}
