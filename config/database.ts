import path from 'path';
import type { Core } from '@strapi/strapi';

/**
 * SQLite in `.tmp/` by default; PostgreSQL with DATABASE_CLIENT=postgres and DATABASE_URL or the
 * DATABASE_* parts. `path.resolve` (not `join`) so that absolute paths work, and `:memory:` passes.
 */
const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Database => {
  const client = env('DATABASE_CLIENT', 'sqlite');
  const pool = { min: env.int('DATABASE_POOL_MIN', 2), max: env.int('DATABASE_POOL_MAX', 10) };
  const settings = { useTypescriptMigrations: true, forceMigration: true, runMigrations: true };
  const acquireConnectionTimeout = env.int('DATABASE_CONNECTION_TIMEOUT', 60000);

  if (client === 'postgres') {
    const url = env('DATABASE_URL', '');
    const ssl = env.bool('DATABASE_SSL', false)
      ? { rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true) }
      : false;
    return {
      connection: {
        client: 'postgres',
        connection: {
          // node-postgres lets connectionString win over the parts when both are given.
          connectionString: url || undefined,
          host: env('DATABASE_HOST', '127.0.0.1'),
          port: env.int('DATABASE_PORT', 5432),
          database: env('DATABASE_NAME', 'strapi'),
          user: env('DATABASE_USERNAME', 'postgres'),
          password: env('DATABASE_PASSWORD', ''),
          ssl,
          schema: env('DATABASE_SCHEMA', 'public'),
        },
        pool,
        acquireConnectionTimeout,
      },
      settings,
    };
  }

  if (client !== 'sqlite') {
    throw new Error(`Unsupported DATABASE_CLIENT "${client}": use "sqlite" (default) or "postgres".`);
  }

  const filename = env('DATABASE_FILENAME', '.tmp/data.db');
  return {
    connection: {
      client: 'sqlite',
      connection: {
        filename: filename === ':memory:' ? filename : path.resolve(process.cwd(), filename),
      },
      useNullAsDefault: true,
      acquireConnectionTimeout,
    },
    settings,
  };
};

export default config;
