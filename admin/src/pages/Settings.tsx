import * as React from 'react';

import { Box, Button, Field, Flex, Grid, TextInput, Toggle, Typography } from '@strapi/design-system';
import { Check, Eye, EyeStriked } from '@strapi/icons';
import { Layouts, Page, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';

import type {
  EditableSettings,
  SettingKey,
  SettingsResponse,
  SettingsUpdateBody,
} from '../../../server/src/processon/api';
import { SETTINGS_RBAC, SETTINGS_READ } from '../permissions';
import { fetchSettings, isAbortError, readApiError, updateSettings } from '../utils/api';
import { useTranslate, type Translate } from '../utils/getTranslation';

type SettingsData = SettingsResponse['data'];

type LoadState = { kind: 'loading' } | { kind: 'error' } | { kind: 'ready'; data: SettingsData };

/** A value set by config/plugins.ts or by an environment variable cannot be changed here. */
const isFixed = (data: SettingsData, key: SettingKey): boolean =>
  data.sources[key] === 'config' || data.sources[key] === 'env';

/** The keys the administrator changed and may change, with their new values. */
const changesOf = (data: SettingsData, draft: EditableSettings): SettingsUpdateBody => {
  const body: SettingsUpdateBody = {};
  if (!isFixed(data, 'appkey') && draft.appkey !== data.values.appkey) body.appkey = draft.appkey;
  if (!isFixed(data, 'apiBaseUrl') && draft.apiBaseUrl !== data.values.apiBaseUrl) {
    body.apiBaseUrl = draft.apiBaseUrl.trim();
  }
  if (!isFixed(data, 'publicUrl') && draft.publicUrl !== data.values.publicUrl) {
    body.publicUrl = draft.publicUrl.trim();
  }
  if (!isFixed(data, 'hidebtn') && draft.hidebtn !== data.values.hidebtn) body.hidebtn = draft.hidebtn;
  return body;
};

/** The note under a field: where a fixed value comes from, else what the field is for. */
const hintFor = (t: Translate, data: SettingsData, key: SettingKey, description: string): string => {
  if (data.sources[key] === 'config') return t('settings.source.config');
  if (data.sources[key] === 'env') return t('settings.source.env', { name: data.envNames[key] });
  return description;
};

const SettingsPage = () => {
  const t = useTranslate();
  const client = useFetchClient();
  const { toggleNotification } = useNotification();
  const {
    allowedActions: { canUpdate },
    isLoading: isLoadingPermissions,
  } = useRBAC(SETTINGS_RBAC);

  const [state, setState] = React.useState<LoadState>({ kind: 'loading' });
  const [draft, setDraft] = React.useState<EditableSettings | null>(null);
  const [errors, setErrors] = React.useState<Record<string, string>>({});
  const [isSaving, setIsSaving] = React.useState(false);
  const [showAppkey, setShowAppkey] = React.useState(false);

  React.useEffect(() => {
    const controller = new AbortController();
    fetchSettings(client, controller.signal)
      .then((data) => {
        setState({ kind: 'ready', data });
        setDraft(data.values);
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted || isAbortError(error)) return;
        setState({ kind: 'error' });
      });
    return () => controller.abort();
  }, [client]);

  if (state.kind === 'loading' || isLoadingPermissions || (state.kind === 'ready' && !draft)) {
    return <Page.Loading />;
  }
  if (state.kind === 'error' || !draft) {
    return <Page.Error />;
  }

  const { data } = state;
  const changes = changesOf(data, draft);
  const hasChanges = Object.keys(changes).length > 0;
  const canSave = Boolean(canUpdate) && hasChanges && !isSaving;

  const set = <K extends SettingKey>(key: K, value: EditableSettings[K]) => {
    setDraft((previous) => (previous ? { ...previous, [key]: value } : previous));
    setErrors((previous) => {
      if (!(key in previous)) return previous;
      const { [key]: _removed, ...rest } = previous;
      return rest;
    });
  };

  const handleSubmit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!canSave) return;
    setIsSaving(true);
    try {
      const saved = await updateSettings(client, changes);
      setState({ kind: 'ready', data: saved });
      setDraft(saved.values);
      setErrors({});
      toggleNotification({ type: 'success', message: t('settings.saved') });
    } catch (error) {
      const problem = readApiError(error);
      setErrors(problem.fieldErrors);
      toggleNotification({
        type: 'danger',
        message:
          problem.status === 403
            ? t('settings.forbidden')
            : problem.message !== ''
              ? problem.message
              : t('settings.save-failed'),
      });
    } finally {
      setIsSaving(false);
    }
  };

  const readOnly = (key: SettingKey) => !canUpdate || isFixed(data, key) || isSaving;

  return (
    <Page.Main>
      <Page.Title>{t('settings.page-title')}</Page.Title>
      <form onSubmit={handleSubmit} noValidate>
        <Layouts.Header
          title={t('settings.title')}
          subtitle={t('settings.subtitle')}
          primaryAction={
            <Button type="submit" startIcon={<Check />} disabled={!canSave} loading={isSaving} size="S">
              {t('settings.save')}
            </Button>
          }
        />
        <Layouts.Content>
          <Flex direction="column" alignItems="stretch" gap={4}>
            {!canUpdate && (
              <Typography textColor="neutral600" tag="p" data-testid="processon-settings-read-only">
                {t('settings.read-only')}
              </Typography>
            )}
            <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
              <Flex direction="column" alignItems="stretch" gap={4}>
                <Typography variant="delta" tag="h2">
                  {t('settings.connection')}
                </Typography>
                <Grid.Root gap={5}>
                  <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                    <Field.Root
                      name="appkey"
                      id="processon-appkey"
                      error={errors.appkey}
                      hint={hintFor(t, data, 'appkey', t('settings.appkey.hint'))}
                    >
                      <Field.Label>{t('settings.appkey.label')}</Field.Label>
                      <TextInput
                        type={showAppkey ? 'text' : 'password'}
                        autoComplete="off"
                        spellCheck={false}
                        value={draft.appkey}
                        onChange={(event: React.ChangeEvent<HTMLInputElement>) => set('appkey', event.target.value)}
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
                      <Field.Hint />
                      <Field.Error />
                    </Field.Root>
                  </Grid.Item>
                  <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                    <Field.Root
                      name="apiBaseUrl"
                      id="processon-apiBaseUrl"
                      error={errors.apiBaseUrl}
                      hint={hintFor(t, data, 'apiBaseUrl', t('settings.apiBaseUrl.hint'))}
                    >
                      <Field.Label>{t('settings.apiBaseUrl.label')}</Field.Label>
                      <TextInput
                        type="url"
                        inputMode="url"
                        spellCheck={false}
                        placeholder="https://api.processon.com"
                        value={draft.apiBaseUrl}
                        onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                          set('apiBaseUrl', event.target.value)
                        }
                        disabled={readOnly('apiBaseUrl')}
                      />
                      <Field.Hint />
                      <Field.Error />
                    </Field.Root>
                  </Grid.Item>
                  <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                    <Field.Root
                      name="publicUrl"
                      id="processon-publicUrl"
                      error={errors.publicUrl}
                      hint={hintFor(t, data, 'publicUrl', t('settings.publicUrl.hint'))}
                    >
                      <Field.Label>{t('settings.publicUrl.label')}</Field.Label>
                      <TextInput
                        type="url"
                        inputMode="url"
                        spellCheck={false}
                        placeholder="https://cms.example.com"
                        value={draft.publicUrl}
                        onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                          set('publicUrl', event.target.value)
                        }
                        disabled={readOnly('publicUrl')}
                      />
                      <Field.Hint />
                      <Field.Error />
                    </Field.Root>
                    <Box paddingTop={2}>
                      <Typography variant="pi" textColor="neutral800" tag="p">
                        {data.callbackUrl ? (
                          <>
                            {t('settings.callbackUrl')}{' '}
                            <code data-testid="processon-callback-url">{data.callbackUrl}</code>
                          </>
                        ) : (
                          t('settings.callbackUrl.none')
                        )}
                      </Typography>
                    </Box>
                  </Grid.Item>
                  <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                    <Field.Root
                      name="hidebtn"
                      id="processon-hidebtn"
                      error={errors.hidebtn}
                      hint={hintFor(t, data, 'hidebtn', t('settings.hidebtn.hint'))}
                    >
                      <Field.Label>{t('settings.hidebtn.label')}</Field.Label>
                      <Toggle
                        checked={draft.hidebtn}
                        onLabel={t('settings.on')}
                        offLabel={t('settings.off')}
                        onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                          set('hidebtn', event.target.checked)
                        }
                        disabled={readOnly('hidebtn')}
                      />
                      <Field.Hint />
                      <Field.Error />
                    </Field.Root>
                  </Grid.Item>
                </Grid.Root>
              </Flex>
            </Box>
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
