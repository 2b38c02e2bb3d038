/**
 * From a def in any form the plugin stores to the document to draw: raw JSON text or base64 of
 * URI-encoded JSON (both read by `decodeDef`), an already parsed object, a bare def or a `.pos` file
 * wrapper `{diagram: {elements}, meta}`, and ProcessOn 5.0's extra nesting
 * `diagram.elements = {editorVersion, elements, page, ...}`.
 */
import { decodeDef } from '../def';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface MindDocument {
  kind: 'mind';
  root: JsonObject;
  title?: string;
  category?: string;
}

export interface CanvasDocument {
  kind: 'canvas';
  page: JsonObject;
  theme: JsonObject;
  elements: JsonObject[];
  title?: string;
  category?: string;
}

export type DiagramDocument = MindDocument | CanvasDocument;

/** The root topic of a mind map: `{root: true, ...}`, or a topic-like object with a children array. */
const isTopic = (value: unknown): value is JsonObject =>
  isObject(value) && (value.root === true || (Array.isArray(value.children) && ('title' in value || 'id' in value)));

/** A canvas document: `{elements: {id: element}}` (or an array of elements). */
const isCanvas = (value: unknown): value is JsonObject =>
  isObject(value) && (isObject(value.elements) || Array.isArray(value.elements)) && !isTopic(value.elements);

const isPos = (value: unknown): value is JsonObject =>
  isObject(value) && isObject(value.diagram) && 'elements' in value.diagram;

const MAX_UNWRAP = 4;

/** Reads a def (string or parsed) into a document to draw, or a short reason it cannot. */
export const readDocument = (def: unknown, maxInputChars: number): DiagramDocument | string => {
  let doc: unknown = def;
  let title: string | undefined;
  let category: string | undefined;
  for (let i = 0; i <= MAX_UNWRAP; i += 1) {
    if (typeof doc === 'string') {
      if (doc.length > maxInputChars) return `the diagram is larger than ${maxInputChars} characters`;
      const decoded = decodeDef(doc);
      if (decoded === null) return doc.trim() === '' ? 'the diagram is empty' : 'the diagram is neither JSON nor base64 of URI-encoded JSON';
      doc = decoded;
      continue;
    }
    if (isPos(doc)) {
      const meta = isObject(doc.meta) ? doc.meta : {};
      const info = isObject(meta.diagramInfo) ? meta.diagramInfo : {};
      if (typeof info.title === 'string') title = info.title;
      if (typeof info.category === 'string') category = info.category;
      doc = (doc.diagram as JsonObject).elements;
      continue;
    }
    if (isTopic(doc)) return { kind: 'mind', root: doc, title, category };
    if (isObject(doc) && isTopic(doc.elements)) {
      // 5.0 nesting of a mind map: {editorVersion, elements: <root topic>, ...}
      doc = doc.elements;
      continue;
    }
    if (isCanvas(doc)) {
      const raw = doc.elements;
      const elements = (Array.isArray(raw) ? raw : Object.values(raw as JsonObject)).filter(isObject);
      return {
        kind: 'canvas',
        page: isObject(doc.page) ? doc.page : {},
        theme: isObject(doc.theme) ? doc.theme : {},
        elements,
        title,
        category,
      };
    }
    break;
  }
  return 'the diagram is neither a mind map (root topic) nor a canvas diagram (page and elements)';
};
