import {
  CATEGORIES,
  ENDPOINTS,
  buildEditForm,
  buildExportForm,
  buildViewForm,
  decodeDef,
  defSizeKB,
  diagramValueProblems,
  endpointUrl,
  escapeHtml,
  httpOrigin,
  isDiagramValue,
  jsonForScript,
  newDiagramValue,
  parseCallbackPush,
  saveFromEditorMessage,
  renderAutoSubmitPage,
  signToken,
  tokenSessionId,
  verifyToken,
} from '../../server/src/processon';
import { addOriginToCsp } from '../../server/src/csp';
import fs from 'fs';
import path from 'path';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8').trim();
const CHART = '6f0c1f39-8b4e-4c53-9d55-0e6f2b1a7c01';

describe('categories and endpoints', () => {
  it('lists the six documented categories and three endpoints', () => {
    expect([...CATEGORIES]).toEqual(['flow', 'mind', 'network', 'venn', 'mind_org', 'uml']);
    expect(ENDPOINTS).toEqual({ edit: '/openapi/diagrams', view: '/openapi/diagrams/view', export: '/openapi/diagrams/export' });
    expect(endpointUrl('https://api.processon.com/', 'view')).toBe('https://api.processon.com/openapi/diagrams/view');
    expect(endpointUrl('http://localhost:4010/prefix//', 'edit')).toBe('http://localhost:4010/prefix/openapi/diagrams');
  });
});

describe('form builders', () => {
  it('builds the edit form with the documented fields in order', () => {
    const form = buildEditForm({
      apiBaseUrl: 'https://api.processon.com',
      appkey: 'k',
      chartid: CHART,
      category: 'mind',
      title: 't',
      def: '',
      callbackUrl: 'https://cms/cb?token=a.b.c',
      hidebtn: true,
    });
    expect(form.action).toBe('https://api.processon.com/openapi/diagrams');
    expect(Object.entries(form.fields)).toEqual([
      ['appkey', 'k'],
      ['chartid', CHART],
      ['category', 'mind'],
      ['title', 't'],
      ['def', ''],
      ['callbackurl', 'https://cms/cb?token=a.b.c'],
      ['hidebtn', 'true'],
    ]);
  });
  it('builds view and export forms', () => {
    const view = buildViewForm({ apiBaseUrl: 'http://x', appkey: 'k', category: 'flow', title: 't', def: '{}' });
    expect(Object.keys(view.fields)).toEqual(['appkey', 'category', 'title', 'def']);
    const exp = buildExportForm({ apiBaseUrl: 'http://x', appkey: 'k', category: 'flow', title: 't', def: '{}', chartid: CHART, type: 'pdf' });
    expect(exp.fields.type).toBe('pdf');
    expect(exp.action).toBe('http://x/openapi/diagrams/export');
  });
  it('reads origins of http(s) URLs only', () => {
    expect(httpOrigin('https://api.processon.com/openapi')).toBe('https://api.processon.com');
    expect(httpOrigin('javascript:alert(1)')).toBeNull();
    expect(httpOrigin('nonsense')).toBeNull();
  });
});

describe('diagram value', () => {
  it('accepts a new value and null, refuses wrong shapes', () => {
    const value = newDiagramValue(CHART, 'mind', 'A');
    expect(isDiagramValue(value)).toBe(true);
    expect(diagramValueProblems(null)).toEqual([]);
    expect(diagramValueProblems([])).toEqual(['must be an object or null']);
    expect(diagramValueProblems({ ...value, category: 'x', size: -1 })).toEqual([
      'category must be one of flow, mind, network, venn, mind_org, uml',
      'size must be a number >= 0',
    ]);
    expect(diagramValueProblems({ ...value, title: ' ' })).toEqual(['title must be a non-empty string']);
    expect(diagramValueProblems({ ...value, title: 'x'.repeat(256) })).toEqual(['title must be at most 255 characters']);
    expect(diagramValueProblems({ ...value, updatedAt: 'yesterday' })).toEqual(['updatedAt must be an ISO date string']);
  });
});

describe('def helpers', () => {
  it('computes size in KB from UTF-8 bytes', () => {
    expect(defSizeKB('')).toBe(0);
    expect(defSizeKB('a'.repeat(1024))).toBe(1);
    expect(defSizeKB('内'.repeat(1024))).toBe(3);
    const def = fixture('mind-go-memory-allocator.def.json');
    expect(defSizeKB(def)).toBe(Math.round((Buffer.byteLength(def) / 1024) * 100) / 100);
  });
  it('decodes raw JSON and base64 of URI-encoded JSON, and nothing else', () => {
    const def = fixture('flow-approval.def.json');
    const parsed = JSON.parse(def);
    expect(decodeDef(def)).toEqual(parsed);
    expect(decodeDef(Buffer.from(encodeURIComponent(def)).toString('base64'))).toEqual(parsed);
    expect(decodeDef('')).toBeNull();
    expect(decodeDef('{broken')).toBeNull();
    expect(decodeDef('%%%')).toBeNull();
  });
});

describe('callback push parsing', () => {
  it('reads JSON objects, form strings and text bodies', () => {
    expect(parseCallbackPush({ chartid: CHART, def: '{}', size: '12.5', valid: 'true' })).toEqual({
      ok: true,
      value: { chartid: CHART, def: '{}', size: 12.5, valid: true },
    });
    expect(parseCallbackPush(`chartid=${CHART}&def=%7B%7D&size=1&valid=false`)).toEqual({
      ok: true,
      value: { chartid: CHART, def: '{}', size: 1, valid: false },
    });
    expect(parseCallbackPush(JSON.stringify({ chartid: CHART, def: '{"a":1}', valid: true }))).toMatchObject({
      ok: true,
      value: { size: null, valid: true },
    });
  });
  it('without valid, calls a def valid only when it reads as one, and keeps it either way', () => {
    const b64 = Buffer.from(encodeURIComponent('{"id":"root","title":"图"}')).toString('base64');
    expect(parseCallbackPush({ chartid: CHART, def: '{"id":"root"}' })).toMatchObject({ ok: true, value: { valid: true } });
    expect(parseCallbackPush({ chartid: CHART, def: b64 })).toMatchObject({ ok: true, value: { def: b64, valid: true } });
    expect(parseCallbackPush({ chartid: CHART, def: 'not json' })).toEqual({
      ok: true,
      value: { chartid: CHART, def: 'not json', size: null, valid: false },
    });
    expect(parseCallbackPush({ chartid: CHART, def: '' })).toMatchObject({ ok: true, value: { valid: false } });
    // Said by ProcessOn: kept as said (the def is opaque).
    expect(parseCallbackPush({ chartid: CHART, def: 'not json', valid: 'true' })).toMatchObject({ ok: true, value: { valid: true } });
  });
  it('computes the size itself when the reported one is absurd', () => {
    expect(parseCallbackPush({ chartid: CHART, def: '{}', size: '1e30', valid: true })).toMatchObject({ ok: true, value: { size: null } });
    expect(parseCallbackPush({ chartid: CHART, def: '{}', size: '99999999999999999', valid: true })).toMatchObject({ ok: true, value: { size: null } });
    expect(parseCallbackPush({ chartid: CHART, def: '{}', size: -3, valid: true })).toMatchObject({ ok: true, value: { size: null } });
  });
  it('refuses what is not a save', () => {
    expect(parseCallbackPush(null)).toMatchObject({ ok: false });
    expect(parseCallbackPush({ def: '{}' })).toEqual({ ok: false, error: 'chartid is missing' });
    expect(parseCallbackPush({ chartid: CHART, def: 3 })).toEqual({ ok: false, error: 'def must be a string' });
    expect(parseCallbackPush({ chartid: CHART, def: '', valid: true })).toEqual({ ok: false, error: 'def is empty while valid is true' });
    expect(parseCallbackPush({ chartid: CHART, def: '{}', valid: 'maybe' })).toEqual({ ok: false, error: 'valid must be true or false' });
  });
  it('refuses fields sent twice or as arrays (def[]=…, "def": ["…"]), even with one element', () => {
    expect(parseCallbackPush({ chartid: CHART, def: ['{}'] })).toEqual({ ok: false, error: 'def must be a string' });
    expect(parseCallbackPush({ chartid: [CHART], def: '{}' })).toEqual({ ok: false, error: 'chartid must be a string' });
    expect(parseCallbackPush({ chartid: CHART, def: '{}', valid: ['true'] })).toEqual({ ok: false, error: 'valid must be true or false' });
    expect(parseCallbackPush(`chartid=${CHART}&def=a&def=b`)).toEqual({ ok: false, error: 'def must be a string' });
  });
});

describe('editor messages', () => {
  it('reduces a save message to a push of the expected chart, and ignores the rest', () => {
    expect(saveFromEditorMessage({ source: 'processon', event: 'save', chartid: CHART, def: '{}', size: '0.01', valid: true, extra: 1 }, CHART)).toEqual({
      chartid: CHART,
      def: '{}',
      size: '0.01',
      valid: true,
    });
    expect(saveFromEditorMessage({ def: '{"a":1}' }, CHART)).toEqual({ chartid: CHART, def: '{"a":1}' });
    expect(saveFromEditorMessage({ def: '{}', chartid: 'another' }, CHART)).toBeNull();
    expect(saveFromEditorMessage({ def: 3 }, CHART)).toBeNull();
    expect(saveFromEditorMessage('{"def":"x"}', CHART)).toBeNull();
    expect(saveFromEditorMessage(null, CHART)).toBeNull();
  });
});

describe('escaping', () => {
  it('escapes HTML text and attributes', () => {
    expect(escapeHtml(`"><img src=x onerror=alert(1)>'&\``)).toBe('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;&#96;');
  });
  it('serializes JSON safe for a script element', () => {
    const out = jsonForScript({ t: '</script><script>alert(1)</script>&\u2028' });
    expect(out).not.toContain('</script>');
    expect(JSON.parse(out)).toEqual({ t: '</script><script>alert(1)</script>&\u2028' });
  });
  it('renders an auto-submit page with every value escaped', () => {
    const form = buildViewForm({ apiBaseUrl: 'http://x"y', appkey: 'k', category: 'mind', title: '"><img src=x onerror=alert(1)>', def: '<b>&amp;</b>' });
    const html = renderAutoSubmitPage(form, { title: '</title><script>', nonce: 'n"1', submitLabel: '<go>' });
    expect(html).not.toMatch(/<img|<b>|<\/title><script>|<go>/);
    expect(html).toContain('value="&lt;b&gt;&amp;amp;&lt;/b&gt;"');
    expect(html).toContain('action="http://x&quot;y/openapi/diagrams/view"');
    expect(html).toContain('<script nonce="n&quot;1">');
  });
});

describe('callback token', () => {
  const claims = { sessionId: 'abcDEF_-123', chartid: CHART, exp: 2_000_000_000 };
  it('verifies its own signature and binds the chartid', () => {
    const token = signToken('secret', claims);
    expect(tokenSessionId(token)).toBe('abcDEF_-123');
    expect(verifyToken('secret', token, CHART, 1_900_000_000)).toEqual({ ok: true, sessionId: 'abcDEF_-123', exp: 2_000_000_000 });
    expect(verifyToken('secret', token, '00000000-0000-4000-8000-000000000000', 1_900_000_000)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyToken('other', token, CHART, 1_900_000_000)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyToken('secret', token, CHART, 2_000_000_001)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyToken('secret', '', CHART)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyToken('secret', 'a.b.c', CHART)).toEqual({ ok: false, reason: 'malformed' });
    const forgedExp = token.replace('.2000000000.', '.2100000000.');
    expect(verifyToken('secret', forgedExp, CHART, 1_900_000_000)).toEqual({ ok: false, reason: 'signature' });
  });
});

describe('admin CSP', () => {
  it('adds an origin to frame-src and form-action without widening anything', () => {
    const header = "default-src 'self';form-action 'self';img-src 'self' data:";
    const out = addOriginToCsp(header, ['frame-src', 'form-action'], 'https://api.processon.com');
    expect(out).toBe(
      "default-src 'self';form-action 'self' https://api.processon.com;img-src 'self' data:;frame-src 'self' https://api.processon.com"
    );
    expect(addOriginToCsp("frame-src 'none'", ['frame-src'], 'https://a')).toBe('frame-src https://a');
  });
});
