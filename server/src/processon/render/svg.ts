/**
 * Small helpers for writing SVG from untrusted values: numbers are formatted (never raw strings),
 * colours re-emitted from their parsed components, names and URLs filtered, and an output buffer
 * with a size budget. Every string value is escaped by `escapeText`.
 */
import { escapeText } from './text';

/**
 * A number for an attribute: finite, to one decimal (a tenth of a pixel), without "-0". Written from
 * integers (V8 turns a double into text about eight times slower than an integer, and a large
 * diagram writes hundreds of thousands of numbers).
 */
export const num = (value: number): string => {
  if ((value | 0) === value) return '' + value;
  if (!Number.isFinite(value)) return '0';
  const tenths = Math.round(value * 10);
  if (tenths === 0) return '0';
  if (tenths > 2e9 || tenths < -2e9) return String(tenths / 10);
  const negative = tenths < 0;
  const abs = negative ? -tenths : tenths;
  const whole = (abs / 10) | 0;
  const digit = abs - whole * 10;
  return (negative ? '-' : '') + whole + (digit ? `.${digit}` : '');
};

const clampByte = (n: number) => Math.max(0, Math.min(255, Math.round(n)));

const colorCache = new Map<string, string | null>();

/** A colour in the def ("R,G,B", "#rgb", "#rrggbb", "rgb(...)", "rgba(...)") as a safe SVG colour, or null. */
export const color = (value: unknown): string | null => {
  if (typeof value !== 'string') return null;
  const cached = colorCache.get(value);
  if (cached !== undefined) return cached;
  const parsed = parseColor(value);
  if (colorCache.size >= 1024) colorCache.clear();
  colorCache.set(value, parsed);
  return parsed;
};

const parseColor = (value: string): string | null => {
  const text = value.trim().toLowerCase();
  if (text === '' || text.length > 40) return null;
  if (text === 'transparent' || text === 'none') return 'none';
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(text);
  if (hex) return text;
  const parts = /^(?:rgba?\()?\s*(\d{1,3}(?:\.\d+)?)\s*,\s*(\d{1,3}(?:\.\d+)?)\s*,\s*(\d{1,3}(?:\.\d+)?)\s*(?:,\s*(\d*(?:\.\d+)?)\s*)?\)?$/.exec(text);
  if (!parts) return null;
  const [r, g, b] = [parts[1], parts[2], parts[3]].map((p) => clampByte(Number(p)));
  if (parts[4] !== undefined && parts[4] !== '') {
    const a = Math.max(0, Math.min(1, Number(parts[4])));
    if (a === 0) return 'none';
    if (a < 1) return `rgba(${r},${g},${b},${num(a)})`;
  }
  return `rgb(${r},${g},${b})`;
};

/** A font family name from the def, kept only when made of letters, digits, spaces and dashes. */
export const fontFamily = (value: unknown): string | null => {
  if (typeof value !== 'string') return null;
  const name = value.trim();
  if (name === '' || name.length > 40 || !/^[\p{L}\p{N} _-]+$/u.test(name)) return null;
  return name;
};

export const DEFAULT_FONTS =
  "system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', Arial, sans-serif";

/** A link target usable in `<a href>`: http(s) and mailto only, else null. */
export const safeLink = (value: unknown): string | null => {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '' || text.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'mailto:') return null;
  if (url.username || url.password) return null;
  return url.href;
};

/** A host pattern of the image allow-list: `cdn.example.com` or `*.example.com` (no scheme, port or path). */
export const isImageHostPattern = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= 253 && /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(value);

/**
 * An image URL allowed to be referenced (never fetched by the renderer): https or http with a host
 * in the allow-list (exact host, or `*.example.com` for subdomains). Null otherwise.
 */
export const allowedImage = (value: unknown, hosts: readonly string[]): string | null => {
  if (hosts.length === 0 || typeof value !== 'string') return null;
  const href = safeLink(decodeEntitiesInUrl(value));
  if (!href) return null;
  const url = new URL(href);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = url.hostname.toLowerCase();
  const ok = hosts.some((allowed) => {
    const a = allowed.trim().toLowerCase();
    if (a.startsWith('*.')) return host.endsWith(a.slice(1)) && host.length > a.length - 1;
    return host === a;
  });
  return ok ? href : null;
};

/** ProcessOn stores some image URLs HTML-escaped (`&amp;token=`). */
const decodeEntitiesInUrl = (value: string): string => value.replace(/&amp;/g, '&');

export class OutputTooLarge extends Error {}

// Any regular expression test makes V8 flatten the string it reads.
const FLATTEN = /^/;

/**
 * An output buffer with a budget in characters. Text is gathered in chunks of a few KB, each one
 * flattened into a plain string when full: the many small pieces a chunk is concatenated from then
 * die young instead of surviving (and being copied by) every garbage collection of a large rendering.
 */
export class Out {
  private parts: string[] = [];
  private chunk = '';
  private size = 0;
  constructor(private readonly budget: number) {}

  push(text: string): void {
    this.size += text.length;
    if (this.size > this.budget) throw new OutputTooLarge();
    this.chunk += text;
    if (this.chunk.length > 8192) {
      FLATTEN.test(this.chunk);
      this.parts.push(this.chunk);
      this.chunk = '';
    }
  }

  get length(): number {
    return this.size;
  }

  /** The text (a rope of the flat chunks: whoever writes it out flattens it once). */
  toString(): string {
    let text = '';
    for (const part of this.parts) text += part;
    return text + this.chunk;
  }
}

/** `<text>` with one `<tspan>` per line (absolute x and y, so blank lines keep their place), escaped. */
export const textElement = (
  lines: string[],
  x: number,
  firstBaseline: number,
  lineHeight: number,
  attrs: string
): string => {
  if (lines.length === 1) return `<text x="${num(x)}" y="${num(firstBaseline)}"${attrs}>${escapeText(lines[0])}</text>`;
  let s = `<text${attrs}>`;
  for (let i = 0; i < lines.length; i += 1) {
    if (lines[i] === '') continue;
    s += `<tspan x="${num(x)}" y="${num(firstBaseline + i * lineHeight)}">${escapeText(lines[i])}</tspan>`;
  }
  return `${s}</text>`;
};

/**
 * An id prefix for one rendering (the <svg> id, its symbols and gradients), so that several
 * renderings inlined in one HTML page never refer to each other's ids: from the caller
 * (letters, digits, "-" and "_"), else a short hash of a sample of the def.
 */
export const idPrefix = (requested: unknown, source: unknown): string => {
  if (typeof requested === 'string' && /^[A-Za-z][A-Za-z0-9_-]{0,40}$/.test(requested)) return requested;
  const text = typeof source === 'string' ? source : '';
  let hash = 0x811c9dc5 ^ text.length;
  const step = Math.max(1, Math.floor(text.length / 2048));
  for (let i = 0; i < text.length; i += step) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return `po${(hash >>> 0).toString(36)}`;
};

/** Glyphs used many times (image placeholder, note and link marks), drawn with <use>. */
export const symbols = (p: string): string =>
  `<defs><symbol id="${p}-img" viewBox="0 0 20 20"><path d="M1 17L7 9L11 13.5L14 10.5L19 17Z"/><circle cx="14" cy="5" r="2"/></symbol>` +
  `<symbol id="${p}-note" viewBox="0 0 12 14"><path d="M1 1h7l3 3v9H1zM3 7h6M3 10h6" fill="none" stroke-width="1.2"/></symbol>` +
  `<symbol id="${p}-link" viewBox="0 0 14 14"><path d="M6 2H1v11h11V8M6 8l6-6M8 2h4v4" fill="none" stroke-width="1.3"/></symbol></defs>`;

/** CSS shared by every rendering, scoped to its <svg>: placeholders and marks. */
export const sharedCss = (p: string): string =>
  `#${p} .pph{fill:#f3f4f6;stroke:#b8bec8;stroke-dasharray:4 3}#${p} .ppg{fill:#c9ced6}#${p} .pmk{stroke:#8a93a3}#${p} .pmw{stroke:#fff}`;

/** Where an image of the def goes: a neutral placeholder (a frame and a picture glyph). */
export const imagePlaceholder = (p: string, x: number, y: number, w: number, h: number): string => {
  const g = Math.max(6, Math.min(w, h) * 0.6);
  return `<rect class="pph" x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" rx="3"/><use href="#${p}-img" class="ppg" x="${num(x + (w - g) / 2)}" y="${num(y + (h - g) / 2)}" width="${num(g)}" height="${num(g)}"/>`;
};

/** An image referenced by URL (only for hosts the caller allowed; see allowedImage). */
export const imageElement = (href: string, x: number, y: number, w: number, h: number): string =>
  `<image href="${escapeText(href)}" x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" preserveAspectRatio="xMidYMid meet"/>`;
