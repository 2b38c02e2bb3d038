import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { FIELD_NAME, FIELD_PLUGIN_ID, httpOrigin } from './processon';
import { addOriginToCsp } from './csp';
import { registerBodyLimit } from './middlewares/body-limit';
import { registerGraphql } from './graphql';
import { getService } from './utils';

/**
 * The admin panel frames the ProcessOn editor and posts a form into it: Strapi's CSP
 * (`default-src 'self'`, `form-action 'self'`) blocks both. This outermost middleware adds the
 * configured ProcessOn origin to `frame-src` and `form-action` of admin HTML responses, from the
 * live settings (per-instance cache), so a base URL changed in Settings takes effect at once.
 */
const adminCspMiddleware =
  (strapi: Core.Strapi) =>
  async (ctx: Context, next: Next): Promise<void> => {
    await next();
    if (ctx.path.startsWith('/api/') || !ctx.response.is('html')) return;
    const header = ctx.response.get('Content-Security-Policy');
    if (!header) return;
    const { values } = await getService(strapi, 'settings').cached();
    const apiOrigin = httpOrigin(values.apiBaseUrl);
    if (!apiOrigin) return;
    ctx.set('Content-Security-Policy', addOriginToCsp(header, ['frame-src', 'form-action'], apiOrigin));
  };

export default ({ strapi }: { strapi: Core.Strapi }) => {
  strapi.customFields.register({
    name: FIELD_NAME,
    plugin: FIELD_PLUGIN_ID,
    type: 'json',
  });
  getService(strapi, 'validation').registerDocumentMiddleware();
  strapi.server.use(adminCspMiddleware(strapi));
  // Large bodies for the save paths only (wraps strapi::body; see middlewares/body-limit.ts).
  registerBodyLimit(strapi);
  registerGraphql(strapi);
};
