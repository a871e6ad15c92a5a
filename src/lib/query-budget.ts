/**
 * The cost budget of one content-API query, as pure functions:
 * - `populateDepth`: relation levels a `populate` asks for, in every form Strapi reads (`a.b.c`,
 *   lists, `*`, `true`, objects with nested `populate`, `on` fragments);
 * - `filterRelations`: relations crossed by a query's `filters` and `sort` — each one is a join,
 *   and joins through to-many relations multiply the rows the database scans;
 * - `populateTree` + `estimateEntities`: an upper bound of the entries a response can hold,
 *   computed before the database runs the query, from link-table statistics.
 *
 * Why a bound computed beforehand: Strapi paginates the top level only; every populated to-many
 * relation comes back whole, level after level, and is then copied per parent, transformed and
 * sanitised in the one Node thread. A response inspected afterwards has already cost what it
 * costs (40 s and ~1 GB for one chain of tags → courses → chapters → course → tags → courses,
 * while `/_health` waited). The bound multiplies, level by level, how many parents there can be
 * by how many children each can have — the sum of the largest fan-outs when the parents are
 * distinct rows, the largest fan-out times the parents otherwise — so it costs a few map look-ups
 * per request once the statistics are cached, and it never lets through a response above it.
 */

export interface RelationInfo {
  /** Can a parent have more than one entry through this relation? */
  toMany: boolean;
  /** Does each child belong to at most one parent (oneToMany, oneToOne)? Then distinct parents have distinct children. */
  distinct: boolean;
  /** Target model (undefined for polymorphic relations). */
  target?: string;
}
/** How a model's attribute relates, or undefined when it is not a relation. */
export type RelationOf = (uid: string, attribute: string) => RelationInfo | undefined;
/** Every populatable attribute of a model (what `*` and `true` populate). */
export type RelationsOf = (uid: string) => string[];

export interface PopulateNode {
  uid: string;
  attribute: string;
  relation: RelationInfo;
  /** `populate[x][count]=true`: a number comes back, not entries. */
  countOnly: boolean;
  children: PopulateNode[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const TRUE = new Set(['true', 't', '1', '*']);
const FALSE = new Set(['false', 'f', '0', '']);

// ---------------------------------------------------------------------------------------------
// depth
// ---------------------------------------------------------------------------------------------

function pathDepth(dotted: string): number {
  return dotted
    .split('.')
    .map((s) => s.trim())
    .filter((s) => s !== '').length;
}

function optionsDepth(options: Record<string, unknown>): number {
  let depth = populateDepth(options.populate);
  if (isRecord(options.on)) {
    for (const sub of Object.values(options.on)) if (isRecord(sub)) depth = Math.max(depth, optionsDepth(sub));
  }
  return depth;
}

/** Relation levels a `populate` parameter asks for: `*` and `true` are one level, `a.b.c` three. */
export function populateDepth(populate: unknown): number {
  if (populate === undefined || populate === null || populate === false) return 0;
  if (populate === true) return 1;
  if (typeof populate === 'string') {
    if (FALSE.has(populate.trim())) return 0;
    return populate.split(',').reduce((m, p) => Math.max(m, pathDepth(p)), 0);
  }
  if (Array.isArray(populate)) return populate.reduce((m: number, p: unknown) => Math.max(m, populateDepth(p)), 0);
  if (!isRecord(populate)) return 0;
  let depth = 0;
  for (const [key, value] of Object.entries(populate)) {
    const own = Math.max(1, pathDepth(key));
    if (value === false || (typeof value === 'string' && FALSE.has(value.trim()))) continue;
    depth = Math.max(depth, isRecord(value) ? own + optionsDepth(value) : own);
  }
  return depth;
}

// ---------------------------------------------------------------------------------------------
// relations crossed by filters and sort
// ---------------------------------------------------------------------------------------------

/** Relations crossed by a `filters` value: every relation key is a join, in `$or` branches too. */
export function filterRelations(filters: unknown, uid: string, relationOf: RelationOf): number {
  if (Array.isArray(filters)) return filters.reduce<number>((n, f) => n + filterRelations(f, uid, relationOf), 0);
  if (!isRecord(filters)) return 0;
  let n = 0;
  for (const [key, value] of Object.entries(filters)) {
    if (key === '$and' || key === '$or' || key === '$not') {
      n += filterRelations(value, uid, relationOf);
      continue;
    }
    if (key.startsWith('$')) continue;
    const rel = relationOf(uid, key);
    if (!rel) continue;
    n += 1 + (rel.target ? filterRelations(value, rel.target, relationOf) : 0);
  }
  return n;
}

/** Relations crossed by a `sort` value (`tags.name:asc`, `[tags][name]=asc`, lists of either). */
export function sortRelations(sort: unknown, uid: string, relationOf: RelationOf): number {
  if (typeof sort === 'string') {
    let n = 0;
    for (const segment of sort.split(',')) {
      let current: string | undefined = uid;
      for (const part of (segment.split(':')[0] ?? '').trim().split('.')) {
        const rel: RelationInfo | undefined = current ? relationOf(current, part) : undefined;
        if (!rel) break;
        n += 1;
        current = rel.target;
      }
    }
    return n;
  }
  if (Array.isArray(sort)) return sort.reduce<number>((n, s) => n + sortRelations(s, uid, relationOf), 0);
  if (!isRecord(sort)) return 0;
  let n = 0;
  for (const [key, value] of Object.entries(sort)) {
    const rel = relationOf(uid, key);
    if (rel && isRecord(value)) n += 1 + (rel.target ? sortRelations(value, rel.target, relationOf) : 0);
  }
  return n;
}

/**
 * The most relations any one database query of this request crosses in its filters and sort: the
 * top-level query, and each populated relation's own query (`populate[x][filters]…`).
 */
export function maxQueryRelations(query: Record<string, unknown>, uid: string, relationOf: RelationOf): number {
  let max = filterRelations(query.filters, uid, relationOf) + sortRelations(query.sort, uid, relationOf);
  const visit = (populate: unknown, at: string) => {
    if (!isRecord(populate)) return;
    for (const [key, options] of Object.entries(populate)) {
      if (!isRecord(options)) continue;
      const rel = relationOf(at, key);
      const targets = rel?.target ? [rel.target] : isRecord(options.on) ? Object.keys(options.on) : [];
      for (const target of targets) {
        const o = rel?.target ? options : (options.on as Record<string, unknown>)[target];
        if (!isRecord(o)) continue;
        max = Math.max(max, filterRelations(o.filters, target, relationOf) + sortRelations(o.sort, target, relationOf));
        visit(o.populate, target);
      }
    }
  };
  visit(query.populate, uid);
  return max;
}

// ---------------------------------------------------------------------------------------------
// populate tree and entity bound
// ---------------------------------------------------------------------------------------------

function addPath(nodes: PopulateNode[], uid: string, parts: string[], relationOf: RelationOf, relationsOf: RelationsOf): void {
  const [head, ...rest] = parts;
  if (head === undefined) return;
  const names = head === '*' ? relationsOf(uid) : [head];
  for (const name of names) {
    const relation = relationOf(uid, name);
    if (!relation) continue;
    let node = nodes.find((n) => n.attribute === name && n.uid === uid);
    if (!node) {
      node = { uid, attribute: name, relation, countOnly: false, children: [] };
      nodes.push(node);
    }
    if (rest.length > 0 && relation.target) addPath(node.children, relation.target, rest, relationOf, relationsOf);
  }
}

/**
 * The relations a `populate` value makes the database load, as a tree. Attributes that are not
 * relations (or unknown) are left out: they cost nothing here and Strapi's validator refuses
 * unknown ones.
 */
export function populateTree(populate: unknown, uid: string, relationOf: RelationOf, relationsOf: RelationsOf): PopulateNode[] {
  const nodes: PopulateNode[] = [];
  if (populate === undefined || populate === null || populate === false) return nodes;
  if (populate === true) {
    addPath(nodes, uid, ['*'], relationOf, relationsOf);
    return nodes;
  }
  if (typeof populate === 'string' || Array.isArray(populate)) {
    const list = typeof populate === 'string' ? [populate] : populate;
    for (const item of list) {
      if (typeof item !== 'string') continue;
      for (const path of item.split(',')) {
        const trimmed = path.trim();
        if (FALSE.has(trimmed)) continue;
        addPath(nodes, uid, trimmed === 'true' ? ['*'] : trimmed.split('.').map((s) => s.trim()), relationOf, relationsOf);
      }
    }
    return nodes;
  }
  if (!isRecord(populate)) return nodes;
  for (const [key, value] of Object.entries(populate)) {
    if (value === false || (typeof value === 'string' && FALSE.has(value.trim()))) continue;
    const parts = key.split('.').map((s) => s.trim());
    if (parts.length > 1 || !isRecord(value)) {
      addPath(nodes, uid, parts, relationOf, relationsOf);
      continue;
    }
    const relation = relationOf(uid, key);
    if (!relation) continue;
    const count = value.count;
    const node: PopulateNode = {
      uid,
      attribute: key,
      relation,
      countOnly: count === true || (typeof count === 'string' && TRUE.has(count) && count !== '*'),
      children: [],
    };
    if (relation.target) for (const child of populateTree(value.populate, relation.target, relationOf, relationsOf)) node.children.push(child);
    if (isRecord(value.on)) {
      for (const [type, sub] of Object.entries(value.on)) {
        if (isRecord(sub)) for (const child of populateTree(sub.populate, type, relationOf, relationsOf)) node.children.push(child);
      }
    }
    nodes.push(node);
  }
  return nodes;
}

/** How many children the parents of one relation can have, from its link table. */
export interface Fanout {
  /** The sum of the `n` largest fan-outs (distinct parents). */
  largest(n: number): number;
  /** The largest fan-out (parents that may repeat). */
  max: number;
}

/**
 * Fan-out statistics from a histogram `[fanout, parentsWithThatFanout][]` (any order): what
 * `SELECT fanout, COUNT(*) FROM (SELECT parent, COUNT(*) AS fanout … GROUP BY parent) GROUP BY fanout`
 * answers.
 */
export function fanoutFromHistogram(histogram: Array<[number, number]>): Fanout {
  const sorted = [...histogram].filter(([f, c]) => f > 0 && c > 0).sort((a, b) => b[0] - a[0]);
  return {
    max: sorted[0]?.[0] ?? 0,
    largest(n: number): number {
      let left = n;
      let sum = 0;
      for (const [fanout, parents] of sorted) {
        if (left <= 0) break;
        const take = Math.min(left, parents);
        sum += take * fanout;
        left -= take;
      }
      return sum;
    },
  };
}

/** Every to-many node of a tree (those the bound needs statistics for). */
export function toManyNodes(nodes: PopulateNode[], out: PopulateNode[] = []): PopulateNode[] {
  for (const node of nodes) {
    if (node.countOnly) continue;
    if (node.relation.toMany) out.push(node);
    toManyNodes(node.children, out);
  }
  return out;
}

/**
 * An upper bound of the entries a response holds: `roots` top-level entries, plus every populated
 * entry at every level. Stops counting past `stopAbove` (the answer is then only "more than that").
 */
export function estimateEntities(roots: number, nodes: PopulateNode[], fanoutOf: (node: PopulateNode) => Fanout, stopAbove = Infinity): number {
  let total = roots;
  const visit = (node: PopulateNode, parents: number, parentsDistinct: boolean) => {
    if (total > stopAbove || node.countOnly || parents === 0) return;
    let here: number;
    if (!node.relation.toMany) here = parents;
    else {
      const fanout = fanoutOf(node);
      here = parentsDistinct ? fanout.largest(parents) : parents * fanout.max;
    }
    total += here;
    const distinct = parentsDistinct && node.relation.distinct;
    for (const child of node.children) visit(child, here, distinct);
  };
  for (const node of nodes) visit(node, roots, true);
  return total;
}
