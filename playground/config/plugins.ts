import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';

/**
 * The plugin under development is this repository itself, the playground's parent. This file is
 * read from config/ by `strapi build` and from dist/config/ at run time, so the root is found by
 * walking up to the plugin's package.json rather than by a fixed number of "..".
 */
const pluginRoot = (from: string): string => {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'strapi-plugin-processon') {
      return dir;
    }
  }
  throw new Error(`strapi-plugin-processon not found above ${from}`);
};

const config = (_params: Core.Config.Shared.ConfigParams): Core.Config.Plugin => ({
  processon: {
    enabled: true,
    resolve: pluginRoot(__dirname),
  },
  // The embed descriptor is also a GraphQL query (see the README); Strapi's recommended limits.
  graphql: {
    config: { defaultLimit: 25, maxLimit: 100, depthLimit: 10 },
  },
});

export default config;
