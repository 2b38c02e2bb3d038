import * as React from 'react';

import { Alert, Box, Flex, TextButton, Typography, type AlertProps } from '@strapi/design-system';
import { Information } from '@strapi/icons';
import { useIntl } from 'react-intl';

import {
  ERROR_CODE_LIST,
  explainErrorCode,
  explanationLanguage,
  type ErrorCode,
} from '../../../server/src/processon/errors';
import { useTranslate } from '../utils/getTranslation';
import { SettingsLink } from './SettingsLink';

/** The explanations of ProcessOn's error codes (protocol module), in the admin's language. */
const useExplain = () => {
  const { locale } = useIntl();
  const lang = explanationLanguage(locale);
  return React.useCallback((code: ErrorCode) => explainErrorCode(code, lang), [lang]);
};

/** An alert whose close button hides it (the design system's Alert always shows one). */
export const DismissibleAlert = ({ onClose, ...props }: AlertProps) => {
  const [open, setOpen] = React.useState(true);
  if (!open) return null;
  return (
    <Alert
      {...props}
      onClose={() => {
        setOpen(false);
        onClose?.();
      }}
    />
  );
};

interface ErrorExplanationProps {
  code: ErrorCode;
  /** What the user was doing, shown as the title (defaults to "ProcessOn answered error N"). */
  title?: string;
  onClose?: () => void;
}

/** One ProcessOn error code, explained where the user meets it: cause, fix, and the setting to change. */
export const ErrorExplanation = ({ code, title, onClose }: ErrorExplanationProps) => {
  const t = useTranslate();
  const explanation = useExplain()(code);
  return (
    <DismissibleAlert
      variant="danger"
      title={title ?? t('errors.code.title', { code, description: explanation.title })}
      closeLabel={t('errors.close')}
      onClose={onClose}
      action={explanation.setting ? <SettingsLink>{t('errors.open-settings')}</SettingsLink> : undefined}
      data-testid="processon-error-explanation"
      data-code={code}
    >
      <Typography tag="span" display="block">
        {explanation.cause}
      </Typography>
      <Typography tag="span" display="block" fontWeight="semiBold">
        {explanation.fix}
      </Typography>
    </DismissibleAlert>
  );
};

/**
 * "The editor shows an error code?": every code with its cause and fix, for codes ProcessOn shows
 * inside its own frame without telling the admin page.
 */
export const ErrorCodeHelp = () => {
  const t = useTranslate();
  const explain = useExplain();
  const [open, setOpen] = React.useState(false);
  const listId = React.useId();
  return (
    <Box>
      <TextButton
        startIcon={<Information />}
        onClick={() => setOpen((shown) => !shown)}
        aria-expanded={open}
        aria-controls={listId}
      >
        {open ? t('errors.help.hide') : t('errors.help.show')}
      </TextButton>
      {open && (
        <Box id={listId} paddingTop={3} maxHeight="30vh" overflow="auto" data-testid="processon-error-help">
          <Flex tag="dl" direction="column" alignItems="stretch" gap={3}>
            {ERROR_CODE_LIST.map((code) => {
              const e = explain(code);
              return (
                <Box key={code}>
                  <Typography tag="dt" fontWeight="bold">
                    {code} · {e.title}
                  </Typography>
                  <Typography tag="dd" textColor="neutral700">
                    {e.cause} {e.fix}
                  </Typography>
                </Box>
              );
            })}
          </Flex>
        </Box>
      )}
    </Box>
  );
};
