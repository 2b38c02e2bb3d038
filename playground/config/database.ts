import path from 'path';
import type { Core } from '@strapi/strapi';

type Client = 'sqlite' | 'postgres' | 'mysql';

/**
 * The database is chosen by env exactly as in the `config/database.ts` that create-strapi-app
 * generates: DATABASE_CLIENT (sqlite by default, postgres, mysql), DATABASE_URL or
 * DATABASE_HOST/PORT/NAME/USERNAME/PASSWORD, DATABASE_SCHEMA (postgres), DATABASE_SSL and its
 * DATABASE_SSL_* options, DATABASE_POOL_MIN/MAX, DATABASE_CONNECTION_TIMEOUT. One difference:
 * DATABASE_FILENAME may also be absolute (the tests put their SQLite files in a temporary folder).
 * The playground installs the drivers of SQLite (better-sqlite3) and PostgreSQL (pg), the two
 * databases the tests run on; MySQL would need `mysql2` added.
 */
const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Database => {
  const requested = env('DATABASE_CLIENT', 'sqlite');
  if (requested !== 'sqlite' && requested !== 'postgres' && requested !== 'mysql') {
    throw new Error(`DATABASE_CLIENT must be sqlite, postgres or mysql, not "${requested}"`);
  }
  const client: Client = requested;
  const ssl = env.bool('DATABASE_SSL', false) && {
    key: env('DATABASE_SSL_KEY', undefined),
    cert: env('DATABASE_SSL_CERT', undefined),
    ca: env('DATABASE_SSL_CA', undefined),
    capath: env('DATABASE_SSL_CAPATH', undefined),
    cipher: env('DATABASE_SSL_CIPHER', undefined),
    rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true),
  };
  const pool = { min: env.int('DATABASE_POOL_MIN', 2), max: env.int('DATABASE_POOL_MAX', 10) };
  // This file runs from dist/config/ once compiled: the app root is two folders up.
  const appRoot = path.join(__dirname, '..', '..');

  const connections: Record<Client, () => Core.Config.Database['connection']> = {
    mysql: () => ({
      client: 'mysql',
      connection: {
        host: env('DATABASE_HOST', 'localhost'),
        port: env.int('DATABASE_PORT', 3306),
        database: env('DATABASE_NAME', 'strapi'),
        user: env('DATABASE_USERNAME', 'strapi'),
        password: env('DATABASE_PASSWORD', 'strapi'),
        ssl,
      },
      pool,
    }),
    postgres: () => ({
      client: 'postgres',
      connection: {
        connectionString: env('DATABASE_URL'),
        host: env('DATABASE_HOST', 'localhost'),
        port: env.int('DATABASE_PORT', 5432),
        database: env('DATABASE_NAME', 'strapi'),
        user: env('DATABASE_USERNAME', 'strapi'),
        password: env('DATABASE_PASSWORD', 'strapi'),
        ssl,
        schema: env('DATABASE_SCHEMA', 'public'),
      },
      pool,
    }),
    sqlite: () => ({
      client: 'sqlite',
      connection: { filename: path.resolve(appRoot, env('DATABASE_FILENAME', '.tmp/data.db')) },
      useNullAsDefault: true,
    }),
  };

  return {
    connection: {
      ...connections[client](),
      acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 60000),
    },
  };
};

export default config;
