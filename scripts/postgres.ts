/**
 * PostgreSQL for the tests and benchmarks: throwaway databases on a server reached through an
 * administrative URL (PROCESSON_TEST_PG_URL, default postgres://processon:processon@127.0.0.1:5432/postgres,
 * a role allowed to CREATE DATABASE), and ensurePostgres(), which makes that server available:
 * when it does not answer and we are root on Debian, it starts the local cluster (pg_ctlcluster,
 * listening on loopback only, Debian's default) and creates the role.
 *
 * `tsx scripts/postgres.ts` runs ensurePostgres() and exits non-zero, with the reason, on failure
 * (`.ci/run` calls it after installing Debian's postgresql package).
 */
import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import fs from 'fs';
import { Client } from 'pg';

export const DEFAULT_PG_URL = 'postgres://processon:processon@127.0.0.1:5432/postgres';

export const pgAdminUrl = (): string => process.env.PROCESSON_TEST_PG_URL || DEFAULT_PG_URL;

/** Runs `fn` with a client on the administrative database, closed afterwards. */
const withAdmin = async <T>(fn: (client: Client) => Promise<T>, url = pgAdminUrl()): Promise<T> => {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
};

/** Null when the server answers a query through `url`, else why not. */
export const pgProblem = async (url = pgAdminUrl()): Promise<string | null> => {
  try {
    await withAdmin((client) => client.query('SELECT 1'), url);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const quoteIdent = (name: string): string => {
  if (!IDENTIFIER.test(name)) throw new Error(`unexpected PostgreSQL identifier "${name}"`);
  return `"${name}"`;
};
const quoteLiteral = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** The DATABASE_* variables of playground/config/database.ts for database `name` on the server of `url`. */
export const strapiDatabaseEnv = (name: string, url = pgAdminUrl()): Record<string, string> => {
  const parsed = new URL(url);
  return {
    DATABASE_CLIENT: 'postgres',
    DATABASE_HOST: parsed.hostname,
    DATABASE_PORT: parsed.port || '5432',
    DATABASE_NAME: name,
    DATABASE_USERNAME: decodeURIComponent(parsed.username),
    DATABASE_PASSWORD: decodeURIComponent(parsed.password),
    DATABASE_SCHEMA: 'public',
    DATABASE_SSL: 'false',
  };
};

export interface PgDatabase {
  name: string;
  /** DATABASE_* variables that point Strapi at this database. */
  env: Record<string, string>;
  /** A connected client on this database (the caller ends it). */
  connect(): Promise<Client>;
  /** Drops the database (closing whatever connection is still open on it). */
  drop(): Promise<void>;
}

/**
 * Creates an empty database, named after `prefix` and this process (processon_<prefix>_<pid>_<random>),
 * so that dropStaleDatabases() can tell the ones whose process died.
 */
export const createDatabase = async (prefix: string): Promise<PgDatabase> => {
  const name = `processon_${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  return {
    name,
    env: strapiDatabaseEnv(name),
    connect: async () => {
      const url = new URL(pgAdminUrl());
      url.pathname = `/${name}`;
      const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
      await client.connect();
      return client;
    },
    drop: () => dropDatabase(name),
  };
};

/**
 * Drops a test database. WITH (FORCE) ends the test's leftover connections; it refuses (42501) when
 * an autovacuum worker happens to be on that database, which plain DROP DATABASE ends by itself:
 * then the plain one, retried while the leftover connections close.
 */
const dropDatabase = async (name: string): Promise<void> => {
  const sql = `DROP DATABASE IF EXISTS ${quoteIdent(name)}`;
  try {
    await withAdmin(async (client) => void (await client.query(`${sql} WITH (FORCE)`)));
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error;
  }
  for (let attempt = 0; ; attempt += 1) {
    try {
      await withAdmin(async (client) => void (await client.query(sql)));
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      await sleep(250);
    }
  }
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Drops the throwaway databases left by processes of this machine that are gone (a crashed run). */
export const dropStaleDatabases = async (): Promise<string[]> =>
  withAdmin(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname ~ '^processon_[a-z]+_[0-9]+_[0-9a-f]{8}$'"
    );
    const stale = rows.map((r) => r.datname).filter((name) => !isAlive(Number(name.split('_').at(-2))));
    for (const name of stale) await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    return stale;
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** As root on Debian: starts every local cluster that is down, then creates the URL's role if missing. */
const startLocalCluster = async (url: string): Promise<void> => {
  if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/pg_lsclusters')) {
    throw new Error('not root on a Debian system with postgresql installed: start PostgreSQL yourself');
  }
  const clusters = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 4);
  if (clusters.length === 0) {
    // The package normally creates a "main" cluster; create it when it did not.
    const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort() : [];
    const version = versions.at(-1);
    if (!version) throw new Error('no PostgreSQL server under /usr/lib/postgresql (is the postgresql package installed?)');
    execFileSync('pg_createcluster', [version, 'main', '--start'], { stdio: 'inherit' });
  }
  for (const [version, name, , status] of clusters) {
    if (status !== 'online') execFileSync('pg_ctlcluster', [version, name, 'start'], { stdio: 'inherit' });
  }
  const parsed = new URL(url);
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  const sql =
    `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${quoteLiteral(user)}) THEN ` +
    `CREATE ROLE ${quoteIdent(user)} LOGIN CREATEDB PASSWORD ${quoteLiteral(password)}; END IF; END $$;`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      execFileSync('runuser', ['-u', 'postgres', '--', 'psql', '-q', '-v', 'ON_ERROR_STOP=1', '-d', 'postgres', '-c', sql], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      await sleep(500);
    }
  }
};

/** Makes the PostgreSQL server of PROCESSON_TEST_PG_URL available; throws with the reason when it cannot. */
export const ensurePostgres = async (): Promise<void> => {
  const url = pgAdminUrl();
  const first = await pgProblem(url);
  if (first === null) return;
  try {
    await startLocalCluster(url);
  } catch (error) {
    throw new Error(`PostgreSQL at ${new URL(url).host} does not answer (${first}), and starting it failed: ${String(error)}`);
  }
  const second = await pgProblem(url);
  if (second !== null) throw new Error(`PostgreSQL at ${new URL(url).host} still does not answer after starting it: ${second}`);
};

if (require.main === module) {
  ensurePostgres()
    .then(async () => {
      const stale = await dropStaleDatabases();
      console.log(`PostgreSQL is available at ${new URL(pgAdminUrl()).host}${stale.length ? ` (dropped ${stale.length} stale test databases)` : ''}`);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    });
}
