/**
 * What the simulator reads inside a def (what is publicly known of def: see server/src/processon/def.ts). Read-only views only:
 * the editor keeps every key it does not edit.
 */
import type { Category } from '../../server/src/processon/categories';
import { decodeDef } from '../../server/src/processon/def';
import { fragmentToText } from '../../server/src/processon/render/text';

export type JsonObject = Record<string, unknown>;

export const isRecord = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isMindCategory = (category: Category): boolean => category === 'mind' || category === 'mind_org';

/** Deepest nesting of arrays/objects the simulator accepts in a def (a guard for its recursive views). */
export const MAX_DEF_NESTING = 256;

/** Nesting depth of a JSON value, computed without recursion; stops counting past `limit`. */
export const jsonDepth = (value: unknown, limit: number = MAX_DEF_NESTING): number => {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    const d = depth + 1;
    if (d > max) max = d;
    if (max > limit) return max;
    const items: unknown[] = Array.isArray(current) ? current : Object.values(current);
    for (const item of items) stack.push([item, d]);
  }
  return max;
};

export type DefReading = { ok: true; doc: JsonObject } | { ok: false; reason: string };

/** Reads a non-empty def (raw JSON or base64 of URI-encoded JSON) as a JSON object. */
export const readDef = (def: string): DefReading => {
  const doc = decodeDef(def);
  if (doc === null) return { ok: false, reason: 'def is neither JSON nor base64 of URI-encoded JSON' };
  if (!isRecord(doc)) return { ok: false, reason: 'def must hold a JSON object' };
  if (jsonDepth(doc) > MAX_DEF_NESTING) return { ok: false, reason: 'def is nested too deeply' };
  return { ok: true, doc };
};

/**
 * A ProcessOn title (an HTML fragment: `&lt;`, `&nbsp;`, `<br>`, inline tags) as plain text on one line:
 * line breaks become spaces, tags are dropped, entities decoded (the protocol module's reading of
 * fragments). The result is text, to be escaped again wherever it is inserted.
 */
export const htmlToText = (fragment: string): string =>
  fragmentToText(fragment, Number.MAX_SAFE_INTEGER)
    .replace(/\u007f/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** Plain text as a title fragment (what the editor stores for a title the user typed). */
export const textToHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const asString = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

/** The sub-topics of a topic under one key, objects only. */
export const topicList = (topic: JsonObject, key: 'children' | 'leftChildren'): JsonObject[] => {
  const list = topic[key];
  return Array.isArray(list) ? list.filter(isRecord) : [];
};

export interface OutlineNode {
  text: string;
  children: OutlineNode[];
}

/** A mind map as a tree of plain-text titles (right-hand children first, then left-hand ones). */
export const mindOutline = (topic: JsonObject): OutlineNode => ({
  text: htmlToText(asString(topic.title)),
  children: [...topicList(topic, 'children'), ...topicList(topic, 'leftChildren')].map(mindOutline),
});

export const countTopics = (topic: JsonObject): number => {
  let count = 0;
  const stack: JsonObject[] = [topic];
  while (stack.length > 0) {
    const t = stack.pop() as JsonObject;
    count += 1;
    stack.push(...topicList(t, 'children'), ...topicList(t, 'leftChildren'));
  }
  return count;
};

export type Rgb = [number, number, number];

export interface CanvasShape {
  id: string;
  name: string;
  title: string;
  texts: string[];
  rect: { x: number; y: number; w: number; h: number } | null;
  fill: Rgb | null;
}

export interface CanvasLinker {
  from: { x: number; y: number } | null;
  to: { x: number; y: number } | null;
  text: string;
}

export interface CanvasSummary {
  shapes: CanvasShape[];
  linkers: CanvasLinker[];
}

const finite = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

const parseRgb = (value: unknown): Rgb | null => {
  if (typeof value !== 'string') return null;
  const m = /^\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*$/.exec(value);
  if (!m) return null;
  const rgb = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (rgb.some((c) => c > 255)) return null;
  return [rgb[0], rgb[1], rgb[2]];
};

const point = (value: unknown): { x: number; y: number } | null => {
  if (!isRecord(value)) return null;
  const x = finite(value.x);
  const y = finite(value.y);
  return x === null || y === null ? null : { x, y };
};

const textBlocks = (element: JsonObject): string[] => {
  const blocks = element.textBlock;
  if (!Array.isArray(blocks)) return [];
  return blocks
    .filter(isRecord)
    .map((block) => htmlToText(asString(block.text)))
    .filter((text) => text !== '');
};

/** The elements of a canvas def (flow, network, venn, uml): shapes in document order and linkers. */
export const canvasSummary = (doc: JsonObject): CanvasSummary => {
  const shapes: CanvasShape[] = [];
  const linkers: CanvasLinker[] = [];
  const elements = isRecord(doc.elements) ? doc.elements : {};
  for (const [key, element] of Object.entries(elements)) {
    if (!isRecord(element)) continue;
    if (element.name === 'linker') {
      linkers.push({
        from: point(element.from),
        to: point(element.to),
        text: htmlToText(asString(element.text)) || textBlocks(element).join(' '),
      });
      continue;
    }
    const props = isRecord(element.props) ? element.props : {};
    const [x, y, w, h] = [finite(props.x), finite(props.y), finite(props.w), finite(props.h)];
    const fillStyle = isRecord(element.fillStyle) ? element.fillStyle : {};
    shapes.push({
      id: asString(element.id) || key,
      name: asString(element.name),
      title: htmlToText(asString(element.title)),
      texts: textBlocks(element),
      rect: x !== null && y !== null && w !== null && h !== null && w > 0 && h > 0 ? { x, y, w, h } : null,
      fill: fillStyle.type === 'solid' ? parseRgb(fillStyle.color) : null,
    });
  }
  return { shapes, linkers };
};

/** ProcessOn's `valid`: false for a mind map without nodes under its root, or a canvas with no elements. */
export const isValidDiagram = (category: Category, doc: JsonObject): boolean => {
  if (isMindCategory(category)) {
    return topicList(doc, 'children').length + topicList(doc, 'leftChildren').length > 0;
  }
  return isRecord(doc.elements) && Object.keys(doc.elements).length > 0;
};

/** The document the editor starts from when def is empty. */
export const newDiagram = (category: Category, title: string): JsonObject =>
  isMindCategory(category)
    ? {
        id: 'root',
        root: true,
        title: textToHtml(title),
        structure: category === 'mind_org' ? 'mind_org' : 'mind_free',
        children: [],
        leftChildren: [],
      }
    : { page: { width: 1050, height: 700 }, elements: {} };
