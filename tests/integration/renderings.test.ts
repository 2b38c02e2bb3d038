/**
 * The static renderings over HTTP against a real Strapi: the .svg and outline routes (addressing,
 * permissions, one 404, caching, headers, escaping), the view page's outline and <noscript> image,
 * and oEmbed's thumbnail.
 */
import { randomUUID } from 'crypto';
import type { Response } from 'supertest';
import { fixture, grantPublic, setPluginSettings, startStrapi, type TestApp } from '../helpers/strapi';
import { allTopics, base64Def, type JsonObject } from '../helpers/diagrams';
import { elements, parseHtml, parseSvg, squash, svgTexts, unsafeParts } from '../helpers/svg';

let app: TestApp;

const XSS = '"><img src=x onerror=alert(1)>';
const docs: Record<string, string> = {};

const create = async (key: string, category: string, def: string, title: string, status: 'published' | 'draft' = 'published') => {
  const doc = await app.strapi.documents('api::article.article').create({
    data: {
      title: key,
      diagram: { chartid: randomUUID(), category, title, def, size: 10, valid: true, updatedAt: new Date().toISOString() } as never,
    },
    status,
  });
  docs[key] = doc.documentId;
};

const hostileMind = JSON.stringify({
  id: 'root',
  root: true,
  title: '<script>alert(1)</script>&lt;b&gt;bold&lt;/b&gt;',
  note: '</div><script>alert(2)</script>',
  children: [{ id: 'a', title: 'link', link: { type: 'url', value: 'javascript:alert(3)' }, children: [] }],
});

beforeAll(async () => {
  app = await startStrapi();
  await setPluginSettings(app, { appkey: 'render-appkey', apiBaseUrl: 'http://localhost:4999', publicUrl: 'http://localhost:1337', hidebtn: false });
  await grantPublic(app, [
    'plugin::processon.embed.view',
    'plugin::processon.embed.oembed',
    'plugin::processon.embed.svg',
    'plugin::processon.embed.outline',
    'api::article.article.find',
  ]);
  await create('mind', 'mind', fixture('mind-go-memory-allocator.def.json'), 'Go 内存分配器');
  await create('flow', 'flow', fixture('flow-approval.def.json'), XSS);
  await create('base64', 'flow', base64Def(fixture('flow-approval.def.json')), 'base64 flow');
  await create('hostile', 'mind', hostileMind, XSS);
  await create('broken', 'mind', '{"neither": "a mind map nor a canvas"}', 'broken');
  await create('draft', 'mind', fixture('mind-go-memory-allocator.def.json'), 'draft', 'draft');
});
afterAll(async () => app.close());

const svgOf = (res: Response): string => (Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.text);
const getSvg = (key: string, query = '') =>
  app
    .http()
    .get(`/api/processon/svg/articles/${docs[key] ?? key}.svg${query}`)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

const decodeTitle = (html: string) => html.replace(/<br\s*\/?>/gi, '\n').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&nbsp;/g, '\u00a0').replace(/&amp;/g, '&');

describe('GET /api/processon/svg/<type>/<documentId>.svg', () => {
  it('draws the mind map fixture: every topic title, valid SVG, strict headers', async () => {
    const res = await getSvg('mind');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *; base-uri 'none'; form-action 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['x-frame-options']).toBeUndefined();
    const doc = parseSvg(svgOf(res));
    const texts = svgTexts(doc).map(squash);
    const topics = allTopics(JSON.parse(fixture('mind-go-memory-allocator.def.json')) as JsonObject);
    for (const t of topics) expect(texts).toContain(squash(decodeTitle(String(t.title))));
    expect(elements(doc, 'title')[0].textContent).toBe('Go 内存分配器');
    expect(unsafeParts(doc)).toEqual([]);
  });

  it('draws the flowchart stored raw and as base64 of URI-encoded JSON alike (title escaped)', async () => {
    const raw = await getSvg('flow');
    const b64 = await getSvg('base64');
    expect([raw.status, b64.status]).toEqual([200, 200]);
    const texts = svgTexts(parseSvg(svgOf(raw)));
    expect(texts).toEqual(expect.arrayContaining(['开始', '审批通过？', '退回修改 & 重新提交', '停止 STOP', '结束', '否', '是']));
    expect(svgTexts(parseSvg(svgOf(b64)))).toEqual(expect.arrayContaining(['开始', '审批通过？']));
    expect(svgOf(raw)).toContain('<title>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</title>');
    expect(svgOf(raw)).not.toContain('<img');
  });

  it('escapes hostile text and drops script links', async () => {
    const res = await getSvg('hostile');
    expect(res.status).toBe(200);
    const svg = svgOf(res);
    const doc = parseSvg(svg);
    expect(unsafeParts(doc)).toEqual([]);
    // Nothing but escaped text: no markup from the def, no script URL.
    expect(svg).not.toMatch(/<script|<img|javascript:/i);
    expect(svgTexts(doc)).toContain('alert(1)<b>bold</b>');
    expect(elements(doc, 'a')).toHaveLength(0);
  });

  it('answers 422 with the reason for a def the renderer cannot draw', async () => {
    const res = await app.http().get(`/api/processon/svg/articles/${docs.broken}.svg`);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ status: 422, name: 'UnprocessableEntityError' });
    expect(res.body.error.message).toBe('The diagram cannot be drawn: the diagram is neither a mind map (root topic) nor a canvas diagram (page and elements)');
  });

  it('is cacheable like the view: weak ETag of its own, Cache-Control, Vary, 304 without reading the def', async () => {
    const first = await getSvg('mind');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{32}"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    expect(first.headers.vary).toBe('Origin, Authorization, Accept-Encoding');
    const view = await app.http().get(`/api/processon/view/articles/${docs.mind}`);
    const outline = await app.http().get(`/api/processon/outline/articles/${docs.mind}`);
    expect(new Set([etag, view.headers.etag, outline.headers.etag]).size).toBe(3);
    const embeds = app.strapi.plugin('processon').service('embeds') as { load: (...args: unknown[]) => unknown; render: (...args: unknown[]) => unknown };
    const load = jest.spyOn(embeds, 'load');
    const render = jest.spyOn(embeds, 'render');
    try {
      const again = await getSvg('mind').set('If-None-Match', etag);
      expect(again.status).toBe(304);
      expect(again.headers.etag).toBe(etag);
      expect(load).not.toHaveBeenCalled();
      expect(render).not.toHaveBeenCalled();
    } finally {
      load.mockRestore();
      render.mockRestore();
    }
  });

  it('references images only of the hosts in renderImageHosts (CSP img-src to match), which changes the ETag', async () => {
    const before = await getSvg('mind');
    expect(elements(parseSvg(svgOf(before)), 'image')).toHaveLength(0);
    app.strapi.config.set('plugin::processon.renderImageHosts', ['cdn.processon.com']);
    try {
      const after = await getSvg('mind').set('If-None-Match', before.headers.etag as string);
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(before.headers.etag);
      expect(after.headers['content-security-policy']).toContain('img-src https://cdn.processon.com http://cdn.processon.com');
      const doc = parseSvg(svgOf(after));
      expect(elements(doc, 'image')).toHaveLength(18);
      expect(unsafeParts(doc, ['cdn.processon.com'])).toEqual([]);
    } finally {
      app.strapi.config.set('plugin::processon.renderImageHosts', undefined);
    }
  });
});

describe('GET /api/processon/outline/<type>/<documentId>', () => {
  it('answers a readable page: title, the SVG, every topic, notes and links', async () => {
    const res = await app.http().get(`/api/processon/outline/articles/${docs.mind}?field=diagram`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toMatch(/^default-src 'none'; style-src 'nonce-[A-Za-z0-9+/=]+'; img-src http:\/\/localhost:1337; frame-ancestors \*; base-uri 'none'; form-action 'none'$/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const doc = parseHtml(res.text);
    expect(elements(doc, 'h1')[0].textContent).toBe('Go 内存分配器');
    expect(elements(doc, 'img')[0].getAttribute('src')).toBe(`http://localhost:1337/api/processon/svg/articles/${docs.mind}.svg?field=diagram`);
    const topics = elements(doc, 'span').filter((s) => s.getAttribute('class') === 'processon-topic');
    expect(topics).toHaveLength(44);
    expect(elements(doc, 'a').map((a) => a.getAttribute('href'))).toEqual([
      'https://draveness.me/golang/docs/part3-runtime/ch07-memory/golang-memory-allocator/',
      'https://gitee.com/zhaojinxin_golden/article-images/blob/master/go/golden-%E5%86%85%E5%AD%98%E5%88%86%E9%85%8D.pptx',
    ]);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(res.text).toContain(`<style nonce="${nonce}">`);
  });

  it('answers the bare fragment with format=fragment, and 400 for another format', async () => {
    const res = await app.http().get(`/api/processon/outline/articles/${docs.flow}?format=fragment`);
    expect(res.status).toBe(200);
    expect(res.text.startsWith('<div class="processon-outline" data-kind="canvas">')).toBe(true);
    expect(res.text).toContain('<li>审批通过？ → 退回修改 &amp; 重新提交: 否</li>');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors *; base-uri 'none'; form-action 'none'");
    const bad = await app.http().get(`/api/processon/outline/articles/${docs.flow}?format=json`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('format must be "html" or "fragment"');
  });

  it('escapes a hostile title and hostile text', async () => {
    const res = await app.http().get(`/api/processon/outline/articles/${docs.hostile}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/<script|<img src=x|javascript:/i);
    expect(res.text).toContain('<h1>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</h1>');
    expect(res.text).toContain('alert(1)&lt;b&gt;bold&lt;/b&gt;');
    const doc = parseHtml(res.text);
    expect(elements(doc, 'script')).toHaveLength(0);
    expect(elements(doc, 'a')).toHaveLength(0);
  });
});

describe('permissions and the one 404', () => {
  const kinds = ['svg', 'outline'] as const;
  const url = (kind: (typeof kinds)[number], rest: string) => `/api/processon/${kind}/${rest}`.replace(/^(\/api\/processon\/svg\/[^?]+?)(\?|$)/, '$1.svg$2');

  it.each(kinds)('%s: drafts, unknown documents and types, and fields that are not diagrams answer the same 404 as the view', async (kind) => {
    const view = await app.http().get('/api/processon/view/articles/doesnotexist0000000000000');
    const rests = [
      `articles/${docs.draft}`,
      'articles/doesnotexist0000000000000',
      `nothings/${docs.mind}`,
      `articles/${docs.mind}?field=title`,
      `articles/${docs.mind}?field=__proto__`,
    ];
    for (const rest of rests) {
      const res = await app.http().get(url(kind, rest));
      expect({ rest, status: res.status }).toEqual({ rest, status: 404 });
      expect(res.body.error).toEqual(view.body.error);
    }
  });

  it.each(kinds)('%s: the same 404 when the role may not find the owning content type', async (kind) => {
    const role = (await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } })) as { id: number };
    await app.strapi.db.query('plugin::users-permissions.permission').deleteMany({ where: { action: 'api::article.article.find', role: role.id } });
    try {
      const res = await app.http().get(url(kind, `articles/${docs.mind}`));
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe('No published ProcessOn diagram at this address');
    } finally {
      await grantPublic(app, ['api::article.article.find']);
    }
    expect((await app.http().get(url(kind, `articles/${docs.mind}`))).status).toBe(200);
  });

  it.each(kinds)('%s: governed by its own Users & Permissions action', async (kind) => {
    const role = (await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } })) as { id: number };
    await app.strapi.db.query('plugin::users-permissions.permission').deleteMany({ where: { action: `plugin::processon.embed.${kind}`, role: role.id } });
    try {
      expect((await app.http().get(url(kind, `articles/${docs.mind}`))).status).toBe(403);
      // The view itself is still served: the actions are separate.
      expect((await app.http().get(`/api/processon/view/articles/${docs.mind}`)).status).toBe(200);
    } finally {
      await grantPublic(app, [`plugin::processon.embed.${kind}`]);
    }
  });
});

describe('the view page and oEmbed', () => {
  it('carries a crawler-readable outline and, for browsers without JavaScript, the SVG', async () => {
    const res = await app.http().get(`/api/processon/view/articles/${docs.mind}?field=diagram`);
    expect(res.status).toBe(200);
    const svgUrl = `http://localhost:1337/api/processon/svg/articles/${docs.mind}.svg?field=diagram`;
    expect(res.text).toMatch(new RegExp(`<noscript><button type="submit">Open the diagram</button><p><img class="processon-diagram" src="${svgUrl.replace(/[.?]/g, '\\$&')}" alt="Go 内存分配器" width="\\d+" height="\\d+"></p></noscript>`));
    expect(res.text).toContain('<main><div class="processon-outline" data-kind="mind">');
    const doc = parseHtml(res.text);
    expect(elements(doc, 'span').filter((s) => s.getAttribute('class') === 'processon-topic')).toHaveLength(44);
    expect(res.headers['content-security-policy']).toContain('img-src http://localhost:1337;');
  });

  it('still serves the view page when the def cannot be drawn (no outline then)', async () => {
    const res = await app.http().get(`/api/processon/view/articles/${docs.broken}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('processon-outline');
    expect(res.headers['content-security-policy']).not.toContain('img-src');
  });

  it('oEmbed gives the SVG as thumbnail, its size fitted in the embed box', async () => {
    const viewUrl = `http://localhost:1337/api/processon/view/articles/${docs.flow}?field=diagram`;
    const res = await app.http().get(`/api/processon/oembed?url=${encodeURIComponent(viewUrl)}&maxwidth=300`);
    expect(res.status).toBe(200);
    expect(res.body.thumbnail_url).toBe(`http://localhost:1337/api/processon/svg/articles/${docs.flow}.svg?field=diagram`);
    const svg = await getSvg('flow');
    const width = Number(parseSvg(svgOf(svg)).documentElement?.getAttribute('width'));
    const height = Number(parseSvg(svgOf(svg)).documentElement?.getAttribute('height'));
    expect(res.body.thumbnail_width).toBeLessThanOrEqual(300);
    expect(res.body.thumbnail_height).toBeLessThanOrEqual(480);
    expect(res.body.thumbnail_width / res.body.thumbnail_height).toBeCloseTo(width / height, 1);
    const broken = `http://localhost:1337/api/processon/view/articles/${docs.broken}`;
    const none = await app.http().get(`/api/processon/oembed?url=${encodeURIComponent(broken)}`);
    expect(none.status).toBe(200);
    expect(none.body.thumbnail_url).toBeUndefined();
  });
});

describe('drawing once, linking only what the caller may load', () => {
  interface Embeds {
    render: (...args: unknown[]) => unknown;
    load: (...args: unknown[]) => unknown;
    forgetPages(): void;
  }
  const embeds = () => app.strapi.plugin('processon').service('embeds') as Embeds;

  it('draws a diagram once per version for the SVG, the outline, the view page and oEmbed', async () => {
    embeds().forgetPages();
    const render = jest.spyOn(embeds(), 'render');
    const load = jest.spyOn(embeds(), 'load');
    try {
      const first = await getSvg('mind');
      expect(first.status).toBe(200);
      expect(render).toHaveBeenCalledTimes(1);
      const again = await getSvg('mind');
      expect(svgOf(again)).toBe(svgOf(first));
      expect((await app.http().get(`/api/processon/outline/articles/${docs.mind}`)).status).toBe(200);
      const viewUrl = `http://localhost:1337/api/processon/view/articles/${docs.mind}?field=diagram`;
      expect((await app.http().get(`/api/processon/oembed?url=${encodeURIComponent(viewUrl)}`)).body.thumbnail_url).toBeDefined();
      // Drawn once, and the SVG and outline answers after the first read nothing from the database.
      expect(render).toHaveBeenCalledTimes(1);
      expect(load).toHaveBeenCalledTimes(2); // the first SVG, and oEmbed's title
    } finally {
      render.mockRestore();
      load.mockRestore();
    }
  });

  it("gives the outline page's ETag the public URL its image link is on", async () => {
    const url = `/api/processon/outline/articles/${docs.flow}`;
    const first = await app.http().get(url);
    const settings = app.strapi.plugin('processon').service('settings') as { update(values: Record<string, unknown>): Promise<void> };
    await settings.update({ publicUrl: 'http://cms.example.test' });
    try {
      const changed = await app.http().get(url).set('If-None-Match', first.headers.etag as string);
      expect(changed.status).toBe(200);
      expect(changed.text).toContain('src="http://cms.example.test/api/processon/svg/');
    } finally {
      await settings.update({ publicUrl: 'http://localhost:1337' });
    }
  });

  it('links the SVG (noscript image, oEmbed thumbnail) only for callers granted the svg action', async () => {
    const role = (await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } })) as { id: number };
    await app.strapi.db.query('plugin::users-permissions.permission').deleteMany({ where: { action: 'plugin::processon.embed.svg', role: role.id } });
    try {
      const view = await app.http().get(`/api/processon/view/articles/${docs.mind}?field=diagram`);
      expect(view.status).toBe(200);
      expect(view.text).toContain('processon-outline');
      expect(view.text).not.toContain('/api/processon/svg/');
      const viewUrl = `http://localhost:1337/api/processon/view/articles/${docs.mind}?field=diagram`;
      const oembed = await app.http().get(`/api/processon/oembed?url=${encodeURIComponent(viewUrl)}`);
      expect(oembed.status).toBe(200);
      expect(oembed.body.thumbnail_url).toBeUndefined();
    } finally {
      await grantPublic(app, ['plugin::processon.embed.svg']);
    }
    expect((await app.http().get(`/api/processon/view/articles/${docs.mind}?field=diagram`)).text).toContain('/api/processon/svg/');
  });
});
