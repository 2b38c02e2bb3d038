import * as React from 'react';

import {
  Badge,
  Box,
  Button,
  Dialog,
  Field,
  Flex,
  MenuItem,
  SimpleMenu,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { ClockCounterClockwise, Download, Eye, Pencil, Plus, Trash, WarningCircle } from '@strapi/icons';
import {
  unstable_useContentManagerContext as useContentManagerContext,
  useFetchClient,
  useField,
  useForm,
  useNotification,
  useQueryParams,
} from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useParams } from 'react-router-dom';

import type { RevisionDTO, RevisionDetail } from '../../../server/src/processon/api';
import { DEFAULT_CATEGORY, isCategory, type Category } from '../../../server/src/processon/categories';
import { formatSizeKB } from '../../../server/src/processon/def';
import { effectiveDefaultCategory, readFieldOptions } from '../../../server/src/processon/field-options';
import type { ExportType, FormDescriptor } from '../../../server/src/processon/forms';
import {
  TITLE_MAX_LENGTH,
  diagramValueProblems,
  isDiagramValue,
  newDiagramValue,
  type DiagramValue,
} from '../../../server/src/processon/value';
import { useFrameErrorCode } from '../hooks/useFrameErrorCode';
import { useProcessOnStatus } from '../hooks/useProcessOnStatus';
import { fetchPreviewForm, readApiError } from '../utils/api';
import { CATEGORY_KEYS } from '../utils/categories';
import { makeChartId } from '../utils/chartId';
import { useTranslate } from '../utils/getTranslation';
import { postFormInto } from '../utils/postForm';
import { DiagramPreview } from './DiagramPreview';
import { EditorModal, missingLabels, type EditorTarget } from './EditorModal';
import { HistoryPanel } from './HistoryPanel';
import { ErrorExplanation } from './ProcessOnErrors';
import { SettingsLink } from './SettingsLink';
import { ViewerModal } from './ViewerModal';

/**
 * Props the Content Manager gives a custom field's Input (content-manager InputRenderer: the edit
 * layout of the field, `useField(name)`, then `hint` and `disabled`, which is true without update
 * permission on the field, for a locale the user may not edit, and for a read-only form). The
 * i18n plugin adds `labelAction` (its globe) to localized fields.
 */
export interface DiagramInputProps {
  name: string;
  label?: React.ReactNode;
  hint?: React.ReactNode;
  labelAction?: React.ReactNode;
  required?: boolean;
  disabled?: boolean;
  attribute?: { options?: unknown };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first non-empty string among `keys` of the form values (the entry's title, if any). */
const firstString = (values: unknown, keys: Array<string | undefined>): string | null => {
  if (!isRecord(values)) return null;
  for (const key of keys) {
    if (!key || key === 'id' || key === 'documentId') continue;
    const candidate = values[key];
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim();
  }
  return null;
};

const readString = (values: unknown, key: string): string | null => {
  if (!isRecord(values)) return null;
  const candidate = values[key];
  return typeof candidate === 'string' && candidate !== '' ? candidate : null;
};

/** Whether the field's value differs from the one the entry was loaded with (what Save would store). */
const differs = (a: unknown, b: unknown): boolean => {
  if (isDiagramValue(a) && isDiagramValue(b)) {
    return (
      a.chartid !== b.chartid ||
      a.def !== b.def ||
      a.title !== b.title ||
      a.category !== b.category ||
      a.updatedAt !== b.updatedAt
    );
  }
  return (a ?? null) !== (b ?? null);
};

interface LocaleQuery {
  plugins?: { i18n?: { locale?: unknown } };
}

/** One term of the filled state's details (type, size, last saved). */
const Detail = ({
  term,
  testId,
  data,
  children,
}: {
  term: string;
  testId?: string;
  data?: Record<`data-${string}`, string>;
  children: React.ReactNode;
}) => (
  <Flex direction="column" alignItems="flex-start" gap={1}>
    <Typography variant="sigma" textColor="neutral600" tag="dt">
      {term}
    </Typography>
    <Typography tag="dd" data-testid={testId} {...data}>
      {children}
    </Typography>
  </Flex>
);

type Panel =
  | { kind: 'none' }
  | { kind: 'editor'; diagram: DiagramValue }
  | { kind: 'viewer'; form: FormDescriptor<'view'>; diagram: DiagramValue }
  | { kind: 'history'; diagram: DiagramValue };

/* -------------------------------------------------------------------------------------------------
 * DiagramInput
 * -----------------------------------------------------------------------------------------------*/

const DiagramInput = ({
  name,
  label,
  hint,
  labelAction,
  required = false,
  disabled = false,
  attribute,
}: DiagramInputProps) => {
  const t = useTranslate();
  const { formatDate } = useIntl();
  const client = useFetchClient();
  const { toggleNotification } = useNotification();
  const field = useField<unknown>(name);
  const value = field.value ?? null;
  const status = useProcessOnStatus();
  const options = React.useMemo(() => readFieldOptions(attribute?.options), [attribute]);

  /* Where the field lives ---------------------------------------------------------------------- */
  const { model, id, layout } = useContentManagerContext();
  const mainField = layout.edit.settings.mainField;
  const entryTitle = useForm('ProcessOnDiagramInput', (state) =>
    firstString(state.values, [mainField, 'title', 'name'])
  );
  // Single types have no id in the URL; their document id is in the form values.
  const formDocumentId = useForm('ProcessOnDiagramInput', (state) => readString(state.values, 'documentId'));
  // The whole form is read-only (e.g. a published version): a view, not a permission matter.
  const formReadOnly = useForm('ProcessOnDiagramInput', (state) => state.disabled);
  const [{ query }] = useQueryParams<LocaleQuery>();
  const queryLocale = query.plugins?.i18n?.locale;
  // Duplicating an entry (…/clone/:origin) creates a new one: the context's id and the form's
  // values are the original's then, which the copy must not edit as its own.
  const { origin } = useParams<{ origin?: string }>();
  const target: EditorTarget = {
    uid: model,
    documentId: origin ? null : (id ?? formDocumentId),
    locale: typeof queryLocale === 'string' && queryLocale !== '' ? queryLocale : null,
    field: name,
  };

  /* Latest value and setter, for the editor's callbacks --------------------------------------- */
  const latest = React.useRef({ value, onChange: field.onChange });
  latest.current = { value, onChange: field.onChange };

  const [panel, setPanel] = React.useState<Panel>({ kind: 'none' });

  /* Focus: back where it was when a panel closes ----------------------------------------------- */
  // The design system's modals return focus to their trigger, and these have none (they open from
  // the field's state): the field remembers the control that opened one and focuses it again, or
  // the field's first control when that one is gone (a new diagram taken back, a filled field).
  const groupRef = React.useRef<HTMLDivElement>(null);
  const returnFocus = React.useRef<HTMLElement | null>(null);
  const rememberFocus = () => {
    const active = document.activeElement;
    returnFocus.current = active instanceof HTMLElement && groupRef.current?.contains(active) ? active : null;
  };
  const openPanel = (next: Panel) => {
    rememberFocus();
    setPanel(next);
  };
  /** Focuses what `find` answers once the modals' own close handling (on a zero timeout) is done. */
  const focusSoon = (find: () => HTMLElement | null | undefined) => {
    const timer = window.setTimeout(() => find()?.focus(), 0);
    return () => window.clearTimeout(timer);
  };
  /** The field's main action (Edit, or Create diagram), else its first control. */
  const firstControl = () =>
    groupRef.current?.querySelector<HTMLElement>('[data-processon-primary]:enabled') ??
    groupRef.current?.querySelector<HTMLElement>('button:enabled, input:enabled, [role="combobox"]');
  const [confirmClear, setConfirmClear] = React.useState(false);
  const panelOpen = panel.kind !== 'none' || confirmClear;
  React.useEffect(() => {
    if (panelOpen || !returnFocus.current) return;
    const back = returnFocus.current;
    returnFocus.current = null;
    return focusSoon(() => (back.isConnected && !back.matches(':disabled') ? back : firstControl()));
  }, [panelOpen]);
  const [busy, setBusy] = React.useState<'view' | ExportType | null>(null);

  /** Puts a save (or a restored revision) of the diagram into the form. */
  const applyRevision = React.useCallback(
    (revision: RevisionDTO, fromEditor = false) => {
      const current = latest.current.value;
      // From the open editor, a revision is of its session's chartid: that may be a fork of the
      // value's (a diagram copied from another entry), which the value then adopts.
      const base =
        isDiagramValue(current) && current.chartid === revision.chartid
          ? current
          : fromEditor && panel.kind === 'editor'
            ? panel.diagram
            : null;
      if (!base) return;
      const next: DiagramValue = {
        ...base,
        chartid: revision.chartid,
        def: revision.def,
        size: revision.size,
        valid: revision.valid,
        updatedAt: revision.createdAt,
      };
      latest.current.onChange(name, next);
    },
    [panel, name]
  );

  /* Empty state: the new diagram's category and title ----------------------------------------- */
  const settingsDefault = status.kind === 'ready' ? status.status.defaultCategory : DEFAULT_CATEGORY;
  const defaultCategory = effectiveDefaultCategory(options, settingsDefault);
  const [draftCategory, setDraftCategory] = React.useState<Category | null>(null);
  const [draftTitle, setDraftTitle] = React.useState<string | null>(null);
  const category = draftCategory && options.allowedCategories.includes(draftCategory) ? draftCategory : defaultCategory;
  const title = draftTitle ?? (entryTitle ?? t('input.title.default')).slice(0, TITLE_MAX_LENGTH);
  const titleError =
    draftTitle !== null && draftTitle.trim() === ''
      ? t('input.title.required')
      : title.length > TITLE_MAX_LENGTH
        ? t('input.title.too-long', { max: TITLE_MAX_LENGTH })
        : undefined;

  const configured = status.kind === 'ready' && status.status.configured;
  const viewable = status.kind === 'ready' && status.status.viewable;
  const apiOrigin = status.kind === 'ready' ? status.status.apiOrigin : null;
  const canEdit = !disabled && configured;

  // A diagram created here and not saved once in the editor yet: closing the editor takes it back
  // (an empty diagram must not satisfy a required field, nor be saved in the entry).
  const unsavedNew = React.useRef<string | null>(null);

  const create = () => {
    if (titleError || !canEdit) return;
    const created = newDiagramValue(makeChartId(), category, title.trim());
    unsavedNew.current = created.chartid;
    rememberFocus();
    field.onChange(name, created);
    setDraftCategory(null);
    setDraftTitle(null);
    setPanel({ kind: 'editor', diagram: created });
  };

  const clear = () => {
    field.onChange(name, null);
    setConfirmClear(false);
  };

  const closeEditor = (saves: number) => {
    setPanel({ kind: 'none' });
    const current = latest.current.value;
    if (saves === 0 && unsavedNew.current && isDiagramValue(current) && current.chartid === unsavedNew.current && current.def === '') {
      latest.current.onChange(name, null);
    }
    unsavedNew.current = null;
    if (saves > 0) {
      // The saves are in the form, not in the entry: say so, as the user leaves the editor.
      toggleNotification({ type: 'info', title: t('editor.closed.title'), message: t('editor.closed.unsaved') });
    }
  };

  const restored = (revision: RevisionDetail) => applyRevision(revision);

  /* View and downloads: ProcessOn's viewer and export forms, with the def the field holds ------ */
  const downloadFrameName = `processon-download-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const [downloadFrame, setDownloadFrame] = React.useState<HTMLIFrameElement | null>(null);
  const [downloadError, clearDownloadError] = useFrameErrorCode(apiOrigin, downloadFrame);

  const previewForm = async (diagram: DiagramValue, kind: 'view' | ExportType) => {
    setBusy(kind);
    try {
      const form = await fetchPreviewForm(client, {
        uid: target.uid,
        documentId: target.documentId,
        locale: target.locale,
        field: target.field,
        kind: kind === 'view' ? 'view' : 'export',
        ...(kind === 'view' ? {} : { type: kind }),
        chartid: diagram.chartid,
        category: diagram.category,
        title: diagram.title,
      });
      return { ...form, fields: { ...form.fields, def: diagram.def } };
    } catch (error) {
      const problem = readApiError(error);
      toggleNotification({
        type: 'danger',
        message: problem.status === 403 ? t('input.preview.forbidden') : problem.message || t('error.unknown'),
      });
      return null;
    } finally {
      setBusy(null);
    }
  };

  const view = async (diagram: DiagramValue) => {
    rememberFocus();
    const form = await previewForm(diagram, 'view');
    if (form && form.endpoint === 'view') setPanel({ kind: 'viewer', form: form as FormDescriptor<'view'>, diagram });
  };

  // A download disables its menu's trigger while the form is fetched, which drops the focus: it
  // goes back to the trigger once the field is idle again.
  const afterBusy = React.useRef<(() => HTMLElement | null | undefined) | null>(null);
  React.useEffect(() => {
    if (busy !== null || !afterBusy.current) return;
    const find = afterBusy.current;
    afterBusy.current = null;
    return focusSoon(find);
  }, [busy]);

  const download = async (diagram: DiagramValue, type: ExportType) => {
    afterBusy.current = () => groupRef.current?.querySelector<HTMLElement>('[data-processon-download]');
    const form = await previewForm(diagram, type);
    if (!form) return;
    clearDownloadError();
    postFormInto(form, downloadFrameName);
    toggleNotification({
      type: 'info',
      message: t(type === 'pdf' ? 'input.download.started-pdf' : 'input.download.started-image'),
    });
  };

  /* Rendering ---------------------------------------------------------------------------------- */
  const fieldId = `processon-${name}`;
  const labelId = `${fieldId}-label`;
  const diagram = isDiagramValue(value) ? value : null;
  const problems = value !== null && !diagram ? diagramValueProblems(value) : [];
  const unsaved = differs(value, field.initialValue);
  const neverSaved = diagram?.def === '';

  const notConfigured =
    status.kind === 'ready' && !status.status.configured ? (
      <Box
        padding={3}
        background="warning100"
        hasRadius
        borderColor="warning200"
        borderStyle="solid"
        borderWidth="1px"
        data-testid="processon-field-not-configured"
      >
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography fontWeight="semiBold">{t('input.not-configured.title')}</Typography>
          <Typography textColor="neutral700">
            {t('input.not-configured.body', { missing: missingLabels(t, status.status.missing) })}
          </Typography>
          <SettingsLink fallback={<Typography textColor="neutral700">{t('input.not-configured.ask')}</Typography>}>
            {t('input.not-configured.link')}
          </SettingsLink>
        </Flex>
      </Box>
    ) : null;

  const clearButton = (
    <Button
      variant="danger-light"
      size="S"
      startIcon={<Trash />}
      onClick={() => {
        rememberFocus();
        setConfirmClear(true);
      }}
      disabled={disabled}
    >
      {t('input.clear')}
    </Button>
  );

  const disabledNote = disabled ? (
    <Typography variant="pi" textColor="neutral600" tag="p" data-testid="processon-field-disabled">
      {formReadOnly ? t('input.read-only') : t('input.disabled')}
    </Typography>
  ) : null;

  return (
    <Field.Root
      name={name}
      id={fieldId}
      error={field.error}
      hint={hint}
      required={required}
      data-testid="processon-field"
      data-field={name}
      data-state={diagram ? 'filled' : problems.length > 0 ? 'invalid' : 'empty'}
      data-disabled={disabled ? 'true' : 'false'}
    >
      <Flex direction="column" alignItems="stretch" gap={1}>
        <Field.Label id={labelId} action={labelAction}>
          {label}
        </Field.Label>
        <Box
          ref={groupRef}
          role="group"
          aria-labelledby={labelId}
          padding={4}
          hasRadius
          borderColor={field.error ? 'danger600' : 'neutral200'}
          borderStyle="solid"
          borderWidth="1px"
          background={disabled ? 'neutral100' : 'neutral0'}
        >
          {diagram ? (
            <Flex gap={4} alignItems="flex-start">
              {/* The diagram drawn from its def by the plugin's renderer. */}
              <DiagramPreview diagram={diagram} />
              <Flex direction="column" alignItems="stretch" gap={3} flex="1">
                <Flex gap={2} wrap="wrap" alignItems="center">
                  <Typography variant="delta" tag="p" data-testid="processon-title">
                    {diagram.title}
                  </Typography>
                  {neverSaved ? (
                    <Badge>{t('input.never-saved')}</Badge>
                  ) : diagram.valid ? (
                    <Badge variant="success" data-testid="processon-valid" data-valid="true">
                      {t('input.valid')}
                    </Badge>
                  ) : (
                    <Badge
                      variant="warning"
                      title={t('input.invalid.hint')}
                      data-testid="processon-valid"
                      data-valid="false"
                    >
                      {t('input.invalid')}
                    </Badge>
                  )}
                  {unsaved && (
                    <Badge variant="warning" data-testid="processon-unsaved" title={t('input.unsaved.hint')}>
                      {t('input.unsaved')}
                    </Badge>
                  )}
                </Flex>
                <Flex gap={6} wrap="wrap" tag="dl">
                  <Detail
                    term={t('input.category')}
                    testId="processon-category"
                    data={{ 'data-category': diagram.category }}
                  >
                    {t(CATEGORY_KEYS[diagram.category])}
                  </Detail>
                  <Detail term={t('input.size')} testId="processon-size" data={{ 'data-size': String(diagram.size) }}>
                    {formatSizeKB(diagram.size)}
                  </Detail>
                  <Detail term={t('input.updated')}>
                    <time dateTime={diagram.updatedAt} data-testid="processon-updated">
                      {formatDate(diagram.updatedAt, { dateStyle: 'medium', timeStyle: 'medium' })}
                    </time>
                  </Detail>
                </Flex>
                {notConfigured}
                <Flex gap={2} wrap="wrap">
                  <Button
                    data-processon-primary=""
                    size="S"
                    startIcon={<Pencil />}
                    onClick={() => openPanel({ kind: 'editor', diagram })}
                    disabled={!canEdit}
                  >
                    {t('input.edit')}
                  </Button>
                  <Button
                    variant="secondary"
                    size="S"
                    startIcon={<Eye />}
                    onClick={() => void view(diagram)}
                    disabled={!viewable || neverSaved || busy !== null}
                    loading={busy === 'view'}
                  >
                    {t('input.view')}
                  </Button>
                  <SimpleMenu
                    data-processon-download=""
                    label={t('input.download')}
                    variant="tertiary"
                    size="S"
                    startIcon={<Download />}
                    disabled={!viewable || neverSaved || busy !== null}
                    loading={busy === 'image' || busy === 'pdf'}
                  >
                    <MenuItem onSelect={() => void download(diagram, 'image')}>{t('input.download.image')}</MenuItem>
                    <MenuItem onSelect={() => void download(diagram, 'pdf')}>{t('input.download.pdf')}</MenuItem>
                  </SimpleMenu>
                  <Button
                    variant="tertiary"
                    size="S"
                    startIcon={<ClockCounterClockwise />}
                    onClick={() => openPanel({ kind: 'history', diagram })}
                  >
                    {t('input.history')}
                  </Button>
                  {clearButton}
                </Flex>
                {downloadError && <ErrorExplanation code={downloadError} onClose={clearDownloadError} />}
                {disabledNote}
              </Flex>
            </Flex>
          ) : problems.length > 0 ? (
            <Flex direction="column" alignItems="stretch" gap={3}>
              <Flex gap={2} alignItems="flex-start">
                <WarningCircle fill="danger600" aria-hidden />
                <Typography textColor="danger600" tag="p">
                  {t('input.bad-value', { problems: problems.join('; ') })}
                </Typography>
              </Flex>
              <Flex>{clearButton}</Flex>
            </Flex>
          ) : (
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography textColor="neutral600" tag="p">
                {t('input.empty')}
              </Typography>
              {notConfigured}
              <Flex gap={4} wrap="wrap" alignItems="flex-start">
                <Box flex="1" minWidth="14rem">
                  <Field.Root name={`${name}.category`} id={`${fieldId}-category`}>
                    <Field.Label>{t('input.category.label')}</Field.Label>
                    <SingleSelect
                      value={category}
                      onChange={(next: string | number) => {
                        if (isCategory(next)) setDraftCategory(next);
                      }}
                      disabled={!canEdit}
                    >
                      {options.allowedCategories.map((c) => (
                        <SingleSelectOption key={c} value={c}>
                          {t(CATEGORY_KEYS[c])}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                  </Field.Root>
                </Box>
                <Box flex="2" minWidth="16rem">
                  <Field.Root name={`${name}.title`} id={`${fieldId}-title`} error={titleError}>
                    <Field.Label>{t('input.title.label')}</Field.Label>
                    <TextInput
                      value={title}
                      onChange={(event: React.ChangeEvent<HTMLInputElement>) => setDraftTitle(event.target.value)}
                      onKeyDown={(event: React.KeyboardEvent<HTMLInputElement>) => {
                        // Enter creates the diagram instead of submitting the entry's form.
                        if (event.key === 'Enter') {
                          event.preventDefault();
                          create();
                        }
                      }}
                      maxLength={TITLE_MAX_LENGTH}
                      disabled={!canEdit}
                    />
                    <Field.Error />
                  </Field.Root>
                </Box>
              </Flex>
              <Flex>
                <Button data-processon-primary="" startIcon={<Plus />} onClick={create} disabled={!canEdit || Boolean(titleError)}>
                  {t('input.create')}
                </Button>
              </Flex>
              {disabledNote}
            </Flex>
          )}
        </Box>
        <Field.Hint />
        <Field.Error />
      </Flex>

      {/* Downloads land here: ProcessOn answers the export form with the file. */}
      <iframe ref={setDownloadFrame} name={downloadFrameName} title={t('input.download.frame')} hidden />

      {panel.kind === 'editor' && (
        <EditorModal
          key={panel.diagram.chartid}
          diagram={panel.diagram}
          target={target}
          onRevision={(revision) => applyRevision(revision, true)}
          onClose={closeEditor}
        />
      )}
      {panel.kind === 'viewer' && (
        <ViewerModal
          form={panel.form}
          title={panel.diagram.title}
          apiOrigin={apiOrigin}
          onClose={() => setPanel({ kind: 'none' })}
        />
      )}
      {panel.kind === 'history' && (
        <HistoryPanel
          chartid={panel.diagram.chartid}
          target={target}
          title={panel.diagram.title}
          readOnly={disabled}
          onRestored={restored}
          onClose={() => setPanel({ kind: 'none' })}
        />
      )}

      <Dialog.Root open={confirmClear} onOpenChange={setConfirmClear}>
        <Dialog.Content>
          <Dialog.Header>{t('input.clear.title')}</Dialog.Header>
          <Dialog.Body icon={<WarningCircle fill="danger600" />}>
            <Typography tag="p" textAlign="center">
              {t('input.clear.body')}
            </Typography>
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button fullWidth variant="tertiary">
                {t('input.clear.cancel')}
              </Button>
            </Dialog.Cancel>
            <Dialog.Action>
              <Button fullWidth variant="danger-light" onClick={clear}>
                {t('input.clear.confirm')}
              </Button>
            </Dialog.Action>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </Field.Root>
  );
};

export { DiagramInput };
export default DiagramInput;
