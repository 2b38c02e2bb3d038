/**
 * The plugin's settings: their keys, defaults, limits and validation rules, shared by the server
 * (config validator, env parsing, PUT /processon/settings) and the admin (Settings page, which
 * shows the same problems next to each field, in the user's language, before sending anything).
 */
import { CATEGORIES, isCategory, type Category } from './categories';
import { DEFAULT_API_BASE_URL } from './forms';

export const QUOTA_PERIODS = ['month', 'total'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];
export const isQuotaPeriod = (value: unknown): value is QuotaPeriod =>
  typeof value === 'string' && (QUOTA_PERIODS as readonly string[]).includes(value);

/** Settings an administrator can edit in Settings → ProcessOn (unless config or env fix them). */
export interface EditableSettings {
  appkey: string;
  apiBaseUrl: string;
  /** Where ProcessOn reaches this Strapi (the callback URL is built on it). */
  publicUrl: string;
  /** Hide the editor's own Save button, for fields that do not decide it themselves. */
  hidebtn: boolean;
  /** Category of a new diagram, for fields that do not set their own. */
  defaultCategory: Category;
  /** Largest def (and save body) accepted, in bytes. */
  maxDefSize: number;
  /** Lifetime of an edit session (and of its callback token), in seconds. */
  sessionTtl: number;
  /** Revisions kept per diagram. */
  revisionsKept: number;
  /** CSP `frame-ancestors` sources of the public view page; by default those strapi::cors allows. */
  frameAncestors: string[];
  /** max-age (seconds) of the public embed answers. */
  cacheMaxAge: number;
  /** Editor sessions the plugin may open per quotaPeriod; 0 = no quota. */
  sessionQuota: number;
  quotaPeriod: QuotaPeriod;
}

export type SettingKey = keyof EditableSettings;

export const SETTING_KEYS: readonly SettingKey[] = [
  'appkey',
  'apiBaseUrl',
  'publicUrl',
  'hidebtn',
  'defaultCategory',
  'maxDefSize',
  'sessionTtl',
  'revisionsKept',
  'frameAncestors',
  'cacheMaxAge',
  'sessionQuota',
  'quotaPeriod',
];

export const isSettingKey = (value: unknown): value is SettingKey =>
  typeof value === 'string' && (SETTING_KEYS as readonly string[]).includes(value);

/** The environment variable that fixes each setting. */
export const SETTING_ENV_NAMES: Record<SettingKey, string> = {
  appkey: 'PROCESSON_APPKEY',
  apiBaseUrl: 'PROCESSON_API_BASE_URL',
  publicUrl: 'PROCESSON_PUBLIC_URL',
  hidebtn: 'PROCESSON_HIDEBTN',
  defaultCategory: 'PROCESSON_DEFAULT_CATEGORY',
  maxDefSize: 'PROCESSON_MAX_DEF_SIZE',
  sessionTtl: 'PROCESSON_SESSION_TTL',
  revisionsKept: 'PROCESSON_REVISIONS_KEPT',
  frameAncestors: 'PROCESSON_FRAME_ANCESTORS',
  cacheMaxAge: 'PROCESSON_CACHE_MAX_AGE',
  sessionQuota: 'PROCESSON_SESSION_QUOTA',
  quotaPeriod: 'PROCESSON_QUOTA_PERIOD',
};

export const MB = 1024 * 1024;

/** Defaults; frameAncestors' default is computed by the server from strapi::cors. */
export const SETTING_DEFAULTS: Omit<EditableSettings, 'frameAncestors'> = {
  appkey: '',
  apiBaseUrl: DEFAULT_API_BASE_URL,
  publicUrl: '',
  hidebtn: false,
  defaultCategory: 'mind',
  maxDefSize: 20 * MB,
  sessionTtl: 12 * 60 * 60,
  revisionsKept: 50,
  cacheMaxAge: 60,
  sessionQuota: 0,
  quotaPeriod: 'month',
};

export type IntegerSettingKey = 'maxDefSize' | 'sessionTtl' | 'revisionsKept' | 'cacheMaxAge' | 'sessionQuota';

/** Inclusive bounds of the integer settings. */
export const SETTING_LIMITS: Record<IntegerSettingKey, { min: number; max: number }> = {
  maxDefSize: { min: MB, max: 512 * MB },
  sessionTtl: { min: 60, max: 30 * 24 * 60 * 60 },
  revisionsKept: { min: 1, max: 10_000 },
  cacheMaxAge: { min: 0, max: 365 * 24 * 60 * 60 },
  sessionQuota: { min: 0, max: 100_000_000 },
};

const INTEGER_KEYS = Object.keys(SETTING_LIMITS) as IntegerSettingKey[];

export const APPKEY_MAX_LENGTH = 128;
export const FRAME_ANCESTORS_MAX = 50;

/** What is wrong with one value; `message` is English, the admin translates by `code`. */
export type SettingProblemCode =
  | 'unknown'
  | 'type'
  | 'url'
  | 'required'
  | 'appkey-chars'
  | 'too-long'
  | 'integer'
  | 'range'
  | 'category'
  | 'period'
  | 'source'
  | 'too-many'
  | 'fixed';

export interface SettingProblem {
  key: string;
  code: SettingProblemCode;
  params: Record<string, string | number>;
  message: string;
}

const LABELS: Record<SettingKey, string> = {
  appkey: 'appkey',
  apiBaseUrl: 'ProcessOn base URL',
  publicUrl: 'Public URL',
  hidebtn: 'hidebtn',
  defaultCategory: 'Default category',
  maxDefSize: 'Maximum diagram size',
  sessionTtl: 'Session lifetime',
  revisionsKept: 'Revisions kept',
  frameAncestors: 'Frame ancestors',
  cacheMaxAge: 'Cache max-age',
  sessionQuota: 'Session quota',
  quotaPeriod: 'Quota period',
};

const problem = (
  key: string,
  code: SettingProblemCode,
  message: string,
  params: Record<string, string | number> = {}
): SettingProblem => ({ key, code, params, message });

/** An absolute http(s) URL without query, fragment or credentials (a lone "?" or "#" included). */
export const isPlainHttpUrl = (text: string): boolean => {
  // A backslash is read as a slash by WHATWG URL parsers but not by others (`http://a\\@b`).
  if (/[?#\s\\]/.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && url.hostname !== '';
  } catch {
    return false;
  }
};

const HOST_SOURCE_RE = /^(https?:\/\/)?(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:(\d{1,5}|\*))?$/i;

/**
 * One CSP `frame-ancestors` source: `'self'`, `*`, a scheme (`https:`) or a host source
 * (`https://www.example.com`, `https://*.example.com:8443`, `example.com`). Nothing that could end
 * the directive (`;`, `,`, spaces) or add a path or quotes gets through.
 */
export const isFrameAncestorSource = (source: string): boolean =>
  source === "'self'" || source === '*' || /^https?:$/i.test(source) || HOST_SOURCE_RE.test(source);

/** A frame-ancestors list from text: one source per line, or separated by commas or spaces. */
export const parseSourceList = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

const checkValue = (key: SettingKey, value: unknown): SettingProblem[] => {
  const label = LABELS[key];
  switch (key) {
    case 'appkey': {
      if (typeof value !== 'string') return [problem(key, 'type', `${label} must be a string`)];
      const text = value.trim();
      if (text.length > APPKEY_MAX_LENGTH) {
        return [problem(key, 'too-long', `appkey must be at most ${APPKEY_MAX_LENGTH} characters`, { max: APPKEY_MAX_LENGTH })];
      }
      if (!/^[A-Za-z0-9_-]*$/.test(text)) {
        return [problem(key, 'appkey-chars', 'appkey may only contain letters, digits, "-" and "_"')];
      }
      return [];
    }
    case 'apiBaseUrl':
    case 'publicUrl': {
      if (typeof value !== 'string') return [problem(key, 'type', `${label} must be a string`)];
      const text = value.trim();
      if (text === '') {
        return key === 'apiBaseUrl' ? [problem(key, 'required', 'ProcessOn base URL may not be empty')] : [];
      }
      if (!isPlainHttpUrl(text)) {
        return [problem(key, 'url', `${label} must be an absolute http(s) URL without query, fragment or credentials`)];
      }
      return [];
    }
    case 'hidebtn':
      return typeof value === 'boolean' ? [] : [problem(key, 'type', 'hidebtn must be true or false')];
    case 'defaultCategory':
      return isCategory(value)
        ? []
        : [problem(key, 'category', `${label} must be one of ${CATEGORIES.join(', ')}`, { allowed: CATEGORIES.join(', ') })];
    case 'quotaPeriod':
      return isQuotaPeriod(value)
        ? []
        : [problem(key, 'period', `${label} must be one of ${QUOTA_PERIODS.join(', ')}`, { allowed: QUOTA_PERIODS.join(', ') })];
    case 'frameAncestors': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
        return [problem(key, 'type', `${label} must be a list of origins`)];
      }
      const list = value as string[];
      if (list.length > FRAME_ANCESTORS_MAX) {
        return [problem(key, 'too-many', `${label} may list at most ${FRAME_ANCESTORS_MAX} sources`, { max: FRAME_ANCESTORS_MAX })];
      }
      const bad = list.map((s) => s.trim()).filter((s) => !isFrameAncestorSource(s));
      return bad.length > 0
        ? [
            problem(key, 'source', `${label}: not an origin: ${bad.join(', ')} (use e.g. https://www.example.com, 'self' or *)`, {
              sources: bad.join(', '),
            }),
          ]
        : [];
    }
    default: {
      const { min, max } = SETTING_LIMITS[key];
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return [problem(key, 'integer', `${label} must be a whole number`)];
      }
      if (value < min || value > max) {
        return [problem(key, 'range', `${label} must be between ${min} and ${max}`, { min, max })];
      }
      return [];
    }
  }
};

/** `null` resets a key to its default (removes the stored value). */
export type SettingsUpdate = { [K in SettingKey]?: EditableSettings[K] | null };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every problem of a PUT /processon/settings body (any subset of the keys, `null` = reset to
 * default); [] when it may be stored as a whole.
 */
export const settingsUpdateProblems = (body: unknown): SettingProblem[] => {
  if (!isRecord(body)) return [problem('', 'type', 'The body must be an object of settings')];
  const problems: SettingProblem[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (!isSettingKey(key)) {
      problems.push(problem(key, 'unknown', `unknown setting: ${key}`));
      continue;
    }
    if (value === null) continue;
    problems.push(...checkValue(key, value));
  }
  return problems;
};

/** The problems of one value, for the admin's checks as the user types. */
export const settingValueProblems = (key: SettingKey, value: unknown): SettingProblem[] => checkValue(key, value);

/** A valid update as stored: text trimmed, URLs without trailing slashes, sources trimmed. */
export const normalizeSettingsUpdate = (body: SettingsUpdate): SettingsUpdate => {
  const out: SettingsUpdate = {};
  for (const key of SETTING_KEYS) {
    if (!(key in body)) continue;
    const value = body[key];
    if (value === null || value === undefined) {
      out[key] = null as never;
      continue;
    }
    if (key === 'appkey' && typeof value === 'string') out.appkey = value.trim();
    else if ((key === 'apiBaseUrl' || key === 'publicUrl') && typeof value === 'string') out[key] = value.trim().replace(/\/+$/, '');
    else if (key === 'frameAncestors' && Array.isArray(value)) out.frameAncestors = value.map((s) => s.trim());
    else (out as Record<SettingKey, unknown>)[key] = value;
  }
  return out;
};

/** Reads a setting from its environment variable's text; undefined when the text is not a valid value. */
export const settingFromEnv = <K extends SettingKey>(key: K, raw: string): EditableSettings[K] | undefined => {
  let value: unknown;
  if (key === 'hidebtn') {
    const text = raw.trim().toLowerCase();
    value = text === 'true' || text === '1' ? true : text === 'false' || text === '0' ? false : undefined;
  } else if (INTEGER_KEYS.includes(key as IntegerSettingKey)) {
    value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : undefined;
  } else if (key === 'frameAncestors') {
    value = parseSourceList(raw);
  } else {
    value = raw.trim();
  }
  if (value === undefined || checkValue(key, value).length > 0) return undefined;
  const normalized = normalizeSettingsUpdate({ [key]: value } as SettingsUpdate);
  return normalized[key] as EditableSettings[K];
};

/** The callback route's path under the public URL. */
export const CALLBACK_PATH = '/api/processon/callback';

/** `<publicUrl>/api/processon/callback`, or null while publicUrl is empty. */
export const callbackUrlFor = (publicUrl: string): string | null =>
  publicUrl.trim() ? publicUrl.trim().replace(/\/+$/, '') + CALLBACK_PATH : null;

/** Share of a quota used, at or above which the admin is warned. */
export const QUOTA_WARNING_RATIO = 0.8;

export type QuotaState = 'none' | 'ok' | 'warning' | 'reached';

export const quotaState = (used: number, quota: number): QuotaState => {
  if (!quota) return 'none';
  if (used >= quota) return 'reached';
  return used >= quota * QUOTA_WARNING_RATIO ? 'warning' : 'ok';
};
