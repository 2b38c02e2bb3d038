import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { PROBE_NONCE_RE, parseCallbackPush, probeAnswer } from '../processon';
import { callbackTokenOf, refuseOversizedDef } from '../middlewares/body-limit';
import { getService } from '../utils';
import { answerCallback, type CallbackMessage } from '../utils/callback-answers';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const answer = answerCallback;

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
      // Usually checked already, before the body was parsed (middlewares/body-limit.ts).
      const check = callbackTokenOf(ctx) ?? (await getService(strapi, 'sessions').checkToken(token));
      if (!check.ok) return answer(ctx, check.status, check.message);
      const parsed = parseCallbackPush(ctx.request.body);
      if (!parsed.ok) return answer(ctx, 400, 'badBody', parsed.error);
      const push = parsed.value;
      if (await refuseOversizedDef(strapi, ctx, 'callback', push.def)) return;
      // The token is bound to its session's chartid: it cannot carry another diagram's save.
      const session = check.session;
      if (push.chartid !== session.chartid) return answer(ctx, 403, 'otherChart');
      const result = await getService(strapi, 'saves').accept(session, push, 'callback');
      if (result.ok) return answer(ctx, 200, 'success');
      const [status, key]: [number, CallbackMessage] =
        result.reason === 'expired'
          ? [401, 'expired']
          : result.reason === 'failed'
            ? [500, 'failed']
            : [404, 'unknownSession'];
      return answer(ctx, status, key);
    },
  };
};
