import * as React from 'react';

import {
  Badge,
  Box,
  Button,
  Dialog,
  Field,
  Flex,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Pencil, Plus, Trash, WarningCircle } from '@strapi/icons';
import {
  unstable_useContentManagerContext as useContentManagerContext,
  useField,
  useForm,
  useQueryParams,
} from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { RevisionDTO } from '../../../server/src/processon/api';
import { CATEGORIES, DEFAULT_CATEGORY, isCategory, type Category } from '../../../server/src/processon/categories';
import { formatSizeKB } from '../../../server/src/processon/def';
import {
  TITLE_MAX_LENGTH,
  diagramValueProblems,
  isDiagramValue,
  newDiagramValue,
  type DiagramValue,
} from '../../../server/src/processon/value';
import { CATEGORY_KEYS } from '../utils/categories';
import { makeChartId } from '../utils/chartId';
import { useTranslate } from '../utils/getTranslation';
import { EditorModal, type EditorTarget } from './EditorModal';

/**
 * Props the Content Manager gives a custom field's Input (content-manager InputRenderer: the edit
 * layout of the field, then `useField(name)`, then `hint` and `disabled`). The value and its
 * setter are read with `useField(name)` here.
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

const defaultCategoryOf = (attribute: DiagramInputProps['attribute']): Category => {
  const options = attribute?.options;
  const configured = isRecord(options) ? options.defaultCategory : undefined;
  return isCategory(configured) ? configured : DEFAULT_CATEGORY;
};

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

interface LocaleQuery {
  plugins?: { i18n?: { locale?: unknown } };
}

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
  const field = useField<unknown>(name);
  const value = field.value ?? null;

  /* Where the field lives ---------------------------------------------------------------------- */
  const { model, id, layout } = useContentManagerContext();
  const mainField = layout.edit.settings.mainField;
  const entryTitle = useForm('ProcessOnDiagramInput', (state) =>
    firstString(state.values, [mainField, 'title', 'name'])
  );
  // Single types have no id in the URL; their document id is in the form values.
  const formDocumentId = useForm('ProcessOnDiagramInput', (state) => readString(state.values, 'documentId'));
  const [{ query }] = useQueryParams<LocaleQuery>();
  const queryLocale = query.plugins?.i18n?.locale;
  const target: EditorTarget = {
    uid: model,
    documentId: id ?? formDocumentId,
    locale: typeof queryLocale === 'string' && queryLocale !== '' ? queryLocale : null,
    field: name,
  };

  /* Latest value and setter, for the editor's callbacks --------------------------------------- */
  const latest = React.useRef({ value, onChange: field.onChange });
  latest.current = { value, onChange: field.onChange };

  const [editing, setEditing] = React.useState<DiagramValue | null>(null);
  const [confirmClear, setConfirmClear] = React.useState(false);

  const applyRevision = React.useCallback(
    (revision: RevisionDTO) => {
      const current = latest.current.value;
      // Revisions reach here from the open editor only, for its session's chartid: that may be a
      // fork of the value's (a diagram copied from another entry), which the value then adopts.
      const base = isDiagramValue(current) && current.chartid === revision.chartid ? current : editing;
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
    [editing, name]
  );

  /* Empty state: the new diagram's category and title ----------------------------------------- */
  const defaultCategory = defaultCategoryOf(attribute);
  const [draftCategory, setDraftCategory] = React.useState<Category | null>(null);
  const [draftTitle, setDraftTitle] = React.useState<string | null>(null);
  const category = draftCategory ?? defaultCategory;
  const title = draftTitle ?? (entryTitle ?? t('input.title.default')).slice(0, TITLE_MAX_LENGTH);
  const titleError =
    draftTitle !== null && draftTitle.trim() === ''
      ? t('input.title.required')
      : title.length > TITLE_MAX_LENGTH
        ? t('input.title.too-long', { max: TITLE_MAX_LENGTH })
        : undefined;

  const create = () => {
    if (titleError) return;
    const created = newDiagramValue(makeChartId(), category, title.trim());
    field.onChange(name, created);
    setDraftCategory(null);
    setDraftTitle(null);
    setEditing(created);
  };

  const clear = () => {
    field.onChange(name, null);
    setConfirmClear(false);
  };

  /* Rendering ---------------------------------------------------------------------------------- */
  const fieldId = `processon-${name}`;
  const labelId = `${fieldId}-label`;
  const diagram = isDiagramValue(value) ? value : null;
  const problems = value !== null && !diagram ? diagramValueProblems(value) : [];

  return (
    <Field.Root
      name={name}
      id={fieldId}
      error={field.error}
      hint={hint}
      required={required}
      data-testid="processon-field"
      data-state={diagram ? 'filled' : problems.length > 0 ? 'invalid' : 'empty'}
    >
      <Flex direction="column" alignItems="stretch" gap={1}>
        <Field.Label id={labelId} action={labelAction}>
          {label}
        </Field.Label>
        <Box
          role="group"
          aria-labelledby={labelId}
          padding={4}
          hasRadius
          borderColor={field.error ? 'danger600' : 'neutral200'}
          borderStyle="solid"
          borderWidth="1px"
          background={disabled ? 'neutral150' : 'neutral0'}
        >
          {diagram ? (
            <Flex direction="column" alignItems="stretch" gap={3}>
              <Flex gap={2} wrap="wrap" alignItems="center">
                <Typography variant="delta" tag="p" data-testid="processon-title">
                  {diagram.title}
                </Typography>
                {diagram.def === '' ? (
                  <Badge>{t('input.never-saved')}</Badge>
                ) : diagram.valid ? (
                  <Badge variant="success">{t('input.valid')}</Badge>
                ) : (
                  <Badge variant="warning" title={t('input.invalid.hint')}>
                    {t('input.invalid')}
                  </Badge>
                )}
              </Flex>
              <Flex gap={6} wrap="wrap" tag="dl">
                <Flex direction="column" alignItems="flex-start" gap={1}>
                  <Typography variant="sigma" textColor="neutral600" tag="dt">
                    {t('input.category')}
                  </Typography>
                  <Typography tag="dd" data-testid="processon-category" data-category={diagram.category}>
                    {t(CATEGORY_KEYS[diagram.category])}
                  </Typography>
                </Flex>
                <Flex direction="column" alignItems="flex-start" gap={1}>
                  <Typography variant="sigma" textColor="neutral600" tag="dt">
                    {t('input.size')}
                  </Typography>
                  <Typography tag="dd" data-testid="processon-size" data-size={diagram.size}>
                    {formatSizeKB(diagram.size)}
                  </Typography>
                </Flex>
                <Flex direction="column" alignItems="flex-start" gap={1}>
                  <Typography variant="sigma" textColor="neutral600" tag="dt">
                    {t('input.updated')}
                  </Typography>
                  <Typography tag="dd">
                    <time dateTime={diagram.updatedAt} data-testid="processon-updated">
                      {formatDate(diagram.updatedAt, { dateStyle: 'medium', timeStyle: 'medium' })}
                    </time>
                  </Typography>
                </Flex>
              </Flex>
              <Flex gap={2}>
                <Button startIcon={<Pencil />} onClick={() => setEditing(diagram)} disabled={disabled}>
                  {t('input.edit')}
                </Button>
                <Button
                  variant="danger-light"
                  startIcon={<Trash />}
                  onClick={() => setConfirmClear(true)}
                  disabled={disabled}
                >
                  {t('input.clear')}
                </Button>
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
              <Flex gap={2}>
                <Button
                  variant="danger-light"
                  startIcon={<Trash />}
                  onClick={() => setConfirmClear(true)}
                  disabled={disabled}
                >
                  {t('input.clear')}
                </Button>
              </Flex>
            </Flex>
          ) : (
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography textColor="neutral600" tag="p">
                {t('input.empty')}
              </Typography>
              <Flex gap={4} wrap="wrap" alignItems="flex-start">
                <Box flex="1" style={{ minWidth: '12rem' }}>
                  <Field.Root name={`${name}.category`} id={`${fieldId}-category`}>
                    <Field.Label>{t('input.category.label')}</Field.Label>
                    <SingleSelect
                      value={category}
                      onChange={(next) => {
                        if (isCategory(next)) setDraftCategory(next);
                      }}
                      disabled={disabled}
                    >
                      {CATEGORIES.map((option) => (
                        <SingleSelectOption key={option} value={option}>
                          {t(CATEGORY_KEYS[option])}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                  </Field.Root>
                </Box>
                <Box flex="2" style={{ minWidth: '16rem' }}>
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
                      disabled={disabled}
                    />
                    <Field.Error />
                  </Field.Root>
                </Box>
              </Flex>
              <Flex>
                <Button startIcon={<Plus />} onClick={create} disabled={disabled || Boolean(titleError)}>
                  {t('input.create')}
                </Button>
              </Flex>
            </Flex>
          )}
        </Box>
        <Field.Hint />
        <Field.Error />
      </Flex>

      {editing && (
        <EditorModal
          key={editing.chartid}
          diagram={editing}
          target={target}
          onRevision={applyRevision}
          onClose={() => setEditing(null)}
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
