import { createHash, randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import {
  FIELD_UID,
  buildExportForm,
  buildViewForm,
  escapeHtml,
  httpOrigin,
  isDiagramValue,
  renderAutoSubmitPage,
  type DiagramValue,
  type ExportType,
  type FormDescriptor,
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
}

export interface ResolvedDiagram extends LocatedDiagram {
  value: DiagramValue;
}

/** Builds the public view/export pages and descriptors of a published diagram. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const contentTypes = (): ContentTypeLike[] =>
    Object.values(strapi.contentTypes as unknown as Record<string, ContentTypeLike>).filter((ct) =>
      ct.uid.startsWith('api::')
    );

  const findContentType = (name: string): ContentTypeLike | null =>
    contentTypes().find((ct) => ct.uid === name || ct.info.pluralName === name) ?? null;

  return {
    /**
     * Where the published diagram at an address is, reading only the document's version (not the
     * def), or null: one answer for every "not there", including a content type the caller may not
     * read and a private field (no oracle).
     */
    async locate(address: DiagramAddress, mayRead: MayRead): Promise<LocatedDiagram | null> {
      const ct = findContentType(address.contentType);
      if (!ct || !(await mayRead(ct.uid))) return null;
      const walked = walkFieldPath((uid) => strapi.getModel(uid as never) as never, ct.uid, address.field);
      // A private field (or one inside a private component) never leaves the server through the
      // API: not through the embeds either.
      if (!walked || walked.attribute.customField !== FIELD_UID || walked.isPrivate) return null;
      const doc = (await strapi.documents(ct.uid as never).findOne({
        documentId: address.documentId,
        status: 'published',
        ...(address.locale ? { locale: address.locale } : {}),
        fields: ['updatedAt', 'publishedAt'],
      } as never)) as Record<string, unknown> | null;
      if (!doc) return null;
      return {
        uid: ct.uid,
        documentId: address.documentId,
        field: address.field,
        locale: typeof doc.locale === 'string' ? doc.locale : null,
        version: `${String(doc.updatedAt)}|${String(doc.publishedAt)}`,
        steps: walked.steps,
      };
    },

    /** The diagram itself (reads the def), or null when the field is empty. */
    async load(located: LocatedDiagram): Promise<ResolvedDiagram | null> {
      const doc = (await strapi.documents(located.uid as never).findOne({
        documentId: located.documentId,
        status: 'published',
        ...(located.locale ? { locale: located.locale } : {}),
        // The field itself when it is top level; else the component that holds it is populated.
        fields: located.steps.length === 1 ? [located.steps[0].key] : ['updatedAt'],
        populate: populateFor(located.steps),
      } as never)) as Record<string, unknown> | null;
      const value = valueAt(doc, located.steps);
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

    /** The HTML page that posts a form to ProcessOn, and the headers that must go with it. */
    async page(
      form: FormDescriptor,
      title: string,
      oembedUrl?: string
    ): Promise<{ html: string; headers: Record<string, string> }> {
      const nonce = randomBytes(16).toString('base64');
      const ancestors = (await getService(strapi, 'settings').cached()).values.frameAncestors;
      const formOrigin = httpOrigin(form.action) ?? "'none'";
      const csp = [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        `form-action ${formOrigin}`,
        `frame-ancestors ${ancestors.length ? ancestors.join(' ') : "'none'"}`,
        "base-uri 'none'",
      ].join('; ');
      const html = renderAutoSubmitPage(form, {
        title,
        nonce,
        submitLabel: form.endpoint === 'export' ? 'Download' : 'Open the diagram',
        headExtra: oembedUrl
          ? `<link rel="alternate" type="application/json+oembed" href="${escapeHtml(oembedUrl)}" title="${escapeHtml(title)}">`
          : undefined,
      });
      return {
        html,
        headers: {
          'Content-Security-Policy': csp,
          'Referrer-Policy': 'no-referrer',
          'X-Content-Type-Options': 'nosniff',
        },
      };
    },
  };
};
