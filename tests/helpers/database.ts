/**
 * The throwaway database of a test Strapi. PROCESSON_TEST_DATABASE chooses the engine: `sqlite`
 * (default: a file in a temporary folder) or `postgres` (a fresh database on the server of
 * PROCESSON_TEST_PG_URL, see scripts/postgres.ts). Either way it is gone after drop().
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { createDatabase } from '../../scripts/postgres';

export type TestDatabaseKind = 'sqlite' | 'postgres';

export interface TestDatabase {
  kind: TestDatabaseKind;
  /** The DATABASE_* variables of playground/config/database.ts. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export const testDatabaseKind = (): TestDatabaseKind => {
  const kind = process.env.PROCESSON_TEST_DATABASE || 'sqlite';
  if (kind !== 'sqlite' && kind !== 'postgres') throw new Error(`PROCESSON_TEST_DATABASE must be sqlite or postgres, not "${kind}"`);
  return kind;
};

export const createTestDatabase = async (kind: TestDatabaseKind = testDatabaseKind()): Promise<TestDatabase> => {
  if (kind === 'postgres') {
    const db = await createDatabase('it');
    return { kind, env: db.env, drop: db.drop };
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'processon-it-'));
  return {
    kind,
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(tmp, 'data.db') },
    drop: async () => fs.rmSync(tmp, { recursive: true, force: true }),
  };
};
