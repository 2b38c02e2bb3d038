import * as React from 'react';

import { Box, Button, Flex, Loader, Modal, Typography } from '@strapi/design-system';
import { CheckCircle } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';

import type { RevisionDTO } from '../../../server/src/processon/api';
import { saveFromEditorMessage } from '../../../server/src/processon/callback';
import { errorCodeFromMessage, isErrorCode, type ErrorCode } from '../../../server/src/processon/errors';
import type { FormDescriptor } from '../../../server/src/processon/forms';
import type { SettingKey } from '../../../server/src/processon/settings';
import type { DiagramValue } from '../../../server/src/processon/value';
import { createSession, fetchSessionState, fetchStatus, forwardSave, isAbortError, readApiError } from '../utils/api';
import { edgeToEdgeModal, formatClock } from '../utils/format';
import { useTranslate, type Translate, type TranslationKey } from '../utils/getTranslation';
import { postFormInto } from '../utils/postForm';
import { ErrorCodeHelp, ErrorExplanation } from './ProcessOnErrors';
import { SettingsLink } from './SettingsLink';

/** Where the diagram lives: what POST /processon/sessions needs besides the diagram itself. */
export interface EditorTarget {
  uid: string;
  documentId: string | null;
  locale: string | null;
  /** Field path in the entry, e.g. "diagram" or "sections.0.diagram". */
  field: string;
}

interface EditorModalProps {
  /** The diagram as it was when the editor was opened. */
  diagram: DiagramValue;
  target: EditorTarget;
  /** Called once per new save received through this session. */
  onRevision: (revision: RevisionDTO) => void;
  /** `saves`: how many saves reached Strapi while the editor was open. */
  onClose: (saves: number) => void;
}

type Phase =
  | { kind: 'starting' }
  | { kind: 'not-configured'; missing: SettingKey[] }
  /** Stopped before ProcessOn was asked, for a reason ProcessOn has a code for (e.g. the quota: 4004). */
  | { kind: 'refused'; code: ErrorCode; message: string }
  | { kind: 'failed'; message: string }
  | {
      kind: 'open';
      sessionId: string;
      expiresAt: string;
      form: FormDescriptor<'edit'>;
      /** Origin editor messages may come from. */
      apiOrigin: string | null;
    };

const POLL_INTERVAL_MS = 1000;

export const SETTING_LABEL_KEYS: Record<'appkey' | 'apiBaseUrl' | 'publicUrl', TranslationKey> = {
  appkey: 'settings.appkey.label',
  apiBaseUrl: 'settings.apiBaseUrl.label',
  publicUrl: 'settings.publicUrl.label',
};

/** The settings missing before the editor can open, by name. */
export const missingLabels = (t: Translate, missing: SettingKey[]): string =>
  missing
    .filter((key): key is keyof typeof SETTING_LABEL_KEYS => key in SETTING_LABEL_KEYS)
    .map((key) => t(SETTING_LABEL_KEYS[key]))
    .join(', ');

const errorMessage = (t: Translate, error: unknown): string => {
  const problem = readApiError(error);
  if (problem.status === 403) return t('error.forbidden');
  return problem.message !== '' ? problem.message : t('error.unknown');
};

/** Full screen, over the whole admin. */
const FULL_SCREEN: React.CSSProperties = { ...edgeToEdgeModal('100vw'), left: 0 };

/**
 * The ProcessOn editor, full screen: checks the plugin is configured, opens an edit session, posts
 * the session's form into an iframe, then watches the session for saves (polling every second,
 * and at once when the editor posts a message to this window). Esc or Close closes it.
 */
export const EditorModal = ({ diagram, target, onRevision, onClose }: EditorModalProps) => {
  const t = useTranslate();
  const client = useFetchClient();
  const { toggleNotification } = useNotification();
  const [phase, setPhase] = React.useState<Phase>({ kind: 'starting' });
  const [attempt, setAttempt] = React.useState(0);
  const [iframe, setIframe] = React.useState<HTMLIFrameElement | null>(null);
  const iframeRef = React.useRef<HTMLIFrameElement | null>(null);
  iframeRef.current = iframe;
  const [savedAt, setSavedAt] = React.useState<string | null>(null);
  const savesRef = React.useRef(0);
  const [retrying, setRetrying] = React.useState(false);
  const [expired, setExpired] = React.useState(false);
  const [frameError, setFrameError] = React.useState<ErrorCode | null>(null);

  const onRevisionRef = React.useRef(onRevision);
  onRevisionRef.current = onRevision;
  // Messages are read through a ref so that a locale change never re-opens the session.
  const tRef = React.useRef(t);
  tRef.current = t;

  // The session is opened once per attempt; the diagram and target are those of the opening.
  const openingRef = React.useRef({ diagram, target });

  /* 1. status, then session ------------------------------------------------------------------ */
  React.useEffect(() => {
    const controller = new AbortController();
    const { diagram: opened, target: where } = openingRef.current;
    setPhase({ kind: 'starting' });
    (async () => {
      try {
        const status = await fetchStatus(client, controller.signal);
        if (!status.configured) {
          setPhase({ kind: 'not-configured', missing: status.missing });
          return;
        }
        const session = await createSession(
          client,
          {
            uid: where.uid,
            documentId: where.documentId,
            locale: where.locale,
            field: where.field,
            chartid: opened.chartid,
            category: opened.category,
            title: opened.title,
            def: opened.def,
          },
          controller.signal
        );
        // The server may answer another chartid than asked (a fork of a diagram copied from
        // another entry): the saves of this session are the fork's.
        openingRef.current = { ...openingRef.current, diagram: { ...opened, chartid: session.form.fields.chartid } };
        setPhase({
          kind: 'open',
          sessionId: session.sessionId,
          expiresAt: session.expiresAt,
          form: session.form,
          apiOrigin: status.apiOrigin,
        });
      } catch (error) {
        if (controller.signal.aborted || isAbortError(error)) return;
        const problem = readApiError(error);
        const code = problem.details.processonCode;
        if (isErrorCode(code)) {
          setPhase({ kind: 'refused', code, message: problem.message });
          return;
        }
        const message = errorMessage(tRef.current, error);
        toggleNotification({ type: 'danger', message });
        setPhase({ kind: 'failed', message });
      }
    })();
    return () => controller.abort();
  }, [client, toggleNotification, attempt]);

  const session = phase.kind === 'open' ? phase : null;
  const frameName = session ? `processon-editor-${session.sessionId}` : undefined;

  /* 2. post the form into the iframe, once per session --------------------------------------- */
  const postedRef = React.useRef<string | null>(null);
  React.useEffect(() => {
    if (!session || !iframe || !frameName || postedRef.current === session.sessionId) return;
    postedRef.current = session.sessionId;
    postFormInto(session.form, frameName);
  }, [session, iframe, frameName]);

  /* 3. watch the session for saves ----------------------------------------------------------- */
  const sessionId = session?.sessionId ?? null;
  const apiOrigin = session?.apiOrigin ?? null;
  const expiresAt = session?.expiresAt ?? null;
  React.useEffect(() => {
    if (!sessionId) return undefined;
    const controller = new AbortController();
    let stopped = false;
    let inFlight = false;
    let again = false;
    let lastSeen: string | null = null;
    let failures = 0;

    const stop = () => {
      stopped = true;
      window.clearInterval(timer);
      window.removeEventListener('message', onMessage);
    };

    const poll = async (): Promise<void> => {
      if (stopped) return;
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      try {
        const state = await fetchSessionState(client, sessionId, lastSeen, controller.signal);
        if (stopped) return;
        failures = 0;
        setRetrying(false);
        const revision = state.revision;
        if (revision && revision.id !== lastSeen && revision.chartid === openingRef.current.diagram.chartid) {
          lastSeen = revision.id;
          savesRef.current += 1;
          setSavedAt(revision.createdAt);
          setFrameError(null);
          onRevisionRef.current(revision);
        }
      } catch (error) {
        if (stopped || isAbortError(error)) return;
        const problem = readApiError(error);
        if (problem.status === 404) {
          // The session is gone (expired and cleaned up): saves can no longer reach Strapi.
          setExpired(true);
          setRetrying(false);
          stop();
          return;
        }
        failures += 1;
        setRetrying(true);
        if (failures === 3) {
          toggleNotification({ type: 'warning', message: errorMessage(tRef.current, error) });
        }
      } finally {
        inFlight = false;
        if (again && !stopped) {
          again = false;
          void poll();
        }
      }
    };

    // The editor posts each save (and, when it refuses to open, its error code) to its parent.
    // Only our own iframe, from the ProcessOn origin, is listened to; a save is forwarded to the
    // server, which stores it exactly as a callback (so a save is kept even when ProcessOn cannot
    // reach the callback URL), then the session is read at once.
    const onMessage = (event: MessageEvent) => {
      if (!apiOrigin || event.origin !== apiOrigin) return;
      const frame = iframeRef.current;
      if (!frame || !frame.contentWindow || event.source !== frame.contentWindow) return;
      const code = errorCodeFromMessage(event.data);
      if (code) {
        setFrameError(code);
        return;
      }
      const save = saveFromEditorMessage(event.data, openingRef.current.diagram.chartid);
      if (!save) {
        void poll();
        return;
      }
      forwardSave(client, sessionId, save, controller.signal)
        .catch((error: unknown) => {
          if (!stopped && !isAbortError(error)) {
            toggleNotification({ type: 'warning', message: errorMessage(tRef.current, error) });
          }
        })
        .finally(() => void poll());
    };

    const timer = window.setInterval(() => {
      if (expiresAt && Date.parse(expiresAt) < Date.now()) setExpired(true);
      void poll();
    }, POLL_INTERVAL_MS);
    window.addEventListener('message', onMessage);
    void poll();

    return () => {
      stop();
      controller.abort();
    };
  }, [client, sessionId, apiOrigin, expiresAt, toggleNotification]);

  /* ------------------------------------------------------------------------------------------ */
  const title = openingRef.current.diagram.title;
  const close = () => onClose(savesRef.current);

  return (
    <Modal.Root
      open
      onOpenChange={(open) => {
        if (!open) close();
      }}
    >
      <Modal.Content aria-describedby="processon-editor-status" style={FULL_SCREEN} data-testid="processon-editor">
        <Modal.Header closeLabel={t('editor.close-label')} style={{ flex: '0 0 auto' }}>
          <Flex gap={4} alignItems="center" wrap="wrap">
            <Modal.Title>{t('editor.title', { title })}</Modal.Title>
            <Box id="processon-editor-status" aria-live="polite">
              {savedAt ? (
                <Flex gap={2} alignItems="center">
                  <CheckCircle fill="success600" aria-hidden />
                  <Typography data-testid="processon-save-status" textColor="success600" fontWeight="semiBold">
                    {t('editor.saved', { time: formatClock(savedAt) })}
                  </Typography>
                  <Typography textColor="neutral600" data-testid="processon-save-reminder">
                    {t('editor.saved.reminder')}
                  </Typography>
                </Flex>
              ) : session ? (
                <Typography textColor="neutral600">{t('editor.waiting')}</Typography>
              ) : null}
              {retrying && !expired && (
                <Typography textColor="warning600" tag="p">
                  {t('editor.poll-retrying')}
                </Typography>
              )}
              {expired && (
                <Typography textColor="danger600" tag="p">
                  {t('editor.expired')}
                </Typography>
              )}
            </Box>
          </Flex>
        </Modal.Header>
        {frameError && (
          <Box padding={4} background="neutral100" style={{ flex: '0 0 auto' }}>
            <ErrorExplanation code={frameError} onClose={() => setFrameError(null)} />
          </Box>
        )}
        <Box flex="1" style={{ minHeight: 0, display: 'flex', flexDirection: 'column' }} background="neutral0">
          {phase.kind === 'starting' && (
            <Flex justifyContent="center" alignItems="center" height="100%" direction="column" gap={3}>
              <Loader small>{t('editor.loading')}</Loader>
              <Typography textColor="neutral600" aria-hidden>
                {t('editor.loading')}
              </Typography>
            </Flex>
          )}
          {phase.kind === 'not-configured' && (
            <Flex
              justifyContent="center"
              alignItems="center"
              height="100%"
              direction="column"
              gap={3}
              padding={8}
              data-testid="processon-not-configured"
            >
              <Typography variant="beta" tag="p">
                {t('editor.not-configured.title')}
              </Typography>
              <Typography textColor="neutral600" tag="p" textAlign="center">
                {t('editor.not-configured.body', { missing: missingLabels(t, phase.missing) })}
              </Typography>
              <SettingsLink fallback={<Typography textColor="neutral600">{t('input.not-configured.ask')}</Typography>}>
                {t('input.not-configured.link')}
              </SettingsLink>
            </Flex>
          )}
          {phase.kind === 'refused' && (
            <Flex justifyContent="center" alignItems="center" height="100%" direction="column" gap={4} padding={8}>
              <Box maxWidth="60rem" width="100%">
                <ErrorExplanation code={phase.code} title={t('editor.refused.quota', { code: phase.code })} />
              </Box>
              <Typography textColor="neutral600" tag="p" textAlign="center">
                {phase.message}
              </Typography>
            </Flex>
          )}
          {phase.kind === 'failed' && (
            <Flex justifyContent="center" alignItems="center" height="100%" direction="column" gap={4} padding={8}>
              <Typography variant="beta" tag="p">
                {t('editor.failed.title')}
              </Typography>
              <Typography textColor="danger600" tag="p" textAlign="center">
                {phase.message}
              </Typography>
              <Button variant="secondary" onClick={() => setAttempt((n) => n + 1)}>
                {t('editor.retry')}
              </Button>
            </Flex>
          )}
          {session && frameName && (
            <iframe
              ref={setIframe}
              name={frameName}
              title={t('editor.frame-title', { title })}
              data-testid="processon-editor-frame"
              allow="clipboard-write; fullscreen"
              style={{ border: 0, width: '100%', flex: 1, minHeight: 0, display: 'block' }}
            />
          )}
        </Box>
        <Modal.Footer style={{ flex: '0 0 auto' }}>
          <Flex direction="column" alignItems="flex-start" gap={1}>
            <Typography variant="pi" textColor="neutral600">
              {t('editor.footer')}
            </Typography>
            <ErrorCodeHelp />
          </Flex>
          <Modal.Close>
            <Button variant="tertiary">{t('editor.close')}</Button>
          </Modal.Close>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
