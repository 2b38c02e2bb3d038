import type { Category } from './categories';

/** Default ProcessOn API origin. */
export const DEFAULT_API_BASE_URL = 'https://api.processon.com';

/** The three documented endpoints, relative to the API base URL. */
export const ENDPOINTS = {
  edit: '/openapi/diagrams',
  view: '/openapi/diagrams/view',
  export: '/openapi/diagrams/export',
} as const;

export type Endpoint = keyof typeof ENDPOINTS;

export const EXPORT_TYPES = ['image', 'pdf'] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];
export const isExportType = (value: unknown): value is ExportType =>
  typeof value === 'string' && (EXPORT_TYPES as readonly string[]).includes(value);

/** Form fields of each endpoint, in the order of the doc; `required` as documented. */
export const FORM_FIELDS = {
  edit: {
    appkey: true,
    chartid: true,
    category: true,
    title: true,
    def: false,
    callbackurl: true,
    hidebtn: false,
  },
  view: { appkey: true, category: true, title: false, def: true },
  export: { appkey: true, chartid: true, category: true, title: true, def: true, type: true },
} as const;

export type FormFieldName<E extends Endpoint> = keyof (typeof FORM_FIELDS)[E];

/** A form ready to be posted by a browser: what the plugin answers as a "descriptor". */
export interface FormDescriptor<E extends Endpoint = Endpoint> {
  endpoint: E;
  action: string;
  method: 'POST';
  acceptCharset: 'UTF-8';
  fields: Record<FormFieldName<E> & string, string>;
}

/** Joins the API base URL (with or without a trailing slash / path prefix) and an endpoint path. */
export const endpointUrl = (apiBaseUrl: string, endpoint: Endpoint): string =>
  apiBaseUrl.replace(/\/+$/, '') + ENDPOINTS[endpoint];

export interface EditFormInput {
  apiBaseUrl: string;
  appkey: string;
  chartid: string;
  category: Category;
  title: string;
  def: string;
  callbackUrl: string;
  hidebtn: boolean;
}

export const buildEditForm = (input: EditFormInput): FormDescriptor<'edit'> => ({
  endpoint: 'edit',
  action: endpointUrl(input.apiBaseUrl, 'edit'),
  method: 'POST',
  acceptCharset: 'UTF-8',
  fields: {
    appkey: input.appkey,
    chartid: input.chartid,
    category: input.category,
    title: input.title,
    def: input.def,
    callbackurl: input.callbackUrl,
    hidebtn: input.hidebtn ? 'true' : 'false',
  },
});

export interface ViewFormInput {
  apiBaseUrl: string;
  appkey: string;
  category: Category;
  title: string;
  def: string;
}

export const buildViewForm = (input: ViewFormInput): FormDescriptor<'view'> => ({
  endpoint: 'view',
  action: endpointUrl(input.apiBaseUrl, 'view'),
  method: 'POST',
  acceptCharset: 'UTF-8',
  fields: { appkey: input.appkey, category: input.category, title: input.title, def: input.def },
});

export interface ExportFormInput extends ViewFormInput {
  chartid: string;
  type: ExportType;
}

export const buildExportForm = (input: ExportFormInput): FormDescriptor<'export'> => ({
  endpoint: 'export',
  action: endpointUrl(input.apiBaseUrl, 'export'),
  method: 'POST',
  acceptCharset: 'UTF-8',
  fields: {
    appkey: input.appkey,
    chartid: input.chartid,
    category: input.category,
    title: input.title,
    def: input.def,
    type: input.type,
  },
});

/** Origin (scheme://host[:port]) of a URL, or null when it is not an absolute http(s) URL. */
export const httpOrigin = (url: string): string | null => {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    return parsed.origin;
  } catch {
    return null;
  }
};
