/**
 * The admin routes behind the field and the Settings page (issue 5): the field's allowed categories
 * and Save-button option on session creation, usage and the session quota, the callback check, and
 * the viewer/export forms of the field's View and Download actions.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import { randomUUID } from 'crypto';
import { createAdmin, setPluginSettings, startStrapi, type TestApp } from '../helpers/strapi';
import { probeAnswer } from '../../server/src/processon/token';

let app: TestApp;
let admin: { token: string };
let publicUrl = '';

const SETTINGS = {
  appkey: 'test-appkey',
  apiBaseUrl: 'http://localhost:4999',
  // Port 9 (discard): nothing listens there, so checking the stored URL reaches no one.
  publicUrl: 'http://127.0.0.1:9',
  hidebtn: false,
};

/** A throwaway HTTP server on 127.0.0.1 answering with `handler`. */
const serve = async (handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> => {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

beforeAll(async () => {
  app = await startStrapi();
  admin = await createAdmin(app);
  await setPluginSettings(app, SETTINGS);
  // The in-process Strapi also listens on a real port, so that it can be probed over HTTP.
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(0, '127.0.0.1', () => resolve()));
  publicUrl = `http://127.0.0.1:${(app.strapi.server.httpServer.address() as AddressInfo).port}`;
});
afterAll(async () => app.close());

const auth = (token = admin.token) => ({ Authorization: `Bearer ${token}` });

const sessionBody = (overrides: Record<string, unknown> = {}) => ({
  uid: 'api::article.article',
  documentId: null,
  locale: null,
  field: 'diagram',
  chartid: randomUUID(),
  category: 'mind',
  title: 'A diagram',
  def: '',
  ...overrides,
});
const runbookBody = (overrides: Record<string, unknown> = {}) =>
  sessionBody({ uid: 'api::runbook.runbook', field: 'procedure', category: 'uml', ...overrides });

const openSession = (body: Record<string, unknown>, token = admin.token) =>
  app.http().post('/processon/sessions').set(auth(token)).send(body);

const putSettings = (body: Record<string, unknown>, token = admin.token) =>
  app.http().put('/processon/settings').set(auth(token)).send(body);

describe('the field\'s Content-Type Builder options, on the server', () => {
  it('refuses a session for a category the field does not allow (400 on category), allows the others', async () => {
    const refused = await openSession(runbookBody({ category: 'mind' }));
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('category "mind" is not allowed for this field (allowed: flow, uml)');
    expect(refused.body.error.details.errors[0].path).toEqual(['category']);
    expect(await app.strapi.db.query('plugin::processon.edit-session').count({ where: { contentType: 'api::runbook.runbook' } })).toBe(0);
    for (const category of ['flow', 'uml']) {
      expect((await openSession(runbookBody({ category }))).status).toBe(201);
    }
    // A field without the option allows every category.
    for (const category of ['mind', 'network', 'venn', 'mind_org']) {
      expect((await openSession(sessionBody({ category }))).status).toBe(201);
    }
  });

  it('the field\'s own Save-button choice wins over the setting', async () => {
    await setPluginSettings(app, { ...SETTINGS, hidebtn: true });
    const article = await openSession(sessionBody());
    expect(article.body.data.form.fields.hidebtn).toBe('true');
    // The runbook's procedure field says "show".
    const runbook = await openSession(runbookBody());
    expect(runbook.body.data.form.fields.hidebtn).toBe('false');
    await setPluginSettings(app, SETTINGS);
  });
});

describe('usage and the session quota', () => {
  it('counts the sessions opened today, this month and in total, from the edit-session table', async () => {
    const before = await app.http().get('/processon/usage').set(auth());
    expect(before.status).toBe(200);
    const base = before.body.data.total;
    expect(base).toBeGreaterThan(0);
    // One session opened last year and one 40 days ago count only in the total.
    const sessions = app.strapi.db.query('plugin::processon.edit-session');
    const old = new Date();
    old.setFullYear(old.getFullYear() - 1);
    for (const createdAt of [old, new Date(Date.now() - 40 * 24 * 3600 * 1000)]) {
      await sessions.create({
        data: {
          sessionKey: randomUUID(),
          chartid: randomUUID(),
          contentType: 'api::article.article',
          fieldPath: 'diagram',
          category: 'mind',
          expiresAt: createdAt,
          createdAt,
        },
      });
    }
    expect((await openSession(sessionBody())).status).toBe(201);
    const after = await app.http().get('/processon/usage').set(auth());
    expect(after.body.data).toMatchObject({
      today: before.body.data.today + 1,
      month: before.body.data.month + 1,
      total: base + 3,
      quota: 0,
      state: 'none',
    });
    expect(typeof after.body.data.timeZone).toBe('string');
  });

  it('warns at 80 % of the quota and, once it is reached, refuses new sessions with 429 explaining 4004', async () => {
    const { total } = (await app.http().get('/processon/usage').set(auth())).body.data;
    expect((await putSettings({ sessionQuota: total * 2, quotaPeriod: 'total' })).status).toBe(200);
    expect((await app.http().get('/processon/usage').set(auth())).body.data).toMatchObject({ used: total, state: 'ok' });
    // At 80 % (and more) of the quota: a warning.
    expect((await putSettings({ sessionQuota: Math.floor(total / 0.8) })).status).toBe(200);
    expect((await app.http().get('/processon/usage').set(auth())).body.data.state).toBe('warning');
    expect((await putSettings({ sessionQuota: total + 1 })).status).toBe(200);
    expect((await openSession(sessionBody())).status).toBe(201);
    const usage = (await app.http().get('/processon/usage').set(auth())).body.data;
    expect(usage).toMatchObject({ used: total + 1, quota: total + 1, period: 'total', state: 'reached' });
    const refused = await openSession(sessionBody());
    expect(refused.status).toBe(429);
    expect(refused.body.error.name).toBe('RateLimitError');
    expect(refused.body.error.details).toEqual({ processonCode: 4004, reason: 'quota' });
    expect(refused.body.error.message).toBe(`The editor session quota is reached (${total + 1} of ${total + 1} in total)`);
    // Nothing was opened (the count did not move), and raising the quota lets editors in again.
    expect((await app.http().get('/processon/usage').set(auth())).body.data.used).toBe(total + 1);
    expect((await putSettings({ sessionQuota: 0 })).status).toBe(200);
    expect((await openSession(sessionBody())).status).toBe(201);
  });
});

describe('the callback check', () => {
  const check = (body: Record<string, unknown>, token = admin.token) =>
    app.http().post('/processon/settings/check-callback').set(auth(token)).send(body);

  it('proves the callback route is reachable at the public URL (this very Strapi answered)', async () => {
    const res = await check({ publicUrl });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ok: true, outcome: 'ok', url: `${publicUrl}/api/processon/callback`, status: 200 });
    // The probe stored nothing and opened nothing.
    expect(await app.strapi.db.query('plugin::processon.revision').count({})).toBe(0);
  });

  it('answers the probe only with the signature of its nonce, and refuses malformed probes', async () => {
    const nonce = 'n'.repeat(32);
    const res = await app.http().post(`/api/processon/callback?probe=${nonce}`).send('');
    expect(res.status).toBe(200);
    expect(res.body.probe).toBe(probeAnswer(app.strapi.plugin('processon').service('settings').callbackSecret(), nonce));
    const bad = await app.http().post('/api/processon/callback?probe=short').send('');
    expect(bad.status).toBe(400);
  });

  it('tells apart another server, a redirect, nothing listening and a timeout', async () => {
    const other = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ probe: 'not-the-signature' }));
    });
    const redirect = await serve((_req, res) => {
      res.writeHead(302, { Location: 'https://elsewhere.example.com/internal/path?secret=1' });
      res.end();
    });
    const hanging = await serve(() => undefined);
    const closed = await serve(() => undefined);
    const closedUrl = closed.url;
    await closed.close();
    try {
      expect((await check({ publicUrl: other.url })).body.data).toMatchObject({ ok: false, outcome: 'other-server', status: 200 });
      expect((await check({ publicUrl: redirect.url })).body.data).toMatchObject({
        ok: false,
        outcome: 'redirect',
        status: 302,
        detail: 'https://elsewhere.example.com',
      });
      expect((await check({ publicUrl: closedUrl })).body.data).toMatchObject({ ok: false, outcome: 'unreachable', detail: 'ECONNREFUSED' });
      const slow = await check({ publicUrl: hanging.url });
      expect(slow.body.data).toMatchObject({ ok: false, outcome: 'timeout', status: null });
      expect(slow.body.data.elapsedMs).toBeGreaterThanOrEqual(4900);
      expect(slow.body.data.elapsedMs).toBeLessThan(8000);
    } finally {
      await Promise.all([other.close(), redirect.close(), hanging.close()]);
    }
  }, 20_000);

  it('probes only <publicUrl>/api/processon/callback, of a valid public URL, and only the stored one for readers', async () => {
    let seen = '';
    const spy = await serve((req, res) => {
      seen = `${req.method} ${req.url}`;
      res.writeHead(404);
      res.end();
    });
    try {
      const res = await check({ publicUrl: `${spy.url}/` });
      expect(res.body.data.outcome).toBe('other-server');
      expect(seen).toMatch(/^POST \/api\/processon\/callback\?probe=[A-Za-z0-9_-]{32}$/);
    } finally {
      await spy.close();
    }
    for (const bad of ['http://127.0.0.1:1/x?y', 'file:///etc/passwd', 'gopher://127.0.0.1:25', 'http://user:pw@127.0.0.1']) {
      const res = await check({ publicUrl: bad });
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
    }
    expect((await check({ other: 1 })).status).toBe(400);
    // Without a body: the stored public URL, where nothing listens.
    const stored = await check({});
    expect(stored.body.data).toMatchObject({ url: 'http://127.0.0.1:9/api/processon/callback', outcome: 'unreachable' });
    const reader = await createAdmin(app, [{ action: 'plugin::processon.settings.read' }]);
    expect((await check({}, reader.token)).status).toBe(200);
    expect((await check({ publicUrl: 'http://127.0.0.1:9' }, reader.token)).status).toBe(200);
    const elsewhere = await check({ publicUrl }, reader.token);
    expect(elsewhere.status).toBe(403);
  });
});

describe('viewer and export forms for the field\'s View and Download actions', () => {
  const formBody = (overrides: Record<string, unknown> = {}) => ({
    uid: 'api::article.article',
    documentId: null,
    locale: null,
    field: 'diagram',
    kind: 'view',
    chartid: randomUUID(),
    category: 'flow',
    title: 'Flow',
    ...overrides,
  });
  const forms = (body: Record<string, unknown>, token = admin.token) => app.http().post('/processon/forms').set(auth(token)).send(body);

  it('answers the documented view and export forms, with an empty def for the admin to fill in', async () => {
    const view = await forms(formBody());
    expect(view.status).toBe(200);
    expect(view.body.data.form).toEqual({
      endpoint: 'view',
      action: 'http://localhost:4999/openapi/diagrams/view',
      method: 'POST',
      acceptCharset: 'UTF-8',
      fields: { appkey: 'test-appkey', category: 'flow', title: 'Flow', def: '' },
    });
    const body = formBody({ kind: 'export', type: 'pdf', field: 'sections.0.diagram' });
    const exported = await forms(body);
    expect(exported.status).toBe(200);
    expect(exported.body.data.form.fields).toEqual({
      appkey: 'test-appkey',
      chartid: body.chartid,
      category: 'flow',
      title: 'Flow',
      def: '',
      type: 'pdf',
    });
    // Forms open no editor session (ProcessOn bills editor sessions only).
    expect(await app.strapi.db.query('plugin::processon.edit-session').count({ where: { chartid: body.chartid } })).toBe(0);
  });

  it('refuses bad bodies, other fields, and users who may not read the content type', async () => {
    expect((await forms(formBody({ kind: 'export' }))).status).toBe(400);
    expect((await forms(formBody({ type: 'pdf' }))).status).toBe(400);
    expect((await forms(formBody({ kind: 'edit' }))).status).toBe(400);
    expect((await forms(formBody({ field: 'title' }))).status).toBe(400);
    expect((await forms({ ...formBody(), def: 'x' })).status).toBe(400);
    const outsider = await createAdmin(app, [
      { action: 'plugin::content-manager.explorer.read', subject: 'api::runbook.runbook', properties: { fields: ['title', 'procedure'] } },
    ]);
    expect((await forms(formBody(), outsider.token)).status).toBe(403);
    // A reader of runbooks may view a stored runbook's diagram, not that of an entry they cannot create.
    const runbook = (await app.strapi.documents('api::runbook.runbook' as never).create({
      data: {
        title: 'Restart the cluster',
        procedure: { chartid: randomUUID(), category: 'flow', title: 'Restart', def: '{}', size: 0, valid: false, updatedAt: new Date().toISOString() },
      },
    } as never)) as { documentId: string };
    const runbookForm = formBody({ uid: 'api::runbook.runbook', field: 'procedure' });
    expect((await forms({ ...runbookForm, documentId: runbook.documentId }, outsider.token)).status).toBe(200);
    expect((await forms(runbookForm, outsider.token)).status).toBe(403);
    expect((await forms(formBody({ documentId: 'nope' }))).status).toBe(404);
  });

  it('needs the appkey and base URL, not the public URL', async () => {
    await setPluginSettings(app, { ...SETTINGS, publicUrl: '' });
    expect((await forms(formBody())).status).toBe(200);
    await setPluginSettings(app, { ...SETTINGS, appkey: '' });
    const refused = await forms(formBody());
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('ProcessOn is not configured: missing appkey');
    await setPluginSettings(app, SETTINGS);
  });
});
