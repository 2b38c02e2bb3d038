import type { ComponentType } from 'react';

import type { StrapiApp } from '@strapi/strapi/admin';

import { CATEGORIES } from '../../server/src/processon/categories';
import { HIDEBTN_MODES, type HidebtnMode } from '../../server/src/processon/field-options';
import { FIELD_NAME } from '../../server/src/processon/value';
import { DiagramIcon } from './components/DiagramIcon';
import {
  ALLOWED_CATEGORIES_INPUT,
  AllowedCategoriesInput,
  DEFAULT_CATEGORY_INPUT,
  DefaultCategoryInput,
  type BuilderInputProps,
} from './components/FieldOptionInputs';
import { SETTINGS_READ } from './permissions';
import { PLUGIN_ID } from './pluginId';
import { messageOf, prefixPluginTranslations, type TranslationKey } from './utils/getTranslation';

const HIDEBTN_KEYS: Record<HidebtnMode, TranslationKey> = {
  settings: 'field.options.hidebtn.settings',
  hide: 'field.options.hidebtn.hide',
  show: 'field.options.hidebtn.show',
};

/** What `app.customFields.register` takes, and one entry of its `options.base` / `options.advanced`. */
type CustomFieldDefinition = Exclude<Parameters<StrapiApp['customFields']['register']>[0], unknown[]>;
type OptionEntry = NonNullable<NonNullable<CustomFieldDefinition['options']>['base']>[number];
type BuiltInOption = Extract<OptionEntry, { name: string }>;

/**
 * An option stored under the attribute's `options` (`options.hidebtn`, ...). The Content-Type
 * Builder supports it (it sets `options.*` names into the attribute, renders a 'select' item from
 * its `options` list, and renders types registered through its forms API with their component,
 * see content-type-builder GenericInputs), but the admin's `CustomFieldOption` type only lists the
 * built-in option names and types, hence the one conversion below.
 */
interface AttributeOption {
  name: `options.${string}`;
  type: 'select' | typeof ALLOWED_CATEGORIES_INPUT | typeof DEFAULT_CATEGORY_INPUT;
  intlLabel: { id: string; defaultMessage: string };
  description: { id: string; defaultMessage: string };
  defaultValue?: string | string[];
  size?: number;
  options?: Array<{ key: string; value: string; metadatas: { intlLabel: { id: string; defaultMessage: string } } }>;
}

const attributeOption = (option: AttributeOption): BuiltInOption => option as unknown as BuiltInOption;

/** The Content-Type Builder's forms API (its `apis.forms`), as far as registering inputs goes. */
interface BuilderFormsApi {
  components: { add(input: { id: string; component: ComponentType<BuilderInputProps> }): void };
}

const isBuilderFormsApi = (value: unknown): value is BuilderFormsApi =>
  typeof value === 'object' &&
  value !== null &&
  'components' in value &&
  typeof value.components === 'object' &&
  value.components !== null &&
  'add' in value.components &&
  typeof value.components.add === 'function';

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
            name: 'options.allowedCategories',
            type: ALLOWED_CATEGORIES_INPUT,
            intlLabel: messageOf('field.options.allowedCategories.label'),
            description: messageOf('field.options.allowedCategories.description'),
            defaultValue: [...CATEGORIES],
            size: 12,
          }),
          attributeOption({
            name: 'options.defaultCategory',
            type: DEFAULT_CATEGORY_INPUT,
            intlLabel: messageOf('field.options.defaultCategory.label'),
            description: messageOf('field.options.defaultCategory.description'),
          }),
          attributeOption({
            name: 'options.hidebtn',
            type: 'select',
            intlLabel: messageOf('field.options.hidebtn.label'),
            description: messageOf('field.options.hidebtn.description'),
            defaultValue: 'settings',
            options: HIDEBTN_MODES.map((mode) => ({
              key: mode,
              value: mode,
              metadatas: { intlLabel: messageOf(HIDEBTN_KEYS[mode]) },
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

  bootstrap(app: Pick<StrapiApp, 'getPlugin'>) {
    // The field's option inputs, in the Content-Type Builder (registered once every plugin is).
    const forms = app.getPlugin('content-type-builder')?.apis?.forms;
    if (isBuilderFormsApi(forms)) {
      forms.components.add({ id: ALLOWED_CATEGORIES_INPUT, component: AllowedCategoriesInput });
      forms.components.add({ id: DEFAULT_CATEGORY_INPUT, component: DefaultCategoryInput });
    }
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
