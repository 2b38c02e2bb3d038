/** Command-line and environment settings of the simulator CLI. */
import type { CallbackFormat } from './state';
import type { StartOptions } from './server';

export interface CliSettings {
  port: number;
  host: string;
  appkey: string;
  domains: string[];
  quota: number;
  callbackFormat: CallbackFormat;
  publicUrl?: string;
}

export const CLI_USAGE = `Usage: tsx simulator/src/cli.ts [options]
  --port <n>                 port to listen on (env SIMULATOR_PORT, default 4010; 0 = any free port)
  --host <host>              interface to bind (env SIMULATOR_HOST, default 0.0.0.0)
  --appkey <key>             the appkey accepted (env SIMULATOR_APPKEY, default demo-appkey)
  --domains <a,b>            domains registered with it (env SIMULATOR_DOMAINS, default localhost,127.0.0.1)
  --quota <n>                editor sessions it may open (env SIMULATOR_QUOTA, default 1000)
  --callback-format <f>      json | form: how Save pushes to callbackurl (env SIMULATOR_CALLBACK_FORMAT, default json)
  --public-url <url>         the simulator's own base URL for links (env SIMULATOR_PUBLIC_URL)
  --help                     this text`;

export class CliError extends Error {}

const FLAGS: Record<string, keyof CliSettings> = {
  '--port': 'port',
  '--host': 'host',
  '--appkey': 'appkey',
  '--domains': 'domains',
  '--quota': 'quota',
  '--callback-format': 'callbackFormat',
  '--public-url': 'publicUrl',
};

const ENV: Record<keyof CliSettings, string> = {
  port: 'SIMULATOR_PORT',
  host: 'SIMULATOR_HOST',
  appkey: 'SIMULATOR_APPKEY',
  domains: 'SIMULATOR_DOMAINS',
  quota: 'SIMULATOR_QUOTA',
  callbackFormat: 'SIMULATOR_CALLBACK_FORMAT',
  publicUrl: 'SIMULATOR_PUBLIC_URL',
};

const integer = (name: string, text: string, min: number, max: number): number => {
  if (!/^\d+$/.test(text.trim())) throw new CliError(`${name} must be a whole number`);
  const value = Number(text);
  if (value < min || value > max) throw new CliError(`${name} must be between ${min} and ${max}`);
  return value;
};

/** Reads flags (`--flag value` or `--flag=value`), then the environment, then the defaults. */
export const parseCliArgs = (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {}
): CliSettings | 'help' => {
  const given: Partial<Record<keyof CliSettings, string>> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const key = FLAGS[flag];
    if (key === undefined) throw new CliError(`unknown option ${arg}`);
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i += 1;
    }
    if (value === undefined) throw new CliError(`${flag} needs a value`);
    given[key] = value;
  }
  const pick = (key: keyof CliSettings): string | undefined => {
    const fromEnv = env[ENV[key]];
    return given[key] ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined);
  };
  const format = pick('callbackFormat') ?? 'json';
  if (format !== 'json' && format !== 'form') throw new CliError('--callback-format must be json or form');
  const domains = (pick('domains') ?? 'localhost,127.0.0.1')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  if (domains.length === 0) throw new CliError('--domains needs at least one domain');
  const appkey = (pick('appkey') ?? 'demo-appkey').trim();
  if (appkey === '') throw new CliError('--appkey must not be empty');
  const publicUrl = pick('publicUrl');
  if (publicUrl !== undefined) {
    try {
      const url = new URL(publicUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    } catch {
      throw new CliError('--public-url must be an absolute http(s) URL');
    }
  }
  return {
    port: integer('--port', pick('port') ?? '4010', 0, 65535),
    host: pick('host') ?? '0.0.0.0',
    appkey,
    domains,
    quota: integer('--quota', pick('quota') ?? '1000', 0, Number.MAX_SAFE_INTEGER),
    callbackFormat: format,
    ...(publicUrl === undefined ? {} : { publicUrl }),
  };
};

export const startOptionsOf = (settings: CliSettings): StartOptions => ({
  port: settings.port,
  host: settings.host,
  appkeys: [{ appkey: settings.appkey, domains: settings.domains, quota: settings.quota, active: true }],
  callbackFormat: settings.callbackFormat,
  ...(settings.publicUrl === undefined ? {} : { publicUrl: settings.publicUrl }),
});
