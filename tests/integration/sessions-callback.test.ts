import { randomUUID } from 'crypto';
import { signToken } from '../../server/src/processon/token';
import { createAdmin, fixture, grantRoleLocales, setPluginSettings, startStrapi, type TestApp } from '../helpers/strapi';

let app: TestApp;
let admin: { token: string };

const SETTINGS = {
  appkey: 'test-appkey',
  apiBaseUrl: 'http://localhost:4999',
  publicUrl: 'http://localhost:1337',
  hidebtn: false,
};

beforeAll(async () => {
  app = await startStrapi();
  admin = await createAdmin(app);
  await setPluginSettings(app, SETTINGS);
});
afterAll(async () => app.close());

const sessionBody = (overrides: Record<string, unknown> = {}) => ({
  uid: 'api::article.article',
  documentId: null,
  locale: null,
  field: 'diagram',
  chartid: randomUUID() as string,
  category: 'mind',
  title: '新图 <b>',
  def: '',
  ...overrides,
});

/**
 * Opens an edit session. A new entry's diagram gets the server's chartid: `body.chartid` is then
 * set to it, so that a test goes on with the diagram the session is for.
 */
const openSession = async (body = sessionBody(), token = admin.token) => {
  const res = await app.http().post('/processon/sessions').set('Authorization', `Bearer ${token}`).send(body);
  const given = (res.body as { data?: { form?: { fields?: { chartid?: string } } } }).data?.form?.fields?.chartid;
  if (res.status === 201 && given && body.documentId === null) body.chartid = given;
  return res;
};

const tokenOf = (callbackurl: string): string => new URL(callbackurl).searchParams.get('token') ?? '';

const revisionCount = (chartid: string) =>
  app.strapi.db.query('plugin::processon.revision').count({ where: { chartid } });

describe('edit sessions', () => {
  it('answers the documented edit form, with a signed callback URL on the public URL', async () => {
    const body = sessionBody();
    const asked = body.chartid;
    const res = await openSession(body);
    expect(res.status).toBe(201);
    // A new diagram's chartid is the server's (a UUID), not the one asked for.
    expect(res.body.data.form.fields.chartid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.body.data.form.fields.chartid).not.toBe(asked);
    // Reopened by the same user (the entry not saved yet), it stays.
    expect((await openSession({ ...body })).body.data.form.fields.chartid).toBe(body.chartid);
    const { form, sessionId } = res.body.data;
    expect(form.action).toBe('http://localhost:4999/openapi/diagrams');
    expect(form.method).toBe('POST');
    expect(Object.keys(form.fields)).toEqual(['appkey', 'chartid', 'category', 'title', 'def', 'callbackurl', 'hidebtn']);
    expect(form.fields).toMatchObject({ appkey: 'test-appkey', chartid: body.chartid, category: 'mind', title: '新图 <b>', def: '', hidebtn: 'false' });
    expect(form.fields.callbackurl).toMatch(/^http:\/\/localhost:1337\/api\/processon\/callback\?token=/);
    expect(tokenOf(form.fields.callbackurl).startsWith(`${sessionId}.`)).toBe(true);
    const stored = await app.strapi.db.query('plugin::processon.edit-session').findOne({ where: { sessionKey: sessionId } });
    expect(stored).toMatchObject({ chartid: body.chartid, contentType: 'api::article.article', fieldPath: 'diagram' });
  });

  it('refuses bad bodies with 400 and a message', async () => {
    const bad = await openSession(sessionBody({ category: 'pie' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('category must be one of');
    const noField = await openSession(sessionBody({ field: 'title' }));
    expect(noField.status).toBe(400);
    expect(noField.body.error.message).toContain('has no ProcessOn diagram field at "title"');
    for (const uid of ['__proto__', 'constructor', 'api::article']) {
      const res = await openSession(sessionBody({ uid }));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('uid must be a content type uid');
    }
    const extra = await openSession({ ...sessionBody(), extra: 1 } as ReturnType<typeof sessionBody>);
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toBe('unknown key: extra');
    for (const field of ['hero.diagram', 'sections.3.diagram', 'blocks.0.diagram']) {
      expect({ field, status: (await openSession(sessionBody({ field }))).status }).toEqual({ field, status: 201 });
    }
    for (const field of ['hero.caption', 'sections.diagram', 'blocks.diagram', 'hero.0.diagram']) {
      expect({ field, status: (await openSession(sessionBody({ field }))).status }).toEqual({ field, status: 400 });
    }
    const chart = await openSession(sessionBody({ chartid: 'abc' }));
    expect(chart.status).toBe(400);
    expect(chart.body.error.message).toContain('chartid must be a UUID');
  });

  it('refuses anonymous callers and users without Content Manager permission', async () => {
    const anonymous = await app.http().post('/processon/sessions').send(sessionBody());
    expect(anonymous.status).toBe(401);
    const reader = await createAdmin(app, [{ action: 'plugin::content-manager.explorer.read', subject: 'api::article.article' }]);
    const denied = await openSession(sessionBody({ documentId: 'abc123' }), reader.token);
    expect(denied.status).toBe(403);
    const creator = await createAdmin(app, [
      { action: 'plugin::content-manager.explorer.create', subject: 'api::article.article', properties: { fields: ['title', 'diagram'] } },
    ]);
    expect((await openSession(sessionBody(), creator.token)).status).toBe(201);
    const doc = await app.strapi.documents('api::article.article').create({ data: { title: 'Existing' } });
    expect((await openSession(sessionBody({ documentId: doc.documentId }), creator.token)).status).toBe(403);
    const missing = await openSession(sessionBody({ documentId: 'nosuchdocument000000000000' }), creator.token);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('No such document: nosuchdocument000000000000');
  });
});

describe('callback', () => {
  it('stores a JSON push as a revision that the admin sees on the session', async () => {
    const body = sessionBody();
    const { sessionId, form } = (await openSession(body)).body.data;
    const def = fixture('mind-go-memory-allocator.def.json');
    const push = await app
      .http()
      .post(new URL(form.fields.callbackurl).pathname + new URL(form.fields.callbackurl).search)
      .send({ chartid: body.chartid, def, size: '19.9', valid: true });
    expect(push.status).toBe(200);
    expect(push.text).toBe('success');
    const state = await app.http().get(`/processon/sessions/${sessionId}`).set('Authorization', `Bearer ${admin.token}`);
    expect(state.status).toBe(200);
    expect(state.body.data.revision).toMatchObject({ chartid: body.chartid, def, size: 19.9, valid: true, source: 'callback' });
    expect(state.body.data.revisionId).toBe(state.body.data.revision.id);
    expect(state.body.data.savedAt).toEqual(expect.any(String));
    // Polling with the revision already seen does not download the diagram again.
    const seen = await app.http().get(`/processon/sessions/${sessionId}?since=${state.body.data.revisionId}`).set('Authorization', `Bearer ${admin.token}`);
    expect(seen.body.data).toMatchObject({ revision: null, revisionId: state.body.data.revisionId });
    expect(seen.text.length).toBeLessThan(1000);
    expect(def.length).toBeGreaterThan(10000);
  });

  it('accepts a form-encoded push with size and valid as strings', async () => {
    const body = sessionBody({ category: 'flow' });
    const { sessionId, form } = (await openSession(body)).body.data;
    const def = fixture('flow-approval.def.json');
    const url = new URL(form.fields.callbackurl);
    const push = await app
      .http()
      .post(url.pathname + url.search)
      .type('form')
      .send({ chartid: body.chartid, def, size: '9.76', valid: 'true', extra: 'ignored' });
    expect(push.status).toBe(200);
    const state = await app.http().get(`/processon/sessions/${sessionId}`).set('Authorization', `Bearer ${admin.token}`);
    expect(state.body.data.revision.def).toBe(def);
    expect(state.body.data.revision.size).toBe(9.76);
  });

  it('does not believe an absurd reported size', async () => {
    const body = sessionBody();
    const { sessionId, form } = (await openSession(body)).body.data;
    const url = new URL(form.fields.callbackurl);
    const def = '{"id":"root","title":"' + 'x'.repeat(2048) + '"}';
    const res = await app.http().post(url.pathname + url.search).type('form').send({ chartid: body.chartid, def, size: '99999999999999999999999999', valid: 'true' });
    expect(res.status).toBe(200);
    const state = await app.http().get(`/processon/sessions/${sessionId}`).set('Authorization', `Bearer ${admin.token}`);
    expect(state.body.data.revision.size).toBe(Math.round((Buffer.byteLength(def) / 1024) * 100) / 100);
  });

  it('stores an identical consecutive save once', async () => {
    const body = sessionBody();
    const { form } = (await openSession(body)).body.data;
    const url = new URL(form.fields.callbackurl);
    for (let i = 0; i < 2; i += 1) {
      const res = await app.http().post(url.pathname + url.search).send({ chartid: body.chartid, def: '{"id":"root"}', size: '0.01', valid: true });
      expect(res.status).toBe(200);
    }
    expect(await revisionCount(body.chartid)).toBe(1);
  });

  it('refuses a push for another chartid, an unknown session, a bad or missing token, and stores nothing', async () => {
    const body = sessionBody();
    const { form } = (await openSession(body)).body.data;
    const url = new URL(form.fields.callbackurl);
    const token = url.searchParams.get('token') ?? '';
    const other = randomUUID();
    const def = '{"id":"root","title":"x"}';

    const wrongChart = await app.http().post(url.pathname + url.search).send({ chartid: other, def, size: '1', valid: true });
    expect(wrongChart.status).toBe(403);
    expect(wrongChart.text).toBe('error: this token is for another diagram');

    const missing = await app.http().post('/api/processon/callback').send({ chartid: body.chartid, def, valid: true });
    expect(missing.status).toBe(401);
    expect(missing.text).toBe('error: missing token');

    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    const bad = await app.http().post(`/api/processon/callback?token=${tampered}`).send({ chartid: body.chartid, def, valid: true });
    expect(bad.status).toBe(403);

    const malformed = await app.http().post('/api/processon/callback?token=nonsense').send({ chartid: body.chartid, def, valid: true });
    expect(malformed.status).toBe(403);

    const emptyValid = await app.http().post(url.pathname + url.search).send({ chartid: body.chartid, def: '', valid: true });
    expect(emptyValid.status).toBe(400);
    expect(emptyValid.text).toBe('error: bad request: def is empty while valid is true');
    const emptyValidZh = await app.http().post(url.pathname + url.search).set('Accept-Language', 'zh-CN').send({ chartid: body.chartid, def: '', valid: true });
    expect(emptyValidZh.text).toBe('错误：请求无效：valid 为 true 时 def 不能为空');

    await app.strapi.db.query('plugin::processon.edit-session').deleteMany({ where: { chartid: body.chartid } });
    const gone = await app.http().post(url.pathname + url.search).send({ chartid: body.chartid, def, size: '1', valid: true });
    expect(gone.status).toBe(404);
    expect(gone.text).toBe('error: unknown editing session');

    expect(await revisionCount(body.chartid)).toBe(0);
    expect(await revisionCount(other)).toBe(0);
  });

  it('answers a body it cannot read with a short text, never Strapi\'s JSON error or a stack', async () => {
    const { form } = (await openSession()).body.data;
    const url = new URL(form.fields.callbackurl);
    const res = await app.http().post(url.pathname + url.search).set('Content-Type', 'application/json').send('{"chartid": "x", "def": ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toBe('error: the request body could not be read');
  });

  it('answers in Chinese when the request prefers it', async () => {
    const res = await app.http().post('/api/processon/callback').set('Accept-Language', 'zh-CN,zh;q=0.9').send({ chartid: 'x', def: '' });
    expect(res.status).toBe(401);
    expect(res.text).toBe('错误：缺少令牌');
  });

  it('does not let one admin read another admin\'s session', async () => {
    const { sessionId } = (await openSession()).body.data;
    const other = await createAdmin(app);
    const res = await app.http().get(`/processon/sessions/${sessionId}`).set('Authorization', `Bearer ${other.token}`);
    expect(res.status).toBe(404);
  });
});

describe('callback token (each refusal stores nothing)', () => {
  const secret = () => (app.strapi.plugin('processon').service('settings') as { callbackSecret(): string }).callbackSecret();
  const push = (token: string, chartid: string) =>
    app.http().post(`/api/processon/callback?token=${encodeURIComponent(token)}`).send({ chartid, def: '{"id":"root"}', size: '0.1', valid: true });

  it('refuses an expired token', async () => {
    const body = sessionBody();
    const { sessionId } = (await openSession(body)).body.data;
    const token = signToken(secret(), { sessionId, chartid: body.chartid, exp: Math.floor(Date.now() / 1000) - 5 });
    const res = await push(token, body.chartid);
    expect(res.status).toBe(401);
    expect(res.text).toBe('error: this editing session has expired, reopen the editor');
    expect(await revisionCount(body.chartid)).toBe(0);
  });

  it('refuses a token signed with another secret', async () => {
    const body = sessionBody();
    const { sessionId } = (await openSession(body)).body.data;
    const token = signToken('another-deployment-secret', { sessionId, chartid: body.chartid, exp: Math.floor(Date.now() / 1000) + 600 });
    const res = await push(token, body.chartid);
    expect(res.status).toBe(403);
    expect(await revisionCount(body.chartid)).toBe(0);
  });

  it("refuses session A's token carrying session B's chartid", async () => {
    const a = sessionBody();
    const b = sessionBody();
    const tokenA = tokenOf((await openSession(a)).body.data.form.fields.callbackurl);
    await openSession(b);
    const res = await push(tokenA, b.chartid);
    expect(res.status).toBe(403);
    expect(res.text).toBe('error: this token is for another diagram');
    expect(await revisionCount(a.chartid)).toBe(0);
    expect(await revisionCount(b.chartid)).toBe(0);
  });

  it('accepts the token that was issued, signed with the derived secret', async () => {
    const body = sessionBody();
    const token = tokenOf((await openSession(body)).body.data.form.fields.callbackurl);
    expect((await push(token, body.chartid)).status).toBe(200);
    expect(await revisionCount(body.chartid)).toBe(1);
  });
});

describe('saves forwarded from the editor (postMessage)', () => {
  const forward = (sessionId: string, body: Record<string, unknown>, token = admin.token) =>
    app.http().post(`/processon/sessions/${sessionId}/saves`).set('Authorization', `Bearer ${token}`).send(body);

  it('stores a forwarded save exactly like a callback, as source postMessage', async () => {
    const body = sessionBody();
    const { sessionId } = (await openSession(body)).body.data;
    const def = fixture('flow-approval.def.json');
    const res = await forward(sessionId, { chartid: body.chartid, def, size: '9.76', valid: true });
    expect(res.status).toBe(200);
    expect(res.body.data.revision).toMatchObject({ chartid: body.chartid, def, size: 9.76, valid: true, source: 'postMessage' });
    expect(res.body.data.savedAt).toEqual(expect.any(String));
  });

  it('keeps one revision when the same save arrives through both channels', async () => {
    const body = sessionBody();
    const { sessionId, form } = (await openSession(body)).body.data;
    const url = new URL(form.fields.callbackurl);
    const save = { chartid: body.chartid, def: '{"id":"root","title":"both"}', size: '0.03', valid: true };
    expect((await app.http().post(url.pathname + url.search).send(save)).status).toBe(200);
    const res = await forward(sessionId, save);
    expect(res.status).toBe(200);
    expect(res.body.data.revision.source).toBe('callback');
    expect(await revisionCount(body.chartid)).toBe(1);
  });

  it('refuses the same bad saves as the callback, and other users', async () => {
    const body = sessionBody();
    const { sessionId } = (await openSession(body)).body.data;
    const other = await forward(sessionId, { chartid: randomUUID(), def: '{"a":1}', valid: true });
    expect(other.status).toBe(400);
    expect(other.body.error.message).toBe('chartid does not match this edit session');
    const empty = await forward(sessionId, { chartid: body.chartid, def: '', valid: true });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('def is empty while valid is true');
    const notString = await forward(sessionId, { chartid: body.chartid, def: { a: 1 } });
    expect(notString.status).toBe(400);
    const stranger = await createAdmin(app);
    expect((await forward(sessionId, { chartid: body.chartid, def: '{"a":1}', valid: true }, stranger.token)).status).toBe(404);
    expect((await app.http().post(`/processon/sessions/${sessionId}/saves`).send({ chartid: body.chartid, def: '{}' })).status).toBe(401);
    expect(await revisionCount(body.chartid)).toBe(0);
  });
});

describe('who may open the editor (real Editor and Author roles)', () => {
  const roleUser = async (code: string) => {
    const roles = app.strapi.service('admin::role') as unknown as { findOne(where: Record<string, unknown>): Promise<{ id: number }> };
    const role = await roles.findOne({ code });
    const email = `${code}-${randomUUID()}@test.local`;
    const password = 'Test-password-1234';
    await (app.strapi.service('admin::user') as unknown as { create(d: Record<string, unknown>): Promise<unknown> }).create({
      email, firstname: code, lastname: 'User', password, isActive: true, registrationToken: null, roles: [role.id],
    });
    const login = await app.http().post('/admin/login').send({ email, password });
    return (login.body.data.token ?? login.body.data.accessToken) as string;
  };
  const createAs = async (token: string) => {
    const res = await app
      .http()
      .post('/content-manager/collection-types/api::article.article')
      .set('Authorization', `Bearer ${token}`)
      .send({ title: `by ${token.slice(-6)}` });
    expect(res.status).toBe(201);
    return res.body.data.documentId as string;
  };

  it('lets an Editor edit any article, an Author only their own', async () => {
    await grantRoleLocales(app, 'strapi-editor');
    await grantRoleLocales(app, 'strapi-author');
    const editor = await roleUser('strapi-editor');
    const author = await roleUser('strapi-author');
    const otherAuthor = await roleUser('strapi-author');
    const own = await createAs(author);
    const foreign = await createAs(otherAuthor);
    expect((await openSession(sessionBody({ documentId: own }), editor)).status).toBe(201);
    expect((await openSession(sessionBody({ documentId: foreign }), editor)).status).toBe(201);
    expect((await openSession(sessionBody({ documentId: own }), author)).status).toBe(201);
    const denied = await openSession(sessionBody({ documentId: foreign }), author);
    expect(denied.status).toBe(403);
    expect(denied.body.error.name).toBe('ForbiddenError');
    // A new entry: both roles may create articles; the field always names the locale it edits,
    // and an Author's "is creator" condition holds for the entry they are creating.
    expect((await openSession(sessionBody(), author)).status).toBe(201);
    expect((await openSession(sessionBody({ locale: 'en' }), author)).status).toBe(201);
    expect((await openSession(sessionBody({ locale: 'en' }), editor)).status).toBe(201);
  });

  it("never lets one entry's sessions write into another entry's diagram history (forks instead)", async () => {
    await grantRoleLocales(app, 'strapi-editor');
    await grantRoleLocales(app, 'strapi-author');
    const author = await roleUser('strapi-author');
    const editor = await roleUser('strapi-editor');
    const articles = app.strapi.documents('api::article.article');
    const value = (chartid: string) => ({ chartid, category: 'mind', title: 'd', def: '{"id":"root"}', size: 0.1, valid: true, updatedAt: new Date().toISOString() });
    const pushTo = async (res: { body: { data: { form: { fields: Record<string, string> } } } }, label: string) => {
      const url = new URL(res.body.data.form.fields.callbackurl);
      return app.http().post(url.pathname + url.search).send({ chartid: res.body.data.form.fields.chartid, def: `{"id":"root","title":"${label}"}`, valid: true });
    };
    const chartOf = (res: { body: { data: { form: { fields: Record<string, string> } } } }) => res.body.data.form.fields.chartid;

    // The victim's entry, edited once by its editor: its chart belongs to it.
    const victimChart = randomUUID();
    const victim = await articles.create({ data: { title: 'Victim', diagram: value(victimChart) } as never, locale: 'en' });
    const victimSession = await openSession(sessionBody({ documentId: victim.documentId, chartid: victimChart, locale: 'en' }), editor);
    expect(chartOf(victimSession)).toBe(victimChart);
    expect((await pushTo(victimSession, 'victim')).status).toBe(200);

    // An Author naming that chartid for their own entry, or for a new one, gets a fork.
    const own = await createAs(author);
    const forged = await openSession(sessionBody({ documentId: own, chartid: victimChart, locale: 'en' }), author);
    expect(forged.status).toBe(201);
    expect(chartOf(forged)).not.toBe(victimChart);
    const forgedNew = await openSession(sessionBody({ chartid: victimChart, locale: 'en' }), author);
    expect(chartOf(forgedNew)).not.toBe(victimChart);
    // The forged session's token does not carry the victim's chartid; its saves go to the fork.
    const url = new URL(forged.body.data.form.fields.callbackurl);
    expect((await app.http().post(url.pathname + url.search).send({ chartid: victimChart, def: '{"id":"x"}', valid: true })).status).toBe(403);
    expect((await pushTo(forged, 'junk')).status).toBe(200);
    expect(await revisionCount(victimChart)).toBe(1);
    expect(await revisionCount(chartOf(forged))).toBe(1);

    // A chart nobody edited yet (seeded through the API; its chartid is public) is adopted only by
    // the entry holding it: not by another entry, nor by a new one.
    const seededChart = randomUUID();
    const seeded = await articles.create({ data: { title: 'Seeded', diagram: value(seededChart) } as never, locale: 'en' });
    expect(chartOf(await openSession(sessionBody({ documentId: own, chartid: seededChart, locale: 'en' }), author))).not.toBe(seededChart);
    const takeover = await openSession(sessionBody({ chartid: seededChart, locale: 'en' }), author);
    expect(chartOf(takeover)).not.toBe(seededChart);
    expect((await pushTo(takeover, 'junk')).status).toBe(200);
    expect(await revisionCount(seededChart)).toBe(0);
    expect(chartOf(await openSession(sessionBody({ documentId: seeded.documentId, chartid: seededChart, locale: 'en' }), editor))).toBe(seededChart);

    // A duplicated entry (same value, other document) gets its own chart on its first edit.
    const copy = await articles.create({ data: { title: 'Copy', diagram: value(victimChart) } as never, locale: 'en' });
    expect(chartOf(await openSession(sessionBody({ documentId: copy.documentId, chartid: victimChart, locale: 'en' }), editor))).not.toBe(victimChart);

    // A diagram made in a new entry gets the server's chartid; its creator keeps it when reopening,
    // and so does the entry they saved it in.
    const fresh = chartOf(await openSession(sessionBody({ chartid: randomUUID(), locale: 'en' }), author));
    expect(chartOf(await openSession(sessionBody({ chartid: fresh, locale: 'en' }), author))).toBe(fresh);
    const saved = await app
      .http()
      .post('/content-manager/collection-types/api::article.article?locale=en')
      .set('Authorization', `Bearer ${author}`)
      .send({ title: 'Saved new', diagram: value(fresh) });
    expect(saved.status).toBe(201);
    expect(chartOf(await openSession(sessionBody({ documentId: saved.body.data.documentId, chartid: fresh, locale: 'en' }), editor))).toBe(fresh);
    // ...but not another user's new entry.
    expect(chartOf(await openSession(sessionBody({ chartid: fresh, locale: 'en' }), editor))).not.toBe(fresh);
  });

  it('refuses a user who may update the type but not the diagram field', async () => {
    const limited = await createAdmin(app, [
      { action: 'plugin::content-manager.explorer.read', subject: 'api::article.article', properties: { fields: ['title', 'diagram'] } },
      { action: 'plugin::content-manager.explorer.update', subject: 'api::article.article', properties: { fields: ['title'] } },
    ]);
    const doc = await app.strapi.documents('api::article.article').create({ data: { title: 'x' } });
    const res = await openSession(sessionBody({ documentId: doc.documentId }), limited.token);
    expect(res.status).toBe(403);
  });
});

describe('who may open the editor: locales (i18n)', () => {
  it('checks the locale of the entry against the role\'s locales', async () => {
    const locales = app.strapi.plugin('i18n').service('locales') as unknown as {
      create(data: { code: string; name: string }): Promise<unknown>;
    };
    await locales.create({ code: 'fr', name: 'French (fr)' });
    const doc = await app.strapi.documents('api::article.article').create({ data: { title: 'In English' }, locale: 'en' });
    const frenchOnly = await createAdmin(app, [
      { action: 'plugin::content-manager.explorer.read', subject: 'api::article.article', properties: { fields: ['title', 'diagram'], locales: ['en', 'fr'] } },
      { action: 'plugin::content-manager.explorer.update', subject: 'api::article.article', properties: { fields: ['title', 'diagram'], locales: ['fr'] } },
      { action: 'plugin::content-manager.explorer.create', subject: 'api::article.article', properties: { fields: ['title', 'diagram'], locales: ['fr'] } },
    ]);
    // The English version exists: updating it needs the "en" locale.
    expect((await openSession(sessionBody({ documentId: doc.documentId, locale: 'en' }), frenchOnly.token)).status).toBe(403);
    // The French version does not exist yet: the Content Manager would create it, which "fr" allows.
    expect((await openSession(sessionBody({ documentId: doc.documentId, locale: 'fr' }), frenchOnly.token)).status).toBe(201);
    // A new entry in English is not theirs to create.
    expect((await openSession(sessionBody({ locale: 'en' }), frenchOnly.token)).status).toBe(403);
    expect((await openSession(sessionBody({ locale: 'fr' }), frenchOnly.token)).status).toBe(201);
  });

  it('gives a diagram filled in from another locale its own chartid and history, which that locale\'s editors see', async () => {
    // "fr" was created by the test above.
    const chartid = randomUUID();
    const value = { chartid, category: 'mind', title: 'EN', def: '{"id":"root"}', size: 0.1, valid: true, updatedAt: new Date().toISOString() };
    const doc = await app.strapi.documents('api::article.article').create({ data: { title: 'Bilingual', diagram: value } as never, locale: 'en' });
    const chartOf = (res: { body: { data: { form: { fields: Record<string, string> } } } }) => res.body.data.form.fields.chartid;
    const pushTo = async (res: { body: { data: { form: { fields: Record<string, string> } } } }, title: string) => {
      const url = new URL(res.body.data.form.fields.callbackurl);
      return app.http().post(url.pathname + url.search).send({ chartid: chartOf(res), def: `{"id":"root","title":"${title}"}`, valid: true });
    };
    const english = await openSession(sessionBody({ documentId: doc.documentId, locale: 'en', chartid }));
    expect(chartOf(english)).toBe(chartid);
    expect((await pushTo(english, 'en')).status).toBe(200);

    // The French version, filled in from the English one: same value, so the same chartid asked for.
    const frenchEditor = await createAdmin(app, [
      { action: 'plugin::content-manager.explorer.read', subject: 'api::article.article', properties: { fields: ['title', 'diagram'], locales: ['fr'] } },
      { action: 'plugin::content-manager.explorer.create', subject: 'api::article.article', properties: { fields: ['title', 'diagram'], locales: ['fr'] } },
      { action: 'plugin::content-manager.explorer.update', subject: 'api::article.article', properties: { fields: ['title', 'diagram'], locales: ['fr'] } },
    ]);
    const french = await openSession(sessionBody({ documentId: doc.documentId, locale: 'fr', chartid }), frenchEditor.token);
    expect(french.status).toBe(201);
    const frenchChart = chartOf(french);
    expect(frenchChart).not.toBe(chartid);
    expect((await pushTo(french, 'fr')).status).toBe(200);
    expect(await revisionCount(chartid)).toBe(1);
    expect(await revisionCount(frenchChart)).toBe(1);
    // Its history is the French version's: readable by a French-only editor, the English one is not.
    const history = (id: string, token: string) => app.http().get(`/processon/charts/${id}/revisions`).set('Authorization', `Bearer ${token}`);
    const own = await history(frenchChart, frenchEditor.token);
    expect(own.status).toBe(200);
    expect(own.body.data).toHaveLength(1);
    expect((await history(chartid, frenchEditor.token)).status).toBe(403);
    // Restoring from the English history while the French version still holds the English chartid
    // (filled in, never edited): the revision comes back for the field, English's history is untouched.
    const [englishSave] = (await history(chartid, admin.token)).body.data as { id: string }[];
    const restoreInto = (locale: string, token: string) =>
      app
        .http()
        .post(`/processon/charts/${chartid}/revisions/${englishSave.id}/restore`)
        .set('Authorization', `Bearer ${token}`)
        .send({ uid: 'api::article.article', documentId: doc.documentId, locale, field: 'diagram' });
    // (A French-only editor may not read English's history at all.)
    expect((await restoreInto('fr', frenchEditor.token)).status).toBe(403);
    const intoFrench = await restoreInto('fr', admin.token);
    expect(intoFrench.status).toBe(200);
    expect(intoFrench.body.meta).toEqual({ created: false, stored: false });
    expect(intoFrench.body.data).toMatchObject({ chartid, def: '{"id":"root","title":"en"}' });
    expect(await revisionCount(chartid)).toBe(1);
    const intoEnglish = await restoreInto('en', admin.token);
    expect(intoEnglish.body.meta).toEqual({ created: false, stored: true }); // already the newest
    const bad = await app
      .http()
      .post(`/processon/charts/${chartid}/revisions/${englishSave.id}/restore`)
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ uid: 'api::article.article', field: 'diagram', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('unknown key: extra');
    // Reopened in its own locale, each keeps its chartid; no locale given is the default locale ("en").
    expect(chartOf(await openSession(sessionBody({ documentId: doc.documentId, locale: 'fr', chartid: frenchChart }), frenchEditor.token))).toBe(frenchChart);
    expect(chartOf(await openSession(sessionBody({ documentId: doc.documentId, locale: null, chartid })))).toBe(chartid);
  });
});
