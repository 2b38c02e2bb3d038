/**
 * Reads and checks the form posted to each documented endpoint. Order: the appkey first (4000, 4006),
 * then the calling page (view/export), the plain parameters (4005), callbackurl (4001, 4003), def (4002).
 * The quota (4004) is the server's last check, as only an editor that really opens consumes a session.
 */
import { isCategory, CATEGORIES, type Category } from '../../server/src/processon/categories';
import type { ErrorCode } from '../../server/src/processon/errors';
import { isExportType, EXPORT_TYPES, type ExportType } from '../../server/src/processon/forms';
import { readDef, type JsonObject } from './diagram';
import { hostMatchesDomains, httpHostname } from './domains';
import type { AppkeyConfig, SimulatorState } from './state';

export interface SimError {
  code: ErrorCode;
  /** What exactly was wrong (English, for developers). */
  detail: string;
  /** HTTP status when it differs from the code's usual one. */
  status?: number;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: SimError };

const fail = (code: ErrorCode, detail: string, status?: number): { ok: false; error: SimError } => ({
  ok: false,
  error: status === undefined ? { code, detail } : { code, detail, status },
});

export type Fields = Record<string, unknown>;

/** A posted value quoted for an error detail (cut short; the page escapes it). */
const quote = (value: string): string => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

type FieldValue = { kind: 'absent' } | { kind: 'bad' } | { kind: 'value'; value: string };

/**
 * One posted field. Forms give strings (an array when a name is sent twice, which is refused);
 * JSON bodies may also give numbers and booleans, taken as their text.
 */
const readField = (fields: Fields, name: string): FieldValue => {
  if (!Object.prototype.hasOwnProperty.call(fields, name)) return { kind: 'absent' };
  let value = fields[name];
  if (Array.isArray(value) && value.length === 1) value = value[0] as unknown;
  if (value === undefined || value === null) return { kind: 'absent' };
  if (typeof value === 'string') return { kind: 'value', value };
  if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'value', value: String(value) };
  return { kind: 'bad' };
};

const requiredText = (fields: Fields, name: string): Checked<string> => {
  const field = readField(fields, name);
  if (field.kind === 'bad') return fail(4005, `${name} must be a single text value`);
  if (field.kind === 'absent' || field.value.trim() === '') return fail(4005, `${name} is required`);
  return { ok: true, value: field.value };
};

const optionalText = (fields: Fields, name: string): Checked<string | null> => {
  const field = readField(fields, name);
  if (field.kind === 'bad') return fail(4005, `${name} must be a single text value`);
  if (field.kind === 'absent' || field.value.trim() === '') return { ok: true, value: null };
  return { ok: true, value: field.value };
};

const checkAppkey = (fields: Fields, state: SimulatorState): Checked<AppkeyConfig> => {
  const field = readField(fields, 'appkey');
  if (field.kind !== 'value' || field.value.trim() === '') return fail(4000, 'appkey is missing');
  const config = state.getAppkey(field.value);
  if (!config) return fail(4000, 'appkey is not registered');
  if (!config.active) return fail(4006, 'the account of this appkey is not active');
  return { ok: true, value: config };
};

const checkCategory = (fields: Fields): Checked<Category> => {
  const category = requiredText(fields, 'category');
  if (!category.ok) return category;
  if (!isCategory(category.value)) {
    return fail(4005, `category ${quote(category.value)} is not one of ${CATEGORIES.join(', ')}`);
  }
  return { ok: true, value: category.value };
};

export interface RequestHeaders {
  origin?: string;
  referer?: string;
}

/**
 * The page that posted a view/export form, from Origin (or else Referer), must lie on a registered
 * domain. `Origin: null` (sent by browsers for opaque origins and under `Referrer-Policy: no-referrer`)
 * names no page and counts as absent.
 */
const checkCaller = (headers: RequestHeaders, config: AppkeyConfig): Checked<null> => {
  const origin = headers.origin?.trim();
  const referer = headers.referer?.trim();
  const source = origin && origin !== 'null' ? origin : referer || undefined;
  if (source === undefined) return { ok: true, value: null };
  const host = httpHostname(source);
  if (host === null || !hostMatchesDomains(host, config.domains)) {
    return fail(4005, 'the calling page is not on a domain registered with the appkey');
  }
  return { ok: true, value: null };
};

const MAX_URL_LENGTH = 4096;

const checkCallbackUrl = (fields: Fields, config: AppkeyConfig): Checked<string> => {
  const field = readField(fields, 'callbackurl');
  if (field.kind !== 'value' || field.value.trim() === '') return fail(4001, 'callbackurl is missing');
  const url = field.value.trim();
  if (url.length > MAX_URL_LENGTH) return fail(4001, 'callbackurl is too long');
  const host = httpHostname(url);
  if (host === null) return fail(4001, 'callbackurl must be an absolute http(s) URL');
  if (!hostMatchesDomains(host, config.domains)) {
    return fail(4003, `callbackurl host "${host}" is not a domain registered with the appkey`);
  }
  return { ok: true, value: url };
};

const readDefField = (fields: Fields): Checked<string> => {
  const field = readField(fields, 'def');
  if (field.kind === 'bad') return fail(4002, 'def must be a single text value');
  return { ok: true, value: field.kind === 'value' ? field.value : '' };
};

/** def of view/export: required, and it must decode to a JSON object. */
const checkRequiredDef = (fields: Fields): Checked<{ def: string; doc: JsonObject }> => {
  const def = readDefField(fields);
  if (!def.ok) return def;
  if (def.value.trim() === '') return fail(4002, 'def is required');
  const reading = readDef(def.value);
  if (!reading.ok) return fail(4002, reading.reason);
  return { ok: true, value: { def: def.value, doc: reading.doc } };
};

/** def of the editor: empty (or blank) opens a new diagram; otherwise it must decode to a JSON object. */
const checkEditDef = (fields: Fields): Checked<{ def: string; doc: JsonObject | null }> => {
  const def = readDefField(fields);
  if (!def.ok) return def;
  if (def.value.trim() === '') return { ok: true, value: { def: '', doc: null } };
  return checkRequiredDef(fields);
};

export interface EditRequest {
  appkey: AppkeyConfig;
  chartid: string;
  category: Category;
  title: string;
  def: string;
  /** The decoded def; null for a new diagram. */
  doc: JsonObject | null;
  callbackurl: string;
  hidebtn: boolean;
}

export const checkEditRequest = (fields: Fields, state: SimulatorState): Checked<EditRequest> => {
  const appkey = checkAppkey(fields, state);
  if (!appkey.ok) return appkey;
  const chartid = requiredText(fields, 'chartid');
  if (!chartid.ok) return chartid;
  const category = checkCategory(fields);
  if (!category.ok) return category;
  const title = requiredText(fields, 'title');
  if (!title.ok) return title;
  const hidebtnField = readField(fields, 'hidebtn');
  if (hidebtnField.kind === 'bad') return fail(4005, 'hidebtn must be "true" or "false"');
  const hidebtnText = hidebtnField.kind === 'value' ? hidebtnField.value : '';
  if (hidebtnText !== '' && hidebtnText !== 'true' && hidebtnText !== 'false') {
    return fail(4005, `hidebtn ${quote(hidebtnText)} is neither "true" nor "false"`);
  }
  const callbackurl = checkCallbackUrl(fields, appkey.value);
  if (!callbackurl.ok) return callbackurl;
  const def = checkEditDef(fields);
  if (!def.ok) return def;
  return {
    ok: true,
    value: {
      appkey: appkey.value,
      chartid: chartid.value,
      category: category.value,
      title: title.value,
      def: def.value.def,
      doc: def.value.doc,
      callbackurl: callbackurl.value,
      hidebtn: hidebtnText === 'true',
    },
  };
};

export interface ViewRequest {
  appkey: AppkeyConfig;
  category: Category;
  /** Optional for view. */
  title: string | null;
  def: string;
  doc: JsonObject;
}

export const checkViewRequest = (
  fields: Fields,
  headers: RequestHeaders,
  state: SimulatorState
): Checked<ViewRequest> => {
  const appkey = checkAppkey(fields, state);
  if (!appkey.ok) return appkey;
  const caller = checkCaller(headers, appkey.value);
  if (!caller.ok) return caller;
  const category = checkCategory(fields);
  if (!category.ok) return category;
  const title = optionalText(fields, 'title');
  if (!title.ok) return title;
  const def = checkRequiredDef(fields);
  if (!def.ok) return def;
  return {
    ok: true,
    value: {
      appkey: appkey.value,
      category: category.value,
      title: title.value,
      def: def.value.def,
      doc: def.value.doc,
    },
  };
};

export interface ExportRequest {
  appkey: AppkeyConfig;
  chartid: string;
  category: Category;
  title: string;
  def: string;
  doc: JsonObject;
  type: ExportType;
}

export const checkExportRequest = (
  fields: Fields,
  headers: RequestHeaders,
  state: SimulatorState
): Checked<ExportRequest> => {
  const appkey = checkAppkey(fields, state);
  if (!appkey.ok) return appkey;
  const caller = checkCaller(headers, appkey.value);
  if (!caller.ok) return caller;
  const chartid = requiredText(fields, 'chartid');
  if (!chartid.ok) return chartid;
  const category = checkCategory(fields);
  if (!category.ok) return category;
  const title = requiredText(fields, 'title');
  if (!title.ok) return title;
  const type = requiredText(fields, 'type');
  if (!type.ok) return type;
  if (!isExportType(type.value)) return fail(4005, `type ${quote(type.value)} is not one of ${EXPORT_TYPES.join(', ')}`);
  const def = checkRequiredDef(fields);
  if (!def.ok) return def;
  return {
    ok: true,
    value: {
      appkey: appkey.value,
      chartid: chartid.value,
      category: category.value,
      title: title.value,
      def: def.value.def,
      doc: def.value.doc,
      type: type.value,
    },
  };
};
