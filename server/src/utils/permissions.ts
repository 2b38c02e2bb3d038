/**
 * Content Manager permission checks for a diagram field of a document, with the Content Manager's
 * own permission checker (conditions such as "only entries I created", locales, fields).
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

export interface AdminState {
  user?: { id: number };
  userAbility?: { can(action: string, subject?: unknown): boolean };
}

interface PermissionChecker {
  can: Record<'create' | 'update' | 'read', (entity?: Record<string, unknown> | null, field?: string) => boolean>;
}
interface PermissionCheckerFactory {
  create(args: { userAbility: unknown; model: string }): PermissionChecker;
}

/** Which document (or, without documentId, which new entry) a diagram field belongs to. */
export interface FieldTarget {
  uid: string;
  documentId?: string | null;
  locale?: string | null;
}

const checkerFor = (strapi: Core.Strapi, state: AdminState, uid: string): PermissionChecker => {
  if (!state.userAbility) throw new errors.ForbiddenError('No permissions');
  const factory = strapi.plugin('content-manager').service('permission-checker') as unknown as PermissionCheckerFactory;
  return factory.create({ userAbility: state.userAbility, model: uid });
};

/** The document's row in that locale (with its creator, for "is creator" conditions), or null. */
const findEntity = async (strapi: Core.Strapi, target: FieldTarget): Promise<Record<string, unknown> | null> =>
  (await strapi.db.query(target.uid as never).findOne({
    where: { documentId: target.documentId, ...(target.locale ? { locale: target.locale } : {}) },
    populate: ['createdBy'],
  })) as Record<string, unknown> | null;

/** 404 for a documentId that names no document in any locale. */
const assertDocumentExists = async (strapi: Core.Strapi, target: FieldTarget): Promise<void> => {
  const anyLocale = await strapi.db.query(target.uid as never).findOne({ where: { documentId: target.documentId } });
  if (!anyLocale) throw new errors.NotFoundError(`No such document: ${target.documentId}`);
};

/**
 * The one check behind both: `action` (update or read) on that document's field, or, for an entry
 * not saved yet (or a locale not created yet), create in that locale.
 */
const assertMay = async (
  strapi: Core.Strapi,
  state: AdminState,
  target: FieldTarget,
  field: string,
  action: 'update' | 'read'
): Promise<void> => {
  const checker = checkerFor(strapi, state, target.uid);
  const locale = target.locale ?? undefined;
  // Without any right to this type, the answer is 403 whatever the document (no oracle).
  if (!checker.can[action](null, field) && !checker.can.create(null, field)) {
    throw new errors.ForbiddenError(`You may not ${action === 'update' ? 'edit' : 'read'} ${target.uid} entries`);
  }
  if (target.documentId) {
    const entity = await findEntity(strapi, target);
    if (entity) {
      if (!checker.can[action](entity, field)) throw new errors.ForbiddenError(`You may not ${action} this ${target.uid} entry`);
      return;
    }
    // A locale of the document that does not exist yet is created by the Content Manager; a
    // document that does not exist at all is not there.
    await assertDocumentExists(strapi, target);
  }
  // The entry to be would be created by this user: conditions such as "is creator" hold for it.
  // Without a locale the check is the Content Manager's own, on the type (a subject without a
  // locale would fail i18n's locale condition).
  const toBe = locale ? { locale, ...(state.user ? { createdBy: { id: state.user.id } } : {}) } : null;
  if (!checker.can.create(toBe, field)) {
    throw new errors.ForbiddenError(
      `You may not ${action === 'update' ? 'create' : 'read'} ${target.uid} entries${locale ? ` in locale ${locale}` : ''}`
    );
  }
};

/**
 * The user may open the editor only if the Content Manager would let them save the result: update
 * that document (its conditions, e.g. "only entries I created", and its locale), or, for an entry
 * not saved yet, create one in that locale. The field itself must be writable too.
 */
export const assertMayEdit = (strapi: Core.Strapi, state: AdminState, target: FieldTarget, field: string) =>
  assertMay(strapi, state, target, field, 'update');

/**
 * The user may see the diagram of a field: read that document's field, or, for an entry not saved
 * yet, create one (the diagram is then only in their own form).
 */
export const assertMayRead = (strapi: Core.Strapi, state: AdminState, target: FieldTarget, field: string) =>
  assertMay(strapi, state, target, field, 'read');

/** Whether the signed-in admin holds a plugin action (e.g. plugin::processon.settings.update). */
export const mayDo = (state: AdminState, action: string): boolean => Boolean(state.userAbility?.can(action));
