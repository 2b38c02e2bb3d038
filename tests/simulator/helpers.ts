/** Shared setup of the simulator tests: appkeys, fixtures, forms, and a real callback receiver. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createSimulator, type SimulatorApp, type SimulatorOptions } from '../../simulator/src/server';
import type { AppkeyConfig } from '../../simulator/src/state';

export const APPKEY = 'test-appkey';
export const INACTIVE_APPKEY = 'inactive-appkey';
export const SMALL_APPKEY = 'small-appkey';

export const testAppkeys = (): AppkeyConfig[] => [
  { appkey: APPKEY, domains: ['example.com', '127.0.0.1', 'localhost'], quota: 100, active: true },
  { appkey: INACTIVE_APPKEY, domains: ['example.com'], quota: 100, active: false },
  { appkey: SMALL_APPKEY, domains: ['example.com'], quota: 2, active: true },
];

export const makeApp = (options: Partial<SimulatorOptions> = {}): SimulatorApp =>
  createSimulator({ appkeys: testAppkeys(), ...options });

export const fixture = (name: string): string => readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8');
export const MIND_DEF = fixture('mind-go-memory-allocator.def.json');
export const FLOW_DEF = fixture('flow-approval.def.json');

/** ProcessOn's alternative def encoding: base64 of URI-encoded JSON. */
export const base64Def = (json: string): string => Buffer.from(encodeURIComponent(json), 'utf8').toString('base64');

export const XSS = '"><img src=x onerror=alert(1)>';

export type Form = Record<string, string>;

const withOverrides = (base: Form, overrides: Record<string, string | undefined>): Form => {
  const out: Form = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  return out;
};

export const editForm = (overrides: Record<string, string | undefined> = {}): Form =>
  withOverrides(
    {
      appkey: APPKEY,
      chartid: '7b0c7f6e-3f55-4d1a-9a3e-6f1f4a9d2c10',
      category: 'mind',
      title: 'Go memory',
      def: MIND_DEF,
      callbackurl: 'https://cms.example.com/api/processon/callback?token=abc',
      hidebtn: 'false',
    },
    overrides
  );

export const viewForm = (overrides: Record<string, string | undefined> = {}): Form =>
  withOverrides({ appkey: APPKEY, category: 'mind', title: 'Go memory', def: MIND_DEF }, overrides);

export const exportForm = (overrides: Record<string, string | undefined> = {}): Form =>
  withOverrides(
    {
      appkey: APPKEY,
      chartid: '7b0c7f6e-3f55-4d1a-9a3e-6f1f4a9d2c10',
      category: 'mind',
      title: 'Go memory',
      def: MIND_DEF,
      type: 'image',
    },
    overrides
  );

/** The data-code of the error page, or null when the page is not an error page. */
export const errorCodeOf = (html: string): number | null => {
  const match = /<main id="processon-error"[^>]*data-code="(\d+)"/.exec(html);
  return match ? Number(match[1]) : null;
};

/** The editor's JSON config element. */
export interface EditorConfig {
  chartid: string;
  category: string;
  saveUrl: string;
  mode: 'mind' | 'json';
  doc: unknown;
}

export const editorConfigOf = (html: string): EditorConfig => {
  const match = /<script type="application\/json" id="processon-editor-config">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no editor config in the page');
  return JSON.parse(match[1]) as EditorConfig;
};

/** Decodes the few entities escapeHtml writes. */
export const unescapeHtml = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&');

export const count = (html: string, needle: string): number => html.split(needle).length - 1;

export interface ReceivedPush {
  method: string;
  url: string;
  contentType: string;
  body: string;
}

export interface Receiver {
  url: string;
  received: ReceivedPush[];
  /** What the receiver answers next (default 200 "success"); `hang` never answers. */
  answer: { status: number; body: string; hang?: boolean };
  close(): Promise<void>;
}

/** A real HTTP callback receiver on 127.0.0.1 (a port of its own) that records what it gets. */
export const startReceiver = async (): Promise<Receiver> => {
  const received: ReceivedPush[] = [];
  const receiver: Omit<Receiver, 'url' | 'close'> = { received, answer: { status: 200, body: 'success' } };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (receiver.answer.hang) return;
      res.writeHead(receiver.answer.status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(receiver.answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/api/processon/callback?token=t1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
};
