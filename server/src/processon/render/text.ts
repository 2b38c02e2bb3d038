/**
 * Text from a def: ProcessOn titles and shape texts are HTML fragments (`&lt;`, `&nbsp;`, `<br>`,
 * `<b>`...). They are turned into plain lines (tags dropped, entities decoded) and only ever written
 * back escaped. Also: characters XML forbids are removed (an SVG must stay well-formed whatever the
 * def holds), and an estimate of text width for layout (no DOM, so no real font metrics).
 */
import { HTML_ESCAPES, escapeHtml } from '../html';

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  ndash: '\u2013',
  mdash: '\u2014',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  hellip: '\u2026',
  middot: '\u00b7',
  bull: '\u2022',
  copy: '\u00a9',
  reg: '\u00ae',
  trade: '\u2122',
  times: '\u00d7',
  divide: '\u00f7',
  larr: '\u2190',
  rarr: '\u2192',
  uarr: '\u2191',
  darr: '\u2193',
  le: '\u2264',
  ge: '\u2265',
  ne: '\u2260',
  deg: '\u00b0',
  plusmn: '\u00b1',
  laquo: '\u00ab',
  raquo: '\u00bb',
  yen: '\u00a5',
  euro: '\u20ac',
  pound: '\u00a3',
  sect: '\u00a7',
  para: '\u00b6',
};

const codePoint = (n: number): string => {
  // XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
  if (n === 0x9 || n === 0xa || n === 0xd) return String.fromCharCode(n);
  if ((n >= 0x20 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd) || (n >= 0x10000 && n <= 0x10ffff)) {
    return String.fromCodePoint(n);
  }
  return '\ufffd';
};

const ENTITY_RE = /&(?:#[xX]([0-9a-fA-F]{1,6});?|#([0-9]{1,7});?|([A-Za-z][A-Za-z0-9]{1,9});)/g;

/** Decodes HTML character references (named ones from a common list; numeric ones with or without `;`). */
export const decodeEntities = (text: string): string =>
  text.indexOf('&') < 0
    ? text
    : text.replace(ENTITY_RE, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
        if (hex !== undefined) return codePoint(parseInt(hex, 16));
        if (dec !== undefined) return codePoint(parseInt(dec, 10));
        const named = NAMED_ENTITIES[(name ?? '').toLowerCase()];
        return named ?? whole;
      });

/**
 * Removes what XML 1.0 cannot hold: control characters, U+FFFE/U+FFFF and lone surrogates (a low
 * surrogate is only kept after its high surrogate).
 */
export const stripInvalidXml = (text: string): string => {
  if (!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i] + text[i + 1];
        i += 1;
      }
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) continue;
    if (c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) continue;
    if (c === 0xfffe || c === 0xffff) continue;
    out += text[i];
  }
  return out;
};

// One scan for the common case: nothing to escape and nothing to drop.
// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[&<>"'`\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;

/** Escapes text for XML/HTML text and attributes, dropping characters XML forbids. */
export const escapeText = (text: string): string => (NEEDS_WORK.test(text) ? escapeHtml(stripInvalidXml(text)) : text);

const BREAK_TAG_RE = /<\s*(?:br|\/\s*(?:div|p|li|h[1-6]|tr))\b[^>]*>/gi;
// A tag only when a name follows "<" (so "a < b" and "<16K" stay text).
const TAG_RE = /<\/?[A-Za-z!][^<>]*>/g;

const LINES_RE = /[&<>"'`]|\r\n|\r|\n/g;
/** Escapes clean text (from fragmentToBlock) for HTML, line breaks as <br>, in one pass. */
export const escapeLines = (text: string): string => text.replace(LINES_RE, (c) => HTML_ESCAPES[c] ?? '<br>');

/**
 * An HTML fragment as plain lines: `<br>` and block ends break lines, other tags are dropped,
 * entities decoded, surrounding blank lines removed. Bounded to `maxChars` characters.
 */
// What makes a fragment more than plain one-line text: tags, entities, line breaks, characters to drop.
// eslint-disable-next-line no-control-regex
const NOT_PLAIN = /[<&\r\n\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;

export const fragmentToLines = (fragment: unknown, maxChars = 4000): string[] => {
  if (typeof fragment !== 'string' || fragment === '') return [];
  if (fragment.length <= maxChars && !NOT_PLAIN.test(fragment)) return /\S/.test(fragment) ? [fragment] : [];
  let text = fragment.length > maxChars * 4 ? fragment.slice(0, maxChars * 4) : fragment;
  if (text.indexOf('<') >= 0) text = text.replace(BREAK_TAG_RE, '\n').replace(TAG_RE, '');
  text = stripInvalidXml(decodeEntities(text));
  if (text.length > maxChars) text = `${text.slice(0, maxChars)}…`;
  const lines = text.split(/\r\n|\r|\n/);
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].trim() === '') start += 1;
  while (end > start && lines[end - 1].trim() === '') end -= 1;
  return lines.slice(start, end);
};

/**
 * A fragment as plain text with its line breaks ("\n"), trimmed, bounded to
 * `maxChars` (for notes: the outline writes the breaks as <br>).
 */
export const fragmentToBlock = (fragment: unknown, maxChars = 20000): string => {
  if (typeof fragment !== 'string' || fragment === '') return '';
  let text = fragment.length > maxChars * 4 ? fragment.slice(0, maxChars * 4) : fragment;
  if (text.indexOf('<') >= 0) text = text.replace(BREAK_TAG_RE, '\n').replace(TAG_RE, '');
  text = stripInvalidXml(decodeEntities(text));
  if (text.length > maxChars) text = `${text.slice(0, maxChars)}…`;
  return text.trim();
};

/** Plain text of a fragment on one line (for the outline and titles). */
export const fragmentToText = (fragment: unknown, maxChars = 4000): string => fragmentToLines(fragment, maxChars).join(' ');

const isWide = (c: number): boolean =>
  (c >= 0x1100 && c <= 0x115f) ||
  (c >= 0x2e80 && c <= 0xa4cf) ||
  (c >= 0xac00 && c <= 0xd7a3) ||
  (c >= 0xf900 && c <= 0xfaff) ||
  (c >= 0xfe30 && c <= 0xfe4f) ||
  (c >= 0xff00 && c <= 0xff60) ||
  (c >= 0xffe0 && c <= 0xffe6) ||
  (c >= 0xd800 && c <= 0xdbff); // astral (emoji, rare CJK): count the pair once as wide

/**
 * Estimated advance of one UTF-16 unit, in em: CJK full width; Latin from DejaVu Sans, the widest
 * common fallback (so text rarely overflows its box where the font is narrower).
 */
const charWidth = (c: number): number => {
  if (c >= 0xdc00 && c <= 0xdfff) return 0;
  if (isWide(c)) return 1;
  if (c === 0x20 || c === 0xa0) return 0.32;
  if (c >= 0x41 && c <= 0x5a) return c === 0x49 ? 0.32 : c === 0x4d || c === 0x57 ? 0.9 : 0.72;
  if (c >= 0x61 && c <= 0x7a) {
    if (c === 0x69 || c === 0x6a || c === 0x6c) return 0.3;
    if (c === 0x66 || c === 0x74 || c === 0x72) return 0.42;
    if (c === 0x6d || c === 0x77) return 0.9;
    return 0.62;
  }
  if (c >= 0x30 && c <= 0x39) return 0.64;
  if (c === 0x2e || c === 0x2c || c === 0x3a || c === 0x3b || c === 0x27 || c === 0x7c || c === 0x21) return 0.34;
  if (c < 0x80) return 0.6;
  return 0.65;
};

/** Bold glyphs are about a tenth wider. */
const BOLD = 1.1;

/** Estimated width of a line of text in px at a font size. */
export const textWidth = (text: string, fontSize: number, bold = false): number => {
  let em = 0;
  for (let i = 0; i < text.length; i += 1) em += charWidth(text.charCodeAt(i));
  return em * fontSize * (bold ? BOLD : 1);
};

/**
 * Wraps lines to a width in px (greedy: at spaces when it can, else between any two characters, as
 * CJK text does), at most `maxLines` lines (the last one ends with "…" when text was cut). Works on
 * indices and slices once per line made (large maps wrap tens of thousands of titles).
 */
export const wrapLines = (lines: string[], maxWidth: number, fontSize: number, maxLines = 50, bold = false): string[] => {
  const out: string[] = [];
  const limit = Math.max(maxWidth, fontSize * 2);
  const unit = fontSize * (bold ? BOLD : 1);
  for (let l = 0; l < lines.length; l += 1) {
    const line = lines[l];
    if (out.length >= maxLines) {
      out[out.length - 1] += '…';
      return out;
    }
    let start = 0;
    let width = 0;
    let lastSpace = -1;
    for (let i = 0; i < line.length; i += 1) {
      const c = line.charCodeAt(i);
      // A low surrogate weighs 0: a break never falls inside a pair.
      const cw = charWidth(c) * unit;
      if (width + cw > limit && i > start && c !== 0x20) {
        if (out.length + 1 >= maxLines) {
          out.push(`${line.slice(start, i)}…`);
          return out;
        }
        const end = lastSpace > start ? lastSpace : i;
        out.push(line.slice(start, end));
        start = end === i ? i : end + 1;
        width = 0;
        for (let k = start; k < i; k += 1) width += charWidth(line.charCodeAt(k)) * unit;
        lastSpace = -1;
      }
      if (c === 0x20) lastSpace = i;
      width += cw;
    }
    out.push(start === 0 ? line : line.slice(start));
  }
  return out;
};
