/**
 * Canvas diagrams (`flow`, `network`, `uml`, `venn`): every shape is drawn from its own path actions
 * (move, line, curve, quadraticCurve, close) whose coordinates are evaluated over the shape's w and h
 * by the safe evaluator, with fill (solid, gradient, none), line style and alpha from theme → shape →
 * path; its text blocks wrapped in their positions; linkers through their bend points (or a simple
 * orthogonal route when a broken linker has none), with arrow heads and labels. The picture is
 * cropped to what is drawn, plus the page padding.
 */
import { evaluateCoordinate, type Variables } from './expr';
import { Budget } from './limits';
import { isObject, type CanvasDocument, type Json, type JsonObject } from './input';
import { DEFAULT_FONTS, Out, OutputTooLarge, allowedImage, color, fontFamily, imageElement, imagePlaceholder, num, safeLink, sharedCss, symbols, textElement } from './svg';
import { escapeText, fragmentToLines, textWidth, wrapLines } from './text';
import type { Rendered } from './types';

interface Point {
  x: number;
  y: number;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface LineStyle {
  width: number;
  color: string;
  dash: string | null;
}

interface FontStyle {
  size: number;
  color: string;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  align: 'start' | 'middle' | 'end';
  vAlign: 'top' | 'middle' | 'bottom';
  family: string | null;
}

const MAX_PATHS = 64;
const MAX_ACTIONS = 2000;
const MAX_TEXT_BLOCKS = 32;
const MAX_POINTS = 500;
const MAX_COORD = 1e6;

const obj = (value: Json | undefined): JsonObject => (isObject(value) ? value : {});
const finite = (value: unknown): number | null => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && Math.abs(n) <= MAX_COORD ? n : null;
};

const DASHES: Record<string, (w: number) => string> = {
  dashed: (w) => `${num(w * 4)} ${num(w * 3)}`,
  dot: (w) => `${num(w)} ${num(w * 2)}`,
  dotted: (w) => `${num(w)} ${num(w * 2)}`,
  dashdot: (w) => `${num(w * 4)} ${num(w * 2)} ${num(w)} ${num(w * 2)}`,
};

const lineStyleOf = (layers: JsonObject[], fallbackWidth: number): LineStyle => {
  let width = fallbackWidth;
  let c = 'rgb(50,50,50)';
  let pattern = 'solid';
  for (const layer of layers) {
    const w = finite(layer.lineWidth);
    if (w !== null && w >= 0 && w <= 100) width = w;
    const lc = color(layer.lineColor);
    if (lc) c = lc;
    if (typeof layer.lineStyle === 'string') pattern = layer.lineStyle;
  }
  const dash = Object.prototype.hasOwnProperty.call(DASHES, pattern) ? DASHES[pattern](Math.max(width, 1)) : null;
  return { width, color: c, dash };
};

const fontStyleOf = (layers: JsonObject[]): FontStyle => {
  const f: FontStyle = { size: 13, color: 'rgb(50,50,50)', bold: false, italic: false, underline: false, align: 'middle', vAlign: 'middle', family: null };
  for (const layer of layers) {
    const size = finite(layer.size);
    if (size !== null && size >= 4 && size <= 200) f.size = size;
    const c = color(layer.color);
    if (c) f.color = c;
    if (typeof layer.bold === 'boolean') f.bold = layer.bold;
    if (typeof layer.italic === 'boolean') f.italic = layer.italic;
    if (typeof layer.underline === 'boolean') f.underline = layer.underline;
    if (layer.textAlign === 'left') f.align = 'start';
    else if (layer.textAlign === 'right') f.align = 'end';
    else if (layer.textAlign === 'center') f.align = 'middle';
    if (layer.vAlign === 'top' || layer.vAlign === 'middle' || layer.vAlign === 'bottom') f.vAlign = layer.vAlign;
    const family = fontFamily(layer.fontFamily);
    if (family) f.family = family;
  }
  return f;
};

/** Font attributes; the family only when it differs from the one the whole SVG declares. */
const fontAttrs = (f: FontStyle, baseFamily: string | null): string =>
  ` font-size="${num(f.size)}" fill="${f.color}"${f.bold ? ' font-weight="700"' : ''}${f.italic ? ' font-style="italic"' : ''}${
    f.underline ? ' text-decoration="underline"' : ''
  }${f.family && f.family !== baseFamily ? ` font-family="${escapeText(`'${f.family}', ${DEFAULT_FONTS}`)}"` : ''}`;

/** Text lines placed in a box with the font's alignment; wrapped to the box width. */
const textInBox = (lines: string[], box: Box, f: FontStyle, baseFamily: string | null): string => {
  if (!lines.length) return '';
  const lh = f.size * 1.35;
  const wrapped = wrapLines(lines, Math.max(box.w - 4, f.size), f.size, 40, f.bold);
  const blockH = wrapped.length * lh;
  const top = f.vAlign === 'top' ? box.y + 2 : f.vAlign === 'bottom' ? box.y + box.h - blockH - 2 : box.y + (box.h - blockH) / 2;
  const x = f.align === 'start' ? box.x + 2 : f.align === 'end' ? box.x + box.w - 2 : box.x + box.w / 2;
  return textElement(wrapped, x, top + lh / 2 + f.size * 0.35, lh, `${fontAttrs(f, baseFamily)}${f.align === 'middle' ? ' text-anchor="middle"' : f.align === 'end' ? ' text-anchor="end"' : ''}`);
};

interface Shape {
  raw: JsonObject;
  box: Box;
  angle: number;
  text: string;
  z: number;
  order: number;
}

interface Linker {
  raw: JsonObject;
  z: number;
  order: number;
}

interface Context {
  budget: Budget;
  theme: JsonObject;
  defs: Out;
  gradients: number;
  images: number;
  placeholders: number;
  bounds: { minX: number; minY: number; maxX: number; maxY: number };
  shapes: Map<string, Shape>;
  /** Id prefix of this rendering (see idPrefix). */
  prefix: string;
  /** The theme's font family, declared once on the <svg>. */
  family: string | null;
}

const grow = (c: Context, x: number, y: number) => {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return;
  const b = c.bounds;
  if (x < b.minX) b.minX = x;
  if (y < b.minY) b.minY = y;
  if (x > b.maxX) b.maxX = x;
  if (y > b.maxY) b.maxY = y;
};

/** The `d` of one path from its actions (coordinates relative to the shape). */
const pathData = (actions: Json[], vars: Variables, budget: Budget): string => {
  let d = '';
  let started = false;
  const n = Math.min(actions.length, MAX_ACTIONS);
  const at = (a: JsonObject, key: string): number => {
    const v = evaluateCoordinate(a[key], vars);
    return Math.abs(v) <= MAX_COORD ? v : NaN;
  };
  for (let i = 0; i < n; i += 1) {
    budget.tick();
    const a = actions[i];
    if (!isObject(a)) continue;
    switch (a.action) {
      case 'move': {
        const x = at(a, 'x');
        const y = at(a, 'y');
        if (Number.isNaN(x) || Number.isNaN(y)) continue;
        d += `M${num(x)} ${num(y)}`;
        started = true;
        break;
      }
      case 'line': {
        const x = at(a, 'x');
        const y = at(a, 'y');
        if (Number.isNaN(x) || Number.isNaN(y)) continue;
        d += `${started ? 'L' : 'M'}${num(x)} ${num(y)}`;
        started = true;
        break;
      }
      case 'curve': {
        const v = ['x1', 'y1', 'x2', 'y2', 'x', 'y'].map((k) => at(a, k));
        if (v.some(Number.isNaN)) continue;
        if (!started) d += `M${num(v[4])} ${num(v[5])}`;
        else d += `C${v.map(num).join(' ')}`;
        started = true;
        break;
      }
      case 'quadraticCurve': {
        const v = ['x1', 'y1', 'x', 'y'].map((k) => at(a, k));
        if (v.some(Number.isNaN)) continue;
        if (!started) d += `M${num(v[2])} ${num(v[3])}`;
        else d += `Q${v.map(num).join(' ')}`;
        started = true;
        break;
      }
      case 'close':
        if (started) d += 'Z';
        break;
      default:
        break;
    }
  }
  return d;
};

/** A fill attribute from a fillStyle: solid colour, gradient (a <linearGradient>/<radialGradient>), none. */
const fillOf = (layers: JsonObject[], c: Context): { fill: string; image: JsonObject | null } => {
  let style: JsonObject = { type: 'solid', color: '255,255,255' };
  for (const layer of layers) if (typeof layer.type === 'string' || layer.color !== undefined) style = { ...style, ...layer };
  switch (style.type) {
    case 'none':
      return { fill: 'none', image: null };
    case 'gradient': {
      const begin = color(style.beginColor) ?? 'rgb(255,255,255)';
      const end = color(style.endColor) ?? 'rgb(200,200,200)';
      c.gradients += 1;
      const id = `${c.prefix}-g${c.gradients}`;
      if (style.gradientType === 'radial') {
        c.defs.push(`<radialGradient id="${id}"><stop offset="0" stop-color="${begin}"/><stop offset="1" stop-color="${end}"/></radialGradient>`);
      } else {
        const angle = finite(style.angle) ?? 0;
        const dx = Math.cos(angle) / 2;
        const dy = Math.sin(angle) / 2;
        c.defs.push(
          `<linearGradient id="${id}" x1="${num(0.5 - dx)}" y1="${num(0.5 - dy)}" x2="${num(0.5 + dx)}" y2="${num(0.5 + dy)}"><stop offset="0" stop-color="${begin}"/><stop offset="1" stop-color="${end}"/></linearGradient>`
        );
      }
      return { fill: `url(#${id})`, image: null };
    }
    case 'image':
      return { fill: 'rgb(255,255,255)', image: style };
    default:
      return { fill: color(style.color) ?? 'rgb(255,255,255)', image: null };
  }
};

const drawShape = (shape: Shape, c: Context, out: Out): void => {
  const { raw, box } = shape;
  const themeShape = obj(c.theme.shape);
  const vars: Variables = (name) => (name === 'w' ? box.w : name === 'h' ? box.h : undefined);
  const alpha = finite(obj(raw.shapeStyle).alpha);
  const deg = (shape.angle * 180) / Math.PI;
  let s = `<g transform="translate(${num(box.x)} ${num(box.y)})${deg ? ` rotate(${num(deg)} ${num(box.w / 2)} ${num(box.h / 2)})` : ''}"${
    alpha !== null && alpha >= 0 && alpha < 1 ? ` opacity="${num(alpha)}"` : ''
  }>`;
  const paths = Array.isArray(raw.path) ? raw.path.slice(0, MAX_PATHS) : [];
  const shapeLine = [obj(themeShape.lineStyle), obj(raw.lineStyle)];
  const shapeFill = [obj(themeShape.fillStyle), obj(raw.fillStyle)];
  for (const p of paths) {
    if (!isObject(p) || !Array.isArray(p.actions)) continue;
    const d = pathData(p.actions, vars, c.budget);
    if (!d) continue;
    const line = lineStyleOf([...shapeLine, obj(p.lineStyle)], 2);
    const { fill, image } = fillOf([...shapeFill, obj(p.fillStyle)], c);
    s += `<path d="${d}" fill="${fill}"${line.width > 0 ? ` stroke="${line.color}" stroke-width="${num(line.width)}"` : ' stroke="none"'}${
      line.dash ? ` stroke-dasharray="${line.dash}"` : ''
    } stroke-linejoin="round"/>`;
    if (image) s += imageIn(image, { x: 0, y: 0, w: box.w, h: box.h }, c);
  }
  if (raw.name === 'image' || (isObject(raw.image) && !paths.length)) s += imageIn(obj(raw.image ?? raw.fillStyle), { x: 0, y: 0, w: box.w, h: box.h }, c);
  const blocks = Array.isArray(raw.textBlock) ? raw.textBlock.slice(0, MAX_TEXT_BLOCKS) : [];
  const font = [obj(themeShape.fontStyle), obj(raw.fontStyle)];
  for (const block of blocks) {
    if (!isObject(block)) continue;
    const lines = fragmentToLines(block.text, 4000);
    if (!lines.length) continue;
    const pos = obj(block.position);
    const b: Box = {
      x: evaluateCoordinate(pos.x ?? 0, vars),
      y: evaluateCoordinate(pos.y ?? 0, vars),
      w: evaluateCoordinate(pos.w ?? 'w', vars),
      h: evaluateCoordinate(pos.h ?? 'h', vars),
    };
    if ([b.x, b.y, b.w, b.h].some((v) => Number.isNaN(v) || Math.abs(v) > MAX_COORD)) continue;
    s += textInBox(lines, b, fontStyleOf([...font, obj(block.fontStyle)]), c.family);
  }
  s += '</g>';
  const href = safeLink(raw.link);
  out.push(href ? `<a href="${escapeText(href)}" target="_blank" rel="noopener noreferrer">${s}</a>` : s);
  // Bounds: the rotated box, with a margin for curves that bulge out of it.
  const m = Math.min(box.w, box.h) * 0.15 + 4;
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  const cos = Math.cos(shape.angle);
  const sin = Math.sin(shape.angle);
  for (const [dx, dy] of [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ]) {
    const px = dx * (box.w / 2 + m);
    const py = dy * (box.h / 2 + m);
    grow(c, cx + px * cos - py * sin, cy + px * sin + py * cos);
  }
};

const imageIn = (image: JsonObject, box: Box, c: Context): string => {
  c.images += 1;
  const href = allowedImage(image.url ?? image.src, c.budget.limits.allowedImageHosts);
  if (href) return imageElement(href, box.x, box.y, box.w, box.h);
  c.placeholders += 1;
  return imagePlaceholder(c.prefix, box.x, box.y, box.w, box.h);
};

/** Outward direction at an end of a linker: the side of the shape it sits on, else its angle. */
const direction = (end: JsonObject, point: Point, c: Context): Point | null => {
  const shape = typeof end.id === 'string' ? c.shapes.get(end.id) : undefined;
  if (shape && !shape.angle) {
    const { x, y, w, h } = shape.box;
    const d = [
      [Math.abs(point.x - x), -1, 0],
      [Math.abs(point.x - (x + w)), 1, 0],
      [Math.abs(point.y - y), 0, -1],
      [Math.abs(point.y - (y + h)), 0, 1],
    ].sort((a, b) => a[0] - b[0])[0];
    return { x: d[1], y: d[2] };
  }
  const angle = finite(end.angle);
  if (angle === null) return null;
  return { x: Math.cos(angle), y: -Math.sin(angle) };
};

const horizontal = (d: Point | null) => d !== null && Math.abs(d.x) > Math.abs(d.y);

/** An orthogonal route for a broken linker without bend points. */
const route = (a: Point, b: Point, da: Point | null, db: Point | null): Point[] => {
  if (Math.abs(a.x - b.x) < 0.5 || Math.abs(a.y - b.y) < 0.5) return [a, b];
  const ha = da ? horizontal(da) : Math.abs(b.x - a.x) > Math.abs(b.y - a.y);
  const hb = db ? horizontal(db) : ha;
  if (ha && hb) {
    const mx = (a.x + b.x) / 2;
    return [a, { x: mx, y: a.y }, { x: mx, y: b.y }, b];
  }
  if (!ha && !hb) {
    const my = (a.y + b.y) / 2;
    return [a, { x: a.x, y: my }, { x: b.x, y: my }, b];
  }
  return ha ? [a, { x: b.x, y: a.y }, b] : [a, { x: a.x, y: b.y }, b];
};

const pointOf = (value: Json | undefined): Point | null => {
  if (!isObject(value)) return null;
  const x = finite(value.x);
  const y = finite(value.y);
  return x === null || y === null ? null : { x, y };
};

/** An arrow head at `tip` pointing along `dir` (unit vector); returns its markup and how far to pull the line back. */
const arrowHead = (style: unknown, tip: Point, dir: Point, line: LineStyle): { svg: string; pullback: number } => {
  if (typeof style !== 'string' || style === 'none' || style === '') return { svg: '', pullback: 0 };
  const len = 9 + line.width * 2;
  const half = len * 0.42;
  const bx = tip.x - dir.x * len;
  const by = tip.y - dir.y * len;
  const nx = -dir.y;
  const ny = dir.x;
  const p = (x: number, y: number) => `${num(x)} ${num(y)}`;
  const stroke = `stroke="${line.color}" stroke-width="${num(Math.max(line.width, 1))}"`;
  const lower = style.toLowerCase();
  if (lower.includes('circle')) {
    const r = len * 0.4;
    const cx = tip.x - dir.x * r;
    const cy = tip.y - dir.y * r;
    const solid = lower.startsWith('solid');
    return { svg: `<circle cx="${num(cx)}" cy="${num(cy)}" r="${num(r)}" fill="${solid ? line.color : '#ffffff'}" ${stroke}/>`, pullback: r * 2 };
  }
  if (lower.includes('diamond')) {
    const mx = tip.x - dir.x * len * 0.6;
    const my = tip.y - dir.y * len * 0.6;
    const ex = tip.x - dir.x * len * 1.2;
    const ey = tip.y - dir.y * len * 1.2;
    const solid = lower.startsWith('solid');
    return {
      svg: `<path d="M${p(tip.x, tip.y)}L${p(mx + nx * half * 0.8, my + ny * half * 0.8)}L${p(ex, ey)}L${p(mx - nx * half * 0.8, my - ny * half * 0.8)}Z" fill="${solid ? line.color : '#ffffff'}" ${stroke}/>`,
      pullback: len * 1.2,
    };
  }
  if (lower === 'normal' || lower === 'arrow' || lower.includes('dashed') || lower === 'open') {
    return {
      svg: `<path d="M${p(bx + nx * half, by + ny * half)}L${p(tip.x, tip.y)}L${p(bx - nx * half, by - ny * half)}" fill="none" ${stroke} stroke-linejoin="round" stroke-linecap="round"/>`,
      pullback: 0,
    };
  }
  return {
    svg: `<path d="M${p(tip.x, tip.y)}L${p(bx + nx * half, by + ny * half)}L${p(bx - nx * half, by - ny * half)}Z" fill="${line.color}" stroke="${line.color}" stroke-width="1" stroke-linejoin="round"/>`,
    pullback: len * 0.8,
  };
};

const unit = (from: Point, to: Point): Point => {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const l = Math.hypot(dx, dy);
  return l > 1e-6 ? { x: dx / l, y: dy / l } : { x: 1, y: 0 };
};

/** The point at a fraction of a polyline's length. */
const along = (points: Point[], fraction: number): Point => {
  let total = 0;
  for (let i = 1; i < points.length; i += 1) total += Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
  let goal = total * Math.max(0, Math.min(1, fraction));
  for (let i = 1; i < points.length; i += 1) {
    const seg = Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
    if (goal <= seg && seg > 0) {
      const t = goal / seg;
      return { x: points[i - 1].x + (points[i].x - points[i - 1].x) * t, y: points[i - 1].y + (points[i].y - points[i - 1].y) * t };
    }
    goal -= seg;
  }
  return points[points.length - 1];
};

const bezierAt = (p: Point[], t: number): Point => {
  const u = 1 - t;
  return {
    x: u * u * u * p[0].x + 3 * u * u * t * p[1].x + 3 * u * t * t * p[2].x + t * t * t * p[3].x,
    y: u * u * u * p[0].y + 3 * u * u * t * p[1].y + 3 * u * t * t * p[2].y + t * t * t * p[3].y,
  };
};

const drawLinker = (linker: Linker, c: Context, out: Out): string[] => {
  const raw = linker.raw;
  const fromRaw = obj(raw.from);
  const toRaw = obj(raw.to);
  const a = pointOf(fromRaw);
  const b = pointOf(toRaw);
  if (!a || !b) return [];
  const themeLinker = obj(c.theme.linker);
  const line = lineStyleOf([obj(themeLinker.lineStyle), obj(raw.lineStyle)], 2);
  const style = { ...obj(themeLinker.lineStyle), ...obj(raw.lineStyle) };
  const bends = (Array.isArray(raw.points) ? raw.points.slice(0, MAX_POINTS) : []).map(pointOf).filter((p): p is Point => p !== null);
  const da = direction(fromRaw, a, c);
  const db = direction(toRaw, b, c);
  const type = typeof raw.linkerType === 'string' ? raw.linkerType : 'broken';
  let points: Point[];
  let curve: Point[] | null = null;
  if (type === 'curve') {
    const dist = Math.max(30, Math.hypot(b.x - a.x, b.y - a.y) * 0.4);
    const c1 = bends[0] ?? { x: a.x + (da?.x ?? 0) * dist, y: a.y + (da?.y ?? 0) * dist };
    const c2 = bends[1] ?? { x: b.x + (db?.x ?? 0) * dist, y: b.y + (db?.y ?? 0) * dist };
    curve = [a, c1, c2, b];
    points = [a, bezierAt(curve, 0.25), bezierAt(curve, 0.5), bezierAt(curve, 0.75), b];
  } else if (type === 'straight' || type === 'line') {
    points = [a, b];
  } else {
    points = bends.length ? [a, ...bends, b] : route(a, b, da, db);
  }
  for (const p of curve ?? points) grow(c, p.x, p.y);
  // Arrow heads: directions from the neighbouring point (the control point of a curve).
  const endDir = unit(curve ? curve[2] : points[points.length - 2], b);
  const beginDir = unit(curve ? curve[1] : points[1], a);
  const end = arrowHead(style.endArrowStyle ?? 'solidArrow', b, endDir, line);
  const begin = arrowHead(style.beginArrowStyle ?? 'none', a, beginDir, line);
  const trimmedB = { x: b.x - endDir.x * end.pullback, y: b.y - endDir.y * end.pullback };
  const trimmedA = { x: a.x - beginDir.x * begin.pullback, y: a.y - beginDir.y * begin.pullback };
  let d: string;
  if (curve) {
    d = `M${num(trimmedA.x)} ${num(trimmedA.y)}C${num(curve[1].x)} ${num(curve[1].y)} ${num(curve[2].x)} ${num(curve[2].y)} ${num(trimmedB.x)} ${num(trimmedB.y)}`;
  } else {
    const ps = [trimmedA, ...points.slice(1, -1), trimmedB];
    d = `M${ps.map((p) => `${num(p.x)} ${num(p.y)}`).join('L')}`;
  }
  let s = `<g class="plk"><path d="${d}" fill="none" stroke="${line.color}" stroke-width="${num(Math.max(line.width, 0.5))}"${line.dash ? ` stroke-dasharray="${line.dash}"` : ''} stroke-linejoin="round"/>${end.svg}${begin.svg}`;
  // Labels: text blocks at their location along the line (a fraction; default the middle), else the linker's text.
  const blocks = Array.isArray(raw.textBlock) ? raw.textBlock.filter(isObject).slice(0, MAX_TEXT_BLOCKS) : [];
  const labels: { lines: string[]; at: number; position: Point | null }[] = blocks
    .map((block) => ({ lines: fragmentToLines(block.text, 1000), at: finite(block.location) ?? 0.5, position: pointOf(block.position) }))
    .filter((l) => l.lines.length > 0);
  if (!labels.length) {
    const lines = fragmentToLines(raw.text, 1000);
    if (lines.length) labels.push({ lines, at: 0.5, position: null });
  }
  const font = fontStyleOf([obj(themeLinker.fontStyle), obj(raw.fontStyle)]);
  const texts: string[] = [];
  for (const label of labels) {
    const at = label.position ?? along(points, label.at >= 0 && label.at <= 1 ? label.at : 0.5);
    const wrapped = wrapLines(label.lines, 200, font.size, 8, font.bold);
    const lh = font.size * 1.35;
    let w = 0;
    for (const l of wrapped) w = Math.max(w, textWidth(l, font.size, font.bold));
    const h = wrapped.length * lh;
    const box = { x: at.x - w / 2 - 4, y: at.y - h / 2 - 2, w: w + 8, h: h + 4 };
    s += `<rect x="${num(box.x)}" y="${num(box.y)}" width="${num(box.w)}" height="${num(box.h)}" rx="3" class="plb"/>`;
    s += textInBox(wrapped, box, { ...font, align: 'middle', vAlign: 'middle' }, c.family);
    grow(c, box.x, box.y);
    grow(c, box.x + box.w, box.y + box.h);
    texts.push(wrapped.join(' '));
  }
  s += '</g>';
  out.push(s);
  return texts;
};

const nameOf = (shape: Shape | undefined): string => (shape ? shape.text || (typeof shape.raw.title === 'string' ? shape.raw.title : '') : '');

export const renderCanvas = (doc: CanvasDocument, budget: Budget, title: string | undefined, prefix: string): Rendered => {
  const shapes: Shape[] = [];
  const linkers: Linker[] = [];
  let order = 0;
  for (const raw of doc.elements) {
    if (!budget.takeNode()) break;
    order += 1;
    const props = obj(raw.props);
    const z = finite(props.zindex) ?? 0;
    if (raw.name === 'linker' || (isObject(raw.from) && isObject(raw.to))) {
      linkers.push({ raw, z, order });
      continue;
    }
    const x = finite(props.x);
    const y = finite(props.y);
    const w = finite(props.w);
    const h = finite(props.h);
    if (x === null || y === null || w === null || h === null || w < 0 || h < 0) continue;
    const blocks = Array.isArray(raw.textBlock) ? raw.textBlock : [];
    const text = blocks
      .filter(isObject)
      .map((b) => fragmentToLines(b.text, 4000).join(' '))
      .filter((t) => t !== '')
      .join(' ');
    shapes.push({ raw, box: { x, y, w, h }, angle: finite(props.angle) ?? 0, text, z, order });
  }
  const c: Context = {
    budget,
    theme: doc.theme,
    defs: new Out(budget.limits.maxOutputChars),
    gradients: 0,
    images: 0,
    placeholders: 0,
    bounds: { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity },
    shapes: new Map(),
    prefix,
    family: fontStyleOf([obj(obj(doc.theme.shape).fontStyle)]).family,
  };
  for (const shape of shapes) if (typeof shape.raw.id === 'string') c.shapes.set(shape.raw.id, shape);

  const body = new Out(budget.limits.maxOutputChars);
  const drawn = [...shapes.map((s) => ({ z: s.z, order: s.order, shape: s, linker: null as Linker | null })), ...linkers.map((l) => ({ z: l.z, order: l.order, shape: null as Shape | null, linker: l }))].sort(
    (p, q) => p.z - q.z || p.order - q.order
  );
  const connections: { from: string; to: string; label: string }[] = [];
  for (const item of drawn) {
    budget.tick(4);
    if (item.shape) drawShape(item.shape, c, body);
    else if (item.linker) {
      const labels = drawLinker(item.linker, c, body);
      const from = obj(item.linker.raw.from);
      const to = obj(item.linker.raw.to);
      connections.push({
        from: nameOf(typeof from.id === 'string' ? c.shapes.get(from.id) : undefined),
        to: nameOf(typeof to.id === 'string' ? c.shapes.get(to.id) : undefined),
        label: labels.join(' '),
      });
    }
  }

  const page = doc.page;
  const padding = Math.max(0, Math.min(200, finite(page.padding) ?? 20));
  const b = c.bounds;
  if (!Number.isFinite(b.minX)) {
    b.minX = 0;
    b.minY = 0;
    b.maxX = Math.max(1, Math.min(finite(page.width) ?? 200, 4000));
    b.maxY = Math.max(1, Math.min(finite(page.height) ?? 100, 4000));
  }
  const minX = b.minX - padding;
  const minY = b.minY - padding;
  const width = b.maxX - b.minX + padding * 2;
  const height = b.maxY - b.minY + padding * 2;
  const bg = color(page.backgroundColor);
  const background = bg && bg !== 'none' ? bg : '#ffffff';
  const svgTitle = title ?? doc.title ?? '';
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" id="${prefix}" viewBox="${num(minX)} ${num(minY)} ${num(width)} ${num(height)}" width="${num(width)}" height="${num(height)}" role="img"${
      svgTitle ? ` aria-label="${escapeText(svgTitle)}"` : ''
    } font-family="${escapeText(c.family ? `'${c.family}', ${DEFAULT_FONTS}` : DEFAULT_FONTS)}">` +
    (svgTitle ? `<title>${escapeText(svgTitle)}</title>` : '') +
    `<style>#${prefix} .plb{fill:${background};opacity:.92}${sharedCss(prefix)}</style>${symbols(prefix)}` +
    (c.gradients ? `<defs>${c.defs.toString()}</defs>` : '') +
    `<rect x="${num(minX)}" y="${num(minY)}" width="${num(width)}" height="${num(height)}" fill="${background}"/>` +
    `${body.toString()}</svg>`;
  if (svg.length > budget.limits.maxOutputChars) throw new OutputTooLarge();

  // Outline: shape texts in reading order (top to bottom, then left to right), then the connections.
  const outline = new Out(budget.limits.maxOutputChars);
  outline.push('<div class="processon-outline" data-kind="canvas">');
  const reading = shapes.filter((s) => s.text !== '').sort((p, q) => p.box.y - q.box.y || p.box.x - q.box.x);
  if (reading.length) {
    outline.push('<ul class="processon-shapes">');
    for (const s of reading) {
      budget.tick();
      const href = safeLink(s.raw.link);
      const text = escapeText(s.text);
      outline.push(`<li>${href ? `<a href="${escapeText(href)}" rel="nofollow noopener noreferrer ugc">${text}</a>` : text}</li>`);
    }
    outline.push('</ul>');
  }
  const named = connections.filter((k) => k.from || k.to || k.label);
  if (named.length) {
    outline.push('<ul class="processon-links">');
    for (const k of named) {
      budget.tick();
      outline.push(`<li>${escapeText(k.from || '?')} → ${escapeText(k.to || '?')}${k.label ? `: ${escapeText(k.label)}` : ''}</li>`);
    }
    outline.push('</ul>');
  }
  outline.push('</div>');

  return {
    svg,
    outline: outline.toString(),
    stats: {
      kind: 'canvas',
      layout: 'canvas',
      topics: 0,
      hiddenTopics: 0,
      shapes: shapes.length,
      linkers: linkers.length,
      images: c.images,
      imagePlaceholders: c.placeholders,
      width: Math.round(width),
      height: Math.round(height),
      truncated: budget.truncated,
    },
  };
};
