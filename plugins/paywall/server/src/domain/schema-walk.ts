/**
 * Schema-guided walks used by the gate, pure (the schema lookup is a parameter):
 * - `collectEntities`: every object of a given content type anywhere in a response (lists, single
 *   entries, relations populated at any depth, components, dynamic zones, media, morphs);
 * - `findGatedQueryUse`: the first place where a query's `filters`, `sort` (top level, through
 *   relations, inside `populate[...]`) or `_q` touches a gated field, so that it can be refused.
 */
import { FILE_UID } from '@kp/platform';

export interface AttributeLike {
  type: string;
  target?: string;
  component?: string;
  components?: string[];
  relation?: string;
}
export interface ModelLike {
  uid: string;
  attributes: Record<string, AttributeLike>;
}
export type GetModel = (uid: string) => ModelLike | undefined;
/** Gated attribute names per content type UID. */
export type GatedFields = ReadonlyMap<string, ReadonlySet<string>>;

/** The model an attribute leads to, for a value found under it (morph items carry `__type`). */
function targetOf(attr: AttributeLike, item: unknown): string | undefined {
  switch (attr.type) {
    case 'relation':
      if (attr.target) return attr.target;
      // Morph relations: each populated item names its type.
      return typeof item === 'object' && item !== null && typeof (item as { __type?: unknown }).__type === 'string'
        ? ((item as { __type: string }).__type)
        : undefined;
    case 'media':
      return FILE_UID;
    case 'component':
      return attr.component;
    case 'dynamiczone':
      return typeof item === 'object' && item !== null && typeof (item as { __component?: unknown }).__component === 'string'
        ? (item as { __component: string }).__component
        : undefined;
    default:
      return undefined;
  }
}

function isCountResult(o: Record<string, unknown>): boolean {
  const keys = Object.keys(o);
  return keys.length === 1 && keys[0] === 'count' && typeof o.count === 'number';
}

/**
 * Pushes onto `out` every object of type `wanted` reachable from `data` (of type `rootUid`).
 * Each object is visited once, so a cycle in hand-built data cannot loop.
 */
export function collectEntities(
  rootUid: string,
  data: unknown,
  getModel: GetModel,
  wanted: string,
  out: Array<Record<string, unknown>>,
  seen: Set<object> = new Set()
): void {
  walkEntities(rootUid, data, getModel, (uid, entity) => {
    if (uid === wanted) out.push(entity);
  }, seen);
}

/**
 * Every object of each `wanted` type reachable from `data`, in one walk: `out.get(uid)` lists
 * them in the order met (parents before what they hold).
 */
export function collectEntitiesByType(
  rootUid: string,
  data: unknown,
  getModel: GetModel,
  wanted: ReadonlySet<string>
): Map<string, Array<Record<string, unknown>>> {
  const out = new Map<string, Array<Record<string, unknown>>>();
  for (const uid of wanted) out.set(uid, []);
  walkEntities(rootUid, data, getModel, (uid, entity) => {
    out.get(uid)?.push(entity);
  }, new Set());
  return out;
}

function walkEntities(
  rootUid: string,
  data: unknown,
  getModel: GetModel,
  visit: (uid: string, entity: Record<string, unknown>) => void,
  seen: Set<object>
): void {
  if (data === null || typeof data !== 'object') return;
  if (Array.isArray(data)) {
    for (const item of data) walkEntities(rootUid, item, getModel, visit, seen);
    return;
  }
  if (seen.has(data)) return;
  seen.add(data);
  const entity = data as Record<string, unknown>;
  // `populate[rel][count]=true` answers `{ count: n }` in place of the relation: not an entity.
  if (isCountResult(entity)) return;
  visit(rootUid, entity);
  const model = getModel(rootUid);
  if (!model) return;
  // Only the attributes that can hold entities (relations, media, components, dynamic zones),
  // not every key of every object: this walk runs on every content-API response.
  for (const [key, attr] of traversableAttributes(model)) {
    const value = entity[key];
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (const item of value) {
        const target = targetOf(attr, item);
        if (target) walkEntities(target, item, getModel, visit, seen);
      }
    } else {
      const target = targetOf(attr, value);
      if (target) walkEntities(target, value, getModel, visit, seen);
    }
  }
}

const TRAVERSABLE_TYPES = new Set(['relation', 'media', 'component', 'dynamiczone']);
const traversableCache = new WeakMap<ModelLike, Array<[string, AttributeLike]>>();

function traversableAttributes(model: ModelLike): Array<[string, AttributeLike]> {
  let list = traversableCache.get(model);
  if (!list) {
    list = Object.entries(model.attributes).filter(([, a]) => TRAVERSABLE_TYPES.has(a.type));
    traversableCache.set(model, list);
  }
  return list;
}

const LOGICAL = new Set(['$and', '$or']);

/** The model a relation, media or component attribute leads to (morphs and dynamic zones: none). */
function staticTarget(attr: AttributeLike): string | undefined {
  if (attr.type === 'relation') return attr.target;
  if (attr.type === 'media') return FILE_UID;
  if (attr.type === 'component') return attr.component;
  return undefined;
}

export interface GatedUse {
  /** Dotted path of the offending parameter, e.g. `filters.chapters.body`. */
  path: string;
}

function isGated(gated: GatedFields, uid: string, key: string): boolean {
  return gated.get(uid)?.has(key) ?? false;
}

/** Whether any gated field is reachable from `uid` at all (so that `_q` on it would search it). */
function hasSearchableGated(gated: GatedFields, uid: string): boolean {
  return (gated.get(uid)?.size ?? 0) > 0;
}

function walkFilters(uid: string, filters: unknown, getModel: GetModel, gated: GatedFields, path: string): GatedUse | null {
  if (filters === null || typeof filters !== 'object') return null;
  if (Array.isArray(filters)) {
    for (const [i, f] of filters.entries()) {
      const hit = walkFilters(uid, f, getModel, gated, `${path}.${i}`);
      if (hit) return hit;
    }
    return null;
  }
  const model = getModel(uid);
  for (const [key, value] of Object.entries(filters as Record<string, unknown>)) {
    const here = `${path}.${key}`;
    if (LOGICAL.has(key) || key === '$not') {
      const hit = walkFilters(uid, value, getModel, gated, here);
      if (hit) return hit;
      continue;
    }
    if (key.startsWith('$')) {
      // An operator applied at entity level: its operand may itself hold conditions.
      const hit = walkFilters(uid, value, getModel, gated, here);
      if (hit) return hit;
      continue;
    }
    if (isGated(gated, uid, key)) return { path: here };
    const attr = model?.attributes[key];
    if (!attr) continue;
    const target = staticTarget(attr);
    if (target) {
      const hit = walkFilters(target, value, getModel, gated, here);
      if (hit) return hit;
    }
  }
  return null;
}

function walkSortPath(uid: string, dotted: string, getModel: GetModel, gated: GatedFields, path: string): GatedUse | null {
  const field = dotted.split(':')[0]?.trim() ?? '';
  let current: string | undefined = uid;
  for (const part of field.split('.')) {
    if (!current) return null;
    if (isGated(gated, current, part)) return { path: `${path}.${field}` };
    const attr: AttributeLike | undefined = getModel(current)?.attributes[part];
    current = attr ? staticTarget(attr) : undefined;
  }
  return null;
}

function walkSort(uid: string, sort: unknown, getModel: GetModel, gated: GatedFields, path: string): GatedUse | null {
  if (typeof sort === 'string') {
    for (const part of sort.split(',')) {
      const hit = walkSortPath(uid, part, getModel, gated, path);
      if (hit) return hit;
    }
    return null;
  }
  if (Array.isArray(sort)) {
    for (const [i, s] of sort.entries()) {
      const hit = walkSort(uid, s, getModel, gated, `${path}.${i}`);
      if (hit) return hit;
    }
    return null;
  }
  if (sort === null || typeof sort !== 'object') return null;
  const model = getModel(uid);
  for (const [key, value] of Object.entries(sort as Record<string, unknown>)) {
    const here = `${path}.${key}`;
    if (isGated(gated, uid, key)) return { path: here };
    const attr = model?.attributes[key];
    const target = attr ? staticTarget(attr) : undefined;
    if (target && value !== null && typeof value === 'object') {
      const hit = walkSort(target, value, getModel, gated, here);
      if (hit) return hit;
    }
  }
  return null;
}

function walkPopulateEntry(uid: string, entry: unknown, getModel: GetModel, gated: GatedFields, path: string): GatedUse | null {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return null;
  const e = entry as Record<string, unknown>;
  if ('filters' in e) {
    const hit = walkFilters(uid, e.filters, getModel, gated, `${path}.filters`);
    if (hit) return hit;
  }
  if ('sort' in e) {
    const hit = walkSort(uid, e.sort, getModel, gated, `${path}.sort`);
    if (hit) return hit;
  }
  if ('populate' in e) {
    const hit = walkPopulate(uid, e.populate, getModel, gated, `${path}.populate`);
    if (hit) return hit;
  }
  if (e.on && typeof e.on === 'object') {
    for (const [componentUid, sub] of Object.entries(e.on as Record<string, unknown>)) {
      const hit = walkPopulateEntry(componentUid, sub, getModel, gated, `${path}.on.${componentUid}`);
      if (hit) return hit;
    }
  }
  return null;
}

function walkPopulate(uid: string, populate: unknown, getModel: GetModel, gated: GatedFields, path: string): GatedUse | null {
  // String and array forms name relations only: populating a gated field is allowed (the output
  // gate strips it); only conditions and orderings can leak.
  if (populate === null || typeof populate !== 'object' || Array.isArray(populate)) return null;
  const model = getModel(uid);
  for (const [key, value] of Object.entries(populate as Record<string, unknown>)) {
    const here = `${path}.${key}`;
    if (key === 'on' && value && typeof value === 'object') {
      for (const [componentUid, sub] of Object.entries(value as Record<string, unknown>)) {
        const hit = walkPopulateEntry(componentUid, sub, getModel, gated, `${here}.${componentUid}`);
        if (hit) return hit;
      }
      continue;
    }
    const attr = model?.attributes[key];
    if (!attr) {
      // `populate[*][...]` and other shapes without a named attribute: conditions there apply to
      // every relation, so check them against every target this model has.
      if (value && typeof value === 'object' && model) {
        for (const a of Object.values(model.attributes)) {
          const t = staticTarget(a);
          if (!t) continue;
          const hit = walkPopulateEntry(t, value, getModel, gated, here);
          if (hit) return hit;
        }
      }
      continue;
    }
    if (attr.type === 'dynamiczone') {
      const hit = walkPopulateEntry(uid, value, getModel, gated, here); // `on` inside is handled there
      if (hit) return hit;
      continue;
    }
    const target = staticTarget(attr);
    if (target) {
      const hit = walkPopulateEntry(target, value, getModel, gated, here);
      if (hit) return hit;
    }
  }
  return null;
}

/**
 * The first use of a gated field as a condition or an ordering in a content-API query on
 * `rootUid`, or null. Selecting gated fields (`fields`, `populate`) is not a use: the output gate
 * decides what comes back.
 */
export function findGatedQueryUse(rootUid: string, query: unknown, getModel: GetModel, gated: GatedFields): GatedUse | null {
  if (query === null || typeof query !== 'object') return null;
  const q = query as Record<string, unknown>;
  // `_q` searches every string column of the root type, gated rich text included.
  if (q._q !== undefined && q._q !== '' && hasSearchableGated(gated, rootUid)) return { path: '_q' };
  return (
    walkFilters(rootUid, q.filters, getModel, gated, 'filters') ??
    walkSort(rootUid, q.sort, getModel, gated, 'sort') ??
    walkPopulate(rootUid, q.populate, getModel, gated, 'populate')
  );
}
