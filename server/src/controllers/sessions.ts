import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { FIELD_UID, parseCallbackPush, type CreateSessionBody, type SessionStateResponse } from '../processon';
import type { EditSessionRow } from '../services/sessions';
import { refuseOversizedDef } from '../middlewares/body-limit';
import { getService } from '../utils';
import { permissionField, walkFieldPath } from '../utils/field-path';
import { validateCreateSession } from '../validation';

interface AdminState {
  user?: { id: number };
  userAbility?: unknown;
}

/** The Content Manager's own permission checker (conditions such as "is creator", locales, fields). */
interface PermissionChecker {
  can: Record<'create' | 'update' | 'read', (entity?: Record<string, unknown> | null, field?: string) => boolean>;
}
interface PermissionCheckerFactory {
  create(args: { userAbility: unknown; model: string }): PermissionChecker;
}

/**
 * The user may open the editor only if the Content Manager would let them save the result: update
 * that document (its conditions, e.g. "only entries I created", and its locale), or, for an entry
 * not saved yet, create one in that locale. The field itself must be writable too.
 */
const assertMayEdit = async (
  strapi: Core.Strapi,
  state: AdminState,
  body: CreateSessionBody,
  field: string
): Promise<void> => {
  if (!state.userAbility) throw new errors.ForbiddenError('No permissions');
  const factory = strapi.plugin('content-manager').service('permission-checker') as unknown as PermissionCheckerFactory;
  const checker = factory.create({ userAbility: state.userAbility, model: body.uid });
  const locale = body.locale ?? undefined;
  // Without any right to write this type, the answer is 403 whatever the document (no oracle).
  if (!checker.can.update(null, field) && !checker.can.create(null, field)) {
    throw new errors.ForbiddenError(`You may not edit ${body.uid} entries`);
  }
  if (body.documentId) {
    const entity = (await strapi.db.query(body.uid as never).findOne({
      where: { documentId: body.documentId, ...(locale ? { locale } : {}) },
      populate: ['createdBy'],
    })) as Record<string, unknown> | null;
    if (entity) {
      if (!checker.can.update(entity, field)) {
        throw new errors.ForbiddenError(`You may not update this ${body.uid} entry`);
      }
      return;
    }
    // A locale of the document that does not exist yet is created by the Content Manager; a
    // document that does not exist at all is not there to edit.
    const anyLocale = await strapi.db.query(body.uid as never).findOne({ where: { documentId: body.documentId } });
    if (!anyLocale) throw new errors.NotFoundError(`No such document: ${body.documentId}`);
  }
  // The entry to be would be created by this user: conditions such as "is creator" hold for it.
  // Without a locale the check is the Content Manager's own, on the type (a subject without a
  // locale would fail i18n's locale condition).
  const toBe = locale ? { locale, ...(state.user ? { createdBy: { id: state.user.id } } : {}) } : null;
  if (!checker.can.create(toBe, field)) {
    throw new errors.ForbiddenError(`You may not create ${body.uid} entries${locale ? ` in locale ${locale}` : ''}`);
  }
};

/** The session of the signed-in user, or 404 (another user's session is not theirs to see). */
const ownSession = async (strapi: Core.Strapi, ctx: Context): Promise<EditSessionRow> => {
  const sessionKey = String(ctx.params.sessionId ?? '');
  const session = await getService(strapi, 'sessions').findByKey(sessionKey);
  if (!session || session.userId !== ((ctx.state as AdminState).user?.id ?? null)) {
    throw new errors.NotFoundError('No such edit session');
  }
  return session;
};

/** What the field polls: the newest save through a session (its def only when new to the caller). */
const stateOf = async (strapi: Core.Strapi, session: EditSessionRow, since?: string): Promise<SessionStateResponse['data']> => ({
  sessionId: session.sessionKey,
  chartid: session.chartid,
  expiresAt: new Date(session.expiresAt).toISOString(),
  revision:
    session.lastRevision && session.lastRevision !== since
      ? await getService(strapi, 'revisions').findOne(session.lastRevision)
      : null,
  revisionId: session.lastRevision,
  savedAt: session.lastSavedAt ? new Date(session.lastSavedAt).toISOString() : null,
});

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async create(ctx: Context) {
    const body = (await validateCreateSession(ctx.request.body ?? {})) as CreateSessionBody;
    const state = ctx.state as AdminState;
    const walked = walkFieldPath((uid) => strapi.getModel(uid as never) as never, body.uid, body.field);
    if (!walked || walked.attribute.customField !== FIELD_UID) {
      throw new errors.ValidationError(`${body.uid} has no ProcessOn diagram field at "${body.field}"`, {
        errors: [{ path: ['field'], message: `No ProcessOn diagram field at "${body.field}"`, name: 'ValidationError' }],
      });
    }
    await assertMayEdit(strapi, state, body, permissionField(walked.steps));
    const settings = getService(strapi, 'settings');
    const status = await settings.status();
    if (!status.configured) {
      throw new errors.ApplicationError(`ProcessOn is not configured: missing ${status.missing.join(', ')}`, {
        missing: status.missing,
      });
    }
    const { session, form } = await getService(strapi, 'sessions').create(body, state.user?.id ?? null);
    ctx.status = 201;
    ctx.body = {
      data: { sessionId: session.sessionKey, expiresAt: new Date(session.expiresAt).toISOString(), form },
    };
  },

  /**
   * POST /processon/sessions/:sessionId/saves: a save the editor posted to the admin page
   * (postMessage), forwarded by the field. Stored exactly like a callback.
   */
  async save(ctx: Context) {
    const session = await ownSession(strapi, ctx);
    const parsed = parseCallbackPush(ctx.request.body);
    if (!parsed.ok) throw new errors.ValidationError(parsed.error);
    refuseOversizedDef(strapi, ctx, 'admin', parsed.value.def);
    const result = await getService(strapi, 'saves').accept(session, parsed.value, 'postMessage');
    if (!result.ok) {
      if (result.reason === 'otherChart') throw new errors.ValidationError('chartid does not match this edit session');
      if (result.reason === 'expired') throw new errors.ApplicationError('This edit session has expired: reopen the editor');
      throw new Error('The save could not be stored');
    }
    const fresh = await getService(strapi, 'sessions').findByKey(session.sessionKey);
    ctx.body = { data: await stateOf(strapi, fresh ?? session) };
  },

  async state(ctx: Context) {
    const since = typeof ctx.query.since === 'string' ? ctx.query.since : undefined;
    ctx.body = { data: await stateOf(strapi, await ownSession(strapi, ctx), since) };
  },
});
