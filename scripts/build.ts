/** `npm run build:all`: the plugin (dist/), then the playground (server code and admin panel). */
import { buildPluginAndPlayground } from './lib';

buildPluginAndPlayground({ admin: !process.argv.includes('--no-admin') }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
