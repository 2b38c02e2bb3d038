import { createHash, randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import {
  FIELD_UID,
  RENDERER_VERSION,
  buildExportForm,
  buildViewForm,
  escapeHtml,
  httpOrigin,
  isDiagramValue,
  renderAutoSubmitPage,
  renderDiagram,
  renderOutlinePage,
  type DiagramValue,
  type ExportType,
  type FormDescriptor,
  type RenderResult,
} from '../processon';
import { getService } from '../utils';
import { populateFor, valueAt, walkFieldPath, type PathStep } from '../utils/field-path';

interface AttributeLike {
  type: string;
  customField?: string;
  private?: boolean;
}

interface ContentTypeLike {
  uid: string;
  kind: 'collectionType' | 'singleType';
  info: { pluralName: string; singularName: string };
  attributes: Record<string, AttributeLike>;
}

/** Decides whether the caller may read a content type (its `find` action). */
export type MayRead = (uid: string) => Promise<boolean>;

/** What an embed descriptor describes: the view form, or the export form of one type. */
export type DescriptorKind = { kind: 'view' } | { kind: 'export'; type: ExportType };

/** The JSON descriptor of a form, as answered by the REST route and the GraphQL query. */
export interface EmbedDescriptor {
  action: string;
  method: 'POST';
  acceptCharset: 'UTF-8';
  fields: Record<string, string>;
}

interface AuthService {
  verify(auth: unknown, config: { scope: string[] }): Promise<void>;
}

export interface DiagramAddress {
  /** uid (api::article.article) or REST plural name (articles). */
  contentType: string;
  documentId: string;
  field: string;
  locale?: string;
}

export interface LocatedDiagram {
  uid: string;
  documentId: string;
  field: string;
  locale: string | null;
  /** What changes when the published document changes (updatedAt, publishedAt). */
  version: string;
  steps: PathStep[];
  /** The field's raw value, when it was read along with the version (see `locate`). */
  value?: unknown;
}

export interface ResolvedDiagram extends Omit<LocatedDiagram, 'value'> {
  value: DiagramValue;
}

/** Extra content of the view page: a readable outline, and the diagram as an image for browsers without JavaScript. */
export interface PageExtra {
  body?: string;
  noscript?: string;
  /** Origin the page's images come from (the SVG route). */
  imgOrigin?: string;
}

/**
 * Bytes of rendered pages one instance keeps: a cache that is only ever an
 * optimisation. Its keys hold the document version and every setting that goes into a page, so an
 * entry is never stale; another instance simply renders its own.
 */
const PAGE_CACHE_BYTES = 32 * 1024 * 1024;

/** Characters of drawings (SVG + outline) one instance keeps: like the page cache, only an optimisation. */
const DRAWING_CACHE_CHARS = 32 * 1024 * 1024;

interface CachedPage {
  /** The page in UTF-8, split where the nonce goes. */
  parts: Buffer[];
  formOrigin: string;
  imgOrigin: string | null;
  size: number;
}

/** Builds the public view/export pages and descriptors of a published diagram. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const contentTypes = (): ContentTypeLike[] =>
    Object.values(strapi.contentTypes as unknown as Record<string, ContentTypeLike>).filter((ct) =>
      ct.uid.startsWith('api::')
    );

  const findContentType = (name: string): ContentTypeLike | null =>
    contentTypes().find((ct) => ct.uid === name || ct.info.pluralName === name) ?? null;

  /** Drawings (SVG and outline) of this instance, least recently used first, bounded by DRAWING_CACHE_CHARS. */
  const drawings = new Map<string, { result: RenderResult; title: string }>();
  let drawingChars = 0;

  /** Rendered pages of this instance, least recently used first, bounded by PAGE_CACHE_BYTES. */
  const pages = new Map<string, CachedPage>();
  let pageBytes = 0;
  const remember = (key: string, entry: CachedPage) => {
    if (entry.size > PAGE_CACHE_BYTES / 4) return;
    pages.set(key, entry);
    pageBytes += entry.size;
    for (const [oldKey, old] of pages) {
      if (pageBytes <= PAGE_CACHE_BYTES) break;
      pages.delete(oldKey);
      pageBytes -= old.size;
    }
  };

  return {
    /**
     * Besides the embed action itself (checked by Strapi before the controller or resolver), the
     * caller's role, API token or user must be allowed to `find` the owning content type: the same
     * check Strapi makes for GET /api/<plural>, through the caller's own auth strategy.
     */
    mayReadFor(auth: unknown): MayRead {
      return async (uid) => {
        if (!auth) return false;
        try {
          await strapi.get<AuthService>('auth').verify(auth, { scope: [`${uid}.find`] });
          return true;
        } catch {
          return false;
        }
      };
    },

    /**
     * Where the published diagram at an address is, or null: one answer for every "not there",
     * including a content type the caller may not read and a private field (no oracle). With
     * `withValue` the same single read also brings the field's value (the 200 path); without, only
     * the document's version is read, never the def (the conditional path, which may end in a 304).
     */
    async locate(address: DiagramAddress, mayRead: MayRead, options: { withValue?: boolean } = {}): Promise<LocatedDiagram | null> {
      const ct = findContentType(address.contentType);
      if (!ct || !(await mayRead(ct.uid))) return null;
      const walked = walkFieldPath((uid) => strapi.getModel(uid as never) as never, ct.uid, address.field);
      // A private field (or one inside a private component) never leaves the server through the
      // API: not through the embeds either.
      if (!walked || walked.attribute.customField !== FIELD_UID || walked.isPrivate) return null;
      const steps = walked.steps;
      const topLevel = steps.length === 1;
      const doc = (await strapi.documents(ct.uid as never).findOne({
        documentId: address.documentId,
        status: 'published',
        ...(address.locale ? { locale: address.locale } : {}),
        fields: options.withValue && topLevel ? ['updatedAt', 'publishedAt', steps[0].key] : ['updatedAt', 'publishedAt'],
        ...(options.withValue && !topLevel ? { populate: populateFor(steps) } : {}),
      } as never)) as Record<string, unknown> | null;
      if (!doc) return null;
      const located: LocatedDiagram = {
        uid: ct.uid,
        documentId: address.documentId,
        field: address.field,
        // The locale asked for; else the one the Document Service chose (the default locale).
        locale: address.locale ?? (typeof doc.locale === 'string' ? doc.locale : null),
        version: `${String(doc.updatedAt)}|${String(doc.publishedAt)}`,
        steps,
      };
      if (options.withValue) located.value = valueAt(doc, steps);
      return located;
    },

    /** The diagram itself (reads the def unless `locate` brought it), or null when the field is empty. */
    async load(located: LocatedDiagram): Promise<ResolvedDiagram | null> {
      let value = located.value;
      if (!('value' in located)) {
        const doc = (await strapi.documents(located.uid as never).findOne({
          documentId: located.documentId,
          status: 'published',
          ...(located.locale ? { locale: located.locale } : {}),
          // The field itself when it is top level; else the component that holds it is populated.
          fields: located.steps.length === 1 ? [located.steps[0].key] : ['updatedAt'],
          populate: populateFor(located.steps),
        } as never)) as Record<string, unknown> | null;
        value = valueAt(doc, located.steps);
      }
      if (!isDiagramValue(value) || value.def === '') return null;
      return { ...located, value };
    },

    /**
     * A weak ETag (the page's CSP nonce differs per answer) from everything that determines an answer: the document version, locale, field,
     * what is asked (view/export/descriptor, type), and the settings that go into the form or headers.
     */
    async etag(located: LocatedDiagram, what: string): Promise<string> {
      const { values } = await getService(strapi, 'settings').cached();
      const hash = createHash('sha256')
        .update(
          JSON.stringify([
            located.uid,
            located.documentId,
            located.locale,
            located.field,
            located.version,
            what,
            values.appkey,
            values.apiBaseUrl,
            values.frameAncestors,
            values.cacheMaxAge,
          ])
        )
        .digest('base64url')
        .slice(0, 32);
      return `W/"${hash}"`;
    },

    /** The descriptor of the view or export form of a diagram. */
    async descriptor(diagram: ResolvedDiagram, what: DescriptorKind): Promise<EmbedDescriptor> {
      const self = getService(strapi, 'embeds');
      const form = what.kind === 'export' ? await self.exportForm(diagram, what.type) : await self.viewForm(diagram);
      return { action: form.action, method: form.method, acceptCharset: form.acceptCharset, fields: form.fields };
    },

    async viewForm(diagram: ResolvedDiagram): Promise<FormDescriptor<'view'>> {
      const { values } = await getService(strapi, 'settings').cached();
      return buildViewForm({
        apiBaseUrl: values.apiBaseUrl,
        appkey: values.appkey,
        category: diagram.value.category,
        title: diagram.value.title,
        def: diagram.value.def,
      });
    },

    async exportForm(diagram: ResolvedDiagram, type: ExportType): Promise<FormDescriptor<'export'>> {
      const { values } = await getService(strapi, 'settings').cached();
      return buildExportForm({
        apiBaseUrl: values.apiBaseUrl,
        appkey: values.appkey,
        chartid: diagram.value.chartid,
        category: diagram.value.category,
        title: diagram.value.title,
        def: diagram.value.def,
        type,
      });
    },

    /**
     * The HTML page that posts a form to ProcessOn, and the headers that must go with it, with a
     * fresh CSP nonce for every answer. `key` names everything the page depends on (the ETag and the
     * oEmbed link): a page already rendered under that key is served from this instance's cache
     * (bounded, safe to lose) without reading the def again; `make` loads what to render, or null.
     */
    async page(
      key: string,
      make: () => Promise<{ form: FormDescriptor; title: string; oembedUrl?: string; extra?: PageExtra } | null>
    ): Promise<{ chunks: Buffer[]; length: number; headers: Record<string, string> } | null> {
      let entry = pages.get(key);
      if (entry) {
        pages.delete(key);
        pages.set(key, entry);
      } else {
        const made = await make();
        if (!made) return null;
        const { form, title, oembedUrl, extra } = made;
        // Rendered once with a random marker where the nonce goes; each answer fills in its own.
        const marker = randomBytes(18).toString('base64url');
        const html = renderAutoSubmitPage(form, {
          bodyExtra: extra?.body,
          noscriptExtra: extra?.noscript,
          title,
          nonce: marker,
          submitLabel: form.endpoint === 'export' ? 'Download' : 'Open the diagram',
          headExtra: oembedUrl
            ? `<link rel="alternate" type="application/json+oembed" href="${escapeHtml(oembedUrl)}" title="${escapeHtml(title)}">`
            : undefined,
        });
        const parts = html.split(marker).map((part) => Buffer.from(part, 'utf8'));
        entry = {
          parts,
          formOrigin: httpOrigin(form.action) ?? "'none'",
          imgOrigin: extra?.imgOrigin ?? null,
          size: parts.reduce((n, b) => n + b.length, 0),
        };
        remember(key, entry);
      }
      const nonce = randomBytes(16).toString('base64');
      const nonceBytes = Buffer.from(nonce, 'latin1');
      const ancestors = (await getService(strapi, 'settings').cached()).values.frameAncestors;
      const csp = [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        `form-action ${entry.formOrigin}`,
        ...(entry.imgOrigin ? [`img-src ${entry.imgOrigin}`] : []),
        `frame-ancestors ${ancestors.length ? ancestors.join(' ') : "'none'"}`,
        "base-uri 'none'",
      ].join('; ');
      return {
        // Already UTF-8, and never copied: the answer is the cached parts with this answer's nonce
        // between them, written as they are.
        chunks: entry.parts.flatMap((part, i) => (i === 0 ? [part] : [nonceBytes, part])),
        length: entry.size + (entry.parts.length - 1) * nonceBytes.length,
        headers: {
          'Content-Security-Policy': csp,
          'Referrer-Policy': 'no-referrer',
          'X-Content-Type-Options': 'nosniff',
        },
      };
    },

    /**
     * The diagram at a located address drawn by the static renderer, from this instance's cache of
     * drawings (bounded, safe to lose; keyed by the document version and what the renderer depends
     * on, so never stale): a hit reads nothing from the database and draws nothing. Null when the
     * field is empty. Give the diagram itself when it was read already.
     */
    async drawing(located: LocatedDiagram | ResolvedDiagram): Promise<{ result: RenderResult; title: string } | null> {
      const self = getService(strapi, 'embeds');
      const key = JSON.stringify([located.uid, located.documentId, located.locale, located.field, located.version, self.renderKey()]);
      const hit = drawings.get(key);
      if (hit) {
        drawings.delete(key);
        drawings.set(key, hit);
        return hit;
      }
      const diagram = isDiagramValue(located.value) ? (located as ResolvedDiagram) : await self.load(located);
      if (!diagram) return null;
      const entry = { result: self.render(diagram), title: diagram.value.title };
      const size = entry.result.ok ? entry.result.svg.length + entry.result.outline.length : 0;
      if (size <= DRAWING_CACHE_CHARS / 4) {
        drawings.set(key, entry);
        drawingChars += size;
        for (const [oldKey, old] of drawings) {
          if (drawingChars <= DRAWING_CACHE_CHARS) break;
          drawings.delete(oldKey);
          drawingChars -= old.result.ok ? old.result.svg.length + old.result.outline.length : 0;
        }
      }
      return entry;
    },

    /** The diagram drawn by the static renderer (SVG and outline), with the allowed image hosts. */
    render(diagram: ResolvedDiagram): RenderResult {
      return renderDiagram(diagram.value.def, diagram.value.category, {
        title: diagram.value.title,
        allowedImageHosts: getService(strapi, 'settings').renderImageHosts(),
      });
    },

    /** What a rendering depends on besides the document: the renderer's version and the allowed image hosts (for ETags). */
    renderKey(): string {
      return `r${RENDERER_VERSION}:${getService(strapi, 'settings').renderImageHosts().join(',')}`;
    },

    /**
     * Headers of an SVG answer: a CSP that allows nothing but the SVG's inline styles (and images of
     * the allowed hosts), no sniffing, loadable as an <img> from any origin.
     */
    async svgHeaders(): Promise<Record<string, string>> {
      const settings = getService(strapi, 'settings');
      const hosts = settings.renderImageHosts();
      const ancestors = (await settings.cached()).values.frameAncestors;
      const csp = [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        ...(hosts.length ? [`img-src ${hosts.flatMap((h) => [`https://${h}`, `http://${h}`]).join(' ')}`] : []),
        `frame-ancestors ${ancestors.length ? ancestors.join(' ') : "'none'"}`,
        "base-uri 'none'",
        "form-action 'none'",
      ].join('; ');
      return {
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'Referrer-Policy': 'no-referrer',
      };
    },

    /** The outline answer: a readable page (title, SVG, outline) or the bare fragment, with its headers. */
    async outline(
      title: string,
      outline: string,
      format: 'html' | 'fragment',
      svgUrl: string
    ): Promise<{ html: string; headers: Record<string, string> }> {
      const ancestors = (await getService(strapi, 'settings').cached()).values.frameAncestors;
      const nonce = randomBytes(16).toString('base64');
      const imgOrigin = httpOrigin(svgUrl);
      const csp = [
        "default-src 'none'",
        ...(format === 'html' ? [`style-src 'nonce-${nonce}'`, ...(imgOrigin ? [`img-src ${imgOrigin}`] : [])] : []),
        `frame-ancestors ${ancestors.length ? ancestors.join(' ') : "'none'"}`,
        "base-uri 'none'",
        "form-action 'none'",
      ].join('; ');
      const html = format === 'fragment' ? outline : renderOutlinePage({ title, nonce, outline, svgUrl });
      return {
        html,
        headers: { 'Content-Security-Policy': csp, 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' },
      };
    },

    /** Empties this instance's page and drawing caches (tests; a settings change also changes every key). */
    forgetPages(): void {
      pages.clear();
      pageBytes = 0;
      drawings.clear();
      drawingChars = 0;
    },
  };
};
