/**
 * `npm run demo`: builds the plugin and the playground, then starts the ProcessOn simulator, the
 * playground Strapi (seeded once: two published articles with real diagrams, plugin settings
 * pointing at the simulator, a super admin) and a demo frontend on another origin.
 *
 * Flags: --no-build (reuse the last build). Ports: SIMULATOR_PORT (4010), PORT (1337), FRONTEND_PORT (3000).
 * All three listen on DEMO_HOST, 127.0.0.1 by default: the demo's login is public knowledge.
 */
import { startSimulator } from '../simulator/src/server';
import { startFrontend } from './frontend';
import { buildPluginAndPlayground, ensureEnvFile, startPlayground, waitForHttp } from './lib';

const SIMULATOR_PORT = Number(process.env.SIMULATOR_PORT ?? 4010);
const STRAPI_PORT = Number(process.env.PORT ?? 1337);
const FRONTEND_PORT = Number(process.env.FRONTEND_PORT ?? 3000);
const HOST = process.env.DEMO_HOST || '127.0.0.1';
const APPKEY = process.env.DEMO_APPKEY ?? 'demo-appkey';
const ADMIN_EMAIL = process.env.DEMO_ADMIN_EMAIL ?? 'admin@processon.local';
const ADMIN_PASSWORD = process.env.DEMO_ADMIN_PASSWORD ?? 'ProcessOn-demo-2026';

const main = async () => {
  ensureEnvFile();
  if (!process.argv.includes('--no-build')) {
    console.log('Building the plugin and the playground (admin build takes about a minute)…');
    await buildPluginAndPlayground({ admin: true });
  }
  const simulator = await startSimulator({
    port: SIMULATOR_PORT,
    host: HOST,
    appkeys: [{ appkey: APPKEY, domains: ['localhost', '127.0.0.1'], quota: 1000, active: true }],
  });
  const strapiUrl = `http://localhost:${STRAPI_PORT}`;
  const strapi = startPlayground({
    HOST,
    PORT: String(STRAPI_PORT),
    PROCESSON_DEMO_SEED: 'true',
    DEMO_APPKEY: APPKEY,
    DEMO_SIMULATOR_URL: `http://localhost:${SIMULATOR_PORT}`,
    DEMO_PUBLIC_URL: strapiUrl,
    DEMO_ADMIN_EMAIL: ADMIN_EMAIL,
    DEMO_ADMIN_PASSWORD: ADMIN_PASSWORD,
  });
  const frontend = await startFrontend({ port: FRONTEND_PORT, host: HOST, strapiUrl });
  const stop = async (code: number) => {
    strapi.kill('SIGTERM');
    await Promise.allSettled([simulator.close(), frontend.close()]);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  strapi.on('exit', (code) => {
    console.error(`Strapi exited (${code})`);
    void stop(code ?? 1);
  });
  await waitForHttp(`${strapiUrl}/_health`);
  console.log(`
  ProcessOn demo is running
  ─────────────────────────
  Strapi admin        ${strapiUrl}/admin
    login             ${ADMIN_EMAIL}
    password          ${ADMIN_PASSWORD}
  Demo frontend       http://localhost:${FRONTEND_PORT}   (another origin, embeds the published diagrams)
  ProcessOn simulator http://localhost:${SIMULATOR_PORT}   (appkey "${APPKEY}", registered domain localhost)

  Press Ctrl+C to stop. Data lives in playground/.tmp/data.db; re-running keeps your edits.
`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
