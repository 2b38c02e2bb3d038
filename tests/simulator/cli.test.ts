import { spawn } from 'node:child_process';
import path from 'node:path';
import { CliError, parseCliArgs, startOptionsOf } from '../../simulator/src/config';

describe('CLI settings', () => {
  it('has defaults', () => {
    expect(parseCliArgs([], {})).toEqual({
      port: 4010,
      host: '0.0.0.0',
      appkey: 'demo-appkey',
      domains: ['localhost', '127.0.0.1'],
      quota: 1000,
      callbackFormat: 'json',
    });
  });

  it('reads flags, in both spellings, over the environment', () => {
    const settings = parseCliArgs(
      ['--port', '5000', '--host=127.0.0.1', '--appkey', 'k1', '--domains', 'a.com, b.org', '--quota=3', '--callback-format', 'form'],
      { SIMULATOR_PORT: '6000', SIMULATOR_APPKEY: 'from-env' }
    );
    expect(settings).toEqual({
      port: 5000,
      host: '127.0.0.1',
      appkey: 'k1',
      domains: ['a.com', 'b.org'],
      quota: 3,
      callbackFormat: 'form',
    });
  });

  it('reads the environment', () => {
    const settings = parseCliArgs([], {
      SIMULATOR_PORT: '4999',
      SIMULATOR_APPKEY: 'env-key',
      SIMULATOR_DOMAINS: 'cms.test',
      SIMULATOR_QUOTA: '7',
      SIMULATOR_CALLBACK_FORMAT: 'form',
      SIMULATOR_PUBLIC_URL: 'http://sim.test:4999',
    });
    expect(settings).toMatchObject({ port: 4999, appkey: 'env-key', domains: ['cms.test'], quota: 7, callbackFormat: 'form', publicUrl: 'http://sim.test:4999' });
    if (settings === 'help') throw new Error('unexpected help');
    expect(startOptionsOf(settings).appkeys).toEqual([{ appkey: 'env-key', domains: ['cms.test'], quota: 7, active: true }]);
  });

  it.each([
    [['--port', 'abc']],
    [['--port', '70000']],
    [['--quota', '-1']],
    [['--callback-format', 'xml']],
    [['--domains', ' , ']],
    [['--public-url', 'ftp://x']],
    [['--bogus', '1']],
    [['--port']],
  ])('refuses %j', (argv) => {
    expect(() => parseCliArgs(argv, {})).toThrow(CliError);
  });

  it('answers help', () => {
    expect(parseCliArgs(['--help'], {})).toBe('help');
  });
});

describe('CLI process', () => {
  it('listens, answers, and stops on SIGTERM', async () => {
    const root = path.resolve(__dirname, '..', '..');
    const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['simulator/src/cli.ts', '--port', '0', '--quota', '3', '--appkey', 'cli-key'], {
      cwd: root,
      env: { ...process.env, SIMULATOR_HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line: ${output}`)), 20000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /ProcessOn simulator listening on (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.on('exit', () => reject(new Error(`exited early: ${output}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const usage = (await (await fetch(`${url}/sim/usage/cli-key`)).json()) as unknown;
    expect(usage).toEqual({ appkey: 'cli-key', used: 0, quota: 3 });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, 30000);
});
