/** Server entry point (package.json `exports['./strapi-server']` builds server/src into dist/server). */
export { default } from './server/src';
