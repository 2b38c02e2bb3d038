/**
 * Bodies of the save paths (issue 3): a def of up to maxDefSize is accepted in JSON, urlencoded,
 * multipart and text bodies; a larger one gets 413 naming the limit and the setting, and nothing is
 * stored; every other route keeps Strapi's own body limits.
 *
 * Three Strapi boots, one after the other:
 * - "without the wrapper": the playground with the plugin, but the plugin's `strapi::body` wrapper
 *   suppressed (the registry's `extend` ignores it for this boot). Same app, same config: what
 *   Strapi answers without the feature, the baseline the REST answers are compared with.
 * - the default maxDefSize (20 MB): a 20 MB JSON save, the REST routes, the internal API pin;
 * - PROCESSON_MAX_DEF_SIZE = 3 MB: every encoding, at the limit, one byte over, far over.
 */
import { createHash, randomUUID } from 'crypto';
import {
  createAdmin,
  createApiToken,
  setPluginSettings,
  startStrapi,
  type TestApp,
} from '../helpers/strapi';

const MB = 1024 * 1024;
const DEFAULT_LIMIT = 20 * MB;
const SMALL_LIMIT = 3 * MB;
/** What the plugin allows on top of a body's encoded def (see server/src/middlewares/body-limit.ts). */
const BODY_OVERHEAD = 64 * 1024;

const SETTINGS = {
  appkey: 'test-appkey',
  apiBaseUrl: 'http://localhost:4999',
  publicUrl: 'http://localhost:1337',
  hidebtn: false,
};

const sha = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * A mind-map-like def of exactly `size` UTF-8 bytes: a quarter of nodes with quotes, `&`, `+`, `%`,
 * `=` and an emoji, then Chinese text (3 bytes a char, 9 once percent-encoded): close to the worst
 * growth an encoding can give (form ≈ 2.8×, \u-escaped JSON ≈ 2×).
 */
const makeDef = (size: number): string => {
  const head = '{"id":"root","title":"Go 内存分配器","children":[';
  const tail = (pad: string) => `],"note":"${pad}"}`;
  const node = (i: number) =>
    `{"id":"n${i}","title":"内存分配器 mcache 节点 ${i}：\\"span\\" & 100% + a=b 🚀","children":[]}`;
  const parts: string[] = [head];
  let used = bytes(head) + bytes(tail(''));
  for (let i = 0; ; i += 1) {
    const piece = (i === 0 ? '' : ',') + node(i);
    const n = bytes(piece);
    if (used + n > size / 4) break;
    parts.push(piece);
    used += n;
  }
  const rest = size - used;
  const pad = '中文，图。'.repeat(Math.floor(rest / 15)) + '中'.repeat(Math.floor((rest % 15) / 3)) + 'x'.repeat(rest % 3);
  parts.push(tail(pad));
  const def = parts.join('');
  if (bytes(def) !== size) throw new Error(`makeDef: ${bytes(def)} bytes instead of ${size}`);
  return def;
};

/** JSON as some servers send it (PHP's json_encode): every non-ASCII char as \uXXXX, twice the bytes. */
const asciiJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

type Encoding = 'json' | 'form' | 'multipart' | 'text';
const ENCODINGS: Encoding[] = ['json', 'form', 'multipart', 'text'];

interface Push {
  chartid: string;
  def: string;
  size?: string;
  valid?: string | boolean;
  /** An extra field (ignored by the plugin): makes a body large without a large def. */
  extra?: string;
}

/** Posts a save in one encoding; json is sent \u-escaped (its worst realistic growth). */
const post = (app: TestApp, url: string, encoding: Encoding, push: Push, headers: Record<string, string> = {}) => {
  const fields: Record<string, string> = {
    chartid: push.chartid,
    def: push.def,
    size: push.size ?? '1',
    valid: String(push.valid ?? 'true'),
    ...(push.extra === undefined ? {} : { extra: push.extra }),
  };
  let req = app.http().post(url);
  for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
  switch (encoding) {
    case 'json':
      return req.set('Content-Type', 'application/json').send(asciiJson({ ...fields, valid: fields.valid === 'true' }));
    case 'form':
      return req.set('Content-Type', 'application/x-www-form-urlencoded').send(new URLSearchParams(fields).toString());
    case 'text':
      // A text/plain body holding a form: percent-encoded, the largest growth of all.
      return req.set('Content-Type', 'text/plain; charset=utf-8').send(new URLSearchParams(fields).toString());
    case 'multipart':
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return req;
  }
};

interface Session {
  chartid: string;
  sessionId: string;
  /** path + query of the signed callbackurl */
  callback: string;
}

const openSession = async (app: TestApp, adminToken: string): Promise<Session> => {
  const chartid = randomUUID();
  const res = await app
    .http()
    .post('/processon/sessions')
    .set('Authorization', `Bearer ${adminToken}`)
    .send({ uid: 'api::article.article', documentId: null, locale: null, field: 'diagram', chartid, category: 'mind', title: 'big', def: '' });
  if (res.status !== 201) throw new Error(`opening a session failed: ${res.status} ${res.text}`);
  const url = new URL(res.body.data.form.fields.callbackurl as string);
  // A new entry's diagram gets the server's chartid.
  return { chartid: res.body.data.form.fields.chartid as string, sessionId: res.body.data.sessionId as string, callback: url.pathname + url.search };
};

const revisions = async (app: TestApp, chartid: string): Promise<{ def: string; sha256: string }[]> =>
  (await app.strapi.db.query('plugin::processon.revision').findMany({ where: { chartid } })) as {
    def: string;
    sha256: string;
  }[];

/** The single stored revision of a chartid is byte-identical to `def` (no 20 MB diff printed on failure). */
const expectStoredExactly = async (app: TestApp, chartid: string, def: string) => {
  const rows = await revisions(app, chartid);
  expect(rows).toHaveLength(1);
  expect(rows[0].def.length).toBe(def.length);
  expect(Buffer.from(rows[0].def, 'utf8').equals(Buffer.from(def, 'utf8'))).toBe(true);
  expect(rows[0].sha256).toBe(sha(def));
};

const limitMessage = (limit: number) => `error: the diagram is larger than the ${limit / MB} MB limit (maxDefSize)`;

/** Strapi's own answer to a REST body over its limit (koa-body via strapi::body and strapi::errors). */
const STRAPI_413 = {
  data: null,
  error: { status: 413, name: 'PayloadTooLargeError', message: 'request entity too large' },
};

interface RestAnswer {
  status: number;
  type: string | undefined;
  body: unknown;
}

/** REST answers to a 2 MB and a 500 KB JSON body, through PUT /api/articles/:documentId. */
const restAnswers = async (app: TestApp): Promise<{ big: RestAnswer; small: RestAnswer; smallStored: number }> => {
  const apiToken = await createApiToken(app);
  const auth = { Authorization: `Bearer ${apiToken}` };
  const created = await app.http().post('/api/articles').set(auth).send({ data: { title: 'limits' } });
  expect(created.status).toBe(201);
  const id = created.body.data.documentId as string;
  const big = await app.http().put(`/api/articles/${id}`).set(auth).send({ data: { body: 'x'.repeat(2 * MB) } });
  const small = await app.http().put(`/api/articles/${id}`).set(auth).send({ data: { body: 'y'.repeat(500 * 1024) } });
  const stored = (await app.strapi.db.query('api::article.article').findOne({ where: { documentId: id } })) as { body: string };
  return {
    big: { status: big.status, type: big.type, body: big.body },
    small: { status: small.status, type: small.type, body: { length: (small.body.data?.body as string | undefined)?.length } },
    smallStored: stored.body.length,
  };
};

// ---------------------------------------------------------------------------------------------
// Baseline: the same app with the plugin's strapi::body wrapper suppressed.


interface Registry {
  get(uid: string): unknown;
  extend(uid: string, fn: (current: unknown) => unknown): Registry;
}

/** The same app, with the plugin's wrapping of strapi::body suppressed (Strapi's own limits). */
const startWithoutWrapper = (): Promise<TestApp> =>
  startStrapi({}, (strapi) => {
    const registry = strapi.get<Registry>('middlewares');
    const extend = registry.extend.bind(registry);
    registry.extend = (uid, fn) => (uid === 'strapi::body' ? registry : extend(uid, fn));
  });

let baseline: { big: RestAnswer; small: RestAnswer; smallStored: number } | null = null;

describe('without the plugin\'s body wrapper (baseline)', () => {
  let app: TestApp;
  let admin: { token: string };
  beforeAll(async () => {
    app = await startWithoutWrapper();
    admin = await createAdmin(app);
    await setPluginSettings(app, SETTINGS);
  });
  afterAll(async () => app?.close());

  it('Strapi answers its own 413 to a 2 MB REST body and stores a 500 KB one', async () => {
    baseline = await restAnswers(app);
    expect(baseline.big).toEqual({ status: 413, type: 'application/json', body: STRAPI_413 });
    expect(baseline.small.status).toBe(200);
    expect(baseline.smallStored).toBe(500 * 1024);
  });

  it('a 2 MB save gets Strapi\'s 413: the wrapper is what lets big diagrams in', async () => {
    const session = await openSession(app, admin.token);
    const res = await post(app, session.callback, 'json', { chartid: session.chartid, def: makeDef(2 * MB) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual(STRAPI_413);
    expect(await revisions(app, session.chartid)).toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('default maxDefSize (20 MB)', () => {
  let app: TestApp;
  let admin: { token: string };
  beforeAll(async () => {
    delete process.env.PROCESSON_MAX_DEF_SIZE;
    app = await startStrapi();
    admin = await createAdmin(app);
    await setPluginSettings(app, SETTINGS);
  });
  afterAll(async () => app?.close());

  it('strapi::body resolves to the plugin\'s wrapper (pins the internal registry API)', () => {
    const registry = app.strapi.get<Registry>('middlewares');
    expect(typeof registry.extend).toBe('function');
    const body = app.strapi.middleware('strapi::body');
    expect(body).toBe(registry.get('strapi::body'));
    expect(body.name).toBe('processonSaveBodyLimit');
  });

  it('stores a def of exactly 20 MB pushed as JSON, byte-identical', async () => {
    const session = await openSession(app, admin.token);
    const def = makeDef(DEFAULT_LIMIT);
    const res = await app
      .http()
      .post(session.callback)
      .send({ chartid: session.chartid, def, size: String(DEFAULT_LIMIT / 1024), valid: true });
    expect(res.status).toBe(200);
    expect(res.text).toBe('success');
    await expectStoredExactly(app, session.chartid, def);
  });

  it('stores a def of exactly 20 MB pushed as multipart (over formidable\'s 20 MB of fields), byte-identical', async () => {
    const session = await openSession(app, admin.token);
    const def = makeDef(DEFAULT_LIMIT);
    const res = await post(app, session.callback, 'multipart', { chartid: session.chartid, def });
    expect(res.status).toBe(200);
    await expectStoredExactly(app, session.chartid, def);
  });

  it('refuses a JSON def one byte over 20 MB with 413 naming the limit, and stores nothing', async () => {
    const session = await openSession(app, admin.token);
    const res = await app
      .http()
      .post(session.callback)
      .send({ chartid: session.chartid, def: makeDef(DEFAULT_LIMIT + 1), valid: true });
    expect(res.status).toBe(413);
    expect(res.type).toBe('text/plain');
    expect(res.text).toBe(limitMessage(DEFAULT_LIMIT));
    expect(await revisions(app, session.chartid)).toHaveLength(0);
  });

  it('keeps Strapi\'s own limits on a REST route: the same answers as without the wrapper', async () => {
    expect(baseline).not.toBeNull();
    const answers = await restAnswers(app);
    expect(answers.big).toEqual(baseline?.big);
    expect(answers.big.body).toEqual(STRAPI_413);
    expect(answers.small).toEqual(baseline?.small);
    expect(answers.smallStored).toBe(500 * 1024);
  });

  it('lets an entry holding a big diagram be saved in the Content Manager and its editor reopened; other types keep Strapi\'s limit', async () => {
    const def = JSON.stringify({ id: 'root', title: 'big', note: '内存'.repeat(MB) }); // ≈ 6 MB of UTF-8
    const diagram = { chartid: randomUUID(), category: 'mind', title: 'big', def, size: 1, valid: true, updatedAt: new Date().toISOString() };
    const bearer = { Authorization: `Bearer ${admin.token}` };
    const created = await app.http().post('/content-manager/collection-types/api::article.article').set(bearer).send({ title: 'Big diagram', diagram });
    expect(created.status).toBe(201);
    const documentId = created.body.data.documentId as string;
    const updated = await app
      .http()
      .put(`/content-manager/collection-types/api::article.article/${documentId}`)
      .set(bearer)
      .send({ title: 'Big diagram, edited', diagram: { ...diagram, def: `${def} ` } });
    expect(updated.status).toBe(200);
    const stored = (await app.strapi.documents('api::article.article').findOne({ documentId })) as unknown as { diagram: { def: string } };
    expect(stored.diagram.def).toBe(`${def} `);
    // The field reopens the editor with the stored def.
    const session = await app
      .http()
      .post('/processon/sessions')
      .set(bearer)
      .send({ uid: 'api::article.article', documentId, locale: null, field: 'diagram', chartid: diagram.chartid, category: 'mind', title: 'big', def: `${def} ` });
    expect(session.status).toBe(201);
    // A type without a diagram field keeps Strapi's 1 MB, in the Content Manager too; so does REST.
    const user = await app
      .http()
      .post('/content-manager/collection-types/plugin::users-permissions.user')
      .set(bearer)
      .send({ username: 'x'.repeat(2 * MB), email: 'big@test.local', password: 'Big-password-1' });
    expect(user.status).toBe(413);
    expect(user.body).toEqual(STRAPI_413);
    // Without an admin credential, even the article route keeps it: no header, or a bearer that is
    // not one (a made-up string, an access token signed with another key, a content API token).
    const anonymous = await app.http().post('/content-manager/collection-types/api::article.article').send({ title: 'x', diagram });
    expect(anonymous.status).toBe(413);
    const [head, payload] = admin.token.split('.');
    const forgedJwt = `${head}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    for (const credential of ['made-up', forgedJwt, await createApiToken(app)]) {
      const forged = await app
        .http()
        .post('/content-manager/collection-types/api::article.article')
        .set('Authorization', `Bearer ${credential}`)
        .send({ title: 'x', diagram });
      expect(forged.status).toBe(413);
      expect(forged.body).toEqual(STRAPI_413);
    }
    // An admin token (Settings → Admin Tokens) is an admin credential.
    const adminToken = await app
      .http()
      .post('/admin/admin-tokens')
      .set(bearer)
      .send({
        name: 'big diagrams',
        description: '',
        lifespan: null,
        adminPermissions: ['create', 'read'].map((action) => ({
          action: `plugin::content-manager.explorer.${action}`,
          subject: 'api::article.article',
          properties: { fields: ['title', 'diagram'], locales: ['en'] },
          conditions: [],
        })),
      });
    expect(adminToken.status).toBe(201);
    const viaAdminToken = await app
      .http()
      .post('/content-manager/collection-types/api::article.article')
      .set('Authorization', `Bearer ${adminToken.body.data.accessKey as string}`)
      .send({ title: 'Big diagram, through an admin token', diagram });
    expect(viaAdminToken.status).toBe(201);
  });

  it('answers a big callback without a valid token with its short text, without reading the body', async () => {
    const session = await openSession(app, admin.token);
    const chartid = session.chartid;
    const body = JSON.stringify({ chartid, def: 'x'.repeat(2 * MB), valid: true });
    const parse = jest.spyOn(JSON, 'parse');
    try {
      const noToken = await app.http().post('/api/processon/callback').set('Content-Type', 'application/json').send(body);
      expect([noToken.status, noToken.text]).toEqual([401, 'error: missing token']);
      const malformed = await app.http().post('/api/processon/callback?token=nonsense').set('Content-Type', 'application/json').send(body);
      expect([malformed.status, malformed.text]).toEqual([403, 'error: invalid token']);
      // Well formed, for a real session, but not signed by this deployment.
      const forged = `${session.sessionId}.${Math.floor(Date.now() / 1000) + 3600}.${'A'.repeat(43)}`;
      const bad = await app.http().post(`/api/processon/callback?token=${forged}`).set('Content-Type', 'application/json').send(body);
      expect([bad.status, bad.text]).toEqual([403, 'error: invalid token']);
      // None of these bodies was parsed (a parsed one would have gone through JSON.parse).
      expect(parse.mock.calls.some(([text]) => typeof text === 'string' && text.length > MB)).toBe(false);
    } finally {
      parse.mockRestore();
    }
    expect(await revisions(app, chartid)).toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('PROCESSON_MAX_DEF_SIZE = 3 MB, every encoding', () => {
  let app: TestApp;
  let admin: { token: string };
  beforeAll(async () => {
    app = await startStrapi({ PROCESSON_MAX_DEF_SIZE: String(SMALL_LIMIT) });
    admin = await createAdmin(app);
    await setPluginSettings(app, SETTINGS);
  });
  afterAll(async () => app?.close());

  const atLimit = makeDef(SMALL_LIMIT);
  const oneOver = makeDef(SMALL_LIMIT + 1);
  /**
   * An extra field that puts any body over the body limit (3 M + 64 KB; multipart fields M + 64 KB)
   * with a small def: the route would store such a save, so a 413 can only come from the parser.
   */
  const filler = 'x'.repeat(3 * SMALL_LIMIT + 2 * BODY_OVERHEAD);
  const smallDef = '{"id":"root","title":"小图"}';

  it.each(ENCODINGS)('stores a def of exactly maxDefSize sent as %s, byte-identical', async (encoding) => {
    const session = await openSession(app, admin.token);
    const res = await post(app, session.callback, encoding, { chartid: session.chartid, def: atLimit, size: '3072' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('success');
    await expectStoredExactly(app, session.chartid, atLimit);
  });

  it.each(ENCODINGS)('refuses a def one byte over maxDefSize sent as %s (413, nothing stored)', async (encoding) => {
    const session = await openSession(app, admin.token);
    const res = await post(app, session.callback, encoding, { chartid: session.chartid, def: oneOver });
    expect(res.status).toBe(413);
    expect(res.text).toBe(limitMessage(SMALL_LIMIT));
    expect(await revisions(app, session.chartid)).toHaveLength(0);
  });

  it.each(ENCODINGS)('refuses a body over the body limit sent as %s, at the parser (413, nothing stored)', async (encoding) => {
    const session = await openSession(app, admin.token);
    const res = await post(app, session.callback, encoding, { chartid: session.chartid, def: smallDef, extra: filler });
    expect(res.status).toBe(413);
    expect(res.type).toBe('text/plain');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toBe(limitMessage(SMALL_LIMIT));
    expect(await revisions(app, session.chartid)).toHaveLength(0);
  });

  it('answers in Chinese when the request prefers it', async () => {
    const session = await openSession(app, admin.token);
    const res = await post(app, session.callback, 'form', { chartid: session.chartid, def: smallDef, extra: filler }, { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.5' });
    expect(res.status).toBe(413);
    expect(res.text).toBe('错误：图表超过了 3 MB 的大小上限（maxDefSize）');
  });

  it('the admin save route takes the same bodies: maxDefSize stored, over it 413 with Strapi\'s JSON error', async () => {
    const session = await openSession(app, admin.token);
    const url = `/processon/sessions/${session.sessionId}/saves`;
    const auth = { Authorization: `Bearer ${admin.token}` };
    // A bearer that is no admin credential keeps Strapi's limit: the body is never parsed.
    const forged = await post(app, url, 'form', { chartid: session.chartid, def: atLimit }, { Authorization: 'Bearer made-up' });
    expect(forged.status).toBe(413);
    expect(forged.body).toEqual(STRAPI_413);
    const ok = await post(app, url, 'form', { chartid: session.chartid, def: atLimit }, auth);
    expect(ok.status).toBe(200);
    await expectStoredExactly(app, session.chartid, atLimit);

    for (const push of [{ def: smallDef, extra: filler }, { def: oneOver }]) {
      const res = await post(app, url, 'form', { chartid: session.chartid, ...push }, auth);
      expect(res.status).toBe(413);
      expect(res.body.error).toMatchObject({
        status: 413,
        name: 'PayloadTooLargeError',
        message: limitMessage(SMALL_LIMIT),
        details: { limit: SMALL_LIMIT, setting: 'maxDefSize' },
      });
    }
    expect(await revisions(app, session.chartid)).toHaveLength(1);
  });
});
