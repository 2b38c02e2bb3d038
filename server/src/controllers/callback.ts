import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { PROBE_NONCE_RE, parseCallbackPush, probeAnswer, verifyToken } from '../processon';
import { refuseOversizedDef } from '../middlewares/body-limit';
import { getService } from '../utils';

/** Short answers ProcessOn shows to the user; never internal detail. */
const MESSAGES = {
  success: { en: 'success', zh: '保存成功' },
  badBody: { en: 'error: bad request', zh: '错误：请求无效' },
  noToken: { en: 'error: missing token', zh: '错误：缺少令牌' },
  badToken: { en: 'error: invalid token', zh: '错误：令牌无效' },
  expired: { en: 'error: this editing session has expired, reopen the editor', zh: '错误：编辑会话已过期，请重新打开编辑器' },
  unknownSession: { en: 'error: unknown editing session', zh: '错误：编辑会话不存在' },
  failed: { en: 'error: the diagram could not be saved, try again', zh: '错误：保存失败，请重试' },
} as const;

type MessageKey = keyof typeof MESSAGES;

const prefersChinese = (ctx: Context): boolean => ctx.acceptsLanguages('en', 'zh') === 'zh';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const answer = (ctx: Context, status: number, key: MessageKey, detail?: string) => {
    const text = MESSAGES[key][prefersChinese(ctx) ? 'zh' : 'en'];
    ctx.status = status;
    ctx.type = 'text/plain; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = detail && key === 'badBody' ? `${text}: ${detail}` : text;
  };

  return {
    /** POST /api/processon/callback?token=…: one save pushed by ProcessOn. */
    async receive(ctx: Context) {
      const token = typeof ctx.query.token === 'string' ? ctx.query.token : undefined;
      const probe = ctx.query.probe;
      if (!token && probe !== undefined) {
        // Settings → ProcessOn → Check: prove this route is reachable here; nothing is read or stored.
        if (typeof probe !== 'string' || !PROBE_NONCE_RE.test(probe)) return answer(ctx, 400, 'badBody', 'bad probe');
        ctx.status = 200;
        ctx.set('Cache-Control', 'no-store');
        ctx.body = { processon: 'callback', probe: probeAnswer(getService(strapi, 'settings').callbackSecret(), probe) };
        return;
      }
      if (!token) return answer(ctx, 401, 'noToken');
      const parsed = parseCallbackPush(ctx.request.body);
      if (!parsed.ok) return answer(ctx, 400, 'badBody', parsed.error);
      const push = parsed.value;
      if (await refuseOversizedDef(strapi, ctx, 'callback', push.def)) return;
      const settings = getService(strapi, 'settings');
      const check = verifyToken(settings.callbackSecret(), token, push.chartid);
      if (!check.ok) {
        if (check.reason === 'expired') return answer(ctx, 401, 'expired');
        return answer(ctx, check.reason === 'missing' ? 401 : 403, check.reason === 'missing' ? 'noToken' : 'badToken');
      }
      const session = await getService(strapi, 'sessions').findByKey(check.sessionId);
      const result = await getService(strapi, 'saves').accept(session, push, 'callback');
      if (result.ok) return answer(ctx, 200, 'success');
      const [status, key]: [number, MessageKey] =
        result.reason === 'expired'
          ? [401, 'expired']
          : result.reason === 'failed'
            ? [500, 'failed']
            : [404, 'unknownSession'];
      return answer(ctx, status, key);
    },
  };
};
