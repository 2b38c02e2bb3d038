import { evaluateCoordinate, parseExpression, renderDiagram, type RenderResult } from '../../server/src/processon';
import { allTopics, base64Def, fixtureJson, fixtureText, generateFlowchart, generateMindMap, type JsonObject } from '../helpers/diagrams';
import { elements, parseHtml, parseSvg, squash, svgTexts, unsafeParts } from '../helpers/svg';

const MIND = 'mind-go-memory-allocator.def.json';
const FLOW = 'flow-approval.def.json';
const POS = fixtureText('mind-go-memory-allocator.pos');

/** The HTML entities the fixtures' titles use, decoded independently of the renderer. */
const decodeTitle = (html: string): string =>
  html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&amp;/g, '&');

const ok = (result: RenderResult) => {
  if (!result.ok) throw new Error(`render failed: ${result.error}`);
  return result;
};

const classOf = (doc: ReturnType<typeof parseSvg>, tag: string, cls: string) => elements(doc, tag).filter((e) => e.getAttribute('class') === cls);

describe('renderDiagram: the mind map fixture', () => {
  const root = fixtureJson(MIND);
  const topics = allTopics(root);

  it.each([
    ['bare def (JSON text)', fixtureText(MIND)],
    ['base64 of URI-encoded JSON', base64Def(fixtureText(MIND))],
    ['.pos file wrapper', POS],
    ['already parsed object', JSON.parse(fixtureText(MIND))],
  ])('renders from a %s: every topic title, valid SVG, one text per topic, one edge per child', (_form, def) => {
    expect(topics).toHaveLength(44);
    const result = ok(renderDiagram(def, 'mind'));
    const doc = parseSvg(result.svg);
    const texts = svgTexts(doc).map(squash);
    for (const t of topics) {
      const title = squash(decodeTitle(String(t.title)));
      expect({ title, found: texts.some((x) => x === title) }).toEqual({ title, found: true });
    }
    // A topic is one text element of class t0/t1/t2; every other topic hangs on one edge.
    expect(elements(doc, 'text').filter((e) => /^pt[012]$/.test(e.getAttribute('class') ?? ''))).toHaveLength(44);
    const edges = elements(doc, 'g').find((g) => g.getAttribute('class') === 'pe');
    expect(edges && elements(doc, 'path').filter((p) => p.parentNode === edges)).toHaveLength(43);
    const withImage = topics.filter((t) => t.image).length;
    expect(withImage).toBe(18);
    expect(classOf(doc, 'rect', 'pph')).toHaveLength(withImage);
    expect(elements(doc, 'image')).toHaveLength(0);
    expect(unsafeParts(doc)).toEqual([]);
    expect(result.stats).toMatchObject({ kind: 'mind', layout: 'left-right', topics: 44, hiddenTopics: 0, images: 18, imagePlaceholders: 18, truncated: false });
    expect(doc.documentElement?.getAttribute('role')).toBe('img');
  });

  it('escapes the decoded entities again: "&lt; 1.11" is the text "< 1.11", written &lt; in the SVG', () => {
    const result = ok(renderDiagram(fixtureText(MIND), 'mind'));
    expect(result.svg).toContain('线性内存（&lt; 1.11）');
    expect(result.svg).not.toContain('&amp;lt;');
    expect(result.svg).toContain('栈缓存\u00a0stackcache');
  });

  it('puts every title, note and link in the outline, nested as the map', () => {
    const result = ok(renderDiagram(fixtureText(MIND), 'mind'));
    const doc = parseHtml(result.outline);
    const spans = elements(doc, 'span').filter((s) => s.getAttribute('class') === 'processon-topic');
    expect(spans.map((s) => squash(s.textContent ?? ''))).toEqual(topics.map((t) => squash(decodeTitle(String(t.title)))));
    const notes = elements(doc, 'div').filter((d) => d.getAttribute('class') === 'processon-note');
    expect(notes).toHaveLength(topics.filter((t) => typeof t.note === 'string' && t.note.trim() !== '').length);
    expect(result.outline).toContain('freeindex表示 &lt; 该位置的都被分配了, &gt;= 该位置的可能被分配');
    const links = elements(doc, 'a').map((a) => [a.getAttribute('href'), a.getAttribute('rel')]);
    expect(links).toEqual([
      ['https://draveness.me/golang/docs/part3-runtime/ch07-memory/golang-memory-allocator/', 'nofollow noopener noreferrer ugc'],
      ['https://gitee.com/zhaojinxin_golden/article-images/blob/master/go/golden-%E5%86%85%E5%AD%98%E5%88%86%E9%85%8D.pptx', 'nofollow noopener noreferrer ugc'],
    ]);
    // Nesting: the root's list holds the 6 main branches.
    const rootLi = elements(doc, 'li')[0];
    const firstUl = elements(doc, 'ul').find((u) => u.parentNode === rootLi);
    expect(firstUl && Array.from(firstUl.childNodes).filter((n) => n.nodeName === 'li')).toHaveLength(6);
  });

  it('honours a collapsed branch: hidden in the SVG (a badge counts it), kept in the outline inside <details>', () => {
    const map = fixtureJson(MIND);
    const branch = (map.children as JsonObject[]).find((c) => c.title === '内存管理组件') as JsonObject;
    branch.collapsed = true;
    const hidden = allTopics(branch).slice(1);
    expect(hidden.length).toBe(19);
    const result = ok(renderDiagram(JSON.stringify(map), 'mind'));
    const doc = parseSvg(result.svg);
    const texts = svgTexts(doc).map(squash);
    for (const t of hidden) expect(texts).not.toContain(squash(decodeTitle(String(t.title))));
    expect(texts).toContain('内存管理组件');
    expect(classOf(doc, 'text', 'pcb').map((t) => t.textContent)).toEqual(['19']);
    expect(result.stats).toMatchObject({ topics: 44, hiddenTopics: 19 });
    const outline = parseHtml(result.outline);
    const details = elements(outline, 'details');
    expect(details).toHaveLength(1);
    const inside = elements(outline, 'span').filter((s) => s.getAttribute('class') === 'processon-topic' && isInside(s, details[0]));
    expect(inside.map((s) => s.textContent)).toContain('mspan 结构体');
    expect(inside).toHaveLength(20);
  });

  it('lays leftChildren out to the left of the root and children to the right', () => {
    const map = fixtureJson(MIND);
    map.leftChildren = (map.children as JsonObject[]).splice(3);
    const result = ok(renderDiagram(JSON.stringify(map), 'mind'));
    const doc = parseSvg(result.svg);
    const xOf = (title: string) => {
      const t = elements(doc, 'text').find((e) => e.textContent === title);
      return Number(t?.getAttribute('x') ?? t?.getElementsByTagName('tspan')[0]?.getAttribute('x'));
    };
    const rootX = xOf('Go 内存分配');
    expect(xOf('常见分配器')).toBeGreaterThan(rootX);
    expect(xOf('内存管理组件')).toBeLessThan(rootX);
    expect(xOf('参考资料')).toBeLessThan(rootX);
  });

  it('lays an org chart (mind_org) out top-down: children below their parent', () => {
    const result = ok(renderDiagram(fixtureText(MIND), 'mind_org'));
    expect(result.stats.layout).toBe('top-down');
    const doc = parseSvg(result.svg);
    const yOf = (title: string) => {
      const t = elements(doc, 'text').find((e) => e.textContent === title);
      return Number(t?.getAttribute('y') ?? t?.getElementsByTagName('tspan')[0]?.getAttribute('y'));
    };
    expect(yOf('常见分配器')).toBeGreaterThan(yOf('Go 内存分配'));
    expect(yOf('线性分配器')).toBeGreaterThan(yOf('常见分配器'));
    expect(yOf('参考资料')).toBe(yOf('常见分配器'));
  });

  it('draws images of allowed hosts as <image> (never fetched), others as placeholders', () => {
    const result = ok(renderDiagram(fixtureText(MIND), 'mind', { allowedImageHosts: ['cdn.processon.com'] }));
    const doc = parseSvg(result.svg);
    const images = elements(doc, 'image');
    expect(images).toHaveLength(18);
    // ProcessOn keeps some URLs HTML-escaped (&amp;token=): read as "&", written back escaped.
    expect(images.every((i) => /^http:\/\/cdn\.processon\.com\/[0-9a-f]+\?e=\d+&token=REDACTED$/.test(i.getAttribute('href') ?? ''))).toBe(true);
    expect(result.stats.imagePlaceholders).toBe(0);
    expect(unsafeParts(doc, ['cdn.processon.com'])).toEqual([]);
    const wildcard = ok(renderDiagram(fixtureText(MIND), 'mind', { allowedImageHosts: ['*.processon.com'] }));
    expect(wildcard.stats.imagePlaceholders).toBe(0);
    const other = ok(renderDiagram(fixtureText(MIND), 'mind', { allowedImageHosts: ['images.example.com', '*.cdn.processon.com'] }));
    expect(other.stats.imagePlaceholders).toBe(18);
  });
});

const isInside = (node: { parentNode: unknown }, ancestor: unknown): boolean => {
  let n = node.parentNode as { parentNode: unknown } | null;
  while (n) {
    if (n === ancestor) return true;
    n = n.parentNode as { parentNode: unknown } | null;
  }
  return false;
};

describe('renderDiagram: the flowchart fixture', () => {
  const flow = fixtureJson(FLOW);
  const all = Object.values(flow.elements as JsonObject) as JsonObject[];
  const shapes = all.filter((e) => e.name !== 'linker');
  const linkers = all.filter((e) => e.name === 'linker');
  const shapeTexts = shapes.map((s) => decodeTitle(String((s.textBlock as JsonObject[])[0].text)));

  it.each([
    ['bare def', fixtureText(FLOW)],
    ['base64 of URI-encoded JSON', base64Def(fixtureText(FLOW))],
    [
      '5.0 .pos file (diagram.elements = {editorVersion, elements, page, ...})',
      JSON.stringify({
        diagram: { elements: { editorVersion: '5.0', elements: flow.elements, page: flow.page, theme: flow.theme, version: '1.0', comments: [], plugins: [] } },
        meta: { type: 'ProcessOn Schema File', version: '1.0', diagramInfo: { title: 'Approval', category: 'flow' } },
      }),
    ],
  ])('renders from a %s: every shape text, valid SVG, shapes, linkers, arrows and labels', (_form, def) => {
    const result = ok(renderDiagram(def, 'flow'));
    const doc = parseSvg(result.svg);
    const texts = svgTexts(doc).map(squash);
    for (const text of shapeTexts) expect(texts).toContain(squash(text));
    // "<br>" breaks the line; "&amp;" is the text "&".
    const submit = elements(doc, 'text').find((t) => (t.textContent ?? '').startsWith('提交申请'));
    expect(Array.from(submit?.getElementsByTagName('tspan') ?? []).map((t) => t.textContent)).toEqual(['提交申请', 'Submit request']);
    expect(texts).toContain(squash('退回修改 & 重新提交'));
    const groups = elements(doc, 'g');
    const shapeGroups = groups.filter((g) => (g.getAttribute('transform') ?? '').startsWith('translate('));
    expect(shapeGroups).toHaveLength(6);
    const linkerGroups = groups.filter((g) => g.getAttribute('class') === 'plk');
    expect(linkerGroups).toHaveLength(linkers.length);
    // Each linker: its line and a solid arrow head (a closed filled triangle).
    for (const g of linkerGroups) {
      const paths = Array.from(g.getElementsByTagName('path'));
      expect(paths).toHaveLength(2);
      expect(paths[1].getAttribute('d')).toMatch(/^M[-\d. ]+L[-\d. ]+L[-\d. ]+Z$/);
    }
    expect(classOf(doc, 'rect', 'plb')).toHaveLength(2);
    expect(texts).toEqual(expect.arrayContaining(['否', '是']));
    // Fill of the process shape: "41,143,227".
    expect(result.svg).toContain('fill="rgb(41,143,227)"');
    expect(unsafeParts(doc)).toEqual([]);
    expect(result.stats).toMatchObject({ kind: 'canvas', shapes: 6, linkers: 6, truncated: false });
  });

  it('evaluates the path expressions: the decision is a diamond over its 160×80 box', () => {
    const result = ok(renderDiagram(fixtureText(FLOW), 'flow'));
    expect(result.svg).toContain('<g transform="translate(300 230)"><path d="M0 40L80 0L160 40L80 80L0 40Z"');
    // The terminator's ends: curves with control points at w+Math.min(w,h)/3/3.
    expect(result.svg).toContain('C165.6 0 165.6 50 143.3 50');
  });

  it('routes the linker through its bend point, with the arrow at the target', () => {
    const result = ok(renderDiagram(fixtureText(FLOW), 'flow'));
    // aLink000000104: from (620,240) up to the bend (620,160), then left to (460,160) (pulled back for the arrow head).
    expect(result.svg).toMatch(/<path d="M620 240L620 160L4[67]\d(\.\d+)? 160"/);
    expect(result.svg).toContain('<path d="M460 160L');
  });

  it('lists shape texts in reading order and the connections in the outline', () => {
    const result = ok(renderDiagram(fixtureText(FLOW), 'flow'));
    const doc = parseHtml(result.outline);
    const items = elements(doc, 'li').map((li) => li.textContent);
    expect(items.slice(0, 6)).toEqual(['开始', '提交申请 Submit request', '审批通过？', '退回修改 & 重新提交', '停止 STOP', '结束']);
    expect(items).toContain('审批通过？ → 退回修改 & 重新提交: 否');
    expect(items).toContain('审批通过？ → 停止 STOP: 是');
  });
});

describe('the coordinate evaluator', () => {
  const vars = (name: string, index?: number) =>
    name === 'w' ? 160 : name === 'h' ? 60 : name === 'height' && index === 0 ? 30 : name === 'width' && index === 1 ? 5 : undefined;

  it.each([
    ['w/2', 80],
    ['h*0.3+4', 22],
    ['w-Math.min(w,h)/3', 140],
    ['-Math.min(w,h)/3/3', -20 / 3],
    ['(w+h)*2', 440],
    ['w - -h', 220],
    ['10 % 4', 2],
    ['1.5e2', 150],
    ['.5*w', 80],
    ['Math.max(w, h, 200)', 200],
    ['Math.PI', Math.PI],
    ['Math.round(h/7)', 9],
    ['height[0]+h', 90],
    ['width[0+1]', 5],
    [' 2 * ( 3 + 4 ) ', 14],
    ['0', 0],
  ])('%s = %d', (expr, value) => {
    expect(evaluateCoordinate(expr, vars)).toBeCloseTo(value, 10);
  });

  it('takes numbers as they are and gives NaN for what is not a finite number', () => {
    expect(evaluateCoordinate(12.5, vars)).toBe(12.5);
    expect(evaluateCoordinate(Infinity, vars)).toBeNaN();
    expect(evaluateCoordinate('w/0', vars)).toBeNaN();
    expect(evaluateCoordinate('unknown+1', vars)).toBeNaN();
    expect(evaluateCoordinate('height[3]', vars)).toBeNaN();
    expect(evaluateCoordinate(null, vars)).toBeNaN();
    expect(evaluateCoordinate({ valueOf: () => 3 }, vars)).toBeNaN();
  });

  it.each([
    'alert(1)',
    'w.constructor',
    'Math.constructor("return 1")()',
    'Math.min.call(null, 1)',
    'globalThis.process',
    '(function(){return 1})()',
    '`1`',
    'w; h',
    'w = 1',
    'w ? 1 : 2',
    'Math["min"](1,2)',
    'w/',
    '(w',
    '',
    '1 2',
  ])('refuses %j (not plain arithmetic)', (expr) => {
    expect(() => parseExpression(expr)).toThrow();
    expect(evaluateCoordinate(expr, vars)).toBeNaN();
  });

  it('reads any other name as a variable of the caller (never a property of an object): unknown is NaN', () => {
    for (const name of ['this', '__proto__', 'constructor', 'toString', 'process']) expect(evaluateCoordinate(`${name}+1`, vars)).toBeNaN();
    const asked: string[] = [];
    evaluateCoordinate('__proto__*w', (name) => {
      asked.push(name);
      return 2;
    });
    expect(asked).toEqual(['__proto__', 'w']);
  });

  it('refuses over-long and over-nested expressions', () => {
    expect(() => parseExpression('1+'.repeat(300) + '1')).toThrow('too long');
    expect(() => parseExpression('('.repeat(40) + '1' + ')'.repeat(40))).toThrow('nested too deeply');
    expect(() => parseExpression('-'.repeat(40) + '1')).toThrow('nested too deeply');
    expect(parseExpression('('.repeat(20) + '1' + ')'.repeat(20)).evaluate(vars)).toBe(1);
  });

  it('never evaluates through eval or Function', () => {
    const evalSpy = jest.spyOn(globalThis, 'eval');
    try {
      expect(evaluateCoordinate('w*2+Math.sqrt(h*h)', vars)).toBe(380);
      ok(renderDiagram(fixtureText(FLOW), 'flow'));
      expect(evalSpy).not.toHaveBeenCalled();
    } finally {
      evalSpy.mockRestore();
    }
  });
});

describe('hostile text and values', () => {
  const HOSTILE = '</text><script>alert(1)</script><img src=x onerror=alert(2)>"\'`&';
  const hostileMind = (): JsonObject => ({
    id: 'root" onload="alert(1)',
    root: true,
    title: HOSTILE,
    note: '</div><script>alert(3)</script>',
    structure: 'mind_free"><script>',
    children: [
      { id: 'a', title: '&lt;script&gt;alert(4)&lt;/script&gt;', link: { type: 'url', value: 'javascript:alert(5)' }, children: [] },
      { id: 'b', title: 'data', link: { type: 'url', value: 'data:text/html,<script>alert(6)</script>' }, image: { w: 10, h: 10, url: 'javascript:alert(7)' }, children: [] },
      { id: 'c', title: 'css', lineStyle: { randomLineColor: 'red" onmouseover="alert(8)' }, icons: [{ name: 'priority', index: '1" onclick="x' }], children: [] },
      { id: 'd', title: 'ok link', link: { type: 'url', value: 'https://example.com/?a="<b>' }, children: [] },
      { id: 'e', title: 'ctrl \u0001\u0008\u000b\ufffe\ud800 chars \ud83d\ude00', children: [] },
    ],
  });

  it('escapes every text of a mind map and emits no script, event attribute or foreign reference', () => {
    const result = ok(renderDiagram(JSON.stringify(hostileMind()), 'mind', { allowedImageHosts: ['example.com'] }));
    const doc = parseSvg(result.svg);
    expect(unsafeParts(doc, ['example.com'])).toEqual([]);
    expect(elements(doc, 'script')).toHaveLength(0);
    expect(result.svg).not.toMatch(/<script|<img|onerror=|onload=|onclick=|onmouseover=|javascript:|data:text/i);
    const texts = svgTexts(doc);
    expect(texts).toContain(HOSTILE.replace(/<[A-Za-z/][^<>]*>/g, ''));
    expect(texts).toContain('<script>alert(4)</script>');
    expect(texts).toContain('ctrl  chars \ud83d\ude00');
    expect(elements(doc, 'a').map((a) => a.getAttribute('href'))).toEqual(['https://example.com/?a=%22%3Cb%3E']);
    const outline = parseHtml(result.outline);
    expect(elements(outline, 'script')).toHaveLength(0);
    expect(result.outline).not.toMatch(/<script|<img|onerror=|javascript:|data:text/i);
    // Tags in notes are dropped like tags in titles: what is left is text.
    expect(result.outline).toContain('<div class="processon-note">alert(3)</div>');
    expect(elements(outline, 'a').map((a) => a.getAttribute('href'))).toEqual(['https://example.com/?a=%22%3Cb%3E']);
  });

  it('escapes canvas texts, and refuses hostile colours, fonts, links and images', () => {
    const def = {
      page: { padding: 'x"/><script>', backgroundColor: 'url(javascript:alert(1))' },
      theme: { shape: { fontStyle: { fontFamily: "x'); } </style><script>alert(1)</script>" } } },
      elements: {
        's1"><script>': {
          id: 's1',
          name: 'process<script>',
          link: 'javascript:alert(1)',
          props: { x: 0, y: 0, w: 100, h: 50, angle: 0 },
          path: [{ actions: [{ action: 'move', x: 'alert(1)', y: 0 }, { action: 'line', x: 'w', y: 'constructor' }, { action: 'line', x: 'w', y: 'h' }, { action: 'close' }], fillStyle: { type: 'solid', color: '0,0,0);} * {background:url(http://evil.example/x)' } }],
          fillStyle: { type: 'image', url: 'http://evil.example/i.png' },
          lineStyle: { lineColor: 'red" onclick="x', lineWidth: '2" onclick="x', lineStyle: 'dashed" onclick="x' },
          fontStyle: { color: 'expression(alert(1))', size: '13px" onclick="x', fontFamily: 'Arial" onclick="x' },
          textBlock: [{ position: { x: 0, y: 0, w: 'w', h: 'h' }, text: HOSTILE }],
        },
        l1: { id: 'l1', name: 'linker', from: { x: 0, y: 0 }, to: { x: 100, y: 100 }, points: [], lineStyle: { endArrowStyle: '"><script>' }, textBlock: [{ location: 0.5, text: '<b onmouseover=alert(1)>label</b>' }] },
        i1: { id: 'i1', name: 'image', props: { x: 200, y: 0, w: 40, h: 40 }, image: { url: 'http://evil.example/i.png' }, path: [] },
      },
    };
    const result = ok(renderDiagram(JSON.stringify(def), 'flow'));
    const doc = parseSvg(result.svg);
    expect(unsafeParts(doc)).toEqual([]);
    expect(result.svg).not.toMatch(/<script|onclick|onmouseover|javascript:|evil\.example|expression\(/i);
    expect(svgTexts(doc)).toEqual(expect.arrayContaining([HOSTILE.replace(/<[A-Za-z/][^<>]*>/g, ''), 'label']));
    // The image element; the shape's image fill is overridden by its path's solid fill.
    expect(result.stats.imagePlaceholders).toBe(1);
    expect(elements(parseHtml(result.outline), 'a')).toHaveLength(0);
  });

  it('escapes a hostile title option', () => {
    const result = ok(renderDiagram(fixtureText(FLOW), 'flow', { title: HOSTILE }));
    const doc = parseSvg(result.svg);
    expect(elements(doc, 'title')[0].textContent).toBe(HOSTILE);
    expect(unsafeParts(doc)).toEqual([]);
  });
});

describe('bad input and limits', () => {
  it.each([
    ['', 'the diagram is empty'],
    ['   ', 'the diagram is empty'],
    ['not json', 'neither JSON nor base64'],
    ['{"root": tru', 'neither JSON nor base64'],
    ['[]', 'neither a mind map'],
    ['{}', 'neither a mind map'],
    ['null', 'neither JSON nor base64'],
    ['"text"', 'neither JSON nor base64'],
    ['{"diagram": {"elements": "{}"}, "meta": {}}', 'neither a mind map'],
  ])('%j gives {ok: false} with a clear error', (def, message) => {
    const result = renderDiagram(def, 'mind');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(message);
  });

  it.each([undefined, null, 42, true, [], {}, Symbol('x')])('%p (not a def) gives {ok: false}', (def) => {
    expect(renderDiagram(def).ok).toBe(false);
  });

  it('refuses a def larger than maxInputChars', () => {
    const result = renderDiagram(fixtureText(MIND), 'mind', { maxInputChars: 1000 });
    expect(result).toEqual({ ok: false, error: 'the diagram is larger than 1000 characters' });
  });

  it('draws at most maxNodes topics or elements and says it truncated', () => {
    const mind = ok(renderDiagram(fixtureText(MIND), 'mind', { maxNodes: 10 }));
    expect(mind.stats).toMatchObject({ topics: 10, truncated: true });
    expect(elements(parseSvg(mind.svg), 'text').filter((e) => /^pt[012]$/.test(e.getAttribute('class') ?? ''))).toHaveLength(10);
    const flow = ok(renderDiagram(fixtureText(FLOW), 'flow', { maxNodes: 4 }));
    expect(flow.stats).toMatchObject({ shapes: 4, linkers: 0, truncated: true });
  });

  it('stops at maxDepth and at a deeply nested def without overflowing the stack', () => {
    const n = 50_000;
    const root = `{"id":"root","root":true,"title":"deep","children":[${'{"title":"t","children":['.repeat(n)}${']}'.repeat(n)}]}`;
    const result = ok(renderDiagram(root, 'mind'));
    expect(result.stats.truncated).toBe(true);
    expect(result.stats.topics).toBe(61);
    const shallow = ok(renderDiagram(root, 'mind', { maxDepth: 3 }));
    expect(shallow.stats.topics).toBe(4);
  });

  it('fails clearly past the output bound and the time bound', () => {
    expect(renderDiagram(fixtureText(MIND), 'mind', { maxOutputChars: 5000 })).toEqual({ ok: false, error: 'the diagram is too large to render' });
    const big = JSON.stringify(generateMindMap(5000));
    const started = Date.now();
    const slow = renderDiagram(big, 'mind', { timeBudgetMs: 1 });
    expect(slow).toEqual({ ok: false, error: 'the diagram took too long to render' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('renders the generated 5,000-topic map and 2,000-element flowchart completely', () => {
    const mind = ok(renderDiagram(JSON.stringify(generateMindMap(5000)), 'mind'));
    expect(mind.stats).toMatchObject({ topics: 5000, truncated: false });
    parseSvg(mind.svg);
    const flow = ok(renderDiagram(JSON.stringify(generateFlowchart(2000)), 'flow'));
    expect(flow.stats).toMatchObject({ shapes: 1001, linkers: 999, truncated: false });
    expect(unsafeParts(parseSvg(flow.svg))).toEqual([]);
  });
});
