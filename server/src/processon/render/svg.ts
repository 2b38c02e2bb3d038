/**
 * Small helpers for writing SVG from untrusted values: numbers are formatted (never raw strings),
 * colours re-emitted from their parsed components, names and URLs filtered, and an output buffer
 * with a size budget. Every string value is escaped by `escapeText`.
 */
import { escapeText } from './text';

/** A number for an attribute: finite, rounded to 2 decimals, without "-0". */
export const num = (value: number): string => {
  if (!Number.isFinite(value)) return '0';
  const rounded = Math.round(value * 100) / 100;
  return rounded === 0 ? '0' : String(rounded);
};

const clampByte = (n: number) => Math.max(0, Math.min(255, Math.round(n)));

/** A colour in the def ("R,G,B", "#rgb", "#rrggbb", "rgb(...)", "rgba(...)") as a safe SVG colour, or null. */
export const color = (value: unknown): string | null => {
  if (typeof value !== 'string') return null;
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

/** An output buffer with a budget in characters. */
export class Out {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly budget: number) {}

  push(text: string): void {
    this.size += text.length;
    if (this.size > this.budget) throw new OutputTooLarge();
    this.parts.push(text);
  }

  get length(): number {
    return this.size;
  }

  toString(): string {
    return this.parts.join('');
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

/** Where an image of the def goes: a neutral placeholder (a frame and a picture glyph). */
export const imagePlaceholder = (x: number, y: number, w: number, h: number): string => {
  const cx = x + w / 2;
  const cy = y + h / 2;
  const s = Math.max(6, Math.min(w, h) * 0.3);
  return (
    `<g class="img-ph"><rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" rx="3" fill="#f3f4f6" stroke="#b8bec8" stroke-dasharray="4 3"/>` +
    `<path d="M${num(cx - s)} ${num(cy + s * 0.6)}L${num(cx - s * 0.35)} ${num(cy - s * 0.2)}L${num(cx + s * 0.1)} ${num(cy + s * 0.3)}L${num(cx + s * 0.45)} ${num(cy - s * 0.05)}L${num(cx + s)} ${num(cy + s * 0.6)}Z" fill="#c9ced6"/>` +
    `<circle cx="${num(cx + s * 0.45)}" cy="${num(cy - s * 0.45)}" r="${num(s * 0.16)}" fill="#c9ced6"/></g>`
  );
};

/** An image referenced by URL (only for hosts the caller allowed; see allowedImage). */
export const imageElement = (href: string, x: number, y: number, w: number, h: number): string =>
  `<image href="${escapeText(href)}" x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" preserveAspectRatio="xMidYMid meet"/>`;
