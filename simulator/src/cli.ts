/** `tsx simulator/src/cli.ts [--port 4010] [--host 0.0.0.0] [--appkey demo-appkey] ...` (see CLI_USAGE). */
import { CliError, CLI_USAGE, parseCliArgs, startOptionsOf } from './config';
import { startSimulator } from './server';

const main = async (): Promise<void> => {
  let settings;
  try {
    settings = parseCliArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`${error.message}\n${CLI_USAGE}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (settings === 'help') {
    process.stdout.write(`${CLI_USAGE}\n`);
    return;
  }
  const running = await startSimulator(startOptionsOf(settings));
  process.stdout.write(`ProcessOn simulator listening on ${running.url}\n`);
  process.stdout.write(`appkey ${settings.appkey} (domains ${settings.domains.join(', ')}, quota ${settings.quota}, callbacks as ${settings.callbackFormat})\n`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping the ProcessOn simulator\n`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1)
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
