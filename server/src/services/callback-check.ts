import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { callbackUrlFor, isProbeAnswer, type CallbackCheckResponse } from '../processon';
import { getService } from '../utils';

/** How long the check waits for the answer. */
export const CHECK_TIMEOUT_MS = 5000;
/** At most this much of the answer is read. */
const MAX_ANSWER_BYTES = 4096;

type Result = CallbackCheckResponse['data'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first bytes of a response body (the rest is never downloaded). */
const readCapped = async (response: Response, max: number): Promise<string> => {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done || !value) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
};

/**
 * Fields of a thrown value, read by shape: fetch's errors (DOMException, TypeError) may come from
 * another realm than this module's `Error` (e.g. under a test sandbox), so `instanceof` is not used.
 */
const field = (value: unknown, key: 'name' | 'message' | 'code' | 'cause'): unknown =>
  (typeof value === 'object' && value !== null) || typeof value === 'function'
    ? (value as Record<string, unknown>)[key]
    : undefined;

const networkDetail = (error: unknown): string => {
  const cause = field(error, 'cause');
  const code = field(cause, 'code');
  if (typeof code === 'string') return code;
  const message = field(cause, 'message') ?? field(error, 'message');
  return (typeof message === 'string' ? message : String(error)).slice(0, 200);
};

/**
 * Proves from the server that ProcessOn can reach the callback route at a public URL: posts a probe
 * (`?probe=<random nonce>`, empty body, no token: it stores nothing) to exactly
 * `<publicUrl>/api/processon/callback`, without following redirects, with a timeout, reading at
 * most 4 KB, and succeeds only when the answer carries this Strapi's signature of the nonce (so
 * another server answering 200 at that address is told apart). The caller only learns the outcome
 * and the status, never the body, so the check cannot be used to read other services.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async check(publicUrl: string): Promise<Result> {
    const url = callbackUrlFor(publicUrl);
    if (!url) return { ok: false, outcome: 'no-public-url', url: null, status: null, detail: null, elapsedMs: 0 };
    const secret = getService(strapi, 'settings').callbackSecret();
    const nonce = randomBytes(24).toString('base64url');
    const started = Date.now();
    const done = (outcome: Result['outcome'], status: number | null, detail: string | null): Result => ({
      ok: outcome === 'ok',
      outcome,
      url,
      status,
      detail,
      elapsedMs: Date.now() - started,
    });
    let response: Response;
    try {
      response = await fetch(`${url}?probe=${nonce}`, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
        headers: {
          'Content-Type': 'text/plain; charset=utf-8',
          Accept: 'application/json',
          'User-Agent': 'strapi-plugin-processon (callback check)',
        },
        body: '',
      });
    } catch (error) {
      const name = field(error, 'name');
      if (name === 'TimeoutError' || name === 'AbortError') return done('timeout', null, `no answer within ${CHECK_TIMEOUT_MS / 1000} s`);
      return done('unreachable', null, networkDetail(error));
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      // Only where it leads (scheme, host, port): enough to spot http → https, nothing more of
      // whatever answered at that address.
      const location = response.headers.get('location');
      let leadsTo: string | null = null;
      try {
        leadsTo = location ? new URL(location, url).origin : null;
      } catch {
        leadsTo = null;
      }
      return done('redirect', response.status, leadsTo);
    }
    let text = '';
    try {
      text = await readCapped(response, MAX_ANSWER_BYTES);
    } catch (error) {
      return done('timeout', response.status, networkDetail(error));
    }
    let answer: unknown = null;
    try {
      answer = JSON.parse(text) as unknown;
    } catch {
      answer = null;
    }
    if (response.status === 200 && isRecord(answer) && isProbeAnswer(secret, nonce, answer.probe)) {
      return done('ok', response.status, null);
    }
    return done('other-server', response.status, null);
  },
});
