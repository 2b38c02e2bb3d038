import { CATEGORIES, isCategory, type Category } from './categories';

/** The custom field's uid, as registered by the server and the admin. */
export const FIELD_PLUGIN_ID = 'processon';
export const FIELD_NAME = 'diagram';
export const FIELD_UID = `plugin::${FIELD_PLUGIN_ID}.${FIELD_NAME}` as const;

/** What a "ProcessOn diagram" field stores (a JSON column). */
export interface DiagramValue {
  /** UUID made when the diagram is created; ProcessOn's "third-party file id". Never changes. */
  chartid: string;
  category: Category;
  title: string;
  /** ProcessOn's own document, exactly as ProcessOn sent it ('' for a new, never saved diagram). */
  def: string;
  /** Size in KB, as ProcessOn reports it. */
  size: number;
  /** ProcessOn's "valid" flag: false for an empty flowchart or a mind map without nodes. */
  valid: boolean;
  /** ISO time of the last save that reached the plugin. */
  updatedAt: string;
}

export const TITLE_MAX_LENGTH = 255;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export const isChartId = (value: unknown): value is string =>
  typeof value === 'string' && UUID_RE.test(value);

const KEYS: readonly (keyof DiagramValue)[] = [
  'chartid',
  'category',
  'title',
  'def',
  'size',
  'valid',
  'updatedAt',
];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a value against the field's shape. Returns the list of problems ([] when valid).
 * `null` (an empty field) is valid; required-ness is Strapi's own concern.
 */
export const diagramValueProblems = (value: unknown): string[] => {
  if (value === null || value === undefined) return [];
  if (!isRecord(value)) return ['must be an object or null'];
  const problems: string[] = [];
  for (const key of Object.keys(value)) {
    if (!(KEYS as readonly string[]).includes(key)) problems.push(`unknown key "${key}"`);
  }
  if (!isChartId(value.chartid)) problems.push('chartid must be a UUID');
  if (!isCategory(value.category)) problems.push(`category must be one of ${CATEGORIES.join(', ')}`);
  if (typeof value.title !== 'string' || value.title.trim() === '') {
    problems.push('title must be a non-empty string');
  } else if (value.title.length > TITLE_MAX_LENGTH) {
    problems.push(`title must be at most ${TITLE_MAX_LENGTH} characters`);
  }
  if (typeof value.def !== 'string') problems.push('def must be a string');
  if (typeof value.size !== 'number' || !Number.isFinite(value.size) || value.size < 0) {
    problems.push('size must be a number >= 0');
  }
  if (typeof value.valid !== 'boolean') problems.push('valid must be a boolean');
  if (typeof value.updatedAt !== 'string' || Number.isNaN(Date.parse(value.updatedAt))) {
    problems.push('updatedAt must be an ISO date string');
  }
  return problems;
};

export const isDiagramValue = (value: unknown): value is DiagramValue =>
  value !== null && value !== undefined && diagramValueProblems(value).length === 0;

/** A new, never saved diagram. */
export const newDiagramValue = (
  chartid: string,
  category: Category,
  title: string,
  now: Date = new Date()
): DiagramValue => ({
  chartid,
  category,
  title,
  def: '',
  size: 0,
  valid: false,
  updatedAt: now.toISOString(),
});
