import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { FIELD_UID, diagramValueProblems } from '../processon';

interface AttributeLike {
  type: string;
  customField?: string;
  component?: string;
  components?: string[];
  repeatable?: boolean;
}

type Model = { attributes: Record<string, AttributeLike> };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Refuses a ProcessOn diagram value of the wrong shape before it is stored, wherever the field
 * sits (top level, components, dynamic zones), for every writer of the Document Service (REST,
 * GraphQL, admin, code). The error names the field path.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const getModel = (uid: string): Model | undefined => strapi.getModel(uid as never) as Model | undefined;

  const problemsIn = (model: Model, data: Record<string, unknown>, prefix: string[]): { path: string[]; message: string }[] => {
    const found: { path: string[]; message: string }[] = [];
    for (const [key, attribute] of Object.entries(model.attributes)) {
      if (!(key in data)) continue;
      const value = data[key];
      const path = [...prefix, key];
      if (attribute.customField === FIELD_UID) {
        const problems = diagramValueProblems(value);
        if (problems.length > 0) {
          found.push({ path, message: `${path.join('.')}: ${problems.join('; ')}` });
        }
      } else if (attribute.type === 'component' && attribute.component) {
        const component = getModel(attribute.component);
        if (!component) continue;
        const items = attribute.repeatable && Array.isArray(value) ? value : [value];
        items.forEach((item, index) => {
          if (isRecord(item)) {
            found.push(...problemsIn(component, item, attribute.repeatable ? [...path, String(index)] : path));
          }
        });
      } else if (attribute.type === 'dynamiczone' && Array.isArray(value)) {
        value.forEach((item, index) => {
          if (isRecord(item) && typeof item.__component === 'string') {
            const component = getModel(item.__component);
            if (component) found.push(...problemsIn(component, item, [...path, String(index)]));
          }
        });
      }
    }
    return found;
  };

  /** Does a model (or one of its components) use the field at all? Cached per uid. */
  const usesField = new Map<string, boolean>();
  const modelUsesField = (uid: string, seen: Set<string> = new Set()): boolean => {
    const cached = usesField.get(uid);
    if (cached !== undefined) return cached;
    if (seen.has(uid)) return false;
    seen.add(uid);
    const model = getModel(uid);
    const result =
      !!model &&
      Object.values(model.attributes).some(
        (a) =>
          a.customField === FIELD_UID ||
          (a.type === 'component' && !!a.component && modelUsesField(a.component, seen)) ||
          (a.type === 'dynamiczone' && (a.components ?? []).some((c) => modelUsesField(c, seen)))
      );
    usesField.set(uid, result);
    return result;
  };

  return {
    /** Throws a ValidationError (HTTP 400) naming each field whose value has the wrong shape. */
    check(uid: string, data: unknown): void {
      if (!isRecord(data) || !modelUsesField(uid)) return;
      const model = getModel(uid);
      if (!model) return;
      const found = problemsIn(model, data, []);
      if (found.length > 0) {
        throw new errors.ValidationError(
          `Invalid ProcessOn diagram value in ${found.map((f) => f.path.join('.')).join(', ')}: ${found
            .map((f) => f.message)
            .join(' | ')}`,
          { errors: found.map((f) => ({ path: f.path, message: f.message, name: 'ValidationError' })) }
        );
      }
    },

    /** Registers the Document Service middleware that runs `check` on every write. */
    registerDocumentMiddleware(): void {
      strapi.documents.use(async (ctx, next) => {
        if (ctx.action === 'create' || ctx.action === 'update') {
          const params = ctx.params as { data?: unknown } | undefined;
          this.check(ctx.uid, params?.data);
        }
        return next();
      });
    },
  };
};
