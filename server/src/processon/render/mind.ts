/**
 * Mind maps (`mind`, `mind_org`): the root topic and its `children` / `leftChildren` (and floating
 * `freeChildren`) laid out as a tidy tree — each subtree owns a band that its children share, the
 * parent centred on it — to the right and left of the root, or top-down for org charts. Collapsed
 * topics hide their branch (a badge tells how many topics are inside) but stay in the outline.
 */
import { Budget } from './limits';
import { isObject, type JsonObject, type MindDocument } from './input';
import { DEFAULT_FONTS, Out, OutputTooLarge, allowedImage, color, imageElement, imagePlaceholder, num, safeLink, sharedCss, symbols, textElement } from './svg';
import { escapeLines, escapeText, fragmentToBlock, fragmentToLines, textWidth, wrapLines } from './text';
import type { Rendered } from './types';

interface Topic {
  title: string[];
  /** Plain text with line breaks ('' when none). */
  note: string;
  link: { href: string; label: string } | null;
  image: { w: number; h: number; url: unknown } | null;
  priority: number | null;
  collapsed: boolean;
  children: Topic[];
  depth: number;
  color: string;
  /** Laid out: wrapped lines, box size and position (top-left), band of the subtree. */
  lines: string[];
  font: number;
  w: number;
  h: number;
  x: number;
  y: number;
  band: number;
  imageBox: { w: number; h: number } | null;
  hidden: number;
}

const PALETTE = ['#0D7C82', '#E2661B', '#80BA4C', '#DD489D', '#4C8DDB', '#9B59B6', '#D4A017', '#E74C3C'];
const PRIORITY_COLORS = ['#E74C3C', '#F39C12', '#3498DB', '#27AE60', '#8E44AD', '#7F8C8D', '#16A085', '#D35400', '#2C3E50'];
const ROOT_FILL = '#24344d';
const TEXT_DARK = '#2d3440';

const branchColor = (raw: JsonObject, fallback: string): string => {
  const style = isObject(raw.lineStyle) ? raw.lineStyle : null;
  const c = style ? color(style.randomLineColor) ?? color(style.lineColor) : null;
  return c && c !== 'none' ? c : fallback;
};

/** The topics of a list (the list itself when every item is an object, as it should be). */
const topicArray = (value: unknown): JsonObject[] => {
  if (!Array.isArray(value)) return [];
  for (const item of value) if (!isObject(item)) return value.filter(isObject);
  return value as JsonObject[];
};

/** Reads topics into a tree within the budget (count and depth). */
const build = (raw: JsonObject, depth: number, inherited: string, index: number, budget: Budget): Topic => {
  const c = depth === 1 ? branchColor(raw, PALETTE[index % PALETTE.length]) : depth === 0 ? ROOT_FILL : branchColor(raw, inherited);
  const linkRaw = isObject(raw.link) ? raw.link : null;
  const href = linkRaw && (linkRaw.type === undefined || linkRaw.type === 'url') ? safeLink(linkRaw.value) : null;
  const image = isObject(raw.image) ? raw.image : null;
  const iw = image ? Number(image.w) : 0;
  const ih = image ? Number(image.h) : 0;
  let priority = NaN;
  if (Array.isArray(raw.icons)) {
    for (const icon of raw.icons) if (isObject(icon) && icon.name === 'priority') priority = Number(icon.index);
  }
  const topic: Topic = {
    title: fragmentToLines(raw.title, 2000),
    note: fragmentToBlock(raw.note, 20000),
    link: href ? { href, label: (linkRaw && fragmentToLines(linkRaw.title, 300).join(' ')) || href } : null,
    image: image ? { w: Number.isFinite(iw) && iw > 0 ? iw : 120, h: Number.isFinite(ih) && ih > 0 ? ih : 80, url: image.url } : null,
    priority: Number.isInteger(priority) && priority >= 0 && priority < 9 ? priority + 1 : null,
    collapsed: raw.collapsed === true,
    children: [],
    depth,
    color: c,
    lines: [],
    font: 14,
    w: 0,
    h: 0,
    x: 0,
    y: 0,
    band: 0,
    imageBox: null,
    hidden: 0,
  };
  const kids = topicArray(raw.children);
  if (depth >= budget.limits.maxDepth) {
    if (kids.length) budget.truncated = true;
    return topic;
  }
  for (let i = 0; i < kids.length; i += 1) {
    if (!budget.takeNode()) break;
    topic.children.push(build(kids[i], depth + 1, c, i, budget));
  }
  return topic;
};

const countAll = (t: Topic): number => t.children.reduce((n, c) => n + 1 + countAll(c), 0);

interface Style {
  font: number;
  maxText: number;
  padX: number;
  padY: number;
}

const ROOT_STYLE: Style = { font: 20, maxText: 360, padX: 22, padY: 13 };
const MAIN_STYLE: Style = { font: 16, maxText: 300, padX: 14, padY: 8 };
const ORG_STYLE: Style = { font: 14, maxText: 220, padX: 10, padY: 6 };
const SUB_STYLE: Style = { font: 14, maxText: 280, padX: 4, padY: 4 };

const styleOf = (depth: number, org: boolean): Style => (depth === 0 ? ROOT_STYLE : depth === 1 ? MAIN_STYLE : org ? ORG_STYLE : SUB_STYLE);

const ICON = 20;
const INDICATOR = 16;
const lineHeight = (font: number) => Math.round(font * 1.4);

/** Box size of every visible topic. */
const measure = (t: Topic, org: boolean, budget: Budget): void => {
  budget.tick();
  const style = styleOf(t.depth, org);
  t.font = style.font;
  const bold = t.depth <= 1;
  t.lines = wrapLines(t.title.length ? t.title : [''], style.maxText, style.font, 12, bold);
  let textW = 0;
  for (const line of t.lines) textW = Math.max(textW, textWidth(line, style.font, bold));
  const textH = t.lines.length * lineHeight(style.font);
  const indicators = (t.note ? 1 : 0) + (t.link ? 1 : 0);
  let contentW = (t.priority ? ICON : 0) + textW + indicators * INDICATOR;
  let contentH = textH;
  if (t.image) {
    const scale = Math.min(1, 180 / t.image.w, 90 / t.image.h);
    t.imageBox = { w: Math.max(8, Math.round(t.image.w * scale)), h: Math.max(8, Math.round(t.image.h * scale)) };
    contentW = Math.max(contentW, t.imageBox.w);
    contentH += t.imageBox.h + 6;
  }
  // Whole pixels: crisper edges, and shorter numbers in the SVG.
  t.w = Math.ceil(Math.max(contentW + style.padX * 2, t.depth === 0 ? 80 : 30));
  t.h = Math.ceil(contentH + style.padY * 2);
  if (t.collapsed) {
    t.hidden = countAll(t);
    return;
  }
  for (const c of t.children) measure(c, org, budget);
};

const visibleChildren = (t: Topic): Topic[] => (t.collapsed ? [] : t.children);

// Horizontal layout (mind): bands are heights.
const GAP_X_ROOT = 56;
const GAP_X = 30;
const gapY = (depth: number) => (depth <= 1 ? 18 : 8);

/** The band of a subtree along the stacking axis: its own size, or its children's bands and gaps. */
const band = (t: Topic, size: (t: Topic) => number, gap: (depth: number) => number): number => {
  const kids = visibleChildren(t);
  let sum = 0;
  for (const c of kids) sum += band(c, size, gap);
  if (kids.length) sum += gap(kids[0].depth) * (kids.length - 1);
  t.band = Math.max(size(t), sum);
  return t.band;
};

const bandH = (t: Topic): number => band(t, (x) => x.h, gapY);

/** Places a subtree whose band starts at `top`; `x` is the box's left edge (right) or right edge (left). */
const placeH = (t: Topic, x: number, top: number, dir: 1 | -1): void => {
  t.x = dir === 1 ? x : x - t.w;
  t.y = Math.round(top + (t.band - t.h) / 2);
  placeChildrenH(t, top, dir);
};

const placeChildrenH = (t: Topic, top: number, dir: 1 | -1, kids = visibleChildren(t)): void => {
  if (!kids.length) return;
  let block = 0;
  for (const c of kids) block += c.band;
  block += gapY(kids[0].depth) * (kids.length - 1);
  let y = top + (t.band - block) / 2;
  const gap = t.depth === 0 ? GAP_X_ROOT : GAP_X;
  const x = dir === 1 ? t.x + t.w + gap : t.x - gap;
  for (const c of kids) {
    placeH(c, x, y, dir);
    y += c.band + gapY(c.depth);
  }
};

// Top-down layout (org): bands are widths.
const GAP_Y_ORG = 40;
const gapXOrg = (depth: number) => (depth <= 1 ? 28 : 14);

const bandW = (t: Topic): number => band(t, (x) => x.w, gapXOrg);

const placeV = (t: Topic, left: number, y: number): void => {
  t.x = Math.round(left + (t.band - t.w) / 2);
  t.y = y;
  const kids = visibleChildren(t);
  if (!kids.length) return;
  let block = 0;
  for (const c of kids) block += c.band;
  block += gapXOrg(kids[0].depth) * (kids.length - 1);
  let x = left + (t.band - block) / 2;
  for (const c of kids) {
    placeV(c, x, y + t.h + GAP_Y_ORG);
    x += c.band + gapXOrg(c.depth);
  }
};

interface Drawing {
  /** Id prefix of this rendering (see idPrefix). */
  prefix: string;
  edges: Out;
  nodes: Out;
  images: number;
  placeholders: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Where an edge leaves a parent / reaches a child: box sides for boxed topics, underline ends otherwise. */
const boxed = (t: Topic, org: boolean) => org || t.depth <= 1;

const drawEdgesH = (t: Topic, dir: 1 | -1, org: boolean, d: Drawing, budget: Budget): void => {
  const kids = visibleChildren(t);
  const px = dir === 1 ? t.x + t.w : t.x;
  const py = boxed(t, org) ? t.y + t.h / 2 : t.y + t.h;
  for (const c of kids) {
    budget.tick();
    const cx = dir === 1 ? c.x : c.x + c.w;
    const cy = boxed(c, org) ? c.y + c.h / 2 : c.y + c.h;
    const mx = (px + cx) / 2;
    d.edges.push(`<path${c.depth === 1 ? ' class="pe1"' : ''} d="M${num(px)} ${num(py)}C${num(mx)} ${num(py)} ${num(mx)} ${num(cy)} ${num(cx)} ${num(cy)}" stroke="${c.color}"/>`);
    drawEdgesH(c, dir, org, d, budget);
  }
};

const drawEdgesV = (t: Topic, d: Drawing, budget: Budget): void => {
  const kids = visibleChildren(t);
  if (!kids.length) return;
  const px = t.x + t.w / 2;
  const py = t.y + t.h;
  const my = py + GAP_Y_ORG / 2;
  for (const c of kids) {
    budget.tick();
    const cx = c.x + c.w / 2;
    d.edges.push(`<path${c.depth === 1 ? ' class="pe1"' : ''} d="M${num(px)} ${num(py)}V${num(my)}H${num(cx)}V${num(c.y)}" stroke="${c.color}"/>`);
    drawEdgesV(c, d, budget);
  }
};

const drawTopic = (t: Topic, org: boolean, d: Drawing, hosts: readonly string[], dir: 1 | -1): void => {
  const style = styleOf(t.depth, org);
  const { x, y, w, h } = t;
  const p = d.prefix;
  if (x < d.minX) d.minX = x;
  if (y < d.minY) d.minY = y;
  if (x + w > d.maxX) d.maxX = x + w;
  if (y + h > d.maxY) d.maxY = y + h;
  let s = t.link ? `<a href="${escapeText(t.link.href)}" target="_blank" rel="noopener noreferrer">` : '';
  s += '<g>';
  if (t.depth === 0) s += `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" rx="10" fill="${ROOT_FILL}"/>`;
  else if (t.depth === 1) s += `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" rx="7" fill="${t.color}"/>`;
  else if (org) s += `<rect class="pbx" x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" rx="5" stroke="${t.color}"/>`;
  else s += `<path class="pul" d="M${num(x)} ${num(y + h)}H${num(x + w)}" stroke="${t.color}"/>`;
  let top = y + style.padY;
  const innerW = w - style.padX * 2;
  if (t.image && t.imageBox) {
    const ix = x + style.padX + (innerW - t.imageBox.w) / 2;
    const href = allowedImage(t.image.url, hosts);
    d.images += 1;
    if (href) s += imageElement(href, ix, top, t.imageBox.w, t.imageBox.h);
    else {
      d.placeholders += 1;
      s += imagePlaceholder(p, ix, top, t.imageBox.w, t.imageBox.h);
    }
    top += t.imageBox.h + 6;
  }
  const lh = lineHeight(t.font);
  let tx = x + style.padX;
  if (t.priority) {
    const cy = top + lh / 2;
    s += `<circle class="ppr" cx="${num(tx + 8)}" cy="${num(cy)}" r="8" fill="${PRIORITY_COLORS[t.priority - 1]}"/><text class="ppi" x="${num(tx + 8)}" y="${num(cy + 3.5)}">${t.priority}</text>`;
    tx += ICON;
  }
  const centred = t.depth === 0 || org;
  const indicatorsW = ((t.note ? 1 : 0) + (t.link ? 1 : 0)) * INDICATOR;
  const textBoxW = innerW - (t.priority ? ICON : 0) - indicatorsW;
  s += textElement(
    t.lines,
    centred ? tx + textBoxW / 2 : tx,
    top + lh / 2 + t.font * 0.35,
    lh,
    ` class="pt${Math.min(t.depth, 2)}"${centred ? ' text-anchor="middle"' : ''}`
  );
  let ix = tx + textBoxW + 3;
  const iy = top + lh / 2 - 7;
  const mark = t.depth <= 1 ? 'pmw' : 'pmk';
  if (t.note) {
    s += `<use href="#${p}-note" class="${mark}" x="${num(ix)}" y="${num(iy)}" width="12" height="14"/>`;
    ix += INDICATOR;
  }
  if (t.link) s += `<use href="#${p}-link" class="${mark}" x="${num(ix)}" y="${num(iy)}" width="14" height="14"/>`;
  s += '</g>';
  if (t.link) s += '</a>';
  if (t.collapsed && t.hidden > 0) {
    const bx = org ? x + w / 2 : dir === 1 ? x + w + 10 : x - 10;
    const by = org ? y + h + 10 : boxed(t, org) ? y + h / 2 : y + h;
    s += `<circle class="pcc" cx="${num(bx)}" cy="${num(by)}" r="9" stroke="${t.color}"/><text class="pcb" x="${num(bx)}" y="${num(by + 3.5)}" fill="${t.depth === 0 ? ROOT_FILL : t.color}">${t.hidden}</text>`;
    d.maxX = Math.max(d.maxX, bx + 10);
    d.minX = Math.min(d.minX, bx - 10);
    d.maxY = Math.max(d.maxY, by + 10);
  }
  d.nodes.push(s);
};

const drawTopics = (t: Topic, org: boolean, d: Drawing, hosts: readonly string[], dir: 1 | -1, budget: Budget): void => {
  budget.tick();
  drawTopic(t, org, d, hosts, dir);
  for (const c of visibleChildren(t)) drawTopics(c, org, d, hosts, dir, budget);
};

const outlineTopic = (t: Topic, out: Out, budget: Budget): void => {
  budget.tick();
  const collapsible = t.collapsed && t.children.length > 0;
  out.push(collapsible ? '<li data-collapsed="true"><details><summary>' : '<li>');
  out.push(`<span class="processon-topic">${escapeText(t.title.join(' '))}</span>`);
  if (collapsible) out.push('</summary>');
  if (t.link) {
    out.push(` <a class="processon-link" href="${escapeText(t.link.href)}" rel="nofollow noopener noreferrer ugc">${escapeText(t.link.label)}</a>`);
  }
  if (t.note) out.push(`<div class="processon-note">${escapeLines(t.note)}</div>`);
  if (t.children.length) {
    out.push('<ul>');
    for (const c of t.children) outlineTopic(c, out, budget);
    out.push('</ul>');
  }
  out.push(collapsible ? '</details></li>' : '</li>');
};

export const renderMind = (doc: MindDocument, category: string | undefined, budget: Budget, title: string | undefined, prefix: string): Rendered => {
  const raw = doc.root;
  const structure = typeof raw.structure === 'string' ? raw.structure : '';
  const org = category === 'mind_org' || /org/.test(structure);
  budget.takeNode();
  const root = build({ ...raw, children: [] }, 0, ROOT_FILL, 0, budget);
  // Right (children) and left (leftChildren) branches; all on one side for org charts and one-sided structures.
  const right: Topic[] = [];
  const left: Topic[] = [];
  const branches: [JsonObject[], Topic[]][] = [
    [topicArray(raw.children), structure === 'mind_left' ? left : right],
    [topicArray(raw.leftChildren), org || structure === 'mind_right' ? right : left],
  ];
  let index = 0;
  for (const [list, side] of branches) {
    for (const child of list) {
      if (!budget.takeNode()) break;
      side.push(build(child, 1, ROOT_FILL, index, budget));
      index += 1;
    }
  }
  const free: Topic[] = [];
  for (const child of topicArray(raw.freeChildren)) {
    if (!budget.takeNode()) break;
    free.push(build(child, 1, ROOT_FILL, index, budget));
    index += 1;
  }
  root.children = [...right, ...left];

  measure(root, org, budget);
  for (const f of free) measure(f, org, budget);

  const d: Drawing = {
    prefix,
    edges: new Out(budget.limits.maxOutputChars),
    nodes: new Out(budget.limits.maxOutputChars),
    images: 0,
    placeholders: 0,
    minX: Infinity,
    minY: Infinity,
    maxX: -Infinity,
    maxY: -Infinity,
  };
  const hosts = budget.limits.allowedImageHosts;
  if (org) {
    bandW(root);
    placeV(root, -root.band / 2, 0);
    drawEdgesV(root, d, budget);
    drawTopics(root, true, d, hosts, 1, budget);
  } else {
    // The root's band is the taller of its two sides; each side is centred on the root.
    const sideBand = (kids: Topic[]) => {
      let sum = 0;
      for (const c of kids) sum += bandH(c);
      return sum + (kids.length ? gapY(1) * (kids.length - 1) : 0);
    };
    const rightBand = root.collapsed ? 0 : sideBand(right);
    const leftBand = root.collapsed ? 0 : sideBand(left);
    root.band = Math.max(root.h, rightBand, leftBand);
    root.x = -Math.round(root.w / 2);
    root.y = Math.round((root.band - root.h) / 2);
    if (!root.collapsed) {
      placeChildrenH(root, 0, 1, right);
      placeChildrenH(root, 0, -1, left);
    }
    drawTopic(root, false, d, hosts, 1);
    const sides: [Topic[], 1 | -1][] = [
      [right, 1],
      [left, -1],
    ];
    for (const [kids, dir] of sides) {
      if (root.collapsed) break;
      const px = dir === 1 ? root.x + root.w : root.x;
      const py = root.y + root.h / 2;
      for (const c of kids) {
        const cx = dir === 1 ? c.x : c.x + c.w;
        const cy = c.y + c.h / 2;
        const mx = (px + cx) / 2;
        d.edges.push(`<path class="pe0" d="M${num(px)} ${num(py)}C${num(mx)} ${num(py)} ${num(mx)} ${num(cy)} ${num(cx)} ${num(cy)}" stroke="${c.color}"/>`);
        drawEdgesH(c, dir, false, d, budget);
        drawTopics(c, false, d, hosts, dir, budget);
      }
    }
  }
  // Floating topics: their own small trees, below the map.
  let freeTop = (Number.isFinite(d.maxY) ? d.maxY : 0) + 40;
  const freeLeft = Number.isFinite(d.minX) ? d.minX : 0;
  for (const f of free) {
    if (org) {
      bandW(f);
      placeV(f, freeLeft, freeTop);
      drawEdgesV(f, d, budget);
    } else {
      bandH(f);
      placeH(f, freeLeft, freeTop, 1);
      drawEdgesH(f, 1, false, d, budget);
    }
    drawTopics(f, org, d, hosts, 1, budget);
    freeTop = d.maxY + 30;
  }

  const pad = 24;
  const minX = d.minX - pad;
  const minY = d.minY - pad;
  const width = d.maxX - d.minX + pad * 2;
  const height = d.maxY - d.minY + pad * 2;
  const svgTitle = title ?? doc.title ?? root.title.join(' ');
  const p = prefix;
  const css =
    `#${p} .pe path{fill:none;stroke-linecap:round;stroke-width:1.5}#${p} .pe .pe0{stroke-width:3}#${p} .pe .pe1{stroke-width:2.5}` +
    `#${p} .pt0{font-size:20px;font-weight:700;fill:#fff}#${p} .pt1{font-size:16px;font-weight:600;fill:#fff}#${p} .pt2{font-size:14px;fill:${TEXT_DARK}}` +
    `#${p} .pul{fill:none;stroke-width:2}#${p} .pbx{fill:#fff;stroke-width:1.5}#${p} .ppr{stroke:#fff}#${p} .ppi{font-size:11px;font-weight:700;fill:#fff;text-anchor:middle}` +
    `#${p} .pcc{fill:#fff;stroke-width:1.5}#${p} .pcb{font-size:10px;font-weight:700;text-anchor:middle}${sharedCss(p)}`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" id="${p}" viewBox="${num(minX)} ${num(minY)} ${num(width)} ${num(height)}" width="${num(width)}" height="${num(height)}" role="img" aria-label="${escapeText(svgTitle)}" font-family="${escapeText(DEFAULT_FONTS)}">` +
    `<title>${escapeText(svgTitle)}</title><style>${css}</style>${symbols(p)}` +
    `<rect x="${num(minX)}" y="${num(minY)}" width="${num(width)}" height="${num(height)}" fill="#ffffff"/>` +
    `<g class="pe">${d.edges.toString()}</g><g>${d.nodes.toString()}</g></svg>`;
  if (svg.length > budget.limits.maxOutputChars) throw new OutputTooLarge();

  const outline = new Out(budget.limits.maxOutputChars);
  outline.push('<div class="processon-outline" data-kind="mind"><ul>');
  // The outline lists the root's branches in reading order: right side, then left side, then floating topics.
  root.children = [...right, ...left];
  outlineTopic(root, outline, budget);
  for (const f of free) outlineTopic(f, outline, budget);
  outline.push('</ul></div>');

  const topics = 1 + countAll(root) + free.reduce((n, f) => n + 1 + countAll(f), 0);
  const hiddenTopics = hiddenCount(root) + free.reduce((n, f) => n + hiddenCount(f), 0);
  return {
    svg,
    outline: outline.toString(),
    stats: {
      kind: 'mind',
      layout: org ? 'top-down' : 'left-right',
      topics,
      hiddenTopics,
      shapes: 0,
      linkers: 0,
      images: d.images,
      imagePlaceholders: d.placeholders,
      width: Math.round(width),
      height: Math.round(height),
      truncated: budget.truncated,
    },
  };
};

const hiddenCount = (t: Topic): number => (t.collapsed ? countAll(t) : t.children.reduce((n, c) => n + hiddenCount(c), 0));
