/**
 * Several Strapi processes of the playground (`strapi start`, each its own OS process and port on
 * loopback) sharing one PostgreSQL database, as behind a load balancer: for the multi-instance
 * tests and `npm run bench:scale`. Every instance gets the same secrets (so a token or a callback
 * signed by one verifies on the others); each one's PostgreSQL connections carry its name as
 * application_name (PGAPPNAME), so a test can find them in pg_stat_activity.
 *
 * Needs the plugin built and the playground compiled (`npm run build:all -- --no-admin`; the admin
 * build is only needed by browser tests).
 */
import fs from 'fs';
import net from 'net';
import path from 'path';
import type { ChildProcess } from 'child_process';
import { repoRoot, startPlayground, waitForHttp } from '../../scripts/lib';

export const SHARED_ENV: Record<string, string> = {
  HOST: '127.0.0.1',
  APP_KEYS: 'multi-key-1,multi-key-2',
  API_TOKEN_SALT: 'multi-api-token-salt',
  ADMIN_JWT_SECRET: 'multi-admin-jwt-secret',
  TRANSFER_TOKEN_SALT: 'multi-transfer-token-salt',
  JWT_SECRET: 'multi-jwt-secret',
  ENCRYPTION_KEY: 'multi-encryption-key',
  ADMIN_RATE_LIMIT: 'false',
  STRAPI_LOG_LEVEL: 'warn',
};

export interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
  /** Where its stdout and stderr go. */
  logFile: string;
  /** SIGTERM (then SIGKILL after 10 s); resolves once the process is gone. */
  stop(): Promise<void>;
  /** Sends `signal` and resolves once the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** A TCP port free on loopback right now. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** Instances still running when this process exits (a crashed or force-exited test run) are killed. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });

/**
 * Starts one instance named `name` on `port` with the database variables `dbEnv`, and waits until
 * it answers /_health (fails, with the end of its log, if it exits or does not answer in time).
 */
export const startInstance = async (
  name: string,
  dbEnv: Record<string, string>,
  options: { port?: number; env?: Record<string, string>; logDir?: string; timeoutMs?: number } = {}
): Promise<Instance> => {
  const port = options.port ?? (await freePort());
  const logDir = options.logDir ?? path.join(repoRoot, 'test-output', 'instances');
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const log = fs.createWriteStream(logFile);
  const child = startPlayground({ ...SHARED_ENV, ...dbEnv, PORT: String(port), PGAPPNAME: name, ...options.env }, { quiet: true });
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const gone = exited(child).then(() => {
    throw new Error(`instance ${name} exited (${child.exitCode ?? child.signalCode}) before answering; see ${logFile}`);
  });
  try {
    await Promise.race([waitForHttp(`${url}/_health`, options.timeoutMs ?? 180_000), gone]);
  } catch (error) {
    child.kill('SIGKILL');
    const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
    throw new Error(`${String(error)}\n${tail}`);
  }
  gone.catch(() => undefined);
  const kill = async (signal: NodeJS.Signals) => {
    const done = exited(child);
    child.kill(signal);
    await done;
  };
  return {
    name,
    url,
    child,
    logFile,
    kill,
    stop: async () => {
      const done = exited(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
};

/** Registers the first admin user on a fresh database through `url`; answers its access token. */
export const registerFirstAdmin = async (url: string, email = 'admin@multi.local', password = 'Multi-instance-1234'): Promise<string> => {
  const res = await fetch(`${url}/admin/register-admin`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password, firstname: 'Multi', lastname: 'Instance' }),
  });
  const body = (await res.json()) as { data?: { token?: string; accessToken?: string } };
  const token = body.data?.token ?? body.data?.accessToken;
  if (res.status !== 200 || !token) throw new Error(`register-admin on ${url}: ${res.status} ${JSON.stringify(body)}`);
  return token;
};

/** An admin API request with a bearer token; answers status and parsed JSON. */
export const adminApi = async <T>(
  url: string,
  token: string,
  method: string,
  route: string,
  body?: unknown
): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${url}${route}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
};

/** Points the plugin at a ProcessOn base URL and a public URL (through `url`'s admin API). */
export const configurePlugin = async (url: string, token: string, publicUrl: string, apiBaseUrl = 'http://127.0.0.1:4999') => {
  const res = await adminApi(url, token, 'PUT', '/processon/settings', { appkey: 'multi-appkey', apiBaseUrl, publicUrl, hidebtn: false });
  if (res.status !== 200) throw new Error(`settings: ${res.status} ${JSON.stringify(res.body)}`);
};

/** Opens an edit session of an article's diagram through `url`; answers its key and callback URL. */
export const openSession = async (
  url: string,
  token: string,
  chartid: string,
  documentId: string | null = null
): Promise<{ sessionId: string; callbackUrl: string; chartid: string }> => {
  const res = await adminApi<{ data: { sessionId: string; form: { fields: { callbackurl: string; chartid: string } } } }>(url, token, 'POST', '/processon/sessions', {
    uid: 'api::article.article',
    documentId,
    locale: null,
    field: 'diagram',
    chartid,
    category: 'mind',
    title: 'Diagram',
    def: '',
  });
  if (res.status !== 201) throw new Error(`session through ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  // A new entry's diagram gets the server's chartid (sessions.chartFor), not the one asked for.
  return { sessionId: res.body.data.sessionId, callbackUrl: res.body.data.form.fields.callbackurl, chartid: res.body.data.form.fields.chartid };
};

/**
 * Pushes a save the way ProcessOn does, to `callbackUrl` with its origin replaced by `via` (the
 * instance a load balancer would pick). Network errors are answered, not thrown.
 */
export const pushSave = async (
  callbackUrl: string,
  via: string,
  save: { chartid: string; def: string; valid?: boolean }
): Promise<{ status: number; text: string }> => {
  const target = new URL(callbackUrl);
  const base = new URL(via);
  target.protocol = base.protocol;
  target.host = base.host;
  try {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ chartid: save.chartid, def: save.def, size: String((Buffer.byteLength(save.def) / 1024).toFixed(2)), valid: save.valid ?? true }),
    });
    return { status: res.status, text: await res.text() };
  } catch (error) {
    return { status: 0, text: `network error: ${String((error as { cause?: unknown }).cause ?? error)}` };
  }
};

/** At most `limit` tasks at a time, whoever calls: `const run = limiter(16); await run(() => task())`. */
export const limiter = (limit: number) => {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot straight to the next waiter, so `active` never exceeds `limit`.
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active += 1;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
};
