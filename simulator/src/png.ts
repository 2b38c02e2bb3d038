/** A small PNG encoder (8-bit RGB, no interlace) and the picture the simulator exports for a diagram. */
import { deflateSync } from 'node:zlib';
import type { Category } from '../../server/src/processon/categories';
import { canvasSummary, isMindCategory, topicList, type JsonObject, type Rgb } from './diagram';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO-HDLC), as PNG chunks use it. */
export const crc32 = (data: Uint8Array): number => {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i += 1) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
};

const chunk = (type: string, data: Buffer): Buffer => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
};

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Encodes RGB pixels (row-major, 3 bytes a pixel) as a PNG file. */
export const encodePng = (width: number, height: number, rgb: Uint8Array): Buffer => {
  if (rgb.length !== width * height * 3) throw new Error('pixel buffer does not match the size');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y += 1) {
    raw[y * (stride + 1)] = 0; // filter: none
    Buffer.from(rgb.buffer, rgb.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
};

export class Raster {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255]
  ) {
    this.pixels = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i += 1) this.pixels.set(background, i * 3);
  }

  set(x: number, y: number, color: Rgb): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.pixels.set(color, (y * this.width + x) * 3);
  }

  fillRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy += 1) for (let xx = x0; xx < x1; xx += 1) this.set(xx, yy, color);
  }

  strokeRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    const [x0, y0, x1, y1] = [Math.round(x), Math.round(y), Math.round(x + w) - 1, Math.round(y + h) - 1];
    this.line(x0, y0, x1, y0, color);
    this.line(x0, y1, x1, y1, color);
    this.line(x0, y0, x0, y1, color);
    this.line(x1, y0, x1, y1, color);
  }

  line(ax: number, ay: number, bx: number, by: number, color: Rgb): void {
    let x0 = Math.round(ax);
    let y0 = Math.round(ay);
    const x1 = Math.round(bx);
    const y1 = Math.round(by);
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    let err = dx + dy;
    for (let steps = 0; steps <= dx - dy; steps += 1) {
      this.set(x0, y0, color);
      if (x0 === x1 && y0 === y1) return;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
  }

  toPng(): Buffer {
    return encodePng(this.width, this.height, this.pixels);
  }
}

export const EXPORT_WIDTH = 480;
export const EXPORT_HEIGHT = 320;
/** At most this many topics or shapes are drawn. */
export const MAX_BOXES = 80;

const PALETTE: Rgb[] = [
  [26, 115, 232],
  [30, 123, 52],
  [227, 160, 8],
  [208, 43, 32],
  [123, 31, 162],
  [0, 137, 123],
  [93, 64, 55],
  [84, 110, 122],
];
const LINE: Rgb = [120, 130, 140];
const BORDER: Rgb = [40, 40, 40];
const MARGIN = 16;

const darker = (c: Rgb): Rgb => [Math.round(c[0] * 0.6), Math.round(c[1] * 0.6), Math.round(c[2] * 0.6)];

const drawMind = (raster: Raster, root: JsonObject): void => {
  interface Placed {
    depth: number;
    row: number;
    parent: number;
  }
  const placed: Placed[] = [];
  let nextRow = 0;
  let maxDepth = 0;
  const place = (topic: JsonObject, depth: number, parent: number): number => {
    const index = placed.length;
    placed.push({ depth, row: 0, parent });
    maxDepth = Math.max(maxDepth, depth);
    const rows: number[] = [];
    for (const child of [...topicList(topic, 'children'), ...topicList(topic, 'leftChildren')]) {
      if (placed.length >= MAX_BOXES) break;
      rows.push(place(child, depth + 1, index));
    }
    const row = rows.length > 0 ? (rows[0] + rows[rows.length - 1]) / 2 : nextRow++;
    placed[index].row = row;
    return row;
  };
  place(root, 0, -1);
  const colW = (raster.width - 2 * MARGIN) / (maxDepth + 1);
  const rowH = (raster.height - 2 * MARGIN) / Math.max(1, nextRow);
  const boxW = Math.max(4, colW * 0.75);
  const boxH = Math.max(2, Math.min(28, rowH * 0.7));
  const box = (p: Placed) => ({ x: MARGIN + p.depth * colW, y: MARGIN + p.row * rowH + (rowH - boxH) / 2 });
  for (const p of placed) {
    if (p.parent < 0) continue;
    const a = box(placed[p.parent]);
    const b = box(p);
    raster.line(a.x + boxW, a.y + boxH / 2, b.x, b.y + boxH / 2, LINE);
  }
  for (const p of placed) {
    const { x, y } = box(p);
    const color = PALETTE[p.depth % PALETTE.length];
    raster.fillRect(x, y, boxW, boxH, color);
    raster.strokeRect(x, y, boxW, boxH, darker(color));
  }
};

const drawCanvas = (raster: Raster, doc: JsonObject): void => {
  const { shapes, linkers } = canvasSummary(doc);
  const drawn = shapes.filter((s) => s.rect !== null).slice(0, MAX_BOXES);
  const rects = drawn.map((s) => s.rect as { x: number; y: number; w: number; h: number });
  if (rects.length === 0) return;
  const minX = Math.min(...rects.map((r) => r.x));
  const minY = Math.min(...rects.map((r) => r.y));
  const maxX = Math.max(...rects.map((r) => r.x + r.w));
  const maxY = Math.max(...rects.map((r) => r.y + r.h));
  const scale = Math.min((raster.width - 2 * MARGIN) / (maxX - minX), (raster.height - 2 * MARGIN) / (maxY - minY));
  const offX = MARGIN + (raster.width - 2 * MARGIN - (maxX - minX) * scale) / 2;
  const offY = MARGIN + (raster.height - 2 * MARGIN - (maxY - minY) * scale) / 2;
  const tx = (x: number) => offX + (x - minX) * scale;
  const ty = (y: number) => offY + (y - minY) * scale;
  for (const linker of linkers.slice(0, MAX_BOXES)) {
    if (linker.from && linker.to) raster.line(tx(linker.from.x), ty(linker.from.y), tx(linker.to.x), ty(linker.to.y), LINE);
  }
  drawn.forEach((shape, i) => {
    const r = rects[i];
    const color = shape.fill ?? PALETTE[i % PALETTE.length];
    raster.fillRect(tx(r.x), ty(r.y), Math.max(2, r.w * scale), Math.max(2, r.h * scale), color);
    raster.strokeRect(tx(r.x), ty(r.y), Math.max(2, r.w * scale), Math.max(2, r.h * scale), BORDER);
  });
};

/** The PNG picture of a diagram: one box per topic or shape (at most MAX_BOXES), with their links. */
export const diagramPng = (category: Category, doc: JsonObject): Buffer => {
  const raster = new Raster(EXPORT_WIDTH, EXPORT_HEIGHT);
  raster.strokeRect(0, 0, EXPORT_WIDTH, EXPORT_HEIGHT, [210, 214, 220]);
  if (isMindCategory(category)) drawMind(raster, doc);
  else drawCanvas(raster, doc);
  return raster.toPng();
};
