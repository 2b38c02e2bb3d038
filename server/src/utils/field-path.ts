/**
 * Field paths of a diagram in an entry: `diagram` (top level), `hero.diagram` (single component),
 * `sections.2.diagram` (repeatable component, by index), `blocks.0.diagram` (dynamic zone, by
 * index). One walker for every place that addresses a field by path.
 */
interface AttributeLike {
  type?: string;
  customField?: string;
  private?: boolean;
  component?: string;
  components?: string[];
  repeatable?: boolean;
  /** A custom field's options (set in the Content-Type Builder). */
  options?: unknown;
}

type Model = { attributes: Record<string, AttributeLike> };
export type GetModel = (uid: string) => Model | undefined;

export interface PathStep {
  key: string;
  /** Index into a repeatable component or a dynamic zone. */
  index?: number;
  /** This step is a dynamic zone. */
  zone?: boolean;
}

export interface WalkedPath {
  steps: PathStep[];
  attribute: AttributeLike;
  /** True when the field or any component on the way is private. */
  isPrivate: boolean;
}

const own = (model: Model, key: string): AttributeLike | null =>
  Object.prototype.hasOwnProperty.call(model.attributes, key) ? model.attributes[key] : null;

/** The attribute at the end of a path, or null when the path does not exist in the schema. */
export const walkFieldPath = (getModel: GetModel, uid: string, path: string): WalkedPath | null => {
  const segments = path.split('.');
  let model = getModel(uid);
  const steps: PathStep[] = [];
  let isPrivate = false;
  for (let i = 0; i < segments.length; i += 1) {
    if (!model) return null;
    const attribute = own(model, segments[i]);
    if (!attribute) return null;
    isPrivate = isPrivate || attribute.private === true;
    if (i === segments.length - 1) {
      steps.push({ key: segments[i] });
      return { steps, attribute, isPrivate };
    }
    const next = segments[i + 1];
    if (attribute.type === 'component' && attribute.component) {
      if (attribute.repeatable) {
        if (!/^\d{1,6}$/.test(next)) return null;
        steps.push({ key: segments[i], index: Number(next) });
        i += 1;
      } else {
        steps.push({ key: segments[i] });
      }
      model = getModel(attribute.component);
    } else if (attribute.type === 'dynamiczone') {
      if (!/^\d{1,6}$/.test(next)) return null;
      steps.push({ key: segments[i], index: Number(next), zone: true });
      i += 1;
      // The component is only known from the data; take the allowed one that has the next field.
      const field = segments[i + 1];
      model = (attribute.components ?? [])
        .map((c) => getModel(c))
        .find((m): m is Model => !!m && field !== undefined && !!own(m, field));
    } else {
      return null;
    }
  }
  return null;
};

/** The populate a Document Service query needs to read the field at the end of `steps`. */
export const populateFor = (steps: PathStep[]): Record<string, unknown> | undefined => {
  if (steps.length < 2) return undefined;
  let populate: unknown = true;
  for (let i = steps.length - 3; i >= 0; i -= 1) populate = { populate: { [steps[i + 1].key]: populate } };
  return { [steps[0].key]: populate };
};

/** Reads the value at `steps` out of a document read with `populateFor(steps)`. */
export const valueAt = (doc: unknown, steps: PathStep[]): unknown => {
  let current: unknown = doc;
  for (const step of steps) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[step.key];
    if (step.index !== undefined) current = Array.isArray(current) ? (current[step.index] as unknown) : undefined;
  }
  return current;
};

/**
 * The field name the Content Manager's permissions use for a path: nested component fields are
 * dotted without indexes (`sections.diagram`); a dynamic zone is one field (`blocks`).
 */
export const permissionField = (steps: PathStep[]): string => {
  const parts: string[] = [];
  for (const step of steps) {
    parts.push(step.key);
    if (step.zone) break;
  }
  return parts.join('.');
};
