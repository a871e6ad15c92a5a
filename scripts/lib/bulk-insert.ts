/**
 * Bulk rows for the benchmarks that need hundreds of thousands of them (bench:analytics,
 * bench:behaviour): raw knex inserts by content type, attribute names mapped to columns, one
 * transaction, and optionally one relation link per row. Returns the new row ids in order.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

export async function bulkInsert(
  strapi: Core.Strapi,
  uid: string,
  rows: Array<Record<string, unknown>>,
  link?: { relation: string; targets: number[] }
): Promise<number[]> {
  const knex = strapi.db.connection as unknown as Knex;
  // Imported here, like the benchmarks do, once the app has set its environment up.
  const { modelNames } = await import('../../src/platform');
  const n = modelNames(strapi, uid);
  const mapped = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [n.col(k), v])));
  // SQLite: at most 500 rows in one multi-row INSERT (compound SELECT) and 32766 variables.
  const chunk = Math.min(400, Math.max(1, Math.floor(30_000 / Math.max(1, Object.keys(mapped[0] ?? {}).length)) - 1));
  const ids: number[] = [];
  await knex.transaction(async (trx) => {
    for (let i = 0; i < mapped.length; i += chunk) {
      const inserted = (await trx(n.table).insert(mapped.slice(i, i + chunk)).returning('id')) as Array<{ id: number } | number>;
      for (const x of inserted) ids.push(typeof x === 'number' ? x : Number(x.id));
    }
    if (link) {
      const j = n.join(link.relation);
      const linkRows = ids.map((id, i) => ({ [j.from]: id, [j.to]: link.targets[i] }));
      for (let i = 0; i < linkRows.length; i += 400) await trx(j.table).insert(linkRows.slice(i, i + 400));
    }
  });
  return ids;
}
