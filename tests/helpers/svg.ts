/**
 * Checks on rendered SVG and outlines, shared by the unit, integration and browser tests: well-formed
 * XML (an XML parser that stops at any error or warning, plus the two rules it does not check: characters XML
 * forbids and bare `&`), and what untrusted input must never produce (scripts, event attributes,
 * external references).
 */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';

// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BARE_AMPERSAND = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;

/** Parses an SVG document; throws with the reason when it is not well-formed XML with an <svg> root. */
export const parseSvg = (svg: string): Document => {
  const bad = XML_INVALID.exec(svg);
  if (bad) throw new Error(`character U+${bad[0].charCodeAt(0).toString(16)} is not allowed in XML (at ${bad.index})`);
  const amp = BARE_AMPERSAND.exec(svg);
  if (amp) throw new Error(`bare "&" at ${amp.index}: ${svg.slice(amp.index, amp.index + 20)}`);
  const doc = new DOMParser({
    onError: (level, message) => {
      // U+FFFD is a valid XML character (it stands for an invalid reference in the def).
      if (level === 'warning' && /replacement character/i.test(message)) return;
      throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  if (!root || root.tagName !== 'svg' || root.namespaceURI !== 'http://www.w3.org/2000/svg') throw new Error('the root is not an SVG <svg> element');
  return doc;
};

/** Parses an HTML page or fragment (the outline) leniently, as a browser would. */
export const parseHtml = (html: string): Document =>
  new DOMParser({ onError: () => undefined }).parseFromString(
    /^\s*<!doctype/i.test(html) ? html : `<!doctype html><html><body>${html}</body></html>`,
    'text/html'
  );

export const elements = (doc: Document, name?: string): Element[] => Array.from(doc.getElementsByTagName(name ?? '*'));

/** Text of each <text> element, its lines (tspans) joined without separator. */
export const svgTexts = (doc: Document): string[] => elements(doc, 'text').map((t) => t.textContent ?? '');

/** Whitespace-insensitive form for comparing titles with wrapped text. */
export const squash = (text: string): string => text.replace(/[\s\u00a0]+/g, '');

/**
 * What untrusted input must never produce in a rendering: script or foreign content, event
 * attributes, references to anything but http(s)/mailto links and the document's own symbols and gradients.
 * Returns the problems found ([] when clean).
 */
export const unsafeParts = (doc: Document, allowedImageHosts: string[] = []): string[] => {
  const problems: string[] = [];
  for (const el of elements(doc)) {
    const name = el.localName?.toLowerCase() ?? '';
    if (['script', 'foreignobject', 'iframe', 'object', 'embed', 'animate', 'set', 'style'].includes(name) && !(name === 'style' && el.parentNode === doc.documentElement)) {
      problems.push(`<${name}>`);
    }
    for (const attr of Array.from(el.attributes)) {
      const key = attr.name.toLowerCase();
      const value = attr.value;
      if (key.startsWith('on')) problems.push(`${name}[${key}]`);
      if (key === 'href' || key === 'xlink:href' || key === 'src') {
        if (name === 'use') {
          // Only the rendering's own symbols.
          if (!/^#[A-Za-z][A-Za-z0-9_-]*$/.test(value) || !doc.getElementById(value.slice(1))) problems.push(`use ${value}`);
        } else if (name === 'image') {
          const host = /^https?:\/\/([^/:?#]+)/i.exec(value)?.[1]?.toLowerCase();
          if (!host || !allowedImageHosts.includes(host)) problems.push(`image ${value}`);
        } else if (!/^(https?:|mailto:)/i.test(value)) problems.push(`${name}[${key}=${value}]`);
      }
      if (/url\(/i.test(value) && !/^url\(#[A-Za-z0-9_-]+\)$/.test(value)) problems.push(`${name}[${key}=${value}]`);
      if (key === 'style') problems.push(`${name}[style]`);
    }
  }
  return problems;
};
