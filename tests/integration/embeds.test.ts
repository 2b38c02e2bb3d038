import { randomUUID } from 'crypto';
import { fixture, grantPublic, setPluginSettings, startStrapi, type TestApp } from '../helpers/strapi';

let app: TestApp;

const XSS = '"><img src=x onerror=alert(1)>';
const published: Record<string, string> = {};

const createArticle = async (key: string, category: string, file: string, title: string, status: 'published' | 'draft') => {
  const def = fixture(file);
  const doc = await app.strapi.documents('api::article.article').create({
    data: {
      title: key,
      diagram: { chartid: randomUUID(), category, title, def, size: 10, valid: true, updatedAt: new Date().toISOString() } as never,
    },
    status,
  });
  published[key] = doc.documentId;
};

beforeAll(async () => {
  app = await startStrapi();
  await setPluginSettings(app, { appkey: 'embed-appkey', apiBaseUrl: 'http://localhost:4999', publicUrl: 'http://localhost:1337', hidebtn: false });
  await grantPublic(app, [
    'plugin::processon.embed.view',
    'plugin::processon.embed.export',
    'plugin::processon.embed.descriptor',
    'plugin::processon.embed.oembed',
    'api::article.article.find',
  ]);
  await createArticle('mind', 'mind', 'mind-go-memory-allocator.def.json', 'Go 内存分配器', 'published');
  await createArticle('flow', 'flow', 'flow-approval.def.json', XSS, 'published');
  await createArticle('draft', 'mind', 'mind-go-memory-allocator.def.json', 'Draft', 'draft');
});
afterAll(async () => app.close());

/** Reads the hidden inputs of the auto-submitting form back out of the HTML. */
const formOf = (html: string) => {
  const decode = (s: string) =>
    s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#96;/g, '`').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const action = /<form id="processon-form" method="POST" action="([^"]*)"/.exec(html)?.[1];
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[decode(m[1])] = decode(m[2]);
  return { action: action && decode(action), fields };
};

describe('public view and export pages', () => {
  it.each([
    ['mind', 'mind-go-memory-allocator.def.json', 'mind'],
    ['flow', 'flow-approval.def.json', 'flow'],
  ])('view page of the %s fixture posts the documented view form', async (key, file, category) => {
    const res = await app.http().get(`/api/processon/view/articles/${published[key]}?field=diagram`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const form = formOf(res.text);
    expect(form.action).toBe('http://localhost:4999/openapi/diagrams/view');
    expect(Object.keys(form.fields)).toEqual(['appkey', 'category', 'title', 'def']);
    expect(form.fields.appkey).toBe('embed-appkey');
    expect(form.fields.category).toBe(category);
    expect(form.fields.def).toBe(fixture(file));
    expect(res.text).toContain('<noscript><button type="submit">');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain('form-action http://localhost:4999');
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'/);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(res.text).toContain(`<script nonce="${nonce}">`);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(csp).toContain('frame-ancestors *');
  });

  it('escapes a hostile title in the page (attribute and text)', async () => {
    const res = await app.http().get(`/api/processon/view/articles/${published.flow}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<img src=x');
    expect(res.text).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(formOf(res.text).fields.title).toBe(XSS);
    // The def of the flowchart holds "<br>" and "&amp;": escaped, and read back exactly.
    expect(formOf(res.text).fields.def).toBe(fixture('flow-approval.def.json'));
  });

  it.each(['image', 'pdf'])('export page (%s) posts the documented export form', async (type) => {
    const res = await app.http().get(`/api/processon/export/api::article.article/${published.mind}?type=${type}`);
    expect(res.status).toBe(200);
    const form = formOf(res.text);
    expect(form.action).toBe('http://localhost:4999/openapi/diagrams/export');
    expect(Object.keys(form.fields)).toEqual(['appkey', 'chartid', 'category', 'title', 'def', 'type']);
    expect(form.fields.type).toBe(type);
  });

  it('answers the JSON descriptor of the same forms', async () => {
    const view = await app.http().get(`/api/processon/descriptor/articles/${published.mind}`);
    expect(view.status).toBe(200);
    expect(view.body.data).toMatchObject({ action: 'http://localhost:4999/openapi/diagrams/view', method: 'POST' });
    expect(view.body.data.fields.def).toBe(fixture('mind-go-memory-allocator.def.json'));
    const exp = await app.http().get(`/api/processon/descriptor/articles/${published.mind}?kind=export&type=pdf`);
    expect(exp.body.data.fields.type).toBe('pdf');
  });

  it('is cacheable: ETag, Cache-Control, Vary; a conditional request answers 304 without reading the def', async () => {
    const url = `/api/processon/view/articles/${published.mind}`;
    const first = await app.http().get(url);
    expect(first.status).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{32}"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    expect(first.headers.vary).toContain('Authorization');
    const embeds = app.strapi.plugin('processon').service('embeds') as { load: (...args: unknown[]) => unknown; forgetPages(): void };
    embeds.forgetPages();
    const load = jest.spyOn(embeds, 'load');
    try {
      const again = await app.http().get(url).set('If-None-Match', etag);
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect(again.headers.etag).toBe(etag);
      expect(load).not.toHaveBeenCalled();
      // Export and descriptor have ETags of their own.
      const exp = await app.http().get(`/api/processon/export/articles/${published.mind}?type=pdf`).set('If-None-Match', etag);
      expect(exp.status).toBe(200);
      expect(load).toHaveBeenCalledTimes(1);
    } finally {
      load.mockRestore();
    }
  });

  it("answers a 304 that keeps the framed page working: no Strapi CSP or X-Frame-Options, Strapi's Vary kept", async () => {
    const url = `/api/processon/view/articles/${published.mind}`;
    const first = await app.http().get(url).set('Origin', 'https://frontend.example');
    expect(first.headers.vary).toContain('Origin');
    expect(first.headers.vary).toContain('Authorization');
    const again = await app.http().get(url).set('Origin', 'https://frontend.example').set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    // A browser merges these headers into the page it keeps: Strapi's `frame-ancestors 'self'`
    // (or a new nonce) would replace the page's own CSP and break the iframe.
    expect(again.headers['content-security-policy']).toBeUndefined();
    expect(again.headers['x-frame-options']).toBeUndefined();
    expect(again.headers.vary).toContain('Origin');
    expect(again.headers.vary).toContain('Authorization');
    // `*` is not honoured (it would claim a representation exists before the def was read).
    expect((await app.http().get(url).set('If-None-Match', '*')).status).toBe(200);
  });

  it('sends no ETag with a 404 for a published document whose diagram is empty', async () => {
    const empty = await app.strapi.documents('api::article.article').create({ data: { title: 'empty', diagram: null } as never, status: 'published' });
    const res = await app.http().get(`/api/processon/view/articles/${empty.documentId}`);
    expect(res.status).toBe(404);
    expect(res.headers.etag).toBeUndefined();
  });

  it('renders a page once per version: later answers come from the page cache, each with its own nonce', async () => {
    const url = `/api/processon/view/articles/${published.flow}`;
    const embeds = app.strapi.plugin('processon').service('embeds') as { load: (...args: unknown[]) => unknown; forgetPages(): void };
    embeds.forgetPages();
    const load = jest.spyOn(embeds, 'load');
    try {
      const first = await app.http().get(url);
      const second = await app.http().get(url);
      expect(load).toHaveBeenCalledTimes(1);
      const nonceOf = (res: { headers: Record<string, string> }) => /'nonce-([^']+)'/.exec(res.headers['content-security-policy'])?.[1];
      expect(nonceOf(first)).not.toBe(nonceOf(second));
      expect(second.text).toBe(first.text.split(String(nonceOf(first))).join(String(nonceOf(second))));
      expect(second.text).toContain(`<script nonce="${nonceOf(second)}">`);
      expect(formOf(second.text).fields.def).toBe(fixture('flow-approval.def.json'));
      // Extra query parameters change nothing: the same canonical page, from the cache.
      await app.http().get(`${url}?field=diagram&utm_source=x`);
      expect(load).toHaveBeenCalledTimes(1);
      // A republished diagram is a new version: never the cached page of the old one.
      const articles = app.strapi.documents('api::article.article');
      const current = (await articles.findOne({ documentId: published.flow, status: 'published' })) as unknown as { diagram: Record<string, unknown> };
      await articles.update({ documentId: published.flow, data: { diagram: { ...current.diagram, title: 'Renamed flow' } } as never });
      await articles.publish({ documentId: published.flow });
      try {
        const renamed = await app.http().get(url);
        expect(formOf(renamed.text).fields.title).toBe('Renamed flow');
        expect(load).toHaveBeenCalledTimes(2);
      } finally {
        await articles.update({ documentId: published.flow, data: { diagram: current.diagram } as never });
        await articles.publish({ documentId: published.flow });
      }
    } finally {
      load.mockRestore();
    }
  });

  it('changes the ETag when the published document or the settings change', async () => {
    const url = `/api/processon/descriptor/articles/${published.mind}`;
    const before = (await app.http().get(url)).headers.etag as string;
    const articles = app.strapi.documents('api::article.article');
    await articles.update({ documentId: published.mind, data: { title: 'mind, edited' } as never });
    expect((await app.http().get(url).set('If-None-Match', before)).status).toBe(304);
    await articles.publish({ documentId: published.mind });
    const republished = await app.http().get(url).set('If-None-Match', before);
    expect(republished.status).toBe(200);
    const after = republished.headers.etag as string;
    expect(after).not.toBe(before);
    await setPluginSettings(app, { appkey: 'embed-appkey-2', apiBaseUrl: 'http://localhost:4999', publicUrl: 'http://localhost:1337', hidebtn: false });
    await new Promise((r) => setTimeout(r, 3100)); // the per-instance settings cache lives 3 s
    try {
      const changed = await app.http().get(url).set('If-None-Match', after);
      expect(changed.status).toBe(200);
      expect(changed.body.data.fields.appkey).toBe('embed-appkey-2');
    } finally {
      await setPluginSettings(app, { appkey: 'embed-appkey', apiBaseUrl: 'http://localhost:4999', publicUrl: 'http://localhost:1337', hidebtn: false });
      await new Promise((r) => setTimeout(r, 3100));
    }
  });

  it('changes the view page ETag, and its oEmbed link, when the public URL changes', async () => {
    const url = `/api/processon/view/articles/${published.flow}`;
    const first = await app.http().get(url);
    expect(first.status).toBe(200);
    // Through the service, which refreshes this instance's settings cache at once.
    const settings = app.strapi.plugin('processon').service('settings') as { update(values: Record<string, unknown>): Promise<void> };
    await settings.update({ publicUrl: 'http://cms.example.test' });
    try {
      const changed = await app.http().get(url).set('If-None-Match', first.headers.etag as string);
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).not.toBe(first.headers.etag);
      expect(changed.text).toContain('href="http://cms.example.test/api/processon/oembed?url=');
    } finally {
      await settings.update({ publicUrl: 'http://localhost:1337' });
    }
  });

  it('answers oEmbed (rich, iframe html) for a view URL, and the view page links to it', async () => {
    const viewUrl = `http://localhost:1337/api/processon/view/articles/${published.flow}?field=diagram`;
    const res = await app.http().get(`/api/processon/oembed?url=${encodeURIComponent(viewUrl)}&maxwidth=400`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: '1.0', type: 'rich', provider_name: 'ProcessOn', title: XSS, width: 400, height: 480 });
    expect(res.body.html).toBe(
      `<iframe src="${viewUrl}" width="400" height="480" title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" style="border:0" loading="lazy"></iframe>`
    );
    const page = await app.http().get(`/api/processon/view/articles/${published.flow}?field=diagram`);
    const link = /<link rel="alternate" type="application\/json\+oembed" href="([^"]+)" title="([^"]+)">/.exec(page.text);
    expect(link?.[1]).toBe(`http://localhost:1337/api/processon/oembed?url=${encodeURIComponent(viewUrl)}`);
    expect(link?.[2]).toBe('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('refuses an oEmbed url with bad percent-encoding with 400', async () => {
    const bad = `http://localhost:1337/api/processon/view/articles/%E4%ZZ?field=diagram`;
    const res = await app.http().get(`/api/processon/oembed?url=${encodeURIComponent(bad)}`);
    expect(res.status).toBe(400);
  });

  it('frames by default from the origins strapi::cors allows (list, comma-separated string, function)', async () => {
    const settings = app.strapi.plugin('processon').service('settings') as {
      get(): Promise<{ values: { frameAncestors: string[] } }>;
    };
    const original = app.strapi.config.get('middlewares');
    const withCors = (origin: unknown) =>
      app.strapi.config.set('middlewares', ['strapi::errors', { name: 'strapi::cors', config: { origin } }]);
    const ancestors = async () => (await settings.get()).values.frameAncestors;
    try {
      withCors(['https://a.example', 'https://b.example']);
      expect(await ancestors()).toEqual(['https://a.example', 'https://b.example']);
      withCors('https://a.example, https://b.example');
      expect(await ancestors()).toEqual(['https://a.example', 'https://b.example']);
      withCors(() => 'https://a.example');
      expect(await ancestors()).toEqual(["'self'"]);
      withCors('*');
      expect(await ancestors()).toEqual(['*']);
    } finally {
      app.strapi.config.set('middlewares', original);
    }
  });

  it('refuses bad oEmbed requests', async () => {
    const view = `http://localhost:1337/api/processon/view/articles/${published.mind}`;
    const xml = await app.http().get(`/api/processon/oembed?url=${encodeURIComponent(view)}&format=xml`);
    expect(xml.status).toBe(501);
    expect(xml.body).toEqual({
      data: null,
      error: { status: 501, name: 'NotImplementedError', message: 'Only the json format is available', details: {} },
    });
    const other = await app.http().get(`/api/processon/oembed?url=${encodeURIComponent('http://localhost:1337/api/articles')}`);
    expect(other.status).toBe(400);
    expect(other.body.error.message).toContain('url must be a view URL of this plugin');
    expect((await app.http().get(`/api/processon/oembed?url=${encodeURIComponent('javascript:alert(1)')}`)).status).toBe(400);
    expect((await app.http().get(`/api/processon/oembed?url=${encodeURIComponent(view)}&maxwidth=-1`)).status).toBe(400);
    const draft = `http://localhost:1337/api/processon/view/articles/${published.draft}`;
    expect((await app.http().get(`/api/processon/oembed?url=${encodeURIComponent(draft)}`)).status).toBe(404);
    // A view URL of another site is not this provider's (oEmbed: 404), a path is this site's.
    const elsewhere = await app.http().get(`/api/processon/oembed?url=${encodeURIComponent(view.replace('localhost:1337', 'evil.example'))}`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toEqual({
      data: null,
      error: { status: 404, name: 'NotFoundError', message: 'url is not on this site (http://localhost:1337)', details: {} },
    });
    const path = await app.http().get(`/api/processon/oembed?url=${encodeURIComponent(new URL(view).pathname)}`);
    expect(path.status).toBe(200);
    expect(path.body.html).toContain(`src="${view}"`);
  });

  it('reaches diagrams in a component, a repeatable component and a dynamic zone by field path', async () => {
    const value = (title: string, file: string, category: string) => ({
      chartid: randomUUID(), category, title, def: fixture(file), size: 10, valid: true, updatedAt: new Date().toISOString(),
    });
    const hero = value('hero', 'mind-go-memory-allocator.def.json', 'mind');
    const second = value('second section', 'flow-approval.def.json', 'flow');
    const inZone = value('in zone', 'mind-go-memory-allocator.def.json', 'mind');
    const doc = await app.strapi.documents('api::article.article').create({
      data: {
        title: 'nested',
        hero: { caption: 'top', diagram: hero },
        sections: [{ caption: 'one', diagram: null }, { caption: 'two', diagram: second }],
        blocks: [
          { __component: 'content.text-block', text: 'hello' },
          { __component: 'content.diagram-block', caption: 'zone', diagram: inZone },
        ],
      } as never,
      status: 'published',
    });
    const descriptor = (field: string) => app.http().get(`/api/processon/descriptor/articles/${doc.documentId}?field=${field}`);
    expect((await descriptor('hero.diagram')).body.data.fields.title).toBe('hero');
    expect((await descriptor('sections.1.diagram')).body.data.fields).toMatchObject({ title: 'second section', category: 'flow', def: fixture('flow-approval.def.json') });
    expect((await descriptor('blocks.1.diagram')).body.data.fields.title).toBe('in zone');
    const view = await app.http().get(`/api/processon/view/articles/${doc.documentId}?field=sections.1.diagram`);
    expect(view.status).toBe(200);
    for (const field of ['sections.0.diagram', 'sections.5.diagram', 'blocks.0.diagram', 'blocks.0.text', 'hero.caption', 'hero', 'sections.diagram', 'hero.0.diagram']) {
      const res = await descriptor(field);
      expect({ field, status: res.status }).toEqual({ field, status: 404 });
    }
  });

  it('refuses a bad export type with 400', async () => {
    const res = await app.http().get(`/api/processon/export/articles/${published.mind}?type=svg`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('type must be "image" or "pdf"');
  });

  it('refuses a repeated or nested query parameter with 400', async () => {
    const res = await app.http().get(`/api/processon/export/articles/${published.mind}?type[]=pdf`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('type must be given once, as a plain value');
  });

  it('never serves a diagram field marked private', async () => {
    const attribute = app.strapi.getModel('api::article.article').attributes.diagram as { private?: boolean };
    attribute.private = true;
    try {
      expect((await app.http().get(`/api/processon/view/articles/${published.mind}`)).status).toBe(404);
      expect((await app.http().get(`/api/processon/descriptor/articles/${published.mind}`)).status).toBe(404);
    } finally {
      delete attribute.private;
    }
    expect((await app.http().get(`/api/processon/view/articles/${published.mind}`)).status).toBe(200);
  });

  it('answers one 404 for drafts, unknown documents, unknown types and non-diagram fields', async () => {
    const urls = [
      `/api/processon/view/articles/${published.draft}`,
      '/api/processon/view/articles/doesnotexist0000000000000',
      `/api/processon/view/nothings/${published.mind}`,
      `/api/processon/view/articles/${published.mind}?field=title`,
      `/api/processon/view/articles/${published.mind}?field=__proto__`,
      `/api/processon/view/__proto__/${published.mind}`,
    ];
    const bodies = new Set<string>();
    for (const url of urls) {
      const res = await app.http().get(url);
      expect(res.status).toBe(404);
      bodies.add(JSON.stringify(res.body.error));
    }
    expect(bodies.size).toBe(1);
  });

  it('answers the same 404 when the role may not find the owning content type', async () => {
    const role = (await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } })) as { id: number };
    const unknown = await app.http().get('/api/processon/view/articles/doesnotexist0000000000000');
    await app.strapi.db.query('plugin::users-permissions.permission').deleteMany({
      where: { action: 'api::article.article.find', role: role.id },
    });
    try {
      const res = await app.http().get(`/api/processon/view/articles/${published.mind}`);
      expect(res.status).toBe(404);
      expect(res.body.error).toEqual(unknown.body.error);
      expect((await app.http().get(`/api/processon/descriptor/articles/${published.mind}`)).status).toBe(404);
    } finally {
      await grantPublic(app, ['api::article.article.find']);
    }
    expect((await app.http().get(`/api/processon/view/articles/${published.mind}`)).status).toBe(200);
  });

  it('is governed by Users & Permissions: no grant, no page', async () => {
    const role = (await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } })) as { id: number };
    await app.strapi.db.query('plugin::users-permissions.permission').deleteMany({
      where: { action: 'plugin::processon.embed.view', role: role.id },
    });
    const res = await app.http().get(`/api/processon/view/articles/${published.mind}`);
    expect(res.status).toBe(403);
  });
});
