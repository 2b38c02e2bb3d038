/**
 * Larger diagrams made from the real fixtures, for the renderer's tests and benchmark: a mind map of
 * N topics whose titles, notes, images and links are the fixture's own (cycled), and a flowchart of
 * N elements (shapes of the fixture's kinds in a grid, half of the elements linkers between them).
 * Deterministic: a seeded generator.
 */
import fs from 'fs';
import path from 'path';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const fixturesDir = path.join(__dirname, '..', 'fixtures');
export const fixtureText = (name: string): string => fs.readFileSync(path.join(fixturesDir, name), 'utf8');
export const fixtureJson = (name: string): JsonObject => JSON.parse(fixtureText(name)) as JsonObject;

/** mulberry32: a small seeded PRNG, [0, 1). */
export const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const hexId = (random: () => number) => Array.from({ length: 24 }, () => Math.floor(random() * 16).toString(16)).join('');

/** Every topic of a mind map, depth first (root first). */
export const allTopics = (root: JsonObject): JsonObject[] => {
  const out: JsonObject[] = [];
  const walk = (t: JsonObject) => {
    out.push(t);
    for (const key of ['children', 'leftChildren'] as const) {
      const kids = t[key];
      if (Array.isArray(kids)) for (const k of kids) if (k && typeof k === 'object' && !Array.isArray(k)) walk(k);
    }
  };
  walk(root);
  return out;
};

/** A mind map of `count` topics (root included), 6 main branches, then 3–6 children per topic. */
export const generateMindMap = (count: number, seed = 7): JsonObject => {
  const random = prng(seed);
  const source = allTopics(fixtureJson('mind-go-memory-allocator.def.json')).slice(1);
  const topic = (i: number, parent: string): JsonObject => {
    const s = source[i % source.length];
    const t: JsonObject = { id: hexId(random), parent, title: `${String(s.title)} ${i}`, children: [] };
    for (const key of ['note', 'image', 'link', 'icons', 'lineStyle'] as const) if (s[key] !== undefined) t[key] = s[key];
    return t;
  };
  const root: JsonObject = { id: 'root', root: true, title: `Generated map of ${count} topics`, structure: 'mind_free', theme: 'delicate_caihong', children: [], leftChildren: [] };
  const queue: JsonObject[] = [];
  let made = 1;
  for (let b = 0; b < 6 && made < count; b += 1, made += 1) {
    const t = topic(made, 'root');
    (root[b % 2 ? 'leftChildren' : 'children'] as Json[]).push(t);
    queue.push(t);
  }
  while (made < count && queue.length) {
    const parent = queue.shift() as JsonObject;
    const n = 3 + Math.floor(random() * 4);
    for (let k = 0; k < n && made < count; k += 1, made += 1) {
      const t = topic(made, String(parent.id));
      (parent.children as Json[]).push(t);
      queue.push(t);
    }
  }
  return root;
};

/** A flowchart of `count` elements: shapes copied from the fixture's in a grid, and linkers between neighbours. */
export const generateFlowchart = (count: number, seed = 11): JsonObject => {
  const random = prng(seed);
  const flow = fixtureJson('flow-approval.def.json');
  const elements = flow.elements as JsonObject;
  const templates = Object.values(elements).filter((e) => (e as JsonObject).name !== 'linker') as JsonObject[];
  const linkerTemplate = Object.values(elements).find((e) => (e as JsonObject).name === 'linker') as JsonObject;
  // n shapes and n - 1 linkers between neighbours.
  const shapes = Math.ceil((count + 1) / 2);
  const columns = 25;
  const out: JsonObject = {};
  const boxes: { id: string; x: number; y: number; w: number; h: number }[] = [];
  for (let i = 0; i < shapes; i += 1) {
    const t = templates[i % templates.length];
    const props = t.props as JsonObject;
    const w = Number(props.w);
    const h = Number(props.h);
    const x = (i % columns) * 220 + (160 - w) / 2;
    const y = Math.floor(i / columns) * 140 + (80 - h) / 2;
    const id = hexId(random);
    const text = ((t.textBlock as JsonObject[])[0].text as string) + ` #${i}`;
    out[id] = { ...t, id, props: { ...props, x, y, zindex: i + 1 }, textBlock: [{ ...(t.textBlock as JsonObject[])[0], text }] };
    boxes.push({ id, x, y, w, h });
  }
  for (let i = 0; i + 1 < shapes && Object.keys(out).length < count; i += 1) {
    const a = boxes[i];
    const b = boxes[i + 1];
    const id = hexId(random);
    const sameRow = Math.floor(i / columns) === Math.floor((i + 1) / columns);
    const from = sameRow ? { id: a.id, x: a.x + a.w, y: a.y + a.h / 2, angle: 0 } : { id: a.id, x: a.x + a.w / 2, y: a.y + a.h, angle: 4.71238898038469 };
    const to = sameRow ? { id: b.id, x: b.x, y: b.y + b.h / 2, angle: Math.PI } : { id: b.id, x: b.x + b.w / 2, y: b.y, angle: 1.5707963267948966 };
    const points = sameRow ? [] : [{ x: from.x, y: from.y + 20 }, { x: to.x, y: from.y + 20 }];
    const label = i % 3 === 0 ? [{ location: 0.5, text: i % 2 ? '是' : '否' }] : [];
    out[id] = { ...linkerTemplate, id, from, to, points, textBlock: label, text: label.length ? String(label[0].text) : '', props: { zindex: shapes + i + 1 } };
  }
  return { page: flow.page, theme: flow.theme, elements: out };
};

/** The def as ProcessOn's other encoding: base64 of URI-encoded JSON. */
export const base64Def = (json: string): string => Buffer.from(encodeURIComponent(json), 'latin1').toString('base64');
