/**
 * The whole product for a browser test: the ProcessOn simulator, the playground Strapi (`strapi
 * start`, demo seed on) and the demo frontend on a third origin, plus Debian's Chromium driven by
 * playwright-core. Needs the admin built (`npm test` does it).
 *
 * One Strapi on a throwaway SQLite file by default; with `instances: 2`, two Strapi processes
 * (A on BROWSER_STRAPI_PORT, B on BROWSER_STRAPI_B_PORT, default the next port) sharing a
 * throwaway PostgreSQL database, the plugin's public URL leading to B: the admin is used on A, the
 * simulator's callbacks land on B.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { startSimulator, type RunningSimulator } from '../../simulator/src/server';
import { startFrontend, type Frontend } from '../../scripts/frontend';
import { playgroundDir, repoRoot } from '../../scripts/lib';
import { createDatabase, ensurePostgres } from '../../scripts/postgres';
import { startInstance, type Instance } from '../helpers/instances';

export const outputDir = path.join(repoRoot, 'test-output', 'browser');

export const ADMIN = { email: 'admin@processon.local', password: 'ProcessOn-browser-2026' };

type StorageState = Exclude<BrowserContextOptions['storageState'], string | undefined>;

export interface Stack {
  simulator: RunningSimulator;
  /** The Strapi whose admin the tests use (A when there are two). */
  strapiUrl: string;
  /** The second Strapi (B), which the plugin's public URL leads to; null with one instance. */
  strapiBUrl: string | null;
  frontend: Frontend;
  browser: Browser;
  /** Signed-in browser states by email: each user logs in once per suite. */
  sessions: Map<string, StorageState>;
  stop(): Promise<void>;
}

const PORTS = {
  simulator: Number(process.env.BROWSER_SIMULATOR_PORT ?? 4110),
  strapi: Number(process.env.BROWSER_STRAPI_PORT ?? 1437),
  strapiB: Number(process.env.BROWSER_STRAPI_B_PORT ?? Number(process.env.BROWSER_STRAPI_PORT ?? 1437) + 1),
  frontend: Number(process.env.BROWSER_FRONTEND_PORT ?? 3100),
};

const SECRETS = {
  APP_KEYS: 'browser-key-1,browser-key-2',
  API_TOKEN_SALT: 'browser-salt',
  ADMIN_JWT_SECRET: 'browser-admin-jwt',
  TRANSFER_TOKEN_SALT: 'browser-transfer',
  JWT_SECRET: 'browser-jwt',
  ENCRYPTION_KEY: 'browser-encryption-key',
  ADMIN_RATE_LIMIT: 'false',
};

export const startStack = async (options: { instances?: 1 | 2 } = {}): Promise<Stack> => {
  if (!fs.existsSync(path.join(playgroundDir, 'dist', 'build', 'index.html'))) {
    throw new Error('The admin panel is not built: run `npm test` (or `npm run build:all`) first');
  }
  const two = options.instances === 2;
  fs.mkdirSync(outputDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'processon-browser-'));
  const cleanups: (() => Promise<void>)[] = [async () => fs.rmSync(tmp, { recursive: true, force: true })];
  const simulator = await startSimulator({
    port: PORTS.simulator,
    host: '127.0.0.1',
    appkeys: [{ appkey: 'browser-appkey', domains: ['localhost'], quota: 100, active: true }],
  });
  cleanups.unshift(() => simulator.close());
  try {
    let dbEnv: Record<string, string> = { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(tmp, 'data.db') };
    if (two) {
      await ensurePostgres();
      const db = await createDatabase('browser');
      cleanups.push(db.drop);
      dbEnv = db.env;
    }
    const strapiUrl = `http://localhost:${PORTS.strapi}`;
    const strapiBUrl = two ? `http://localhost:${PORTS.strapiB}` : null;
    const instances: Instance[] = [];
    // Stopped before the database is dropped.
    cleanups.unshift(async () => void (await Promise.allSettled(instances.map((instance) => instance.stop()))));
    instances.push(
      await startInstance(two ? 'strapi-a' : 'strapi', dbEnv, {
        port: PORTS.strapi,
        logDir: outputDir,
        env: {
          ...SECRETS,
          // Request lines (with their status) in strapi.log: tests read the 304s there.
          STRAPI_LOG_LEVEL: 'http',
          PROCESSON_DEMO_SEED: 'true',
          DEMO_APPKEY: 'browser-appkey',
          DEMO_SIMULATOR_URL: simulator.url,
          DEMO_PUBLIC_URL: strapiBUrl ?? strapiUrl,
          DEMO_ADMIN_EMAIL: ADMIN.email,
          DEMO_ADMIN_PASSWORD: ADMIN.password,
        },
      })
    );
    if (two) instances.push(await startInstance('strapi-b', dbEnv, { port: PORTS.strapiB, logDir: outputDir, env: SECRETS }));
    const frontend = await startFrontend({ port: PORTS.frontend, strapiUrl, host: '127.0.0.1' });
    cleanups.unshift(() => frontend.close());
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    cleanups.unshift(() => browser.close());
    return { simulator, strapiUrl, strapiBUrl, frontend, browser, sessions: new Map(), stop: () => runAll(cleanups) };
  } catch (error) {
    await runAll(cleanups);
    throw error;
  }
};

/** Runs every cleanup in order, whatever fails. */
const runAll = async (cleanups: (() => Promise<void>)[]): Promise<void> => {
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
};

export interface AdminPageOptions {
  user?: { email: string; password: string };
  /** The admin UI language (Strapi keeps it in localStorage), e.g. 'zh-Hans'. */
  locale?: string;
}

const newAdminContext = async (stack: Stack, storageState: StorageState | undefined, locale: string): Promise<BrowserContext> => {
  const context = await stack.browser.newContext({
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
    ...(storageState ? { storageState } : {}),
  });
  // Strapi's guided tour can open over any admin page (its dialog hides the page from role
  // queries): start every context with the tours switched off, as a user who skipped them.
  await context.addInitScript((language: string) => {
    window.localStorage.setItem('STRAPI_GUIDED_TOUR', JSON.stringify({ enabled: false, hidden: true, completedActions: [] }));
    window.localStorage.setItem('strapi-admin-language', language);
  }, locale);
  return context;
};

/**
 * A logged-in admin page. Each user logs in through the login form once per suite; later pages
 * start from that browser state (cookies, local storage).
 */
export const adminPage = async (
  stack: Stack,
  options: AdminPageOptions = {}
): Promise<{ context: BrowserContext; page: Page }> => {
  const user = options.user ?? ADMIN;
  const locale = options.locale ?? 'en';
  const known = stack.sessions.get(user.email);
  const context = await newAdminContext(stack, known, locale);
  const page = await context.newPage();
  if (known) {
    await page.goto(`${stack.strapiUrl}/admin`);
    await page.locator('nav a[href="/admin/content-manager"], nav a[href$="/content-manager"]').first().waitFor();
    return { context, page };
  }
  await page.goto(`${stack.strapiUrl}/admin`);
  await page.locator('input[name="email"]').fill(user.email);
  await page.locator('input[name="password"]').fill(user.password);
  await page.locator('button[type="submit"]').click();
  await page.locator('nav a[href="/admin/content-manager"], nav a[href$="/content-manager"]').first().waitFor();
  // Strapi's own announcement banner covers the notifications: dismiss it once, as a user would.
  const banner = page.getByRole('button', { name: /Close the banner/ });
  if (await banner.count()) await banner.first().click();
  stack.sessions.set(user.email, await context.storageState());
  return { context, page };
};

export const shot = (page: Page, name: string) => page.screenshot({ path: path.join(outputDir, `${name}.png`) });

/** Runs a browser step; on failure saves a screenshot named after it before rethrowing. */
export const onFailureShot = async <T>(page: Page, name: string, step: () => Promise<T>): Promise<T> => {
  try {
    return await step();
  } catch (error) {
    await page.screenshot({ path: path.join(outputDir, `FAILED-${name}.png`), fullPage: true }).catch(() => undefined);
    throw error;
  }
};

/** The stack for a test file: started before its tests, stopped after them. */
export const useStack = (): (() => Stack) => {
  let stack: Stack | undefined;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    if (stack) await stack.stop();
  });
  return () => {
    if (!stack) throw new Error('the stack is not started');
    return stack;
  };
};

export interface PublicArticle {
  documentId: string;
  title: string;
  diagram: { chartid: string; title: string; category: string; def: string; size: number; updatedAt: string } | null;
}

/** The published articles, as the REST API gives them to the Public role. */
/** Changes plugin settings through the admin API, as the super admin (`null` resets a key). */
export const putSettings = async (stack: Stack, values: Record<string, unknown>): Promise<void> => {
  const login = await fetch(`${stack.strapiUrl}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const { data } = (await login.json()) as { data: { token?: string; accessToken?: string } };
  const res = await fetch(`${stack.strapiUrl}/processon/settings`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${data.token ?? data.accessToken}` },
    body: JSON.stringify(values),
  });
  if (!res.ok) throw new Error(`PUT /processon/settings answered ${res.status}: ${await res.text()}`);
};

export const publicArticles = async (stack: Stack): Promise<PublicArticle[]> => {
  const res = await fetch(`${stack.strapiUrl}/api/articles?sort=id:asc`);
  if (res.status !== 200) throw new Error(`GET /api/articles answered ${res.status}`);
  return ((await res.json()) as { data: PublicArticle[] }).data;
};
