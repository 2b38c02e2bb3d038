/** Small helpers shared by the demo, the test runner and the browser tests. */
import { spawn, type ChildProcess, type SpawnOptions } from 'child_process';
import { randomBytes } from 'crypto';
import fs from 'fs';
import path from 'path';

export const repoRoot = path.resolve(__dirname, '..');
export const playgroundDir = path.join(repoRoot, 'playground');
export const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);

/** Runs a command to completion, streaming its output; rejects on a non-zero exit. */
export const run = (command: string, args: string[], options: SpawnOptions = {}): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });

/** Builds the plugin (dist/) and compiles the playground's server code (playground/dist). */
export const buildPluginAndPlayground = async (options: { admin: boolean }) => {
  await run(bin('strapi-plugin'), ['build'], { cwd: repoRoot });
  if (options.admin) {
    // `strapi build` compiles the TypeScript app and builds the admin panel (≈ 1 min, 2 GB).
    await run(bin('strapi'), ['build'], { cwd: playgroundDir, env: { ...process.env, NODE_ENV: 'production' } });
  } else {
    await run(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: playgroundDir });
  }
};

/** Secrets for a playground run: playground/.env is written once with random values. */
export const ensureEnvFile = (): void => {
  const file = path.join(playgroundDir, '.env');
  if (fs.existsSync(file)) return;
  const secret = () => randomBytes(16).toString('base64');
  fs.writeFileSync(
    file,
    [
      'HOST=0.0.0.0',
      'PORT=1337',
      `APP_KEYS=${secret()},${secret()}`,
      `API_TOKEN_SALT=${secret()}`,
      `ADMIN_JWT_SECRET=${secret()}`,
      `TRANSFER_TOKEN_SALT=${secret()}`,
      `JWT_SECRET=${secret()}`,
      `ENCRYPTION_KEY=${secret()}`,
      '',
    ].join('\n')
  );
};

/** Starts `strapi start` in the playground (admin must be built). */
export const startPlayground = (env: Record<string, string>, options: { quiet?: boolean } = {}): ChildProcess =>
  spawn(bin('strapi'), ['start'], {
    cwd: playgroundDir,
    env: { ...process.env, NODE_ENV: 'production', STRAPI_TELEMETRY_DISABLED: 'true', BROWSER: 'false', ...env },
    stdio: options.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    detached: false,
  });

/** Polls a URL until it answers 2xx/3xx/4xx, or fails after `timeoutMs`. */
export const waitForHttp = async (url: string, timeoutMs = 120_000): Promise<void> => {
  const started = Date.now();
  for (;;) {
    try {
      const res = await fetch(url, { redirect: 'manual' });
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
};
