/** Parsing what ProcessOn pushes to callbackurl on each Save: `{chartid, def, size, valid}`. */
import { decodeDef } from './def';

export interface CallbackPush {
  chartid: string;
  def: string;
  /** KB; null when ProcessOn sent none or an unreadable one (the plugin then computes it). */
  size: number | null;
  valid: boolean;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Turns a raw body (already decoded by the body parser: an object for JSON, form and multipart; a
 * string for text/plain) into a record. A text body may hold JSON or a urlencoded form.
 */
export const bodyToRecord = (body: unknown): Record<string, unknown> | null => {
  if (isRecord(body)) return body;
  if (typeof body !== 'string') return null;
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return isRecord(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
  if (text.includes('=')) {
    const out: Record<string, unknown> = {};
    const params = new URLSearchParams(text);
    for (const key of new Set(params.keys())) {
      const values = params.getAll(key);
      out[key] = values.length === 1 ? values[0] : values; // a repeated field, as a form parser gives it
    }
    return out;
  }
  return null;
};


export const parseValid = (value: unknown): boolean | null => {
  const v = value;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return null;
};

/** Largest size (KB) taken from ProcessOn as reported (1 GB); anything else is computed from def. */
export const MAX_REPORTED_SIZE_KB = 1024 * 1024;

export const parseSize = (value: unknown): number | null => {
  const v = value;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d{1,12}(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= MAX_REPORTED_SIZE_KB ? n : null;
};

export const parseCallbackPush = (body: unknown): ParseResult<CallbackPush> => {
  const record = bodyToRecord(body);
  if (!record) return { ok: false, error: 'The body must be an object with chartid, def, size and valid' };
  // A field sent twice (or as `def[]=`) arrives as an array: not a string, refused like any other.
  const chartid = record.chartid;
  if (chartid === undefined || chartid === null || (typeof chartid === 'string' && chartid.trim() === '')) {
    return { ok: false, error: 'chartid is missing' };
  }
  if (typeof chartid !== 'string') return { ok: false, error: 'chartid must be a string' };
  const def = record.def;
  if (typeof def !== 'string') return { ok: false, error: 'def must be a string' };
  const validRaw = record.valid;
  let valid: boolean;
  if (validRaw === undefined || validRaw === null || validRaw === '') {
    // Not said: valid when the def can be read as a def (JSON text, or base64 of URI-encoded JSON).
    // It is stored either way (nothing is lost): a def ProcessOn sends is opaque.
    valid = decodeDef(def) !== null;
  } else {
    const parsed = parseValid(validRaw);
    if (parsed === null) return { ok: false, error: 'valid must be true or false' };
    valid = parsed;
  }
  if (valid && def.trim() === '') return { ok: false, error: 'def is empty while valid is true' };
  const size =
    record.size === undefined || record.size === null || record.size === ''
      ? null
      : parseSize(record.size);
  return { ok: true, value: { chartid: chartid.trim(), def, size, valid } };
};

/**
 * The save ProcessOn's editor posts to its parent window (`{def, chartid?, size?, valid?, ...}`),
 * reduced to the fields of a callback push; null when the message is not a save.
 */
export const saveFromEditorMessage = (
  data: unknown,
  chartid: string
): { chartid: string; def: string; size?: string | number; valid?: boolean | string } | null => {
  if (!isRecord(data) || typeof data.def !== 'string') return null;
  if (data.chartid !== undefined && data.chartid !== chartid) return null;
  const save: { chartid: string; def: string; size?: string | number; valid?: boolean | string } = {
    chartid,
    def: data.def,
  };
  if (typeof data.size === 'string' || typeof data.size === 'number') save.size = data.size;
  if (typeof data.valid === 'boolean' || typeof data.valid === 'string') save.valid = data.valid;
  return save;
};
