import request from 'supertest';
import { ERROR_CODES, type ErrorCode } from '../../server/src/processon/errors';
import { ENDPOINTS, FORM_FIELDS } from '../../server/src/processon/forms';
import {
  APPKEY,
  INACTIVE_APPKEY,
  SMALL_APPKEY,
  XSS,
  editForm,
  errorCodeOf,
  exportForm,
  makeApp,
  viewForm,
  type Form,
} from './helpers';

const STATUS: Record<ErrorCode, number> = { 4000: 401, 4001: 400, 4002: 400, 4003: 403, 4004: 402, 4005: 400, 4006: 403 };

type EndpointName = keyof typeof ENDPOINTS;
const formOf: Record<EndpointName, (o?: Record<string, string | undefined>) => Form> = {
  edit: editForm,
  view: viewForm,
  export: exportForm,
};

const post = (app: ReturnType<typeof makeApp>, endpoint: EndpointName, form: Form, headers: Record<string, string> = {}) => {
  let req = request(app.callback()).post(ENDPOINTS[endpoint]).type('form');
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  return req.send(form);
};

/** Posts the form and checks the HTML error page and the JSON variant of the same error. */
const expectError = async (
  endpoint: EndpointName,
  form: Form,
  code: ErrorCode,
  headers: Record<string, string> = {},
  app = makeApp()
): Promise<string> => {
  const html = await post(app, endpoint, form, headers);
  expect(html.status).toBe(STATUS[code]);
  expect(html.headers['content-type']).toMatch(/^text\/html/);
  expect(errorCodeOf(html.text)).toBe(code);
  const json = await post(app, endpoint, form, { ...headers, Accept: 'application/json' });
  expect(json.status).toBe(STATUS[code]);
  expect(json.headers['content-type']).toMatch(/^application\/json/);
  expect(json.body).toMatchObject({ code, message: ERROR_CODES[code].en });
  return html.text;
};

describe('error page', () => {
  it('shows the code with the English and Chinese messages', async () => {
    const html = await expectError('edit', editForm({ appkey: 'nope' }), 4000);
    expect(html).toContain('<main id="processon-error" data-testid="processon-error" data-code="4000"');
    expect(html).toContain(ERROR_CODES[4000].en);
    expect(html).toContain(ERROR_CODES[4000].zh);
  });

  it('tells a framing page the code, by postMessage, from a nonce-allowed inline script', async () => {
    const app = makeApp();
    const res = await post(app, 'edit', editForm({ callbackurl: 'https://evil.example.net/cb' }));
    const nonce = /script-src 'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))?.[1];
    expect(nonce).toBeTruthy();
    const script = res.text.split(`<script nonce="${nonce}">`)[1]?.split('</script>')[0] ?? '';
    expect(script).toContain("window.parent.postMessage({ source: 'processon', event: 'error', code: 4003, message: ");
    expect(script).toContain(JSON.stringify(ERROR_CODES[4003].en));
  });

  it('prefers HTML when Accept lists HTML first or is absent', async () => {
    const res = await post(makeApp(), 'edit', editForm({ appkey: 'nope' }), { Accept: 'text/html,application/json;q=0.9' });
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(errorCodeOf(res.text)).toBe(4000);
  });

  it('escapes posted values it repeats', async () => {
    const html = await expectError('edit', editForm({ category: XSS }), 4005);
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });
});

describe('4000: appkey missing or unknown', () => {
  it.each(['edit', 'view', 'export'] as const)('%s without appkey', async (endpoint) => {
    await expectError(endpoint, formOf[endpoint]({ appkey: undefined }), 4000);
  });
  it.each(['edit', 'view', 'export'] as const)('%s with an unknown appkey', async (endpoint) => {
    await expectError(endpoint, formOf[endpoint]({ appkey: 'not-registered' }), 4000);
  });
  it('empty appkey', async () => {
    await expectError('edit', editForm({ appkey: '' }), 4000);
  });
  it('is checked before everything else', async () => {
    await expectError('edit', { appkey: 'nope', callbackurl: 'not a url', category: 'bogus' }, 4000);
  });
});

describe('4006: account inactive', () => {
  it.each(['edit', 'view', 'export'] as const)('%s with an inactive appkey', async (endpoint) => {
    await expectError(endpoint, formOf[endpoint]({ appkey: INACTIVE_APPKEY }), 4006);
  });
  it('is checked right after the appkey, before the other parameters', async () => {
    await expectError('edit', { appkey: INACTIVE_APPKEY, callbackurl: 'bad' }, 4006);
  });
});

describe('4001: callbackurl missing or not an absolute http(s) URL', () => {
  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['relative', '/api/processon/callback'],
    ['not a URL', 'cms.example.com/callback'],
    ['ftp', 'ftp://cms.example.com/callback'],
    ['javascript', 'javascript:alert(1)'],
  ])('%s', async (_label, callbackurl) => {
    await expectError('edit', editForm({ callbackurl }), 4001);
  });
});

describe('4003: callbackurl not on a registered domain', () => {
  it.each([
    'https://evil.com/callback',
    'https://example.com.evil.net/callback',
    'https://notexample.com/callback',
    'http://127.0.0.2:1337/callback',
  ])('%s', async (callbackurl) => {
    await expectError('edit', editForm({ callbackurl }), 4003);
  });

  it.each([
    'https://example.com/callback',
    'https://cms.example.com/callback',
    'https://deep.sub.Example.COM:8443/callback',
    'http://localhost:1337/api/processon/callback',
  ])('accepts %s (registered domain, subdomain, any case or port)', async (callbackurl) => {
    const res = await post(makeApp(), 'edit', editForm({ callbackurl }));
    expect(res.status).toBe(200);
    expect(errorCodeOf(res.text)).toBeNull();
  });
});

describe('4002: def not decodable', () => {
  it.each([
    ['text', 'hello world'],
    ['broken JSON', '{"id": "root", '],
    ['a JSON array', '[1, 2]'],
    ['a JSON string', '"root"'],
    ['base64 of something else', Buffer.from('not json').toString('base64')],
  ])('editor with %s', async (_label, def) => {
    await expectError('edit', editForm({ def }), 4002);
  });

  it.each(['view', 'export'] as const)('%s without def', async (endpoint) => {
    await expectError(endpoint, formOf[endpoint]({ def: undefined }), 4002);
  });
  it.each(['view', 'export'] as const)('%s with an empty def', async (endpoint) => {
    await expectError(endpoint, formOf[endpoint]({ def: '  ' }), 4002);
  });
  it.each(['view', 'export'] as const)('%s with a broken def', async (endpoint) => {
    await expectError(endpoint, formOf[endpoint]({ def: '{nope' }), 4002);
  });
  it('refuses a def nested absurdly deep', async () => {
    const deep = `${'{"children":['.repeat(300)}{}${']}'.repeat(300)}`;
    await expectError('edit', editForm({ def: deep }), 4002);
  });
});

describe('4004: sessions used up', () => {
  it('each editor opening consumes one session; view and export consume none', async () => {
    const app = makeApp();
    const agent = request(app.callback());
    const usage = async () => (await agent.get(`/sim/usage/${SMALL_APPKEY}`)).body as { used: number; quota: number };
    expect(await usage()).toEqual({ appkey: SMALL_APPKEY, used: 0, quota: 2 });

    expect((await post(app, 'view', viewForm({ appkey: SMALL_APPKEY }))).status).toBe(200);
    expect((await post(app, 'export', exportForm({ appkey: SMALL_APPKEY }))).status).toBe(200);
    expect(await usage()).toMatchObject({ used: 0 });

    // A refused opening consumes nothing either.
    await expectError('edit', editForm({ appkey: SMALL_APPKEY, def: '{bad' }), 4002, {}, app);
    expect(await usage()).toMatchObject({ used: 0 });

    expect((await post(app, 'edit', editForm({ appkey: SMALL_APPKEY }))).status).toBe(200);
    expect(await usage()).toMatchObject({ used: 1 });
    expect((await post(app, 'edit', editForm({ appkey: SMALL_APPKEY, def: '' }))).status).toBe(200);
    expect(await usage()).toMatchObject({ used: 2 });

    const html = await post(app, 'edit', editForm({ appkey: SMALL_APPKEY }));
    expect(html.status).toBe(402);
    expect(errorCodeOf(html.text)).toBe(4004);
    const json = await post(app, 'edit', editForm({ appkey: SMALL_APPKEY }), { Accept: 'application/json' });
    expect(json.status).toBe(402);
    expect(json.body).toMatchObject({ code: 4004 });
    expect(await usage()).toMatchObject({ used: 2 });

    // The other appkey is not affected, and view still works on the exhausted one.
    expect((await post(app, 'edit', editForm())).status).toBe(200);
    expect((await post(app, 'view', viewForm({ appkey: SMALL_APPKEY }))).status).toBe(200);
  });

  it('usage of an unknown appkey is a 404', async () => {
    const res = await request(makeApp().callback()).get('/sim/usage/unknown');
    expect(res.status).toBe(404);
  });
});

describe('4005: illegal request', () => {
  const required = (endpoint: EndpointName): string[] =>
    Object.entries(FORM_FIELDS[endpoint])
      .filter(([name, isRequired]) => isRequired && name !== 'appkey' && name !== 'def' && name !== 'callbackurl')
      .map(([name]) => name);

  it('the required-field lists are the documented ones', () => {
    expect(required('edit').sort()).toEqual(['category', 'chartid', 'title']);
    expect(required('view').sort()).toEqual(['category']);
    expect(required('export').sort()).toEqual(['category', 'chartid', 'title', 'type']);
  });

  describe.each(['edit', 'view', 'export'] as const)('%s', (endpoint) => {
    it.each(required(endpoint))('without %s', async (name) => {
      await expectError(endpoint, formOf[endpoint]({ [name]: undefined }), 4005);
    });
    it.each(required(endpoint))('with a blank %s', async (name) => {
      await expectError(endpoint, formOf[endpoint]({ [name]: '   ' }), 4005);
    });
    it.each(['bpmn', 'Mind', 'MIND', 'mind ', XSS])('with category %j', async (category) => {
      await expectError(endpoint, formOf[endpoint]({ category }), 4005);
    });
    it.each(['GET', 'PUT', 'DELETE'] as const)('refuses %s with 405', async (method) => {
      const app = makeApp();
      const agent = request(app.callback());
      const call = method === 'GET' ? agent.get(ENDPOINTS[endpoint]) : method === 'PUT' ? agent.put(ENDPOINTS[endpoint]) : agent.delete(ENDPOINTS[endpoint]);
      const res = await call.query(formOf[endpoint]({ def: undefined }));
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST');
      expect(errorCodeOf(res.text)).toBe(4005);
      const json = await agent.get(ENDPOINTS[endpoint]).set('Accept', 'application/json');
      expect(json.status).toBe(405);
      expect(json.body).toMatchObject({ code: 4005 });
    });
  });

  it('view without title is fine (title is optional there)', async () => {
    const res = await post(makeApp(), 'view', viewForm({ title: undefined }));
    expect(res.status).toBe(200);
  });

  it.each(['yes', 'TRUE', '1', 'False'])('hidebtn %j', async (hidebtn) => {
    await expectError('edit', editForm({ hidebtn }), 4005);
  });

  it.each(['svg', 'png', 'PDF', 'jpg'])('export type %j', async (type) => {
    await expectError('export', exportForm({ type }), 4005);
  });

  it('a field sent twice', async () => {
    const app = makeApp();
    const body = `${new URLSearchParams(editForm()).toString()}&chartid=second`;
    const res = await request(app.callback()).post(ENDPOINTS.edit).type('form').send(body);
    expect(res.status).toBe(400);
    expect(errorCodeOf(res.text)).toBe(4005);
  });

  it('a body that cannot be parsed', async () => {
    const res = await request(makeApp().callback())
      .post(ENDPOINTS.edit)
      .set('Content-Type', 'application/json')
      .send('{"appkey": ');
    expect(res.status).toBe(400);
    expect(errorCodeOf(res.text)).toBe(4005);
  });

  it('a body over the size limit (413)', async () => {
    const app = makeApp({ bodyLimitBytes: 1024 });
    const res = await post(app, 'edit', editForm());
    expect(res.status).toBe(413);
    expect(errorCodeOf(res.text)).toBe(4005);
  });

  describe.each(['view', 'export'] as const)('%s called from a page', (endpoint) => {
    it.each([
      ['Origin', 'https://evil.com'],
      ['Origin', 'https://example.com.evil.net'],
      ['Referer', 'https://evil.com/page?x=1'],
      ['Origin', 'not a url'],
    ])('%s: %s is refused', async (header, value) => {
      await expectError(endpoint, formOf[endpoint](), 4005, { [header]: value });
    });

    it.each([
      ['Origin', 'https://example.com'],
      ['Origin', 'https://www.example.com:8443'],
      ['Referer', 'http://localhost:1337/admin/content-manager'],
      ['Origin', 'null'],
    ])('%s: %s is accepted', async (header, value) => {
      const res = await post(makeApp(), endpoint, formOf[endpoint](), { [header]: value });
      expect(res.status).toBe(200);
    });

    it('Origin wins over Referer', async () => {
      await expectError(endpoint, formOf[endpoint](), 4005, {
        Origin: 'https://evil.com',
        Referer: 'https://example.com/page',
      });
    });
  });

  it('the editor does not check Origin (its callbackurl is checked instead)', async () => {
    const res = await post(makeApp(), 'edit', editForm(), { Origin: 'https://elsewhere.org' });
    expect(res.status).toBe(200);
  });
});

describe('other request bodies', () => {
  it('accepts multipart forms', async () => {
    let req = request(makeApp().callback()).post(ENDPOINTS.edit);
    for (const [name, value] of Object.entries(editForm())) req = req.field(name, value);
    const res = await req;
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-testid="editor"');
  });

  it('accepts JSON bodies', async () => {
    const res = await request(makeApp().callback()).post(ENDPOINTS.edit).send(editForm());
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-testid="editor"');
  });

  it('reads errors from multipart forms too', async () => {
    let req = request(makeApp().callback()).post(ENDPOINTS.edit);
    for (const [name, value] of Object.entries(editForm({ callbackurl: 'https://evil.com/x' }))) {
      req = req.field(name, value);
    }
    const res = await req;
    expect(res.status).toBe(403);
    expect(errorCodeOf(res.text)).toBe(4003);
  });

  it('ignores fields it does not know (the doc\'s own form posts a "submit" field)', async () => {
    const res = await post(makeApp(), 'edit', { ...editForm(), submit: '新建/编辑文件' });
    expect(res.status).toBe(200);
  });
});

describe('helpers', () => {
  it('GET / describes the simulator', async () => {
    const res = await request(makeApp().callback()).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('ProcessOn simulator');
    expect(res.text).toContain(ENDPOINTS.edit);
    expect(res.text).toContain(APPKEY);
  });
});
