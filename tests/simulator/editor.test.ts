import vm from 'node:vm';
import request from 'supertest';
import { ENDPOINTS } from '../../server/src/processon/forms';
import {
  FLOW_DEF,
  MIND_DEF,
  XSS,
  base64Def,
  count,
  editForm,
  editorConfigOf,
  errorCodeOf,
  makeApp,
  unescapeHtml,
  type Form,
} from './helpers';

const open = async (form: Form) => {
  const res = await request(makeApp().callback()).post(ENDPOINTS.edit).type('form').send(form);
  expect(res.status).toBe(200);
  expect(errorCodeOf(res.text)).toBeNull();
  return res;
};

interface Topic {
  title?: string;
  children?: Topic[];
  leftChildren?: Topic[];
}

const mindTopicCount = (topic: Topic): number =>
  1 + [...(topic.children ?? []), ...(topic.leftChildren ?? [])].reduce((n, t) => n + mindTopicCount(t), 0);

const titleValues = (html: string): string[] =>
  [...html.matchAll(/<input type="text" data-testid="topic-title"[^>]* value="([^"]*)">/g)].map((m) => unescapeHtml(m[1]));

const textareaJson = (html: string): unknown => {
  const match = /<textarea id="def-json" data-testid="def-json"[^>]*>([\s\S]*?)<\/textarea>/.exec(html);
  if (!match) throw new Error('no textarea');
  return JSON.parse(unescapeHtml(match[1]));
};

const inlineScripts = (html: string): string[] =>
  [...html.matchAll(/<script nonce="[^"]+">([\s\S]*?)<\/script>/g)].map((m) => m[1]);

describe('editor page: mind map', () => {
  it('shows every topic of the fixture as an editable title, with add/remove buttons', async () => {
    const res = await open(editForm());
    const html = res.text;
    const topics = mindTopicCount(JSON.parse(MIND_DEF) as Topic);
    expect(topics).toBe(44);
    expect(count(html, 'data-testid="topic-title"')).toBe(topics);
    expect(count(html, 'data-testid="add-topic"')).toBe(topics);
    expect(count(html, 'data-testid="remove-topic"')).toBe(topics - 1);
    const titles = titleValues(html);
    expect(titles[0]).toBe('Go 内存分配');
    expect(titles).toContain('常见分配器');
    expect(titles).toContain('mspan(内存管理的基本单元)');
    // HTML fragments in titles are shown as text: entities decoded, tags dropped.
    expect(titles).toContain('线性内存（< 1.11）');
    expect(titles).toContain('二维稀疏内存（>= 1.11 ）');
    expect(titles).toContain('栈缓存 stackcache');
    expect(html).toContain('value="线性内存（&lt; 1.11）"');
    expect(html).toContain('data-testid="save"');
    expect(html).toContain('data-testid="save-status"');
    expect(html).toContain('<main data-testid="editor" data-category="mind" data-hidebtn="false">');
  });

  it('hands the page script the def as it was posted', async () => {
    const res = await open(editForm());
    const config = editorConfigOf(res.text);
    expect(config.mode).toBe('mind');
    expect(config.doc).toEqual(JSON.parse(MIND_DEF));
    expect(config.chartid).toBe(editForm().chartid);
    expect(config.saveUrl).toMatch(/^\/sim\/sessions\/[A-Za-z0-9_-]{32,}\/save$/);
  });

  it('reads the base64 form of def', async () => {
    const res = await open(editForm({ def: base64Def(MIND_DEF) }));
    expect(editorConfigOf(res.text).doc).toEqual(JSON.parse(MIND_DEF));
    expect(titleValues(res.text)[0]).toBe('Go 内存分配');
  });

  it('renders left-hand children too', async () => {
    const def = JSON.stringify({
      id: 'root',
      root: true,
      title: 'Centre',
      children: [{ id: 'r1', title: 'Right one', children: [] }],
      leftChildren: [{ id: 'l1', title: 'Left one', children: [{ id: 'l2', title: 'Left two', children: [] }] }],
    });
    const res = await open(editForm({ def }));
    expect(titleValues(res.text)).toEqual(['Centre', 'Right one', 'Left one', 'Left two']);
    expect(res.text).toContain('data-key="leftChildren"');
    expect(res.text).toContain('data-path="l0.c0"');
  });

  it('starts a new mind map from the form title when def is empty', async () => {
    const res = await open(editForm({ def: '', title: 'Fresh map' }));
    expect(titleValues(res.text)).toEqual(['Fresh map']);
    expect(editorConfigOf(res.text).doc).toEqual({
      id: 'root',
      root: true,
      title: 'Fresh map',
      structure: 'mind_free',
      children: [],
      leftChildren: [],
    });
    expect(count(res.text, 'data-testid="remove-topic"')).toBe(0);
  });

  it('treats a missing def like an empty one', async () => {
    const res = await open(editForm({ def: undefined, category: 'mind_org', title: 'Org' }));
    expect(editorConfigOf(res.text).doc).toMatchObject({ root: true, title: 'Org', structure: 'mind_org', children: [] });
  });

  it('escapes a hostile form title everywhere', async () => {
    const res = await open(editForm({ def: '', title: XSS, chartid: `c"1<x>` }));
    const html = res.text;
    expect(html).not.toContain('<img');
    expect(html).toContain('<h1 data-testid="editor-title">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</h1>');
    expect(html).toContain('<title>&quot;&gt;&lt;img src=x onerror=alert(1)&gt; - ProcessOn simulator</title>');
    expect(titleValues(html)).toEqual([XSS]);
    expect(html).toContain('c&quot;1&lt;x&gt;');
    // The new root title is an HTML fragment of the text, like any title ProcessOn stores.
    expect(editorConfigOf(html).doc).toMatchObject({ title: '"&gt;&lt;img src=x onerror=alert(1)&gt;' });
  });

  it('never injects topic titles as HTML, in the tree or in the script data', async () => {
    const def = JSON.stringify({
      id: 'root',
      root: true,
      title: `<b>bold</b> ${XSS}`,
      children: [{ id: 'a', title: '</script><script>alert(1)</script>', children: [] }],
    });
    const res = await open(editForm({ def }));
    const html = res.text;
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<script>alert');
    expect(count(html, '<script')).toBe(2);
    expect(titleValues(html)).toEqual(['bold ">', 'alert(1)']);
    expect(editorConfigOf(html).doc).toEqual(JSON.parse(def));
  });
});

describe('editor page: canvas categories', () => {
  it('shows the flow fixture as JSON text', async () => {
    const res = await open(editForm({ category: 'flow', def: FLOW_DEF }));
    const html = res.text;
    expect(textareaJson(html)).toEqual(JSON.parse(FLOW_DEF));
    expect(html).toContain('提交申请&lt;br&gt;Submit request');
    expect(html).not.toContain('data-testid="topic-title"');
    expect(editorConfigOf(html)).toMatchObject({ mode: 'json', doc: null, category: 'flow' });
  });

  it('reads the base64 form of a flow def', async () => {
    const res = await open(editForm({ category: 'flow', def: base64Def(FLOW_DEF) }));
    expect(textareaJson(res.text)).toEqual(JSON.parse(FLOW_DEF));
  });

  it.each(['flow', 'network', 'venn', 'uml'])('starts a new %s as an empty page', async (category) => {
    const res = await open(editForm({ category, def: '' }));
    expect(textareaJson(res.text)).toEqual({ page: { width: 1050, height: 700 }, elements: {} });
  });

  it('cannot be broken out of by a def holding </textarea>', async () => {
    const def = JSON.stringify({ elements: { a: { id: 'a', title: `</textarea>${XSS}` } } });
    const res = await open(editForm({ category: 'flow', def }));
    expect(res.text).not.toContain('<img');
    expect(count(res.text, '</textarea>')).toBe(1);
    expect(textareaJson(res.text)).toEqual(JSON.parse(def));
  });
});

describe('editor page: toolbar, session, framing', () => {
  it('hides the Save button with hidebtn=true and keeps the status line', async () => {
    const res = await open(editForm({ hidebtn: 'true' }));
    expect(res.text).not.toContain('data-testid="save"');
    expect(res.text).toContain('data-testid="save-status"');
    expect(res.text).toContain('data-hidebtn="true"');
    // The keyboard shortcut is still wired.
    expect(inlineScripts(res.text).join('\n')).toContain("event.key === 's'");
  });

  it.each([undefined, '', 'false'])('shows the Save button when hidebtn is %j', async (hidebtn) => {
    const res = await open(editForm({ hidebtn }));
    expect(res.text).toContain('<button type="button" data-testid="save">Save</button>');
  });

  it('gives each opening a different, long random session id', async () => {
    const app = makeApp();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i += 1) {
      const res = await request(app.callback()).post(ENDPOINTS.edit).type('form').send(editForm());
      const id = /\/sim\/sessions\/([^/]+)\/save/.exec(editorConfigOf(res.text).saveUrl)?.[1] ?? '';
      expect(id.length).toBeGreaterThanOrEqual(32);
      ids.add(id);
    }
    expect(ids.size).toBe(5);
  });

  it('can be framed by another origin and runs only its own nonce-tagged inline code', async () => {
    const res = await open(editForm());
    expect(res.headers['x-frame-options']).toBeUndefined();
    const csp = String(res.headers['content-security-policy']);
    expect(csp).not.toContain('frame-ancestors');
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(res.text).toContain(`<script nonce="${nonce}">`);
    expect(res.text).not.toMatch(/<script[^>]+src=/);
    expect(res.text).not.toMatch(/<link[^>]+href=/);
  });

  it('uses publicUrl for the save link when given', async () => {
    const app = makeApp({ publicUrl: 'https://sim.example.org/' });
    const res = await request(app.callback()).post(ENDPOINTS.edit).type('form').send(editForm());
    expect(editorConfigOf(res.text).saveUrl).toMatch(/^https:\/\/sim\.example\.org\/sim\/sessions\/[^/]+\/save$/);
    expect(String(res.headers['content-security-policy'])).toContain("connect-src 'self' https://sim.example.org");
  });

  it('ships a page script that parses', async () => {
    for (const form of [editForm(), editForm({ category: 'flow', def: FLOW_DEF, hidebtn: 'true' })]) {
      const res = await open(form);
      const scripts = inlineScripts(res.text);
      expect(scripts).toHaveLength(1);
      expect(() => new vm.Script(scripts[0])).not.toThrow();
    }
  });
});
