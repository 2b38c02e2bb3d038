import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';

/** Where the repository's fixtures live (real ProcessOn diagrams). */
const fixturesDir = (strapi: Core.Strapi) => path.join(strapi.dirs.app.root, '..', 'tests', 'fixtures');

export const DEMO_ADMIN = {
  email: process.env.DEMO_ADMIN_EMAIL ?? 'admin@processon.local',
  password: process.env.DEMO_ADMIN_PASSWORD ?? 'ProcessOn-demo-2026',
};

export const SEED_ARTICLES = [
  {
    slug: 'go-memory-allocator',
    title: 'Go memory allocator, as a mind map',
    body: 'How the Go runtime allocates memory: a ProcessOn mind map.',
    chartid: '6f0c1f39-8b4e-4c53-9d55-0e6f2b1a7c01',
    category: 'mind',
    diagramTitle: 'Go 内存分配器',
    file: 'mind-go-memory-allocator.def.json',
  },
  {
    slug: 'approval-flow',
    title: 'Expense approval flow',
    body: 'Who approves what: a ProcessOn flowchart.',
    chartid: '0b7f6a52-2d43-4e8e-8a8c-5b1c9e3d4f02',
    category: 'flow',
    diagramTitle: '报销审批流程',
    file: 'flow-approval.def.json',
  },
] as const;

/** Public role may read articles and the plugin's embeds. */
export const PUBLIC_ACTIONS = [
  'api::article.article.find',
  'api::article.article.findOne',
  'plugin::processon.embed.view',
  'plugin::processon.embed.export',
  'plugin::processon.embed.descriptor',
  'plugin::processon.embed.oembed',
  'plugin::processon.embed.svg',
  'plugin::processon.embed.outline',
];

export const grantPublic = async (strapi: Core.Strapi, actions: string[]) => {
  const role = (await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } })) as {
    id: number;
  } | null;
  if (!role) return;
  for (const action of actions) {
    const exists = await strapi.db
      .query('plugin::users-permissions.permission')
      .findOne({ where: { action, role: role.id } });
    if (!exists) {
      await strapi.db.query('plugin::users-permissions.permission').create({ data: { action, role: role.id } });
    }
  }
};

const seedAdmin = async (strapi: Core.Strapi) => {
  const users = strapi.service('admin::user') as unknown as {
    exists(): Promise<boolean>;
    create(data: Record<string, unknown>): Promise<unknown>;
  };
  if (await users.exists()) return;
  const roles = strapi.service('admin::role') as unknown as { getSuperAdmin(): Promise<{ id: number } | null> };
  const superAdmin = await roles.getSuperAdmin();
  if (!superAdmin) return;
  await users.create({
    email: DEMO_ADMIN.email,
    firstname: 'Demo',
    lastname: 'Admin',
    password: DEMO_ADMIN.password,
    registrationToken: null,
    isActive: true,
    roles: [superAdmin.id],
  });
};

/**
 * Points the plugin at the demo's simulator and public URL. Seeded on the first run; on later runs
 * updated only while the settings are still what the demo itself wrote (so a demo started on other
 * ports follows, and settings an administrator changed are never overwritten).
 */
const seedSettings = async (strapi: Core.Strapi) => {
  const store = strapi.store({ type: 'plugin', name: 'processon', key: 'settings' });
  const marker = strapi.store({ type: 'plugin', name: 'processon', key: 'demo-seeded-settings' });
  const wanted = {
    appkey: process.env.DEMO_APPKEY ?? 'demo-appkey',
    apiBaseUrl: process.env.DEMO_SIMULATOR_URL ?? 'http://localhost:4010',
    publicUrl: process.env.DEMO_PUBLIC_URL ?? 'http://localhost:1337',
    hidebtn: false,
  };
  const current = (await store.get({})) as Record<string, unknown> | null;
  const seeded = (await marker.get({})) as Record<string, unknown> | null;
  const untouched = !!current && !!seeded && JSON.stringify(current) === JSON.stringify(seeded);
  if (current && !untouched) return;
  await store.set({ value: wanted });
  await marker.set({ value: wanted });
};

const seedArticles = async (strapi: Core.Strapi) => {
  const articles = strapi.documents('api::article.article');
  for (const seed of SEED_ARTICLES) {
    const existing = await articles.findFirst({ filters: { slug: seed.slug } });
    if (existing) continue;
    const def = fs.readFileSync(path.join(fixturesDir(strapi), seed.file), 'utf8').trim();
    await articles.create({
      data: {
        slug: seed.slug,
        title: seed.title,
        body: seed.body,
        diagram: {
          chartid: seed.chartid,
          category: seed.category,
          title: seed.diagramTitle,
          def,
          size: Math.round((Buffer.byteLength(def, 'utf8') / 1024) * 100) / 100,
          valid: true,
          updatedAt: new Date().toISOString(),
        },
      },
      status: 'published',
    });
  }
};

/**
 * Strapi's default Editor and Author roles on articles in every locale. On a fresh database Strapi
 * creates those roles before i18n's default locale exists, so their Content Manager permissions
 * carry no locale at all, and the Content Manager then refuses them every localized entry.
 */
const grantRoleLocales = async (strapi: Core.Strapi) => {
  const locales = (await strapi.db.query('plugin::i18n.locale').findMany({ select: ['code'] })) as { code: string }[];
  for (const code of ['strapi-editor', 'strapi-author']) {
    const role = (await strapi.db.query('admin::role').findOne({ where: { code } })) as { id: number } | null;
    if (!role) continue;
    const permissions = (await strapi.db.query('admin::permission').findMany({
      where: { role: role.id, subject: 'api::article.article' },
    })) as { id: number; properties: Record<string, unknown> | null }[];
    for (const permission of permissions) {
      await strapi.db.query('admin::permission').update({
        where: { id: permission.id },
        data: { properties: { ...(permission.properties ?? {}), locales: locales.map((l) => l.code) } },
      });
    }
  }
};

/**
 * The demo seed. The settings follow the demo's ports until an administrator changes them; the
 * rest (articles, the Public role's grants, the default roles' locales) is seeded on the first run
 * only, as a marker in the plugin store records: a later run never brings back an article you
 * deleted or renamed, nor a permission you revoked.
 */
export const seedDemo = async (strapi: Core.Strapi) => {
  await seedAdmin(strapi);
  await seedSettings(strapi);
  const marker = strapi.store({ type: 'plugin', name: 'processon', key: 'demo-seeded' });
  if (await marker.get({})) return;
  await grantPublic(strapi, PUBLIC_ACTIONS);
  await grantRoleLocales(strapi);
  await seedArticles(strapi);
  await marker.set({ value: { at: new Date().toISOString() } });
};
