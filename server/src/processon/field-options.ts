/**
 * The options of a "ProcessOn diagram" field, set in the Content-Type Builder and stored in the
 * attribute's `options`: which categories the field allows, its default category and whether the
 * editor's own Save button is hidden. Read by the admin (the field's Input) and the server (which
 * refuses an edit session for a category the field does not allow).
 */
import { CATEGORIES, isCategory, type Category } from './categories';

/** `settings`: follow Settings → ProcessOn; `hide` / `show`: this field decides. */
export const HIDEBTN_MODES = ['settings', 'hide', 'show'] as const;
export type HidebtnMode = (typeof HIDEBTN_MODES)[number];

export interface DiagramFieldOptions {
  /** Never empty: a field without a (valid) list allows every category. */
  allowedCategories: Category[];
  /** The field's own default; null = the default of Settings → ProcessOn. */
  defaultCategory: Category | null;
  hidebtn: HidebtnMode;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The field's options from an attribute's `options` (anything unreadable falls back to the defaults). */
export const readFieldOptions = (options: unknown): DiagramFieldOptions => {
  const record = isRecord(options) ? options : {};
  const listed = Array.isArray(record.allowedCategories) ? record.allowedCategories.filter(isCategory) : [];
  // Kept in the protocol's order, each once.
  const allowedCategories = CATEGORIES.filter((c) => listed.includes(c));
  const hidebtn = (HIDEBTN_MODES as readonly unknown[]).includes(record.hidebtn) ? (record.hidebtn as HidebtnMode) : 'settings';
  return {
    allowedCategories: allowedCategories.length > 0 ? allowedCategories : [...CATEGORIES],
    defaultCategory: isCategory(record.defaultCategory) ? record.defaultCategory : null,
    hidebtn,
  };
};

/** The category a new diagram of this field starts with: its own default, Settings' default, else the first allowed. */
export const effectiveDefaultCategory = (options: DiagramFieldOptions, settingsDefault: Category): Category => {
  if (options.defaultCategory && options.allowedCategories.includes(options.defaultCategory)) return options.defaultCategory;
  if (options.allowedCategories.includes(settingsDefault)) return settingsDefault;
  return options.allowedCategories[0];
};

export const effectiveHidebtn = (options: DiagramFieldOptions, settingsHidebtn: boolean): boolean =>
  options.hidebtn === 'settings' ? settingsHidebtn : options.hidebtn === 'hide';
