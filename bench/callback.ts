/**
 * `npm run bench:callback`: the median latency of storing a 5 MB def through ProcessOn's callback,
 * against Strapi's own REST update (PUT /api/articles/:documentId, API token) of the entry's JSON
 * field with the same 5 MB, in one run, over real HTTP on 127.0.0.1.
 *
 * The playground Strapi boots in-process (needs the plugin built and the playground compiled, as the
 * integration tests do). Strapi's JSON body limit (1 MB) is raised to 6 MB for this Strapi only,
 * by setting its `middlewares` config before it loads: playground/config/middlewares.ts is untouched.
 * The callback needs no such help: its own limit comes from maxDefSize (20 MB).
 *
 * Each save carries a different def of the same size (a counter inside it), so the plugin's
 * "identical consecutive saves are stored once" shortcut never applies. The two kinds of request
 * alternate (after a warm-up), so drift in the machine affects both alike.
 *
 * Prints medians, p90 and peak RSS growth, and as its last line:
 * RATIO callback_5mb_vs_rest_put <callback median / REST median>.
 * Peak RSS growth: measured first, on the fresh process, over a series of callbacks then a series of
 * REST updates: the RSS high-water mark (Linux VmHWM, reset through /proc/self/clear_refs after a
 * forced GC) minus the RSS at the start of the series. Client and server share the process.
 */
import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';
import v8 from 'v8';
import vm from 'vm';
import type { AddressInfo } from 'net';
import { randomUUID } from 'crypto';
import request from 'supertest';
import { createStrapi, type Core } from '@strapi/strapi';
import { appDir, createAdmin, createApiToken, repoRoot, setPluginSettings, type TestApp } from '../tests/helpers/strapi';

const DEF_BYTES = 5 * 1024 * 1024;
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 15);
const MEMORY_RUNS = 5;
const REST_JSON_LIMIT = '6mb';

const ENV: Record<string, string> = {
  NODE_ENV: 'test',
  APP_KEYS: 'bench-key-1,bench-key-2',
  API_TOKEN_SALT: 'bench-api-token-salt',
  ADMIN_JWT_SECRET: 'bench-admin-jwt-secret',
  TRANSFER_TOKEN_SALT: 'bench-transfer-token-salt',
  JWT_SECRET: 'bench-jwt-secret',
  ENCRYPTION_KEY: 'bench-encryption-key',
  ADMIN_RATE_LIMIT: 'false',
  STRAPI_TELEMETRY_DISABLED: 'true',
  BROWSER: 'false',
  STRAPI_LOG_LEVEL: 'warn',
};

/** Strapi's default middlewares with a larger JSON limit for strapi::body (this run only). */
const withRestLimit = (middlewares: unknown): unknown[] => {
  const list = Array.isArray(middlewares) ? (middlewares as unknown[]) : [];
  return list.map((m) =>
    m === 'strapi::body' ? { name: 'strapi::body', config: { jsonLimit: REST_JSON_LIMIT } } : m
  );
};

const boot = async (): Promise<TestApp & { tmp: string }> => {
  for (const file of [path.join(repoRoot, 'dist', 'server', 'index.js'), path.join(appDir, 'dist', 'config', 'plugins.js')]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: build the plugin and compile the playground first`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'processon-bench-'));
  Object.assign(process.env, ENV, { DATABASE_FILENAME: path.join(tmp, 'data.db') });
  delete process.env.PROCESSON_MAX_DEF_SIZE;
  const strapi: Core.Strapi = createStrapi({ appDir, distDir: path.join(appDir, 'dist'), autoReload: false, serveAdminPanel: false });
  strapi.config.set('middlewares', withRestLimit(strapi.config.get('middlewares')));
  await strapi.load();
  strapi.log.level = 'warn';
  strapi.server.mount();
  return {
    strapi,
    tmp,
    http: () => request(strapi.server.httpServer),
    close: async () => {
      await strapi.destroy();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
};

/** A mind-map-like def of exactly `size` bytes (Chinese text, quotes...), with a fixed-width counter. */
const makeDef = (size: number): { def: string; stamp: (n: number) => string } => {
  const head = '{"id":"root","title":"Go 内存分配器","rev":"00000000","children":[';
  const node = (i: number) =>
    `{"id":"n${i}","title":"内存分配器 mcache 节点 ${i}：\\"span\\" & 100% + a=b","children":[]}`;
  const parts: string[] = [head];
  let used = Buffer.byteLength(head) + Buffer.byteLength(']}');
  for (let i = 0; ; i += 1) {
    const piece = (i === 0 ? '' : ',') + node(i);
    const n = Buffer.byteLength(piece);
    if (used + n > size) break;
    parts.push(piece);
    used += n;
  }
  parts.push(' '.repeat(size - used) + ']}');
  const def = parts.join('');
  const at = def.indexOf('00000000');
  return { def, stamp: (n) => def.slice(0, at) + String(n).padStart(8, '0') + def.slice(at + 8) };
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One request over the socket; resolves with its status and wall time (ms). */
const send = (
  port: number,
  method: string,
  urlPath: string,
  body: Buffer,
  headers: Record<string, string>
): Promise<{ status: number; ms: number; text: string }> =>
  new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = http.request(
      { host: '127.0.0.1', port, method, path: urlPath, agent, headers: { ...headers, 'Content-Length': String(body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: Number(process.hrtime.bigint() - start) / 1e6,
            text: Buffer.concat(chunks).toString('utf8').slice(0, 300),
          })
        );
      }
    );
    req.on('error', reject);
    req.end(body);
  });

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
};

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** VmHWM / VmRSS in bytes, or null off Linux. */
const procStatus = (): { hwm: number; rss: number } | null => {
  try {
    const text = fs.readFileSync('/proc/self/status', 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(text);
    const rss = /VmRSS:\s+(\d+) kB/.exec(text);
    return hwm && rss ? { hwm: Number(hwm[1]) * 1024, rss: Number(rss[1]) * 1024 } : null;
  } catch {
    return null;
  }
};
const resetPeak = (): boolean => {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
};

/**
 * Peak RSS growth while `op` runs: the RSS high-water mark minus the RSS at the start (after a GC).
 * Exact on Linux (VmHWM, reset through clear_refs); elsewhere sampled every 5 ms (a lower bound).
 */
const peakGrowth = async (op: () => Promise<void>): Promise<{ growth: number; exact: boolean }> => {
  gc();
  gc();
  const exact = resetPeak() && procStatus() !== null;
  const start = process.memoryUsage.rss();
  let peak = start;
  const sampler = exact ? null : setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  await op();
  if (sampler) clearInterval(sampler);
  peak = exact ? (procStatus()?.hwm ?? peak) : Math.max(peak, process.memoryUsage.rss());
  return { growth: Math.max(0, peak - start), exact };
};

const main = async () => {
  const app = await boot();
  try {
    const server = app.strapi.server.httpServer;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;

    // Setup: an admin, the plugin's settings, an edit session, an API token, an article.
    const admin = await createAdmin(app);
    await setPluginSettings(app, { appkey: 'bench', apiBaseUrl: 'http://127.0.0.1:9', publicUrl: `http://127.0.0.1:${port}`, hidebtn: false });
    const session = await app
      .http()
      .post('/processon/sessions')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ uid: 'api::article.article', documentId: null, locale: null, field: 'diagram', chartid: randomUUID(), category: 'mind', title: 'bench', def: '' });
    if (session.status !== 201) throw new Error(`session: ${session.status} ${session.text}`);
    // A new entry's diagram takes the chartid the server gives it.
    const chartid = session.body.data.form.fields.chartid as string;
    const callbackUrl = new URL(session.body.data.form.fields.callbackurl as string);
    const callbackPath = callbackUrl.pathname + callbackUrl.search;
    const apiToken = await createApiToken(app);
    const created = await app.http().post('/api/articles').set('Authorization', `Bearer ${apiToken}`).send({ data: { title: 'bench' } });
    if (created.status !== 201 && created.status !== 200) throw new Error(`article: ${created.status} ${created.text}`);
    const documentId = created.body.data.documentId as string;

    const { stamp } = makeDef(DEF_BYTES);
    const sizeKB = (DEF_BYTES / 1024).toFixed(2);
    let counter = 0;
    const callbackBody = () =>
      Buffer.from(JSON.stringify({ chartid, def: stamp((counter += 1)), size: sizeKB, valid: true }));
    const restBody = () =>
      Buffer.from(
        JSON.stringify({
          data: {
            diagram: { chartid, category: 'mind', title: 'bench', def: stamp((counter += 1)), size: Number(sizeKB), valid: true, updatedAt: new Date().toISOString() },
          },
        })
      );
    const json = { 'Content-Type': 'application/json' };
    const rest = { ...json, Authorization: `Bearer ${apiToken}` };

    type Kind = 'callback' | 'rest';
    const run = async (kind: Kind): Promise<number> => {
      const body = kind === 'callback' ? callbackBody() : restBody();
      const res =
        kind === 'callback'
          ? await send(port, 'POST', callbackPath, body, json)
          : await send(port, 'PUT', `/api/articles/${documentId}`, body, rest);
      if (res.status !== 200) throw new Error(`${kind}: HTTP ${res.status} ${res.text}`);
      if (kind === 'callback' && res.text !== 'success') throw new Error(`callback answered ${res.text}`);
      return res.ms;
    };

    // Memory first, on a fresh process: MEMORY_RUNS callbacks, then MEMORY_RUNS REST updates, each
    // series from a collected heap (the REST series starts with the heap the callbacks grew, so its
    // growth is, if anything, understated).
    const memory: Record<Kind, { growth: number; exact: boolean }> = {
      callback: await peakGrowth(async () => {
        for (let i = 0; i < MEMORY_RUNS; i += 1) await run('callback');
      }),
      rest: await peakGrowth(async () => {
        for (let i = 0; i < MEMORY_RUNS; i += 1) await run('rest');
      }),
    };

    // Latency: warm-up, then alternating runs with the heap left to V8 (no forced GC).
    for (let i = 0; i < WARMUP; i += 1) {
      await run('callback');
      await run('rest');
    }
    const times: Record<Kind, number[]> = { callback: [], rest: [] };
    for (let i = 0; i < ITERATIONS; i += 1) {
      const order: Kind[] = i % 2 === 0 ? ['callback', 'rest'] : ['rest', 'callback'];
      for (const kind of order) times[kind].push(await run(kind));
    }

    const stored = await app.strapi.db.query('plugin::processon.revision').count({ where: { chartid } });
    const expected = MEMORY_RUNS + WARMUP + ITERATIONS;
    if (stored !== expected) throw new Error(`expected ${expected} revisions, found ${stored}`);

    const med = { callback: quantile(times.callback, 0.5), rest: quantile(times.rest, 0.5) };
    const lines = [
      `def ${mb(DEF_BYTES)}, ${ITERATIONS} iterations each after ${WARMUP} warm-up, alternating, http://127.0.0.1:${port}`,
      `callback  POST ${callbackUrl.pathname}: median ${med.callback.toFixed(1)} ms, p90 ${quantile(times.callback, 0.9).toFixed(1)} ms, min ${Math.min(...times.callback).toFixed(1)} ms`,
      `REST      PUT /api/articles/:id   : median ${med.rest.toFixed(1)} ms, p90 ${quantile(times.rest, 0.9).toFixed(1)} ms, min ${Math.min(...times.rest).toFixed(1)} ms`,
      `peak RSS growth over ${MEMORY_RUNS} requests (${memory.callback.exact ? 'VmHWM' : 'sampled'}): callback +${mb(memory.callback.growth)}, REST +${mb(memory.rest.growth)}`,
      `RATIO callback_5mb_vs_rest_put ${(med.callback / med.rest).toFixed(3)}`,
    ];
    agent.destroy();
    await app.close();
    process.stdout.write(`${lines.join('\n')}\n`);
    process.exit(0);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`bench:callback failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
