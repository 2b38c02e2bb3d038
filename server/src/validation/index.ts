import { errors, yup, validateYupSchema } from '@strapi/utils';
import {
  CATEGORIES,
  EXPORT_TYPES,
  TITLE_MAX_LENGTH,
  isChartId,
  normalizeSettingsUpdate,
  settingsUpdateProblems,
  type RestoreTarget,
  type SettingKey,
  type SettingProblem,
  type SettingsUpdate,
} from '../processon';

/** Throws a 400 ValidationError naming every problem (path = the setting, plus its code and params). */
const throwProblems = (problems: SettingProblem[]): never => {
  throw new errors.ValidationError(
    problems.length === 1 ? problems[0].message : `${problems.length} errors: ${problems.map((p) => p.message).join('; ')}`,
    {
      errors: problems.map((p) => ({
        path: p.key ? [p.key] : [],
        message: p.message,
        name: 'ValidationError',
        code: p.code,
        params: p.params,
      })),
    }
  );
};

/**
 * Validates a PUT /processon/settings body as a whole (every problem at once, nothing stored if
 * there is one) and refuses keys that config or env fix; answers the normalized update.
 */
export const validateSettingsUpdate = (body: unknown, fixedKeys: readonly SettingKey[]): SettingsUpdate => {
  const problems = settingsUpdateProblems(body);
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  for (const key of fixedKeys) {
    if (key in record && !problems.some((p) => p.key === key)) {
      problems.push({
        key,
        code: 'fixed',
        params: {},
        message: `${key} is set by config/plugins.ts or an environment variable`,
      });
    }
  }
  if (problems.length > 0) throwProblems(problems);
  return normalizeSettingsUpdate(record as SettingsUpdate);
};

/** POST /processon/settings/check-callback body. */
export const validateCallbackCheck = (body: unknown): { publicUrl?: string } => {
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  if (!record) throwProblems([{ key: '', code: 'type', params: {}, message: 'The body must be an object' }]);
  const unknown = Object.keys(record ?? {}).filter((key) => key !== 'publicUrl');
  if (unknown.length > 0) {
    throwProblems(unknown.map((key) => ({ key, code: 'unknown' as const, params: {}, message: `unknown key: ${key}` })));
  }
  if (record?.publicUrl === undefined) return {};
  const problems = settingsUpdateProblems({ publicUrl: record.publicUrl });
  if (problems.length > 0) throwProblems(problems);
  return { publicUrl: String(record.publicUrl).trim().replace(/\/+$/, '') };
};

const targetFields = {
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
};

const sessionSchema = yup
  .object({
    ...targetFields,
    def: yup.string().defined('def must be a string (empty for a new diagram)').strict(true),
  })
  .noUnknown(true, 'unknown key: ${unknown}');

const previewSchema = yup
  .object({
    ...targetFields,
    kind: yup.string().required('kind is required').oneOf(['view', 'export'], 'kind must be "view" or "export"'),
    type: yup
      .string()
      .oneOf([...EXPORT_TYPES], `type must be one of ${EXPORT_TYPES.join(', ')}`)
      .when('kind', {
        is: 'export',
        then: (schema) => schema.required('type is required for an export'),
        otherwise: (schema) => schema.test('none', 'type is only for an export', (v) => v === undefined),
      }),
  })
  .noUnknown(true, 'unknown key: ${unknown}');

const { uid, documentId, locale, field } = targetFields;
const restoreTargetSchema = yup.object({ uid, documentId, locale, field }).noUnknown(true, 'unknown key: ${unknown}');

/** A validator that also refuses (not ignores) unknown keys. */
const strictValidator = (schema: typeof sessionSchema | typeof previewSchema | typeof restoreTargetSchema) => {
  const keys = Object.keys(schema.fields);
  const validate = validateYupSchema(schema, { strict: false, abortEarly: false });
  return async (body: unknown): Promise<unknown> => {
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      const unknown = Object.keys(body).filter((key) => !keys.includes(key));
      if (unknown.length > 0) {
        throw new errors.ValidationError(`unknown key: ${unknown.join(', ')}`, {
          errors: unknown.map((key) => ({ path: [key], message: `unknown key: ${key}`, name: 'ValidationError' })),
        });
      }
    }
    return validate(body);
  };
};

/** Validates a POST /processon/sessions body; unknown keys are refused, not ignored. */
export const validateCreateSession = strictValidator(sessionSchema);

/** Validates a POST /processon/forms body. */
export const validatePreviewForm = strictValidator(previewSchema);

/**
 * Validates the optional body of a restore: the entry (and locale) whose field the restored revision
 * goes into. An empty body names none.
 */
const validateRestoreTargetBody = strictValidator(restoreTargetSchema);
export const validateRestoreTarget = async (body: unknown): Promise<RestoreTarget | null> => {
  if (body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0)) return null;
  return (await validateRestoreTargetBody(body)) as RestoreTarget;
};
