/** ProcessOn's documented error codes, with what they mean (en, zh-Hans as in the doc). */
export const ERROR_CODES = {
  4000: { key: 'appkey-invalid', en: 'Invalid appkey', zh: '参数app_key无效' },
  4001: { key: 'callbackurl-invalid', en: 'Invalid callbackurl', zh: '参数callbackurl无效' },
  4002: { key: 'def-invalid', en: 'Invalid def', zh: '参数def无效' },
  4003: {
    key: 'callbackurl-domain',
    en: 'callbackurl does not match the domain registered with the appkey',
    zh: '参数callbackurl与提供的回调地址不匹配',
  },
  4004: { key: 'sessions-exhausted', en: 'Not enough API sessions left', zh: '接口会话数不足' },
  4005: { key: 'illegal-request', en: 'Illegal request', zh: '非法请求' },
  4006: { key: 'account-invalid', en: 'Account invalid', zh: '账号无效' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES).map(Number) as ErrorCode[];

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'number' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
