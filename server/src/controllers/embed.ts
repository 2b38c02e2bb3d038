import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { isExportType, type ExportType, type FormDescriptor } from '../processon';
import { getService } from '../utils';
import type { ResolvedDiagram } from '../services/embeds';

const NOT_FOUND = 'No published ProcessOn diagram at this address';

/** A single query parameter; a repeated or nested one (`type[]=pdf`) is a 400, not ignored. */
const queryString = (ctx: Context, key: string): string | undefined => {
  const value = ctx.query[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new errors.ValidationError(`${key} must be given once, as a plain value`);
  return value;
};

interface AuthService {
  verify(auth: unknown, config: { scope: string[] }): Promise<void>;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  /**
   * Besides the embed action itself (checked by Strapi before the controller), the caller's role,
   * API token or user must be allowed to `find` the owning content type: the same check Strapi
   * makes for GET /api/<plural>, through the caller's own auth strategy.
   */
  const mayRead = (ctx: Context) => async (uid: string): Promise<boolean> => {
    const auth = (ctx.state as { auth?: unknown }).auth;
    if (!auth) return false;
    try {
      await strapi.get<AuthService>('auth').verify(auth, { scope: [`${uid}.find`] });
      return true;
    } catch {
      return false;
    }
  };

  /**
   * Finds the diagram, answers 304 to a matching If-None-Match without reading the def, else loads
   * it. Sets the caching headers of every 200/304 answer.
   */
  const resolve = async (ctx: Context, what: string): Promise<ResolvedDiagram | null> => {
    const embeds = getService(strapi, 'embeds');
    const located = await embeds.locate(
      {
        contentType: String(ctx.params.contentType ?? ''),
        documentId: String(ctx.params.documentId ?? ''),
        field: queryString(ctx, 'field') ?? 'diagram',
        locale: queryString(ctx, 'locale'),
      },
      mayRead(ctx)
    );
    if (!located) throw new errors.NotFoundError(NOT_FOUND);
    const etag = await embeds.etag(located, what);
    const cacheHeaders = {
      ETag: etag,
      'Cache-Control': `public, max-age=${getService(strapi, 'settings').cacheMaxAge()}`,
      // The answer depends on who asks (their permissions) and on the encoding.
      Vary: 'Authorization, Accept-Encoding',
    };
    const ifNoneMatch = ctx.get('If-None-Match');
    const bare = (tag: string) => tag.trim().replace(/^W\//, '');
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag))) {
      ctx.set(cacheHeaders);
      ctx.status = 304;
      return null;
    }
    const diagram = await embeds.load(located);
    if (!diagram) throw new errors.NotFoundError(NOT_FOUND);
    ctx.set(cacheHeaders);
    return diagram;
  };

  const exportType = (ctx: Context): ExportType => {
    const type = queryString(ctx, 'type') ?? 'image';
    if (!isExportType(type)) throw new errors.ValidationError('type must be "image" or "pdf"');
    return type;
  };

  const sendPage = (ctx: Context, form: FormDescriptor, title: string) => {
    const { html, headers } = getService(strapi, 'embeds').page(form, title);
    ctx.remove('X-Frame-Options');
    ctx.set(headers);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = html;
  };

  return {
    async view(ctx: Context) {
      const diagram = await resolve(ctx, 'view');
      if (!diagram) return;
      sendPage(ctx, await getService(strapi, 'embeds').viewForm(diagram), diagram.value.title);
    },

    async export(ctx: Context) {
      const type = exportType(ctx);
      const diagram = await resolve(ctx, `export:${type}`);
      if (!diagram) return;
      sendPage(ctx, await getService(strapi, 'embeds').exportForm(diagram, type), diagram.value.title);
    },

    /** JSON descriptor `{action, method, fields}` of the view (default) or export form. */
    async descriptor(ctx: Context) {
      const kind = queryString(ctx, 'kind') ?? 'view';
      if (kind !== 'view' && kind !== 'export') throw new errors.ValidationError('kind must be "view" or "export"');
      const type = kind === 'export' ? exportType(ctx) : undefined;
      const diagram = await resolve(ctx, `descriptor:${kind}:${type ?? ''}`);
      if (!diagram) return;
      const embeds = getService(strapi, 'embeds');
      const form = type ? await embeds.exportForm(diagram, type) : await embeds.viewForm(diagram);
      ctx.body = { data: { action: form.action, method: form.method, acceptCharset: form.acceptCharset, fields: form.fields } };
    },
  };
};
