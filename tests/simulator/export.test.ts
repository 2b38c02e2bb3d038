import { inflateSync } from 'node:zlib';
import request from 'supertest';
import { ENDPOINTS } from '../../server/src/processon/forms';
import { crc32 } from '../../simulator/src/png';
import { FLOW_DEF, base64Def, errorCodeOf, exportForm, makeApp, type Form } from './helpers';

const download = async (form: Form) => {
  const res = await request(makeApp().callback())
    .post(ENDPOINTS.export)
    .type('form')
    .send(form)
    .buffer(true)
    .parse((response, callback) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => callback(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  return { headers: res.headers as Record<string, string>, body: res.body as Buffer };
};

/** CRC-32 computed bit by bit, independent of the simulator's table-driven one. */
const referenceCrc32 = (data: Buffer): number => {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
};

interface Chunk {
  type: string;
  data: Buffer;
}

/** Parses a PNG, checking the signature and every chunk's CRC. */
const readPng = (png: Buffer): Chunk[] => {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks: Chunk[] = [];
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    const crc = png.readUInt32BE(offset + 8 + length);
    expect(crc).toBe(referenceCrc32(png.subarray(offset + 4, offset + 8 + length)));
    chunks.push({ type, data });
    offset += 12 + length;
  }
  expect(offset).toBe(png.length);
  return chunks;
};

const pixelsOf = (png: Buffer): { width: number; height: number; rows: Buffer[] } => {
  const chunks = readPng(png);
  expect(chunks[0].type).toBe('IHDR');
  expect(chunks[chunks.length - 1]).toEqual({ type: 'IEND', data: Buffer.alloc(0) });
  const ihdr = chunks[0].data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  expect([...ihdr.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  expect(raw.length).toBe(height * (1 + width * 3));
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y += 1) {
    const start = y * (1 + width * 3);
    expect(raw[start]).toBe(0);
    rows.push(raw.subarray(start + 1, start + 1 + width * 3));
  }
  return { width, height, rows };
};

const colours = (rows: Buffer[]): Map<string, number> => {
  const seen = new Map<string, number>();
  for (const row of rows) {
    for (let x = 0; x < row.length; x += 3) {
      const key = `${row[x]},${row[x + 1]},${row[x + 2]}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  return seen;
};

describe('export as image', () => {
  it('answers a valid 480x320 PNG download of the mind map', async () => {
    const { headers, body } = await download(exportForm({ title: 'Go 内存分配' }));
    expect(headers['content-type']).toBe('image/png');
    expect(headers['content-disposition']).toBe(
      `attachment; filename="Go.png"; filename*=UTF-8''Go%20%E5%86%85%E5%AD%98%E5%88%86%E9%85%8D.png`
    );
    const { width, height, rows } = pixelsOf(body);
    expect([width, height]).toEqual([480, 320]);
    const seen = colours(rows);
    // White background plus the boxes: depth colours of a 5-level tree.
    expect(seen.get('255,255,255')).toBeGreaterThan(width * height * 0.3);
    expect(seen.get('26,115,232')).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThanOrEqual(6);
  });

  it('draws the flowchart shapes in their own fill colour', async () => {
    const { body } = await download(exportForm({ category: 'flow', def: base64Def(FLOW_DEF), title: 'Approval flow' }));
    const { rows } = pixelsOf(body);
    expect(colours(rows).get('41,143,227')).toBeGreaterThan(100);
  });

  it('draws one box for a lone root topic', async () => {
    const { body } = await download(exportForm({ def: '{"id":"root","title":"solo"}' }));
    const seen = colours(pixelsOf(body).rows);
    expect(seen.get('26,115,232')).toBeGreaterThan(1000);
  });

  it('has a CRC that matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(referenceCrc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('gives an ASCII fallback name when the title has no ASCII letters', async () => {
    const { headers } = await download(exportForm({ title: '内存 "分配"/\\' }));
    expect(headers['content-disposition']).toBe(
      `attachment; filename="diagram.png"; filename*=UTF-8''%E5%86%85%E5%AD%98%20%22%E5%88%86%E9%85%8D%22_.png`
    );
  });
});

describe('export as PDF', () => {
  const parsePdf = (pdf: Buffer) => {
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.endsWith('%%EOF\n')).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
    expect(text.slice(startxref, startxref + 5)).toBe('xref\n');
    const table = /^xref\n0 (\d+)\n([\s\S]*?)trailer\n/.exec(text.slice(startxref));
    expect(table).not.toBeNull();
    const size = Number(table?.[1]);
    const entries = (table?.[2] ?? '').match(/.{18}\r\n/g) ?? [];
    expect(entries).toHaveLength(size);
    expect(entries[0]).toBe('0000000000 65535 f\r\n');
    entries.slice(1).forEach((entry, i) => {
      expect(entry).toMatch(/^\d{10} 00000 n\r\n$/);
      const offset = Number(entry.slice(0, 10));
      expect(text.slice(offset, offset + `${i + 1} 0 obj\n`.length)).toBe(`${i + 1} 0 obj\n`);
    });
    expect(text).toContain(`trailer\n<< /Size ${size} /Root 1 0 R`);
    const stream = /<< \/Length (\d+) >>\nstream\n([\s\S]*?)\nendstream/.exec(text);
    expect(Number(stream?.[1])).toBe(Buffer.byteLength(stream?.[2] ?? '', 'latin1'));
    return text;
  };

  it('answers a valid one-page PDF of the mind map', async () => {
    const { headers, body } = await download(exportForm({ type: 'pdf', chartid: 'chart-1', title: 'Go 内存分配' }));
    expect(headers['content-type']).toBe('application/pdf');
    expect(headers['content-disposition']).toBe(
      `attachment; filename="Go.pdf"; filename*=UTF-8''Go%20%E5%86%85%E5%AD%98%E5%88%86%E9%85%8D.pdf`
    );
    expect([...body].every((byte) => byte < 0x80)).toBe(true);
    const text = parsePdf(body);
    expect(text).toContain('/Type /Page ');
    expect(text).toContain('/Count 1');
    expect(text).toContain('(Go) Tj');
    expect(text).toContain('(Chart id: chart-1) Tj');
    expect(text).toContain('(Category: mind) Tj');
    expect(text).toContain('(Topics: 44) Tj');
    expect(text).toContain('(    - mspan\\( \\)) Tj');
  });

  it('counts the elements of a flowchart', async () => {
    const { body } = await download(exportForm({ type: 'pdf', category: 'flow', def: FLOW_DEF, title: 'Approval (v2)' }));
    const text = parsePdf(body);
    expect(text).toContain('(Approval \\(v2\\)) Tj');
    expect(text).toContain('(Elements: 12 \\(6 shapes, 6 linkers\\)) Tj');
    expect(text).toContain('(- process: Submit request) Tj');
  });
});

describe('export refusals', () => {
  it('a def that does not decode is 4002, not a file', async () => {
    const res = await request(makeApp().callback()).post(ENDPOINTS.export).type('form').send(exportForm({ def: 'nope' }));
    expect(res.status).toBe(400);
    expect(errorCodeOf(res.text)).toBe(4002);
    expect(res.headers['content-disposition']).toBeUndefined();
  });
});
