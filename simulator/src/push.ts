/** The push ProcessOn makes to callbackurl on each Save: `{chartid, def, size, valid}`. */
import type { CallbackFormat } from './state';

export interface PushPayload {
  chartid: string;
  def: string;
  /** KB, as a string ("12.5"). */
  size: string;
  valid: boolean;
}

export interface PushOutcome {
  /** HTTP status of the callback's answer; 0 when it could not be reached. */
  status: number;
  /** Its body as text (cut to PUSH_BODY_KEPT characters). */
  body: string;
  /** Set when the callback could not be reached or did not answer in time. */
  error?: string;
}

export const PUSH_TIMEOUT_MS = 10_000;
export const PUSH_BODY_KEPT = 10_000;

export const encodePush = (payload: PushPayload, format: CallbackFormat): { contentType: string; body: string } =>
  format === 'form'
    ? {
        contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
        body: new URLSearchParams({
          chartid: payload.chartid,
          def: payload.def,
          size: payload.size,
          valid: payload.valid ? 'true' : 'false',
        }).toString(),
      }
    : { contentType: 'application/json;charset=UTF-8', body: JSON.stringify(payload) };

const errorText = (error: unknown): string => {
  // Not `instanceof Error`: fetch's errors may come from another realm (e.g. under jest).
  if (typeof error !== 'object' || error === null) return String(error);
  const message = 'message' in error && typeof error.message === 'string' ? error.message : String(error);
  const cause = 'cause' in error ? error.cause : undefined;
  if (typeof cause === 'object' && cause !== null && 'message' in cause && typeof cause.message === 'string' && cause.message) {
    return `${message}: ${cause.message}`;
  }
  return message;
};

/**
 * Posts the payload to the callback, server to server, and reads its answer. Redirects are not followed
 * (a 3xx is an answer like any other).
 */
export const pushToCallback = async (
  url: string,
  payload: PushPayload,
  format: CallbackFormat,
  timeoutMs: number = PUSH_TIMEOUT_MS
): Promise<PushOutcome> => {
  const { contentType, body } = encodePush(payload, format);
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': contentType, Accept: 'text/plain, application/json;q=0.9, */*;q=0.8', 'User-Agent': 'ProcessOn-simulator' },
      body,
      redirect: 'manual',
      signal,
    });
    const text = await response.text();
    return { status: response.status, body: text.slice(0, PUSH_BODY_KEPT) };
  } catch (error) {
    if (signal.aborted) return { status: 0, body: '', error: 'the callback did not answer in time' };
    return { status: 0, body: '', error: errorText(error) };
  }
};
