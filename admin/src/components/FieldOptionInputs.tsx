/**
 * The diagram field's options in the Content-Type Builder (custom inputs registered with the
 * builder's forms API): the categories the field allows (at least one), and its default category
 * (one of those, or the default of Settings → ProcessOn).
 */
import * as React from 'react';

import { Checkbox, Field, Flex, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { CATEGORIES, type Category } from '../../../server/src/processon/categories';
import { readFieldOptions } from '../../../server/src/processon/field-options';
import { CATEGORY_KEYS } from '../utils/categories';
import { useTranslate } from '../utils/getTranslation';

/** What the Content-Type Builder hands a custom option input (content-type-builder GenericInput). */
export interface BuilderInputProps {
  name: string;
  value?: unknown;
  onChange: (event: { target: { name: string; value: unknown } }) => void;
  intlLabel: { id: string; defaultMessage: string; values?: Record<string, string> };
  description?: { id: string; defaultMessage: string } | null;
  error?: string;
  disabled?: boolean;
  /** The attribute being edited (its `options`). */
  modifiedData?: { options?: unknown };
}

export const ALLOWED_CATEGORIES_INPUT = 'processon-allowed-categories';
export const DEFAULT_CATEGORY_INPUT = 'processon-default-category';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const optionsOf = (props: BuilderInputProps) =>
  readFieldOptions(isRecord(props.modifiedData) ? props.modifiedData.options : undefined);

export const AllowedCategoriesInput = (props: BuilderInputProps) => {
  const { name, onChange, intlLabel, description, error, disabled } = props;
  const { formatMessage } = useIntl();
  const t = useTranslate();
  const options = optionsOf(props);
  const allowed = options.allowedCategories;

  const toggle = (category: Category, checked: boolean) => {
    const next = CATEGORIES.filter((c) => (c === category ? checked : allowed.includes(c)));
    if (next.length === 0) return;
    onChange({ target: { name, value: next } });
    // A default that is no longer allowed goes back to "as in Settings".
    if (options.defaultCategory && !next.includes(options.defaultCategory)) {
      onChange({ target: { name: 'options.defaultCategory', value: undefined } });
    }
  };

  return (
    <Field.Root name={name} error={error} hint={description ? formatMessage(description) : undefined}>
      <Field.Label>{formatMessage(intlLabel)}</Field.Label>
      <Flex gap={4} wrap="wrap" paddingTop={1} paddingBottom={1} data-testid="processon-allowed-categories">
        {CATEGORIES.map((category) => {
          const checked = allowed.includes(category);
          // The last allowed category cannot be unticked: a field allows at least one.
          const last = checked && allowed.length === 1;
          return (
            <Checkbox
              key={category}
              name={`${name}.${category}`}
              checked={checked}
              disabled={disabled || last}
              title={last ? t('field.options.allowedCategories.last') : undefined}
              onCheckedChange={(state: boolean | 'indeterminate') => toggle(category, state === true)}
            >
              {t(CATEGORY_KEYS[category])}
            </Checkbox>
          );
        })}
      </Flex>
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
};

/** `settings`: no default of its own (Settings' default, or the first allowed category). */
const SETTINGS_DEFAULT = 'settings';

export const DefaultCategoryInput = (props: BuilderInputProps) => {
  const { name, onChange, intlLabel, description, error, disabled } = props;
  const { formatMessage } = useIntl();
  const t = useTranslate();
  const options = optionsOf(props);
  const value =
    options.defaultCategory && options.allowedCategories.includes(options.defaultCategory)
      ? options.defaultCategory
      : SETTINGS_DEFAULT;
  return (
    <Field.Root name={name} error={error} hint={description ? formatMessage(description) : undefined}>
      <Field.Label>{formatMessage(intlLabel)}</Field.Label>
      <SingleSelect
        value={value}
        disabled={disabled}
        onChange={(next: string | number) =>
          onChange({ target: { name, value: next === SETTINGS_DEFAULT ? undefined : next } })
        }
      >
        <SingleSelectOption value={SETTINGS_DEFAULT}>{t('field.options.defaultCategory.settings')}</SingleSelectOption>
        {options.allowedCategories.map((category) => (
          <SingleSelectOption key={category} value={category}>
            {t(CATEGORY_KEYS[category])}
          </SingleSelectOption>
        ))}
      </SingleSelect>
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
};
