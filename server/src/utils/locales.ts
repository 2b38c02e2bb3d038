import type { Core } from '@strapi/strapi';

/** The i18n default locale, when i18n is there (it is part of Strapi 5, but may be disabled). */
export const defaultLocale = async (strapi: Core.Strapi): Promise<string | null> => {
  const locales = strapi.plugin('i18n')?.service('locales') as { getDefaultLocale(): Promise<string> } | undefined;
  return locales ? locales.getDefaultLocale() : null;
};
