import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

interface Migration {
  up(knex: Knex): Promise<void>;
}

/**
 * Strapi runs `database/migrations` once, before its schema sync: on a fresh database the tables
 * do not exist yet, so a migration that adds an index to a content type's table has nothing to
 * act on, and is then recorded as done. Our migrations are idempotent DDL (`IF NOT EXISTS`), so
 * after every sync we apply them again: an existing database gets them through Strapi's runner,
 * a fresh one right after its tables are created. One definition of each constraint, in one place.
 */
export function registerConstraintMigrations(strapi: Core.Strapi): void {
  strapi.hook('strapi::content-types.afterSync').register(async () => {
    const dir = strapi.dirs.dist.root ? path.join(strapi.dirs.dist.root, 'database', 'migrations') : '';
    if (!dir || !fs.existsSync(dir)) return;
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.js'))
      .sort();
    const knex = strapi.db.connection;
    for (const file of files) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const migration = require(path.join(dir, file)) as Partial<Migration>;
      if (typeof migration.up === 'function') await migration.up(knex);
    }
  });
}
