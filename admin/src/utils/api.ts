/**
 * Typed calls to the plugin's admin API (contract: server/src/processon/api.ts), made with the
 * admin's fetch client (`useFetchClient`), which adds the base URL and the admin token.
 */
import type { FetchClient } from '@strapi/strapi/admin';

import type {
  CallbackCheckBody,
  CallbackCheckResponse,
  CreateSessionBody,
  CreateSessionResponse,
  ForwardedSaveBody,
  PreviewFormBody,
  PreviewFormResponse,
  RevisionListResponse,
  RestoreTarget,
  RevisionRestoreResponse,
  SessionStateResponse,
  SettingsResponse,
  SettingsUpdateBody,
  StatusResponse,
  UsageResponse,
} from '../../../server/src/processon/api';

export const fetchStatus = async (
  client: FetchClient,
  signal?: AbortSignal
): Promise<StatusResponse['data']> => {
  const { data } = await client.get<StatusResponse>('/processon/status', { signal });
  return data.data;
};

export const createSession = async (
  client: FetchClient,
  body: CreateSessionBody,
  signal?: AbortSignal
): Promise<CreateSessionResponse['data']> => {
  const { data } = await client.post<CreateSessionResponse, CreateSessionBody>('/processon/sessions', body, {
    signal,
  });
  return data.data;
};

/** The session's newest save; `since` (the newest revision already seen) spares downloading it again. */
export const fetchSessionState = async (
  client: FetchClient,
  sessionId: string,
  since: string | null,
  signal?: AbortSignal
): Promise<SessionStateResponse['data']> => {
  const query = since ? `?since=${encodeURIComponent(since)}` : '';
  const { data } = await client.get<SessionStateResponse>(
    `/processon/sessions/${encodeURIComponent(sessionId)}${query}`,
    { signal }
  );
  return data.data;
};

/** Forwards a save the editor posted to this page (postMessage) to the server, which stores it. */
export const forwardSave = async (
  client: FetchClient,
  sessionId: string,
  body: ForwardedSaveBody,
  signal?: AbortSignal
): Promise<SessionStateResponse['data']> => {
  const { data } = await client.post<SessionStateResponse, ForwardedSaveBody>(
    `/processon/sessions/${encodeURIComponent(sessionId)}/saves`,
    body,
    { signal }
  );
  return data.data;
};

export const fetchSettings = async (
  client: FetchClient,
  signal?: AbortSignal
): Promise<SettingsResponse['data']> => {
  const { data } = await client.get<SettingsResponse>('/processon/settings', { signal });
  return data.data;
};

export const updateSettings = async (
  client: FetchClient,
  body: SettingsUpdateBody
): Promise<SettingsResponse['data']> => {
  const { data } = await client.put<SettingsResponse, SettingsUpdateBody>('/processon/settings', body);
  return data.data;
};

export const fetchUsage = async (client: FetchClient, signal?: AbortSignal): Promise<UsageResponse['data']> => {
  const { data } = await client.get<UsageResponse>('/processon/usage', { signal });
  return data.data;
};

/** Asks the server to prove the callback route is reachable at a public URL (none: the stored one). */
export const checkCallback = async (
  client: FetchClient,
  body: CallbackCheckBody,
  signal?: AbortSignal
): Promise<CallbackCheckResponse['data']> => {
  const { data } = await client.post<CallbackCheckResponse, CallbackCheckBody>('/processon/settings/check-callback', body, {
    signal,
  });
  return data.data;
};

/** The viewer or export form of a field's diagram, with an empty def (the caller fills it in). */
export const fetchPreviewForm = async (
  client: FetchClient,
  body: PreviewFormBody,
  signal?: AbortSignal
): Promise<PreviewFormResponse['data']['form']> => {
  const { data } = await client.post<PreviewFormResponse, PreviewFormBody>('/processon/forms', body, { signal });
  return data.data.form;
};

const chartPath = (chartid: string) => `/processon/charts/${encodeURIComponent(chartid)}/revisions`;

export const fetchRevisions = async (
  client: FetchClient,
  chartid: string,
  page: number,
  signal?: AbortSignal
): Promise<RevisionListResponse> => {
  const { data } = await client.get<RevisionListResponse>(`${chartPath(chartid)}?page=${page}&pageSize=20`, { signal });
  return data;
};

export const restoreRevision = async (
  client: FetchClient,
  chartid: string,
  revisionId: string,
  target: RestoreTarget
): Promise<RevisionRestoreResponse> => {
  const { data } = await client.post<RevisionRestoreResponse>(
    `${chartPath(chartid)}/${encodeURIComponent(revisionId)}/restore`,
    target
  );
  return data;
};

/* -------------------------------------------------------------------------------------------------
 * Errors
 * -----------------------------------------------------------------------------------------------*/

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** One field's problem in a ValidationError: the server's (English) message, and its code when it has one. */
export interface FieldProblem {
  message: string;
  code: string | null;
  params: Record<string, string | number>;
}

/** What the UI needs from a failed call. */
export interface ApiProblem {
  /** HTTP status, or null for a network failure. */
  status: number | null;
  /** The server's message (Strapi's `error.message`), or the client's. */
  message: string;
  /** `details.errors[]` of a ValidationError, by the first segment of each path. */
  fieldErrors: Record<string, FieldProblem>;
  /** `error.details` as the server sent it ({} when none). */
  details: Record<string, unknown>;
}

const paramsOf = (value: unknown): Record<string, string | number> =>
  isRecord(value)
    ? Object.fromEntries(
        Object.entries(value).filter((entry): entry is [string, string | number] => typeof entry[1] === 'string' || typeof entry[1] === 'number')
      )
    : {};

/** True for a request cancelled through its AbortSignal (unmount, modal closed). */
export const isAbortError = (error: unknown): boolean =>
  isRecord(error) ? error.name === 'AbortError' : error instanceof Error && error.name === 'AbortError';

/**
 * Reads an error thrown by the fetch client. Its FetchError carries `status` and, for Strapi's
 * error shape, `response.data.error = { status, name, message, details }`.
 */
export const readApiError = (error: unknown): ApiProblem => {
  const problem: ApiProblem = { status: null, message: '', fieldErrors: {}, details: {} };
  if (error instanceof Error) problem.message = error.message;
  if (!isRecord(error)) return problem;
  if (typeof error.status === 'number') problem.status = error.status;
  const response = error.response;
  const body = isRecord(response) && isRecord(response.data) ? response.data : null;
  const apiError = body && isRecord(body.error) ? body.error : null;
  if (!apiError) return problem;
  if (typeof apiError.status === 'number') problem.status = apiError.status;
  if (typeof apiError.message === 'string' && apiError.message !== '') problem.message = apiError.message;
  const details = isRecord(apiError.details) ? apiError.details : null;
  if (details) problem.details = details;
  const errors = details && Array.isArray(details.errors) ? details.errors : [];
  for (const item of errors) {
    if (!isRecord(item) || typeof item.message !== 'string') continue;
    const path = Array.isArray(item.path) ? item.path : [];
    const key = path.length > 0 ? String(path[0]) : '';
    if (key !== '' && !(key in problem.fieldErrors)) {
      problem.fieldErrors[key] = {
        message: item.message,
        code: typeof item.code === 'string' ? item.code : null,
        params: paramsOf(item.params),
      };
    }
  }
  return problem;
};
