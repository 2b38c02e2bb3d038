import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The token carried by callbackurl: `<sessionId>.<expiry seconds>.<base64url HMAC-SHA256>` over
 * `sessionId|chartid|expiry`. Binding the chartid means a token of one session cannot carry
 * another diagram's save.
 */
export interface TokenClaims {
  sessionId: string;
  chartid: string;
  /** Expiry, Unix seconds. */
  exp: number;
}

const sign = (secret: string, claims: TokenClaims): string =>
  createHmac('sha256', secret)
    .update(`${claims.sessionId}|${claims.chartid}|${claims.exp}`)
    .digest('base64url');

export const signToken = (secret: string, claims: TokenClaims): string =>
  `${claims.sessionId}.${claims.exp}.${sign(secret, claims)}`;

export type TokenCheck =
  | { ok: true; sessionId: string; exp: number }
  | { ok: false; reason: 'missing' | 'malformed' | 'signature' | 'expired' };

const TOKEN_RE = /^([A-Za-z0-9_-]{1,64})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/** Reads the session id out of a token without trusting it (to know which session to load). */
export const tokenSessionId = (token: string): string | null => TOKEN_RE.exec(token)?.[1] ?? null;

/** Verifies a token for the chartid of the push (constant-time comparison). */
export const verifyToken = (
  secret: string,
  token: string | undefined | null,
  chartid: string,
  nowSeconds: number = Math.floor(Date.now() / 1000)
): TokenCheck => {
  if (!token) return { ok: false, reason: 'missing' };
  const match = TOKEN_RE.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, sessionId, expText, mac] = match;
  const exp = Number(expText);
  const expected = Buffer.from(sign(secret, { sessionId, chartid, exp }));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'signature' };
  }
  if (exp <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, sessionId, exp };
};

/**
 * The callback route's reachability probe (Settings → ProcessOn → Check): the server posts
 * `?probe=<nonce>` to `<publicUrl>/api/processon/callback`, and the callback answers
 * `HMAC(probeKey, nonce)`. The probe key is derived from the secret under its own label, so answers
 * to chosen nonces never help forge a callback token (those are HMACs under the secret itself).
 */
export const PROBE_NONCE_RE = /^[A-Za-z0-9_-]{16,64}$/;

const probeKey = (secret: string): Buffer => createHmac('sha256', secret).update('processon-callback-probe|v1').digest();

export const probeAnswer = (secret: string, nonce: string): string =>
  createHmac('sha256', probeKey(secret)).update(nonce).digest('base64url');

export const isProbeAnswer = (secret: string, nonce: string, answer: unknown): boolean => {
  if (typeof answer !== 'string') return false;
  const expected = Buffer.from(probeAnswer(secret, nonce));
  const given = Buffer.from(answer);
  return expected.length === given.length && timingSafeEqual(expected, given);
};
