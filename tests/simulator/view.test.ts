import request from 'supertest';
import { ENDPOINTS } from '../../server/src/processon/forms';
import { FLOW_DEF, MIND_DEF, XSS, base64Def, count, errorCodeOf, makeApp, unescapeHtml, viewForm, type Form } from './helpers';

const view = async (form: Form) => {
  const res = await request(makeApp().callback()).post(ENDPOINTS.view).type('form').send(form);
  expect(res.status).toBe(200);
  expect(errorCodeOf(res.text)).toBeNull();
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  return res.text;
};

const topics = (html: string): string[] =>
  [...html.matchAll(/<span data-testid="viewer-topic">([^<]*)<\/span>/g)].map((m) => unescapeHtml(m[1]));

describe('viewer', () => {
  it('shows a mind map as a nested list of titles', async () => {
    const html = await view(viewForm());
    expect(html).toContain('<main data-testid="viewer" data-category="mind">');
    expect(html).toContain('<h1 data-testid="viewer-title">Go memory</h1>');
    const titles = topics(html);
    expect(titles).toHaveLength(44);
    expect(titles[0]).toBe('Go 内存分配');
    expect(titles).toContain('线性内存（< 1.11）');
    expect(titles).toContain('栈缓存 stackcache');
    // Nested: the root's <li> holds a <ul> holding the first child.
    expect(html).toContain(
      '<ul data-testid="viewer-outline"><li><span data-testid="viewer-topic">Go 内存分配</span><ul><li><span data-testid="viewer-topic">常见分配器</span><ul>'
    );
    expect(html).not.toContain('<input');
    expect(html).not.toContain('data-testid="save"');
  });

  it('lists the shapes of a flowchart with their texts, and counts the linkers', async () => {
    const html = await view(viewForm({ category: 'flow', def: FLOW_DEF, title: 'Approval' }));
    expect(html).toContain('<main data-testid="viewer" data-category="flow">');
    expect(count(html, 'data-testid="viewer-element"')).toBe(6);
    expect(html).toContain('<span data-testid="viewer-element-text">提交申请 Submit request</span>');
    expect(html).toContain('<span data-testid="viewer-element-text">退回修改 &amp; 重新提交</span>');
    expect(html).toContain('<span class="shape" data-testid="viewer-element-title">判定</span>');
    expect(html).toContain('data-testid="viewer-linkers" data-count="6">6 linkers</p>');
  });

  it('reads the base64 form of def', async () => {
    const html = await view(viewForm({ def: base64Def(MIND_DEF) }));
    expect(topics(html)).toHaveLength(44);
  });

  it('works without a title', async () => {
    const html = await view(viewForm({ title: undefined }));
    expect(html).toContain('<h1 data-testid="viewer-title">Untitled diagram</h1>');
  });

  it('escapes the title and shows diagram texts as text only', async () => {
    const def = JSON.stringify({
      id: 'root',
      title: `<i>${XSS}</i>`,
      children: [{ id: 'a', title: '&lt;script&gt;alert(1)&lt;/script&gt;', children: [] }],
    });
    const html = await view(viewForm({ title: XSS, def }));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<i>');
    expect(html).toContain('<h1 data-testid="viewer-title">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</h1>');
    expect(topics(html)).toEqual(['">', '<script>alert(1)</script>']);
  });

  it('escapes flowchart texts', async () => {
    const def = JSON.stringify({
      elements: {
        a: { id: 'a', name: `x"><b>`, title: XSS, textBlock: [{ text: '&lt;img src=x onerror=alert(1)&gt;' }] },
        l: { id: 'l', name: 'linker', text: XSS },
      },
    });
    const html = await view(viewForm({ category: 'uml', def }));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('data-name="x&quot;&gt;&lt;b&gt;"');
    expect(html).toContain('<span data-testid="viewer-element-text">&lt;img src=x onerror=alert(1)&gt;</span>');
    expect(html).toContain('data-count="1"');
  });
});
