import * as React from 'react';

import {
  Alert,
  Box,
  Button,
  Checkbox,
  Field,
  Flex,
  Grid,
  IconButton,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Textarea,
  Toggle,
  Typography,
} from '@strapi/design-system';
import { Check, Duplicate, Eye, EyeStriked, Globe } from '@strapi/icons';
import { Layouts, Page, useClipboard, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type {
  CallbackCheckResponse,
  SettingsResponse,
  SettingsUpdateBody,
  UsageResponse,
} from '../../../server/src/processon/api';
import { CATEGORIES, isCategory } from '../../../server/src/processon/categories';
import {
  MB,
  QUOTA_PERIODS,
  SETTING_LIMITS,
  callbackUrlFor,
  isPlainHttpUrl,
  isQuotaPeriod,
  parseSourceList,
  settingValueProblems,
  type EditableSettings,
  type IntegerSettingKey,
  type SettingKey,
  type SettingProblem,
  type SettingProblemCode,
} from '../../../server/src/processon/settings';
import { DismissibleAlert, ErrorExplanation } from '../components/ProcessOnErrors';
import { invalidateProcessOnStatus } from '../hooks/useProcessOnStatus';
import { SETTINGS_RBAC, SETTINGS_READ } from '../permissions';
import {
  checkCallback,
  fetchSettings,
  fetchUsage,
  isAbortError,
  readApiError,
  updateSettings,
  type FieldProblem,
} from '../utils/api';
import { CATEGORY_KEYS } from '../utils/categories';
import { useTranslate, type Translate, type TranslationKey } from '../utils/getTranslation';

type SettingsData = SettingsResponse['data'];
type Usage = UsageResponse['data'];
type CheckResult = CallbackCheckResponse['data'];

type LoadState = { kind: 'loading' } | { kind: 'error' } | { kind: 'ready'; data: SettingsData };

/* -------------------------------------------------------------------------------------------------
 * Draft: what the form holds (numbers in the unit shown, the origins as text)
 * -----------------------------------------------------------------------------------------------*/

/** The unit an integer setting is shown in, and the conversion to the stored value. */
const UNITS: Record<IntegerSettingKey, { toUi: (stored: number) => number; fromUi: (shown: number) => number }> = {
  maxDefSize: { toUi: (bytes) => Math.round((bytes / MB) * 100) / 100, fromUi: (mb) => Math.round(mb * MB) },
  sessionTtl: {
    toUi: (seconds) => Math.round((seconds / 60) * 100) / 100,
    fromUi: (minutes) => Math.round(minutes * 60),
  },
  revisionsKept: { toUi: (n) => n, fromUi: (n) => n },
  cacheMaxAge: { toUi: (n) => n, fromUi: (n) => n },
  sessionQuota: { toUi: (n) => n, fromUi: (n) => n },
};

const INTEGER_KEYS = Object.keys(UNITS) as IntegerSettingKey[];

interface Draft {
  appkey: string;
  apiBaseUrl: string;
  publicUrl: string;
  hidebtn: boolean;
  defaultCategory: EditableSettings['defaultCategory'];
  quotaPeriod: EditableSettings['quotaPeriod'];
  /** Shown units; undefined while the input is empty. */
  numbers: Record<IntegerSettingKey, number | undefined>;
  /** Follow strapi::cors (the default) instead of a list of its own. */
  followCors: boolean;
  ancestorsText: string;
}

const draftOf = (data: SettingsData): Draft => ({
  appkey: data.values.appkey,
  apiBaseUrl: data.values.apiBaseUrl,
  publicUrl: data.values.publicUrl,
  hidebtn: data.values.hidebtn,
  defaultCategory: data.values.defaultCategory,
  quotaPeriod: data.values.quotaPeriod,
  numbers: Object.fromEntries(INTEGER_KEYS.map((key) => [key, UNITS[key].toUi(data.values[key])])) as Draft['numbers'],
  followCors: data.sources.frameAncestors === 'default',
  ancestorsText: data.values.frameAncestors.join('\n'),
});

/** A value set by config/plugins.ts or by an environment variable cannot be changed here. */
const isFixed = (data: SettingsData, key: SettingKey): boolean =>
  data.sources[key] === 'config' || data.sources[key] === 'env';

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** The keys the administrator changed and may change, with their new stored values. */
const changesOf = (data: SettingsData, draft: Draft): SettingsUpdateBody => {
  const body: Record<string, unknown> = {};
  const text = { appkey: draft.appkey.trim(), apiBaseUrl: draft.apiBaseUrl.trim(), publicUrl: draft.publicUrl.trim() };
  for (const key of ['appkey', 'apiBaseUrl', 'publicUrl'] as const) {
    if (!isFixed(data, key) && text[key] !== data.values[key]) body[key] = text[key];
  }
  if (!isFixed(data, 'hidebtn') && draft.hidebtn !== data.values.hidebtn) body.hidebtn = draft.hidebtn;
  if (!isFixed(data, 'defaultCategory') && draft.defaultCategory !== data.values.defaultCategory)
    body.defaultCategory = draft.defaultCategory;
  if (!isFixed(data, 'quotaPeriod') && draft.quotaPeriod !== data.values.quotaPeriod)
    body.quotaPeriod = draft.quotaPeriod;
  for (const key of INTEGER_KEYS) {
    if (isFixed(data, key)) continue;
    const shown = draft.numbers[key];
    const stored = shown === undefined ? Number.NaN : UNITS[key].fromUi(shown);
    if (stored !== data.values[key]) body[key] = Number.isNaN(stored) ? null : stored;
  }
  if (!isFixed(data, 'frameAncestors')) {
    if (draft.followCors) {
      if (data.sources.frameAncestors === 'store') body.frameAncestors = null;
    } else {
      const list = parseSourceList(draft.ancestorsText);
      if (data.sources.frameAncestors !== 'store' || !sameList(list, data.values.frameAncestors))
        body.frameAncestors = list;
    }
  }
  return body as SettingsUpdateBody;
};

/* -------------------------------------------------------------------------------------------------
 * Problems, in the user's language
 * -----------------------------------------------------------------------------------------------*/

const PROBLEM_KEYS: Record<SettingProblemCode, TranslationKey> = {
  unknown: 'settings.problem.unknown',
  type: 'settings.problem.type',
  url: 'settings.problem.url',
  required: 'settings.problem.required',
  'appkey-chars': 'settings.problem.appkey-chars',
  'too-long': 'settings.problem.too-long',
  integer: 'settings.problem.integer',
  range: 'settings.problem.range',
  category: 'settings.problem.category',
  period: 'settings.problem.period',
  source: 'settings.problem.source',
  'too-many': 'settings.problem.too-many',
  fixed: 'settings.problem.fixed',
};

const isProblemCode = (code: string | null): code is SettingProblemCode => code !== null && code in PROBLEM_KEYS;

const LABEL_KEYS: Record<SettingKey, TranslationKey> = {
  appkey: 'settings.appkey.label',
  apiBaseUrl: 'settings.apiBaseUrl.label',
  publicUrl: 'settings.publicUrl.label',
  hidebtn: 'settings.hidebtn.label',
  defaultCategory: 'settings.defaultCategory.label',
  maxDefSize: 'settings.maxDefSize.label',
  sessionTtl: 'settings.sessionTtl.label',
  revisionsKept: 'settings.revisionsKept.label',
  frameAncestors: 'settings.frameAncestors.label',
  cacheMaxAge: 'settings.cacheMaxAge.label',
  sessionQuota: 'settings.sessionQuota.label',
  quotaPeriod: 'settings.quotaPeriod.label',
};

/** One problem as a sentence; range bounds in the unit the field shows. */
const problemText = (t: Translate, key: string, problem: Pick<FieldProblem, 'code' | 'params' | 'message'>): string => {
  if (!isProblemCode(problem.code)) return problem.message;
  const params: Record<string, string | number> = { ...problem.params };
  if (problem.code === 'range' && (INTEGER_KEYS as readonly string[]).includes(key)) {
    const { min, max } = SETTING_LIMITS[key as IntegerSettingKey];
    params.min = UNITS[key as IntegerSettingKey].toUi(min);
    params.max = UNITS[key as IntegerSettingKey].toUi(max);
  }
  params.label = (Object.keys(LABEL_KEYS) as string[]).includes(key) ? t(LABEL_KEYS[key as SettingKey]) : key;
  return t(PROBLEM_KEYS[problem.code], params);
};

/** The problems of the changes, by key (what the server would refuse, found before sending). */
const problemsOf = (t: Translate, changes: SettingsUpdateBody): Record<string, string> => {
  const found: Record<string, string> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) {
      // An emptied number input: the field needs a value (null is only sent to reset origins).
      if (key !== 'frameAncestors') found[key] = t('settings.problem.integer');
      continue;
    }
    const [problem]: SettingProblem[] = settingValueProblems(key as SettingKey, value);
    if (problem) found[key] = problemText(t, key, problem);
  }
  return found;
};

/** A private address (loopback, LAN): ProcessOn's servers on the internet cannot reach it. */
const isPrivateHost = (url: string): boolean => {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return (
      host === 'localhost' ||
      host.endsWith('.localhost') ||
      host.endsWith('.local') ||
      /^127\./.test(host) ||
      /^10\./.test(host) ||
      /^192\.168\./.test(host) ||
      /^172\.(1[6-9]|2\d|3[01])\./.test(host) ||
      host === '[::1]'
    );
  } catch {
    return false;
  }
};

const CHECK_KEYS: Record<CheckResult['outcome'], TranslationKey> = {
  ok: 'settings.check.ok',
  'no-public-url': 'settings.check.no-public-url',
  timeout: 'settings.check.timeout',
  unreachable: 'settings.check.unreachable',
  redirect: 'settings.check.redirect',
  'other-server': 'settings.check.other-server',
};

/* -------------------------------------------------------------------------------------------------
 * Layout pieces
 * -----------------------------------------------------------------------------------------------*/

const Section = ({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: React.ReactNode;
}) => (
  <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius tag="section">
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex direction="column" alignItems="stretch" gap={1}>
        <Typography variant="delta" tag="h2">
          {title}
        </Typography>
        {description && (
          <Typography variant="pi" textColor="neutral600" tag="p">
            {description}
          </Typography>
        )}
      </Flex>
      {children}
    </Flex>
  </Box>
);

/**
 * How much of the session quota is used. The design system's ProgressBar is drawn for dark
 * backgrounds (a white bar on grey) and does not pass its value on (no aria-valuenow), so the
 * quota gets its own meter: the used part coloured by state, on the page's light track.
 */
const QUOTA_COLOURS = { none: 'primary600', ok: 'primary600', warning: 'warning600', reached: 'danger600' } as const;

const QuotaMeter = ({
  percent,
  state,
  label,
  valueText,
}: {
  percent: number;
  state: keyof typeof QUOTA_COLOURS;
  label: string;
  valueText: string;
}) => (
  <Box
    role="progressbar"
    aria-label={label}
    aria-valuemin={0}
    aria-valuemax={100}
    aria-valuenow={percent}
    aria-valuetext={valueText}
    background="neutral150"
    hasRadius
    overflow="hidden"
    height="0.8rem"
    width="100%"
  >
    <Box background={QUOTA_COLOURS[state]} height="100%" style={{ width: `${percent}%` }} />
  </Box>
);

/** One setting: its label, the control, and under it the hint (or where a fixed value comes from) and the error. */
const SettingField = ({
  name,
  label,
  hint,
  error,
  children,
}: {
  name: SettingKey;
  label: string;
  hint: string;
  error?: string;
  children: React.ReactNode;
}) => (
  <Field.Root name={name} id={`processon-${name}`} error={error} hint={hint}>
    <Field.Label>{label}</Field.Label>
    {children}
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);

/* -------------------------------------------------------------------------------------------------
 * Page
 * -----------------------------------------------------------------------------------------------*/

const SettingsPage = () => {
  const t = useTranslate();
  const { formatNumber } = useIntl();
  const client = useFetchClient();
  const { toggleNotification } = useNotification();
  const { copy } = useClipboard();
  const {
    allowedActions: { canUpdate },
    isLoading: isLoadingPermissions,
  } = useRBAC(SETTINGS_RBAC);

  const [state, setState] = React.useState<LoadState>({ kind: 'loading' });
  const [draft, setDraft] = React.useState<Draft | null>(null);
  const [serverErrors, setServerErrors] = React.useState<Record<string, string>>({});
  const [showErrors, setShowErrors] = React.useState(false);
  const [isSaving, setIsSaving] = React.useState(false);
  const [showAppkey, setShowAppkey] = React.useState(false);
  const [usage, setUsage] = React.useState<Usage | null>(null);
  const [usageFailed, setUsageFailed] = React.useState(false);
  const [check, setCheck] = React.useState<{ running: boolean; result: CheckResult | null; error: string | null }>({
    running: false,
    result: null,
    error: null,
  });

  React.useEffect(() => {
    const controller = new AbortController();
    fetchSettings(client, controller.signal)
      .then((data) => {
        setState({ kind: 'ready', data });
        setDraft(draftOf(data));
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted || isAbortError(error)) return;
        setState({ kind: 'error' });
      });
    return () => controller.abort();
  }, [client]);

  const loadUsage = React.useCallback(
    (signal?: AbortSignal) =>
      fetchUsage(client, signal)
        .then((data) => {
          setUsage(data);
          setUsageFailed(false);
        })
        .catch((error: unknown) => {
          if (!isAbortError(error)) setUsageFailed(true);
        }),
    [client]
  );
  React.useEffect(() => {
    const controller = new AbortController();
    void loadUsage(controller.signal);
    return () => controller.abort();
  }, [loadUsage]);

  if (state.kind === 'loading' || isLoadingPermissions || (state.kind === 'ready' && !draft)) {
    return <Page.Loading />;
  }
  if (state.kind === 'error' || !draft) {
    return <Page.Error />;
  }

  const { data } = state;
  const changes = changesOf(data, draft);
  const hasChanges = Object.keys(changes).length > 0;
  const clientErrors = problemsOf(t, changes);
  // A message next to a field: the client's check as soon as the field was touched, else the server's.
  const errorFor = (key: SettingKey): string | undefined =>
    (key in changes || showErrors ? clientErrors[key] : undefined) ?? serverErrors[key];
  const readOnly = (key: SettingKey) => !canUpdate || isFixed(data, key) || isSaving;

  const update = (patch: Partial<Draft>, keys: SettingKey[]) => {
    setDraft((previous) => (previous ? { ...previous, ...patch } : previous));
    setServerErrors((previous) => {
      const next = { ...previous };
      for (const key of keys) delete next[key];
      return next;
    });
  };
  const setNumber = (key: IntegerSettingKey, value: number | undefined) =>
    update({ numbers: { ...draft.numbers, [key]: value } }, [key]);

  const handleSubmit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!canUpdate || !hasChanges || isSaving) return;
    if (Object.keys(clientErrors).length > 0) {
      // Nothing is sent while anything is invalid: the messages are next to the fields.
      setShowErrors(true);
      toggleNotification({ type: 'warning', message: t('settings.invalid') });
      return;
    }
    setIsSaving(true);
    try {
      const saved = await updateSettings(client, changes);
      setState({ kind: 'ready', data: saved });
      setDraft(draftOf(saved));
      setServerErrors({});
      setShowErrors(false);
      invalidateProcessOnStatus();
      toggleNotification({ type: 'success', message: t('settings.saved') });
      void loadUsage();
    } catch (error) {
      const problem = readApiError(error);
      setServerErrors(
        Object.fromEntries(Object.entries(problem.fieldErrors).map(([key, item]) => [key, problemText(t, key, item)]))
      );
      toggleNotification({
        type: 'danger',
        message:
          problem.status === 403
            ? t('settings.forbidden')
            : Object.keys(problem.fieldErrors).length > 0
              ? t('settings.invalid')
              : problem.message !== ''
                ? problem.message
                : t('settings.save-failed'),
      });
    } finally {
      setIsSaving(false);
    }
  };

  /** The note under a field: where a fixed value comes from, else what the field is for. */
  const hintFor = (key: SettingKey, description: string): string => {
    if (data.sources[key] === 'config') return t('settings.source.config');
    if (data.sources[key] === 'env') return t('settings.source.env', { name: data.envNames[key] });
    return description;
  };

  /* Callback URL and its check --------------------------------------------------------------- */
  const draftPublicUrl = draft.publicUrl.trim();
  const callbackUrl = draftPublicUrl && isPlainHttpUrl(draftPublicUrl) ? callbackUrlFor(draftPublicUrl) : null;
  const publicUrlChanged = draftPublicUrl.replace(/\/+$/, '') !== data.values.publicUrl;
  const runCheck = async () => {
    setCheck({ running: true, result: null, error: null });
    try {
      // The draft (before saving) needs the update permission; a reader checks what is stored.
      const body = canUpdate && publicUrlChanged && callbackUrl ? { publicUrl: draftPublicUrl } : {};
      const result = await checkCallback(client, body);
      setCheck({ running: false, result, error: null });
    } catch (error) {
      const problem = readApiError(error);
      setCheck({ running: false, result: null, error: problem.message || t('error.unknown') });
    }
  };
  const checkMessage = (result: CheckResult) =>
    t(CHECK_KEYS[result.outcome], {
      url: result.url ?? '',
      status: result.status ?? '',
      detail: result.detail ?? '',
      ms: result.elapsedMs,
    });

  /* Usage ------------------------------------------------------------------------------------ */
  const quotaShown = draft.numbers.sessionQuota ?? 0;
  const used = usage ? (draft.quotaPeriod === 'month' ? usage.month : usage.total) : 0;
  const ratio = quotaShown > 0 ? used / quotaShown : 0;
  const quotaState = quotaShown <= 0 ? 'none' : used >= quotaShown ? 'reached' : ratio >= 0.8 ? 'warning' : 'ok';

  const numberField = (key: IntegerSettingKey, labelKey: TranslationKey, hintKey: TranslationKey) => (
    <SettingField name={key} label={t(labelKey)} hint={hintFor(key, t(hintKey))} error={errorFor(key)}>
      <NumberInput
        value={draft.numbers[key]}
        onValueChange={(value: number | undefined) => setNumber(key, value)}
        disabled={readOnly(key)}
      />
    </SettingField>
  );

  return (
    <Page.Main>
      <Page.Title>{t('settings.page-title')}</Page.Title>
      <form onSubmit={handleSubmit} noValidate>
        <Layouts.Header
          title={t('settings.title')}
          subtitle={t('settings.subtitle')}
          primaryAction={
            canUpdate ? (
              <Button
                type="submit"
                startIcon={<Check />}
                disabled={!hasChanges || isSaving}
                loading={isSaving}
                size="S"
              >
                {t('settings.save')}
              </Button>
            ) : undefined
          }
        />
        <Layouts.Content>
          <Flex direction="column" alignItems="stretch" gap={6}>
            {!canUpdate && (
              <Box
                padding={4}
                background="primary100"
                borderColor="primary200"
                borderStyle="solid"
                borderWidth="1px"
                hasRadius
                data-testid="processon-settings-read-only"
              >
                <Typography fontWeight="semiBold" tag="p">
                  {t('settings.read-only.title')}
                </Typography>
                <Typography tag="p">{t('settings.read-only')}</Typography>
              </Box>
            )}

            <Section title={t('settings.connection')} description={t('settings.connection.description')}>
              <Grid.Root gap={5}>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <SettingField
                    name="appkey"
                    label={t('settings.appkey.label')}
                    hint={hintFor('appkey', t('settings.appkey.hint'))}
                    error={errorFor('appkey')}
                  >
                    <TextInput
                      type={showAppkey ? 'text' : 'password'}
                      autoComplete="off"
                      spellCheck={false}
                      value={draft.appkey}
                      onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                        update({ appkey: event.target.value }, ['appkey'])
                      }
                      disabled={readOnly('appkey')}
                      endAction={
                        <Field.Action
                          label={showAppkey ? t('settings.appkey.hide') : t('settings.appkey.show')}
                          onClick={() => setShowAppkey((shown) => !shown)}
                        >
                          {showAppkey ? <EyeStriked /> : <Eye />}
                        </Field.Action>
                      }
                    />
                  </SettingField>
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <SettingField
                    name="apiBaseUrl"
                    label={t('settings.apiBaseUrl.label')}
                    hint={hintFor('apiBaseUrl', t('settings.apiBaseUrl.hint'))}
                    error={errorFor('apiBaseUrl')}
                  >
                    <TextInput
                      type="url"
                      inputMode="url"
                      spellCheck={false}
                      placeholder="https://api.processon.com"
                      value={draft.apiBaseUrl}
                      onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                        update({ apiBaseUrl: event.target.value }, ['apiBaseUrl'])
                      }
                      disabled={readOnly('apiBaseUrl')}
                    />
                  </SettingField>
                </Grid.Item>
                <Grid.Item col={12} direction="column" alignItems="stretch">
                  <SettingField
                    name="publicUrl"
                    label={t('settings.publicUrl.label')}
                    hint={hintFor('publicUrl', t('settings.publicUrl.hint'))}
                    error={errorFor('publicUrl')}
                  >
                    <TextInput
                      type="url"
                      inputMode="url"
                      spellCheck={false}
                      placeholder="https://cms.example.com"
                      value={draft.publicUrl}
                      onChange={(event: React.ChangeEvent<HTMLInputElement>) => {
                        update({ publicUrl: event.target.value }, ['publicUrl']);
                        setCheck({ running: false, result: null, error: null });
                      }}
                      disabled={readOnly('publicUrl')}
                    />
                  </SettingField>
                  <Box paddingTop={3}>
                    <Flex direction="column" alignItems="stretch" gap={2} data-testid="processon-callback">
                      {callbackUrl ? (
                        <Flex gap={2} alignItems="center" wrap="wrap">
                          <Typography variant="pi" textColor="neutral800">
                            {t('settings.callbackUrl')}
                          </Typography>
                          <Box
                            background="neutral100"
                            paddingLeft={2}
                            paddingRight={2}
                            paddingTop={1}
                            paddingBottom={1}
                            hasRadius
                          >
                            <Typography
                              variant="pi"
                              fontWeight="semiBold"
                              data-testid="processon-callback-url"
                              style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
                            >
                              {callbackUrl}
                            </Typography>
                          </Box>
                          <IconButton
                            label={t('settings.callbackUrl.copy')}
                            variant="tertiary"
                            onClick={async () => {
                              const copied = await copy(callbackUrl);
                              toggleNotification({
                                type: copied ? 'success' : 'warning',
                                message: copied
                                  ? t('settings.callbackUrl.copied')
                                  : t('settings.callbackUrl.copy-failed'),
                              });
                            }}
                          >
                            <Duplicate />
                          </IconButton>
                          <Button
                            variant="secondary"
                            size="S"
                            startIcon={<Globe />}
                            onClick={() => void runCheck()}
                            loading={check.running}
                            disabled={check.running || (!canUpdate && publicUrlChanged)}
                          >
                            {t('settings.check')}
                          </Button>
                        </Flex>
                      ) : (
                        <Typography variant="pi" textColor="neutral600">
                          {t('settings.callbackUrl.none')}
                        </Typography>
                      )}
                      {callbackUrl && isPrivateHost(callbackUrl) && (
                        <Typography variant="pi" textColor="warning600" data-testid="processon-callback-private">
                          {t('settings.callbackUrl.private')}
                        </Typography>
                      )}
                      <Box aria-live="polite">
                        {check.result && (
                          <Alert
                            variant={check.result.ok ? 'success' : 'danger'}
                            title={check.result.ok ? t('settings.check.ok.title') : t('settings.check.failed.title')}
                            closeLabel={t('errors.close')}
                            onClose={() => setCheck({ running: false, result: null, error: null })}
                            data-testid="processon-check-result"
                            data-outcome={check.result.outcome}
                          >
                            {checkMessage(check.result)}
                          </Alert>
                        )}
                        {check.error && (
                          <Typography textColor="danger600" data-testid="processon-check-error">
                            {check.error}
                          </Typography>
                        )}
                      </Box>
                    </Flex>
                  </Box>
                </Grid.Item>
              </Grid.Root>
            </Section>

            <Section title={t('settings.editor')} description={t('settings.editor.description')}>
              <Grid.Root gap={5}>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <SettingField
                    name="defaultCategory"
                    label={t('settings.defaultCategory.label')}
                    hint={hintFor('defaultCategory', t('settings.defaultCategory.hint'))}
                    error={errorFor('defaultCategory')}
                  >
                    <SingleSelect
                      value={draft.defaultCategory}
                      onChange={(value: string | number) => {
                        if (isCategory(value)) update({ defaultCategory: value }, ['defaultCategory']);
                      }}
                      disabled={readOnly('defaultCategory')}
                    >
                      {CATEGORIES.map((category) => (
                        <SingleSelectOption key={category} value={category}>
                          {t(CATEGORY_KEYS[category])}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                  </SettingField>
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <SettingField
                    name="hidebtn"
                    label={t('settings.hidebtn.label')}
                    hint={hintFor('hidebtn', t('settings.hidebtn.hint'))}
                    error={errorFor('hidebtn')}
                  >
                    <Toggle
                      checked={draft.hidebtn}
                      onLabel={t('settings.on')}
                      offLabel={t('settings.off')}
                      onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                        update({ hidebtn: event.target.checked }, ['hidebtn'])
                      }
                      disabled={readOnly('hidebtn')}
                    />
                  </SettingField>
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  {numberField('sessionTtl', 'settings.sessionTtl.label', 'settings.sessionTtl.hint')}
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  {numberField('maxDefSize', 'settings.maxDefSize.label', 'settings.maxDefSize.hint')}
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  {numberField('revisionsKept', 'settings.revisionsKept.label', 'settings.revisionsKept.hint')}
                </Grid.Item>
              </Grid.Root>
            </Section>

            <Section title={t('settings.embeds')} description={t('settings.embeds.description')}>
              <Grid.Root gap={5}>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <SettingField
                    name="frameAncestors"
                    label={t('settings.frameAncestors.label')}
                    hint={hintFor(
                      'frameAncestors',
                      draft.followCors ? t('settings.frameAncestors.hint.cors') : t('settings.frameAncestors.hint')
                    )}
                    error={errorFor('frameAncestors')}
                  >
                    <Box paddingBottom={2}>
                      <Checkbox
                        checked={draft.followCors}
                        disabled={readOnly('frameAncestors')}
                        onCheckedChange={(checked: boolean | 'indeterminate') =>
                          update(
                            {
                              followCors: checked === true,
                              ancestorsText:
                                checked === true ? data.defaults.frameAncestors.join('\n') : draft.ancestorsText,
                            },
                            ['frameAncestors']
                          )
                        }
                      >
                        {t('settings.frameAncestors.follow-cors')}
                      </Checkbox>
                    </Box>
                    <Textarea
                      value={draft.followCors ? data.defaults.frameAncestors.join('\n') : draft.ancestorsText}
                      onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) =>
                        update({ ancestorsText: event.target.value }, ['frameAncestors'])
                      }
                      disabled={readOnly('frameAncestors') || draft.followCors}
                      placeholder="https://www.example.com"
                      spellCheck={false}
                    />
                  </SettingField>
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  {numberField('cacheMaxAge', 'settings.cacheMaxAge.label', 'settings.cacheMaxAge.hint')}
                </Grid.Item>
              </Grid.Root>
            </Section>

            <Section
              title={t('settings.usage')}
              description={t('settings.usage.description', { timeZone: usage?.timeZone ?? '' })}
            >
              {usageFailed ? (
                <Typography textColor="danger600">{t('settings.usage.failed')}</Typography>
              ) : (
                <Flex gap={8} wrap="wrap" tag="dl" data-testid="processon-usage">
                  {(
                    [
                      ['today', 'settings.usage.today'],
                      ['month', 'settings.usage.month'],
                      ['total', 'settings.usage.total'],
                    ] as const
                  ).map(([key, labelKey]) => (
                    <Flex key={key} direction="column" alignItems="flex-start" gap={1}>
                      <Typography variant="sigma" textColor="neutral600" tag="dt">
                        {t(labelKey)}
                      </Typography>
                      <Typography variant="alpha" tag="dd" data-testid={`processon-usage-${key}`}>
                        {usage ? formatNumber(usage[key]) : '…'}
                      </Typography>
                    </Flex>
                  ))}
                </Flex>
              )}
              <Grid.Root gap={5}>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  {numberField('sessionQuota', 'settings.sessionQuota.label', 'settings.sessionQuota.hint')}
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <SettingField
                    name="quotaPeriod"
                    label={t('settings.quotaPeriod.label')}
                    hint={hintFor('quotaPeriod', t('settings.quotaPeriod.hint'))}
                    error={errorFor('quotaPeriod')}
                  >
                    <SingleSelect
                      value={draft.quotaPeriod}
                      onChange={(value: string | number) => {
                        if (isQuotaPeriod(value)) update({ quotaPeriod: value }, ['quotaPeriod']);
                      }}
                      disabled={readOnly('quotaPeriod')}
                    >
                      {QUOTA_PERIODS.map((period) => (
                        <SingleSelectOption key={period} value={period}>
                          {t(period === 'month' ? 'settings.quotaPeriod.month' : 'settings.quotaPeriod.total')}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                  </SettingField>
                </Grid.Item>
              </Grid.Root>
              {usage && quotaShown > 0 && (
                <Flex
                  direction="column"
                  alignItems="stretch"
                  gap={3}
                  data-testid="processon-quota"
                  data-state={quotaState}
                >
                  <Flex gap={3} alignItems="center">
                    <Box flex="1">
                      <QuotaMeter
                        percent={Math.min(100, Math.round(ratio * 100))}
                        state={quotaState}
                        label={t('settings.quota.progress')}
                        valueText={t('settings.quota.used', { used, quota: quotaShown, percent: Math.round(ratio * 100) })}
                      />
                    </Box>
                    <Typography variant="pi" textColor="neutral700">
                      {t('settings.quota.used', { used, quota: quotaShown, percent: Math.round(ratio * 100) })}
                    </Typography>
                  </Flex>
                  {quotaState === 'warning' && (
                    <DismissibleAlert
                      variant="warning"
                      title={t('settings.quota.warning.title')}
                      closeLabel={t('errors.close')}
                    >
                      {t('settings.quota.warning', { used, quota: quotaShown, left: quotaShown - used })}
                    </DismissibleAlert>
                  )}
                  {quotaState === 'reached' && (
                    <ErrorExplanation
                      code={4004}
                      title={t('settings.quota.reached.title', { used, quota: quotaShown })}
                    />
                  )}
                </Flex>
              )}
            </Section>
          </Flex>
        </Layouts.Content>
      </form>
    </Page.Main>
  );
};

/** The link is only shown to users with the read action; the page checks it too (direct URL). */
const ProtectedSettingsPage = () => (
  <Page.Protect permissions={SETTINGS_READ}>
    <SettingsPage />
  </Page.Protect>
);

export { SettingsPage, ProtectedSettingsPage };
export default ProtectedSettingsPage;
