import { createAdmin, createTestDatabase, startStrapi, type TestApp, type TestDatabase } from '../helpers/strapi';

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

const http = () => {
  if (!app) throw new Error('Strapi is not running');
  return app.http();
};

const put = (token: string, body: Record<string, unknown>) =>
  http().put('/processon/settings').set('Authorization', `Bearer ${token}`).send(body);
const get = (token: string) => http().get('/processon/settings').set('Authorization', `Bearer ${token}`);

describe('settings', () => {
  let superToken = '';
  let email = '';

  it('has sensible defaults and reports the plugin unconfigured', async () => {
    const admin = await createAdmin(await restart());
    superToken = admin.token;
    email = admin.email;
    const res = await get(superToken);
    expect(res.status).toBe(200);
    expect(res.body.data.values).toEqual({ appkey: '', apiBaseUrl: 'https://api.processon.com', publicUrl: '', hidebtn: false });
    expect(res.body.data.sources.appkey).toBe('default');
    expect(res.body.data.callbackUrl).toBeNull();
    const status = await http().get('/processon/status').set('Authorization', `Bearer ${superToken}`);
    expect(status.body.data).toEqual({ configured: false, missing: ['appkey', 'publicUrl'], apiOrigin: 'https://api.processon.com', hidebtn: false });
  });

  it('refuses invalid values with 400 per field and saves nothing', async () => {
    const res = await put(superToken, { appkey: 'ok-key', apiBaseUrl: 'ftp://x', publicUrl: 'not a url' });
    expect(res.status).toBe(400);
    const paths = (res.body.error.details.errors as { path: string[] }[]).map((e) => e.path[0]).sort();
    expect(paths).toEqual(['apiBaseUrl', 'publicUrl']);
    const messages = (res.body.error.details.errors as { message: string }[]).map((e) => e.message);
    expect(messages).toContain('ProcessOn base URL must be an absolute http(s) URL without query, fragment or credentials');
    expect(messages).toContain('Public URL must be an absolute http(s) URL without query, fragment or credentials');
    expect((await get(superToken)).body.data.values.appkey).toBe('');
    const unknown = await put(superToken, { color: 'red' });
    expect(unknown.status).toBe(400);
    // A lone "?" or "#", or credentials, would break the form action and the callback URL.
    for (const body of [
      { apiBaseUrl: 'http://localhost:4010?' },
      { publicUrl: 'http://localhost:1337#' },
      { apiBaseUrl: 'http://:pw@localhost:4010' },
      { publicUrl: 'https://user@cms.example.com' },
      { apiBaseUrl: 'javascript:alert(1)' },
    ]) {
      const res = await put(superToken, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    expect((await get(superToken)).body.data.values.apiBaseUrl).toBe('https://api.processon.com');
  });

  it('stores valid values and derives the callback URL', async () => {
    const res = await put(superToken, { appkey: 'my-key', apiBaseUrl: 'http://localhost:4010/', publicUrl: 'https://cms.example.com/' });
    expect(res.status).toBe(200);
    expect(res.body.data.values).toEqual({ appkey: 'my-key', apiBaseUrl: 'http://localhost:4010', publicUrl: 'https://cms.example.com', hidebtn: false });
    expect(res.body.data.callbackUrl).toBe('https://cms.example.com/api/processon/callback');
    expect(res.body.data.sources.appkey).toBe('store');
  });

  it('keeps the values across a restart', async () => {
    await restart();
    const login = await http().post('/admin/login').send({ email, password: 'Test-password-1234' });
    superToken = login.body.data.token ?? login.body.data.accessToken;
    const res = await get(superToken);
    expect(res.body.data.values.appkey).toBe('my-key');
    expect(res.body.data.values.publicUrl).toBe('https://cms.example.com');
  });

  it('requires the plugin RBAC actions server-side', async () => {
    const running = app as TestApp;
    const none = await createAdmin(running, [{ action: 'plugin::content-manager.explorer.read', subject: 'api::article.article' }]);
    expect((await get(none.token)).status).toBe(403);
    expect((await put(none.token, { appkey: 'x' })).status).toBe(403);
    const reader = await createAdmin(running, [{ action: 'plugin::processon.settings.read' }]);
    expect((await get(reader.token)).status).toBe(200);
    expect((await put(reader.token, { appkey: 'hijack' })).status).toBe(403);
    expect((await get(superToken)).body.data.values.appkey).toBe('my-key');
    const actions = (running.strapi.service('admin::permission') as unknown as { actionProvider: { values(): { actionId: string }[] } })
      .actionProvider.values().map((a) => a.actionId);
    expect(actions).toEqual(expect.arrayContaining(['plugin::processon.settings.read', 'plugin::processon.settings.update']));
  });

  it('shows a value fixed by env as read-only and refuses to change it', async () => {
    await restart({ PROCESSON_APPKEY: 'from-env' });
    const login = await http().post('/admin/login').send({ email, password: 'Test-password-1234' });
    const token = login.body.data.token ?? login.body.data.accessToken;
    const res = await get(token);
    expect(res.body.data.values.appkey).toBe('from-env');
    expect(res.body.data.sources.appkey).toBe('env');
    expect(res.body.data.envNames.appkey).toBe('PROCESSON_APPKEY');
    const refused = await put(token, { appkey: 'other' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.errors[0].path).toEqual(['appkey']);
    expect((await put(token, { publicUrl: 'https://b.example.com' })).status).toBe(200);
  });
});
