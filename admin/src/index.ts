import type { ComponentType } from 'react';

import type { StrapiApp } from '@strapi/strapi/admin';

import { CATEGORIES, DEFAULT_CATEGORY } from '../../server/src/processon/categories';
import { FIELD_NAME } from '../../server/src/processon/value';
import { DiagramIcon } from './components/DiagramIcon';
import { SETTINGS_READ } from './permissions';
import { PLUGIN_ID } from './pluginId';
import { CATEGORY_KEYS } from './utils/categories';
import { messageOf, prefixPluginTranslations } from './utils/getTranslation';

/** What `app.customFields.register` takes, and one entry of its `options.base` / `options.advanced`. */
type CustomFieldDefinition = Exclude<Parameters<StrapiApp['customFields']['register']>[0], unknown[]>;
type OptionEntry = NonNullable<NonNullable<CustomFieldDefinition['options']>['base']>[number];
type BuiltInOption = Extract<OptionEntry, { name: string }>;

/**
 * A 'select' option stored under the attribute's `options` (`options.defaultCategory`). The
 * Content-Type Builder supports it (it sets `options.*` names into the attribute and renders a
 * 'select' item from its `options` list, see content-type-builder GenericInputs), but the admin's
 * `CustomFieldOption` type only lists the built-in option names and has no `options` list, hence
 * the one conversion below.
 */
interface AttributeSelectOption {
  name: `options.${string}`;
  type: 'select';
  intlLabel: { id: string; defaultMessage: string };
  description: { id: string; defaultMessage: string };
  defaultValue: string;
  options: Array<{ key: string; value: string; metadatas: { intlLabel: { id: string; defaultMessage: string } } }>;
}

const attributeOption = (option: AttributeSelectOption): BuiltInOption => option as unknown as BuiltInOption;

const SUPPORTED_LOCALES = ['en', 'zh-Hans'];

const isMessages = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  Object.values(value).every((message) => typeof message === 'string');

/** The messages of a dynamically imported JSON module (`{ default: {...} }`). */
const messagesOf = (module: unknown): Record<string, string> => {
  const data = typeof module === 'object' && module !== null && 'default' in module ? module.default : module;
  return isMessages(data) ? data : {};
};

export default {
  register(app: StrapiApp) {
    app.customFields.register({
      name: FIELD_NAME,
      pluginId: PLUGIN_ID,
      type: 'json',
      intlLabel: messageOf('field.label'),
      intlDescription: messageOf('field.description'),
      icon: DiagramIcon,
      components: {
        // The Content Manager renders the Input with the field's props (name, attribute, label,
        // hint, required, disabled, ...: content-manager InputRenderer), but this API types the
        // component as taking none; `ComponentType` is that declared type.
        Input: () =>
          import('./components/DiagramInput').then((module) => ({
            default: module.DiagramInput as ComponentType,
          })),
      },
      options: {
        base: [
          attributeOption({
            name: 'options.defaultCategory',
            type: 'select',
            intlLabel: messageOf('field.options.defaultCategory.label'),
            description: messageOf('field.options.defaultCategory.description'),
            defaultValue: DEFAULT_CATEGORY,
            options: CATEGORIES.map((category) => ({
              key: category,
              value: category,
              metadatas: { intlLabel: messageOf(CATEGORY_KEYS[category]) },
            })),
          }),
        ],
        advanced: [
          {
            sectionTitle: { id: 'global.settings', defaultMessage: 'Settings' },
            items: [
              {
                name: 'required',
                type: 'checkbox',
                intlLabel: messageOf('field.options.required.label'),
                description: messageOf('field.options.required.description'),
              },
              {
                name: 'private',
                type: 'checkbox',
                intlLabel: messageOf('field.options.private.label'),
                description: messageOf('field.options.private.description'),
              },
            ],
          },
        ],
      },
    });

    app.addSettingsLink(
      { id: PLUGIN_ID, intlLabel: messageOf('settings.section') },
      {
        id: `${PLUGIN_ID}-settings`,
        intlLabel: messageOf('settings.link'),
        to: PLUGIN_ID,
        Component: () => import('./pages/Settings'),
        permissions: SETTINGS_READ,
      }
    );
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        if (!SUPPORTED_LOCALES.includes(locale)) return { data: {}, locale };
        try {
          const module: unknown = await import(`./translations/${locale}.json`);
          return { data: prefixPluginTranslations(messagesOf(module)), locale };
        } catch {
          return { data: {}, locale };
        }
      })
    );
  },
};
