/**
 * Fuzzing the renderer: thousands of mutated fixtures, random defs made of ProcessOn's vocabulary and
 * damaged def texts. None may throw; each must answer within a time bound; every SVG produced must be
 * free of scripts, event attributes and foreign references, and (for a sample) well-formed XML.
 * Seeded: a failure names the seed and the case to replay.
 */
import { renderDiagram } from '../../server/src/processon';
import { base64Def, fixtureText, prng, type Json, type JsonObject } from '../helpers/diagrams';
import { elements, parseHtml, parseSvg, unsafeParts } from '../helpers/svg';

const SEED = Number(process.env.FUZZ_SEED ?? 20260601);
const CASES = Number(process.env.FUZZ_CASES ?? 2000);
/** Per input, on a shared 2-core machine; a typical input takes well under 5 ms. */
const PER_INPUT_MS = 750;

const random = prng(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(list: readonly T[]): T => list[int(list.length)];

const KEYS = [
  'id', 'root', 'title', 'note', 'children', 'leftChildren', 'freeChildren', 'collapsed', 'structure', 'image', 'link', 'icons',
  'lineStyle', 'page', 'theme', 'elements', 'props', 'path', 'actions', 'action', 'x', 'y', 'w', 'h', 'x1', 'y1', 'x2', 'y2',
  'textBlock', 'position', 'text', 'fillStyle', 'fontStyle', 'from', 'to', 'points', 'linkerType', 'name', 'angle', 'zindex',
  'color', 'lineColor', 'lineWidth', 'type', 'url', 'value', 'location', 'diagram', 'meta', 'editorVersion', 'shapeStyle', 'alpha',
  '__proto__', 'constructor',
] as const;

const STRINGS = [
  '', ' ', 'w/2', 'h*0.3+4', 'w-Math.min(w,h)/3', 'Math.max(w,h,1e308)', 'height[0]', 'height[-1]', 'alert(1)', '((((((((', '1e999', '-0',
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '&lt;b&gt;', '&#xD800;', '&#0;', '&#x10FFFF;', '&nbsp;<br>', '\u0000\u0001\u000b',
  '\ud800', '\udfff', '\ufffe', 'javascript:alert(1)', 'data:image/svg+xml,<svg onload=alert(1)>', 'http://cdn.processon.com/x.png', 'https://example.com/',
  '255,0,0', '#abc', 'rgba(1,2,3,0.5)', 'red;}</style><script>', 'linker', 'broken', 'curve', 'straight', 'move', 'line', 'curve', 'quadraticCurve',
  'close', 'solidArrow', 'normal', 'solidDiamond', 'circle', 'none', 'solid', 'gradient', 'image', 'dashed', 'mind_org', 'mind_left', 'url',
  '中文标题', '😀'.repeat(20), 'x'.repeat(5000), 'a b '.repeat(500),
];
const NUMBERS = [0, -0, 1, -1, 0.5, 3.14159, 12, 160, 1e6, 1e7, -1e7, 1e308, -1e308, 5e-324, 2 ** 31, 4.71238898038469];

const randomValue = (depth: number): Json => {
  const r = int(depth > 2 ? 6 : 9);
  switch (r) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
    case 3:
      return pick(NUMBERS);
    case 4:
    case 5:
      return pick(STRINGS);
    case 6: {
      const n = int(4);
      return Array.from({ length: n }, () => randomValue(depth + 1));
    }
    default: {
      const o: JsonObject = {};
      for (let i = int(5); i > 0; i -= 1) o[pick(KEYS)] = randomValue(depth + 1);
      return o;
    }
  }
};

type Slot = { parent: JsonObject | Json[]; key: string | number };

const slots = (doc: Json): Slot[] => {
  const out: Slot[] = [];
  const walk = (v: Json) => {
    if (out.length > 4000 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) v.forEach((item, i) => (out.push({ parent: v, key: i }), walk(item)));
    else for (const k of Object.keys(v)) out.push({ parent: v, key: k }), walk(v[k]);
  };
  walk(doc);
  return out;
};

const get = (s: Slot): Json => (Array.isArray(s.parent) ? s.parent[s.key as number] : (s.parent as JsonObject)[s.key as string]);
const set = (s: Slot, v: Json) => {
  if (Array.isArray(s.parent)) s.parent[s.key as number] = v;
  else (s.parent as JsonObject)[s.key as string] = v;
};

/** One mutation at a random place (`all`: the document's slots, read once per case; a slot of a part cut off meanwhile is harmless). */
const mutate = (doc: Json, all: Slot[]): Json => {
  if (!all.length) return randomValue(0);
  const s = pick(all);
  switch (int(7)) {
    case 0:
      set(s, randomValue(1));
      break;
    case 1:
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else delete (s.parent as JsonObject)[s.key as string];
      break;
    case 2: {
      const v = get(s);
      if (v && typeof v === 'object' && !Array.isArray(v)) v[pick(KEYS)] = randomValue(1);
      else set(s, randomValue(1));
      break;
    }
    case 3: {
      const v = get(s);
      if (Array.isArray(v) && v.length) v.push(JSON.parse(JSON.stringify(pick(v))) as Json);
      break;
    }
    case 4: {
      // Copy another part of the document here (bounded by the size check of the caller).
      set(s, JSON.parse(JSON.stringify(get(pick(all)) ?? null)) as Json);
      break;
    }
    case 5:
      set(s, pick(NUMBERS));
      break;
    default:
      set(s, pick(STRINGS));
  }
  return doc;
};

const FIXTURES = [fixtureText('mind-go-memory-allocator.def.json'), fixtureText('flow-approval.def.json'), fixtureText('mind-go-memory-allocator.pos')];

const randomCanvas = (): JsonObject => {
  const elements: JsonObject = {};
  for (let i = int(30); i > 0; i -= 1) {
    const id = `e${i}`;
    if (random() < 0.35) {
      elements[id] = {
        id,
        name: 'linker',
        linkerType: pick(['broken', 'curve', 'straight', 'weird']),
        from: { id: `e${int(30)}`, x: pick(NUMBERS), y: int(500), angle: pick(NUMBERS) },
        to: { id: `e${int(30)}`, x: int(500), y: pick(NUMBERS), angle: random() * 7 },
        points: Array.from({ length: int(4) }, () => ({ x: int(600) - 50, y: random() < 0.9 ? int(600) : pick(STRINGS) })),
        lineStyle: { lineWidth: pick(NUMBERS), endArrowStyle: pick(STRINGS), beginArrowStyle: pick(['none', 'solidCircle', 'diamond', 'normal']) },
        textBlock: [{ location: random() < 0.8 ? random() : pick(NUMBERS), text: pick(STRINGS) }],
      };
    } else {
      const actions = Array.from({ length: int(8) }, () => ({
        action: pick(['move', 'line', 'curve', 'quadraticCurve', 'close', 'arc', '']),
        x: random() < 0.7 ? pick(['w', 'w/2', 'h*0.3+4', '0', 'Math.min(w,h)/3']) : pick(STRINGS),
        y: random() < 0.7 ? pick(['h', 'h/2', '0']) : pick(NUMBERS),
        x1: 'w', y1: '-h/6', x2: '0', y2: 'h+h/6',
      }));
      elements[id] = {
        id,
        name: pick(['process', 'decision', 'image', 'round']),
        props: { x: random() < 0.9 ? int(1000) : pick(NUMBERS), y: int(1000), w: random() < 0.9 ? 20 + int(200) : pick(NUMBERS), h: 20 + int(100), angle: random() < 0.8 ? 0 : pick(NUMBERS), zindex: int(10) },
        path: [{ actions, fillStyle: random() < 0.5 ? { type: pick(['solid', 'none', 'gradient', 'image']), color: pick(STRINGS), beginColor: '1,2,3', endColor: pick(STRINGS) } : {} }],
        textBlock: [{ position: { x: 0, y: 0, w: pick(['w', 'w-20', 'alert(1)']), h: 'h' }, text: pick(STRINGS) }],
        fontStyle: { size: pick(NUMBERS), color: pick(STRINGS), bold: random() < 0.5, textAlign: pick(['left', 'right', 'center', 'x']) },
        link: random() < 0.2 ? pick(STRINGS) : '',
      };
    }
  }
  return { page: { padding: pick(NUMBERS), backgroundColor: pick(STRINGS) }, theme: random() < 0.5 ? {} : (randomValue(1) as JsonObject), elements };
};

const randomMind = (depth = 0): JsonObject => ({
  id: `t${int(1e6)}`,
  ...(depth === 0 ? { root: true, structure: pick(['mind_free', 'mind_org', 'mind_left', 'mind_right', '']) } : {}),
  title: pick(STRINGS),
  ...(random() < 0.3 ? { note: pick(STRINGS) } : {}),
  ...(random() < 0.2 ? { image: { w: pick(NUMBERS), h: int(300), url: pick(STRINGS) } } : {}),
  ...(random() < 0.2 ? { link: { type: 'url', value: pick(STRINGS) } } : {}),
  ...(random() < 0.15 ? { collapsed: true } : {}),
  ...(random() < 0.2 ? { icons: [{ name: 'priority', index: pick(['0', '3', '9', '-1', 'x']) }] } : {}),
  children: depth < 4 ? Array.from({ length: int(4) }, () => randomMind(depth + 1)) : [],
  ...(depth === 0 ? { leftChildren: Array.from({ length: int(3) }, () => randomMind(1)), freeChildren: random() < 0.2 ? [randomMind(3)] : [] } : {}),
});

/** base64 of URI-encoded JSON, or the text itself when it cannot be URI-encoded (a lone surrogate). */
const maybeBase64 = (text: string): string => {
  try {
    return base64Def(text);
  } catch {
    return text;
  }
};

/** Case i: a mutated fixture, a random canvas or mind map, or a damaged def text; sometimes base64 or in a .pos wrapper. */
const makeCase = (i: number): { def: unknown; category: string } => {
  const category = pick(['mind', 'mind_org', 'flow', 'network', 'uml', 'venn', 'bogus']);
  const kind = i % 5;
  let doc: Json;
  if (kind <= 1) {
    doc = JSON.parse(pick(FIXTURES)) as Json;
    const all = slots(doc);
    for (let m = 1 + int(8); m > 0; m -= 1) doc = mutate(doc, all);
  } else if (kind === 2) doc = randomCanvas();
  else if (kind === 3) doc = randomMind();
  else {
    const text = pick(FIXTURES);
    const cut = int(text.length);
    const damaged = random() < 0.5 ? text.slice(0, cut) : text.slice(0, cut) + pick(STRINGS) + text.slice(cut + int(20));
    return { def: random() < 0.2 ? maybeBase64(damaged).slice(0, -1 - int(3)) : damaged, category };
  }
  const json = JSON.stringify(doc);
  const r = random();
  if (r < 0.1) return { def: maybeBase64(json), category };
  if (r < 0.2) return { def: JSON.stringify({ diagram: { elements: doc }, meta: { diagramInfo: { title: pick(STRINGS), category } } }), category };
  if (r < 0.25) return { def: doc, category };
  return { def: json, category };
};

const TAG_RE = /<([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*\/?>/g;
const ATTR_RE = /([\w:-]+)="([^"]*)"/g;

/** A fast scan of the markup (text is escaped, so every "<" starts a tag): forbidden elements, event attributes, script URLs. */
const markupProblems = (markup: string): string[] => {
  const found: string[] = [];
  for (const tag of markup.matchAll(TAG_RE)) {
    if (/^(script|foreignobject|iframe|object|embed)$/i.test(tag[1])) found.push(`<${tag[1]}>`);
    for (const attr of tag[2].matchAll(ATTR_RE)) {
      if (/^on/i.test(attr[1])) found.push(`${tag[1]}[${attr[1]}]`);
      if (/^(href|src)$/i.test(attr[1]) && !/^(https?:|mailto:|#po[a-z0-9]+-(img|note|link)$)/i.test(attr[2])) found.push(`${tag[1]}[${attr[1]}=${attr[2]}]`);
    }
  }
  return found;
};

describe(`fuzzing the renderer (seed ${SEED}, ${CASES} cases)`, () => {
  it('never throws, answers each input within the bound, and never emits unsafe or malformed SVG', () => {
    let rendered = 0;
    let refused = 0;
    let slowest = 0;
    let slowestCase = -1;
    const problems: string[] = [];
    const started = Date.now();
    for (let i = 0; i < CASES; i += 1) {
      const { def, category } = makeCase(i);
      const t0 = Date.now();
      let result: ReturnType<typeof renderDiagram>;
      try {
        result = renderDiagram(def, category);
      } catch (error) {
        problems.push(`case ${i}: threw ${String(error)}`);
        continue;
      }
      const ms = Date.now() - t0;
      if (ms > slowest) [slowest, slowestCase] = [ms, i];
      if (!result.ok) {
        refused += 1;
        if (typeof result.error !== 'string' || result.error === '') problems.push(`case ${i}: error without a message`);
        continue;
      }
      rendered += 1;
      if (!result.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') || !result.svg.endsWith('</svg>')) problems.push(`case ${i}: not an SVG`);
      const markup = markupProblems(result.svg + result.outline);
      if (markup.length) problems.push(`case ${i}: ${markup.join(', ')}`);
      if (i % 20 === 0) {
        try {
          const doc = parseSvg(result.svg);
          const unsafe = unsafeParts(doc);
          if (unsafe.length) problems.push(`case ${i}: ${unsafe.join(', ')}`);
          if (elements(parseHtml(result.outline), 'script').length) problems.push(`case ${i}: script in the outline`);
        } catch (error) {
          problems.push(`case ${i}: ${String(error)}`);
        }
      }
      if (problems.length > 20) break;
    }
    const summary = { seed: SEED, rendered, refused, slowest, slowestCase, totalMs: Date.now() - started };
    expect({ ...summary, problems }).toEqual({ ...summary, problems: [] });
    expect(slowest).toBeLessThanOrEqual(PER_INPUT_MS);
    // Both outcomes are exercised: the fuzzing reaches the drawing code, not only the refusals.
    expect(rendered).toBeGreaterThan(CASES / 3);
    expect(refused).toBeGreaterThan(CASES / 20);
  });
});
