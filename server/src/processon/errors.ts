/**
 * ProcessOn's documented error codes: what the doc says (en, zh as in the doc), and what they mean
 * for a user of the plugin (cause and fix, en and zh-Hans). The admin shows these explanations where
 * the user meets a code (the editor modal, downloads, the session quota); nothing else restates them.
 */

/** The plugin setting an error code is about, to link the user to it; null when none is. */
export type ErrorSetting = 'appkey' | 'apiBaseUrl' | 'publicUrl' | 'sessionQuota' | null;

export interface ErrorCodeInfo {
  key: string;
  /** The doc's description. */
  en: string;
  zh: string;
  /** Why a user of the plugin meets it. */
  cause: { en: string; zh: string };
  /** What to do about it. */
  fix: { en: string; zh: string };
  setting: ErrorSetting;
}

export const ERROR_CODES = {
  4000: {
    key: 'appkey-invalid',
    en: 'Invalid appkey',
    zh: '参数app_key无效',
    cause: {
      en: 'ProcessOn does not know the appkey the plugin sent: it is empty, mistyped or was revoked.',
      zh: 'ProcessOn 不认识插件发送的 appkey：它为空、输入有误或已被吊销。',
    },
    fix: {
      en: 'Copy the appkey from your ProcessOn API console (api.processon.com/console) into Settings → ProcessOn → Appkey.',
      zh: '从 ProcessOn API 控制台（api.processon.com/console）复制 appkey，填入 设置 → ProcessOn → Appkey。',
    },
    setting: 'appkey',
  },
  4001: {
    key: 'callbackurl-invalid',
    en: 'Invalid callbackurl',
    zh: '参数callbackurl无效',
    cause: {
      en: 'The callback URL the plugin sent is not a valid address: the setting “Public URL of this Strapi” is empty or malformed.',
      zh: '插件发送的回调地址无效：“本 Strapi 的公开 URL”设置为空或格式不正确。',
    },
    fix: {
      en: 'Set Settings → ProcessOn → Public URL of this Strapi to the address where ProcessOn reaches this Strapi, e.g. https://cms.example.com, and use "Check" there.',
      zh: '在 设置 → ProcessOn → 本 Strapi 的公开 URL 中填写 ProcessOn 能访问到本 Strapi 的地址（如 https://cms.example.com），并在该页点击“检查”。',
    },
    setting: 'publicUrl',
  },
  4002: {
    key: 'def-invalid',
    en: 'Invalid def',
    zh: '参数def无效',
    cause: {
      en: 'ProcessOn could not read the stored diagram (its def): it was changed outside the editor or is damaged.',
      zh: 'ProcessOn 无法读取已保存的图形数据（def）：它在编辑器之外被修改过或已损坏。',
    },
    fix: {
      en: 'Open History and restore an earlier version, or clear the field and create the diagram again.',
      zh: '打开“历史版本”恢复较早的版本，或清空该字段后重新创建图形。',
    },
    setting: null,
  },
  4003: {
    key: 'callbackurl-domain',
    en: 'callbackurl does not match the domain registered with the appkey',
    zh: '参数callbackurl与提供的回调地址不匹配',
    cause: {
      en: 'The public callback URL is not on the domain registered with your appkey.',
      zh: '公开回调地址不在该 appkey 注册的域名下。',
    },
    fix: {
      en: 'Use a public URL on a registered domain (Settings → ProcessOn → Public URL of this Strapi), or add this domain to your appkey in the ProcessOn API console.',
      zh: '使用已注册域名下的公开地址（设置 → ProcessOn → 本 Strapi 的公开 URL），或在 ProcessOn API 控制台为该 appkey 添加此域名。',
    },
    setting: 'publicUrl',
  },
  4004: {
    key: 'sessions-exhausted',
    en: 'Not enough API sessions left',
    zh: '接口会话数不足',
    cause: {
      en: 'The editor sessions are used up: ProcessOn bills every opening of the editor as one session, and none is left.',
      zh: '编辑会话已用完：每打开一次编辑器，ProcessOn 计一次会话，现已没有剩余。',
    },
    fix: {
      en: 'Buy more sessions (upgrade the plan) in the ProcessOn API console; if the quota in Settings → ProcessOn stopped it, raise that quota.',
      zh: '在 ProcessOn API 控制台购买更多会话（升级套餐）；如果是 设置 → ProcessOn 中的配额拦截了，请调高该配额。',
    },
    setting: 'sessionQuota',
  },
  4005: {
    key: 'illegal-request',
    en: 'Illegal request',
    zh: '非法请求',
    cause: {
      en: 'ProcessOn refused the request as malformed, or as coming from a page that is not on a registered domain.',
      zh: 'ProcessOn 认为请求格式不正确，或请求来自未注册域名下的页面。',
    },
    fix: {
      en: 'Check the ProcessOn base URL in Settings → ProcessOn and that this admin is served from a registered domain; if it persists, contact ProcessOn with the time of the error.',
      zh: '检查 设置 → ProcessOn 中的 ProcessOn 基础 URL，并确认本后台使用已注册的域名访问；如仍出现，请带上出错时间联系 ProcessOn。',
    },
    setting: 'apiBaseUrl',
  },
  4006: {
    key: 'account-invalid',
    en: 'Account invalid',
    zh: '账号无效',
    cause: {
      en: 'The ProcessOn account of this appkey is disabled or has expired.',
      zh: '该 appkey 所属的 ProcessOn 账号已停用或已过期。',
    },
    fix: {
      en: 'Sign in at api.processon.com to check the account, renew it, or contact ProcessOn.',
      zh: '登录 api.processon.com 查看账号状态、续费，或联系 ProcessOn。',
    },
    setting: null,
  },
} as const satisfies Record<number, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES).map(Number) as ErrorCode[];

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'number' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);

/** The two languages the explanations exist in. */
export type ExplanationLanguage = 'en' | 'zh';

/** `zh`, `zh-Hans`, `zh-CN`... read Chinese; every other locale reads English. */
export const explanationLanguage = (locale: string | null | undefined): ExplanationLanguage =>
  typeof locale === 'string' && /^zh\b/i.test(locale) ? 'zh' : 'en';

export interface ErrorExplanation {
  code: ErrorCode;
  /** The doc's description of the code. */
  title: string;
  cause: string;
  fix: string;
  setting: ErrorSetting;
}

export const explainErrorCode = (code: ErrorCode, lang: ExplanationLanguage): ErrorExplanation => {
  const info: ErrorCodeInfo = ERROR_CODES[code];
  return { code, title: info[lang], cause: info.cause[lang], fix: info.fix[lang], setting: info.setting };
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asCode = (value: unknown): ErrorCode | null => {
  const number = typeof value === 'string' && /^\d{4}$/.test(value.trim()) ? Number(value) : value;
  return isErrorCode(number) ? number : null;
};

/**
 * The error code an editor frame reports to its parent window, or null when the message is not an
 * error report. ProcessOn answers errors as `{code, message}` (its JSON error shape); a frame that
 * posts that object, bare or as `{event: 'error', code}` / `{error: {code}}`, is understood. A save
 * message (which carries `def`) is never an error.
 */
export const errorCodeFromMessage = (data: unknown): ErrorCode | null => {
  if (!isRecord(data) || typeof data.def === 'string') return null;
  if (data.event !== undefined && data.event !== 'error') return null;
  const direct = asCode(data.code) ?? asCode(data.errorCode);
  if (direct) return direct;
  return isRecord(data.error) ? asCode(data.error.code) : null;
};
