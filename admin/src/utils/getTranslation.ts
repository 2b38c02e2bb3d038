import * as React from 'react';
import { useIntl, type PrimitiveType } from 'react-intl';

import { PLUGIN_ID } from '../pluginId';
import en from '../translations/en.json';
import type zhHans from '../translations/zh-Hans.json';

/** A key of the plugin's translation files (without the `processon.` prefix). */
export type TranslationKey = keyof typeof en;

/**
 * Compile-time check that both translation files have exactly the same keys: a key missing from
 * either file makes this assignment fail.
 */
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : false;
const translationFilesMatch: SameKeys<typeof en, typeof zhHans> = true;
void translationFilesMatch;

/** The full intl id of a plugin message, as registered by `registerTrads`: `processon.<key>`. */
export const getTranslation = (key: TranslationKey): string => `${PLUGIN_ID}.${key}`;

/** A react-intl message descriptor for a plugin key, with the English text as default. */
export const messageOf = (key: TranslationKey): { id: string; defaultMessage: string } => ({
  id: getTranslation(key),
  defaultMessage: en[key],
});

/** Prefixes every key of a translation file with the plugin id, as Strapi plugins do. */
export const prefixPluginTranslations = (data: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(data).map(([key, value]) => [`${PLUGIN_ID}.${key}`, value]));

export type TranslateValues = Record<string, PrimitiveType>;
export type Translate = (key: TranslationKey, values?: TranslateValues) => string;

/** `t(key, values)` for the plugin's own messages. */
export const useTranslate = (): Translate => {
  const { formatMessage } = useIntl();
  return React.useCallback(
    (key: TranslationKey, values?: TranslateValues) => formatMessage(messageOf(key), values),
    [formatMessage]
  );
};
