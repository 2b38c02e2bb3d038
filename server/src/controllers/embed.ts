import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { escapeHtml, isExportType, type ExportType, type FormDescriptor } from '../processon';
import { getService } from '../utils';
import type { DiagramAddress, ResolvedDiagram } from '../services/embeds';

const NOT_FOUND = 'No published ProcessOn diagram at this address';

export const OEMBED_PATH = '/api/processon/oembed';
const OEMBED_WIDTH = 800;
const OEMBED_HEIGHT = 480;

/** Reads a view URL of this plugin (absolute or path): what to embed, or null. */
export const parseViewUrl = (
  url: string | undefined,
  restPrefix: string
): { contentType: string; documentId: string; field?: string; locale?: string; path: string; search: string } | null => {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://placeholder.invalid');
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  const prefix = restPrefix.replace(/\/+$/, '');
  const match = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/processon/view/([^/]+)/([^/]+)$`).exec(parsed.pathname);
  if (!match) return null;
  const field = parsed.searchParams.get('field') ?? undefined;
  const locale = parsed.searchParams.get('locale') ?? undefined;
  const search = new URLSearchParams({ ...(field ? { field } : {}), ...(locale ? { locale } : {}) }).toString();
  return {
    contentType: decodeURIComponent(match[1]),
    documentId: decodeURIComponent(match[2]),
    field,
    locale,
    path: parsed.pathname,
    search: search ? `?${search}` : '',
  };
};

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
  const addressOf = (ctx: Context): DiagramAddress => ({
    contentType: String(ctx.params.contentType ?? ''),
    documentId: String(ctx.params.documentId ?? ''),
    field: queryString(ctx, 'field') ?? 'diagram',
    locale: queryString(ctx, 'locale'),
  });

  const resolve = async (ctx: Context, what: string, address = addressOf(ctx)): Promise<ResolvedDiagram | null> => {
    const embeds = getService(strapi, 'embeds');
    const located = await embeds.locate(address, mayRead(ctx));
    if (!located) throw new errors.NotFoundError(NOT_FOUND);
    const etag = await embeds.etag(located, what);
    const cacheHeaders = {
      ETag: etag,
      'Cache-Control': `public, max-age=${(await getService(strapi, 'settings').cached()).values.cacheMaxAge}`,
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

  /** Public base of absolute links: the configured public URL, else the request's own origin. */
  const publicBase = async (ctx: Context): Promise<string> => {
    const { values } = await getService(strapi, 'settings').cached();
    return values.publicUrl || ctx.origin;
  };

  const sendPage = async (ctx: Context, form: FormDescriptor, title: string, oembedUrl?: string) => {
    const { html, headers } = await getService(strapi, 'embeds').page(form, title, oembedUrl);
    ctx.remove('X-Frame-Options');
    ctx.set(headers);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = html;
  };

  return {
    async view(ctx: Context) {
      const diagram = await resolve(ctx, 'view');
      if (!diagram) return;
      const base = await publicBase(ctx);
      const oembedUrl = `${base}${OEMBED_PATH}?url=${encodeURIComponent(base + ctx.originalUrl)}`;
      await sendPage(ctx, await getService(strapi, 'embeds').viewForm(diagram), diagram.value.title, oembedUrl);
    },

    async export(ctx: Context) {
      const type = exportType(ctx);
      const diagram = await resolve(ctx, `export:${type}`);
      if (!diagram) return;
      await sendPage(ctx, await getService(strapi, 'embeds').exportForm(diagram, type), diagram.value.title);
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

    /**
     * GET /api/processon/oembed?url=<view URL>[&maxwidth=&maxheight=&format=json]: oEmbed (type
     * rich) for a view URL of this plugin, with the same permissions as the view itself.
     */
    async oembed(ctx: Context) {
      const format = queryString(ctx, 'format') ?? 'json';
      if (format !== 'json') {
        ctx.status = 501;
        ctx.body = { error: { status: 501, name: 'NotImplemented', message: 'Only the json format is available' } };
        return;
      }
      const target = parseViewUrl(queryString(ctx, 'url'), strapi.config.get<string>('api.rest.prefix', '/api'));
      if (!target) throw new errors.ValidationError('url must be a view URL of this plugin: …/processon/view/<type>/<documentId>');
      const dimension = (key: string, fallback: number): number => {
        const raw = queryString(ctx, key);
        if (raw === undefined) return fallback;
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 1) throw new errors.ValidationError(`${key} must be a positive integer`);
        return Math.min(n, fallback);
      };
      const width = dimension('maxwidth', OEMBED_WIDTH);
      const height = dimension('maxheight', OEMBED_HEIGHT);
      const diagram = await resolve(ctx, `oembed:${width}x${height}`, {
        contentType: target.contentType,
        documentId: target.documentId,
        field: target.field ?? 'diagram',
        locale: target.locale,
      });
      if (!diagram) return;
      const base = await publicBase(ctx);
      const src = `${base}${target.path}${target.search}`;
      ctx.body = {
        version: '1.0',
        type: 'rich',
        provider_name: 'ProcessOn',
        provider_url: 'https://www.processon.com',
        title: diagram.value.title,
        width,
        height,
        html: `<iframe src="${escapeHtml(src)}" width="${width}" height="${height}" title="${escapeHtml(diagram.value.title)}" style="border:0" loading="lazy"></iframe>`,
      };
    },
  };
};
