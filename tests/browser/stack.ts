/**
 * The whole product for a browser test: the ProcessOn simulator, the playground Strapi (`strapi
 * start` on a throwaway SQLite file, demo seed on) and the demo frontend on a third origin, plus
 * Debian's Chromium driven by playwright-core. Needs the admin built (`npm test` does it).
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { ChildProcess } from 'child_process';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { startSimulator, type RunningSimulator } from '../../simulator/src/server';
import { startFrontend, type Frontend } from '../../scripts/frontend';
import { playgroundDir, repoRoot, startPlayground, waitForHttp } from '../../scripts/lib';

export const outputDir = path.join(repoRoot, 'test-output', 'browser');

export const ADMIN = { email: 'admin@processon.local', password: 'ProcessOn-browser-2026' };

type StorageState = Exclude<BrowserContextOptions['storageState'], string | undefined>;

export interface Stack {
  simulator: RunningSimulator;
  strapiUrl: string;
  frontend: Frontend;
  browser: Browser;
  /** Signed-in browser states by email: each user logs in once per suite. */
  sessions: Map<string, StorageState>;
  stop(): Promise<void>;
}

const PORTS = {
  simulator: Number(process.env.BROWSER_SIMULATOR_PORT ?? 4110),
  strapi: Number(process.env.BROWSER_STRAPI_PORT ?? 1437),
  frontend: Number(process.env.BROWSER_FRONTEND_PORT ?? 3100),
};

export const startStack = async (): Promise<Stack> => {
  if (!fs.existsSync(path.join(playgroundDir, 'dist', 'build', 'index.html'))) {
    throw new Error('The admin panel is not built: run `npm test` (or `npm run build:all`) first');
  }
  fs.mkdirSync(outputDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'processon-browser-'));
  const simulator = await startSimulator({
    port: PORTS.simulator,
    host: '127.0.0.1',
    appkeys: [{ appkey: 'browser-appkey', domains: ['localhost'], quota: 100, active: true }],
  });
  const strapiUrl = `http://localhost:${PORTS.strapi}`;
  const log = fs.createWriteStream(path.join(outputDir, 'strapi.log'));
  const strapi: ChildProcess = startPlayground(
    {
      PORT: String(PORTS.strapi),
      HOST: '127.0.0.1',
      DATABASE_FILENAME: path.join(tmp, 'data.db'),
      APP_KEYS: 'browser-key-1,browser-key-2',
      API_TOKEN_SALT: 'browser-salt',
      ADMIN_JWT_SECRET: 'browser-admin-jwt',
      TRANSFER_TOKEN_SALT: 'browser-transfer',
      JWT_SECRET: 'browser-jwt',
      ENCRYPTION_KEY: 'browser-encryption-key',
      ADMIN_RATE_LIMIT: 'false',
      PROCESSON_DEMO_SEED: 'true',
      DEMO_APPKEY: 'browser-appkey',
      DEMO_SIMULATOR_URL: simulator.url,
      DEMO_PUBLIC_URL: strapiUrl,
      DEMO_ADMIN_EMAIL: ADMIN.email,
      DEMO_ADMIN_PASSWORD: ADMIN.password,
    },
    { quiet: true }
  );
  strapi.stdout?.pipe(log);
  strapi.stderr?.pipe(log);
  await waitForHttp(`${strapiUrl}/_health`, 120_000);
  const frontend = await startFrontend({ port: PORTS.frontend, strapiUrl, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    simulator,
    strapiUrl,
    frontend,
    browser,
    sessions: new Map(),
    stop: async () => {
      await browser.close().catch(() => undefined);
      await frontend.close().catch(() => undefined);
      await simulator.close().catch(() => undefined);
      await new Promise<void>((resolve) => {
        if (strapi.exitCode !== null) return resolve();
        strapi.once('exit', () => resolve());
        strapi.kill('SIGTERM');
        setTimeout(() => strapi.kill('SIGKILL'), 10_000).unref();
      });
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
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
