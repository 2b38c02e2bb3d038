import { errors, yup, validateYupSchema } from '@strapi/utils';
import { CATEGORIES, TITLE_MAX_LENGTH, isChartId } from '../processon';

const httpUrl = (label: string) =>
  yup
    .string()
    .test('http-url', `${label} must be an absolute http(s) URL without query, fragment or credentials`, (value) => {
      if (value === undefined || value === '') return true;
      const text = value.trim();
      // A lone "?" or "#" leaves url.search/url.hash empty: refuse the characters themselves.
      if (/[?#\s]/.test(text)) return false;
      try {
        const url = new URL(text);
        return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && url.hostname !== '';
      } catch {
        return false;
      }
    });

const settingsSchema = yup
  .object({
    appkey: yup
      .string()
      .max(128, 'appkey must be at most 128 characters')
      .matches(/^\s*[A-Za-z0-9_-]*\s*$/, 'appkey may only contain letters, digits, "-" and "_"'),
    apiBaseUrl: httpUrl('ProcessOn base URL').test(
      'required',
      'ProcessOn base URL may not be empty',
      (value) => value === undefined || value.trim() !== ''
    ),
    publicUrl: httpUrl('Public URL'),
    hidebtn: yup.boolean().strict(true),
  })
  .noUnknown(true, 'unknown setting: ${unknown}');

export const validateSettingsUpdate: (body: unknown) => Promise<unknown> = validateYupSchema(settingsSchema, {
  strict: true,
  abortEarly: false,
});

const sessionSchema = yup
  .object({
    uid: yup
      .string()
      .required('uid is required')
      .matches(/^(api|plugin)::[a-z0-9-]+\.[a-z0-9-]+$/, 'uid must be a content type uid like api::article.article'),
    documentId: yup.string().nullable().max(64),
    locale: yup.string().nullable().max(32),
    field: yup
      .string()
      .required('field is required')
      .max(255)
      .matches(/^[A-Za-z_][A-Za-z0-9_]*(\.(\d+|[A-Za-z_][A-Za-z0-9_]*))*$/, 'field must be a field path like "diagram" or "blocks.0.diagram"'),
    chartid: yup.string().required('chartid is required').test('uuid', 'chartid must be a UUID', (v) => isChartId(v)),
    category: yup.string().required('category is required').oneOf([...CATEGORIES], `category must be one of ${CATEGORIES.join(', ')}`),
    title: yup.string().required('title is required').trim().min(1).max(TITLE_MAX_LENGTH),
    def: yup.string().defined('def must be a string (empty for a new diagram)').strict(true),
  })
  .noUnknown(true, 'unknown key: ${unknown}');

const SESSION_KEYS = Object.keys(sessionSchema.fields);
const validateSession = validateYupSchema(sessionSchema, { strict: false, abortEarly: false });

/** Validates a POST /processon/sessions body; unknown keys are refused, not ignored. */
export const validateCreateSession = async (body: unknown): Promise<unknown> => {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const unknown = Object.keys(body).filter((key) => !SESSION_KEYS.includes(key));
    if (unknown.length > 0) {
      throw new errors.ValidationError(`unknown key: ${unknown.join(', ')}`, {
        errors: unknown.map((key) => ({ path: [key], message: `unknown key: ${key}`, name: 'ValidationError' })),
      });
    }
  }
  return validateSession(body);
};
