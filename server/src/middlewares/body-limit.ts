/**
 * Large bodies for the plugin's save paths only.
 *
 * Strapi's `strapi::body` (koa-body) parses every request before routing, with koa-body's limits
 * (json 1 MB, form 56 KB, text 56 KB; multipart fields 20 MB in formidable), so a route-level
 * middleware would come too late. In `register()` the plugin wraps the registered `strapi::body`
 * factory (`strapi.get('middlewares').extend`, an internal Strapi API pinned by
 * tests/integration/body-limits.test.ts). The wrapped factory builds two parsers from Strapi's own
 * factory: the app's one, with the app's config untouched, for every request; and a larger one used
 * only for `POST <rest prefix>/processon/callback` and `POST /processon/sessions/:id/saves`.
 *
 * How `maxDefSize` (M, in UTF-8 bytes of the def) maps to body limits. The rule is "a def of up to M
 * bytes is accepted in JSON, urlencoded, multipart and text bodies, a larger one is refused (413)":
 * - the precise check is on the parsed def (`refuseOversizedDef`, called where a push is parsed);
 * - the body limits are a looser outer bound, large enough for any def of M bytes in any encoding,
 *   and they stop a huge body before it is buffered: percent-encoding (urlencoded, or a text body
 *   holding a form) turns one byte into up to 3, and JSON escaping at most triples UTF-8 too
 *   (`\uXXXX` for a 2-byte char, a surrogate pair's 12 bytes for a 4-byte one; `\"` doubles; only
 *   raw control characters grow more, and a def, JSON text or base64, holds none but \n, \t). So
 *   json, form and text bodies may be 3 M + 64 KB (room for chartid, size, valid, extra fields);
 *   multipart fields are sent raw, so formidable's total field size is M + 64 KB.
 * These limits depend on maxDefSize only, not on the app's own (which stay as they are everywhere else).
 * maxDefSize is read from the effective settings (config, env, or the admin's Settings page).
 *
 * Only requests that carry the credential the route requires get the larger parser: a callback
 * whose token is verified against its session first (a bad one is answered without reading the
 * body), an admin save or entry write whose bearer token is a valid admin credential (checked
 * before parsing; the route authenticates the admin again); requests that cannot succeed keep
 * Strapi's limits.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context, Next } from 'koa';
import { FIELD_UID } from '../processon';
import { getService, PLUGIN_ID } from '../utils';
import { answerCallback, prefersChinese } from '../utils/callback-answers';
import type { CallbackTokenCheck } from '../services/sessions';

/** Room in a body for the fields other than def. */
export const BODY_OVERHEAD = 64 * 1024;
/** Worst-case growth of a def's UTF-8 bytes in a JSON, urlencoded or text body. */
export const ENCODING_FACTOR = 3;

/** Which save path a request is on: ProcessOn's callback, or the admin route the field posts to. */
export type SaveChannel = 'callback' | 'admin';

export interface SaveBodyLimits {
  json: number;
  form: number;
  text: number;
  /** formidable's `maxFieldsSize`: all multipart fields together. */
  multipartFields: number;
}

/** Body limits of the save paths for a given maxDefSize (see the header of this file). */
export const saveBodyLimits = (maxDefSize: number): SaveBodyLimits => {
  const encoded = ENCODING_FACTOR * maxDefSize + BODY_OVERHEAD;
  return { json: encoded, form: encoded, text: encoded, multipartFields: maxDefSize + BODY_OVERHEAD };
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The app's `strapi::body` config with the save paths' limits. These come from maxDefSize alone
 * (whatever the app's own limits are): a save is judged by the same rule on every app.
 */
export const saveBodyConfig = (config: unknown, maxDefSize: number): Record<string, unknown> => {
  const base = isRecord(config) ? config : {};
  const formidable = isRecord(base.formidable) ? base.formidable : {};
  const limits = saveBodyLimits(maxDefSize);
  return {
    ...base,
    // ProcessOn's push may come in any of these: parse them all on the save paths.
    json: true,
    urlencoded: true,
    text: true,
    multipart: true,
    jsonLimit: limits.json,
    formLimit: limits.form,
    textLimit: limits.text,
    formidable: { ...formidable, maxFieldsSize: limits.multipartFields },
  };
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Recognises the save paths as Strapi's router does (@koa/router: case-insensitive, optional
 * trailing slash), so exactly the requests that reach the plugin's save handlers get the large parser.
 */
export const savePathMatcher = (restPrefix: string) => {
  const prefix = escapeRegExp(restPrefix.replace(/\/+$/, ''));
  const callback = new RegExp(`^${prefix}/${PLUGIN_ID}/callback/?$`, 'i');
  const saves = new RegExp(`^/${PLUGIN_ID}/sessions/[^/]+/saves/?$`, 'i');
  return (method: string, path: string): SaveChannel | null => {
    if (method.toUpperCase() !== 'POST') return null;
    if (callback.test(path)) return 'callback';
    if (saves.test(path)) return 'admin';
    return null;
  };
};

/**
 * Admin requests that write whole entries holding diagrams, whose JSON bodies carry the defs: the
 * Content Manager's create/update/publish/clone of a content type with a ProcessOn diagram field
 * (anywhere: top level, components, dynamic zones), and the field's own `POST /processon/sessions`
 * (it sends the current def to reopen the editor). Without a larger limit a diagram saved through
 * ProcessOn (up to maxDefSize) could not be saved in its entry (Strapi's JSON limit is 1 MB).
 */
export const entryPathMatcher = (hasDiagramField: (uid: string) => boolean) => {
  const contentManager = /^\/content-manager\/(?:collection-types|single-types)\/([^/]+)(?:\/.*)?$/i;
  const sessions = new RegExp(`^/${PLUGIN_ID}/sessions/?$`, 'i');
  return (method: string, path: string): boolean => {
    const verb = method.toUpperCase();
    if (verb !== 'POST' && verb !== 'PUT') return false;
    if (verb === 'POST' && sessions.test(path)) return true;
    const match = contentManager.exec(path);
    if (!match) return false;
    let uid: string;
    try {
      uid = decodeURIComponent(match[1]);
    } catch {
      return false;
    }
    return hasDiagramField(uid);
  };
};

interface AttributeShape {
  type?: string;
  customField?: string;
  component?: string;
  components?: string[];
}

/** Whether a model holds a diagram field, directly or through its components (memoised: schemas are fixed at run time). */
const diagramFieldFinder = (strapi: Core.Strapi) => {
  const known = new Map<string, boolean>();
  const holds = (uid: string, seen: Set<string>): boolean => {
    const cached = known.get(uid);
    if (cached !== undefined) return cached;
    if (seen.has(uid)) return false;
    seen.add(uid);
    const model = strapi.getModel(uid as never) as unknown as { attributes?: Record<string, AttributeShape> } | undefined;
    const result = Object.values(model?.attributes ?? {}).some(
      (a) =>
        a.customField === FIELD_UID ||
        (a.type === 'component' && !!a.component && holds(a.component, seen)) ||
        (a.type === 'dynamiczone' && (a.components ?? []).some((c) => holds(c, seen)))
    );
    known.set(uid, result);
    return result;
  };
  return (uid: string): boolean => holds(uid, new Set());
};

/** The app's `strapi::body` config with a JSON limit for entries holding diagrams of up to maxDefSize. */
export const entryBodyConfig = (config: unknown, maxDefSize: number): Record<string, unknown> => {
  const base = isRecord(config) ? config : {};
  return { ...base, jsonLimit: saveBodyLimits(maxDefSize).json + ENTRY_OVERHEAD };
};

/** Room in an entry's body for its other fields. */
export const ENTRY_OVERHEAD = 1024 * 1024;

interface AdminSessions {
  validateAccessToken(token: string): { isValid: boolean };
}
interface AdminTokens {
  authenticateAdminToken?(token: string): Promise<{ authenticated: boolean }>;
}

/**
 * Whether a request carries a valid admin credential, as Strapi's admin strategies read it: a
 * session's access token (checked without the database: signature, expiry, type) or an admin token
 * (Settings → Admin Tokens, looked up by its hash). The route authenticates the request again
 * (active session, user); this only keeps the large parser from callers without one.
 */
const carriesAdminCredential = async (strapi: Core.Strapi, ctx: Context): Promise<boolean> => {
  const match = /^bearer\s+(\S+)$/i.exec(ctx.get('authorization'));
  if (!match) return false;
  const manager = (strapi as unknown as { sessionManager?: (origin: string) => AdminSessions }).sessionManager;
  if (!manager) return true; // no session manager to check with: the header's shape only
  if (manager('admin').validateAccessToken(match[1]).isValid) return true;
  const tokens = strapi.service('admin::api-token-admin') as AdminTokens | undefined;
  return tokens?.authenticateAdminToken ? (await tokens.authenticateAdminToken(match[1])).authenticated : false;
};

const CALLBACK_CHECK = Symbol.for('processon.callbackToken');

/** The callback token check made before parsing, for the route to reuse. */
export const callbackTokenOf = (ctx: Context): CallbackTokenCheck | undefined =>
  (ctx.state as Record<symbol, CallbackTokenCheck | undefined>)[CALLBACK_CHECK];

/** "20 MB", "512 KB" or "1234567 bytes": exact, so the message never rounds the limit. */
export const formatLimit = (bytes: number): string => {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
};

export const tooLargeMessage = (limit: number, lang: 'en' | 'zh' = 'en'): string =>
  lang === 'zh'
    ? `错误：图表超过了 ${formatLimit(limit)} 的大小上限（maxDefSize）`
    : `error: the diagram is larger than the ${formatLimit(limit)} limit (maxDefSize)`;

/**
 * Answers a save that is too large: 413 with a short text for ProcessOn (en, or zh-Hans when
 * Accept-Language prefers Chinese); for the admin route, Strapi's JSON error (PayloadTooLargeError).
 */
export const answerTooLarge = (ctx: Context, channel: SaveChannel, limit: number): void => {
  if (channel === 'admin') {
    throw new errors.PayloadTooLargeError(tooLargeMessage(limit), { limit, setting: 'maxDefSize' });
  }
  ctx.status = 413;
  ctx.type = 'text/plain; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = tooLargeMessage(limit, prefersChinese(ctx) ? 'zh' : 'en');
};

/** A callback body the parser cannot read (malformed JSON, broken multipart): a short 400 text. */
const answerUnreadable = (ctx: Context): void => {
  ctx.status = 400;
  ctx.type = 'text/plain; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = prefersChinese(ctx) ? '错误：无法读取请求内容' : 'error: the request body could not be read';
};

/** Whether a def is over `maxDefSize` UTF-8 bytes (cheap bounds first: a UTF-16 unit is 1–3 bytes). */
export const defTooLarge = (def: string, maxDefSize: number): boolean => {
  if (def.length > maxDefSize) return true;
  if (def.length * 3 <= maxDefSize) return false;
  return Buffer.byteLength(def, 'utf8') > maxDefSize;
};

/**
 * The def-size rule, for the places that parse a push (callback controller, admin save route):
 * answers 413 and returns true when the def is over the effective maxDefSize, else returns false.
 * For 'admin' it throws PayloadTooLargeError (Strapi's error middleware answers it).
 *
 *   if (await refuseOversizedDef(strapi, ctx, 'callback', push.def)) return;
 */
export const refuseOversizedDef = async (
  strapi: Core.Strapi,
  ctx: Context,
  channel: SaveChannel,
  def: string
): Promise<boolean> => {
  const limit = (await getService(strapi, 'settings').get()).values.maxDefSize;
  if (!defTooLarge(def, limit)) return false;
  answerTooLarge(ctx, channel, limit);
  return true;
};

/** A body parser's "too large" error: raw-body's (json, form, text) or formidable's field size. */
const isTooLargeError = (error: unknown): boolean => {
  if (!isRecord(error) && !(error instanceof Error)) return false;
  const e = error as Error & { status?: unknown; type?: unknown; httpCode?: unknown; code?: unknown };
  if (e.status === 413 && e.type === 'entity.too.large') return true;
  return e.httpCode === 413 && typeof e.message === 'string' && e.message.includes('maxFieldsSize');
};

type MiddlewareFactory = Core.MiddlewareFactory<unknown>;
type Handler = (ctx: Context, next: Next) => Promise<unknown>;

interface MiddlewaresRegistry {
  get(uid: string): MiddlewareFactory | undefined;
  extend(uid: string, extendFn: (current: MiddlewareFactory) => MiddlewareFactory): unknown;
}

const passThrough: Handler = (_ctx, next) => next();

/** Name of the wrapped `strapi::body` factory: the tests check it is the one Strapi resolves. */
export const WRAPPED_BODY_NAME = 'processonSaveBodyLimit';

/**
 * The wrapper of Strapi's body middleware factory (see the header of this file). maxDefSize is a
 * setting the admin may change at any time: the save parser is built for the effective value (read
 * from the settings' per-instance cache) and rebuilt when it changes.
 */
export const wrapBodyFactory = (original: MiddlewareFactory): MiddlewareFactory => {
  const wrapped: MiddlewareFactory = (config, deps) => {
    const { strapi } = deps;
    const appParser = (original(config, deps) as Handler | undefined) ?? passThrough;
    /** A parser of Strapi's own factory for a config made from maxDefSize, rebuilt when it changes. */
    const parserFor = (makeConfig: (config: unknown, maxDefSize: number) => Record<string, unknown>) => {
      let built: { limit: number; handler: Handler } | null = null;
      return (limit: number): Handler => {
        if (!built || built.limit !== limit) {
          built = { limit, handler: (original(makeConfig(config, limit), deps) as Handler | undefined) ?? passThrough };
        }
        return built.handler;
      };
    };
    const saveParserFor = parserFor(saveBodyConfig);
    const entryParserFor = parserFor(entryBodyConfig);
    const match = savePathMatcher(strapi.config.get<string>('api.rest.prefix', '/api'));
    const isEntryWrite = entryPathMatcher(diagramFieldFinder(strapi));

    return async (ctx: Context, next: Next) => {
      const channel = match(ctx.method, ctx.path);
      if (!channel) {
        if (isEntryWrite(ctx.method, ctx.path) && (await carriesAdminCredential(strapi, ctx))) {
          const maxDefSize = (await getService(strapi, 'settings').cached()).values.maxDefSize;
          return entryParserFor(maxDefSize)(ctx, next);
        }
        return appParser(ctx, next);
      }
      if (channel === 'callback') {
        // Settings → Check probes the route with `?probe=` and no token: a tiny body, the app's parser.
        if (ctx.query.token === undefined && ctx.query.probe !== undefined) return appParser(ctx, next);
        // The token is verified before any body is read: a push without a valid token is answered
        // at once (short text), and only a real session's push gets the large parser.
        const token = typeof ctx.query.token === 'string' ? ctx.query.token : undefined;
        const check = await getService(strapi, 'sessions').checkToken(token);
        if (!check.ok) return answerCallback(ctx, check.status, check.message);
        (ctx.state as Record<symbol, CallbackTokenCheck>)[CALLBACK_CHECK] = check;
      } else if (!(await carriesAdminCredential(strapi, ctx))) {
        return appParser(ctx, next);
      }
      const maxDefSize = (await getService(strapi, 'settings').cached()).values.maxDefSize;
      let parsed = false;
      try {
        return await saveParserFor(maxDefSize)(ctx, () => {
          parsed = true;
          return next();
        });
      } catch (error) {
        // Only the parser's own errors: whatever the route throws passes through.
        if (parsed) throw error;
        if (isTooLargeError(error)) return answerTooLarge(ctx, channel, maxDefSize);
        if (channel === 'callback') return answerUnreadable(ctx);
        throw error;
      }
    };
  };
  Object.defineProperty(wrapped, 'name', { value: WRAPPED_BODY_NAME });
  return wrapped;
};

/**
 * Called from the plugin's register(): Strapi instantiates `strapi::body` later (at bootstrap,
 * `server.initMiddlewares`), through the registry, so the wrapped factory is the one used. Should a
 * future Strapi drop the API, the plugin warns and keeps working with Strapi's limits.
 */
export const registerBodyLimit = (strapi: Core.Strapi): void => {
  const registry = strapi.get<MiddlewaresRegistry | undefined>('middlewares');
  if (!registry || typeof registry.extend !== 'function' || !registry.get('strapi::body')) {
    strapi.log.warn('processon: cannot extend strapi::body; saves keep Strapi\'s body limits (1 MB JSON, 56 KB form)');
    return;
  }
  registry.extend('strapi::body', wrapBodyFactory);
};
