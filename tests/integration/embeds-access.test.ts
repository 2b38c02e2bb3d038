/**
 * Who reaches the public embeds, and how: an authenticated Users & Permissions user (JWT), API
 * tokens, locales of an i18n document, the actions listed in Settings → Users & Permissions, and the
 * GraphQL query of the descriptor (the playground has @strapi/plugin-graphql installed).
 */
import { randomUUID } from 'crypto';
import { createAdmin, fixture, setPluginSettings, startStrapi, type TestApp } from '../helpers/strapi';

let app: TestApp;
let mindId = '';
let draftId = '';
const EMBED_ACTIONS = ['view', 'export', 'descriptor', 'oembed'].map((a) => `plugin::processon.embed.${a}`);

const diagram = (title: string, file = 'mind-go-memory-allocator.def.json') => ({
  chartid: randomUUID(),
  category: 'mind',
  title,
  def: fixture(file),
  size: 10,
  valid: true,
  updatedAt: new Date().toISOString(),
});

const roleId = async (type: string): Promise<number> =>
  ((await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type } })) as { id: number }).id;

const grant = async (type: string, actions: string[]) => {
  const role = await roleId(type);
  for (const action of actions) {
    await app.strapi.db.query('plugin::users-permissions.permission').create({ data: { action, role } });
  }
};

const revoke = async (type: string, actions: string[]) => {
  const role = await roleId(type);
  await app.strapi.db.query('plugin::users-permissions.permission').deleteMany({ where: { action: { $in: actions }, role } });
};

beforeAll(async () => {
  app = await startStrapi();
  await setPluginSettings(app, { appkey: 'access-appkey', apiBaseUrl: 'http://localhost:4999', publicUrl: 'http://localhost:1337', hidebtn: false });
  const locales = app.strapi.plugin('i18n').service('locales') as unknown as {
    create(data: { code: string; name: string }): Promise<unknown>;
  };
  await locales.create({ code: 'fr', name: 'French (fr)' });
  const articles = app.strapi.documents('api::article.article');
  const doc = await articles.create({ data: { title: 'English', diagram: diagram('English diagram') as never }, locale: 'en', status: 'published' });
  mindId = doc.documentId;
  // A French version: first a draft only, published later in a test.
  await articles.update({ documentId: mindId, locale: 'fr', data: { title: 'Français', diagram: diagram('Schéma français') } as never });
  draftId = (await articles.create({ data: { title: 'Draft', diagram: diagram('Draft') as never }, locale: 'en' })).documentId;
});
afterAll(async () => app.close());

describe('embeds for an authenticated user (JWT)', () => {
  let jwt = '';
  beforeAll(async () => {
    const user = (await app.strapi.db.query('plugin::users-permissions.user').create({
      data: {
        username: 'reader',
        email: 'reader@test.local',
        provider: 'local',
        confirmed: true,
        blocked: false,
        role: await roleId('authenticated'),
      },
    })) as { id: number };
    const jwtService = app.strapi.plugin('users-permissions').service('jwt') as unknown as { issue(payload: { id: number }): string };
    jwt = jwtService.issue({ id: user.id });
  });

  it('serves the view to a role that has the embed action and find, not to the Public role', async () => {
    const url = `/api/processon/view/articles/${mindId}`;
    expect((await app.http().get(url)).status).toBe(403);
    expect((await app.http().get(url).set('Authorization', `Bearer ${jwt}`)).status).toBe(403);
    await grant('authenticated', ['plugin::processon.embed.view']);
    // The embed action alone is not enough: find on the owning type is missing.
    const withoutFind = await app.http().get(url).set('Authorization', `Bearer ${jwt}`);
    expect(withoutFind.status).toBe(404);
    await grant('authenticated', ['api::article.article.find']);
    const ok = await app.http().get(url).set('Authorization', `Bearer ${jwt}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('value="English diagram"');
    expect((await app.http().get(url)).status).toBe(403);
    await revoke('authenticated', ['plugin::processon.embed.view', 'api::article.article.find']);
  });
});

describe('embeds through API tokens', () => {
  const token = async (type: 'read-only' | 'custom', permissions: string[] = []): Promise<string> => {
    const tokens = app.strapi.service('admin::api-token') as unknown as {
      create(data: Record<string, unknown>): Promise<{ accessKey: string }>;
    };
    const created = await tokens.create({ name: `embed-${randomUUID()}`, type, lifespan: null, description: '', permissions });
    return created.accessKey;
  };

  it('serves a custom token holding the embed action and find, 404 without find, 403 without the action', async () => {
    const url = `/api/processon/descriptor/articles/${mindId}`;
    const full = await token('custom', ['plugin::processon.embed.descriptor', 'api::article.article.find']);
    const res = await app.http().get(url).set('Authorization', `Bearer ${full}`);
    expect(res.status).toBe(200);
    expect(res.body.data.fields.title).toBe('English diagram');
    const noFind = await token('custom', ['plugin::processon.embed.descriptor']);
    expect((await app.http().get(url).set('Authorization', `Bearer ${noFind}`)).status).toBe(404);
    const noAction = await token('custom', ['api::article.article.find']);
    expect((await app.http().get(url).set('Authorization', `Bearer ${noAction}`)).status).toBe(403);
  });

  it('refuses a read-only token, as Strapi does for every action that is not find/findOne', async () => {
    const readOnly = await token('read-only');
    expect((await app.http().get(`/api/articles/${mindId}`).set('Authorization', `Bearer ${readOnly}`)).status).toBe(200);
    const res = await app.http().get(`/api/processon/view/articles/${mindId}`).set('Authorization', `Bearer ${readOnly}`);
    expect(res.status).toBe(403);
  });
});

describe('locales', () => {
  beforeAll(async () => grant('public', [...EMBED_ACTIONS, 'api::article.article.find']));
  afterAll(async () => revoke('public', [...EMBED_ACTIONS, 'api::article.article.find']));

  it('serves the requested locale once it is published, the default locale without one', async () => {
    const url = `/api/processon/descriptor/articles/${mindId}`;
    expect((await app.http().get(url)).body.data.fields.title).toBe('English diagram');
    const frDraft = await app.http().get(`${url}?locale=fr`);
    expect(frDraft.status).toBe(404);
    expect((await app.http().get(`${url}?locale=de`)).status).toBe(404);
    await app.strapi.documents('api::article.article').publish({ documentId: mindId, locale: 'fr' });
    const fr = await app.http().get(`${url}?locale=fr`);
    expect(fr.status).toBe(200);
    expect(fr.body.data.fields.title).toBe('Schéma français');
    // Different locales never share an ETag.
    const en = await app.http().get(`${url}?locale=en`);
    expect(en.headers.etag).not.toBe(fr.headers.etag);
  });
});

describe('Settings → Users & Permissions', () => {
  it('lists the plugin embed actions for roles to tick', async () => {
    const admin = await createAdmin(app);
    const res = await app.http().get('/users-permissions/permissions').set('Authorization', `Bearer ${admin.token}`);
    expect(res.status).toBe(200);
    const plugin = (res.body as { permissions: Record<string, { controllers: Record<string, Record<string, unknown>> }> })
      .permissions['plugin::processon'];
    expect(Object.keys(plugin.controllers.embed).sort()).toEqual(['descriptor', 'export', 'oembed', 'outline', 'svg', 'view']);
    // The callback is listed too (every content-API route is), but it authenticates with its own
    // token: it works with no grant at all (tests/integration/sessions-callback.test.ts).
    expect(Object.keys(plugin.controllers.callback)).toEqual(['receive']);
  });
});

describe('GraphQL', () => {
  const QUERY = `query D($ct: String!, $id: ID!, $kind: ProcessonDescriptorKind, $type: ProcessonExportType, $locale: String) {
    processonDescriptor(contentType: $ct, documentId: $id, kind: $kind, type: $type, locale: $locale) { action method acceptCharset fields }
  }`;
  const gql = (variables: Record<string, unknown>, auth?: string) => {
    const req = app.http().post('/graphql').send({ query: QUERY, variables });
    return auth ? req.set('Authorization', auth) : req;
  };

  it('answers the descriptor to a role granted the descriptor action and find', async () => {
    await grant('public', ['plugin::processon.embed.descriptor', 'api::article.article.find']);
    try {
      const view = await gql({ ct: 'articles', id: mindId });
      expect(view.status).toBe(200);
      expect(view.body.errors).toBeUndefined();
      expect(view.body.data.processonDescriptor).toEqual({
        action: 'http://localhost:4999/openapi/diagrams/view',
        method: 'POST',
        acceptCharset: 'UTF-8',
        fields: { appkey: 'access-appkey', category: 'mind', title: 'English diagram', def: fixture('mind-go-memory-allocator.def.json') },
      });
      const rest = await app.http().get(`/api/processon/descriptor/articles/${mindId}?kind=export&type=pdf`);
      const exported = await gql({ ct: 'api::article.article', id: mindId, kind: 'export', type: 'pdf' });
      expect(exported.body.data.processonDescriptor).toEqual(rest.body.data);
      expect(exported.body.data.processonDescriptor.fields.type).toBe('pdf');

      // Drafts and unknown documents: the same not-found error, no data.
      const draft = await gql({ ct: 'articles', id: draftId });
      const unknown = await gql({ ct: 'articles', id: 'nosuchdocument000000000000' });
      expect(draft.body.data.processonDescriptor).toBeNull();
      expect(draft.body.errors[0].message).toBe('No published ProcessOn diagram at this address');
      expect(unknown.body.errors[0].message).toBe(draft.body.errors[0].message);
    } finally {
      await revoke('public', ['plugin::processon.embed.descriptor', 'api::article.article.find']);
    }
  });

  it('is forbidden without the descriptor action, not found without find', async () => {
    const denied = await gql({ ct: 'articles', id: mindId });
    expect(denied.body.data.processonDescriptor).toBeNull();
    expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
    await grant('public', ['plugin::processon.embed.descriptor']);
    try {
      const noFind = await gql({ ct: 'articles', id: mindId });
      expect(noFind.body.errors[0].message).toBe('No published ProcessOn diagram at this address');
    } finally {
      await revoke('public', ['plugin::processon.embed.descriptor']);
    }
  });

  it('exposes the diagram field of the content type as JSON', async () => {
    const res = await app.http().post('/graphql').send({ query: '{ __type(name: "Article") { fields { name type { name kind } } } }' });
    const fields = (res.body.data.__type.fields as { name: string; type: { name: string | null } }[]);
    expect(fields.find((f) => f.name === 'diagram')?.type.name).toBe('JSON');
  });
});
