/**
 * The ProcessOn simulator: a Koa app that answers ProcessOn's three partner-API endpoints as the doc
 * describes them (appkeys with registered domains and quotas, every error code, an editor whose Save
 * pushes to callbackurl, a viewer, PNG/PDF downloads), plus a few /sim helpers for tests and the demo.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import Router from '@koa/router';
import { koaBody } from 'koa-body';
import { ERROR_CODES, type ErrorCode } from '../../server/src/processon/errors';
import { ENDPOINTS } from '../../server/src/processon/forms';
import { defSizeKB } from '../../server/src/processon/def';
import { isRecord, isValidDiagram, newDiagram, readDef } from './diagram';
import { contentDisposition } from './download';
import { renderEditorPage } from './editor';
import {
  contentSecurityPolicy,
  newNonce,
  renderErrorPage,
  renderHomePage,
} from './pages';
import { checkEditRequest, checkExportRequest, checkViewRequest, type Fields, type SimError } from './params';
import { diagramPdf } from './pdf';
import { diagramPng } from './png';
import { pushToCallback, PUSH_TIMEOUT_MS } from './push';
import { SimulatorState, type AppkeyConfig, type CallbackFormat } from './state';
import { renderViewerPage } from './viewer';

export { SimulatorState } from './state';
export type { AppkeyConfig, CallbackFormat, EditorSession, PushRecord, Usage } from './state';

export interface SimulatorOptions {
  appkeys: AppkeyConfig[];
  /** How Save pushes to callbackurl: a JSON body (default) or a urlencoded form. */
  callbackFormat?: CallbackFormat;
  /** The simulator's own base URL for the links it writes; default: the request's origin. */
  publicUrl?: string;
  /** How long a push waits for the callback (default 10 s). */
  pushTimeoutMs?: number;
  /** Largest request body accepted, in bytes (default 20 MB). */
  bodyLimitBytes?: number;
  /** State to use (default: a new one from `appkeys`). */
  state?: SimulatorState;
}

export type SimulatorApp = Koa & { readonly simulatorState: SimulatorState };

export interface StartOptions extends SimulatorOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface RunningSimulator {
  url: string;
  port: number;
  state: SimulatorState;
  close(): Promise<void>;
}

/** HTTP status of each error answer. */
export const ERROR_HTTP_STATUS: Record<ErrorCode, number> = {
  4000: 401,
  4001: 400,
  4002: 400,
  4003: 403,
  4004: 402,
  4005: 400,
  4006: 403,
};

const DEFAULT_BODY_LIMIT = 20 * 1024 * 1024;

const wantsJson = (ctx: Koa.Context): boolean => ctx.accepts('html', 'json') === 'json';

const sendHtml = (ctx: Koa.Context, status: number, html: string, nonce: string, connect: string[] = []): void => {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Content-Security-Policy', contentSecurityPolicy(nonce, connect));
  ctx.set('Cache-Control', 'no-store');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = html;
};

export const sendError = (ctx: Koa.Context, error: SimError): void => {
  const status = error.status ?? ERROR_HTTP_STATUS[error.code];
  if (wantsJson(ctx)) {
    ctx.status = status;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { code: error.code, message: ERROR_CODES[error.code].en, detail: error.detail };
    return;
  }
  const nonce = newNonce();
  sendHtml(ctx, status, renderErrorPage(error.code, error.detail, nonce), nonce);
};

const statusOf = (error: unknown): number | undefined => {
  if (!isRecord(error)) return undefined;
  const status = error.status ?? error.statusCode;
  return typeof status === 'number' ? status : undefined;
};

const noop = async (): Promise<void> => undefined;

export const createSimulator = (options: SimulatorOptions): SimulatorApp => {
  const state = options.state ?? new SimulatorState(options.appkeys);
  const callbackFormat: CallbackFormat = options.callbackFormat ?? 'json';
  const pushTimeoutMs = options.pushTimeoutMs ?? PUSH_TIMEOUT_MS;
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  const publicUrl = options.publicUrl?.replace(/\/+$/, '');
  const publicOrigin = publicUrl ? new URL(publicUrl).origin : undefined;

  const formParser = koaBody({
    multipart: true,
    urlencoded: true,
    json: true,
    text: true,
    jsonLimit: limit,
    formLimit: limit,
    textLimit: limit,
    formidable: { maxFieldsSize: limit, maxFileSize: limit, maxFiles: 0 },
  });
  const jsonParser = koaBody({ json: true, urlencoded: false, text: false, multipart: false, jsonLimit: limit });

  const baseUrl = (ctx: Koa.Context): string => publicUrl ?? ctx.origin;

  /** Wraps an endpoint handler: POST only (4005/405), the form read into fields (4005 when unreadable). */
  const endpoint =
    (handler: (ctx: Koa.Context, fields: Fields) => void): Koa.Middleware =>
    async (ctx) => {
      if (ctx.method !== 'POST') {
        ctx.set('Allow', 'POST');
        sendError(ctx, { code: 4005, detail: `${ctx.method} is not allowed; the endpoint takes a form POST`, status: 405 });
        return;
      }
      try {
        await formParser(ctx, noop);
      } catch (error) {
        const status = statusOf(error) === 413 ? 413 : 400;
        sendError(ctx, { code: 4005, detail: status === 413 ? 'the request body is too large' : 'the request body could not be read', status });
        return;
      }
      const body: unknown = ctx.request.body;
      handler(ctx, isRecord(body) ? body : {});
    };

  const headersOf = (ctx: Koa.Context) => ({ origin: ctx.get('Origin') || undefined, referer: ctx.get('Referer') || undefined });

  const router = new Router();

  router.all(
    ENDPOINTS.edit,
    endpoint((ctx, fields) => {
      const checked = checkEditRequest(fields, state);
      if (!checked.ok) return sendError(ctx, checked.error);
      const request = checked.value;
      if (!state.consumeSession(request.appkey.appkey)) {
        return sendError(ctx, { code: 4004, detail: `all ${request.appkey.quota} sessions of this appkey are used` });
      }
      const session = state.openSession({
        appkey: request.appkey.appkey,
        chartid: request.chartid,
        category: request.category,
        title: request.title,
        callbackurl: request.callbackurl,
        hidebtn: request.hidebtn,
      });
      const savePath = `/sim/sessions/${encodeURIComponent(session.id)}/save`;
      const nonce = newNonce();
      const html = renderEditorPage({
        sessionId: session.id,
        saveUrl: publicUrl ? publicUrl + savePath : savePath,
        chartid: request.chartid,
        category: request.category,
        title: request.title,
        hidebtn: request.hidebtn,
        doc: request.doc ?? newDiagram(request.category, request.title),
        nonce,
      });
      sendHtml(ctx, 200, html, nonce, publicOrigin ? [publicOrigin] : []);
    })
  );

  router.all(
    ENDPOINTS.view,
    endpoint((ctx, fields) => {
      const checked = checkViewRequest(fields, headersOf(ctx), state);
      if (!checked.ok) return sendError(ctx, checked.error);
      const { category, title, doc } = checked.value;
      const nonce = newNonce();
      sendHtml(ctx, 200, renderViewerPage({ category, title: title ?? 'Untitled diagram', doc, nonce }), nonce);
    })
  );

  router.all(
    ENDPOINTS.export,
    endpoint((ctx, fields) => {
      const checked = checkExportRequest(fields, headersOf(ctx), state);
      if (!checked.ok) return sendError(ctx, checked.error);
      const { chartid, category, title, doc, type } = checked.value;
      const extension = type === 'image' ? 'png' : 'pdf';
      ctx.status = 200;
      ctx.type = type === 'image' ? 'image/png' : 'application/pdf';
      ctx.set('Content-Disposition', contentDisposition(title, extension));
      ctx.set('Cache-Control', 'no-store');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.body = type === 'image' ? diagramPng(category, doc) : diagramPdf(chartid, category, title, doc);
    })
  );

  router.post('/sim/sessions/:id/save', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const session = state.getSession(ctx.params.id);
    if (!session) {
      ctx.status = 404;
      ctx.body = { error: 'unknown editor session' };
      return;
    }
    try {
      await jsonParser(ctx, noop);
    } catch (error) {
      ctx.status = statusOf(error) === 413 ? 413 : 400;
      ctx.body = { error: 'the body must be JSON {def, valid}' };
      return;
    }
    const body: unknown = ctx.request.body;
    if (!isRecord(body) || typeof body.def !== 'string' || body.def.trim() === '') {
      ctx.status = 400;
      ctx.body = { error: 'the body must be JSON {def, valid} with a non-empty def' };
      return;
    }
    const def = body.def;
    let valid: boolean;
    if (typeof body.valid === 'boolean') {
      valid = body.valid;
    } else {
      const reading = readDef(def);
      valid = reading.ok && isValidDiagram(session.category, reading.doc);
    }
    const size = String(defSizeKB(def));
    session.saves += 1;
    const outcome = await pushToCallback(session.callbackurl, { chartid: session.chartid, def, size, valid }, callbackFormat, pushTimeoutMs);
    state.recordPush({
      sessionId: session.id,
      chartid: session.chartid,
      callbackurl: session.callbackurl,
      format: callbackFormat,
      size,
      valid,
      status: outcome.status,
      body: outcome.body,
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
      at: new Date().toISOString(),
    });
    ctx.status = 200;
    ctx.body = {
      ok: outcome.error === undefined && outcome.status >= 200 && outcome.status < 300,
      status: outcome.status,
      body: outcome.body,
      size,
      valid,
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
    };
  });

  router.get('/sim/usage/:appkey', (ctx) => {
    const usage = state.usage(ctx.params.appkey);
    if (!usage) {
      ctx.status = 404;
      ctx.body = { error: 'unknown appkey' };
      return;
    }
    ctx.body = usage;
  });

  router.get('/sim/pushes', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const chartid = typeof ctx.query.chartid === 'string' ? ctx.query.chartid : undefined;
    ctx.body = state.pushes().filter((push) => chartid === undefined || push.chartid === chartid);
  });

  router.post('/sim/reset', (ctx) => {
    state.reset();
    ctx.status = 204;
  });

  router.get('/', (ctx) => {
    const nonce = newNonce();
    const appkeys = state.listAppkeys().map((config) => ({ ...config, ...state.usage(config.appkey) }));
    sendHtml(ctx, 200, renderHomePage({ baseUrl: baseUrl(ctx), appkeys, callbackFormat }, nonce), nonce);
  });

  const app = new Koa();
  app.use(router.routes());
  app.use(router.allowedMethods());
  return Object.assign(app, { simulatorState: state });
};

const displayHost = (host: string): string => {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
};

/** Starts the simulator on a port; `close()` stops it (open connections included). */
export const startSimulator = async (options: StartOptions): Promise<RunningSimulator> => {
  const app = createSimulator(options);
  const server = http.createServer(app.callback());
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: options.publicUrl?.replace(/\/+$/, '') ?? `http://${displayHost(host)}:${port}`,
    port,
    state: app.simulatorState,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
