/**
 * Boots the playground Strapi in-process on a throwaway database, for integration tests: a SQLite
 * file by default, a fresh PostgreSQL database when PROCESSON_TEST_DATABASE=postgres (see
 * ./database.ts). Needs the plugin built and the playground compiled (`npm run build:all --
 * --no-admin`); `npm test` does both, and runs the integration suite on both databases.
 */
import fs from 'fs';
import path from 'path';
import request from 'supertest';
import { createStrapi, type Core } from '@strapi/strapi';
import { createTestDatabase, type TestDatabase } from './database';

export { createTestDatabase, testDatabaseKind, type TestDatabase } from './database';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const appDir = path.join(repoRoot, 'playground');

export interface TestApp {
  strapi: Core.Strapi;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/** The environment of a test Strapi (secrets are throwaway). */
export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  APP_KEYS: 'test-key-1,test-key-2',
  API_TOKEN_SALT: 'test-api-token-salt',
  ADMIN_JWT_SECRET: 'test-admin-jwt-secret',
  TRANSFER_TOKEN_SALT: 'test-transfer-token-salt',
  JWT_SECRET: 'test-jwt-secret',
  ENCRYPTION_KEY: 'test-encryption-key',
  ADMIN_RATE_LIMIT: 'false',
  STRAPI_TELEMETRY_DISABLED: 'true',
  BROWSER: 'false',
  STRAPI_LOG_LEVEL: 'warn',
};

/**
 * Boots Strapi on `database` (kept when given, so a test can restart Strapi on the same data),
 * else on a fresh throwaway database dropped by close().
 */
export const startStrapi = async (
  env: Record<string, string> = {},
  beforeLoad?: (strapi: Core.Strapi) => void,
  database?: TestDatabase
): Promise<TestApp> => {
  const db = database ?? (await createTestDatabase());
  Object.assign(process.env, TEST_ENV, db.env, env);
  const created = createStrapi({
    appDir,
    distDir: path.join(appDir, 'dist'),
    autoReload: false,
    serveAdminPanel: false,
  });
  beforeLoad?.(created);
  const strapi = await created.load();
  strapi.log.level = 'warn';
  strapi.server.mount();
  return {
    strapi,
    http: () => request(strapi.server.httpServer),
    close: async () => {
      await strapi.destroy();
      for (const key of [...Object.keys(env), ...Object.keys(db.env)]) delete process.env[key];
      if (!database) await db.drop();
    },
  };
};

interface AdminUserService {
  create(data: Record<string, unknown>): Promise<{ id: number }>;
}
interface RoleService {
  getSuperAdmin(): Promise<{ id: number }>;
  create(data: Record<string, unknown>): Promise<{ id: number }>;
  assignPermissions(roleId: number, permissions: Record<string, unknown>[]): Promise<unknown>;
}

let userCounter = 0;

/** Creates an admin user (super admin, or with a new role holding `permissions`) and logs it in. */
export const createAdmin = async (
  app: TestApp,
  permissions?: { action: string; subject?: string | null; properties?: Record<string, unknown> }[]
): Promise<{ token: string; id: number; email: string }> => {
  const roles = app.strapi.service('admin::role') as unknown as RoleService;
  let roleId: number;
  if (!permissions) {
    roleId = (await roles.getSuperAdmin()).id;
  } else {
    userCounter += 1;
    roleId = (await roles.create({ name: `Test role ${userCounter}-${Date.now()}`, description: 'test' })).id;
    await roles.assignPermissions(
      roleId,
      permissions.map((p) => ({ action: p.action, subject: p.subject ?? null, properties: p.properties ?? {}, conditions: [] }))
    );
  }
  userCounter += 1;
  const email = `user${userCounter}-${Date.now()}@test.local`;
  const password = 'Test-password-1234';
  const users = app.strapi.service('admin::user') as unknown as AdminUserService;
  const user = await users.create({
    email,
    firstname: 'Test',
    lastname: 'User',
    password,
    isActive: true,
    registrationToken: null,
    roles: [roleId],
  });
  const res = await app.http().post('/admin/login').send({ email, password });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  const data = (res.body as { data: { token?: string; accessToken?: string } }).data;
  return { token: data.token ?? data.accessToken ?? '', id: user.id, email };
};

export const fixture = (name: string): string =>
  fs.readFileSync(path.join(repoRoot, 'tests', 'fixtures', name), 'utf8').trim();

/** A full-access API token for REST writes. */
export const createApiToken = async (app: TestApp): Promise<string> => {
  const tokens = app.strapi.service('admin::api-token') as unknown as {
    create(data: Record<string, unknown>): Promise<{ accessKey: string }>;
  };
  const token = await tokens.create({
    name: `test-${Date.now()}-${Math.random()}`,
    type: 'full-access',
    lifespan: null,
    description: '',
  });
  return token.accessKey;
};

export const setPluginSettings = async (app: TestApp, values: Record<string, unknown>) => {
  await app.strapi.store({ type: 'plugin', name: 'processon', key: 'settings' }).set({ value: values });
};

export const grantPublic = async (app: TestApp, actions: string[]) => {
  const role = (await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } })) as {
    id: number;
  };
  for (const action of actions) {
    await app.strapi.db.query('plugin::users-permissions.permission').create({ data: { action, role: role.id } });
  }
};

/**
 * Grants a default admin role (strapi-editor, strapi-author) locales on articles, as an administrator
 * does in Settings → Roles: on a fresh database Strapi creates those roles before i18n's default
 * locale exists, so their Content Manager permissions carry no locale at all (and the Content
 * Manager itself then refuses them any update of a localized entry).
 */
export const grantRoleLocales = async (app: TestApp, code: string, locales: string[] = ['en']): Promise<void> => {
  const roles = app.strapi.service('admin::role') as unknown as { findOne(where: Record<string, unknown>): Promise<{ id: number }> };
  const role = await roles.findOne({ code });
  const permissions = (await app.strapi.db.query('admin::permission').findMany({
    where: { role: role.id, subject: 'api::article.article' },
  })) as { id: number; properties: Record<string, unknown> | null }[];
  for (const permission of permissions) {
    await app.strapi.db.query('admin::permission').update({
      where: { id: permission.id },
      data: { properties: { ...(permission.properties ?? {}), locales } },
    });
  }
};
