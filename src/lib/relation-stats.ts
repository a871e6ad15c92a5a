/**
 * Fan-out statistics of the relations the content API can populate, read from their link tables
 * and kept in memory: what the query budget multiplies before the database runs a request.
 *
 * One statement per relation, `SELECT fanout, COUNT(*) FROM (SELECT parent, COUNT(*) AS fanout
 * FROM <link table> … GROUP BY parent) GROUP BY fanout`, over published rows only (drafts never
 * leave through the content API, so a draft with thousands of links must not make published
 * pages look expensive). Measured on the demo catalogue (`npm run bench:query-budget`): 0.15–1.2
 * ms per relation on SQLite, 0.6–5 ms on PostgreSQL — too much to pay per populated relation on
 * every request (the whole budget costs 10–30 µs of CPU per query with the statistics cached),
 * little once per relation and write. Once cached, a request pays a map look-up. A cached histogram is dropped on every
 * write to either side of its relation in this process, and is at most `ttlMs` old otherwise
 * (writes made by another instance, or by raw SQL).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { fanoutFromHistogram, type Fanout, type RelationInfo } from './query-budget';

interface JoinColumnMeta {
  name: string;
  referencedColumn: string;
}
interface JoinTableMeta {
  name: string;
  joinColumn: JoinColumnMeta;
  inverseJoinColumn?: JoinColumnMeta;
  morphColumn?: { typeColumn: { name: string }; idColumn: { name: string; referencedColumn: string } };
  on?: Record<string, unknown>;
}
interface AttributeMeta {
  type: string;
  relation?: string;
  target?: string;
  morphBy?: string;
  joinTable?: JoinTableMeta;
  joinColumn?: JoinColumnMeta;
  columnName?: string;
}
interface ModelMeta {
  uid: string;
  tableName: string;
  attributes: Record<string, AttributeMeta>;
}

/** How to count one relation's children per parent. */
interface LinkSpec {
  table: string;
  parentColumn: string;
  where: Record<string, unknown>;
  /** Keep only published parents / children (joined on these columns). */
  parent?: { table: string; column: string; published: string };
  child?: { table: string; linkColumn: string; column: string; published: string };
  /** The link lives on the child table itself (e.g. `localizations` by document id). */
  selfPublished?: string;
  /** Models whose writes make the histogram stale. */
  uids: string[];
}

const TO_MANY = new Set(['oneToMany', 'manyToMany', 'morphMany', 'morphToMany']);
const DISTINCT = new Set(['oneToOne', 'oneToMany', 'morphOne', 'morphMany']);

function meta(strapi: Core.Strapi, uid: string): ModelMeta | undefined {
  try {
    return strapi.db.metadata.get(uid) as unknown as ModelMeta;
  } catch {
    return undefined;
  }
}

/** The published-at column of a Draft & Publish model, or undefined when every row is live. */
function publishedColumn(strapi: Core.Strapi, uid: string): string | undefined {
  const model = strapi.getModel(uid as never) as { options?: { draftAndPublish?: boolean } } | undefined;
  if (!model?.options?.draftAndPublish) return undefined;
  return meta(strapi, uid)?.attributes.publishedAt?.columnName ?? 'published_at';
}

/** How an attribute relates, from the database metadata (undefined: not a relation). */
export function relationInfo(strapi: Core.Strapi, uid: string, attribute: string): RelationInfo | undefined {
  const attr = meta(strapi, uid)?.attributes[attribute];
  if (!attr || attr.type !== 'relation' || !attr.relation) return undefined;
  const joinColumnOnly = !attr.joinTable && !!attr.joinColumn && attr.relation === 'oneToMany';
  return {
    toMany: TO_MANY.has(attr.relation),
    // Children found by a shared column (`localizations`) repeat across the parents that share it.
    distinct: DISTINCT.has(attr.relation) && !joinColumnOnly,
    target: attr.target,
  };
}

/** Every relation attribute of a model (what `populate=*` loads). */
export function relationNames(strapi: Core.Strapi, uid: string): string[] {
  const model = meta(strapi, uid);
  return model ? Object.entries(model.attributes).filter(([, a]) => a.type === 'relation').map(([k]) => k) : [];
}

function linkSpec(strapi: Core.Strapi, uid: string, attribute: string): LinkSpec | undefined {
  const source = meta(strapi, uid);
  const attr = source?.attributes[attribute];
  if (!source || !attr || attr.type !== 'relation') return undefined;
  const target = attr.target ? meta(strapi, attr.target) : undefined;
  const parentPublished = publishedColumn(strapi, uid);
  const childPublished = attr.target ? publishedColumn(strapi, attr.target) : undefined;
  const parent = parentPublished ? { table: source.tableName, column: 'id', published: parentPublished } : undefined;

  // Media and other morph relations from the owning side: the link table belongs to the target.
  if ((attr.relation === 'morphMany' || attr.relation === 'morphOne') && target && attr.morphBy) {
    const jt = target.attributes[attr.morphBy]?.joinTable;
    if (!jt?.morphColumn) return undefined;
    return {
      table: jt.name,
      parentColumn: jt.morphColumn.idColumn.name,
      where: { [jt.morphColumn.typeColumn.name]: uid, field: attribute },
      parent: parent && { ...parent, column: jt.morphColumn.idColumn.referencedColumn },
      uids: [uid, target.uid],
    };
  }
  if (attr.joinTable) {
    const jt = attr.joinTable;
    const inverse = jt.inverseJoinColumn;
    return {
      table: jt.name,
      parentColumn: jt.joinColumn.name,
      where: { ...(jt.on ?? {}) },
      parent: parent && { ...parent, column: jt.joinColumn.referencedColumn },
      child: inverse && target && childPublished ? { table: target.tableName, linkColumn: inverse.name, column: inverse.referencedColumn, published: childPublished } : undefined,
      uids: [uid, ...(target ? [target.uid] : [])],
    };
  }
  if (attr.joinColumn && target) {
    return { table: target.tableName, parentColumn: attr.joinColumn.name, where: {}, selfPublished: childPublished, uids: [uid, target.uid] };
  }
  return undefined;
}

async function readHistogram(strapi: Core.Strapi, spec: LinkSpec): Promise<Array<[number, number]>> {
  const db = strapi.db as unknown as { getConnection(table?: string): Knex.QueryBuilder; connection: Knex };
  let inner = db
    .getConnection(`${spec.table} as l`)
    .select(`l.${spec.parentColumn} as parent`)
    .count({ fanout: '*' })
    .whereNotNull(`l.${spec.parentColumn}`)
    .groupBy(`l.${spec.parentColumn}`);
  for (const [column, value] of Object.entries(spec.where)) inner = inner.where(`l.${column}`, value as Knex.Value);
  if (spec.parent) inner = inner.join(`${spec.parent.table} as p`, `p.${spec.parent.column}`, `l.${spec.parentColumn}`).whereNotNull(`p.${spec.parent.published}`);
  if (spec.child) inner = inner.join(`${spec.child.table} as c`, `c.${spec.child.column}`, `l.${spec.child.linkColumn}`).whereNotNull(`c.${spec.child.published}`);
  if (spec.selfPublished) inner = inner.whereNotNull(`l.${spec.selfPublished}`);
  const rows = (await db.connection.select('t.fanout').count({ parents: '*' }).from(inner.as('t')).groupBy('t.fanout')) as Array<{ fanout: unknown; parents: unknown }>;
  return rows.map((r) => [Number(r.fanout), Number(r.parents)]);
}

export interface RelationStats {
  /** Fan-out of `uid.attribute` among published rows. */
  fanout(uid: string, attribute: string): Promise<Fanout>;
  /** Drops what a write to `uid` may have changed. */
  invalidate(uid: string): void;
  /** Statements run so far (tests count them). */
  readonly reads: number;
}

export function createRelationStats(strapi: Core.Strapi, options: { ttlMs: number; now?: () => number }): RelationStats {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; fanout: Fanout; uids: string[] }>();
  const pending = new Map<string, Promise<Fanout>>();
  let generation = 0;
  let reads = 0;

  async function load(key: string, uid: string, attribute: string): Promise<Fanout> {
    const spec = linkSpec(strapi, uid, attribute);
    const started = generation;
    let fanout: Fanout | undefined;
    if (spec) {
      reads += 1;
      try {
        fanout = fanoutFromHistogram(await readHistogram(strapi, spec));
      } catch (error) {
        strapi.log.warn(`query budget: fan-out of ${uid}.${attribute} unreadable (${(error as Error).message}); counting every target row instead.`);
      }
    }
    if (!fanout) {
      // A relation shape this module does not know: every row of the target may be a child.
      const target = meta(strapi, uid)?.attributes[attribute]?.target;
      const rows = target ? Number((await strapi.db.query(target as never).count({})) ?? 0) : 0;
      reads += 1;
      fanout = { max: rows, largest: (n: number) => n * rows };
    }
    // A write during the read may already have made it stale: use it, but do not keep it.
    if (started === generation) cache.set(key, { at: now(), fanout, uids: spec?.uids ?? [uid] });
    return fanout;
  }

  return {
    get reads() {
      return reads;
    },
    async fanout(uid, attribute) {
      const key = `${uid}.${attribute}`;
      const hit = cache.get(key);
      if (hit && now() - hit.at < options.ttlMs) return hit.fanout;
      let p = pending.get(key);
      if (!p) {
        p = load(key, uid, attribute).finally(() => pending.delete(key));
        pending.set(key, p);
      }
      return p;
    },
    invalidate(uid) {
      generation += 1;
      for (const [key, entry] of cache) if (entry.uids.includes(uid)) cache.delete(key);
    },
  };
}
