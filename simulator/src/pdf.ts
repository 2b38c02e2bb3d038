/** A minimal PDF 1.4 writer (one page of Helvetica text) and the page the simulator exports for a diagram. */
import type { Category } from '../../server/src/processon/categories';
import { canvasSummary, countTopics, isMindCategory, mindOutline, type JsonObject, type OutlineNode } from './diagram';

/** The printable-ASCII parts of a text (Helvetica without embedding cannot show the rest). */
export const asciiPart = (text: string): string =>
  text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** A line as a PDF string literal: non-ASCII runs become one space (leading indentation is kept). */
const pdfString = (text: string): string =>
  `(${text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+$/, '')
    .replace(/[\\()]/g, (c) => `\\${c}`)})`;

const MAX_LINE = 90;
const MAX_LINES = 52;

const clip = (line: string): string => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 3)}...` : line);

/** Builds a one-page PDF: the first line as a heading, then the others. Only their ASCII parts are kept. */
export const buildPdf = (title: string, lines: readonly string[]): Buffer => {
  const [heading, ...rest] = [asciiPart(title), ...lines].map(clip).slice(0, MAX_LINES);
  const ops = ['BT', '/F1 16 Tf', '16 TL', '50 790 Td', `${pdfString(heading)} Tj`, '/F1 10 Tf', '14 TL', 'T*'];
  for (const line of rest) ops.push('T*', `${pdfString(line)} Tj`);
  ops.push('ET');
  const content = ops.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Title ${pdfString(heading)} /Producer (ProcessOn simulator) >>`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f\r\n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n\r\n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
};

const outlineLines = (node: OutlineNode, depth: number, out: string[]): void => {
  if (out.length >= MAX_LINES) return;
  out.push(`${'  '.repeat(depth)}- ${asciiPart(node.text) || '...'}`);
  for (const child of node.children) outlineLines(child, depth + 1, out);
};

/** The PDF page of a diagram: title, chartid, category, counts, and an outline (ASCII parts). */
export const diagramPdf = (chartid: string, category: Category, title: string, doc: JsonObject): Buffer => {
  const lines = [`Chart id: ${chartid}`, `Category: ${category}`];
  if (isMindCategory(category)) {
    lines.push(`Topics: ${countTopics(doc)}`, '');
    outlineLines(mindOutline(doc), 0, lines);
  } else {
    const { shapes, linkers } = canvasSummary(doc);
    lines.push(`Elements: ${shapes.length + linkers.length} (${shapes.length} shapes, ${linkers.length} linkers)`, '');
    for (const shape of shapes) lines.push(`- ${shape.name}: ${asciiPart(shape.texts.join(' / ')) || '...'}`);
  }
  return buildPdf(asciiPart(title) || 'Untitled diagram', lines);
};
