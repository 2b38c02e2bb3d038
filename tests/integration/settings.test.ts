import { randomUUID } from 'crypto';
import {
  createAdmin,
  createApiToken,
  createTestDatabase,
  fixture,
  grantPublic,
  startStrapi,
  type TestApp,
  type TestDatabase,
} from '../helpers/strapi';

let database: TestDatabase | null = null;
let app: TestApp | null = null;

/** (Re)starts Strapi on the same database, as a restart of the app would. */
const restart = async (env: Record<string, string> = {}): Promise<TestApp> => {
  if (app) await app.close();
  database ??= await createTestDatabase();
  app = await startStrapi(env, undefined, database);
  return app;
};

afterAll(async () => {
  if (app) await app.close();
  await database?.drop();
});

const running = (): TestApp => {
  if (!app) throw new Error('Strapi is not running');
  return app;
};
const http = () => running().http();

const put = (token: string, body: unknown) =>
  http().put('/processon/settings').set('Authorization', `Bearer ${token}`).send(body as Record<string, unknown>);
const get = (token: string) => http().get('/processon/settings').set('Authorization', `Bearer ${token}`);
const login = async (email: string): Promise<string> => {
  const res = await http().post('/admin/login').send({ email, password: 'Test-password-1234' });
  return res.body.data.token ?? res.body.data.accessToken;
};

interface ProblemItem {
  path: string[];
  message: string;
  code: string;
}
const problems = (res: { body: { error: { details: { errors: ProblemItem[] } } } }) =>
  Object.fromEntries(res.body.error.details.errors.map((e) => [e.path[0], e.code]));

const DEFAULTS = {
  appkey: '',
  apiBaseUrl: 'https://api.processon.com',
  publicUrl: '',
  hidebtn: false,
  defaultCategory: 'mind',
  maxDefSize: 20 * 1024 * 1024,
  sessionTtl: 43200,
  revisionsKept: 50,
  frameAncestors: ['*'],
  cacheMaxAge: 60,
  sessionQuota: 0,
  quotaPeriod: 'month',
};

describe('settings', () => {
  let superToken = '';
  let email = '';

  it('has sensible defaults for every key and reports the plugin unconfigured', async () => {
    const admin = await createAdmin(await restart());
    superToken = admin.token;
    email = admin.email;
    const res = await get(superToken);
    expect(res.status).toBe(200);
    expect(res.body.data.values).toEqual(DEFAULTS);
    expect(res.body.data.defaults).toEqual(DEFAULTS);
    expect(Object.values(res.body.data.sources)).toEqual(Object.keys(DEFAULTS).map(() => 'default'));
    expect(res.body.data.envNames.maxDefSize).toBe('PROCESSON_MAX_DEF_SIZE');
    expect(res.body.data.callbackUrl).toBeNull();
    const status = await http().get('/processon/status').set('Authorization', `Bearer ${superToken}`);
    expect(status.body.data).toEqual({
      configured: false,
      missing: ['appkey', 'publicUrl'],
      viewable: false,
      apiOrigin: 'https://api.processon.com',
      hidebtn: false,
      defaultCategory: 'mind',
    });
  });

  it('refuses invalid values with 400 per field, all at once, and saves nothing', async () => {
    const res = await put(superToken, { appkey: 'ok-key', apiBaseUrl: 'ftp://x', publicUrl: 'not a url' });
    expect(res.status).toBe(400);
    const paths = (res.body.error.details.errors as ProblemItem[]).map((e) => e.path[0]).sort();
    expect(paths).toEqual(['apiBaseUrl', 'publicUrl']);
    const messages = (res.body.error.details.errors as ProblemItem[]).map((e) => e.message);
    expect(messages).toContain('ProcessOn base URL must be an absolute http(s) URL without query, fragment or credentials');
    expect(messages).toContain('Public URL must be an absolute http(s) URL without query, fragment or credentials');
    expect((await get(superToken)).body.data.values.appkey).toBe('');

    // Every new setting, wrong at once: one problem per field, each with a code the admin translates.
    const many = await put(superToken, {
      hidebtn: 'yes',
      defaultCategory: 'bpmn',
      maxDefSize: 0,
      sessionTtl: 10,
      revisionsKept: 1.5,
      frameAncestors: ['https://ok.example.com', "https://x.example.com; script-src 'unsafe-inline'"],
      cacheMaxAge: -1,
      sessionQuota: 'lots',
      quotaPeriod: 'year',
      publicUrl: 'https://fine.example.com',
    });
    expect(many.status).toBe(400);
    expect(problems(many)).toEqual({
      hidebtn: 'type',
      defaultCategory: 'category',
      maxDefSize: 'range',
      sessionTtl: 'range',
      revisionsKept: 'integer',
      frameAncestors: 'source',
      cacheMaxAge: 'range',
      sessionQuota: 'integer',
      quotaPeriod: 'period',
    });
    const ttl = (many.body.error.details.errors as ProblemItem[]).find((e) => e.path[0] === 'sessionTtl');
    expect(ttl?.message).toBe('Session lifetime must be between 60 and 2592000');
    // Nothing was stored, not even the valid publicUrl of the same body.
    expect((await get(superToken)).body.data.values).toEqual(DEFAULTS);

    const unknown = await put(superToken, { color: 'red' });
    expect(unknown.status).toBe(400);
    expect(problems(unknown)).toEqual({ color: 'unknown' });
    // A lone "?" or "#", or credentials, would break the form action and the callback URL.
    for (const body of [
      { apiBaseUrl: 'http://localhost:4010?' },
      { publicUrl: 'http://localhost:1337#' },
      { apiBaseUrl: 'http://:pw@localhost:4010' },
      { publicUrl: 'https://user@cms.example.com' },
      { apiBaseUrl: 'javascript:alert(1)' },
      { apiBaseUrl: '' },
      { frameAncestors: 'https://a.example.com' },
      { frameAncestors: ['https://a.example.com/path'] },
      { frameAncestors: ["'unsafe-inline'"] },
      { appkey: 'bad key!' },
    ]) {
      const bad = await put(superToken, body);
      expect({ body, status: bad.status }).toEqual({ body, status: 400 });
    }
    expect((await get(superToken)).body.data.values.apiBaseUrl).toBe('https://api.processon.com');
  });

  it('stores valid values (normalized), derives the callback URL, and resets a key with null', async () => {
    const res = await put(superToken, {
      appkey: ' my-key ',
      apiBaseUrl: 'http://localhost:4010/',
      publicUrl: 'https://cms.example.com/',
      defaultCategory: 'flow',
      maxDefSize: 1024 * 1024,
      sessionTtl: 600,
      revisionsKept: 2,
      frameAncestors: [' https://www.example.com ', "'self'", 'https://*.example.org:8443'],
      cacheMaxAge: 0,
      sessionQuota: 100,
      quotaPeriod: 'total',
    });
    expect(res.status).toBe(200);
    expect(res.body.data.values).toEqual({
      ...DEFAULTS,
      appkey: 'my-key',
      apiBaseUrl: 'http://localhost:4010',
      publicUrl: 'https://cms.example.com',
      defaultCategory: 'flow',
      maxDefSize: 1024 * 1024,
      sessionTtl: 600,
      revisionsKept: 2,
      frameAncestors: ['https://www.example.com', "'self'", 'https://*.example.org:8443'],
      cacheMaxAge: 0,
      sessionQuota: 100,
      quotaPeriod: 'total',
    });
    expect(res.body.data.callbackUrl).toBe('https://cms.example.com/api/processon/callback');
    expect(res.body.data.sources.appkey).toBe('store');
    expect(res.body.data.sources.hidebtn).toBe('default');

    const reset = await put(superToken, { sessionQuota: null, quotaPeriod: null });
    expect(reset.status).toBe(200);
    expect(reset.body.data.values.sessionQuota).toBe(0);
    expect(reset.body.data.sources.sessionQuota).toBe('default');
    expect(reset.body.data.values.revisionsKept).toBe(2);
    const status = await http().get('/processon/status').set('Authorization', `Bearer ${superToken}`);
    expect(status.body.data).toMatchObject({ configured: true, viewable: true, defaultCategory: 'flow', apiOrigin: 'http://localhost:4010' });
  });

  it('keeps the values across a restart', async () => {
    await restart();
    superToken = await login(email);
    const res = await get(superToken);
    expect(res.body.data.values.appkey).toBe('my-key');
    expect(res.body.data.values.publicUrl).toBe('https://cms.example.com');
    expect(res.body.data.values.frameAncestors).toEqual(['https://www.example.com', "'self'", 'https://*.example.org:8443']);
  });

  it('every server use reads the effective values: session lifetime, max def size, revisions kept, embeds', async () => {
    const strapi = running();
    // A session lives sessionTtl (600 s) seconds.
    const before = Date.now();
    const session = await http()
      .post('/processon/sessions')
      .set('Authorization', `Bearer ${superToken}`)
      .send({ uid: 'api::article.article', documentId: null, locale: null, field: 'diagram', chartid: randomUUID(), category: 'flow', title: 'T', def: '' });
    expect(session.status).toBe(201);
    // A new entry's diagram: the server's chartid.
    const chartid = session.body.data.form.fields.chartid as string;
    const lifetime = Date.parse(session.body.data.expiresAt) - before;
    expect(lifetime).toBeGreaterThan(595_000);
    expect(lifetime).toBeLessThan(605_000);

    // maxDefSize (1 MB) on the callback: over it 413 naming the stored limit; under it stored.
    const callback = new URL(session.body.data.form.fields.callbackurl);
    const path = `${callback.pathname}${callback.search}`;
    const big = await http().post(path).send({ chartid, def: JSON.stringify({ t: 'x'.repeat(1024 * 1024) }), valid: true });
    expect(big.status).toBe(413);
    expect(big.text).toBe('error: the diagram is larger than the 1 MB limit (maxDefSize)');
    // revisionsKept (2): four saves leave the newest two (the field holds none of them yet).
    for (let i = 0; i < 4; i += 1) {
      const ok = await http().post(path).send({ chartid, def: JSON.stringify({ i }), valid: true });
      expect(ok.status).toBe(200);
    }
    const kept = (await strapi.strapi.db.query('plugin::processon.revision').findMany({ where: { chartid } })) as { def: string }[];
    expect(kept.map((r) => r.def).sort()).toEqual(['{"i":2}', '{"i":3}']);

    // A bigger maxDefSize takes effect at once, on the same instance (the body parser follows it).
    expect((await put(superToken, { maxDefSize: 3 * 1024 * 1024 })).status).toBe(200);
    const accepted = await http().post(path).send({ chartid, def: JSON.stringify({ t: 'y'.repeat(2 * 1024 * 1024) }), valid: true });
    expect(accepted.status).toBe(200);

    // The public embeds: cacheMaxAge (0) and frameAncestors.
    await grantPublic(strapi, ['api::article.article.find', 'plugin::processon.embed.view']);
    const token = await createApiToken(strapi);
    const def = fixture('flow-approval.def.json');
    const created = await http()
      .post('/api/articles?status=published')
      .set('Authorization', `Bearer ${token}`)
      .send({
        data: {
          title: 'Embedded',
          diagram: { chartid: randomUUID(), category: 'flow', title: 'F', def, size: 1, valid: true, updatedAt: new Date().toISOString() },
        },
      });
    expect(created.status).toBe(201);
    const view = await http().get(`/api/processon/view/articles/${created.body.data.documentId}?field=diagram`);
    expect(view.status).toBe(200);
    expect(view.headers['cache-control']).toBe('public, max-age=0');
    expect(view.headers['content-security-policy']).toContain(
      "frame-ancestors https://www.example.com 'self' https://*.example.org:8443"
    );
    expect((await put(superToken, { cacheMaxAge: 120, frameAncestors: null })).status).toBe(200);
    const again = await http().get(`/api/processon/view/articles/${created.body.data.documentId}?field=diagram`);
    expect(again.headers['cache-control']).toBe('public, max-age=120');
    // Back to the default: what strapi::cors allows (the playground allows every origin).
    expect(again.headers['content-security-policy']).toContain('frame-ancestors *');
  });

  it('requires the plugin RBAC actions server-side', async () => {
    const strapi = running();
    const none = await createAdmin(strapi, [{ action: 'plugin::content-manager.explorer.read', subject: 'api::article.article' }]);
    expect((await get(none.token)).status).toBe(403);
    expect((await put(none.token, { appkey: 'x' })).status).toBe(403);
    expect((await http().get('/processon/usage').set('Authorization', `Bearer ${none.token}`)).status).toBe(403);
    expect((await http().post('/processon/settings/check-callback').set('Authorization', `Bearer ${none.token}`).send({})).status).toBe(403);
    const reader = await createAdmin(strapi, [{ action: 'plugin::processon.settings.read' }]);
    expect((await get(reader.token)).status).toBe(200);
    expect((await put(reader.token, { appkey: 'hijack' })).status).toBe(403);
    expect((await http().get('/processon/usage').set('Authorization', `Bearer ${reader.token}`)).status).toBe(200);
    expect((await get(superToken)).body.data.values.appkey).toBe('my-key');
    const actions = (strapi.strapi.service('admin::permission') as unknown as { actionProvider: { values(): { actionId: string }[] } })
      .actionProvider.values().map((a) => a.actionId);
    expect(actions).toEqual(expect.arrayContaining(['plugin::processon.settings.read', 'plugin::processon.settings.update']));
  });

  it('shows values fixed by env as read-only, refuses to change them, and ignores invalid env values', async () => {
    await restart({
      PROCESSON_APPKEY: 'from-env',
      PROCESSON_REVISIONS_KEPT: '7',
      PROCESSON_FRAME_ANCESTORS: 'https://a.example.com, https://b.example.com',
      PROCESSON_HIDEBTN: 'true',
      PROCESSON_CACHE_MAX_AGE: 'soon',
      PROCESSON_DEFAULT_CATEGORY: 'pie',
      PROCESSON_RENDER_IMAGE_HOSTS: 'cdn.example.com, http://img.example.com/, *.static.example.com',
    });
    // What the start-up warning names; the valid image hosts are used, the others dropped.
    const service = running().strapi.plugin('processon').service('settings') as { invalidEnv(): string[]; renderImageHosts(): string[] };
    expect(service.invalidEnv()).toEqual([
      'PROCESSON_DEFAULT_CATEGORY',
      'PROCESSON_CACHE_MAX_AGE',
      'PROCESSON_RENDER_IMAGE_HOSTS entries "http://img.example.com/"',
    ]);
    expect(service.renderImageHosts()).toEqual(['cdn.example.com', '*.static.example.com']);
    const token = await login(email);
    const res = await get(token);
    expect(res.body.data.values).toMatchObject({
      appkey: 'from-env',
      revisionsKept: 7,
      frameAncestors: ['https://a.example.com', 'https://b.example.com'],
      hidebtn: true,
      // Invalid env values are ignored: the stored / default values stay in force and editable.
      cacheMaxAge: 120,
      defaultCategory: 'flow',
    });
    expect(res.body.data.sources).toMatchObject({
      appkey: 'env',
      revisionsKept: 'env',
      frameAncestors: 'env',
      hidebtn: 'env',
      cacheMaxAge: 'store',
      defaultCategory: 'store',
    });
    expect(res.body.data.envNames.appkey).toBe('PROCESSON_APPKEY');
    const refused = await put(token, { appkey: 'other', revisionsKept: 9, cacheMaxAge: 30 });
    expect(refused.status).toBe(400);
    expect(problems(refused)).toEqual({ appkey: 'fixed', revisionsKept: 'fixed' });
    expect((await get(token)).body.data.values.cacheMaxAge).toBe(120);
    expect((await put(token, { publicUrl: 'https://b.example.com' })).status).toBe(200);
  });
});
