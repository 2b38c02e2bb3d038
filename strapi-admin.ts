/** Admin entry point (package.json `exports['./strapi-admin']` builds admin/src into dist/admin). */
export { default } from './admin/src';
