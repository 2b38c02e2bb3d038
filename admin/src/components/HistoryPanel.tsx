import * as React from 'react';

import {
  Badge,
  Box,
  Button,
  EmptyStateLayout,
  Flex,
  Loader,
  Modal,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { RestoreTarget, RevisionDetail, RevisionSummary } from '../../../server/src/processon/api';
import { formatSizeKB } from '../../../server/src/processon/def';
import { fetchRevisions, isAbortError, readApiError, restoreRevision } from '../utils/api';
import { edgeToEdgeModal, formatClock } from '../utils/format';
import { useTranslate, type TranslationKey } from '../utils/getTranslation';

const SOURCE_KEYS: Record<RevisionSummary['source'], TranslationKey> = {
  callback: 'history.source.callback',
  postMessage: 'history.source.postMessage',
  restore: 'history.source.restore',
  initial: 'history.source.initial',
};

/** A side panel: the design system's modal, docked to the right edge at full height. */
const SIDE_PANEL_STYLE: React.CSSProperties = { ...edgeToEdgeModal('min(86rem, 100vw)'), right: 0, left: 'auto' };

type ListState =
  | { kind: 'loading' }
  | { kind: 'none' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; items: RevisionSummary[]; page: number; pageCount: number; total: number };

interface HistoryPanelProps {
  chartid: string;
  /** The field a restored revision goes into (the server writes no history that is not its own). */
  target: RestoreTarget;
  title: string;
  /** Restore is not offered (read-only field). */
  readOnly: boolean;
  /** Puts a restored revision into the field. */
  onRestored: (revision: RevisionDetail) => void;
  onClose: () => void;
}

/** Every save of the diagram that reached Strapi (newest first), with Restore. */
export const HistoryPanel = ({ chartid, target, title, readOnly, onRestored, onClose }: HistoryPanelProps) => {
  const t = useTranslate();
  const { formatDate } = useIntl();
  const client = useFetchClient();
  const { toggleNotification } = useNotification();
  const [state, setState] = React.useState<ListState>({ kind: 'loading' });
  const [reload, setReload] = React.useState(0);
  const [restoring, setRestoring] = React.useState<string | null>(null);
  const [loadingMore, setLoadingMore] = React.useState(false);

  React.useEffect(() => {
    const controller = new AbortController();
    setState({ kind: 'loading' });
    fetchRevisions(client, chartid, 1, controller.signal)
      .then(({ data, meta }) =>
        setState(
          meta.pagination.total === 0
            ? { kind: 'none' }
            : {
                kind: 'ready',
                items: data,
                page: 1,
                pageCount: meta.pagination.pageCount,
                total: meta.pagination.total,
              }
        )
      )
      .catch((error: unknown) => {
        if (controller.signal.aborted || isAbortError(error)) return;
        const problem = readApiError(error);
        // No edit session ever named this diagram: it has no saves yet.
        if (problem.status === 404) setState({ kind: 'none' });
        else
          setState({
            kind: 'error',
            message: problem.status === 403 ? t('history.forbidden') : problem.message || t('error.unknown'),
          });
      });
    return () => controller.abort();
  }, [client, chartid, reload, t]);

  const loadMore = async () => {
    if (state.kind !== 'ready') return;
    setLoadingMore(true);
    try {
      const { data, meta } = await fetchRevisions(client, chartid, state.page + 1);
      setState({
        ...state,
        items: [...state.items, ...data],
        page: state.page + 1,
        pageCount: meta.pagination.pageCount,
      });
    } catch (error) {
      toggleNotification({ type: 'danger', message: readApiError(error).message || t('error.unknown') });
    } finally {
      setLoadingMore(false);
    }
  };

  const restore = async (revision: RevisionSummary) => {
    setRestoring(revision.id);
    try {
      const { data, meta } = await restoreRevision(client, chartid, revision.id, target);
      onRestored(data);
      toggleNotification({
        type: 'success',
        message: t(meta.stored ? 'history.restored' : 'history.restored.copy', { time: formatClock(revision.createdAt) }),
      });
      setReload((n) => n + 1);
    } catch (error) {
      const problem = readApiError(error);
      toggleNotification({
        type: 'danger',
        message: problem.status === 403 ? t('history.restore-forbidden') : problem.message || t('error.unknown'),
      });
    } finally {
      setRestoring(null);
    }
  };

  const columns: TranslationKey[] = [
    'history.col.time',
    'history.col.who',
    'history.col.source',
    'history.col.size',
    'history.col.valid',
    ...(readOnly ? [] : (['history.col.action'] as const)),
  ];

  const who = (revision: RevisionSummary): string => {
    const user = revision.user;
    if (!user) return t('history.who.unknown');
    const name = [user.firstname, user.lastname].filter(Boolean).join(' ');
    return name || user.email || t('history.who.deleted');
  };

  return (
    <Modal.Root open onOpenChange={(open) => !open && onClose()}>
      <Modal.Content aria-describedby={undefined} style={SIDE_PANEL_STYLE} data-testid="processon-history">
        <Modal.Header closeLabel={t('history.close-label')}>
          <Modal.Title>{t('history.title', { title })}</Modal.Title>
        </Modal.Header>
        <Box flex="1" overflow="auto" padding={6}>
          {state.kind === 'loading' && (
            <Flex justifyContent="center" padding={8}>
              <Loader small>{t('history.loading')}</Loader>
            </Flex>
          )}
          {state.kind === 'none' && <EmptyStateLayout content={t('history.empty')} />}
          {state.kind === 'error' && (
            <Flex direction="column" gap={3} padding={8}>
              <Typography textColor="danger600">{state.message}</Typography>
              <Button variant="secondary" onClick={() => setReload((n) => n + 1)}>
                {t('editor.retry')}
              </Button>
            </Flex>
          )}
          {state.kind === 'ready' && (
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography textColor="neutral600" tag="p">
                {readOnly
                  ? t('history.intro.read-only', { total: state.total })
                  : t('history.intro', { total: state.total })}
              </Typography>
              <Table colCount={columns.length} rowCount={state.items.length + 1}>
                <Thead>
                  <Tr>
                    {columns.map((key) => (
                      <Th key={key}>
                        <Typography variant="sigma">{t(key)}</Typography>
                      </Th>
                    ))}
                  </Tr>
                </Thead>
                <Tbody>
                  {state.items.map((revision, index) => (
                    <Tr
                      key={revision.id}
                      data-testid="processon-revision"
                      data-revision={revision.id}
                      data-source={revision.source}
                    >
                      <Td>
                        <Typography>
                          <time dateTime={revision.createdAt}>
                            {formatDate(revision.createdAt, { dateStyle: 'medium', timeStyle: 'medium' })}
                          </time>
                        </Typography>
                        {index === 0 && (
                          <Box paddingTop={1}>
                            <Badge>{t('history.latest')}</Badge>
                          </Box>
                        )}
                      </Td>
                      <Td>
                        <Typography>{who(revision)}</Typography>
                      </Td>
                      <Td>
                        <Typography>{t(SOURCE_KEYS[revision.source])}</Typography>
                      </Td>
                      <Td>
                        <Typography>{formatSizeKB(revision.size)}</Typography>
                      </Td>
                      <Td>
                        {revision.valid ? (
                          <Badge variant="success">{t('input.valid')}</Badge>
                        ) : (
                          <Badge variant="warning">{t('input.invalid')}</Badge>
                        )}
                      </Td>
                      {!readOnly && (
                        <Td>
                          <Button
                            variant="secondary"
                            size="S"
                            startIcon={<ArrowClockwise />}
                            loading={restoring === revision.id}
                            disabled={restoring !== null}
                            onClick={() => void restore(revision)}
                            aria-label={t('history.restore-label', { time: formatClock(revision.createdAt) })}
                          >
                            {t('history.restore')}
                          </Button>
                        </Td>
                      )}
                    </Tr>
                  ))}
                </Tbody>
              </Table>
              {state.page < state.pageCount && (
                <Flex justifyContent="center">
                  <Button variant="tertiary" loading={loadingMore} onClick={() => void loadMore()}>
                    {t('history.more')}
                  </Button>
                </Flex>
              )}
            </Flex>
          )}
        </Box>
        <Modal.Footer style={{ flex: '0 0 auto' }}>
          <Typography variant="pi" textColor="neutral600">
            {t('history.footer')}
          </Typography>
          <Modal.Close>
            <Button variant="tertiary">{t('history.close')}</Button>
          </Modal.Close>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
