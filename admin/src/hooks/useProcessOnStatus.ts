import * as React from 'react';

import { useFetchClient } from '@strapi/strapi/admin';

import type { StatusResponse } from '../../../server/src/processon/api';
import { fetchStatus, isAbortError } from '../utils/api';

type Status = StatusResponse['data'];

export type StatusState = { kind: 'loading' } | { kind: 'error' } | { kind: 'ready'; status: Status };

/** How long one answer serves every field of the page (a page may hold many diagram fields). */
const FRESH_MS = 15_000;

let shared: { at: number; promise: Promise<Status> } | null = null;

/** Forgets the shared answer (e.g. after the settings were saved). */
export const invalidateProcessOnStatus = (): void => {
  shared = null;
};

/**
 * GET /processon/status, shared by every field of the page: whether the plugin is configured, the
 * ProcessOn origin, the default category and Save-button setting.
 */
export const useProcessOnStatus = (): StatusState => {
  const client = useFetchClient();
  const [state, setState] = React.useState<StatusState>({ kind: 'loading' });
  React.useEffect(() => {
    let active = true;
    if (!shared || Date.now() - shared.at > FRESH_MS) {
      const promise = fetchStatus(client);
      shared = { at: Date.now(), promise };
      promise.catch(() => {
        if (shared?.promise === promise) shared = null;
      });
    }
    shared.promise
      .then((status) => {
        if (active) setState({ kind: 'ready', status });
      })
      .catch((error: unknown) => {
        if (active && !isAbortError(error)) setState({ kind: 'error' });
      });
    return () => {
      active = false;
    };
  }, [client]);
  return state;
};
