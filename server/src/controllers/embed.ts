import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { Readable } from 'node:stream';
import type { Context } from 'koa';
import { escapeHtml, isExportType, type ExportType, type FormDescriptor, type RenderResult } from '../processon';
import { getService } from '../utils';
import type { DiagramAddress, LocatedDiagram, PageExtra, ResolvedDiagram } from '../services/embeds';

export const NOT_FOUND = 'No published ProcessOn diagram at this address';

export const OEMBED_PATH = '/api/processon/oembed';
const OEMBED_WIDTH = 800;
const OEMBED_HEIGHT = 480;

/** The base a view URL given as a path is read against (never a real origin). */
const PATH_BASE = 'http://placeholder.invalid';

/** Reads a view URL of this plugin (absolute or path): what to embed, or null. */
export const parseViewUrl = (
  url: string | undefined,
  restPrefix: string
): {
  contentType: string;
  documentId: string;
  field?: string;
  locale?: string;
  path: string;
  search: string;
  /** The URL's origin, null for a path. */
  origin: string | null;
} | null => {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url, PATH_BASE);
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
  let contentType: string;
  let documentId: string;
  try {
    contentType = decodeURIComponent(match[1]);
    documentId = decodeURIComponent(match[2]);
  } catch {
    return null; // bad percent-encoding
  }
  return {
    contentType,
    documentId,
    field,
    locale,
    path: parsed.pathname,
    search: search ? `?${search}` : '',
    origin: parsed.origin === PATH_BASE ? null : parsed.origin,
  };
};

/**
 * Path of a static rendering of a diagram, addressed like its view page:
 * `<prefix>/processon/svg/<type>/<documentId>.svg?field=…[&locale=…]` or `…/outline/<type>/<documentId>?…`.
 */
export const renderingPath = (restPrefix: string, kind: 'svg' | 'outline', address: DiagramAddress): string => {
  const query = new URLSearchParams({ field: address.field, ...(address.locale ? { locale: address.locale } : {}) });
  const id = `${encodeURIComponent(address.documentId)}${kind === 'svg' ? '.svg' : ''}`;
  return `${restPrefix.replace(/\/+$/, '')}/processon/${kind}/${encodeURIComponent(address.contentType)}/${id}?${query}`;
};

/** A single query parameter; a repeated or nested one (`type[]=pdf`) is a 400, not ignored. */
const queryString = (ctx: Context, key: string): string | undefined => {
  const value = ctx.query[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new errors.ValidationError(`${key} must be given once, as a plain value`);
  return value;
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const addressOf = (ctx: Context): DiagramAddress => ({
    contentType: String(ctx.params.contentType ?? ''),
    documentId: String(ctx.params.documentId ?? ''),
    field: queryString(ctx, 'field') ?? 'diagram',
    locale: queryString(ctx, 'locale'),
  });

  /**
   * Finds the diagram without reading its def and sets the caching headers of every 200/304 answer:
   * null when a matching If-None-Match was answered 304.
   */
  const locate = async (ctx: Context, what: string, address = addressOf(ctx)): Promise<{ located: LocatedDiagram; etag: string } | null> => {
    const embeds = getService(strapi, 'embeds');
    const located = await embeds.locate(address, embeds.mayReadFor((ctx.state as { auth?: unknown }).auth));
    if (!located) throw new errors.NotFoundError(NOT_FOUND);
    const etag = await embeds.etag(located, what);
    const { cacheMaxAge } = (await getService(strapi, 'settings').cached()).values;
    ctx.set({ ETag: etag, 'Cache-Control': `public, max-age=${cacheMaxAge}` });
    // The answer depends on who asks (their permissions) and on the encoding; Strapi's own Vary
    // (Origin, from strapi::cors) stays.
    ctx.vary('Authorization');
    ctx.vary('Accept-Encoding');
    // `*` is not honoured: it would answer 304 for a document whose diagram turns out empty (404).
    const ifNoneMatch = ctx.get('If-None-Match');
    const bare = (tag: string) => tag.trim().replace(/^W\//, '');
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => bare(tag) === bare(etag))) {
      ctx.status = 304;
      // A browser merges a 304's headers into the response it keeps: Strapi's own CSP
      // (frame-ancestors 'self', no nonce of the kept page) and X-Frame-Options would replace the
      // page's and break every framed embed at its first revalidation. The kept ones stay right.
      ctx.remove('Content-Security-Policy');
      ctx.remove('X-Frame-Options');
      return null;
    }
    return { located, etag };
  };

  /** A located document whose diagram is empty after all: the 404, without the caching headers. */
  const notFound = (ctx: Context): never => {
    ctx.remove('ETag');
    ctx.remove('Cache-Control');
    throw new errors.NotFoundError(NOT_FOUND);
  };

  /** Like `locate`, then reads the diagram itself. */
  const resolve = async (ctx: Context, what: string, address = addressOf(ctx)): Promise<ResolvedDiagram | null> => {
    const found = await locate(ctx, what, address);
    if (!found) return null;
    return (await getService(strapi, 'embeds').load(found.located)) ?? notFound(ctx);
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

  /**
   * Answers the page of a form: rendered once per ETag (`what` names all it depends on), then
   * cached, with what `extra` adds (the view's outline and noscript image, drawn once too).
   */
  const sendPage = async (
    ctx: Context,
    what: string,
    form: (diagram: ResolvedDiagram) => Promise<FormDescriptor>,
    oembedUrl?: string,
    extra?: (diagram: ResolvedDiagram) => Promise<PageExtra | undefined>
  ) => {
    const found = await locate(ctx, what);
    if (!found) return;
    const embeds = getService(strapi, 'embeds');
    const page = await embeds.page(found.etag, async () => {
      const diagram = await embeds.load(found.located);
      if (!diagram) return null;
      return { form: await form(diagram), title: diagram.value.title, oembedUrl, extra: await extra?.(diagram) };
    });
    if (!page) return notFound(ctx);
    ctx.remove('X-Frame-Options');
    ctx.set(page.headers);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = Readable.from(page.chunks, { objectMode: false });
    ctx.length = page.length;
  };

  // Static renderings (SVG and outline), drawn by the pure renderer from the stored def.

  const renderingUrl = async (ctx: Context, kind: 'svg' | 'outline', address: DiagramAddress): Promise<string> =>
    `${await publicBase(ctx)}${renderingPath(strapi.config.get<string>('api.rest.prefix', '/api'), kind, address)}`;

  /** The drawing's result when it could be drawn; else a 422 with the reason (and null). */
  const drawnOrRefused = (ctx: Context, result: RenderResult): Extract<RenderResult, { ok: true }> | null => {
    if (result.ok) return result;
    ctx.remove('ETag');
    ctx.remove('Cache-Control');
    ctx.status = 422;
    ctx.body = { data: null, error: { status: 422, name: 'UnprocessableEntityError', message: `The diagram cannot be drawn: ${result.error}`, details: {} } };
    return null;
  };

  /** Whether the caller may load the SVG route (so that pages link to it only then). */
  const maySvg = async (ctx: Context): Promise<boolean> => {
    const auth = (ctx.state as { auth?: unknown }).auth;
    if (!auth) return false;
    try {
      await strapi.get<{ verify(auth: unknown, config: { scope: string[] }): Promise<void> }>('auth').verify(auth, {
        scope: ['plugin::processon.embed.svg'],
      });
      return true;
    } catch {
      return false;
    }
  };

  /**
   * The view page's readable outline, and (for callers who may load it) the SVG in its <noscript>;
   * nothing when the def cannot be drawn.
   */
  const viewExtra = async (ctx: Context, diagram: ResolvedDiagram, withImage: boolean): Promise<PageExtra | undefined> => {
    const drawing = await getService(strapi, 'embeds').drawing(diagram);
    if (!drawing?.result.ok) return undefined;
    const { outline, stats } = drawing.result;
    if (!withImage) return { body: `<main>${outline}</main>` };
    const svgUrl = await renderingUrl(ctx, 'svg', addressOf(ctx));
    return {
      body: `<main>${outline}</main>`,
      noscript: `<p><img class="processon-diagram" src="${escapeHtml(svgUrl)}" alt="${escapeHtml(diagram.value.title)}" width="${stats.width}" height="${stats.height}"></p>`,
      imgOrigin: new URL(svgUrl).origin,
    };
  };

  /**
   * oEmbed thumbnail: the SVG route, its size fitted in the embed's box; nothing when the def cannot
   * be drawn or the caller may not load the SVG.
   */
  const thumbnail = async (ctx: Context, diagram: ResolvedDiagram, address: DiagramAddress, width: number, height: number) => {
    if (!(await maySvg(ctx))) return {};
    const drawing = await getService(strapi, 'embeds').drawing(diagram);
    if (!drawing?.result.ok) return {};
    const { stats } = drawing.result;
    const scale = Math.min(1, width / stats.width, height / stats.height);
    return {
      thumbnail_url: await renderingUrl(ctx, 'svg', address),
      thumbnail_width: Math.max(1, Math.round(stats.width * scale)),
      thumbnail_height: Math.max(1, Math.round(stats.height * scale)),
    };
  };

  return {
    async view(ctx: Context) {
      const address = addressOf(ctx);
      const base = await publicBase(ctx);
      // The view URL in its canonical form (no other query parameters), as the oEmbed `url`.
      const search = new URLSearchParams({ field: address.field, ...(address.locale ? { locale: address.locale } : {}) });
      const viewUrl = `${base}${ctx.path}?${search.toString()}`;
      const oembedUrl = `${base}${OEMBED_PATH}?url=${encodeURIComponent(viewUrl)}`;
      // The page links to its oEmbed URL and holds the static rendering: both are part of what the ETag names.
      const embeds = getService(strapi, 'embeds');
      const withImage = await maySvg(ctx);
      await sendPage(
        ctx,
        `view|${oembedUrl}|${embeds.renderKey()}|${withImage ? 'img' : ''}`,
        (diagram) => embeds.viewForm(diagram),
        oembedUrl,
        (diagram) => viewExtra(ctx, diagram, withImage)
      );
    },

    /** GET /api/processon/svg/<type>/<documentId>.svg: the diagram drawn as SVG (image/svg+xml, strict CSP). */
    async svg(ctx: Context) {
      const embeds = getService(strapi, 'embeds');
      const found = await locate(ctx, `svg:${embeds.renderKey()}`);
      if (!found) return;
      const drawing = await embeds.drawing(found.located);
      if (!drawing) return notFound(ctx);
      const result = drawnOrRefused(ctx, drawing.result);
      if (!result) return;
      ctx.remove('X-Frame-Options');
      ctx.set(await embeds.svgHeaders());
      ctx.type = 'image/svg+xml; charset=utf-8';
      ctx.body = result.svg;
    },

    /** GET /api/processon/outline/<type>/<documentId>[?format=fragment]: the diagram's text as an HTML page (or fragment). */
    async outline(ctx: Context) {
      const format = queryString(ctx, 'format') ?? 'html';
      if (format !== 'html' && format !== 'fragment') throw new errors.ValidationError('format must be "html" or "fragment"');
      const embeds = getService(strapi, 'embeds');
      // The page links to the SVG route on the public base: part of what the ETag names.
      const svgUrl = await renderingUrl(ctx, 'svg', addressOf(ctx));
      const found = await locate(ctx, `outline:${format}:${embeds.renderKey()}|${svgUrl}`);
      if (!found) return;
      const drawing = await embeds.drawing(found.located);
      if (!drawing) return notFound(ctx);
      const result = drawnOrRefused(ctx, drawing.result);
      if (!result) return;
      const { html, headers } = await embeds.outline(drawing.title, result.outline, format, svgUrl);
      ctx.remove('X-Frame-Options');
      ctx.set(headers);
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = html;
    },

    async export(ctx: Context) {
      const type = exportType(ctx);
      await sendPage(ctx, `export:${type}`, (diagram) => getService(strapi, 'embeds').exportForm(diagram, type));
    },

    /** JSON descriptor `{action, method, fields}` of the view (default) or export form. */
    async descriptor(ctx: Context) {
      const kind = queryString(ctx, 'kind') ?? 'view';
      if (kind !== 'view' && kind !== 'export') throw new errors.ValidationError('kind must be "view" or "export"');
      const type = kind === 'export' ? exportType(ctx) : undefined;
      const diagram = await resolve(ctx, `descriptor:${kind}:${type ?? ''}`);
      if (!diagram) return;
      const what = type ? { kind: 'export' as const, type } : { kind: 'view' as const };
      ctx.body = { data: await getService(strapi, 'embeds').descriptor(diagram, what) };
    },

    /**
     * GET /api/processon/oembed?url=<view URL>[&maxwidth=&maxheight=&format=json]: oEmbed (type
     * rich) for a view URL of this plugin, with the same permissions as the view itself.
     */
    async oembed(ctx: Context) {
      const format = queryString(ctx, 'format') ?? 'json';
      if (format !== 'json') throw new errors.NotImplementedError('Only the json format is available');
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
      const address: DiagramAddress = {
        contentType: target.contentType,
        documentId: target.documentId,
        field: target.field ?? 'diagram',
        locale: target.locale,
      };
      const base = await publicBase(ctx);
      // A view URL of this site only: on its public URL, or the address it was asked on.
      const site = new URL(base).origin;
      if (target.origin !== null && target.origin !== site && target.origin !== ctx.origin) {
        throw new errors.NotFoundError(`url is not on this site (${site})`);
      }
      // The answer holds links on the public base, and a thumbnail only for callers who may load it.
      const what = `oembed:${width}x${height}:${getService(strapi, 'embeds').renderKey()}|${base}|${(await maySvg(ctx)) ? 'img' : ''}`;
      const diagram = await resolve(ctx, what, address);
      if (!diagram) return;
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
        ...(await thumbnail(ctx, diagram, address, width, height)),
      };
    },
  };
};
