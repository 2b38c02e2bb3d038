/**
 * `npm test`: builds what the tests need, then runs every suite (unit, simulator, integration
 * against a real Strapi, browser in Chromium) and ends with one line summing them all:
 * `N passed, N failed`. Exits non-zero when anything failed.
 *
 * The integration suite runs twice: on SQLite, then on PostgreSQL together with the multi-instance
 * tests (several Strapi processes on one PostgreSQL database). scripts/postgres.ts makes the
 * server of PROCESSON_TEST_PG_URL available, starting Debian's local cluster when root; if it
 * cannot, that counts as a failure, never as a skip.
 *
 * Flags: --no-build (reuse the last build), --no-browser (skip the browser suite).
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawn } from 'child_process';
import { bin, buildPluginAndPlayground, repoRoot, run } from './lib';
import { dropStaleDatabases, ensurePostgres } from './postgres';

interface JestSummary {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numRuntimeErrorTestSuites: number;
  numFailedTestSuites: number;
  success: boolean;
}

const runJest = (projects: string[], outputFile: string, extra: string[], env: Record<string, string>): Promise<number> =>
  new Promise((resolve) => {
    const args = ['--ci', '--selectProjects', ...projects, '--json', `--outputFile=${outputFile}`, ...extra];
    const child = spawn(bin('jest'), args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code) => resolve(code ?? 1));
  });

/** Browser tests run with node's test runner (see tests/browser): spec to the console, TAP to a file. */
const runBrowserTests = (tapFile: string): Promise<number> =>
  new Promise((resolve) => {
    const files = fs
      .readdirSync(path.join(repoRoot, 'tests', 'browser'))
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => path.join('tests', 'browser', f));
    const args = [
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      ...files,
    ];
    const child = spawn(bin('tsx'), args, { cwd: repoRoot, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });

/** The browser suite needs Debian's Chromium (and CJK fonts for readable screenshots). */
const ensureChromium = async (): Promise<boolean> => {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (fs.existsSync(chromium)) return true;
  if (process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get')) {
    console.log('Chromium is missing: installing Debian packages chromium and fonts-noto-cjk…');
    try {
      await run('apt-get', ['update', '-q']);
      await run('apt-get', ['install', '-y', '-q', 'chromium', 'fonts-noto-cjk'], {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      return fs.existsSync(chromium);
    } catch (error) {
      console.error(String(error));
      return false;
    }
  }
  console.error(`Chromium not found at ${chromium}: install it with \`sudo apt-get install -y chromium fonts-noto-cjk\` (or set CHROMIUM_PATH).`);
  return false;
};

const main = async () => {
  const skipBuild = process.argv.includes('--no-build');
  const skipBrowser = process.argv.includes('--no-browser');
  const started = Date.now();
  let buildFailed = false;
  if (!skipBuild) {
    try {
      await buildPluginAndPlayground({ admin: !skipBrowser });
    } catch (error) {
      console.error(`Build failed: ${String(error)}`);
      buildFailed = true;
    }
  }
  // Static checks, one "test" each: strict type-checking (strapi-plugin build does not type-check)
  // and the plugin package verification of @strapi/sdk-plugin.
  const checks: [string, string, string[]][] = [
    ['typecheck server', bin('tsc'), ['-p', 'server/tsconfig.json', '--noEmit']],
    ['typecheck admin', bin('tsc'), ['-p', 'admin/tsconfig.json', '--noEmit']],
    ['typecheck simulator, scripts and tests', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']],
    ['typecheck playground', bin('tsc'), ['-p', 'playground/tsconfig.json', '--noEmit']],
    ['strapi-plugin verify', bin('strapi-plugin'), ['verify']],
  ];
  let checksPassed = 0;
  let checksFailed = 0;
  for (const [name, command, args] of checks) {
    try {
      await run(command, args, { cwd: repoRoot });
      checksPassed += 1;
    } catch {
      console.error(`check failed: ${name}`);
      checksFailed += 1;
    }
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'processon-jest-'));
  // One Strapi at a time in the integration suites: each test file boots its own in-process Strapi.
  const integration = ['--runInBand', '--forceExit'];
  const suites: { name: string; projects: string[]; extra: string[]; env: Record<string, string>; before?: () => Promise<void> }[] = [
    { name: 'unit + simulator', projects: ['unit', 'simulator'], extra: [], env: {} },
    { name: 'integration (sqlite)', projects: ['integration'], extra: integration, env: { PROCESSON_TEST_DATABASE: 'sqlite' } },
    {
      // ... plus the multi-instance tests (two `strapi start` processes on one database).
      name: 'integration + multi-instance (postgres)',
      projects: ['integration', 'multi-instance'],
      extra: integration,
      env: { PROCESSON_TEST_DATABASE: 'postgres' },
      before: async () => {
        await ensurePostgres();
        await dropStaleDatabases();
      },
    },
  ];

  let passed = checksPassed;
  let failed = checksFailed + (buildFailed ? 1 : 0);
  let skipped = 0;
  const lines: string[] = [`checks: ${checksPassed} passed, ${checksFailed} failed`];
  for (const [index, suite] of suites.entries()) {
    const suiteStarted = Date.now();
    const seconds = () => `${Math.round((Date.now() - suiteStarted) / 1000)} s`;
    if (suite.before) {
      try {
        await suite.before();
      } catch (error) {
        console.error(`${suite.name}: ${error instanceof Error ? error.message : String(error)}`);
        lines.push(`${suite.name}: not run, ${error instanceof Error ? error.message : String(error)}`);
        failed += 1;
        continue;
      }
    }
    const file = path.join(out, `suite-${index}.json`);
    const code = await runJest(suite.projects, file, suite.extra, suite.env);
    if (!fs.existsSync(file)) {
      lines.push(`${suite.name}: jest produced no report (exit ${code})`);
      failed += 1;
      continue;
    }
    const summary = JSON.parse(fs.readFileSync(file, 'utf8')) as JestSummary;
    // A suite that crashed before running its tests counts as one failure.
    const crashed = summary.numRuntimeErrorTestSuites;
    passed += summary.numPassedTests;
    failed += summary.numFailedTests + crashed;
    skipped += summary.numPendingTests;
    lines.push(
      `${suite.name}: ${summary.numPassedTests} passed, ${summary.numFailedTests + crashed} failed` +
        (summary.numPendingTests ? `, ${summary.numPendingTests} skipped` : '') +
        ` (${seconds()})`
    );
    if (code !== 0 && summary.numFailedTests + crashed === 0) {
      lines.push(`${suite.name}: jest exited with ${code}`);
      failed += 1;
    }
  }
  if (!skipBrowser && !(await ensureChromium())) {
    lines.push('browser: Chromium is not installed');
    failed += 1;
  } else if (!skipBrowser) {
    const browserStarted = Date.now();
    const tap = path.join(out, 'browser.tap');
    const code = await runBrowserTests(tap);
    const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
    const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
    const [p, f, c] = [count('pass'), count('fail'), count('cancelled')];
    if (Number.isNaN(p) || Number.isNaN(f)) {
      lines.push(`browser: the test runner produced no summary (exit ${code})`);
      failed += 1;
    } else {
      passed += p;
      failed += f + (c || 0);
      lines.push(`browser: ${p} passed, ${f + (c || 0)} failed (${Math.round((Date.now() - browserStarted) / 1000)} s)`);
      if (code !== 0 && f + (c || 0) === 0) {
        lines.push(`browser: runner exited with ${code}`);
        failed += 1;
      }
    }
  }
  fs.rmSync(out, { recursive: true, force: true });
  console.log(`\n${lines.join('\n')}${buildFailed ? '\nbuild: failed' : ''}`);
  console.log(`(${Math.round((Date.now() - started) / 1000)} s)`);
  if (skipped) console.log(`(${skipped} skipped)`);
  // CI reads this last line: exactly `N passed, N failed`, alone.
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
};

void main();
