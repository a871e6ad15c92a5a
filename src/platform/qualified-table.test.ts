/** `qualifiedTable`: raw knex table names in the connection's PostgreSQL schema. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Core } from '@strapi/strapi';
import { qualifiedTable } from './db';

const strapiWith = (schema: string | undefined) => ({ db: { getSchemaName: () => schema } }) as unknown as Core.Strapi;

test('qualifiedTable', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'recommender_interactions'], // SQLite: no schema
    ['public', 'recommender_interactions'], // PostgreSQL's default schema: on the search path
    ['tenant_a', 'tenant_a.recommender_interactions'],
  ];
  for (const [schema, expected] of cases) assert.equal(qualifiedTable(strapiWith(schema), 'recommender_interactions'), expected, String(schema));
});
