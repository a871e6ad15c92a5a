/**
 * The SQL vocabulary of the reports: quoted (and schema-qualified) names from Strapi's metadata,
 * instants bound as each database stores them, and the bucket of a timestamp computed in SQL —
 * on PostgreSQL with `date_trunc` in the report's zone, on SQLite (no time zone support) with the
 * bucket boundaries the domain computed, as a CASE over the stored epoch milliseconds.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { isPostgres, modelNames, qualifiedTable, rawConnection } from '@kp/platform';
import type { ResolvedPeriod } from '../domain/periods';

export type Binding = string | number | Date | boolean | null;

/** A fragment of SQL with its bindings. */
export interface Sql {
  text: string;
  values: Binding[];
}

export const sql = (text: string, values: Binding[] = []): Sql => ({ text, values });

export function join(parts: readonly Sql[], separator: string): Sql {
  return { text: parts.map((p) => p.text).join(separator), values: parts.flatMap((p) => p.values) };
}

export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A content type's names, quoted for raw SQL. */
export interface Names {
  /** The table, schema-qualified. */
  table: string;
  col(attribute: string): string;
  join(relation: string): { table: string; from: string; to: string };
}

export class Db {
  readonly pg: boolean;
  constructor(readonly strapi: Core.Strapi) {
    this.pg = isPostgres(strapi);
  }

  get knex(): Knex {
    return rawConnection(this.strapi);
  }

  private table(name: string): string {
    return qualifiedTable(this.strapi, name)
      .split('.')
      .map(ident)
      .join('.');
  }

  names(uid: string): Names {
    const n = modelNames(this.strapi, uid);
    return {
      table: this.table(n.table),
      col: (a) => ident(n.col(a)),
      join: (r) => {
        const j = n.join(r);
        return { table: this.table(j.table), from: ident(j.from), to: ident(j.to) };
      },
    };
  }

  /** An instant as the database compares it: a Date on PostgreSQL, epoch ms on SQLite. */
  at(instant: Date): Binding {
    return this.pg ? instant : instant.getTime();
  }

  /** `expr >= from AND expr < to`. */
  within(expr: string, from: Date, to: Date): Sql {
    return sql(`${expr} >= ? AND ${expr} < ?`, [this.at(from), this.at(to)]);
  }

  /** The bucket key of a timestamp expression (NULL outside the period). */
  bucket(expr: string, period: ResolvedPeriod): Sql {
    if (this.pg) {
      const unit = period.granularity;
      const format = unit === 'month' ? 'YYYY-MM' : 'YYYY-MM-DD';
      return sql(`to_char(date_trunc('${unit}', (${expr} AT TIME ZONE 'UTC') AT TIME ZONE ?), '${format}')`, [period.timeZone]);
    }
    const whens = period.buckets.map((b) => `WHEN ${expr} < ${b.end.getTime()} THEN '${b.key}'`).join(' ');
    return sql(`CASE WHEN ${expr} < ${period.from.getTime()} THEN NULL ${whens} ELSE NULL END`);
  }

  /** Milliseconds between two timestamp expressions. */
  durationMs(later: string, earlier: string): string {
    return this.pg ? `(EXTRACT(EPOCH FROM (${later} - ${earlier})) * 1000)` : `(${later} - ${earlier})`;
  }

  /** `expr IN (…)`, or a false condition for an empty list. */
  inList(expr: string, values: readonly (string | number)[]): Sql {
    if (values.length === 0) return sql('1 = 0');
    return sql(`${expr} IN (${values.map(() => '?').join(', ')})`, [...values]);
  }

  async rows<T = Record<string, unknown>>(query: Sql): Promise<T[]> {
    const result = await this.knex.raw(query.text, query.values as Knex.RawBinding[]);
    return (this.pg ? (result as { rows: T[] }).rows : (result as T[])) ?? [];
  }
}

/** A number from a driver value (PostgreSQL answers bigint and numeric as strings). */
export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
