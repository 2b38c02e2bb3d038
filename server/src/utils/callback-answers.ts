import type { Context } from 'koa';

/**
 * The short answers of the callback route, which ProcessOn shows to the user: en, or zh-Hans when
 * the request's Accept-Language prefers Chinese. Never internal detail.
 */
export const CALLBACK_MESSAGES = {
  success: { en: 'success', zh: '保存成功' },
  badBody: { en: 'error: bad request', zh: '错误：请求无效' },
  noToken: { en: 'error: missing token', zh: '错误：缺少令牌' },
  badToken: { en: 'error: invalid token', zh: '错误：令牌无效' },
  otherChart: { en: 'error: this token is for another diagram', zh: '错误：此令牌属于另一个图表' },
  expired: { en: 'error: this editing session has expired, reopen the editor', zh: '错误：编辑会话已过期，请重新打开编辑器' },
  unknownSession: { en: 'error: unknown editing session', zh: '错误：编辑会话不存在' },
  failed: { en: 'error: the diagram could not be saved, try again', zh: '错误：保存失败，请重试' },
} as const;

export type CallbackMessage = keyof typeof CALLBACK_MESSAGES;

/** The Chinese of the protocol module's push-parsing errors (server/src/processon/callback.ts). */
const DETAILS_ZH: Record<string, string> = {
  'The body must be an object with chartid, def, size and valid': '请求内容须包含 chartid、def、size 和 valid',
  'chartid is missing': '缺少 chartid',
  'chartid must be a string': 'chartid 必须是字符串',
  'def must be a string': 'def 必须是字符串',
  'valid must be true or false': 'valid 必须是 true 或 false',
  'def is empty while valid is true': 'valid 为 true 时 def 不能为空',
};

export const prefersChinese = (ctx: Context): boolean => ctx.acceptsLanguages('en', 'zh') === 'zh';

/** Answers the callback with a short plain text (and a detail, for a bad body). */
export const answerCallback = (ctx: Context, status: number, key: CallbackMessage, detail?: string): void => {
  const zh = prefersChinese(ctx);
  const text = CALLBACK_MESSAGES[key][zh ? 'zh' : 'en'];
  ctx.status = status;
  ctx.type = 'text/plain; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  const shown = detail && zh ? DETAILS_ZH[detail] : detail;
  ctx.body = shown && key === 'badBody' ? `${text}${zh ? '：' : ': '}${shown}` : text;
};
